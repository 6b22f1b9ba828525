"""The event study on repeated cross sections (``panel=False``), as the yearly stock of benefit recipients is:
its members change from year to year, so each coefficient compares municipality-year means and each
municipality's sampling variance comes from its persons' influence on those means.

Simulated stocks: municipalities of unequal size (lognormal, 4 persons upwards, the treated one 100), each
person with a persistent effect and in a given year's stock with probability 0.6 (so most persons are in
several years and their outcomes are correlated), municipality-year shocks besides person noise, parallel
trends.  Measured at 20 comparisons on seeds 11000-11299: each coefficient's interval covered 94.3-95.7 %
(mean 95.1 %), rejection 4.9 %, joint pre-trend test 5.0 %, linear 4.7 %; on the CI test's 200 (11000-11199):
92.0-96.5 % (mean 94.5 %), 5.5 %, 6.0 %, 5.0 %.  Two binomial standard errors at 200 panels are about 3 points.
The simultaneous band covered all seven coefficients in 97.0 % of the 300 panels at 20.
At 40 comparisons (slow, 300 panels): 95.3-97.7 % (mean 96.1 %), rejection 3.9 %, joint 4.7 %, linear 4.0 %.
At 97 (slow, 300 panels, 2026-12-06): 95.0-97.0 % (mean 95.9 %), rejection 4.1 %, joint 5.3 %, linear 2.3 %;
the simultaneous band covered all seven in 95.3 %.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation import event_study
from tests.estimators.test_pretrend import _panel


def stock_panel(seed: int, G: int, shock_sd: float = 0.5, present: float = 0.6, effect=None) -> pd.DataFrame:
    return _panel(seed, G, shock_sd, median=40, smallest=4, treated_size=100, present=present, effect=effect)


def test_on_a_balanced_panel_the_cross_section_variance_is_the_panels():
    """With every person in every year, municipality fixed effects give the person fixed effects' coefficients
    and each person's influence on the yearly means sums to the person's own contrast: every number of the
    result (estimates, standard errors, intervals, p-values, both pre-trend tests, the band, the sensitivity)
    is the panel's, to rounding.  A variance that treated the years as independent samples would differ."""
    d = _panel(7001, 21)
    a = event_study(d, "y", "year", "pid", "treated", 2015, "kom")
    b = event_study(d, "y", "year", "pid", "treated", 2015, "kom", panel=False)
    num = a.tidy().select_dtypes("number").columns
    np.testing.assert_allclose(b.tidy()[num].to_numpy(float), a.tidy()[num].to_numpy(float), rtol=1e-9, atol=1e-9)
    for key in ("statistic", "p_value"):
        assert b.extras["pretrend"][key] == pytest.approx(a.extras["pretrend"][key], rel=1e-9)
    assert b.extras["pretrend_linear"]["p_value"] == pytest.approx(a.extras["pretrend_linear"]["p_value"], rel=1e-9)
    assert b.extras["honest_rm"]["breakdown"] == pytest.approx(a.extras["honest_rm"]["breakdown"], rel=1e-9, abs=1e-12)
    assert b.method == "event study (TWFE, repeated cross sections)"
    assert any("repeated cross sections" in n for n in b.notes)


def test_a_municipality_s_contrast_variance_matches_its_spread_over_samples():
    """One municipality's stock drawn 400 times (200 persons, each in a year's stock with probability 0.6, a
    persistent person effect as large as the yearly noise): the estimated sampling variance of the contrast of
    its 2016 and 2014 means averages to the contrast's actual variance over the draws (within 15 %, twice its
    Monte Carlo error), where the variance that takes the two years as independent samples is about 1.45 times
    as large (the 36 % of persons in both years carry their own effect into both means; 0.30 against 0.21)."""
    from evaluation.estimators.event_study import _cross_section_contrast_variance

    rng = np.random.default_rng(3)
    contrast, est, naive = [], [], []
    for _ in range(400):
        n = 200
        y = rng.normal(0, 3, (n, 1)) + rng.normal(0, 3, (n, 2))
        inn = rng.random((n, 2)) < 0.6
        d = pd.DataFrame({"id": np.repeat(np.arange(n), 2), "e": np.tile([-1, 1], n), "y": y.ravel()})[inn.ravel()]
        m0, m1 = d[d.e == -1].y, d[d.e == 1].y
        contrast.append(m1.mean() - m0.mean())
        v = _cross_section_contrast_variance(d["id"], pd.Series(0, index=d.index), d["e"].to_numpy(), d["y"], -1)
        est.append(float(v({1: 1.0}).iloc[0]))
        naive.append(m1.var() / len(m1) + m0.var() / len(m0))
    actual = np.var(contrast, ddof=1)  # its own sampling error: sd about 7 % of it at 400 draws
    assert np.mean(est) == pytest.approx(actual, rel=0.15), (np.mean(est), actual)
    assert np.mean(naive) > 1.3 * actual, (np.mean(naive), actual)


def _rates(n_comparisons: int, reps: int, first: int = 11000) -> dict:
    cov, rej, joint, lin, band = [], [], [], [], []
    for s in range(reps):
        r = event_study(stock_panel(first + s, n_comparisons + 1), "y", "year", "pid", "treated", 2015, "kom",
                        panel=False)
        t = r.tidy()
        cov.append(((t.conf_low <= 0) & (0 <= t.conf_high)).to_numpy())
        band.append(bool(((t.conf_low_uniform <= 0) & (0 <= t.conf_high_uniform)).all()))
        rej.append((t.p_value <= 0.05).to_numpy())
        joint.append(r.extras["pretrend"]["p_value"] <= 0.05)
        lin.append(r.extras["pretrend_linear"]["p_value"] <= 0.05)
    return dict(each=np.mean(cov, axis=0), rejected=float(np.mean(rej)), joint=float(np.mean(joint)),
                linear=float(np.mean(lin)), band=float(np.mean(band)))


def _check(r: dict) -> None:
    assert 0.93 <= r["each"].mean() <= 0.97 and r["each"].min() >= 0.90, r
    assert 0.03 <= r["rejected"] <= 0.07, r
    assert 0.015 <= r["joint"] <= 0.09 and 0.015 <= r["linear"] <= 0.09, r


def test_cross_section_event_study_calibrated_at_20_comparisons():
    """200 simulated stocks with no effect, 20 comparison municipalities: each coefficient's interval covers
    93-97 % on average (none below 90 %), rejects 3-7 %, and both pre-trend tests reject 1.5-9 %."""
    _check(_rates(20, 200))


@pytest.mark.slow
@pytest.mark.parametrize("n_comparisons", [40, 97])
def test_cross_section_event_study_calibrated_at_40_and_97_comparisons(n_comparisons):
    _check(_rates(n_comparisons, 300))


def test_cross_section_event_study_recovers_a_planted_path():
    """A path of 0 before and 2, 4, 6 hours after the reform on the treated municipality's stock: over 20
    stocks each post-reform coefficient is centred on its truth (mean error within three of its Monte Carlo
    standard errors) and each interval covers it in most stocks; the leads stay near zero.  An event study
    that compared persons (person fixed effects) would estimate the same here, but one that ignored the
    treated municipality's own trend would not: the check is against the planted numbers (a coefficient
    shifted by one hour would be off by more than three Monte Carlo standard errors, about 0.6)."""
    path = {2015: 2.0, 2016: 4.0, 2017: 6.0}
    est, cover = [], []
    for s in range(20):
        t = event_study(stock_panel(12000 + s, 21, effect=path), "y", "year", "pid", "treated", 2015, "kom",
                        panel=False).tidy().set_index("term")
        truth = pd.Series({f"e={y - 2015}": path.get(y, 0.0) for y in range(2010, 2018) if y != 2014})
        est.append(t.estimate - truth)
        cover.append((t.conf_low <= truth) & (truth <= t.conf_high))
    err = pd.DataFrame(est)
    mcse = err.std(ddof=1) / np.sqrt(len(err))
    assert (err.mean().abs() <= 3 * mcse).all(), (err.mean(), mcse)
    assert (pd.DataFrame(cover).mean() >= 0.8).all(), pd.DataFrame(cover).mean()
