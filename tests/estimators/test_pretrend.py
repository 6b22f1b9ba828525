"""Size of the event study's pre-trend tests (joint and linear), by simulation.

Parallel trends hold; municipalities differ in size (lognormal, 3 persons upwards, the treated one 60)
and carry municipality-year shocks besides person noise.  At 5 % each test should reject 3-7 % of the
time; with 300 replications two binomial standard errors are about 2.5 points, so the band asserted is
[1.5 %, 9 %].  20 comparison municipalities run in CI; 40 and 97 are marked slow.

At 97 comparisons with a treated municipality larger than the typical comparison one (60 persons against a
median of 25) the joint test had been conservative in earlier sessions (1-2.5 %).  Measured again on
2026-11-30 with the current code on this test's seeds (5000-5299): joint 4.0 %, linear 3.3 %; with the
between-municipality variance re-estimated with a scaled sampling part (inference.between_variance_scaled, as
synthetic DiD uses) 3.7 % and 3.3 %, no better, so it is not used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation import event_study


def _panel(seed: int, G: int, shock_sd: float = 0.5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = np.arange(2010, 2018)
    sizes = np.maximum(3, rng.lognormal(np.log(25), 0.8, G)).astype(int)
    sizes[0] = 60
    shock = rng.normal(0, shock_sd, (G, len(years)))
    n = int(sizes.sum())
    g = np.repeat(np.arange(G), sizes)
    y = rng.normal(0, 3, (n, 1)) + 0.5 * (years - 2010) + shock[g] + rng.normal(0, 3, (n, len(years)))
    d = pd.DataFrame({"pid": np.repeat(np.arange(n), len(years)), "year": np.tile(years, n),
                      "kom": np.repeat(g, len(years)), "y": y.ravel()})
    d["treated"] = d.kom == 0
    return d


def _rejections(n_comparisons: int, reps: int = 300) -> tuple[float, float]:
    joint, linear = [], []
    for s in range(reps):
        es = event_study(_panel(5000 + s, n_comparisons + 1), "y", "year", "pid", "treated", 2015, "kom")
        joint.append(es.extras["pretrend"]["p_value"] <= 0.05)
        linear.append(es.extras["pretrend_linear"]["p_value"] <= 0.05)
    return float(np.mean(joint)), float(np.mean(linear))


def _check(n_comparisons: int):
    joint, linear = _rejections(n_comparisons)
    assert 0.015 <= joint <= 0.09, joint
    assert 0.015 <= linear <= 0.09, linear


def test_pretrend_tests_size_at_20_comparisons():
    _check(20)


@pytest.mark.slow
@pytest.mark.parametrize("n_comparisons", [40, 97])
def test_pretrend_tests_size_at_40_and_97_comparisons(n_comparisons):
    _check(n_comparisons)


def test_a_drift_in_the_leads_is_detected():
    """Power: a steady drift of the treated municipality of 1.5 a year before the reform (person noise 3,
    60 persons) is rejected by the linear test in most samples, where parallel trends hold it is not."""
    hits = 0
    for s in range(20):
        d = _panel(9000 + s, 21)
        tr = d.kom == 0
        d.loc[tr, "y"] += 1.5 * (d.loc[tr, "year"] - 2014)
        es = event_study(d, "y", "year", "pid", "treated", 2015, "kom")
        hits += es.extras["pretrend_linear"]["p_value"] <= 0.05
    assert hits >= 14, hits


def _band_coverage(n_comparisons: int, reps: int) -> tuple[float, float]:
    """Share of panels (parallel trends, no effect) in which every coefficient's interval covers zero: the
    simultaneous band's and the pointwise intervals' taken together."""
    band, pointwise = [], []
    for s in range(reps):
        t = event_study(_panel(7000 + s, n_comparisons + 1), "y", "year", "pid", "treated", 2015, "kom").tidy()
        band.append(bool(((t.conf_low_uniform <= 0) & (0 <= t.conf_high_uniform)).all()))
        pointwise.append(bool(((t.conf_low <= 0) & (0 <= t.conf_high)).all()))
    return float(np.mean(band)), float(np.mean(pointwise))


def test_simultaneous_band_covers_every_coefficient_at_20_comparisons():
    """The event study's simultaneous band (the sup test's acceptance region projected on each coefficient), on
    panels with parallel trends and no effect, 20 comparison municipalities: it covers all seven coefficients at
    once in at least 93 % of the panels (measured on these 200 seeds 98.5 %, on 300 98.0 %: conservative, as a
    projection is), where the pointwise intervals taken together cover them in 75.5 % (a band no wider than
    them would fail).  An earlier band that stretched every coefficient to one common level covered 90.7 % on
    300 seeds: the projection is needed.  Two binomial standard errors at 200 panels: about 3 points."""
    band, pointwise = _band_coverage(20, 200)
    assert band >= 0.93 and band - pointwise >= 0.15, (band, pointwise)


def test_simultaneous_band_contains_the_pointwise_intervals_and_is_unavailable_with_ten_comparisons():
    r = event_study(_panel(7001, 41), "y", "year", "pid", "treated", 2015, "kom")
    t = r.tidy()
    assert (t.conf_low_uniform <= t.conf_low + 1e-12).all() and (t.conf_high <= t.conf_high_uniform + 1e-12).all()
    assert (t.conf_high_uniform - t.conf_low_uniform > t.conf_high - t.conf_low + 1e-9).any()
    assert r.extras["uniform_band"]["clusters_ranked"] == 40 and r.extras["uniform_band"]["critical_value"] > 1.96
    ten = event_study(_panel(7001, 11), "y", "year", "pid", "treated", 2015, "kom")
    assert ten.tidy()[["conf_low_uniform", "conf_high_uniform"]].isna().all().all()
    assert any("no simultaneous 95 % band" in n for n in ten.notes)
    ax = r.plot()
    assert any(type(c).__name__ == "FillBetweenPolyCollection" or type(c).__name__ == "PolyCollection"
               for c in ax.collections)
