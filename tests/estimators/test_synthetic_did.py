"""Synthetic DiD on Proposition 99 against Arkhangelsky et al. (2021, AER), Table 1
(SDID -15.6, placebo standard error 8.4), and against synthdid-py, a port of the
reference R package (Frank-Wolfe solver with sparsification)."""

import numpy as np
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
