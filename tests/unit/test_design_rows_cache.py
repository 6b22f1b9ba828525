"""The design rows are read once per file and arguments (specifications.load_design_rows): a Monte Carlo
replication runs eleven specifications on the same panel.  What a cache must not do: return rows of a file since
rewritten, or let one specification's changes reach the next."""

from __future__ import annotations

import os

import pandas as pd

from evaluation.specifications import load_design_rows, municipality_means


def _panel(path, hours: float) -> None:
    rows = [dict(PNR=p, year=y, kom=860 if p < 3 else 101, cohort=True, cohort_kom=860 if p < 3 else 101,
                 in_stock=True, age=40, sex=1, edu=1, origin=1, hours=hours + p, weeks_public_support=10,
                 employed=False, stable_employed=False) for p in range(1, 6) for y in (2013, 2014, 2015)]
    pd.DataFrame(rows).to_parquet(path)


def test_a_rewritten_panel_is_read_again_and_a_changed_copy_does_not_leak(tmp_path):
    py, my = tmp_path / "py.parquet", tmp_path / "my.csv"
    pd.DataFrame({"KOM": [860] * 3 + [101] * 3, "AAR": [2013, 2014, 2015] * 2, "ledighed_pct": 5.0}).to_csv(
        my, index=False)
    _panel(py, 100.0)
    first = load_design_rows(py, my, "stock")
    assert first.hours.min() == 101.0
    first["hours"] = -1.0  # a specification changing its rows
    again = load_design_rows(py, my, "stock")
    assert again.hours.min() == 101.0 and again is not first
    assert load_design_rows(py, my, "cohort").group_kom.tolist() == again.group_kom.tolist()
    _panel(py, 500.0)  # the same path rewritten (a new run into the same folder)
    st = os.stat(py)
    os.utime(py, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # even within the file system's time step
    assert load_design_rows(py, my, "stock").hours.min() == 501.0
    pd.DataFrame({"KOM": [860] * 3 + [101] * 3, "AAR": [2013, 2014, 2015] * 2, "ledighed_pct": 7.0}).to_csv(
        my, index=False)
    st = os.stat(my)
    os.utime(my, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    m = municipality_means(load_design_rows(py, my, "stock"), my, "hours")
    assert (m.ledighed_pct == 7.0).all()
