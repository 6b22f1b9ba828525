"""The estimators on the synthetic registers recover the planted effect.

Run on the session's synthetic registers (the default design, other municipalities
sampled at 3 %).  Cycle-adjusted estimators: the planted ATT on yearly hours (the
person-weighted average over 2015-2019) lies inside their 95 % intervals.  The naive
before/after change is far above it (the cohort's recovery and the business cycle).
"""

import numpy as np
import pandas as pd
import pytest

from evaluation.config import read_municipalities
from evaluation.specifications import run_specification
from tests.conftest import ROOT

CYCLE_ADJUSTED = {
    "did_unemployment": dict(estimator="did", design="cohort", comparison="all", covariates=["ledighed_pct"]),
    "did_stock_unemployment": dict(estimator="did", design="stock", comparison="all", covariates=["ledighed_pct"]),
    "matched_did_nearest": dict(estimator="matched_did", design="cohort", comparison="nearest", nearest_k=30),
    "synthetic_control_stock": dict(estimator="synthetic_control", design="stock", comparison="all"),
    "synthetic_did_stock": dict(estimator="synthetic_did", design="stock", comparison="all"),
    "interactive_fe_stock": dict(estimator="interactive_fe", design="stock", comparison="all"),
    "interactive_fe_stock_unemployment": dict(estimator="interactive_fe", design="stock", comparison="all",
                                              covariates=["ledighed_pct"]),
}


def _runner(world):
    cfg = dict(world["cfg"])
    cfg["estimate"] = dict(cfg["estimate"], outcomes=["hours"])
    truth = pd.read_csv(world["dir"] / "truth.csv")
    mun = read_municipalities(ROOT / "config" / "municipalities.csv")

    def go(name, spec):
        return run_specification(name, spec, cfg, world["dir"] / "person_year.parquet",
                                 world["registers"].municipality_year, mun, truth).iloc[0]

    return go


@pytest.fixture(scope="module")
def run(synthetic_run):
    return _runner(synthetic_run)


@pytest.fixture(scope="module")
def run_null(synthetic_null_run):
    return _runner(synthetic_null_run)


@pytest.mark.parametrize("name", sorted(CYCLE_ADJUSTED))
def test_cycle_adjusted_estimators_recover_the_planted_effect(run, run_null, name):
    """Each estimator on the world with the reform and on the same world without it (same seed: common random
    numbers, so the second is the first's counterfactual).  The error splits in two:

        estimate - truth = (estimate without the reform - 0) + (estimate - estimate without - truth)

    The first part is what the cycle, selection and the other planted threats do to the estimator: its 95 %
    interval must cover zero there.  The second is whether the estimator carries the planted effect through to
    its estimate (the same estimand as the truth: persons-weighted over 2015-2019): it must be under a quarter of
    the estimator's own standard error (the Monte Carlo's bias band), which an estimator returning zero, the
    equally-weighted average of the years or the effect of another group would miss."""
    spec = CYCLE_ADJUSTED[name]
    r, r0 = run(name, spec), run_null(name, spec)
    assert r.truth > 20 and r0.truth == 0  # a planted effect to recover, and none in the twin
    assert r.conf_low <= r.truth <= r.conf_high, (r.estimate, r.conf_low, r.conf_high, r.truth)
    assert r0.conf_low <= 0 <= r0.conf_high, (r0.estimate, r0.conf_low, r0.conf_high)
    se = (r.conf_high - r.conf_low) / (2 * 1.959964)
    carried = r.estimate - r0.estimate
    assert abs(carried - r.truth) < 0.25 * se, (carried, r.truth, se)


def test_the_null_twin_is_the_counterfactual_world(synthetic_run, synthetic_null_run):
    """The planted truth's untreated means of the treated municipality are the null twin's own yearly means:
    the decomposition above rests on it."""
    truth = pd.read_csv(synthetic_run["dir"] / "truth.csv")
    truth = truth[(truth.kom == 860) & (truth.outcome == "hours") & (truth.design == "stock")].set_index("year")
    py = pd.read_parquet(synthetic_null_run["dir"] / "person_year.parquet")
    stock = py[py.in_stock & (py.kom == 860)]
    means = stock.groupby("year").hours.mean()
    assert np.allclose(means.reindex(truth.index), truth.mean_untreated, atol=1e-9)
    assert (truth.loc[2015:, "att"] > 0).all() and np.allclose(truth.loc[:2014, "att"], 0)


def test_truth_from_the_full_factual_panel_is_the_truth_written_by_simulate(synthetic_run, synthetic_null_run,
                                                                             tmp_path):
    """The Monte Carlo computes the truth from the panel its estimators use (the factual world is built once):
    every number is the one ``simulate`` wrote from the reform municipalities' own panel; a panel of the wrong
    world gives other numbers."""
    from evaluation import stages

    w = synthetic_run
    out = tmp_path / "w"
    out.mkdir()
    # the registers and counterfactual as simulate wrote them, the truth from the full factual panel
    for p in w["dir"].iterdir():
        if p.name != "truth.csv":
            (out / p.name).symlink_to(p)
    truth = stages.planted_truth_stage(w["cfg"], out, w["manifest"], factual_panel=w["dir"] / "person_year.parquet")
    written = pd.read_csv(w["dir"] / "truth.csv")
    again = pd.read_csv(out / "truth.csv")
    assert len(truth) == len(written) > 0 and set(written.kom) == {860}
    pd.testing.assert_frame_equal(again, written)
    # the null twin's panel as the "factual" one: the stock's treated means differ, so the check has teeth
    wrong = stages.planted_truth_stage(w["cfg"], out, w["manifest"],
                                       factual_panel=synthetic_null_run["dir"] / "person_year.parquet")
    sel = (wrong.design == "stock") & (wrong.outcome == "hours") & (wrong.year >= 2015)
    planted = written[(written.design == "stock") & (written.outcome == "hours") & (written.year >= 2015)]
    assert np.allclose(wrong[sel].att, 0, atol=1e-6) and (planted.att > 1).all()


@pytest.mark.parametrize("design", ["cohort", "stock"])
def test_naive_before_after_is_biased_upward(run, design):
    r = run("naive", dict(estimator="naive", design=design))
    # naive - truth is the untreated group's own change: the cohort's recovery from the dip it was
    # selected in (large) plus the boom; for the stock the boom alone, partly offset in the default
    # world by Hjørring's own downward drift (synthetic.cycle_threat), so only its sign is asserted
    assert r.estimate > r.truth + (10 if design == "cohort" else 0)


def test_event_study_leads_flat_lags_track_the_truth(synthetic_run):

    from evaluation.estimators.event_study import event_study
    from evaluation.specifications import load_design_rows

    rows = load_design_rows(synthetic_run["dir"] / "person_year.parquet", synthetic_run["registers"].municipality_year,
                            "cohort")
    rows["treated"] = rows.group_kom == 860
    es = event_study(rows, "hours", "year", "PNR", "treated", 2015, "group_kom", covariates=["ledighed_pct"])
    t = es.tidy().set_index("term")
    truth = pd.read_csv(synthetic_run["dir"] / "truth.csv")
    truth = truth[(truth.design == "cohort") & (truth.outcome == "hours")].set_index("year")["att"]
    assert len(t) == 9 and es.extras["reference_period"] == 2014
    assert es.extras["pretrend"]["p_value"] > 0.05  # no pre-trend planted
    lin = es.extras["pretrend_linear"]
    assert lin["clusters_ranked"] > 20 and 0 < lin["p_value"] <= 1
    # the slope is the least-squares slope of the leads (reference period at 0) against event time
    k = np.array([-5, -4, -3, -2, -1], float)
    b = np.array([t.loc[f"e={int(e)}", "estimate"] for e in k[:-1]] + [0.0])
    assert lin["slope"] == pytest.approx(np.polyfit(k, b, 1)[0], rel=1e-9)
    # Its lags are not asserted to track the truth: with the cycle threat on, the local unemployment
    # rate does not carry the cycle (tests/unit/test_generator.py::test_the_cycle_threat_is_planted).


def test_factor_model_yearly_path_covers_the_planted_path(synthetic_run):
    """The interactive-fixed-effects model of the yearly stock, year by year: its 95 % placebo intervals
    cover the planted effect in at least 4 of the 5 years after the reform (under nominal coverage the
    chance of 4 or 5 of 5 is 0.98), and the error does not trend with the boom."""
    from evaluation.specifications import yearly_effects

    cfg = synthetic_run["cfg"]
    spec = dict(estimator="interactive_fe", design="stock", min_donor_persons=5)
    p = yearly_effects(cfg, synthetic_run["dir"] / "person_year.parquet", synthetic_run["registers"].municipality_year,
                       read_municipalities(ROOT / "config" / "municipalities.csv"), "stock", spec).set_index("year")
    truth = pd.read_csv(synthetic_run["dir"] / "truth.csv")
    truth = truth[(truth.design == "stock") & (truth.outcome == "hours") & (truth.kom == 860)].set_index("year")["att"]
    covered = (p.factor_low <= truth.loc[p.index]) & (truth.loc[p.index] <= p.factor_high)
    assert covered.sum() >= 4, p.assign(truth=truth)
    err = p.factor_effect - truth.loc[p.index]
    half = (p.factor_high - p.factor_low) / 2
    # a trend in the error over five years smaller than a typical half-width of the yearly intervals
    assert abs(np.polyfit(p.index.to_numpy(float), err.to_numpy(), 1)[0] * 4) < half.median()


def test_investment_case_recovers_the_planted_payments(synthetic_run, tmp_path):
    """The investment case on the synthetic registers: the reform moves people from
    kontanthjælp to jobs and to førtidspension; the estimated weeks per benefit carry the
    planted signs, and the yearly payment effects' 95 % placebo intervals cover the
    planted payment effect in at least 4 of the 5 years after the reform (under nominal
    coverage the chance of 4 or 5 of 5 is 0.98)."""
    from evaluation import stages

    s = stages.investment(synthetic_run["cfg"], synthetic_run["dir"] / "person_year.parquet",
                          synthetic_run["registers"].municipality_year, synthetic_run["dir"] / "truth.csv", tmp_path)
    by_year = pd.read_csv(tmp_path / "investment_by_year.csv")
    post = by_year[by_year.year >= 2015]
    planted = post.planted_savings_mio
    covered = (post.savings_low_mio <= planted) & (planted <= post.savings_high_mio)
    assert covered.sum() >= 4, post[["year", "savings_mio", "savings_low_mio", "savings_high_mio", "planted_savings_mio"]]
    cats = pd.read_csv(tmp_path / "investment_categories.csv").set_index("category")
    for c in ["foertidspension", "kh_aktivitetsparat"]:  # the two big movements, in the planted direction
        assert np.sign(cats.loc[c, "weeks_saved_per_person"]) == np.sign(cats.loc[c, "planted_weeks_saved_per_person"])
        assert abs(cats.loc[c, "planted_weeks_saved_per_person"]) > 5
    # the savings total and the break-even year are consistent with the yearly table
    # (the yearly table is written to 4 decimals: its sum may differ by half a unit of the 4th decimal a year)
    assert s["savings_total_mio"] == pytest.approx(by_year.savings_mio.sum(), abs=0.5e-4 * len(by_year))
    # the total with an interval of its own (one event study of payments at each year's rates) covers the planted
    # total and is the yearly sum up to the covariate adjustment (a small share of its interval)
    t = s["savings_total"]
    assert t["savings_low_mio"] <= s["planted_savings_total_mio"] <= t["savings_high_mio"], (t, s)
    assert abs(t["savings_mio"] - s["savings_total_mio"]) < 0.1 * (t["savings_high_mio"] - t["savings_low_mio"])
    assert t["net_mio"] == pytest.approx(t["savings_mio"] - s["investment_total_mio"])
    reached = by_year.cumulative_savings_mio >= by_year.cumulative_investment_mio
    assert s["break_even_year"] == (int(by_year.year[reached].iloc[0]) if reached.any() else None)


def test_investment_case_refuses_too_few_treated_persons(synthetic_run, tmp_path):
    import copy

    from evaluation import stages

    cfg = copy.deepcopy(synthetic_run["cfg"])
    cfg["disclosure"]["min_persons"] = 100_000
    with pytest.raises(ValueError, match=r"investment: the treated municipality 860 has \d+ persons in the cohort "
                                         r"design in \d{4}, fewer than disclosure.min_persons = 100000"):
        stages.investment(cfg, synthetic_run["dir"] / "person_year.parquet", synthetic_run["registers"].municipality_year,
                          synthetic_run["dir"] / "truth.csv", tmp_path)
    assert not list(tmp_path.iterdir())  # nothing written


@pytest.mark.parametrize("name, spec", [
    ("placebo_cohort_2012", dict(estimator="did", design="cohort", covariates=["ledighed_pct"], cohort_year=2012,
                                 placebo_reform_year=2013)),
    ("placebo_stock_2013", dict(estimator="interactive_fe", design="stock", min_donor_persons=5,
                                placebo_reform_year=2013)),
])
def test_pseudo_reforms_before_the_reform_find_nothing(run, synthetic_run, name, spec):
    """A falsification test: the design run on a pseudo-reform in 2013, with the years before the real
    reform only.  Its true effect is zero, and its interval covers zero; the 2012 cohort is the 2012 stock,
    grouped by its municipality in 2012."""
    r = run(name, spec)
    assert r.truth == 0.0 and r.conf_low <= 0 <= r.conf_high
    from evaluation.specifications import load_design_rows

    rows = load_design_rows(synthetic_run["dir"] / "person_year.parquet", synthetic_run["registers"].municipality_year,
                            "cohort", cohort_year=2012)
    import duckdb

    stock12 = duckdb.execute(f"SELECT PNR, kom FROM '{synthetic_run['dir'] / 'person_year.parquet'}' "
                             "WHERE in_stock AND year = 2012").df()
    assert set(rows.PNR) == set(stock12.PNR)
    assert rows.groupby("PNR").group_kom.first().sort_index().equals(stock12.set_index("PNR").kom.sort_index()
                                                                       .astype(int))


def test_a_pseudo_reform_after_the_reform_is_refused(run):
    with pytest.raises(ValueError, match=r"placebo_reform_year 2016 is not before the reform year 2015"):
        run("bad", dict(estimator="did", design="cohort", placebo_reform_year=2016))


def test_triple_difference_reference_group_and_its_errors(run, synthetic_run):
    """The reference group of a triple difference is the persons with a week of sickness benefit and none in
    the target group in the baseline year, by their municipality that year, followed in every year; the
    specification runs on it, and a missing or unknown reference category is a named error."""
    import duckdb

    from evaluation.specifications import load_design_rows

    py = synthetic_run["dir"] / "person_year.parquet"
    rows = load_design_rows(py, synthetic_run["registers"].municipality_year, "cohort",
                            reference_categories=["sygedagpenge"], baseline_year=2014)
    ref = duckdb.execute(f"SELECT PNR, kom FROM '{py}' WHERE year = 2014 AND weeks_sygedagpenge > 0 "
                         "AND NOT in_stock").df()
    assert len(ref) > 100 and set(rows.PNR) == set(ref.PNR)
    assert rows.groupby("PNR").group_kom.first().sort_index().equals(ref.set_index("PNR").kom.sort_index()
                                                                       .astype(int))
    assert rows.groupby("PNR").year.nunique().max() > 1  # followed beyond the baseline year
    r = run("triple", dict(estimator="triple_did", design="cohort", reference_categories=["sygedagpenge"],
                           min_donor_persons=5))
    assert r.estimator == "triple_did" and r.n_control_units > 20
    # by hand: target minus reference means per municipality and year (municipalities with at least 5
    # persons in both groups every year), the treated municipality's post-minus-pre change of that gap
    # against the comparison municipalities' average change, post years weighted by the treated persons
    tgt = load_design_rows(py, synthetic_run["registers"].municipality_year, "cohort")
    mt = tgt.groupby(["group_kom", "year"]).hours.agg(["mean", "size"])
    mr = rows.groupby(["group_kom", "year"]).hours.agg(["mean", "size"])
    ok_t = mt["size"].groupby(level=0).min() >= 5
    ok_r = mr["size"].groupby(level=0).min().reindex(ok_t.index).fillna(0) >= 5
    keep = ok_t.index[ok_t & ok_r]
    gap = (mt["mean"] - mr["mean"]).unstack().loc[keep]
    change = gap.loc[:, 2015:].sub(gap.loc[:, :2014].mean(axis=1), axis=0)
    w = mt["size"].unstack().loc[860, 2015:]
    per_year = change.loc[860] - change.drop(860).mean()
    assert r.n_control_units == len(keep) - 1
    assert r.estimate == pytest.approx(float(np.average(per_year, weights=w)), rel=1e-9)
    with pytest.raises(ValueError, match="triple_did needs reference_categories"):
        run("triple", dict(estimator="triple_did", design="cohort"))
    with pytest.raises(ValueError, match=r"reference_categories \['sick'\] are not benefit categories"):
        run("triple", dict(estimator="triple_did", design="stock", reference_categories=["sick"]))


def test_anticipation_leaves_the_years_before_the_reform_out(run, synthetic_run):
    """A specification's ``anticipation``: the years just before the reform year leave the estimation, as in
    R did; the estimate is the DiD of the same rows without 2014, and too many years is a named error."""
    from evaluation import did
    from evaluation.specifications import load_design_rows

    r = run("ant", dict(estimator="did", design="cohort", anticipation=1))
    rows = load_design_rows(synthetic_run["dir"] / "person_year.parquet", synthetic_run["registers"].municipality_year,
                            "cohort")
    rows = rows[rows.year != 2014].assign(treated=lambda x: x.group_kom == 860, post=lambda x: x.year >= 2015)
    by_hand = did(rows, "hours", "year", "PNR", "treated", "post", gname="group_kom").tidy().iloc[0]
    assert r.estimate == pytest.approx(by_hand.estimate, rel=1e-10)
    assert r.estimate != pytest.approx(run("no_ant", dict(estimator="did", design="cohort")).estimate, rel=1e-6)
    assert r.baseline_treated == pytest.approx(rows[rows.treated & (rows.year == 2013)].hours.mean())
    with pytest.raises(ValueError, match=r"specification bad: anticipation 5 leaves no pre-reform year before 2015"):
        run("bad", dict(estimator="did", design="cohort", anticipation=5))


def test_anticipation_in_the_factor_model_fits_loadings_before_it_and_averages_after_the_reform(run, synthetic_run):
    """interactive_fe needs evenly spaced years: with anticipation the year before the reform is a treated period
    of weight zero; the loadings are fitted on the years before it, the average is over the reform years; an
    estimator that cannot take anticipation says so."""
    from evaluation.specifications import _factor_fit, load_design_rows, municipality_means

    spec = dict(estimator="interactive_fe", design="stock", min_donor_persons=5, anticipation=1)
    r = run("ife_ant", spec)
    base = run("ife", dict(estimator="interactive_fe", design="stock", min_donor_persons=5))
    assert np.isfinite(r.estimate) and r.estimate != pytest.approx(base.estimate, rel=1e-6)
    assert r.truth == base.truth  # the same estimand: the reform years' average effect
    # by hand: 2014 is a period after the fit (it has an effect of its own) and weighs nothing in the average,
    # which is the treated persons' weighted mean of the 2015-2019 effects
    my = synthetic_run["registers"].municipality_year
    rows = load_design_rows(synthetic_run["dir"] / "person_year.parquet", my, "stock")
    means = municipality_means(rows, my, "hours")
    res = _factor_fit(spec, synthetic_run["cfg"], means, rows, "hours",
                      read_municipalities(ROOT / "config" / "municipalities.csv"), 2015, 1)
    eff = res.extras["effects_by_period"].set_index("period")["effect"]
    assert list(eff.index) == [2014, 2015, 2016, 2017, 2018, 2019]
    n = means[means.kom == 860].set_index("year").n_persons.loc[2015:2019]
    assert r.estimate == pytest.approx(float(np.average(eff.loc[2015:2019], weights=n)), rel=1e-9)
    with pytest.raises(ValueError, match=r"anticipation is not available for estimator 'synthetic_did'"):
        run("sdid_ant", dict(estimator="synthetic_did", design="stock", anticipation=1))


def test_sensitivity_trends_is_did_with_year_effects_by_the_pre_reform_cyclicality(run, synthetic_run):
    """``sensitivity_trends``: each municipality's cyclicality is the slope of its unemployment rate on the
    national rate over the pre-reform years (from the municipality-year register), and the estimate is did's
    ``trends_by`` on it; a pre-reform window in which the national rate does not move is a named error."""
    from evaluation import did
    from evaluation.specifications import _conditions, cycle_sensitivity, load_design_rows, municipality_means

    cfg = synthetic_run["cfg"]
    mun = read_municipalities(ROOT / "config" / "municipalities.csv")
    cond = _conditions(synthetic_run["registers"].municipality_year)
    pre = list(range(2010, 2015))
    s = cycle_sensitivity(cond, mun, pre)
    assert len(s) == 98 and s.notna().all()
    # by hand for the treated municipality: slope of its rate on the population-weighted national rate
    pop = mun.set_index("municipality_code").population_2020
    c = cond[cond.year.isin(pre)]
    nat = c.assign(w=c.kom.map(pop)).groupby("year").apply(lambda g: np.average(g.ledighed_pct, weights=g.w),
                                                            include_groups=False)
    own = c[c.kom == 860].set_index("year").ledighed_pct.reindex(nat.index)
    assert s[860] == pytest.approx(np.polyfit(nat.to_numpy(), own.to_numpy(), 1)[0], rel=1e-9)
    r = run("sens", dict(estimator="did", design="stock", comparison="all", sensitivity_trends=True))
    rows = load_design_rows(synthetic_run["dir"] / "person_year.parquet", synthetic_run["registers"].municipality_year,
                            "stock")
    m = municipality_means(rows, synthetic_run["registers"].municipality_year, "hours")
    m = m.assign(treated=m.kom == 860, post=m.year >= 2015, cyc=m.kom.map(s))
    by_hand = did(m, "hours", "year", "kom", "treated", "post", gname="kom", weights="n_persons", trends_by="cyc")
    assert r.estimate == pytest.approx(by_hand.tidy().estimate.iloc[0], rel=1e-9)
    assert r.covariates == "cyclicality x year"
    flat = cond.assign(ledighed_pct=cond.kom.astype(float) / 100)  # no year-to-year movement at all
    with pytest.raises(ValueError, match="does not move over the pre-reform years"):
        cycle_sensitivity(flat, mun, pre)
    assert cfg["estimate"]["treated_municipality"] == 860
