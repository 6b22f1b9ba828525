"""att_gt on mpdta against R did's published output.

Reference: the README of R's did package (Callaway & Sant'Anna; bcallaway11/did),
att_gt(yname="lemp", tname="year", idname="countyreal", gname="first.treat",
xformla=~1, data=mpdta, est_method="reg") and aggte(type="dynamic"/"group").
Point estimates are printed to 4 decimals there; we match them to 3.  The printed
standard errors come from the multiplier bootstrap (random), ours are analytical:
they agree to about 10 %.
"""

import numpy as np
import pytest

from evaluation.estimators.att_gt import att_gt
from tests.estimators.reference_data import mpdta

R_ATT_GT = {
    (2004, 2004): (-0.0105, 0.0241), (2004, 2005): (-0.0704, 0.0313), (2004, 2006): (-0.1373, 0.0380),
    (2004, 2007): (-0.1008, 0.0337), (2006, 2004): (0.0065, 0.0223), (2006, 2005): (-0.0028, 0.0196),
    (2006, 2006): (-0.0046, 0.0188), (2006, 2007): (-0.0412, 0.0202), (2007, 2004): (0.0305, 0.0154),
    (2007, 2005): (-0.0027, 0.0168), (2007, 2006): (-0.0311, 0.0190), (2007, 2007): (-0.0261, 0.0182),
}
R_DYNAMIC = {"ATT": -0.0772, "e=-3": 0.0305, "e=-2": -0.0006, "e=-1": -0.0245, "e=0": -0.0199, "e=1": -0.0510,
             "e=2": -0.1373, "e=3": -0.1008}
R_GROUP = {"ATT": -0.031, "g=2004": -0.0797, "g=2006": -0.0229, "g=2007": -0.0261}


@pytest.fixture(scope="module")
def out():
    return att_gt(mpdta(), yname="lemp", tname="year", idname="countyreal", gname="first.treat")


def test_group_time_effects(out):
    t = out.tidy().set_index(["group", "time"])
    assert len(t) == 12
    for key, (att, se) in R_ATT_GT.items():
        assert t.loc[key, "estimate"] == pytest.approx(att, abs=5e-4), key
        assert t.loc[key, "std_error"] == pytest.approx(se, rel=0.12), key


def test_pretest(out):
    assert out.pretest["df"] == 5
    assert out.pretest["p_value"] == pytest.approx(0.16812, abs=1e-4)  # R: 0.16812


def test_dynamic_aggregation(out):
    es = out.aggregate("dynamic").tidy().set_index("term")
    for term, val in R_DYNAMIC.items():
        assert es.loc[term, "estimate"] == pytest.approx(val, abs=5e-4), term
    assert es.loc["ATT", "std_error"] == pytest.approx(0.0196, rel=0.15)


def test_group_aggregation(out):
    ge = out.aggregate("group").tidy().set_index("term")
    for term, val in R_GROUP.items():
        assert ge.loc[term, "estimate"] == pytest.approx(val, abs=5e-4), term
    assert ge.loc["ATT", "std_error"] == pytest.approx(0.0123, rel=0.15)


def test_simple_and_calendar_are_the_documented_averages(out):
    t = out.table
    pg = t.group.map(out.pg)
    post = t.post
    simple = out.aggregate("simple").tidy().set_index("term").loc["ATT", "estimate"]
    assert simple == pytest.approx(np.average(t.att[post], weights=pg[post]), abs=1e-12)
    cal = out.aggregate("calendar").tidy().set_index("term")
    by_t = [np.average(t.att[post & (t.time == y)], weights=pg[post & (t.time == y)]) for y in (2004, 2005, 2006, 2007)]
    assert cal.loc["ATT", "estimate"] == pytest.approx(np.mean(by_t), abs=1e-12)


def test_not_yet_treated_uses_later_groups():
    nyt = att_gt(mpdta(), "lemp", "year", "countyreal", "first.treat", control_group="notyettreated")
    nev = att_gt(mpdta(), "lemp", "year", "countyreal", "first.treat")
    a, b = nyt.tidy().set_index("term"), nev.tidy().set_index("term")
    # in 2007 every treated group is treated: the not-yet-treated controls are the never-treated
    assert a.loc["ATT(2004,2007)", "estimate"] == pytest.approx(b.loc["ATT(2004,2007)", "estimate"])
    assert a.loc["ATT(2004,2004)", "estimate"] != pytest.approx(b.loc["ATT(2004,2004)", "estimate"])


def test_bad_input():
    d = mpdta()
    with pytest.raises(ValueError, match="unbalanced"):
        att_gt(d.iloc[1:], "lemp", "year", "countyreal", "first.treat")
    d2 = d.copy()
    d2.loc[d2.index[0], "first.treat"] = 2006
    with pytest.raises(ValueError, match="irreversible"):
        att_gt(d2, "lemp", "year", "countyreal", "first.treat")
    with pytest.raises(ValueError, match="no never-treated"):
        att_gt(d[d["first.treat"] > 0], "lemp", "year", "countyreal", "first.treat")


def test_result_holds_no_unit_level_quantity(out):
    n_units = out.n
    for v in vars(out).values():
        if isinstance(v, np.ndarray):
            assert n_units not in v.shape  # only cell- and group-level aggregates


def test_covariates_match_moderndid(out):
    """Outcome-regression adjustment (xformla) against moderndid's port of R did on mpdta
    (R's published README output has no covariate example)."""
    import moderndid

    m = mpdta()
    ours = att_gt(m, "lemp", "year", "countyreal", "first.treat", xformla=["lpop"]).tidy()
    ref = moderndid.att_gt(m, yname="lemp", tname="year", idname="countyreal", gname="first.treat",
                           xformla="~ lpop", est_method="reg", boot=False)
    np.testing.assert_allclose(ours["estimate"].to_numpy(), np.asarray(ref.att_gt), atol=1e-8)
    np.testing.assert_allclose(ours["std_error"].to_numpy(), np.asarray(ref.se_gt), rtol=1e-6)


def _staggered_null(seed: int, n: int = 600, T: int = 6) -> "pd.DataFrame":
    import pandas as pd

    rng = np.random.default_rng(seed)
    g = rng.choice([0, 3, 4, 5], size=n, p=[0.4, 0.2, 0.2, 0.2])
    unit = rng.normal(0, 1, n)
    rows = []
    for t in range(1, T + 1):
        # serially correlated errors: the cells' estimates are correlated, as in a real panel
        rows.append(pd.DataFrame({"id": np.arange(n), "t": t, "g": g, "y": unit + 0.3 * t + rng.normal(0, 1, n)}))
    return pd.concat(rows, ignore_index=True)


def test_uniform_band_covers_all_cells_simultaneously():
    """No effect anywhere: the simultaneous band covers every ATT(g,t) at once in about 95 % of the
    samples, the pointwise intervals much less often (15 cells)."""
    reps, uni, point = 400, 0, 0
    for s in range(reps):
        t = att_gt(_staggered_null(s), yname="y", tname="t", idname="id", gname="g", biters=2000, seed=s).tidy()
        uni += bool(((t.conf_low_uniform <= 0) & (t.conf_high_uniform >= 0)).all())
        point += bool(((t.conf_low <= 0) & (t.conf_high >= 0)).all())
    # Monte Carlo standard error near 95 % with 400 replications: 1.1 points
    assert 0.92 <= uni / reps <= 0.98
    assert point / reps < 0.75


def test_uniform_band_of_the_dynamic_aggregation(out):
    agg = out.aggregate("dynamic")
    band = agg.extras["uniform_band"]
    crit = band.critical_value.iloc[0]
    t = agg.tidy()
    # wider than pointwise, narrower than Bonferroni over the terms
    from scipy import stats

    assert stats.norm.ppf(0.975) < crit < stats.norm.ppf(1 - 0.025 / len(t))
    assert np.allclose(band.conf_high - band.estimate, crit * t.std_error.to_numpy())
    assert "uniform 95 % band" in agg.summary()
