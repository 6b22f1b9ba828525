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
