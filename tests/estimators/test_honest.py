"""Sensitivity of the event study to violations of parallel trends: relative magnitudes (Rambachan &
Roth 2023), plug-in version (extras['honest_rm'])."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation import event_study


def _panel(seed: int, slope: float, tau: float = 10.0, G: int = 25, n: int = 20) -> pd.DataFrame:
    """Municipality 0 treated from 2015 with an effect tau; its untreated path drifts by ``slope`` per year
    throughout (a linear violation of parallel trends that the leads show: post-period steps equal the
    pre-period ones, Mbar = 1); person noise and municipality-year shocks."""
    rng = np.random.default_rng(seed)
    years = np.arange(2010, 2018)
    shock = rng.normal(0, 0.5, (G, len(years)))
    rows = []
    for g in range(G):
        for i in range(n):
            e = years - 2015
            y = rng.normal(0, 3) + 0.5 * (years - 2010) + shock[g] + rng.normal(0, 3, len(years))
            if g == 0:
                y = y + slope * (e + 1) + tau * (e >= 0)
            rows.append(pd.DataFrame({"pid": g * 1000 + i, "year": years, "kom": g, "y": y}))
    d = pd.concat(rows, ignore_index=True)
    d["treated"] = d.kom == 0
    return d


def _honest(d):
    return event_study(d, "y", "year", "pid", "treated", 2015, "kom").extras["honest_rm"]


def test_a_drift_the_leads_show_is_allowed_for_at_mbar_one():
    """A steady drift of 3 a year: at Mbar = 0 (parallel trends) the interval of the average effect misses
    the true 10 (it carries the drift's 6), at Mbar = 1 it covers it; the breakdown value is about 1."""
    h = _honest(_panel(1, slope=3.0))
    iv = h["intervals"].set_index("mbar")
    assert not iv.loc[0.0, "conf_low"] <= 10.0 <= iv.loc[0.0, "conf_high"]
    assert iv.loc[1.0, "conf_low"] <= 10.0 <= iv.loc[1.0, "conf_high"]
    assert (np.diff(iv.conf_low) < 0).all() and (np.diff(iv.conf_high) > 0).all()
    assert h["post_periods"] == 3 and 0.3 < h["breakdown"] < 3


def test_without_a_pre_trend_the_finding_survives_larger_deviations():
    flat, drift = _honest(_panel(2, slope=0.0, tau=15.0)), _honest(_panel(2, slope=3.0, tau=15.0))
    assert flat["max_pre_change"] < drift["max_pre_change"]
    assert flat["breakdown"] > drift["breakdown"]


@pytest.mark.slow
def test_coverage_under_a_violation_of_the_assumed_size():
    """Over 60 samples with the drift above: the robust interval at Mbar = 1 covers the true effect in at
    least 90 % of them (the plug-in maximum of noisy pre-period steps makes it conservative; binomial
    standard error at 95 %: 2.8 points), the parallel-trends interval (Mbar = 0) in at most half."""
    cov0 = cov1 = 0
    reps = 60
    for s in range(reps):
        iv = _honest(_panel(100 + s, slope=3.0))["intervals"].set_index("mbar")
        cov0 += iv.loc[0.0, "conf_low"] <= 10.0 <= iv.loc[0.0, "conf_high"]
        cov1 += iv.loc[1.0, "conf_low"] <= 10.0 <= iv.loc[1.0, "conf_high"]
    assert cov1 / reps >= 0.90
    assert cov0 / reps <= 0.5


def test_too_few_comparisons_leave_the_sensitivity_unavailable():
    """With 9 comparison municipalities no 95 % placebo interval exists: every robust interval and the
    breakdown value are unavailable (NaN), never infinite numbers."""
    es = event_study(_panel(3, slope=0.0, G=10), "y", "year", "pid", "treated", 2015, "kom")
    h = es.extras["honest_rm"]
    assert h["intervals"][["conf_low", "conf_high"]].isna().all().all()
    # so are the coefficients' own intervals, and the notes say why
    assert es.tidy()[["conf_low", "conf_high"]].isna().all().all()
    assert not np.isinf(es.tidy()[["conf_low", "conf_high"]].to_numpy()).any()
    assert any("never infinite" in n for n in es.notes)
    assert np.isnan(h["breakdown"]) and np.isnan(h["conf_low"])
