"""Optional reform settings: staggered adoption (several reform municipalities) and a
national programme contaminating the comparison municipalities."""

import pandas as pd
import pytest

from evaluation import stages
from tests.conftest import small_config


def test_staggered_adoption_plants_a_second_reform(tmp_path):
    cfg = small_config(tmp_path, persons_national=150_000, scale=0.05)
    second = dict(cfg["synthetic"]["reforms"][0], kom=851, start_week="2017-W01", anticipation_week=None)
    cfg["synthetic"]["reforms"].append(second)
    cfg["synthetic"]["full_scale_municipalities"] = [860, 851]
    stages.simulate(cfg, tmp_path)
    t = pd.read_csv(tmp_path / "truth.csv")
    assert set(t.kom) == {860, 851}
    a = t[(t.kom == 851) & (t.design == "stock") & (t.outcome == "hours")].set_index("year")["att"]
    assert (a.loc[:2016] == 0).all()  # nothing before its own start
    assert a.loc[2017:].mean() > 0


def test_contamination_raises_comparison_outcomes(tmp_path):
    def donor_hours(enabled):
        out = tmp_path / ("on" if enabled else "off")
        cfg = small_config(out, persons_national=150_000, scale=0.05)
        cfg["synthetic"]["contamination"] = dict(cfg["synthetic"]["contamination"], enabled=enabled,
                                                 job_multiplier=2.0)
        stages.simulate(cfg, out)
        stages.panel(cfg, out / "py.parquet", out / "flow.csv", out / "muni.csv")
        py = pd.read_parquet(out / "py.parquet", columns=["year", "kom", "hours", "in_stock", "cohort", "cohort_kom"])
        d = py[py.cohort & (py.cohort_kom != 860)]
        return d.groupby("year").hours.mean()

    off, on = donor_hours(False), donor_hours(True)
    assert (on.loc[:2016] - off.loc[:2016]).abs().max() < 1e-9  # identical before the programme
    assert on.loc[2018:2019].mean() > off.loc[2018:2019].mean() + 5


def test_anticipation_must_come_before_the_start():
    from evaluation.synthetic.world import Reform

    bad = dict(small_config("/tmp")["synthetic"]["reforms"][0], anticipation_week="2015-W20")
    with pytest.raises(ValueError, match=r"synthetic.reforms: municipality 860's anticipation_week 2015-W20 is not "
                                         r"before its start_week 2015-W14"):
        Reform.from_config(bad)
