"""The person-year panel on hand-made registers, checked against values worked out by hand; the municipality
panel's means the same on every run."""

import duckdb
import numpy as np
import pandas as pd
import pytest

from evaluation.panel import PanelSpec, build_person_year
from tests.handmade import YEARS, write

SPEC = PanelSpec(first_year=YEARS[0], last_year=YEARS[1], baseline_year=2014,
                 target_categories=("kh_aktivitetsparat",), min_target_weeks=1, age_min=16, age_max=64,
                 stable_hours_per_week=27.75)


@pytest.fixture(params=["parquet", "csv"])
def built(request, tmp_path, codes, municipalities):
    reg = write(tmp_path / "reg", municipalities, fmt=request.param)
    out = tmp_path / "py.parquet"
    flow = build_person_year(reg, codes, municipalities, SPEC, out)
    panel = duckdb.connect().execute(f"SELECT * FROM read_parquet('{out}')").df().set_index(["PNR", "year"])
    return panel, flow.set_index("step")


def test_hours_summed_over_employers_and_months(built):
    panel, _ = built
    assert panel.loc[(1, 2014), "hours"] == pytest.approx(120.75)  # two employers in March 2014
    assert panel.loc[(1, 2015), "hours"] == 0
    assert panel.loc[(1, 2016), "hours"] == pytest.approx(160.33)
    assert panel.loc[(2, 2015), "hours"] == pytest.approx(12 * 160.33)


def test_employment_thresholds(built):
    panel, _ = built
    assert bool(panel.loc[(1, 2016), "employed"]) and not bool(panel.loc[(1, 2016), "stable_employed"])
    # 1,923.96 hours over 365/7 weeks = 36.9 hours a week >= 27.75
    assert bool(panel.loc[(2, 2015), "stable_employed"])
    assert not bool(panel.loc[(1, 2015), "employed"])


def test_weeks_counted_by_iso_year_including_week_53(built):
    panel, _ = built
    assert panel.loc[(1, 2014), "weeks_public_support"] == 10
    assert panel.loc[(1, 2015), "weeks_kh_aktivitetsparat"] == 4  # weeks 50-53, two codes
    assert panel.loc[(2, 2015), "weeks_public_support"] == 53
    assert panel.loc[(2, 2015), "weeks_a_dagpenge"] == 53
    # SU is a benefit category but not public support
    assert panel.loc[(1, 2016), "weeks_su"] == 5 and panel.loc[(1, 2016), "weeks_public_support"] == 0


def test_municipality_at_start_of_year_for_a_mover(built):
    panel, _ = built
    assert panel.loc[(3, 2014), "kom"] == 101 and panel.loc[(3, 2015), "kom"] == 860
    assert bool(panel.loc[(3, 2015), "in_stock"]) and not bool(panel.loc[(3, 2014), "in_stock"])


def test_target_group_designs(built):
    panel, _ = built
    # person 1 is in the 2014 stock in municipality 851: a cohort member in every year
    assert panel.loc[1, "cohort"].all() and (panel.loc[1, "cohort_kom"] == 851).all()
    assert panel.loc[(1, 2015), "in_stock"] and not panel.loc[(1, 2016), "in_stock"]
    # person 3 enters the stock only in 2015: not in the 2014 cohort
    assert not panel.loc[3, "cohort"].any()


def test_sample_flow_accounts_for_every_row(built):
    panel, flow = built
    assert flow.loc["dream_persons", "rows"] == 15
    assert flow.loc["no_residence", "rows_dropped"] == 1  # person 5 in 2016
    assert flow.loc["outside_working_age", "rows_dropped"] == 2  # person 4 aged 65 and 66
    assert flow.loc["person_year_panel", "rows"] == len(panel) == 12
    dropped = flow.loc[["no_person_record", "no_residence", "outside_working_age", "unknown_municipality"],
                       "rows_dropped"].sum()
    assert flow.loc["dream_persons", "rows"] - dropped == flow.loc["person_year_panel", "rows"]
    assert flow.loc["eindkomst_rows", "rows"] == 18
    assert flow.loc["eindkomst_outside_window", "rows_dropped"] == 1
    assert flow.loc["eindkomst_not_in_dream", "rows_dropped"] == 1
    assert flow.loc["eindkomst_dropped_person_years", "rows_dropped"] == 1
    assert flow.loc["target_cohort", "persons"] == 1
    assert flow.loc["target_stock", "rows"] == 3  # person 1 in 2014 and 2015, person 3 in 2015


def test_municipality_means_are_the_same_on_every_run(tmp_path):
    """The municipality panel's means of doubles come out bit for bit the same on every run: with several
    duckdb threads the partial sums were added in the order the threads finished, and a mean's last digit
    changed from run to run (one mean in a thousand printed differently in a Monte Carlo world)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from evaluation.panel.build import municipality_year_panel

    rng = np.random.default_rng(7)
    n = 2_000_000
    kom = rng.integers(101, 104, n)
    table = pa.table({
        "PNR": np.arange(n), "year": np.full(n, 2015), "kom": kom, "cohort_kom": kom,
        "in_stock": np.ones(n, bool), "cohort": np.ones(n, bool),
        "hours": rng.lognormal(5, 1.5, n), "weeks_public_support": rng.integers(0, 53, n),
        "employed": rng.random(n) < 0.3, "stable_employed": rng.random(n) < 0.1,
    })
    py = tmp_path / "person_year.parquet"
    pq.write_table(table, py, row_group_size=50_000)
    my = tmp_path / "municipality_year.parquet"
    pd.DataFrame({"KOM": [101, 102, 103], "AAR": 2015, "ledighed_pct": 5.0}).to_parquet(my)
    first = municipality_year_panel(py, my)
    for _ in range(4):
        pd.testing.assert_frame_equal(municipality_year_panel(py, my), first, check_exact=True)
    h = pd.Series(table["hours"].to_numpy()).groupby(kom).mean()
    stock = first[first.design == "stock"].set_index("kom")["hours"]
    assert np.allclose(stock.to_numpy(), h.loc[stock.index].to_numpy(), rtol=1e-12)
