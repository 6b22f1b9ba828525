"""Synthetic control on California's Proposition 99.

References: Abadie, Diamond & Hainmueller (2010, JASA), Table 2 (donor weights),
the text (per-capita sales "about 26 packs" below synthetic California by 2000) and
Figure 8 (California's post/pre RMSPE ratio ranks first of 39).  Their predictors
include covariates (income, prices, beer, youth share) that the shipped data lack;
with the outcome in every pre-period as predictors the same donors carry the weight
and the gap matches, while two states with almost perfect pre-period fits (Missouri,
Virginia: pre-RMSPE under one pack) overtake California's ratio, so the rank is 3.
Arkhangelsky et al. (2021, AER) Table 1 report the SC estimate -19.6 on this data.
"""

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize

from evaluation.estimators.synthetic_control import simplex_weights, synthetic_control
from tests.estimators.reference_data import prop99

ADH_DONORS = {"Utah": 0.394, "Nevada": 0.234, "Montana": 0.199, "Colorado": 0.164, "Connecticut": 0.069}


@pytest.fixture(scope="module")
def fit():
    return synthetic_control(prop99(), "State", "Year", "PacksPerCapita", "California", 1989, in_time_placebo=5)


def test_weights_are_adh_donors(fit):
    w = fit.extras["weights"]
    assert w.min() >= 0 and w.sum() == pytest.approx(1.0, abs=1e-9)
    assert w.idxmax() == "Utah" and w["Utah"] == pytest.approx(ADH_DONORS["Utah"], abs=0.03)
    assert w[list(ADH_DONORS)].sum() > 0.9  # ADH's five donors carry the synthetic California
    assert (w > 0.01).sum() <= 7  # sparse, as in ADH


def test_gap_in_2000_and_att(fit):
    path = fit.extras["path"].set_index("Year")
    assert path.loc[2000, "gap"] == pytest.approx(-26, abs=2.0)  # "about 26 packs"
    assert fit.tidy()["estimate"].iloc[0] == pytest.approx(-19.6, abs=0.5)  # Arkhangelsky et al. Table 1
    assert fit.extras["pre_rmspe"] < 2.0  # ADH: a close pre-period fit


def test_placebo_rank_and_p_value(fit):
    plac = fit.extras["placebos"]
    assert len(plac) == 38
    assert fit.extras["rank"] <= 3
    assert fit.tidy()["p_value"].iloc[0] == pytest.approx(fit.extras["rank"] / 39)
    ahead = plac.nlargest(fit.extras["rank"] - 1, "ratio")
    assert set(ahead["unit"]) <= {"Missouri", "Virginia"} and (ahead["pre_rmspe"] < 1.0).all()


def test_in_time_placebo_and_leave_one_out(fit):
    itp = fit.extras["in_time_placebo"]
    assert itp["fake_treatment_time"] == 1984
    assert abs(itp["att"]) < 5  # no effect before the law
    loo = fit.extras["leave_one_out"]
    assert set(loo["dropped"]) == set(fit.extras["weights"][fit.extras["weights"] > 1e-6].index)
    assert loo["att"].between(-24, -15).all()  # no single donor drives the estimate


def test_inner_problem_matches_a_general_qp_solver():
    rng = np.random.default_rng(3)
    X0 = rng.normal(size=(6, 15))
    x1 = X0[:, :4] @ np.array([0.1, 0.5, 0.2, 0.2]) + rng.normal(scale=0.3, size=6)
    v = rng.dirichlet(np.ones(6))
    w = simplex_weights(X0, x1, v)
    obj = lambda z: (x1 - X0 @ z) @ (v * (x1 - X0 @ z))  # noqa: E731
    ref = minimize(obj, np.full(15, 1 / 15), method="SLSQP", bounds=[(0, 1)] * 15,
                   constraints={"type": "eq", "fun": lambda z: z.sum() - 1}, options={"ftol": 1e-14, "maxiter": 1000})
    assert obj(w) <= ref.fun + 1e-9
    assert np.abs(w - ref.x).max() < 1e-4


def test_bad_input():
    d = prop99()
    with pytest.raises(ValueError, match="treated unit 'Atlantis' is not in column 'State'"):
        synthetic_control(d, "State", "Year", "PacksPerCapita", "Atlantis", 1989)
    with pytest.raises(ValueError, match="1 pre-treatment period"):
        synthetic_control(d, "State", "Year", "PacksPerCapita", "California", 1971)
    with pytest.raises(ValueError, match="not evenly spaced"):
        synthetic_control(d[d.Year != 1980], "State", "Year", "PacksPerCapita", "California", 1989)
    with pytest.raises(ValueError, match="no donors left"):
        synthetic_control(d[d.State == "California"], "State", "Year", "PacksPerCapita", "California", 1989)
    with pytest.raises(ValueError, match="constant"):
        synthetic_control(d.assign(PacksPerCapita=1.0), "State", "Year", "PacksPerCapita", "California", 1989)
    with pytest.warns(UserWarning, match="unbalanced: dropping 1 donor"):
        synthetic_control(d[~((d.State == "Utah") & (d.Year == 1990))], "State", "Year", "PacksPerCapita",
                          "California", 1989, placebo=False, leave_one_out=False)
    with pytest.raises(ValueError, match="treated unit 'California' has no outcome"):
        synthetic_control(d[~((d.State == "California") & (d.Year == 1990))], "State", "Year", "PacksPerCapita",
                          "California", 1989)
