"""The Monte Carlo stage (evaluation.montecarlo): the arms change the world as documented, the summary's
numbers and Monte Carlo standard errors are the textbook ones, and the flags fire only beyond two of them."""

import copy

import numpy as np
import pandas as pd
import pytest

from evaluation import montecarlo as M
from tests.conftest import default_config


def test_arms_change_the_world_and_nothing_else():
    cfg = default_config()
    null = M.replication_config(cfg, 3, "null")
    eff = M.replication_config(cfg, 3, "effect")
    con = M.replication_config(cfg, 3, "contamination")
    assert null["synthetic"]["seed"] == eff["synthetic"]["seed"] == M.settings(cfg)["seed"] + 3
    r = null["synthetic"]["reforms"][0]
    assert r["caseload_after"] == r["caseload_before"] and set(r["job_multiplier"].values()) == {1.0}
    assert r["fp_multiplier"] == 1.0 and set(r["small_job_multiplier"].values()) == {1.0}
    assert r["anticipation_week"] is None  # the default world hires ahead of the start: not without a reform
    ant = M.replication_config(cfg, 3, "anticipation")["synthetic"]["reforms"][0]
    assert ant["anticipation_week"] == "2014-W27" and ant["caseload_after"] == cfg["synthetic"]["reforms"][0]["caseload_after"]
    assert eff["synthetic"]["reforms"] == cfg["synthetic"]["reforms"]
    assert con["synthetic"]["contamination"]["enabled"] is True
    assert eff["synthetic"]["contamination"] == cfg["synthetic"]["contamination"]
    assert null["synthetic"]["persons_national"] == M.settings(cfg)["persons_national"]
    assert cfg["synthetic"]["persons_national"] != null["synthetic"]["persons_national"]  # the input is untouched
    with pytest.raises(ValueError, match="unknown arm 'placebo'"):
        M.replication_config(cfg, 0, "placebo")


def test_exposed_arms_change_only_the_reform_municipalities_and_null_is_null():
    cfg = default_config()
    eff = M.replication_config(cfg, 3, "effect")
    exp = M.replication_config(cfg, 3, "exposed")
    exn = M.replication_config(cfg, 3, "exposed_null")
    null = M.replication_config(cfg, 3, "null")
    ov = cfg["synthetic"]["municipality_overrides"]
    kom = str(cfg["synthetic"]["reforms"][0]["kom"])  # the validated config's keys are strings
    assert ov[kom]["deprivation"] != 0  # the default world's offsetting pull, which the arm removes
    for c in (exp, exn):
        got = c["synthetic"]["municipality_overrides"][kom]
        # the default: the comparison median's deprivation; the other overrides (its cycle elasticity) kept
        assert got == dict(ov[kom], deprivation=0.0)
        assert set(c["synthetic"]["municipality_overrides"]) == set(ov)
    assert exp["synthetic"]["reforms"] == eff["synthetic"]["reforms"]
    assert exn["synthetic"]["reforms"] == null["synthetic"]["reforms"]
    assert cfg["synthetic"]["municipality_overrides"][kom]["deprivation"] == ov[kom]["deprivation"]  # untouched
    c = copy.deepcopy(cfg)
    c["monte_carlo"] = dict(c["monte_carlo"], exposed={"deprivation": 0.5, "cycle_sensitivity": 1.0})
    got = M.replication_config(c, 0, "exposed")["synthetic"]["municipality_overrides"][kom]
    assert got["deprivation"] == 0.5 and got["cycle_sensitivity"] == 1.0
    assert got["cycle_elasticity"] == ov[kom]["cycle_elasticity"]
    # a reform municipality without overrides of its own gets them too
    c["synthetic"]["municipality_overrides"] = {}
    got = M.replication_config(c, 0, "exposed_null")["synthetic"]["municipality_overrides"]
    assert got == {int(kom): {"deprivation": 0.5, "cycle_sensitivity": 1.0}}


def test_size_is_judged_in_both_arms_without_an_effect():
    row = dict(replications=200, bias=0.0, bias_se=0.1, sd=1.0, coverage=0.95, coverage_se=0.015,
               no_interval=0, rejection=0.12, rejection_se=0.02)
    for arm in ("null", "exposed_null"):
        assert any(f.startswith("size 12.0 %") for f in M._flags(row, arm, M.DEFAULTS["bands"])), arm
    for arm in ("effect", "exposed"):
        assert not any(f.startswith("size") for f in M._flags(row, arm, M.DEFAULTS["bands"])), arm


def test_specifications_default_to_what_the_headline_rests_on_with_donor_minimum_scaled():
    cfg = default_config()
    specs = M.specifications_to_run(cfg)
    adjusted = {n for n, s in cfg["specifications"].items() if s.get("cycle_adjusted")}
    assert set(specs) == adjusted | set(cfg["headline"]["preferred"].values())
    ratio = M.settings(cfg)["persons_national"] / cfg["synthetic"]["persons_national"]
    s = specs["interactive_fe_stock"]
    assert s["min_donor_persons"] == max(5, round(30 * ratio))
    c = copy.deepcopy(cfg)
    c["monte_carlo"] = {"specifications": ["nope"]}
    with pytest.raises(ValueError, match=r"\['nope'\] are not specifications"):
        M.specifications_to_run(c)


def _reps(est, truth, lo, hi, p, arm="null", spec="s"):
    n = len(est)
    return pd.DataFrame(dict(arm=arm, rep=range(n), seed=0, specification=spec, design="stock", estimate=est,
                             conf_low=lo, conf_high=hi, p_value=p, truth=truth))


def test_summary_says_how_many_factors_cross_validation_chose():
    """interactive_fe's replications carry the number of factors chosen: the summary averages it over the
    replications that could be estimated; other estimators (an empty column) and replications made before the
    column existed give none."""
    est = np.arange(6, dtype=float)
    d = _reps(est, 0.0, est - 20, est + 20, 0.5).assign(n_factors=[0, 0, 1, 2, 1, np.nan])
    d.loc[5, "estimate"] = np.nan  # failed: its factors do not count
    assert M.summarise(d).iloc[0].mean_factors == pytest.approx(0.8)
    assert np.isnan(M.summarise(d.assign(n_factors=np.nan)).iloc[0].mean_factors)
    assert np.isnan(M.summarise(d.drop(columns="n_factors")).iloc[0].mean_factors)


def test_summary_numbers_and_monte_carlo_standard_errors():
    rng = np.random.default_rng(0)
    est = rng.normal(2.0, 10.0, 400)
    d = _reps(est, 0.0, est - 19.6, est + 19.6, rng.uniform(size=400))
    s = M.summarise(d).iloc[0]
    assert s.bias == pytest.approx(est.mean()) and s.sd == pytest.approx(est.std(ddof=1))
    assert s.bias_se == pytest.approx(est.std(ddof=1) / 20)
    assert s.rmse == pytest.approx(np.sqrt(np.mean(est**2)))
    cov = np.mean(np.abs(est) <= 19.6)
    assert s.coverage == pytest.approx(cov) and s.coverage_se == pytest.approx(np.sqrt(cov * (1 - cov) / 400))
    assert s.flag == ""  # calibrated: nothing beyond two Monte Carlo standard errors


def test_flags_fire_beyond_two_standard_errors_only():
    rng = np.random.default_rng(1)
    est = rng.normal(8.0, 10.0, 200)  # bias 0.8 of the spread
    biased = M.summarise(_reps(est, 0.0, est - 12.0, est + 12.0, np.full(200, 0.01))).iloc[0]
    assert "bias" in biased.flag and "size" in biased.flag and "coverage" in biased.flag
    few = _reps(est[:4], 0.0, est[:4] - 19.6, est[:4] + 19.6, np.full(4, 0.5))
    assert "bias" not in M.summarise(few).iloc[0].flag  # four replications cannot show it
    # an interval that could not be computed does not cover, and is counted
    d = _reps(est[:50] - 8, 0.0, np.full(50, -np.inf), np.full(50, np.inf), np.full(50, 0.5))
    s = M.summarise(d).iloc[0]
    assert s.coverage == 0.0 and s.no_interval == 50
    assert s.flag == "no 95 % interval in 50 of 50 replications"  # said as what it is, not as a coverage failure
    flags = M.flags_by_specification(M.summarise(pd.concat([_reps(est, 0.0, est - 19.6, est + 19.6,
                                                                  np.full(200, 0.01))])))
    assert flags["s"].startswith("Monte Carlo null: ") and "; " not in flags["s"]


def _coverage_run(n, covered, rejected=None):
    """n replications under no effect with ``covered`` intervals covering zero (and ``rejected`` p-values below
    5 %; by default the ones not covering), estimates centred."""
    est = np.resize([-1.0, 1.0], n)
    lo = np.where(np.arange(n) < covered, est - 5.0, est + 2.0)  # the last n - covered lie above zero
    rejected = n - covered if rejected is None else rejected
    p = np.where(np.arange(n) < n - rejected, 0.5, 0.01)
    return _reps(est, 0.0, lo, lo + 10.0, p)


def test_the_full_run_is_judged_on_its_results_as_they_stand():
    # 200 replications (config monte_carlo.bands.judge_from): 99 % coverage is outside 93-97 % and flagged,
    # though within two of its Monte Carlo standard errors of the band (synthetic DiD's effect arm, 2026-12-06)
    s = M.summarise(_coverage_run(200, 198, rejected=10)).iloc[0]
    assert s.coverage == pytest.approx(0.99) and s.flag == "coverage 99.0 % outside 93-97 %"
    # at the band's edge (194 of 200 = 97 %) it is inside
    assert M.summarise(_coverage_run(200, 194)).iloc[0].flag == ""
    # size 1.5 % (3 of 200) is flagged in the full run
    assert "size 1.5 % outside 3-7 %" in M.summarise(_coverage_run(200, 190, rejected=3)).iloc[0].flag
    # a small run (the pipeline's 10-20 per arm) flags only beyond two standard errors: 20 of 20 covering is not
    assert M.summarise(_coverage_run(20, 20, rejected=1)).iloc[0].flag == ""
    # ... and the threshold is the config's: judged as it stands from 20 on, the same run is flagged
    assert "coverage 100.0 %" in M.summarise(_coverage_run(20, 20, rejected=1),
                                             dict(judge_from=20)).iloc[0].flag
    # bias: 0.3 of the spread is flagged as it stands at 200, not at 10
    rng = np.random.default_rng(5)
    e = rng.normal(0.0, 10.0, 200)
    e = (e - e.mean()) / e.std(ddof=1) * 10.0 + 3.0  # bias exactly 0.3 of the spread
    d = _reps(e, 0.0, e - 19.6, e + 19.6, np.where(np.abs(e) > 19.6, 0.01, 0.5))
    assert "bias 3.0 beyond 0.25" in M.summarise(d).iloc[0].flag
    assert "bias" not in M.summarise(d.iloc[:10]).iloc[0].flag


def test_config_names_what_is_wrong_before_any_job():
    from evaluation.config import check_categories, validate_config

    cfg = copy.deepcopy(default_config())
    cfg["monte_carlo"] = {"specifications": ["nope"]}
    with pytest.raises(ValueError, match=r"monte_carlo.specifications: \['nope'\] are not specifications"):
        validate_config(cfg)
    cfg = copy.deepcopy(default_config())
    cfg["specifications"]["t"] = {"estimator": "triple_did", "design": "cohort"}
    with pytest.raises(ValueError, match=r"specifications.t: triple_did needs reference_categories"):
        validate_config(cfg)
    cfg["specifications"]["t"]["reference_categories"] = ["sick"]
    with pytest.raises(ValueError, match=r"specifications.t.reference_categories: \['sick'\] are not categories"):
        check_categories(validate_config(cfg))
    cfg = copy.deepcopy(default_config())
    cfg["specifications"]["k"] = {"estimator": "did", "design": "cohort", "keep_leavers_to": ["foertidspension"]}
    with pytest.raises(ValueError, match=r"specifications.k: keep_leavers_to is for the stock design"):
        validate_config(cfg)
    cfg["specifications"]["k"]["design"] = "stock"
    cfg["specifications"]["k"]["keep_leavers_to"] = ["pension"]
    with pytest.raises(ValueError, match=r"specifications.k.keep_leavers_to: \['pension'\] are not categories"):
        check_categories(validate_config(cfg))
    cfg = copy.deepcopy(default_config())
    cfg["specifications"]["m"] = {"estimator": "matrix_completion", "design": "stock", "covariates": ["ledighed_pct"]}
    with pytest.raises(ValueError, match=r"specifications.m: estimator 'matrix_completion' does not use covariates"):
        validate_config(cfg)
    check_categories(default_config())  # the default names only categories of its code table


def test_the_report_names_the_threats_of_the_configured_world():
    from evaluation.report.document import threats_on

    cfg = default_config()
    text = threats_on(cfg)
    assert "1.5 times the median's in the treated municipality" in text
    assert "log spread 0.25" in text and "hiring ahead of the start from 2015-W01" in text
    assert "later national programme" not in text  # contamination is off in the default world
    off = copy.deepcopy(cfg)
    off["synthetic"]["cycle_threat"]["enabled"] = off["synthetic"]["selection_threat"]["enabled"] = False
    off["synthetic"]["reforms"][0]["anticipation_week"] = None
    assert threats_on(off) == "none"


def _paths(reps: int, factor_trend: float, covariate_trend: float, seed: int = 0) -> pd.DataFrame:
    """Replications of a yearly path: the planted effect rises with the years; the factor model's error is
    noise around ``factor_trend`` hours a year, the covariate-only DiD's around ``covariate_trend``; the factor
    interval is the estimate +- 1.96 times its sd of 8."""
    rng = np.random.default_rng(seed)
    years = np.arange(2015, 2020)
    rows = []
    for r in range(reps):
        truth = 10.0 + 8.0 * (years - 2015)
        f = truth + factor_trend * (years - 2017) + rng.normal(0, 8, len(years))
        c = truth + 5.0 + covariate_trend * (years - 2017) + rng.normal(0, 8, len(years))
        for y, t, fe, ce in zip(years, truth, f, c):
            rows.append(dict(arm="effect", rep=r, seed=100 + r, design="stock", specification="interactive_fe_stock",
                             year=int(y), factor_effect=fe, factor_low=fe - 1.96 * 8, factor_high=fe + 1.96 * 8,
                             covariate_effect=ce, truth=t))
    return pd.DataFrame(rows, columns=M.PATH_COLUMNS)


def test_path_summary_measures_each_years_bias_and_the_trend_of_the_error():
    """The trend row is the mean least-squares slope of the error on the year: a covariate-only path whose
    error grows by 6 hours a year is flagged with that slope, a factor path without trend is not; each year's
    bias, coverage and standard error are the textbook ones."""
    p = _paths(200, 0.0, 6.0)
    s = M.summarise_paths(p)
    assert set(s.what) == {"year", "trend"} and len(s) == 2 * (5 + 1)
    tr = s[s.what == "trend"].set_index("model")
    # the slope of i.i.d. noise of sd 8 over 5 years has sd 8 / sqrt(10): the Monte Carlo se at 200 is 0.18
    se = 8 / np.sqrt(10) / np.sqrt(200)
    assert abs(tr.loc["covariate", "bias"] - 6.0) < 4 * se and abs(tr.loc["factor", "bias"]) < 4 * se
    assert tr.loc["covariate", "bias_se"] == pytest.approx(se, rel=0.15)
    assert tr.loc["factor", "mean_truth"] == pytest.approx(8.0) and tr.loc["covariate", "flag"].startswith(
        "the error trends by +6")
    assert tr.loc["factor", "flag"] == "" and (tr.replications == 200).all()
    yr = s[s.what == "year"]
    cov = yr[yr.model == "covariate"].set_index("year")
    # the covariate path's error is 5 + 6 (year - 2017) on average
    expect = 5.0 + 6.0 * (cov.index.to_numpy() - 2017)
    assert np.all(np.abs(cov.bias.to_numpy() - expect) < 4 * 8 / np.sqrt(200))
    assert cov.coverage.isna().all()  # the covariate-only DiD has point estimates only
    fac = yr[yr.model == "factor"]
    assert np.all(np.abs(fac.coverage - 0.95) < 4 * np.sqrt(0.95 * 0.05 / 200)) and (fac.no_interval == 0).all()
    g = p[p.year == 2016]
    assert fac.set_index("year").loc[2016, "bias"] == pytest.approx((g.factor_effect - g.truth).mean())
    assert fac.set_index("year").loc[2016, "bias_se"] == pytest.approx(g.factor_effect.std(ddof=1) / np.sqrt(200))


def test_path_summary_counts_intervals_that_cannot_be_computed_and_skips_short_paths():
    p = _paths(20, 0.0, 0.0, seed=1)
    p.loc[p.rep < 5, ["factor_low", "factor_high"]] = np.nan
    p = p[~((p.rep == 7) & (p.year > 2015))]  # one replication with one year only: no slope
    s = M.summarise_paths(p)
    yr = s[(s.what == "year") & (s.model == "factor")].set_index("year")
    assert yr.loc[2016, "no_interval"] == 5 and yr.loc[2016, "coverage"] <= 14 / 19 + 1e-12
    assert yr.loc[2015, "replications"] == 20 and yr.loc[2016, "replications"] == 19
    assert (s[s.what == "trend"].replications == 19).all()
    assert M.summarise_paths(pd.DataFrame(columns=M.PATH_COLUMNS)).empty


def test_no_module_outside_the_report_imports_it():
    """The Monte Carlo's replications are kept under a code version that leaves evaluation.report out
    (workflow/rules/common.smk, MC_CODE_VERSION): that holds only while no other module imports it."""
    import ast
    from pathlib import Path

    import evaluation

    root = Path(evaluation.__file__).parent
    offenders = []
    for f in sorted(root.rglob("*.py")):
        rel = f.relative_to(root)
        if rel.parts[0] == "report":
            continue
        for node in ast.walk(ast.parse(f.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                mod = node.module or ""
                if node.level:  # a relative import: resolved against the module's package
                    base = list(("evaluation",) + rel.parts[:-1])[: len(rel.parts) - node.level + 1]
                    mod = ".".join(base + ([mod] if mod else []))
                names = [mod] + [f"{mod}.{a.name}" for a in node.names]
            if any(n == "evaluation.report" or n.startswith("evaluation.report.") for n in names):
                offenders.append(f"{rel}:{node.lineno}")
    assert offenders == []
