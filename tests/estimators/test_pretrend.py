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


def _panel(seed: int, G: int, shock_sd: float = 0.5, median: float = 25, smallest: int = 3, treated_size: int = 60,
           present: float = 1.0, effect: dict | None = None) -> pd.DataFrame:
    """Municipalities of lognormal size (``smallest`` persons upwards, the treated one ``treated_size``), each
    person with a persistent effect, municipality-year shocks besides person noise, parallel trends.
    ``effect``: a path by year added to the treated municipality's persons; ``present`` < 1: each person is in
    a given year's rows with that probability (a yearly stock, as test_event_study_cross_sections uses)."""
    rng = np.random.default_rng(seed)
    years = np.arange(2010, 2018)
    sizes = np.maximum(smallest, rng.lognormal(np.log(median), 0.8, G)).astype(int)
    sizes[0] = treated_size
    shock = rng.normal(0, shock_sd, (G, len(years)))
    n = int(sizes.sum())
    g = np.repeat(np.arange(G), sizes)
    y = rng.normal(0, 3, (n, 1)) + 0.5 * (years - 2010) + shock[g] + rng.normal(0, 3, (n, len(years)))
    if effect is not None:
        y = y + np.outer(g == 0, [effect.get(int(t), 0.0) for t in years])
    d = pd.DataFrame({"pid": np.repeat(np.arange(n), len(years)), "year": np.tile(years, n),
                      "kom": np.repeat(g, len(years)), "y": y.ravel()})
    if present < 1:
        d = d[(rng.random((n, len(years))) < present).ravel()]
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


def _band_coverage(n_comparisons: int, reps: int) -> dict:
    """On panels with parallel trends and no effect: the share of panels in which every coefficient's interval
    covers zero (the simultaneous band's, and the pointwise intervals' taken together), and each coefficient's
    own pointwise coverage and rejection rate at 5 %."""
    band, pointwise, each, rejected = [], [], [], []
    for s in range(reps):
        t = event_study(_panel(7000 + s, n_comparisons + 1), "y", "year", "pid", "treated", 2015, "kom").tidy()
        band.append(bool(((t.conf_low_uniform <= 0) & (0 <= t.conf_high_uniform)).all()))
        covered = ((t.conf_low <= 0) & (0 <= t.conf_high)).to_numpy()
        pointwise.append(bool(covered.all()))
        each.append(covered)
        rejected.append((t.p_value <= 0.05).to_numpy())
    return dict(band=float(np.mean(band)), pointwise_all=float(np.mean(pointwise)),
                each=np.mean(each, axis=0), rejected=np.mean(rejected, axis=0))


def test_simultaneous_band_and_pointwise_intervals_at_20_comparisons():
    """The event study's simultaneous band (the sup test's acceptance region projected on each coefficient), on
    panels with parallel trends and no effect, 20 comparison municipalities: it covers all seven coefficients at
    once in at least 93 % of the panels (measured on these 200 seeds 98.5 %, on 300 98.0 %: conservative, as a
    projection is), where the pointwise intervals taken together cover them in 75.5 % (a band no wider than
    them would fail).  An earlier band that stretched every coefficient to one common level covered 90.7 % on
    300 seeds: the projection is needed.  Two binomial standard errors at 200 panels: about 3 points.

    Each coefficient's own interval, on the same panels: coverage 93-97 % and rejection 3-7 % averaged over
    the seven coefficients (measured 94.8 % and 5.2 %; per coefficient 93.0-97.0 %; seeds 7200-7499: 93.9 %),
    and no coefficient below 90 % (two binomial standard errors under 95 % at 200 panels are 3 points; an
    interval from the placebo-only between-municipality variance at 20 comparisons, which rejects about 9 %
    of the time, tests/estimators/test_inference.py, would fall below)."""
    r = _band_coverage(20, 200)
    assert r["band"] >= 0.93 and r["band"] - r["pointwise_all"] >= 0.15, r
    assert 0.93 <= r["each"].mean() <= 0.97 and r["each"].min() >= 0.90, r
    assert 0.03 <= r["rejected"].mean() <= 0.07, r


@pytest.mark.slow
@pytest.mark.parametrize("n_comparisons", [40, 97])
def test_simultaneous_band_and_pointwise_intervals_at_40_and_97(n_comparisons):
    """The same at 40 and 97 comparisons, 300 panels (seeds 7000-7299; measured per coefficient: 95.3 % and
    96.6 % on average, every coefficient within 94.0-98.7 %; the band 96.7 % at 97 on 150 panels)."""
    r = _band_coverage(n_comparisons, 300)
    assert r["band"] >= 0.93, r
    assert 0.93 <= r["each"].mean() <= 0.97 and r["each"].min() >= 0.90, r
    assert 0.03 <= r["rejected"].mean() <= 0.07, r


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


def test_a_combination_of_coefficients_is_one_coefficient_and_is_calibrated_at_20_comparisons():
    """``event_study(combination=...)`` tests sum_e a_e beta_e as one coefficient (used for the investment case's
    total over the years).  A single weight reproduces that coefficient's own estimate, interval and p-value; with
    unequal weights on three post-reform years, parallel trends and no effect, 300 panels at 20 comparisons
    (seeds 12000-12299), it covers zero in 93-97 % and rejects in 3-7 % (measured 95.3 % and 4.7 %; at 97
    comparisons, 150 panels, also 95.3 % and 4.7 %).  Its sampling variance is each person's own contrast
    sum_e a_e (y_e - y_ref), so the years' covariance is kept; a wrong weighting or variance would show here."""
    es = event_study(_panel(12000, 21), "y", "year", "pid", "treated", 2015, "kom", combination={1: 1.0})
    one, t = es.extras["combination"], es.tidy().set_index("term").loc["e=1"]
    for k in ["estimate", "conf_low", "conf_high", "p_value"]:
        assert one[k] == pytest.approx(t[k], rel=1e-9, abs=1e-9), k
    with pytest.raises(ValueError, match=r"combination weights for event times \[9\]"):
        event_study(_panel(12000, 21), "y", "year", "pid", "treated", 2015, "kom", combination={9: 1.0})
    covered, rejected = [], []
    for s in range(300):
        c = event_study(_panel(12000 + s, 21), "y", "year", "pid", "treated", 2015, "kom",
                        combination={0: 3.0, 1: 1.0, 2: 2.0}).extras["combination"]
        assert np.isfinite(c["conf_low"]) and np.isfinite(c["conf_high"])
        covered.append(c["conf_low"] <= 0 <= c["conf_high"])
        rejected.append(c["p_value"] <= 0.05)
    assert 0.93 <= np.mean(covered) <= 0.97 and 0.03 <= np.mean(rejected) <= 0.07, (np.mean(covered),
                                                                                   np.mean(rejected))
