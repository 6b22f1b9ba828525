"""Progress of long stages: counts, rate and time left in the log."""

import logging

from evaluation.progress import Progress


def test_counts_rate_and_time_left(caplog):
    t = iter([0.0, 40.0, 100.0])  # start, then two readings of a clock
    p = Progress(200_000, "generation", logging.getLogger("test"), "persons", clock=lambda: next(t))
    with caplog.at_level(logging.INFO, logger="test"):
        first = p(50_000, "chunk full/0")
        second = p(200_000)
    # 50,000 of 200,000 in 40 s: 1,250 a second, 150,000 left at that rate = 120 s = 2.0 min
    assert first == ("generation: 50,000/200,000 persons (25 %), 1,250.0 persons/s, 40 s elapsed, "
                     "about 2.0 min left; chunk full/0")
    assert "(100 %)" in second and "about 0 s left" in second and "1.7 min elapsed" in second
    assert [r.getMessage() for r in caplog.records] == [first, second]
