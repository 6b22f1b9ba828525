"""Synthetic DiD on Proposition 99 against Arkhangelsky et al. (2021, AER), Table 1
(SDID -15.6, placebo standard error 8.4), and against synthdid-py, a port of the
reference R package (Frank-Wolfe solver with sparsification)."""

import numpy as np
import pandas as pd
import pytest
import synthdid

from evaluation.estimators.synthetic_did import synthetic_did
from tests.estimators.reference_data import prop99


@pytest.fixture(scope="module")
def fit():
    return synthetic_did(prop99(), "State", "Year", "PacksPerCapita", "California", 1989)


def test_published_estimate_and_se(fit):
    t = fit.tidy().iloc[0]
    assert t["estimate"] == pytest.approx(-15.6, abs=0.05)
    # the placebo standard error is random; 200 replications give a relative error near 5 %
    assert t["std_error"] == pytest.approx(8.4, rel=0.15)


def test_same_as_reference_package(fit):
    d = prop99()
    panel = synthdid.panel_matrices(d, unit="State", time="Year", outcome="PacksPerCapita", treatment="treated")
    ref = synthdid.synthdid_estimate(panel.Y, panel.N0, panel.T0)
    assert fit.tidy()["estimate"].iloc[0] == pytest.approx(float(ref), abs=0.005)  # FW vs exact: -15.6038
    lam = fit.extras["time_weights"]
    assert lam.loc[[1986, 1987, 1988]].round(3).tolist() == [0.366, 0.206, 0.427]
    assert lam.loc[:1985].sum() == pytest.approx(0, abs=1e-6)


def test_placebo_is_reproducible(fit):
    again = synthetic_did(prop99(), "State", "Year", "PacksPerCapita", "California", 1989)
    assert np.array_equal(fit.extras["placebo_estimates"], again.extras["placebo_estimates"])


def test_bad_input():
    d = prop99()
    with pytest.raises(ValueError, match="treated unit 'Atlantis'"):
        synthetic_did(d, "State", "Year", "PacksPerCapita", "Atlantis", 1989)
    with pytest.raises(ValueError, match="more than one row"):
        synthetic_did(d.assign(Year=1989), "State", "Year", "PacksPerCapita", "California", 1989)


def _unit_panel(seed=3, N=25, T=8):
    rng = np.random.default_rng(seed)
    n = rng.integers(20, 400, N)
    y = rng.normal(0, 1, N)[:, None] * 5 + np.arange(T)[None, :] + rng.normal(0, 1, (N, T)) * 30 / np.sqrt(n)[:, None]
    y[0, 5:] += 3.0
    d = pd.DataFrame({"u": np.repeat(np.arange(N), T), "t": np.tile(np.arange(T), N), "y": y.ravel(),
                      "n": np.repeat(n, T), "v": np.repeat(900.0 / n, T)})
    return d


@pytest.mark.parametrize("post_weights", [None, "pw"])
@pytest.mark.parametrize("which", ["sdid", "sc"])
def test_contrast_variance_with_independent_years_equals_sampling_var(which, post_weights):
    """The persons-based variance hook, fed the independent-years variance, reproduces the
    sampling_var path exactly: the contrast weights are the ones the estimator uses (also with
    unequal post-period weights)."""
    from evaluation.estimators.synthetic_control import synthetic_control

    d = _unit_panel().assign(pw=lambda x: 1.0 + x.t % 3)
    V = d.pivot(index="u", columns="t", values="v")

    def diag(u, a):
        return float(sum(w**2 * V.loc[u, t] for t, w in a.items()))

    f = synthetic_did if which == "sdid" else (lambda *a, **k: synthetic_control(*a, leave_one_out=False, **k))
    r1 = f(d, "u", "t", "y", 0, 5, size="n", sampling_var="v", post_weights=post_weights).tidy().iloc[0]
    r2 = f(d, "u", "t", "y", 0, 5, size="n", contrast_variance=diag, post_weights=post_weights).tidy().iloc[0]
    assert r2.estimate == r1.estimate and r2.p_value == r1.p_value
    for c in ["std_error", "conf_low", "conf_high"]:  # through the between-variance optimiser (tolerance 1e-10)
        assert r2[c] == pytest.approx(r1[c], rel=1e-6), c


def test_person_contrast_variance_respects_the_same_persons_across_years():
    """A cohort whose persons differ a lot and persist: the variance of the post-minus-pre contrast
    is far below the independent-years sum, and equals var(person contrast) / persons."""
    from evaluation.specifications import person_contrast_variance

    rng = np.random.default_rng(0)
    P, T = 400, 6
    eff = rng.normal(0, 10, P)[:, None] + rng.normal(0, 1, (P, T))
    rows = pd.DataFrame({"PNR": np.repeat(np.arange(P), T), "year": np.tile(np.arange(2010, 2010 + T), P),
                         "group_kom": 1, "hours": eff.ravel()})
    a = {2010: -1 / 3, 2011: -1 / 3, 2012: -1 / 3, 2013: 1 / 3, 2014: 1 / 3, 2015: 1 / 3}
    v = person_contrast_variance(rows, "hours")(1, a)
    w = np.array(list(a.values()))
    assert v == pytest.approx(np.var(eff @ w, ddof=1) / P, rel=1e-12)
    independent = sum(wi**2 * np.var(eff[:, t], ddof=1) / P for t, wi in enumerate(w))
    assert v < 0.05 * independent


@pytest.mark.parametrize("which", ["sdid", "sc"])
def test_post_weights_target_the_weighted_average_of_the_periods(which):
    """post_weights define the estimand: all weight on one post period gives the estimate of the panel cut to
    the pre-periods and that period (for SDiD the time weights then target that period too); for synthetic
    control, whose weights come from the pre-periods alone, the estimate is the weighted mean of the yearly
    gaps.  Equal weights reproduce the default."""
    from evaluation.estimators.synthetic_control import synthetic_control

    d = _unit_panel(seed=5)
    d["y"] = d.y + np.where((d.u == 0) & (d.t >= 5), 4.0 * (d.t - 4), 0.0)  # an effect that grows: 4, 8, 12
    f = synthetic_did if which == "sdid" else (lambda *a, **k: synthetic_control(*a, leave_one_out=False, **k))

    def est(data, **kw):
        return float(f(data, "u", "t", "y", 0, 5, size="n", sampling_var="v", **kw).tidy().estimate.iloc[0])

    equal = est(d)
    assert est(d.assign(w=2.5), post_weights="w") == pytest.approx(equal, abs=1e-10)
    one = {t: est(d.assign(w=(d.t == t).astype(float)), post_weights="w") for t in (5, 6, 7)}
    for t in (5, 6, 7):
        cut = d[(d.t < 5) | (d.t == t)].assign(t=lambda x: x.t.clip(upper=5))  # that period, relabelled 5
        assert one[t] == pytest.approx(est(cut), abs=1e-8), t
    assert one[7] - one[5] > 4  # the growing effect is visible, so the periods really are told apart
    if which == "sc":
        w = d.assign(w=np.where(d.t == 5, 1.0, np.where(d.t == 6, 3.0, 6.0)))
        assert est(w, post_weights="w") == pytest.approx((one[5] + 3 * one[6] + 6 * one[7]) / 10, abs=1e-10)
        # the RMSPE-ratio test (no sizes) is inverted for a constant effect: post RMSPE(tau)^2 = var(gap) +
        # (mean gap - tau)^2, so its interval is centred on the unweighted mean gap whatever the weights
        # (nine donors and an 80 % interval: a pre-period fit that is not exact, and an interval that exists)
        r = synthetic_control(w[w.u < 10], "u", "t", "y", 0, 5, post_weights="w", leave_one_out=False, alpha=0.2)
        t, gap = r.tidy().iloc[0], r.extras["path"].set_index("t").gap.loc[5:]
        assert np.isfinite(t.conf_low) and np.isfinite(t.conf_high) and abs(gap.mean() - t.estimate) > 1
        assert (t.conf_low + t.conf_high) / 2 == pytest.approx(gap.mean(), abs=1e-9)
        assert t.estimate == pytest.approx(np.average(gap, weights=[1, 3, 6]), abs=1e-9)
    with pytest.raises(ValueError, match=r"post_weights 'w' of the treated unit 0 are missing or negative in \[6\]"):
        est(d.assign(w=np.where(d.t == 6, -1.0, 1.0)), post_weights="w")
    with pytest.raises(ValueError, match="zero in every post period"):
        est(d.assign(w=0.0), post_weights="w")


def _cps_one_state(state: str = "NY", year0: int = 2005) -> pd.DataFrame:
    """synthdid-py's CPS state panel (1979-2018, the data of Arkhangelsky et al.'s placebo studies): log wage
    with the state's unemployment rate as a time-varying covariate, one state given a pseudo-reform."""
    from importlib import resources

    d = pd.read_csv(resources.files("synthdid").joinpath("data/CPS.csv"), sep=";")
    return d[d.year >= 1995].assign(n=1.0)


def test_covariates_residualise_as_the_paper_proposes():
    """Covariates (Arkhangelsky et al. 2021, section 6): beta from the two-way fixed-effects regression on the
    untreated cells, equal to pyfixest's on the same cells; the estimate equals synthetic DiD on the outcome
    minus the covariate's part (our code without covariates) and synthdid-py's on that residualised matrix
    (its Frank-Wolfe solver against our exact one, as on Proposition 99)."""
    import pyfixest as pf

    d = _cps_one_state()
    res = synthetic_did(d, "state", "year", "log_wage", "NY", 2005, covariates=["urate"], size="n")
    beta = float(res.extras["beta"]["urate"])
    untreated = d[~((d.state == "NY") & (d.year >= 2005))]
    ref_beta = float(pf.feols("log_wage ~ urate | state + year", data=untreated).coef()["urate"])
    assert beta == pytest.approx(ref_beta, rel=1e-8)
    r = d.assign(resid=d.log_wage - beta * d.urate)
    ours = synthetic_did(r, "state", "year", "resid", "NY", 2005, size="n").tidy().iloc[0]
    assert res.tidy().estimate.iloc[0] == pytest.approx(ours.estimate, abs=1e-10)
    r["treated"] = (r.state == "NY") & (r.year >= 2005)
    panel = synthdid.panel_matrices(r, unit="state", time="year", outcome="resid", treatment="treated")
    ref = float(synthdid.synthdid_estimate(panel.Y, panel.N0, panel.T0))
    assert res.tidy().estimate.iloc[0] == pytest.approx(ref, abs=2e-3)  # log points; the estimate is about 0.02


def test_covariates_remove_a_confounder_outside_the_donors_range():
    """The treated unit's covariate trends away from every donor's (so no weighting of the donors can follow
    it) and moves the outcome by 3 per unit: without the covariate synthetic DiD is off by about the
    covariate's excess; with it the planted effect 5 is recovered to within 3 standard deviations of the
    noise's effect on it (about 0.3 here)."""
    rng = np.random.default_rng(3)
    N, years = 30, np.arange(2000, 2020)
    t = years - years[0]
    x = rng.normal(0, 1, (N, 1)) * t / 10 + rng.normal(0, 0.3, (N, len(years)))
    x[0] += 0.3 * t  # the treated unit's covariate rises faster than any donor's
    y = rng.normal(0, 2, (N, 1)) + np.sin(t / 3.0) + 3.0 * x + rng.normal(0, 0.5, (N, len(years)))
    y[0, years >= 2015] += 5.0
    d = pd.DataFrame({"u": np.repeat(np.arange(N), len(years)), "t": np.tile(years, N), "y": y.ravel(),
                      "x": x.ravel(), "n": 1.0})
    plain = synthetic_did(d, "u", "t", "y", 0, 2015, size="n").tidy().estimate.iloc[0]
    adj = synthetic_did(d, "u", "t", "y", 0, 2015, size="n", covariates=["x"])
    assert abs(plain - 5.0) > 2.0  # the confounder is real
    assert adj.tidy().estimate.iloc[0] == pytest.approx(5.0, abs=1.0)
    assert float(adj.extras["beta"]["x"]) == pytest.approx(3.0, abs=0.1)


def test_covariate_errors_name_the_column_and_cell():
    d = _cps_one_state()
    with pytest.raises(ValueError, match="covariate 'nope' is not in the data"):
        synthetic_did(d, "state", "year", "log_wage", "NY", 2005, covariates=["nope"])
    bad = d.copy()
    bad.loc[(bad.state == "TX") & (bad.year == 2001), "urate"] = np.nan
    with pytest.raises(ValueError, match=r"covariate 'urate' is missing or not finite for state='TX', year=2001"):
        synthetic_did(bad, "state", "year", "log_wage", "NY", 2005, covariates=["urate"])
    with pytest.raises(ValueError, match="absorbed"):
        synthetic_did(d.assign(c=d.year * 2.0), "state", "year", "log_wage", "NY", 2005, covariates=["c"])


class _SDIDUnitModel:
    """Synthetic DiD's unit-weight model (intercept, ridge penalty T zeta^2) in pysyncon's interface, so that
    pysyncon's ConformalInference runs the same model through its own test inversion."""

    def __init__(self, zeta: float):
        self.zeta, self.W = zeta, None

    def fit(self, Z0, Z1, **kw):
        from evaluation.estimators.synthetic_did import _ridge_simplex

        A, b = Z0.to_numpy(float), Z1.to_numpy(float)
        self.W = _ridge_simplex(A - A.mean(axis=0), b - b.mean(), len(b) * self.zeta**2)
        self.mu = float(b.mean() - A.mean(axis=0) @ self.W)  # the intercept, from the fitting periods

    def _gaps(self, Z0, Z1):
        return Z1 - Z0 @ self.W - self.mu


def test_conformal_inference_agrees_with_pysyncon_and_the_smoking_ban():
    """Conformal inference (Chernozhukov, Wüthrich & Zhu 2021) with synthetic DiD's unit-weight model on
    Proposition 99: our per-period intervals and pysyncon's ConformalInference (same model through its own
    inversion) agree to 1e-2 packs; every year from 1993 rejects no effect at the smallest attainable p-value
    (1/20), 1991 and 1992 at 1/10."""
    from pysyncon.inference import ConformalInference

    d = prop99()
    r = synthetic_did(d, "State", "Year", "PacksPerCapita", "California", 1989, inference="conformal", alpha=0.1,
                      replications=20)
    wide = d.pivot(index="Year", columns="State", values="PacksPerCapita")
    pre, post = list(range(1970, 1989)), list(range(1989, 2001))
    Z1, Z0 = wide["California"], wide.drop(columns="California")
    zeta = len(post) ** 0.25 * float(np.std(np.diff(Z0.loc[pre].to_numpy().T, axis=1), ddof=1))
    m = _SDIDUnitModel(zeta)
    m.fit(Z0.loc[pre], Z1.loc[pre])
    ref = ConformalInference().confidence_intervals(alpha=0.1, scm=m, Z0=Z0, Z1=Z1, pre_periods=pre,
                                                    post_periods=post, tol=1e-4, verbose=False, max_iter=200)
    cp = r.extras["conformal_periods"].set_index("period")
    assert np.abs(cp.conf_low.to_numpy() - ref["lower_ci"].to_numpy()).max() < 1e-2
    assert np.abs(cp.conf_high.to_numpy() - ref["upper_ci"].to_numpy()).max() < 1e-2
    assert np.allclose(cp.loc[1993:, "p_value"], 1 / 20) and (cp.loc[1991:, "p_value"] <= 0.1 + 1e-12).all()
    t = r.tidy().iloc[0]
    assert "conformal" in t.inference and t.conf_low < t.estimate < t.conf_high
    # the estimate is the tested model's average gap; synthetic DiD's own (-15.6) is kept beside it
    assert t.estimate == pytest.approx(cp.effect.mean(), abs=1e-9)
    assert r.extras["estimator_estimate"] == pytest.approx(-15.6, abs=0.05)
    # the average: the intercept absorbs part of a constant effect in 12 of 31 years, so the test of no effect
    # at all does not reject (p = 9/31) and effects far from the estimate are accepted again; the interval is the
    # hull of every effect not rejected (checked on a grid of its own), said in a note
    from evaluation.estimators.conformal import constant_p_value

    Y = np.column_stack([wide["California"].to_numpy(float), Z0.to_numpy(float)])
    assert t.p_value == pytest.approx(constant_p_value(Y[:, 0], Y[:, 1:], 19, 0.0, zeta), abs=1e-12)
    assert t.p_value == pytest.approx(9 / 31) and t.conf_low <= 0 <= t.conf_high
    grid = np.linspace(-400, 300, 141)
    accepted = grid[[constant_p_value(Y[:, 0], Y[:, 1:], 19, c, zeta) > 0.1 for c in grid]]
    assert t.conf_low <= accepted.min() and accepted.max() <= t.conf_high
    assert any("hull" in n for n in r.notes)
    with pytest.raises(ValueError, match="inference must be 'placebo' or 'conformal'"):
        synthetic_did(d, "State", "Year", "PacksPerCapita", "California", 1989, inference="bootstrap")
