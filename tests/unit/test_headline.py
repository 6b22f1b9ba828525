"""The headline sentence from the specifications table: one preferred specification per design,
never a pooled range, and correct words for negative, zero-covering and unavailable intervals."""

import numpy as np
import pandas as pd
import pytest

from evaluation.report.headline import effect_phrase, headline


def _spec(rows):
    base = dict(outcome="hours", estimator="did", cycle_adjusted=True, baseline_treated=55.0, truth=np.nan)
    return pd.DataFrame([dict(base, **r) for r in rows])


CFG = {"outcome": "hours", "preferred": {"stock": "a"}, "reason": {"stock": "because"}}


def test_preferred_with_interval_and_robustness_range():
    s = _spec([dict(specification="a", design="stock", estimate=36.2, conf_low=10.4, conf_high=61.9, p_value=0.02),
               dict(specification="b", design="stock", estimate=20.0, conf_low=-5.0, conf_high=45.0, p_value=0.2),
               dict(specification="c", design="stock", estimate=50.0, conf_low=30.0, conf_high=70.0, p_value=0.01),
               dict(specification="d", design="stock", estimate=90.0, conf_low=-np.inf, conf_high=np.inf, p_value=0.09),
               dict(specification="e", design="cohort", estimate=300.0, conf_low=200.0, conf_high=400.0, p_value=0.01)])
    h = headline(s, CFG)
    st = h["designs"]["stock"]
    assert st["preferred"]["estimate"] == 36.2 and st["preferred"]["conf_low"] == 10.4
    assert st["robustness"] == {"specifications": ["b", "c"], "low": 20.0, "high": 50.0, "n_significant": 1,
                                "left_out_infinite_interval": ["d"], "left_out_flagged": {}}
    assert "rose by 36 hours per person per year (95% interval 10 to 62; p = 0.020)" in st["sentence"]
    assert "range from 20 to 50 hours (1 of 2 significant at 5%)" in st["sentence"]
    assert "(+66%)" in st["sentence"]
    # the cohort is never pooled into the stock's range, and without a preferred specification has no claim
    assert "300" not in h["sentence"] and "preferred" not in h["designs"]["cohort"]


@pytest.mark.parametrize("est, lo, hi, p, words", [
    (-8.0, -20.0, -2.0, 0.01, "fell by 8 hours"),
    (5.0, -10.0, 20.0, 0.5, "showed no detectable change (5 hours"),
    (0.0, -10.0, 10.0, 1.0, "showed no detectable change (0 hours"),
    (12.0, None, None, 0.09, "changed by 12 hours (no 95% interval is available"),
])
def test_sentence_for_every_sign(est, lo, hi, p, words):
    text = effect_phrase(est, lo, hi, p, "hours")
    assert words in text
    assert "-8-" not in text and "rose by -" not in text


def test_one_robustness_specification():
    s = _spec([dict(specification="a", design="stock", estimate=36.0, conf_low=10.0, conf_high=62.0, p_value=0.02),
               dict(specification="b", design="stock", estimate=19.0, conf_low=-5.0, conf_high=45.0, p_value=0.2)])
    assert "The one other cycle-adjusted specification of this design with a finite interval gives 19 hours " \
           "(not significant at 5%)." in headline(s, CFG)["sentence"]


def test_unavailable_interval_is_never_a_number():
    s = _spec([dict(specification="a", design="stock", estimate=40.0, conf_low=np.nan, conf_high=np.nan,
                    p_value=0.09)])
    h = headline(s, CFG)
    pr = h["designs"]["stock"]["preferred"]
    assert pr["conf_low"] is None and pr["flags"] == ["interval unavailable"]
    assert "nan" not in h["sentence"] and "inf" not in h["sentence"]


def test_a_preferred_specification_missing_from_the_table_is_an_error():
    s = _spec([dict(specification="b", design="stock", estimate=1.0, conf_low=0.0, conf_high=2.0, p_value=0.04)])
    with pytest.raises(ValueError, match=r"the preferred stock specification 'a' is not in the specifications table"):
        headline(s, CFG)


def test_degenerate_fits_are_flagged_not_counted():
    s = _spec([dict(specification="a", design="stock", estimate=36.0, conf_low=10.0, conf_high=62.0, p_value=0.02,
                    flagged="degenerate pre-period fit"),
               dict(specification="b", design="stock", estimate=19.0, conf_low=-5.0, conf_high=45.0, p_value=0.2),
               dict(specification="c", design="stock", estimate=90.0, conf_low=80.0, conf_high=100.0, p_value=0.01,
                    flagged="degenerate pre-period fit")])
    h = headline(s, CFG)["designs"]["stock"]
    assert h["preferred"]["flags"] == ["degenerate pre-period fit"]
    assert "[a; flagged: degenerate pre-period fit]" in h["sentence"]
    assert h["robustness"]["specifications"] == ["b"] and h["robustness"]["left_out_flagged"] == {
        "c": "degenerate pre-period fit"}


def test_a_specification_its_monte_carlo_flags_leaves_the_headline():
    """The preferred specification flagged by its Monte Carlo is not stated as the finding (the sentence says
    why); a flagged robustness specification leaves the range and is listed as left out."""
    mc = "Monte Carlo null: bias 9.0 beyond 0.25 of its spread | effect: coverage 80 % outside 93-97 %"
    s = _spec([dict(specification="a", design="stock", estimate=36.2, conf_low=10.4, conf_high=61.9, p_value=0.02,
                    flagged=mc),
               dict(specification="b", design="stock", estimate=20.0, conf_low=-5.0, conf_high=45.0, p_value=0.2,
                    flagged=""),
               dict(specification="c", design="stock", estimate=50.0, conf_low=30.0, conf_high=70.0, p_value=0.01,
                    flagged=mc)])
    st = headline(s, CFG)["designs"]["stock"]
    assert st["preferred"]["kept_out"] is True
    assert "is not stated as the finding" in st["sentence"] and "coverage 80 %" in st["sentence"]
    assert "rose by" not in st["sentence"]
    assert st["robustness"]["specifications"] == ["b"] and "c" in st["robustness"]["left_out_flagged"]
