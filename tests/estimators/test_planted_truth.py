"""The estimators on the synthetic registers recover the planted effect.

Run on the session's synthetic registers (the default design, other municipalities
sampled at 3 %).  Cycle-adjusted estimators: the planted ATT on yearly hours (the
person-weighted average over 2015-2019) lies inside their 95 % intervals.  The naive
before/after change is far above it (the cohort's recovery and the business cycle).
"""

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
}


@pytest.fixture(scope="module")
def run(synthetic_run):
    import pandas as pd

    cfg = dict(synthetic_run["cfg"])
    cfg["estimate"] = dict(cfg["estimate"], outcomes=["hours"])
    truth = pd.read_csv(synthetic_run["dir"] / "truth.csv")
    mun = read_municipalities(ROOT / "config" / "municipalities.csv")

    def go(name, spec):
        return run_specification(name, spec, cfg, synthetic_run["dir"] / "person_year.parquet",
                                 synthetic_run["registers"].municipality_year, mun, truth).iloc[0]

    return go


@pytest.mark.parametrize("name", sorted(CYCLE_ADJUSTED))
def test_cycle_adjusted_estimators_cover_the_truth(run, name):
    r = run(name, CYCLE_ADJUSTED[name])
    assert r.truth > 20  # a planted effect to recover
    assert r.conf_low <= r.truth <= r.conf_high, (r.estimate, r.conf_low, r.conf_high, r.truth)
    assert abs(r.estimate - r.truth) < 60  # and the point estimate is in the neighbourhood


@pytest.mark.parametrize("design", ["cohort", "stock"])
def test_naive_before_after_is_biased_upward(run, design):
    r = run("naive", dict(estimator="naive", design=design))
    assert r.estimate > r.truth + 10


def test_event_study_leads_flat_lags_track_the_truth(synthetic_run):
    import pandas as pd

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
    covered = [t.loc[f"e={y - 2015}", "conf_low"] <= truth[y] <= t.loc[f"e={y - 2015}", "conf_high"]
               for y in range(2015, 2020)]
    assert sum(covered) >= 4  # 95 % intervals: at most one of five misses by chance
