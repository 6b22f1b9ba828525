"""Progress of a long stage (generation, Monte Carlo): counts, rate and time left, written to the rule's log."""

from __future__ import annotations

import logging
import time


def _duration(s: float) -> str:
    s = max(0.0, float(s))
    return f"{s / 60:.1f} min" if s >= 90 else f"{s:.0f} s"


class Progress:
    """``Progress(total, "generation", log, "persons")(done)`` logs e.g. 'generation: 40,000/148,000 persons (27 %),
    1,250 persons/s, 32 s elapsed, about 86 s left'."""

    def __init__(self, total: int, what: str, log: logging.Logger | None = None, unit: str = "items",
                 clock=time.perf_counter):
        self.total, self.what, self.unit, self.clock = int(total), what, unit, clock
        self.log = log or logging.getLogger("evaluation.progress")
        self.t0 = clock()

    def __call__(self, done: int, note: str = "") -> str:
        elapsed = self.clock() - self.t0
        rate = done / elapsed if elapsed > 0 else float("nan")
        left = (self.total - done) / rate if rate and rate == rate and rate > 0 else float("nan")
        share = 100.0 * done / self.total if self.total else 100.0
        msg = (f"{self.what}: {done:,}/{self.total:,} {self.unit} ({share:.0f} %), "
               + (f"{rate:,.1f} {self.unit}/s, " if rate == rate else "")
               + f"{_duration(elapsed)} elapsed"
               + (f", about {_duration(left)} left" if left == left else "") + (f"; {note}" if note else ""))
        self.log.info(msg)
        return msg
