import pandas as pd

from evaluation.disclosure import scan_results, scan_table, suppress


def test_small_cells_are_suppressed_and_flagged():
    t = pd.DataFrame({"kom": [101, 147, 860], "year": 2015, "n_persons": [4, 5, 0], "hours": [12.0, 30.0, float("nan")]})
    s = suppress(t, 5, protect=["kom", "year"])
    assert s["suppressed"].tolist() == [True, False, False]
    assert pd.isna(s.loc[0, "hours"]) and pd.isna(s.loc[0, "n_persons"])
    assert s.loc[1, "hours"] == 30.0 and s.loc[0, "kom"] == 101
    assert scan_table(s, 5) == []


def test_scan_catches_a_planted_violation(tmp_path):
    (tmp_path / "sub").mkdir()
    pd.DataFrame({"n_persons": [10, 3], "hours": [1.0, 2.0]}).to_csv(tmp_path / "sub" / "t.csv", index=False)
    pd.DataFrame({"n_persons": [10, 7]}).to_csv(tmp_path / "ok.csv", index=False)
    problems = scan_results(tmp_path, 5)
    assert len(problems) == 1 and "t.csv: row 2: n_persons = 3 < 5" in problems[0]


def test_dominance_rule_blanks_sums_held_by_one_or_two_persons():
    """(n, k) rule with n = 2, k = 0.85, computed in duckdb from person rows: a cell of
    ten persons where two hold 90 % of the hours is blanked; a spread-out cell is not,
    and the shares themselves never reach the published table."""
    import duckdb

    from evaluation.disclosure import share_column, suppress_dominated, top_share_sql

    rows = pd.DataFrame({"kom": [1] * 10 + [2] * 10,
                         "hours": [900, 900] + [25] * 8 + [100] * 10})  # kom 1: top two hold 1800/2000 = 90 %
    t = duckdb.sql(f"SELECT kom, count(*) AS n_persons, avg(hours) AS hours, "
                   f"{top_share_sql('hours', 2)} AS {share_column('hours')} FROM rows GROUP BY kom ORDER BY kom").df()
    assert t[share_column("hours")].round(3).tolist() == [0.9, 0.2]
    s = suppress_dominated(t, ["hours"], 0.85)
    assert pd.isna(s.loc[0, "hours"]) and s.loc[1, "hours"] == 100
    assert s["dominated"].tolist() == ["hours", ""]
    assert not any(c.startswith("_top_share") for c in s.columns)
    # at k = 0.95 the same cell may be published
    assert suppress_dominated(t, ["hours"], 0.95).loc[0, "hours"] == 200


def test_dominance_share_must_be_computed_before_suppression():
    import pytest

    from evaluation.disclosure import suppress_dominated

    with pytest.raises(ValueError, match="no dominance share for 'hours'"):
        suppress_dominated(pd.DataFrame({"hours": [1.0]}), ["hours"], 0.85)
