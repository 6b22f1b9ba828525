"""Factor models for one treated unit (evaluation.estimators.factor): interactive fixed effects
(generalised synthetic control) and DiD with unit-specific cycle slopes.

No Python implementation of gsynth is on PyPI and R is not reachable here, so the reference checks
are exact ones: on a noise-free factor panel the estimators must return the planted effect to
rounding error (a wrong projection, a factor left out or a loading fitted on the wrong periods
would not), and the cycle-slope estimate must equal the ordinary least-squares projection written
out by hand.  Their inference is checked by simulation at the group sizes the pipeline uses."""

import numpy as np
import pandas as pd
import pytest

from evaluation.estimators.factor import cycle_slopes, interactive_fe
from tests.estimators.factor_dgp import accumulated_cycle, covariate_panel, factor_panel, national_series, twfe


def test_noise_free_factor_panel_is_recovered_exactly():
    d = factor_panel(3, n_controls=40, tau=12.5, person_sd=0.0, treated_loading=1.8)
    res = interactive_fe(d, "kom", "year", "y", 0, 2015, r=2)
    assert res.tidy().estimate.iloc[0] == pytest.approx(12.5, abs=1e-8)
    assert np.allclose(res.extras["path"].effect.iloc[:5], 0, atol=1e-8)  # the pre-period fits exactly
    assert np.allclose(res.extras["effects_by_period"].effect, 12.5, atol=1e-8)
    # cross-validation finds the two factors (a third cannot be fitted on five pre periods with a
    # degree of freedom to spare)
    assert interactive_fe(d, "kom", "year", "y", 0, 2015).extras["n_factors"] == 2
    # the two-way fixed-effects DiD is off by the treated unit's extra exposure to the cycle
    assert abs(twfe(d) - 12.5) > 10
    # cycle slopes with the true cycle as the known factor (no second factor)
    d1 = factor_panel(3, n_controls=40, tau=12.5, person_sd=0.0, second_factor=0.0)
    A = pd.Series(accumulated_cycle(), index=range(2010, 2020))
    assert cycle_slopes(d1, "kom", "year", "y", 0, 2015, cycle=A, lags=0).tidy().estimate.iloc[0] == \
        pytest.approx(12.5, abs=1e-8)


def test_cycle_slopes_is_the_least_squares_projection():
    d = factor_panel(5, n_controls=30)
    U = national_series()
    res = cycle_slopes(d, "kom", "year", "y", 0, 2015, cycle=U, lags=1)
    w = d.pivot(index="kom", columns="year", values="y")
    dev = w.loc[0] - w.drop(0).mean()
    X = np.column_stack([np.ones(10), U.to_numpy(), U.shift(1).fillna(U.iloc[0]).to_numpy()])
    X[:, 1:] -= X[:5, 1:].mean(axis=0)
    coef, *_ = np.linalg.lstsq(X[:5], dev.to_numpy()[:5], rcond=None)
    by_hand = float(np.mean(dev.to_numpy()[5:] - X[5:] @ coef))
    assert res.tidy().estimate.iloc[0] == pytest.approx(by_hand, rel=1e-10)


def test_interactive_fe_recovers_the_effect_where_twfe_fails():
    """The treated unit loads 1.6 times on the accumulated cycle, the comparison units 1 +- 0.3:
    over 60 panels the interactive-fixed-effects estimate with the model's two factors is centred on
    the effect (its bias below a quarter of its spread), the two-way fixed-effects DiD is not.

    With the number of factors chosen by cross-validation over five pre-reform years, one factor or
    none is sometimes chosen, and the estimate then leans towards the DiD's (a bias of about 0.4 of
    its spread in this panel, 0.2 with 97 units and no outlying loading): why ``factors`` can be fixed
    in a specification, and why the Monte Carlo of the synthetic world, not this panel, decides."""
    ife, tw = [], []
    for s in range(60):
        d = factor_panel(200 + s, n_controls=97, tau=10.0)
        ife.append(interactive_fe(d, "kom", "year", "y", 0, 2015, r=2,
                                  sampling_var="var_mean").tidy().estimate.iloc[0])
        tw.append(twfe(d))
    ife, tw = np.array(ife) - 10, np.array(tw) - 10
    assert abs(ife.mean()) < 0.25 * ife.std()
    assert abs(ife.mean()) < 3 * ife.std() / np.sqrt(len(ife))
    assert tw.mean() > 15 and tw.mean() > 10 * tw.std() / np.sqrt(len(tw))


def _size(n_controls: int, reps: int, exchangeable: bool, estimator=interactive_fe, panel=factor_panel,
          **kw) -> tuple[float, int]:
    rej, unavailable = 0, 0
    for s in range(reps):
        d = panel(5000 + s, n_controls=n_controls, tau=0.0, exchangeable=exchangeable)
        t = estimator(d, "kom", "year", "y", 0, 2015, sampling_var="var_mean", **kw).tidy().iloc[0]
        rej += t.p_value <= 0.05
        unavailable += not np.isfinite(t.conf_low)
    return rej / reps, unavailable


@pytest.mark.parametrize("n_controls", [20, 40])
def test_interactive_fe_placebo_test_has_its_size(n_controls):
    """No effect, comparison units of sizes 20 to 2,000 persons (a hundredfold apart): the normalised
    placebo test rejects at 5 % in 3-7 % of 400 panels (binomial standard error 1.1 points).  The
    interval is the inverted test, so its coverage is one minus this rate."""
    rate, _ = _size(n_controls, 400, exchangeable=True)
    assert 0.03 <= rate <= 0.07, rate


def test_ten_comparison_units_give_no_95_percent_interval():
    d = factor_panel(1, n_controls=10)
    res = interactive_fe(d, "kom", "year", "y", 0, 2015, sampling_var="var_mean")
    t = res.tidy().iloc[0]
    assert np.isnan(t.conf_low) and np.isnan(t.conf_high)
    assert t.p_value >= 1 / 11  # the smallest attainable p-value with 10 placebos
    assert any("no finite 95 % interval" in n for n in res.notes)


@pytest.mark.slow
@pytest.mark.parametrize("n_controls", [20, 40, 97])
def test_factor_inference_calibration_full(n_controls):
    """1,000 panels per case (binomial standard error 0.7 points)."""
    rate, _ = _size(n_controls, 1000, exchangeable=True, r=2)
    assert 0.03 <= rate <= 0.07, rate


@pytest.mark.parametrize("n_controls,reps", [(20, 400), pytest.param(40, 1000, marks=pytest.mark.slow),
                                              pytest.param(97, 1000, marks=pytest.mark.slow)])
def test_cycle_slopes_placebo_test_has_its_size(n_controls, reps):
    """Municipality-specific slopes on the national unemployment rate (no lags, as the pipeline's
    specification), the same panels: 5.4 %, 5.0 % and 4.1 % at 20, 40 and 97 comparison units on 1,000 panels
    each (2026-12-07); the CI case at 20 takes 400 panels (binomial standard error 1.1 points)."""
    rate, unavailable = _size(n_controls, reps, exchangeable=True, estimator=cycle_slopes, cycle=national_series(),
                              lags=0)
    assert unavailable == 0 and 0.03 <= rate <= 0.07, rate


@pytest.mark.slow
def test_placebo_inference_with_an_atypical_treated_unit():
    """Placebo in space assumes the treated unit's estimation error is distributed like the comparison
    units'.  A treated unit whose cycle loading (1.6) lies outside theirs (1 +- 0.3) has a larger error
    from the estimated factors: with 97 comparison units the test keeps its size, with 20 it does not
    (about 15 % at 5 %), which the report's notes must say when few comparisons are used."""
    assert 0.03 <= _size(97, 1000, exchangeable=False, r=2)[0] <= 0.07
    assert _size(20, 400, exchangeable=False, r=2)[0] > 0.09


def test_results_protocol_and_aggregates_only():
    d = factor_panel(7, n_controls=25)
    res = interactive_fe(d, "kom", "year", "y", 0, 2015, sampling_var="var_mean", post_weights="n_persons")
    t = res.tidy()
    assert list(t.columns[:4]) == ["method", "outcome", "term", "estimate"] and len(t) == 1
    assert "interactive fixed effects" in res.summary() and "<table" in res._repr_html_()
    assert res.conf_int().shape == (1, 2)
    assert len(res.extras["path"]) == 10 and len(res.extras["effects_by_period"]) == 5
    assert len(res.extras["placebo_estimates"]) == 25  # one number per comparison unit, no rows of data


def test_errors_name_the_problem():
    d = factor_panel(8, n_controls=12)
    with pytest.raises(ValueError, match=r"cycle_slopes: 5 pre-reform periods; 6 are needed for 4 cycle"):
        cycle_slopes(d, "kom", "year", "y", 0, 2015, cycle=national_series(), lags=3)
    with pytest.raises(ValueError, match=r"cycle_slopes: the cycle series has no value for periods \[2019\]"):
        cycle_slopes(d, "kom", "year", "y", 0, 2015, cycle=national_series().drop(2019))
    with pytest.raises(ValueError, match=r"interactive_fe: 2 comparison unit\(s\); at least 3"):
        interactive_fe(d[d.kom <= 2], "kom", "year", "y", 0, 2015)
    with pytest.raises(ValueError, match=r"interactive_fe: column 'persons' \(post_weights\) is not in the data"):
        interactive_fe(d, "kom", "year", "y", 0, 2015, post_weights="persons")


def test_covariate_model_is_recovered_exactly_where_the_factors_alone_fail():
    """Noise-free panel: the treated unit's covariate rides the cycle 2.5 times as hard as the typical unit's,
    and the cycle barely moves before the reform.  With the covariate (gsynth's X) and the one true factor the
    effect and beta come back to rounding error; the factor model alone (no factor, the true one or two by
    cross-validation) is off by more than a quarter of the covariate's excess change times beta, and the two-way
    fixed-effects DiD by all of it (with no second factor, exactly)."""
    d = covariate_panel(3, n_controls=40, tau=12.5, beta=-8.0)
    res = interactive_fe(d, "kom", "year", "y", 0, 2015, r=1, covariates=["x"])
    assert res.tidy().estimate.iloc[0] == pytest.approx(12.5, abs=1e-6)
    assert res.extras["covariate_coefficients"]["x"] == pytest.approx(-8.0, abs=1e-7)
    assert np.allclose(res.extras["effects_by_period"].effect, 12.5, atol=1e-6)
    assert res.extras["n_factors"] == 1 and "covariates x (coefficient -8, jackknife standard error" in " ".join(res.notes)
    assert "with covariates x" in res.method
    # cross-validation finds the one factor with the covariate in
    assert interactive_fe(d, "kom", "year", "y", 0, 2015, covariates=["x"]).extras["n_factors"] == 1
    x = d.pivot(index="kom", columns="year", values="x")
    excess = -8.0 * ((x.loc[0, 2015:].mean() - x.loc[0, :2014].mean())
                     - (x.drop(0).loc[:, 2015:].mean(axis=1) - x.drop(0).loc[:, :2014].mean(axis=1)).mean())
    assert excess > 5  # the boom lowers the treated unit's covariate more: its outcome rises more
    for r in (0, 1, None):  # none, the true one, cross-validated (two: the second soaks up part of x's cycle)
        off = interactive_fe(d, "kom", "year", "y", 0, 2015, r=r).tidy().estimate.iloc[0] - 12.5
        assert abs(off) > 0.25 * excess
    assert twfe(d) - 12.5 > 0.5 * excess
    # without the second factor the DiD's error is exactly the covariate's excess change times beta
    d0 = covariate_panel(3, n_controls=40, tau=12.5, beta=-8.0, second_factor=0.0)
    x0 = d0.pivot(index="kom", columns="year", values="x")
    excess0 = -8.0 * ((x0.loc[0, 2015:].mean() - x0.loc[0, :2014].mean())
                      - (x0.drop(0).loc[:, 2015:].mean(axis=1) - x0.drop(0).loc[:, :2014].mean(axis=1)).mean())
    assert twfe(d0) - 12.5 == pytest.approx(excess0, rel=1e-8)


def test_covariate_model_without_factors_is_the_two_way_fixed_effects_regression_on_the_comparisons():
    """r = 0: beta is the two-way fixed-effects least-squares coefficient on the comparison units' panel
    (pyfixest's feols, the reference), and the effect is the DiD of y - x beta written out by hand."""
    import pyfixest as pf

    d = covariate_panel(11, n_controls=30, person_sd=30.0)
    res = interactive_fe(d, "kom", "year", "y", 0, 2015, r=0, covariates=["x"])
    b = float(pf.feols("y ~ x | kom + year", data=d[d.kom != 0]).coef()["x"])
    assert res.extras["covariate_coefficients"]["x"] == pytest.approx(b, rel=1e-8)
    w = (d.assign(z=d.y - b * d.x)).pivot(index="kom", columns="year", values="z")
    pre, post = [c for c in w.columns if c < 2015], [c for c in w.columns if c >= 2015]
    dev = w.loc[0] - w.drop(0).mean()
    assert res.tidy().estimate.iloc[0] == pytest.approx(float(dev[post].mean() - dev[pre].mean()), rel=1e-8)


@pytest.mark.parametrize("n_controls", [20, 40])
def test_covariate_model_placebo_test_has_its_size(n_controls):
    """No effect, exchangeable units, a covariate in the model, unit sizes a hundredfold apart: the normalised
    placebo test (beta re-estimated without each placebo unit) rejects at 5 % in 3-7 % of 400 panels."""
    rate, _ = _size(n_controls, 400, exchangeable=True, panel=lambda s, **k: covariate_panel(s, person_sd=30.0, **k),
                    covariates=["x"])
    assert 0.03 <= rate <= 0.07, rate


@pytest.mark.parametrize("n_controls", [20, 40])
def test_covariate_model_placebo_test_has_its_size_where_the_treated_unit_rides_the_cycle_harder(n_controls, monkeypatch):
    """No effect; the treated unit's covariate rides the cycle 2.5 times as hard as the typical unit's (five of the
    comparison units' standard deviations out), as Hjørring's measured unemployment does in the Monte Carlo. beta's
    estimation error then moves the treated unit's estimate by far more than any placebo's, so it must be in the
    normalisation: with it the test rejects in 3-7 % of 400 panels; without it (beta's variance set to zero) in
    over 10 % (15 % at 40 comparison units when this was written)."""
    from evaluation.estimators import factor

    def panel(s, **k):
        return covariate_panel(s, person_sd=30.0, treated_kappa=2.5, **k)

    rate, _ = _size(n_controls, 400, exchangeable=False, panel=panel, covariates=["x"])
    assert 0.03 <= rate <= 0.07, rate
    if n_controls == 40:
        monkeypatch.setattr(factor, "_beta_variance", lambda betas: np.zeros((1, 1)))
        without, _ = _size(n_controls, 200, exchangeable=False, panel=panel, covariates=["x"])
        assert without > 0.10, without


def test_covariate_errors_name_the_problem():
    d = covariate_panel(8, n_controls=12)
    with pytest.raises(ValueError, match=r"interactive_fe: covariate 'z' is not in the data"):
        interactive_fe(d, "kom", "year", "y", 0, 2015, covariates=["z"])
    bad = d.copy()
    bad.loc[(bad.kom == 4) & (bad.year == 2012), "x"] = np.nan
    with pytest.raises(ValueError, match=r"interactive_fe: covariate 'x' is missing for kom=4, year=2012"):
        interactive_fe(bad, "kom", "year", "y", 0, 2015, covariates=["x"])
    national = d.assign(u=d.year.map(national_series()))
    with pytest.raises(ValueError, match=r"covariate 'u' varies only by unit or by period"):
        interactive_fe(national, "kom", "year", "y", 0, 2015, covariates=["u"])
