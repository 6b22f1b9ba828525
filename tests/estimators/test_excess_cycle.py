"""excess_cycle: the estimate if the treated unit had ridden the common path ``ratio`` times as hard as the
comparison units, and the ratio at which the effect would be explained away."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation import did, excess_cycle, interactive_fe
from tests.estimators.factor_dgp import YEARS, accumulated_cycle


def loading_panel(seed: int, n_controls: int = 60, tau: float = 10.0, treated_loading: float = 1.6,
                  loading_sd: float = 0.3, person_sd: float = 30.0):
    """y_it = a_i + lambda_i g_t + e_it with g a boom after 2014 (the accumulated Danish-like cycle, scaled to
    hours); lambda_i ~ N(1, loading_sd), the treated unit's ``treated_loading``.  Returns the panel and the
    true ratio: the treated unit's loading over the comparison units' mean loading."""
    rng = np.random.default_rng(seed)
    N, T = n_controls + 1, len(YEARS)
    g = -30.0 * accumulated_cycle()
    lam = rng.normal(1.0, loading_sd, N)
    lam[0] = treated_loading
    n = np.exp(rng.uniform(np.log(20), np.log(2000), N)).round().astype(int)
    n[0] = 1000
    Y = 20 * rng.normal(0, 1, N)[:, None] + lam[:, None] * g[None, :] + rng.normal(0, 1, (N, T)) * person_sd / np.sqrt(
        n)[:, None]
    Y[0, 5:] += tau
    d = pd.DataFrame({"kom": np.repeat(np.arange(N), T), "year": np.tile(YEARS, N), "y": Y.ravel(),
                      "n_persons": np.repeat(n, T), "var_mean": np.repeat(person_sd**2 / n, T)})
    return d, float(lam[0] / lam[1:].mean())


def _fit(d):
    return interactive_fe(d, "kom", "year", "y", 0, 2015, r=0, sampling_var="var_mean")


def test_ratio_one_is_the_estimate_itself_and_the_breakdowns_solve_their_equations():
    d, _ = loading_panel(1)
    res = _fit(d)
    t = res.tidy().iloc[0]
    ex = excess_cycle(res, ratios=(0.5, 1.0, 2.0))
    est, lo, hi = ex.at(1.0)
    assert (est, lo, hi) == pytest.approx((t.estimate, t.conf_low, t.conf_high), abs=1e-12)
    # the comparison change is the comparison units' post mean minus pre mean, averaged over units
    w = d.pivot(index="kom", columns="year", values="y").drop(0)
    change = float((w[[y for y in YEARS if y >= 2015]].mean(axis=1) - w[[y for y in YEARS if y < 2015]].mean(axis=1)
                    ).mean())
    assert ex.change == pytest.approx(change, abs=1e-9)
    assert ex.at(2.0)[0] == pytest.approx(t.estimate - change, abs=1e-9)
    # below a ratio of one the interval is only moved, above it widened
    assert ex.at(0.5)[2] - ex.at(0.5)[1] == pytest.approx(hi - lo, abs=1e-9)
    assert ex.at(2.0)[2] - ex.at(2.0)[1] > hi - lo
    b = ex.breakdown()
    assert b["estimate_zero"] == pytest.approx(1 + t.estimate / change)
    assert ex.at(b["estimate_zero"])[0] == pytest.approx(0, abs=1e-9)
    assert 1.0 < b["interval_zero"] < b["estimate_zero"]
    assert ex.at(b["interval_zero"])[1] == pytest.approx(0, abs=1e-6)
    tidy = ex.tidy()
    assert list(tidy.what) == ["ratio", "ratio", "ratio", "breakdown_estimate_zero", "breakdown_interval_zero"]


def test_at_the_true_ratio_the_planted_effect_is_recovered_where_the_did_is_biased():
    """The treated unit loads 1.6 times as much on a boom as the comparison units: the DiD of the means is off
    by about 0.6 times the comparison change; evaluated at the true ratio, the estimate is centred on the planted
    10 and its interval covers it."""
    errs_did, errs_ex, cover = [], [], []
    for seed in range(120):
        d, k = loading_panel(seed)
        ex = excess_cycle(_fit(d), benchmark=k)
        errs_did.append(ex.estimate - 10.0)
        est, lo, hi = ex.at(k)
        errs_ex.append(est - 10.0)
        cover.append(lo <= 10.0 <= hi)
    errs_did, errs_ex = np.array(errs_did), np.array(errs_ex)
    mc_se = errs_ex.std() / np.sqrt(len(errs_ex))
    assert errs_did.mean() > 10 * mc_se  # the plain DiD of the means takes the harder ride for an effect
    assert abs(errs_ex.mean()) < 3 * mc_se
    assert np.mean(cover) >= 0.93


def test_results_protocol():
    import matplotlib

    matplotlib.use("Agg")
    d, _ = loading_panel(5)
    ex = excess_cycle(_fit(d), benchmark=1.3)
    ci = ex.conf_int()
    assert list(ci.index) == [1.0, 1.25, 1.3, 1.5, 1.75, 2.0]
    assert ci.loc[1.3].tolist() == pytest.approx(list(ex.at(1.3)[1:]))
    ax = ex.plot()
    line = ax.get_lines()[0]
    x, y = line.get_data()
    assert y[0] == pytest.approx(ex.at(x[0])[0]) and y[-1] == pytest.approx(ex.at(x[-1])[0])
    assert "<table" in ex._repr_html_() and "breakdown" in ex.summary()


def test_no_breakdown_when_the_comparison_units_fell():
    d, _ = loading_panel(2)
    d.loc[d.year >= 2015, "y"] -= 80.0 * (d.kom != 0) + 80.0 * (d.kom == 0)  # a common fall after the reform
    ex = excess_cycle(_fit(d))
    assert ex.change < 0
    assert ex.breakdown() == {"estimate_zero": None, "interval_zero": None}
    assert ex.tidy().query("what.str.startswith('breakdown')").ratio.isna().all()


def test_an_estimate_without_an_interval_gives_no_interval():
    d, _ = loading_panel(3, n_controls=10)
    res = _fit(d)
    assert res.tidy().conf_low.isna().all()  # ten comparison units: no 95 % interval exists
    ex = excess_cycle(res, benchmark=1.3)
    t = ex.tidy()
    assert t.conf_low.isna().all() and t.conf_high.isna().all()
    assert t.estimate.notna().sum() >= 6
    assert ex.breakdown()["interval_zero"] is None


def test_errors_name_the_problem():
    d, _ = loading_panel(4)
    d["treated"] = d.kom == 0
    d["post"] = d.year >= 2015
    r = did(d, "y", "year", "kom", "treated", "post", inference="none")
    with pytest.raises(ValueError, match="carries no comparison change"):
        excess_cycle(r)
    res = _fit(d)
    with pytest.raises(ValueError, match="ratios"):
        excess_cycle(res, ratios=(1.0, -1.0))
    with pytest.raises(ValueError, match="benchmark"):
        excess_cycle(res, benchmark=float("nan"))


def test_the_benchmark_is_the_treated_municipality_s_cyclicality_over_the_comparisons(tmp_path):
    """cyclicality_ratio: the slope of the treated municipality's unemployment rate on the national rate, over the
    comparison municipalities' mean slope, from every year of the municipality-year register before the reform
    (those before the panel too); a register in which the national rate does not move gives None."""
    from evaluation.specifications import cyclicality_ratio

    national = np.array([2.6, 4.8, 6.1, 6.0, 6.0, 5.8, 5.0, 4.6, 4.2, 4.3])  # 2008-2017, the crisis first
    years = list(range(2008, 2018))
    slopes = {101: 1.5, 201: 0.8, 202: 1.0, 203: 1.2, 204: 1.0}
    rows = [dict(KOM=k, AAR=y, ledighed_pct=3.0 + b * (u - national.mean()) + (0.4 if y >= 2015 and k == 101 else 0))
            for k, b in slopes.items() for y, u in zip(years, national)]
    path = tmp_path / "municipality_year.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    # equal populations: the national rate is the mean over municipalities, 1.1 times the path above
    mun = pd.DataFrame({"municipality_code": list(slopes), "population_2020": 50_000})
    got = cyclicality_ratio(path, mun, 2015, 101, [201, 202, 203])
    assert got == pytest.approx(1.5 / np.mean([0.8, 1.0, 1.2]), rel=1e-9)  # the reform's own shift after 2015 left out
    flat = pd.DataFrame([dict(KOM=k, AAR=y, ledighed_pct=float(k) / 100) for k in slopes for y in years])
    flat.to_csv(tmp_path / "flat.csv", index=False)
    assert cyclicality_ratio(tmp_path / "flat.csv", mun, 2015, 101, [201, 202, 203]) is None


def test_a_ratio_means_the_same_whatever_the_model():
    """A ratio is the treated unit's untreated change over the comparison units', for a DiD of the means and for
    a model whose counterfactual already gives the treated unit a larger change (here the local covariate that
    rides the cycle 2.5 times as hard, gsynth's X): at every ratio the estimate is the treated unit's own change
    minus ratio times the comparison change, and at the ratio the model implies it is the model's estimate."""
    from tests.estimators.factor_dgp import covariate_panel

    d = covariate_panel(3, n_controls=40, person_sd=30.0)
    w = d.pivot(index="kom", columns="year", values="y")
    own = float(w.loc[0, 2015:].mean() - w.loc[0, :2014].mean())
    for kw in (dict(r=0), dict(r=1, covariates=["x"])):
        res = interactive_fe(d, "kom", "year", "y", 0, 2015, sampling_var="var_mean", **kw)
        ex = excess_cycle(res)
        for r in (1.0, 1.5, 2.0):
            assert ex.at(r)[0] == pytest.approx(own - r * ex.change, abs=1e-8)
        assert ex.at(ex.implied)[0] == pytest.approx(res.tidy().estimate.iloc[0], abs=1e-8)
        assert ex.breakdown()["estimate_zero"] == pytest.approx(own / ex.change, rel=1e-9)
    assert excess_cycle(interactive_fe(d, "kom", "year", "y", 0, 2015, r=0)).implied == pytest.approx(1.0, abs=1e-12)
    assert ex.implied > 1.2  # the covariate's harder ride is already in the model's counterfactual
    t = ex.tidy()
    assert t.loc[t.what == "implied", "ratio"].item() == pytest.approx(ex.implied)
    assert t.loc[t.what == "implied", "estimate"].item() == pytest.approx(res.tidy().estimate.iloc[0])


def test_the_report_figure_marks_the_model_s_own_projection():
    """The report's figure (evaluation.report.figures.excess_cycle) draws the table's rows; the ratio the model
    implies is a dotted line, and breakdown marks lie beyond it."""
    import matplotlib

    matplotlib.use("Agg")
    from evaluation.estimators.excess_cycle import ExcessCycle
    from evaluation.report.figures import excess_cycle as figure

    ex = ExcessCycle(30.0, 10.0, 50.0, 20.0, 2.0, 97, benchmark=1.4, implied=1.3)
    fig = figure(ex.tidy())
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert "the model's own projection" in labels
    proj = ax.get_lines()[labels.index("the model's own projection")]
    assert proj.get_xdata()[0] == pytest.approx(1.3)
    marks = [line for line in ax.get_lines() if line.get_label() in ("estimate reaches zero", "interval reaches zero")]
    assert len(marks) == 2 and all(m.get_xdata()[0] > 1.3 for m in marks)
