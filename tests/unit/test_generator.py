"""The synthetic registers: layouts, determinism, common random numbers, calibration.

Calibration tolerances: Hjørring is simulated completely, so its figures carry only
the sampling noise of about 1,000 persons (the standard error of mean yearly hours
is about 6 hours); national totals are weighted up from a 3 % sample of the other
municipalities (about 2,400 stock persons: a relative standard error near 2 %).
The bounds are the published magnitudes the issue asks for, with that noise.
"""

import hashlib
import json

import duckdb
import numpy as np
import pandas as pd
import pytest

from evaluation import stages
from evaluation.calendar import iso_weeks
from evaluation.config import read_municipalities
from evaluation.registers import validate_registers
from evaluation.report.calibration import calibration_table
from tests.conftest import ROOT, default_config, small_config


def _q(sql):
    return duckdb.connect().execute(sql).df()


def test_layouts_and_validation(synthetic_run, codes, municipalities):
    run = synthetic_run
    reg = run["registers"]
    cols = _q(f"DESCRIBE SELECT * FROM read_parquet('{reg.dream}')")["column_name"].tolist()
    assert cols == ["PNR"] + [w.column for w in iso_weeks(2010, 2019)]
    assert "y_1553" in cols and len(cols) == 522
    ek = _q(f"DESCRIBE SELECT * FROM read_parquet('{reg.eindkomst}')")["column_name"].tolist()
    assert ek == ["PNR", "MAANED", "CVRNR", "AJO_INDBERETTEDE_LOENTIMER"]
    summary = validate_registers(reg, codes, municipalities, 2010, 2019)
    assert summary["municipality_year"]["municipalities"] == 98
    # a full-time month is 160.33 hours: monthly hours never exceed a 37-hour week over 31 days
    mx = _q(f"SELECT max(h) AS m FROM (SELECT sum(AJO_INDBERETTEDE_LOENTIMER) h FROM read_parquet('{reg.eindkomst}') "
            "GROUP BY PNR, MAANED)")["m"][0]
    assert 160.0 < mx <= 37 * 31 / 7 + 0.01
    m = run["manifest"]
    assert m["persons_written"] + m["persons_never_on_benefit"] == m["persons_drawn"]


def test_counterfactual_equals_factual_before_the_reform(synthetic_run):
    d = synthetic_run["dir"]
    pre = [w.column for w in iso_weeks(2010, 2015) if (w.year, w.week) < (2015, 14)]
    post = [w.column for w in iso_weeks(2015, 2019) if (w.year, w.week) >= (2015, 14)]
    def equal(cols):
        return " AND ".join(f"coalesce(f.{c}, 0) = coalesce(c.{c}, 0)" for c in cols)

    same = _q(f"""SELECT count(*) AS n, sum(CAST(({equal(pre)}) AS INT)) AS pre_same,
                  sum(CAST(({equal(post)}) AS INT)) AS post_same
                  FROM read_parquet('{d}/dream.parquet') f JOIN read_parquet('{d}/counterfactual/dream.parquet') c
                  USING (PNR)""")
    assert same["n"][0] > 10_000
    assert same["pre_same"][0] == same["n"][0]  # common random numbers: identical paths before the reform
    assert same["post_same"][0] < 0.95 * same["n"][0]  # and the reform changes paths after it
    truth = pd.read_csv(d / "truth.csv")
    assert (truth.loc[truth.year < 2015, "att"] == 0).all()


def _digest(directory):
    h = {}
    for p in sorted(directory.rglob("*")):
        if p.is_file():
            h[str(p.relative_to(directory))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return h


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    runs = {}
    for name, seed in [("a", 7), ("b", 7), ("c", 8)]:
        out = tmp_path / name
        cfg = small_config(out, persons_national=150_000, scale=0.05, seed=seed)
        stages.simulate(cfg, out)
        runs[name] = _digest(out)
    assert runs["a"] == runs["b"]
    assert len(runs["a"]) == 9
    assert runs["a"]["dream.parquet"] != runs["c"]["dream.parquet"]


@pytest.fixture(scope="module")
def calibration(synthetic_run):
    run = synthetic_run
    mun = read_municipalities(ROOT / "config" / "municipalities.csv")
    cal = calibration_table(run["dir"] / "person_year.parquet", run["registers"].municipality_year, mun, 860,
                            run["dir"] / "manifest.json").set_index("year")
    return cal


def test_target_group_sizes(calibration):
    # about 70,000 aktivitetsparate nationally around 2017; about 1,000-1,400 in Hjørring
    assert 55_000 <= calibration.loc[2017, "national_stock"] <= 85_000
    assert calibration.loc[2010:2014, "treated_stock"].between(900, 1500).all()


def test_baseline_hours_mostly_zero(calibration):
    base = calibration.loc[2010:2014]
    assert 40 <= base["treated_baseline_hours"].mean() <= 70  # about 55 hours a year before 2015
    assert (base["treated_share_zero_hours"] > 0.6).all()  # most have none


def test_foertidspension_grants_rise_with_the_reform(calibration):
    before = calibration.loc[2010:2014, "treated_fp_grants_all"].mean()
    after = calibration.loc[2015:2016, "treated_fp_grants_all"].mean()
    assert 40 <= before <= 100  # about 50 a year
    assert after >= 2 * before  # towards about 200 a year


def test_business_cycle(synthetic_run, calibration):
    u = calibration["national_unemployment"]
    assert u.loc[2010:2012].mean() > u.loc[2016:2019].mean() + 1.0  # high until 2013, falling after
    my = pd.read_parquet(synthetic_run["registers"].municipality_year)
    fall = my[my.AAR == 2012].set_index("KOM").ledighed_pct - my[my.AAR == 2017].set_index("KOM").ledighed_pct
    assert fall.loc[860] > fall.median()  # Hjørring more sensitive than the median municipality


def test_planted_effect_path(synthetic_run):
    t = pd.read_csv(synthetic_run["dir"] / "truth.csv")
    coh = t[(t.design == "cohort") & (t.outcome == "hours") & (t.kom == 860)].set_index("year")["att"]
    assert 35 <= coh.loc[2015:2017].mean() <= 55  # about 45 hours a year over 2015-2017
    assert coh.loc[2015] < coh.loc[2016] < coh.loc[2017] < coh.loc[2018]  # growing over 2015-2018
    # stable employment (the final Hjørring evaluation's measure) rises, increasingly
    stable = t[(t.design == "cohort") & (t.outcome == "stable_employed") & (t.kom == 860)].set_index("year")["att"]
    assert 0 < stable.loc[2016] < stable.loc[2018]


def test_naive_before_after_overstates(synthetic_run):
    """The raw before/after change of the cohort (recovery from the dip it was selected in, and the
    boom) is far above the effect."""
    t = pd.read_csv(synthetic_run["dir"] / "truth.csv")
    h = t[(t.design == "cohort") & (t.outcome == "hours") & (t.kom == 860)].set_index("year")
    naive = h.loc[2015:2019, "mean_treated"].mean() - h.loc[2014, "mean_treated"]
    assert naive > 3 * h.loc[2015:2019, "att"].mean()


@pytest.fixture(scope="module")
def median_elasticity_run(tmp_path_factory):
    """The default world with Hjørring's own cycle elasticity set to the median municipality's (1):
    the same seed, so Hjørring's persons have the same draws (common random numbers)."""
    from evaluation import stages

    out = tmp_path_factory.mktemp("median-elasticity")
    ov = {860: dict(default_config()["synthetic"]["municipality_overrides"]["860"], cycle_elasticity=1.0)}
    cfg = small_config(out, scale=0.002, municipality_overrides=ov)
    stages.simulate(cfg, out)
    return out


def test_the_cycle_threat_is_planted(synthetic_run, median_elasticity_run):
    """Hjørring rides the cycle harder than the median municipality through its own elasticity of job
    finding, which no covariate carries: with the elasticity at the median's (and every draw the same)
    its untreated cohort's hours rise less over the boom.  And the measured unemployment, the old
    covariate, is not the driver: it is noisy and lowered by the reform itself."""
    def untreated_change(d):
        t = pd.read_csv(d / "truth.csv")
        h = t[(t.design == "cohort") & (t.outcome == "hours") & (t.kom == 860)].set_index("year")["mean_untreated"]
        return h.loc[2015:2019].mean() - h.loc[2010:2014].mean()

    cycle_part = untreated_change(synthetic_run["dir"]) - untreated_change(median_elasticity_run)
    effect = pd.read_csv(synthetic_run["dir"] / "truth.csv").query(
        "design == 'cohort' and outcome == 'hours' and kom == 860 and year >= 2015")["att"].mean()
    assert cycle_part > 0.4 * effect  # the boom alone adds hours comparable to the planted effect
    from evaluation.config import read_municipalities
    from evaluation.synthetic.world import build_world

    cfg = synthetic_run["cfg"]
    world = build_world(cfg, read_municipalities(cfg["municipalities"]),
                        np.random.default_rng(np.random.SeedSequence([cfg["synthetic"]["seed"], 0])))
    i = world.index_of(860)
    assert world.elasticity[i] == 1.5 and abs(np.median(world.elasticity) - 1) < 1e-9
    # the covariate differs from the driver, and the reform lowers it in Hjørring
    gap = world.unemployment - world.job_driver
    assert np.abs(gap - gap.mean(axis=1, keepdims=True)).mean() > 0.1
    easy = build_world(dict(cfg, synthetic=dict(cfg["synthetic"], cycle_threat={"enabled": False})),
                       read_municipalities(cfg["municipalities"]),
                       np.random.default_rng(np.random.SeedSequence([cfg["synthetic"]["seed"], 0])))
    assert easy.job_driver is None and easy.driver() is easy.unemployment
    lowered = (world.unemployment - easy.unemployment)[i]  # noise plus the reform's lowering
    others = np.delete(world.unemployment - easy.unemployment, i, axis=0)
    assert lowered[6:].mean() - others[:, 6:].mean() < -0.1


def test_sample_flow_is_complete(synthetic_run):
    f = pd.read_csv(synthetic_run["dir"] / "sample_flow.csv").set_index("step")
    dropped = f.loc[["no_person_record", "no_residence", "outside_working_age", "unknown_municipality"],
                    "rows_dropped"].sum()
    assert f.loc["dream_persons", "rows"] - dropped == f.loc["person_year_panel", "rows"]
    assert f.loc["no_residence", "rows_dropped"] > 0 and f.loc["outside_working_age", "rows_dropped"] > 0
    assert json.loads((synthetic_run["dir"] / "manifest.json").read_text())["dream_weeks"] == 521
