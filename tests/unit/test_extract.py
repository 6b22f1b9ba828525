"""Real register deliveries (issue 9): a delivery in Statistics Denmark's shapes (tests/deliveries.py, written
from the synthetic registers by a script of its own) is checked and converted through one mapping file into the
project's layout, exactly; and a corpus of broken deliveries, each the valid one with one defect, stops with a
message naming the register, the file and the column, before anything is written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
import yaml

from evaluation.registers.extract import ExtractError, check_extract, ingest
from tests.deliveries import write_delivery

FIRST, LAST = 2014, 2015


@pytest.fixture(scope="module")
def delivery(synthetic_run, tmp_path_factory):
    regs = synthetic_run["registers"]
    pnr = pd.read_parquet(regs.dream, columns=["PNR"]).PNR.to_numpy()
    base = tmp_path_factory.mktemp("delivery")
    # the municipality table from two years before the panel (a public table's longer series)
    mapping = write_delivery(regs, base, FIRST, LAST, persons=pnr[::25], municipality_years_from=FIRST - 2)
    return {"dir": base, "mapping": mapping, "registers": regs}


def test_delivery_converts_to_exactly_the_registers_it_came_from(delivery, tmp_path):
    """Every column renamed, DREAM as SAS transport (floats), hours as Danish CSVs with jobs split, BEF per
    quarter as Stata, the municipality table with Danish names and decimal commas: the conversion gives back
    the synthetic registers (hours per person-month to rounding), so the pipeline's estimates are the same."""
    d = _copy(delivery, tmp_path)
    res = ingest(d / "mapping.yaml")
    out = d / "converted"
    regs = delivery["registers"]
    a = pd.read_parquet(out / "dream.parquet")
    b = pd.read_parquet(regs.dream, columns=list(a.columns))
    b = b[b.PNR.isin(a.PNR)].reset_index(drop=True)
    assert len(a) == res["summary"]["dream"]["persons"] > 500
    pd.testing.assert_frame_equal(a, b.astype(a.dtypes.to_dict()))
    h = pd.read_parquet(out / "eindkomst.parquet").groupby(["PNR", "MAANED"]).AJO_INDBERETTEDE_LOENTIMER.sum()
    e = pd.read_parquet(regs.eindkomst)
    e = e[e.PNR.isin(a.PNR) & (e.MAANED // 100).between(FIRST, LAST)]
    e = e.groupby(["PNR", "MAANED"]).AJO_INDBERETTEDE_LOENTIMER.sum()
    assert h.index.equals(e.index) and np.abs(h - e).max() < 1e-9
    r = pd.read_parquet(out / "residence.parquet").sort_values(["PNR", "AAR"], ignore_index=True)
    s = pd.read_parquet(regs.residence)
    s = s[s.PNR.isin(a.PNR) & s.AAR.between(FIRST, LAST)].sort_values(["PNR", "AAR"], ignore_index=True)
    pd.testing.assert_frame_equal(r, s)
    p = pd.read_parquet(out / "persons.parquet").set_index("PNR")
    pd.testing.assert_frame_equal(p, pd.read_parquet(regs.persons).set_index("PNR").loc[p.index])
    m = pd.read_parquet(out / "municipality_year.parquet")
    n = pd.read_parquet(regs.municipality_year)
    # the years before the panel are kept (the excess-cycle benchmark reads every pre-reform year)
    n = n[n.AAR.between(FIRST - 2, LAST)][list(m.columns)].reset_index(drop=True)
    pd.testing.assert_frame_equal(m, n)
    assert m.AAR.min() == FIRST - 2
    # the converted registers pass the pipeline's own validation
    from evaluation.config import read_municipalities
    from evaluation.registers import RegisterSet, read_code_table, validate_registers

    v = validate_registers(RegisterSet.in_directory(out), read_code_table(d / "koder.csv"),
                           read_municipalities(d / "kommuner_ref.csv"), FIRST, LAST)
    assert v["dream"]["rows"] == len(a)
    # an unchanged delivery is not converted again
    mtime = (out / "dream.parquet").stat().st_mtime_ns
    assert ingest(d / "mapping.yaml")["fingerprint"] == res["fingerprint"]
    assert (out / "dream.parquet").stat().st_mtime_ns == mtime


def test_check_extract_command(delivery, tmp_path):
    d = _copy(delivery, tmp_path)
    ok = subprocess.run([sys.executable, "-m", "evaluation.cli", "check-extract", str(d / "mapping.yaml")],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "usable: yes" in ok.stdout and "dream:" in ok.stdout and "persons" in ok.stdout
    (d / "raw" / f"bfl{LAST}.csv").unlink()
    bad = subprocess.run([sys.executable, "-m", "evaluation.cli", "check-extract", str(d / "mapping.yaml")],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and f"bfl{LAST}.csv" in bad.stdout and "usable: no" in bad.stdout
    assert not (d / "converted").exists()


# ------------------------------------------------------------------------------ the broken-delivery corpus
def _copy(delivery, tmp_path) -> Path:
    d = tmp_path / "delivery"
    shutil.copytree(delivery["dir"], d, ignore=shutil.ignore_patterns("converted"))
    return d


def _mapping(d: Path) -> dict:
    return yaml.safe_load((d / "mapping.yaml").read_text(encoding="utf-8"))


def _set_mapping(d: Path, m: dict):
    (d / "mapping.yaml").write_text(yaml.safe_dump(m, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _edit_csv(path: Path, fn):
    df = pd.read_csv(path, sep=";", dtype=str, encoding="latin-1", keep_default_na=False)
    df = fn(df)
    df.to_csv(path, sep=";", index=False, encoding="latin-1")


def _edit_dta(path: Path, fn):
    df, _ = pyreadstat.read_dta(str(path))
    pyreadstat.write_dta(fn(df), str(path))


def _edit_dream(d: Path, fn):
    df, _ = pyreadstat.read_xport(str(d / "raw" / "dream.xpt"))
    pyreadstat.write_xport(fn(df), str(d / "raw" / "dream.xpt"), file_format_version=8)


def _row(df, i, col, value):
    df = df.copy()
    df.loc[df.index[i], col] = value
    return df


BEF = f"bef{FIRST - 1}12.dta"
HOURS = f"bfl{FIRST}.csv"
W = f"uge_{LAST}_10"

CORPUS = {
    # name: (defect, file named in the message, column named (or None), words in the message)
    "dream file missing": (lambda d: (d / "raw" / "dream.xpt").unlink(), "dream.xpt", None, "does not exist"),
    "hours year missing": (lambda d: (d / "raw" / f"bfl{LAST}.csv").unlink(), f"bfl{LAST}.csv", None,
                           "does not exist"),
    "BEF quarter missing": (lambda d: (d / "raw" / BEF).unlink(), BEF, None, "does not exist"),
    "person column renamed": (lambda d: _edit_dream(d, lambda x: x.rename(columns={"pnr": "PNR_NY"})),
                              "dream.xpt", "pnr", "not in the file"),
    "hours column renamed (case)": (lambda d: _edit_csv(d / "raw" / HOURS, lambda x: x.rename(columns={"TIMER": "timer"})),
                                    HOURS, "TIMER", "did you mean 'timer'"),
    "a year of DREAM weeks missing": (
        lambda d: _edit_dream(d, lambda x: x.drop(columns=[c for c in x.columns if c.startswith(f"uge_{LAST}")])),
        "dream.xpt", f"uge_{LAST}_01", "week column(s)"),
    "hours as text": (lambda d: _edit_csv(d / "raw" / HOURS, lambda x: _row(x, 3, "TIMER", "12 timer")),
                      HOURS, "TIMER", "not numbers"),
    "decimal point where a comma was declared": (
        lambda d: _edit_csv(d / "raw" / HOURS, lambda x: _row(x, 5, "TIMER", "37.5")), HOURS, "TIMER", "decimal ','"),
    "monthly hours above 744": (lambda d: _edit_csv(d / "raw" / HOURS, lambda x: _row(x, 2, "TIMER", "800,0")),
                                HOURS, "TIMER", "outside [0.0, 744.0]"),
    "month of another year": (lambda d: _edit_csv(d / "raw" / HOURS, lambda x: _row(x, 1, "LOENMD", f"{LAST}03")),
                              HOURS, "LOENMD", f"not a month of {FIRST}"),
    "month 13": (lambda d: _edit_csv(d / "raw" / HOURS, lambda x: _row(x, 1, "LOENMD", f"{FIRST}13")),
                 HOURS, "LOENMD", "not a month"),
    "person twice in DREAM": (lambda d: _edit_dream(d, lambda x: pd.concat([x, x.iloc[[4]]], ignore_index=True)),
                              "dream.xpt", "pnr", "more than one row"),
    "person twice in a BEF quarter": (lambda d: _edit_dta(d / "raw" / BEF, lambda x: pd.concat([x, x.iloc[[2]]])),
                                      BEF, "PNR_ID", "more than one row in one quarter"),
    "unknown benefit code": (lambda d: _edit_dream(d, lambda x: _row(x, 0, W, 999.0)), "dream.xpt", W,
                             "'999' is not in the code table"),
    "non-integral code": (lambda d: _edit_dream(d, lambda x: _row(x, 0, W, 132.5)), "dream.xpt", W,
                          "'132.5' is not in the code table"),
    "unknown municipality": (lambda d: _edit_dta(d / "raw" / BEF, lambda x: _row(x, 0, "KOMKODE", 999.0)),
                             BEF, "KOMKODE", "not in the municipality table"),
    "ids lost their leading zeros": (
        lambda d: _edit_dream(d, lambda x: x.assign(pnr=x.pnr - 1_000_000_000 + 1)), "dream.xpt", "pnr",
        "leading zeros"),
    "ids that match no residence record": (
        lambda d: [_edit_dta(f, lambda x: x.assign(PNR_ID="2" + x.PNR_ID.str[1:])) for f in (d / "raw").glob("bef*")],
        "dream.xpt", "pnr", "no residence record"),
    "empty file": (lambda d: (d / "raw" / HOURS).write_bytes(b""), HOURS, None, "empty"),
    "header-only file": (lambda d: (d / "raw" / HOURS).write_text("PERSON_ID;LOENMD;TIMER\n", encoding="latin-1"),
                         HOURS, None, "no data rows"),
    "truncated Stata file": (lambda d: (d / "raw" / BEF).write_bytes((d / "raw" / BEF).read_bytes()[:700]),
                             BEF, None, "cannot be read as dta"),
    "mislabelled file (CSV called .xpt)": (
        lambda d: (d / "raw" / "dream.xpt").write_text("pnr;uge\n1;2\n"), "dream.xpt", None, "cannot be read as xpt"),
    "sex code 3": (lambda d: _edit_dta(d / "raw" / BEF, lambda x: _row(x, 1, "KOEN_KODE", 3.0)), BEF, "KOEN_KODE",
                   "sex codes outside [1, 2]"),
    "birth date unreadable": (lambda d: _edit_dta(d / "raw" / BEF, lambda x: _row(x, 1, "FOED_DAG", pd.NaT)),
                              BEF, "FOED_DAG", "birth dates"),
    "municipality-year missing": (
        # a year of the panel (the table's earlier years may be missing)
        lambda d: _edit_csv(d / "raw" / "kommuner.csv", lambda x: x.drop(x.index[x["År"] == str(FIRST)][:1])),
        "kommuner.csv", "År",
        "municipality-years missing"),
    "decimal comma misdeclared for the municipality table": (
        lambda d: _set_mapping(d, _with(_mapping(d), ["registers", "municipality_year", "csv", "decimal"], ".")),
        "kommuner.csv", "Bruttoledighed (pct.)", "not numbers"),
    "unknown key in the mapping": (
        lambda d: _set_mapping(d, _with(_mapping(d), ["registers", "dream", "persn"], "pnr")),
        "mapping.yaml", "registers/dream", "Additional properties"),
    "a code mapped to two categories": (
        lambda d: (d / "koder.csv").write_text((d / "koder.csv").read_text() + "132,kh_jobparat,Dublet,true\n"),
        "koder.csv", "code", "two categories"),
}


def _with(m: dict, keys: list, value) -> dict:
    node = m
    for k in keys[:-1]:
        node = node.setdefault(k, {})
    node[keys[-1]] = value
    return m


def test_the_corpus_has_at_least_twenty_defects():
    assert len(CORPUS) >= 20


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_broken_delivery_stops_with_a_message_that_names_file_and_column(name, delivery, tmp_path):
    defect, file, column, words = CORPUS[name]
    d = _copy(delivery, tmp_path)
    defect(d)
    with pytest.raises(ExtractError) as e:
        res = check_extract(d / "mapping.yaml")
        assert not res["usable"]
        raise ExtractError(res["problems"])
    hits = [p for p in e.value.problems if file in p.file and (column is None or p.column == column)]
    assert hits, f"no problem names {file} / {column}: {e.value}"
    assert any(words in str(p) for p in hits), f"{words!r} not in: {[str(p) for p in hits]}"
    assert all(p.fix for p in hits)
    # nothing is written: ingest refuses before converting
    with pytest.raises(ExtractError):
        ingest(d / "mapping.yaml")
    assert not (d / "converted").exists()


def test_drop_policies_remove_and_count_rows(delivery, tmp_path):
    d = _copy(delivery, tmp_path)
    _edit_dream(d, lambda x: pd.concat([x, x.iloc[[4, 7]]], ignore_index=True))
    _edit_csv(d / "raw" / HOURS, lambda x: _row(_row(_row(x, 2, "TIMER", "800,0"), 6, "TIMER", "900,0"), 9, "TIMER", ""))
    _edit_dta(d / "raw" / BEF, lambda x: _row(x, 3, "KOMKODE", np.nan))
    m = _mapping(d)
    m["checks"] = {"duplicates": "drop", "out_of_range": "drop"}
    _set_mapping(d, m)
    res = ingest(d / "mapping.yaml")
    flow = pd.read_csv(d / "converted" / "ingest_flow.csv").set_index(["register", "check"]).rows_dropped
    assert flow[("dream", "duplicates")] == 2 and flow[("hours", "out_of_range")] == 2
    # empty cells are no error, but every row left out is counted
    assert flow[("hours", "empty hours (job-months without reported hours)")] == 1
    assert flow[("population", "empty municipality (no residence that year)")] == 1
    assert res["dropped"] == 6
    a = pd.read_parquet(d / "converted" / "dream.parquet")
    assert a.PNR.is_unique
    assert pd.read_parquet(d / "converted" / "eindkomst.parquet").AJO_INDBERETTEDE_LOENTIMER.max() <= 744


def test_covariates_the_delivery_lacks_are_reported_and_left_out_of_matching(delivery, tmp_path):
    """Education and origin are optional: without them the check says so, the conversion still runs, and the
    matching covariates leave out what has no variation."""
    from evaluation.specifications import _person_covariates

    d = _copy(delivery, tmp_path)
    m = _mapping(d)
    for k in ("education", "origin"):
        m["registers"]["population"].pop(k)
    _set_mapping(d, m)
    res = check_extract(d / "mapping.yaml")
    assert res["usable"]
    assert res["summary"]["population"]["not_mapped (matching leaves them out)"] == "education+origin"
    ingest(d / "mapping.yaml")
    p = pd.read_parquet(d / "converted" / "persons.parquet")
    assert p.UDD.nunique() == 1 and p.HERKOMST.nunique() == 1
    rows = pd.DataFrame({"PNR": [1, 1, 2, 2], "year": [2013, 2014] * 2, "hours": [0, 5, 3, 0.0],
                         "weeks_public_support": [52, 40, 30, 52.0], "age": [30, 31, 40, 41], "sex": [1, 1, 2, 2],
                         "edu": [2] * 4, "origin": [1] * 4, "group_kom": [860, 860, 101, 101]})
    _, covs = _person_covariates(rows, [2013, 2014])
    assert "female" in covs and not {"edu_low", "edu_high", "nonwestern"} & set(covs)


def _make_long(d: Path) -> pd.DataFrame:
    """The delivery's DREAM rewritten long (person, week as 'YYYY-Www', code), rows in any order, as a CSV."""
    w, _ = pyreadstat.read_xport(str(d / "raw" / "dream.xpt"))
    weeks = [c for c in w.columns if c.startswith("uge_")]
    long = w.melt(id_vars="pnr", value_vars=weeks, var_name="uge", value_name="ydelse").dropna()
    long = long.assign(pnr=long.pnr.astype("int64"), ydelse=long.ydelse.astype("int64"),
                       uge=long.uge.str[4:8] + "-W" + long.uge.str[9:11]).sample(frac=1, random_state=1)
    long.to_csv(d / "raw" / "dream_long.csv", sep=";", index=False)
    m = _mapping(d)
    m["registers"]["dream"] = {"file": "raw/dream_long.csv", "format": "csv", "csv": {"separator": ";"},
                               "layout": "long", "person": "pnr", "week": "uge", "week_format": "iso",
                               "code": "ydelse"}
    _set_mapping(d, m)
    return long


def test_long_dream_converts_to_the_same_wide_registers(delivery, tmp_path):
    """DREAM delivered long (a row per person and benefit week) is turned wide by duckdb: the same file as
    the wide delivery gives, for every person with a benefit week in the years."""
    wide = _copy(delivery, tmp_path / "w")
    ingest(wide / "mapping.yaml")
    d = _copy(delivery, tmp_path / "l")
    _make_long(d)
    ingest(d / "mapping.yaml")
    a = pd.read_parquet(d / "converted" / "dream.parquet")
    b = pd.read_parquet(wide / "converted" / "dream.parquet")
    b = b[b.iloc[:, 1:].notna().any(axis=1)].reset_index(drop=True)
    assert len(a) == len(b) > 300
    pd.testing.assert_frame_equal(a, b.astype(a.dtypes.to_dict()))


@pytest.mark.parametrize("defect, words", [
    (lambda x: pd.concat([x, x.iloc[[0]].assign(ydelse=130)]), "person-weeks with more than one row"),
    (lambda x: _row(x, 0, "uge", f"{FIRST}-W53"), "ISO weeks that do not exist"),
    (lambda x: _row(x, 0, "uge", "uge 14"), "weeks that are not iso"),
])
def test_broken_long_dream(delivery, tmp_path, defect, words):
    d = _copy(delivery, tmp_path)
    long = _make_long(d)
    defect(long.astype(str)).to_csv(d / "raw" / "dream_long.csv", sep=";", index=False)
    res = check_extract(d / "mapping.yaml")
    assert not res["usable"]
    hits = [p for p in res["problems"] if "dream_long.csv" in p.file and p.column == "uge"]
    assert any(words in str(p) for p in hits), [str(p) for p in res["problems"]]
