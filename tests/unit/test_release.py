"""The release step: labelled outputs, a scanner driven by the code's metadata (not column names), the
output-checking log, and the leaks it must catch."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from evaluation.disclosure import secondary_suppress, suppress
from evaluation.release import Label, ReleaseRefused, check_outputs, read_labels, release, round_counts

CFG = {"run_name": "t", "source": "synthetic", "disclosure": {"min_persons": 5, "rounding": 5}}


def _write(root, rel, df):
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(p, index=False)
    return rel


def _labels(**extra):
    base = {
        "results/details/sc_placebos.csv": dict(rule="details", sensitivity="releasable", persons=["n_persons_min"]),
        "results/report.html": dict(rule="report", sensitivity="releasable", kind="document",
                                    derived_from=["results/details/sc_placebos.csv"]),
        "data/panel/person_year.parquet": dict(rule="panel", sensitivity="microdata"),
    }
    base.update(extra)
    return base


@pytest.fixture
def root(tmp_path):
    _write(tmp_path, "results/details/sc_placebos.csv",
           pd.DataFrame({"unit": [101, 147], "att": [1.0, -2.0], "n_persons_min": [40, 12]}))
    (tmp_path / "results/report.html").write_text("<html><table><tr><td>12.5</td></tr></table></html>")
    return tmp_path


def test_a_clean_release_is_copied_with_its_log(root):
    out = root / "results/release"
    recs = release(_labels(), CFG, root, out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "OUTPUT_CHECKING.md", "details/sc_placebos.csv", "output_checking.json", "report.html"]
    log = json.loads((out / "output_checking.json").read_text())
    rec = {r["file"]: r for r in log["released"]}
    assert rec["results/details/sc_placebos.csv"]["smallest_cell_persons"] == 12
    assert rec["results/details/sc_placebos.csv"]["rule"] == "details"
    assert log["not_released"] == [dict(file="data/panel/person_year.parquet", rule="panel", sensitivity="microdata")]
    assert log["rules"]["min_persons"] == 5 and log["rules"]["rounding"] == 5
    md = (out / "OUTPUT_CHECKING.md").read_text()
    assert "`results/details/sc_placebos.csv` | `details`" in md and "person_year.parquet" in md
    assert all(r["status"] == "passed" for r in recs)


def test_leak_a_placebo_municipality_under_the_minimum_is_refused_naming_file_column_row(root):
    """Leak 1 of the issue: a placebo municipality's own effect published though it has 3 persons."""
    _write(root, "results/details/sc_placebos.csv",
           pd.DataFrame({"unit": [101, 147, 151], "att": [1.0, -2.0, 9.0], "n_persons_min": [40, 12, 3]}))
    with pytest.raises(ReleaseRefused, match=r"sc_placebos.csv: row 3: column 'n_persons_min' = 3 persons"):
        release(_labels(), CFG, root, root / "results/release")
    assert not (root / "results/release").exists()  # nothing was released


def test_leak_the_scanner_reads_counts_from_the_label_not_the_column_name(root):
    """Leak 3: a count under a column name no name-based scanner knows ('antal') is still caught, and a
    releasable table whose label does not say where its counts are is an error."""
    _write(root, "results/tables/odd.csv", pd.DataFrame({"kom": [1, 2], "mean_hours": [100.0, 7.0],
                                                         "antal": [50, 2]}))
    labels = _labels(**{"results/tables/odd.csv": dict(rule="x", sensitivity="releasable", persons=["antal"])})
    problems, _ = check_outputs(read_labels(labels), root, 5)
    assert problems == ["results/tables/odd.csv: row 2: column 'antal' = 2 persons, under the minimum of 5"]
    with pytest.raises(ValueError, match="must say where its person counts are"):
        read_labels({"results/tables/odd.csv": dict(rule="x", sensitivity="releasable")})


def test_documents_only_from_releasable_files_and_never_with_identifiers(root):
    labels = _labels(**{"results/report.html": dict(rule="report", sensitivity="releasable", kind="document",
                                                    derived_from=["data/panel/person_year.parquet"])})
    problems, _ = check_outputs(read_labels(labels), root, 5)
    assert problems == ["results/report.html: derived from data/panel/person_year.parquet, which is labelled "
                        "microdata, not releasable"]
    (root / "results/report.html").write_text("<table><tr><th>PNR</th></tr><tr><td>0101901234</td></tr></table>")
    problems, _ = check_outputs(read_labels(_labels()), root, 5)
    assert any("'PNR'" in p for p in problems) and any("ten-digit" in p for p in problems)
    # an embedded image's base64 bytes hold ten-digit runs by chance (a report figure did): not text, not flagged;
    # the same digits in the text still are
    img = '<img src="data:image/png;base64,iVBORw0KGgo+xcPT096OlV/q4bNWoUfvvtN/z9999477336vzeVKe6vlRU==">'
    (root / "results/report.html").write_text(f"<p>Figure</p>{img}")
    assert check_outputs(read_labels(_labels()), root, 5)[0] == []
    (root / "results/report.html").write_text(f"<p>Figure 9999477336</p>{img}")
    assert any("ten-digit" in p for p in check_outputs(read_labels(_labels()), root, 5)[0])
    # the same in an executed notebook: an output's base64 image (one string or a list of them, as nbformat may
    # write it) is not text; the digits in a text output are
    import json

    from evaluation.release import _identifiers

    b64 = "iVBORw0KGgo+xcPT096OlV/q4bNWoUfvvtN/z9999477336vzeVKe6vlRU==\n"
    for png in (b64, [b64[:20] + "\n", b64[20:]]):
        nb = {"cells": [{"outputs": [{"data": {"image/png": png, "text/plain": ["<Figure>"]}}]}]}
        assert _identifiers(json.dumps(nb, indent=1), "nb.ipynb") == []
        nb["cells"][0]["outputs"][0]["data"]["text/plain"] = ["9999477336"]
        assert _identifiers(json.dumps(nb, indent=1), "nb.ipynb") == [
            "nb.ipynb: contains a ten-digit number (99...), which could be a person identifier"]
    svg = {"cells": [{"outputs": [{"data": {"image/svg+xml": "<svg><text>9999477336</text></svg>"}}]}]}
    assert _identifiers(json.dumps(svg), "nb.ipynb") != []  # SVG is text: still checked


def test_a_suppressed_row_must_be_blank_and_a_visible_row_must_have_its_count(root):
    t = suppress(pd.DataFrame({"kom": [1, 2, 3], "year": 2015, "n_persons": [30, 3, 40],
                               "hours": [50.0, 90.0, 60.0]}), 5, protect=["kom", "year"])
    _write(root, "results/panels/m.csv", t)
    lab = {"results/panels/m.csv": dict(rule="panel", sensitivity="releasable", persons=["n_persons"],
                                        keys=["kom", "year"])}
    assert check_outputs(read_labels(lab), root, 5)[0] == []
    t.loc[1, "hours"] = 90.0  # the blanked row shows its mean again
    _write(root, "results/panels/m.csv", t)
    assert check_outputs(read_labels(lab), root, 5)[0] == [
        "results/panels/m.csv: row 2: column 'n_persons' has no person count but the row shows 'hours'"]
    # a column from a public table, or resting on another count, may stay visible on a suppressed row
    t["u"], t["nat_n"], t["nat_mean"] = 5.0, 9000, 50.0
    t.loc[1, "hours"] = np.nan
    _write(root, "results/panels/m.csv", t)
    lab2 = {"results/panels/m.csv": dict(rule="panel", sensitivity="releasable", persons=["n_persons", "nat_n"],
                                         keys=["kom", "year"], public=["u"],
                                         covers={"n_persons": ["hours"], "nat_n": ["nat_n", "nat_mean"]})}
    assert check_outputs(read_labels(lab2), root, 5)[0] == []
    t.loc[1, "nat_n"] = 3
    _write(root, "results/panels/m.csv", t)
    assert check_outputs(read_labels(lab2), root, 5)[0] == [
        "results/panels/m.csv: row 2: column 'nat_n' = 3 persons, under the minimum of 5"]


def test_secondary_suppression_stops_recovery_from_the_pooled_comparison():
    """One blanked comparison municipality in a year could be read off as the pooled comparison minus the
    others: the smallest other one is blanked too; the treated municipality is not touched."""
    t = pd.DataFrame({"design": "stock", "year": 2015, "kom": [860, 1, 2, 3, 4],
                      "n_persons": [900, 3, 40, 25, 60], "hours": [55.0, 80.0, 50.0, 45.0, 70.0]})
    s = suppress(t, 5, protect=["design", "kom", "year"])
    s2 = secondary_suppress(s, ["design", "year"], "kom", [860], protect=["design", "kom", "year"])
    assert s2.set_index("kom").suppressed.to_dict() == {860: False, 1: True, 2: False, 3: True, 4: False}
    assert s2.set_index("kom").secondary.to_dict()[3] == "row"
    # a dominated magnitude alone in its year: blanked in the smallest other municipality too
    d = t.assign(n_persons=[900, 30, 40, 25, 60], suppressed=False)
    d.loc[d.kom == 2, "hours"] = np.nan
    d2 = secondary_suppress(d, ["design", "year"], "kom", [860])
    assert d2.set_index("kom").hours.isna().to_dict() == {860: False, 1: False, 2: True, 3: True, 4: False}
    # two blanked already: nothing more to do
    s3 = secondary_suppress(s2, ["design", "year"], "kom", [860], protect=["design", "kom", "year"])
    assert s3.suppressed.sum() == 2


def test_rounding_counts_to_the_nearest_five():
    t = round_counts(pd.DataFrame({"persons": [147988, 2, 3, np.nan], "x": [1, 2, 3, 4]}), ["persons"], 5)
    assert t.persons.tolist()[:3] == [147990, 0, 5] and pd.isna(t.persons.iloc[3]) and t.x.tolist() == [1, 2, 3, 4]


def test_label_fields_are_checked():
    with pytest.raises(ValueError, match="sensitivity 'public'"):
        Label.from_dict("results/x.csv", dict(rule="r", sensitivity="public"))
    with pytest.raises(ValueError, match="unknown field"):
        Label.from_dict("results/x.csv", dict(rule="r", sensitivity="internal", persns=["n"]))


def test_leak_a_one_person_municipality_is_no_placebo_in_the_did_result():
    """Leak 2: a comparison municipality with one person (its placebo is that person's own DiD) never enters
    the result object; it stays in the comparison group, and the note says so."""
    from evaluation import did

    rng = np.random.default_rng(0)
    sizes = {0: 60, 1: 1, 2: 3, **{g: 30 for g in range(3, 25)}}
    rows = [(f"{g}-{i}", y, g, rng.normal() + (g == 0) * (y >= 2015) * 2.0)
            for g, n in sizes.items() for i in range(n) for y in range(2012, 2018)]
    d = pd.DataFrame(rows, columns=["pid", "year", "kom", "y"])
    d["treated"], d["post"] = d.kom == 0, d.year >= 2015
    res = did(d, "y", "year", "pid", "treated", "post", gname="kom")
    plac = res.extras["placebo_estimates"]
    assert set(plac.cluster) == set(range(3, 25)) and plac.n_persons.min() >= 5
    assert any("2 comparison cluster(s) with fewer than 5 persons are not used as placebos" in n for n in res.notes)
    assert res.tidy().n_control_units.iloc[0] == 24  # still in the comparison group


def test_donors_never_below_the_disclosure_minimum():
    """A specification asking for donors of 2 persons still gets the disclosure minimum: a donor is also a
    placebo, whose own effect would otherwise be kept for 2 persons."""
    from evaluation.specifications import donor_minimum

    cfg = {"disclosure": {"min_persons": 5}}
    assert donor_minimum({"min_donor_persons": 2}, cfg) == 5
    assert donor_minimum({"min_donor_persons": 30}, cfg) == 30
    assert donor_minimum(None, cfg) == 5
