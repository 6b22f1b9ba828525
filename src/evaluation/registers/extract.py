"""Real register deliveries: one mapping file, one check, one conversion to the project's layout.

A delivery on Statistics Denmark's research servers comes in the registers' own shapes: SAS datasets (every
number an 8-byte float, so codes and ids arrive as 732.0), Stata files or Danish CSV exports (``;``, decimal
comma, latin-1), one file per year or per quarter, columns named as the delivery names them.  The mapping file
(``config/extract.example.yaml``, schema ``evaluation/data/extract.schema.yaml``) says where each register is and
which column holds what.  :func:`check_extract` reads every file in chunks (pyreadstat for SAS and Stata, duckdb
for CSV, pyarrow for Parquet) and lists every problem, naming the register, the file, the column, how many rows
and a few examples, and what to change; :func:`ingest` converts a delivery that passes into the layout the
synthetic registers have (``evaluation.registers.layouts``), so everything downstream reads the same Parquet.

Each check has a policy in the mapping (``checks``): ``error`` (the default: the check fails and nothing is
written), ``drop`` (the rows are removed and counted in ``ingest_flow.csv``, which the sample flow shows) or
``keep`` (accepted as they are, where that makes sense).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from evaluation.calendar import IsoWeek, weeks_in_iso_year
from evaluation.registers.read import RegisterError

FORMATS = ("sas7bdat", "xpt", "dta", "csv", "parquet")
CHUNK_ROWS = 20_000  # rows per chunk: about 100 MB of a 520-week DREAM (benchmarks/extract.py)
# DST's quarterly BEF files end in the quarter's last month
QUARTER_MONTH = {1: "03", 2: "06", 3: "09", 4: "12"}
POLICIES = {
    # check: (allowed policies, what "drop" removes)
    "duplicates": (("error", "drop"), "the repeated rows (the first is kept)"),
    "unknown_codes": (("error", "drop"), "the week's code (set to no benefit, counted)"),
    "out_of_range": (("error", "drop"), "the rows with a value outside its range"),
    "bad_person_id": (("error", "drop"), "the rows whose person id does not match person_id.pattern"),
    "unknown_municipality": (("error", "drop"), "the rows with a municipality code not in the municipality table"),
    "unmatched_persons": (("error", "keep"), "persons in DREAM without a residence record (keep: the panel leaves "
                                            "them out and its sample flow counts them)"),
}


@dataclass
class Problem:
    register: str
    file: str
    column: str | None
    message: str
    fix: str
    count: int = 1
    examples: list = field(default_factory=list)
    check: str | None = None  # the policy that governs it, if any

    def __str__(self) -> str:
        where = f"{self.register}: {self.file}" + (f", column {self.column}" if self.column else "")
        ex = f"; e.g. {', '.join(map(str, self.examples[:3]))}" if self.examples else ""
        pol = f" [checks.{self.check}]" if self.check else ""
        return f"{where}: {self.message} ({self.count} row(s){ex}){pol}. Fix: {self.fix}"


class ExtractError(RegisterError):
    """The delivery does not match its mapping; ``problems`` lists what to fix."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"the extract has {len(problems)} problem(s):\n" + "\n".join(f"- {p}" for p in problems))


# ----------------------------------------------------------------------------------------------- the mapping
def load_mapping(path: str | Path) -> dict:
    """Read and validate a mapping file; file paths are taken relative to the mapping file's folder."""
    import jsonschema
    from importlib import resources

    path = Path(path)
    if not path.exists():
        raise ExtractError([Problem("mapping", str(path), None, "the mapping file does not exist",
                                    "give the path of a mapping file (see config/extract.example.yaml)")])
    try:
        m = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise ExtractError([Problem("mapping", str(path), None, f"not valid YAML: {e}", "correct the YAML")]) from None
    schema = yaml.safe_load(resources.files("evaluation").joinpath("data/extract.schema.yaml").read_text())
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(m or {}), key=lambda e: list(e.path))
    if errors:
        raise ExtractError([Problem("mapping", str(path), "/".join(map(str, e.path)) or None, e.message,
                                    "see the key's description in evaluation/data/extract.schema.yaml")
                            for e in errors])
    m = dict(m)
    m["_dir"] = str(path.parent.resolve())
    m["_path"] = str(path)
    m.setdefault("checks", {})
    for k in POLICIES:
        m["checks"].setdefault(k, "error")
    for k, v in m["checks"].items():
        if v not in POLICIES[k][0]:
            raise ExtractError([Problem("mapping", str(path), f"checks/{k}", f"policy {v!r} is not allowed here",
                                        f"use one of {list(POLICIES[k][0])}")])
    m.setdefault("person_id", {"pattern": r"^[0-9]{1,10}$"})
    return m


def _resolve(m: dict, p: str) -> Path:
    q = Path(p)
    return q if q.is_absolute() else Path(m["_dir"]) / q


def _files(m: dict, spec: dict, **fmt) -> Path:
    return _resolve(m, spec["file"].format(**fmt))


# ----------------------------------------------------------------------------------------------- the readers
def columns_of(path: Path, fmt: str, csv: dict | None = None) -> list[str]:
    """The column names of a file, read from its header only."""
    if fmt in ("sas7bdat", "xpt", "dta"):
        import pyreadstat

        reader = {"sas7bdat": pyreadstat.read_sas7bdat, "xpt": pyreadstat.read_xport, "dta": pyreadstat.read_dta}[fmt]
        _, meta = reader(str(path), metadataonly=True)
        return list(meta.column_names)
    if fmt == "parquet":
        return list(pq.ParquetFile(path).schema_arrow.names)
    con = _duck()
    rows = con.execute(f"DESCRIBE SELECT * FROM {_csv_sql(path, csv or {})}").fetchall()
    return [r[0] for r in rows]


def _duck():
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads=2")
    return con


def _csv_sql(path: Path, csv: dict) -> str:
    s = str(path).replace("'", "''")
    sep = csv.get("separator", ",").replace("'", "''")
    enc = csv.get("encoding", "utf-8").lower().replace("_", "-")
    enc = {"latin1": "latin-1", "iso-8859-1": "latin-1", "cp1252": "latin-1", "utf8": "utf-8"}.get(enc, enc)
    # every column as text: types and decimal marks are checked here, with the row that breaks them
    return f"read_csv('{s}', delim='{sep}', header=true, all_varchar=true, encoding='{enc}', strict_mode=false)"


def read_chunks(path: Path, fmt: str, columns: list[str], csv: dict | None = None,
                chunk_rows: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """The file's ``columns`` in chunks of ``chunk_rows`` rows (never the whole file in memory)."""
    if fmt in ("sas7bdat", "xpt", "dta"):
        import pyreadstat

        reader = {"sas7bdat": pyreadstat.read_sas7bdat, "xpt": pyreadstat.read_xport, "dta": pyreadstat.read_dta}[fmt]
        for df, _ in pyreadstat.read_file_in_chunks(reader, str(path), chunksize=chunk_rows, usecols=columns):
            yield df[columns]
    elif fmt == "parquet":
        for b in pq.ParquetFile(path).iter_batches(batch_size=chunk_rows, columns=columns):
            yield b.to_pandas()
    else:
        con = _duck()
        sel = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
        res = con.execute(f"SELECT {sel} FROM {_csv_sql(path, csv or {})}")
        while True:
            df = res.fetch_df_chunk(max(1, chunk_rows // 2048))
            if df is None or len(df) == 0:
                break
            yield df


# ------------------------------------------------------------------------------------------ value parsing
def _numbers(s: pd.Series, decimal: str | None) -> tuple[pd.Series, pd.Series]:
    """(values as float, mask of cells that are not numbers); empty cells are NaN and not flagged."""
    if s.dtype.kind in "fiub":
        return s.astype(float), pd.Series(False, index=s.index)
    t = s.astype("string").str.strip()
    empty = t.isna() | (t == "")
    if decimal == ",":
        bad_mark = t.str.contains(r"^-?\d+\.\d+$", regex=True, na=False)  # a decimal point where a comma was declared
        t = t.str.replace(",", ".", regex=False)
    else:
        bad_mark = t.str.contains(r"^-?\d+,\d+$", regex=True, na=False)
    v = pd.to_numeric(t.where(~empty), errors="coerce")
    bad = (~empty & v.isna()) | bad_mark
    return v.astype(float), bad


def _ids(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Person ids as text (floats from SAS as their integer digits) and a mask of non-integral numbers."""
    if s.dtype.kind == "f":
        frac = s.notna() & (s != np.floor(s))
        txt = s.where(~frac).astype("Int64").astype("string")
        return txt, frac
    if s.dtype.kind in "iu":
        return s.astype("Int64").astype("string"), pd.Series(False, index=s.index)
    return s.astype("string").str.strip(), pd.Series(False, index=s.index)


@dataclass
class _Acc:
    """Counts and a few examples per problem while the chunks stream by."""

    items: dict = field(default_factory=dict)

    def add(self, key: tuple, n: int, examples, **kw):
        if n <= 0:
            return
        p = self.items.get(key)
        if p is None:
            self.items[key] = Problem(count=int(n), examples=list(examples)[:3], **kw)
        else:
            p.count += int(n)
            p.examples = (p.examples + list(examples))[:3]


def _rows(mask: pd.Series, offset: int) -> list[str]:
    return [f"row {offset + int(i) + 1}" for i in np.flatnonzero(mask.to_numpy())[:3]]


# ------------------------------------------------------------------------------------------- the registers
def _weeks(first: int, last: int) -> list[IsoWeek]:
    return [IsoWeek(y, w) for y in range(first, last + 1) for w in range(1, weeks_in_iso_year(y) + 1)]


def _week_name(pattern: str, wk: IsoWeek) -> str:
    return pattern.format(yy=f"{wk.year % 100:02d}", yyyy=f"{wk.year}", ww=f"{wk.week:02d}")


class _Run:
    """One pass over the delivery: check (and, when ``out`` is given, convert)."""

    def __init__(self, m: dict, codes: pd.DataFrame, municipalities: pd.DataFrame, out: Path | None,
                 chunk_rows: int = CHUNK_ROWS):
        self.m, self.out, self.chunk_rows = m, out, chunk_rows
        self.first, self.last = int(m["first_year"]), int(m["last_year"])
        self.codes = set(codes["code"].astype(str))
        self.code_numbers = np.array(sorted(int(c) for c in self.codes if c.isdigit()), dtype=float)
        self.kom = set(municipalities["municipality_code"].astype(int))
        self.id_re = re.compile(m["person_id"]["pattern"])
        self.acc = _Acc()
        self.flow: list[dict] = []
        self.summary: dict = {}
        self.dream_ids: set[str] = set()
        self.resident_ids: set[str] = set()

    # -- helpers
    def problem(self, key, reg, file, col, msg, fix, n=1, examples=(), check=None):
        self.acc.add((reg, str(file), col, key), n, examples, register=reg, file=str(file), column=col, message=msg,
                     fix=fix, check=check)

    def policy(self, check: str) -> str:
        return self.m["checks"][check]

    def dropped(self, reg: str, check: str, n: int):
        if n:
            self.flow.append({"register": reg, "check": check, "rows_dropped": int(n)})

    def open_file(self, reg: str, path: Path, spec: dict, need: dict[str, str]) -> bool:
        """Does the file exist, open, and hold the mapped columns?"""
        fmt = spec["format"]
        if not path.exists():
            self.problem("missing", reg, path, None, "the file does not exist",
                         "check `registers." + reg + ".file` in the mapping (placeholders {year}, {quarter})")
            return False
        if path.stat().st_size == 0:
            self.problem("empty", reg, path, None, "the file is empty", "deliver the file again")
            return False
        try:
            cols = columns_of(path, fmt, spec.get("csv"))
        except Exception as e:  # a truncated or mislabelled file: the reader's own words
            self.problem("unreadable", reg, path, None, f"cannot be read as {fmt}: {str(e).splitlines()[0][:200]}",
                         f"check `registers.{reg}.format` (is it really {fmt}?) or deliver the file again")
            return False
        for role, col in need.items():
            if col not in cols:
                close = [c for c in cols if c.lower() == col.lower()]
                self.problem(f"column:{role}", reg, path, col, f"the column mapped as {role} is not in the file "
                             f"(it has {', '.join(cols[:8])}{' ...' if len(cols) > 8 else ''})",
                             f"set `registers.{reg}.{role}` to the file's column"
                             + (f" (did you mean {close[0]!r}?)" if close else ""))
        return all(col in cols for col in need.values())

    def chunks(self, reg: str, path: Path, spec: dict, columns: list[str]) -> Iterator[pd.DataFrame]:
        """The file's chunks; a file that breaks while being read (truncated) becomes a problem."""
        try:
            yield from read_chunks(path, spec["format"], columns, spec.get("csv"), self.chunk_rows)
        except Exception as e:
            self.problem("unreadable", reg, path, None,
                         f"cannot be read as {spec['format']} to its end: {str(e).splitlines()[0][:200]}",
                         "deliver the file again (it may be truncated), or check its format")

    def check_ids(self, reg, path, col, ids: pd.Series, frac: pd.Series, offset: int) -> pd.Series:
        """Mask of rows with a valid person id (problems recorded)."""
        bad = frac | ids.isna() | ~ids.fillna("").str.match(self.id_re)
        if bad.any():
            ex = [f"{r}: {v!r}" for r, v in zip(_rows(bad, offset), ids[bad].head(3).tolist())]
            lost = ids[bad].dropna().str.len().lt(10).any() and "[0-9]{10}" in self.m["person_id"]["pattern"]
            self.problem("bad_id", reg, path, col, f"person ids that do not match {self.m['person_id']['pattern']}",
                         ("ids stored as numbers have lost their leading zeros: deliver them as text, or declare "
                          "`person_id.pattern` to match" if lost else
                          "check which column holds the person id, or `person_id.pattern`")
                         + "; or set `checks.bad_person_id: drop`",
                         int(bad.sum()), ex, check="bad_person_id")
        return ~bad

    def out_of_range(self, reg, path, col, v: pd.Series, lo, hi, offset, what) -> pd.Series:
        bad = v.notna() & ((v < lo) | (v > hi))
        if bad.any():
            ex = [f"{r}: {x}" for r, x in zip(_rows(bad, offset), v[bad].head(3).tolist())]
            self.problem(f"range:{col}", reg, path, col, f"{what} outside [{lo}, {hi}]",
                         "check the column mapped here and its unit, or set `checks.out_of_range: drop`",
                         int(bad.sum()), ex, check="out_of_range")
        return bad

    def not_numbers(self, reg, path, col, s, bad, offset, decimal):
        if bad.any():
            ex = [f"{r}: {x!r}" for r, x in zip(_rows(bad, offset), s[bad].head(3).tolist())]
            hint = (f"the CSV is declared with decimal {decimal!r}: check `registers.{reg}.csv.decimal`"
                    if decimal else f"map `registers.{reg}` to a numeric column")
            self.problem(f"numbers:{col}", reg, path, col, "values that are not numbers", hint, int(bad.sum()), ex)

    def writer(self, name: str, schema: pa.Schema):
        if self.out is None:
            return None
        self.out.mkdir(parents=True, exist_ok=True)
        return pq.ParquetWriter(self.out / f"{name}.parquet.tmp", schema)

    def finish_writer(self, w, name: str):
        if w is not None:
            w.close()

    # -- DREAM (wide: one row per person, one column per ISO week)
    def dream(self):
        spec = self.m["registers"]["dream"]
        if spec.get("layout", "wide") == "long":
            return self.dream_long()
        path = _files(self.m, spec)
        weeks = _weeks(self.first, self.last)
        names = {wk: _week_name(spec.get("week_columns", "y_{yy}{ww}"), wk) for wk in weeks}
        need = {"person": spec["person"]}
        if not self.open_file("dream", path, spec, need):
            return
        cols = columns_of(path, spec["format"], spec.get("csv"))
        missing = [names[wk] for wk in weeks if names[wk] not in cols]
        if missing:
            self.problem("weeks", "dream", path, missing[0], f"{len(missing)} week column(s) of {self.first}-"
                         f"{self.last} are missing (the pattern {spec.get('week_columns', 'y_{yy}{ww}')!r})",
                         "deliver DREAM for every year of first_year-last_year, or correct "
                         "`registers.dream.week_columns`", len(missing), missing[:3])
            return
        week_cols = [names[wk] for wk in weeks]
        schema = pa.schema([("PNR", pa.int64())] + [(wk.column, pa.int16()) for wk in weeks])
        w = self.writer("dream", schema)
        seen: set[str] = set()
        offset = n_rows = 0
        for df in self.chunks("dream", path, spec, [spec["person"]] + week_cols):
            ids, frac = _ids(df[spec["person"]])
            ok = self.check_ids("dream", path, spec["person"], ids, frac, offset)
            dup = ids.duplicated() | ids.isin(seen)
            if dup.any():
                ex = [f"{r}: {v}" for r, v in zip(_rows(dup, offset), ids[dup].head(3))]
                self.problem("dup", "dream", path, spec["person"], "persons with more than one row",
                             "DREAM has one row per person: remove the re-delivered rows, or set "
                             "`checks.duplicates: drop`", int(dup.sum()), ex, check="duplicates")
            seen.update(ids[ok & ~dup].dropna())
            codes = np.zeros((len(df), len(week_cols)), dtype=np.int16)
            for j, c in enumerate(week_cols):
                codes[:, j] = self.codes_of(path, c, df[c], offset)
            keep = ok & ~dup
            for check, mask in (("bad_person_id", ~ok), ("duplicates", dup & ok)):
                if self.policy(check) == "drop":
                    self.dropped("dream", check, int(mask.sum()))
            n_rows += len(df)
            if w is not None:
                k = keep.to_numpy()
                arrays = [pa.array(ids[keep].astype("int64").to_numpy())] + [
                    pa.array(codes[k, j], mask=codes[k, j] == 0, type=pa.int16())
                    for j in range(len(week_cols))]
                w.write_table(pa.Table.from_arrays(arrays, schema=schema))
            offset += len(df)
        self.dream_ids = seen
        if n_rows == 0:
            self.problem("norows", "dream", path, None, "the file has no data rows", "deliver the file again")
        self.finish_writer(w, "dream")
        self.summary["dream"] = {"file": str(path), "rows": n_rows, "persons": len(seen), "weeks": len(week_cols)}

    def codes_of(self, path, col: str, s: pd.Series, offset: int) -> np.ndarray:
        """Benefit codes as int16 (0: none); SAS floats such as 732.0 are taken as 732; codes not in the table
        are problems (checks.unknown_codes; drop: that person-week becomes no benefit, counted)."""
        if s.dtype.kind in "fiu":  # numbers (SAS, Stata): checked as numbers, no text per cell
            v = s.to_numpy(dtype=float)
            none = np.isnan(v)
            known = none | ((v == np.floor(v)) & np.isin(v, self.code_numbers))
            if (~known).any():
                first = v[~known][0]
                txt0 = str(int(first)) if first == np.floor(first) else str(first)
                self.problem(f"code:{txt0}", "dream", path, col, f"benefit code {txt0!r} is not in the code table",
                             "add the code with its category to the code table named by `benefit_codes` (codes "
                             "are mapped, never guessed), or set `checks.unknown_codes: drop`",
                             int((~known).sum()), _rows(pd.Series(~known), offset), check="unknown_codes")
                if self.policy("unknown_codes") == "drop":
                    self.dropped("dream", "unknown_codes (person-weeks set to no benefit)", int((~known).sum()))
            return np.where(known & ~none, v, 0).astype(np.int16)
        else:
            txt = s.astype("string").fillna("").str.strip().str.replace(r"\.0$", "", regex=True)
        known = txt.isin(self.codes) | (txt == "")
        if (~known).any():
            self.problem(f"code:{txt[~known].iloc[0]}", "dream", path, col,
                         f"benefit code {txt[~known].iloc[0]!r} is not in the code table",
                         "add the code with its category to the code table named by `benefit_codes` (codes "
                         "are mapped, never guessed), or set `checks.unknown_codes: drop`",
                         int((~known).sum()), _rows(~known, offset), check="unknown_codes")
            if self.policy("unknown_codes") == "drop":
                self.dropped("dream", "unknown_codes (person-weeks set to no benefit)", int((~known).sum()))
                txt = txt.where(known, "")
        return pd.to_numeric(txt.where(txt != ""), errors="coerce").fillna(0).astype(np.int16).to_numpy()

    def dream_long(self):
        """DREAM delivered long: one row per person and week with a benefit (person, week, code).  The rows are
        checked in chunks, kept in a temporary Parquet file and turned wide by duckdb (PIVOT over every ISO
        week of the years), never in pandas as a whole."""
        import tempfile

        spec = self.m["registers"]["dream"]
        path = _files(self.m, spec)
        need = {"person": spec["person"], "week": spec["week"], "code": spec["code"]}
        if not self.open_file("dream", path, spec, need):
            return
        weeks = _weeks(self.first, self.last)
        valid = {wk.year * 100 + wk.week for wk in weeks}
        tmpdir = tempfile.TemporaryDirectory()
        long_path = Path(tmpdir.name) / "dream_long.parquet"
        schema = pa.schema([("PNR", pa.int64()), ("yw", pa.int32()), ("code", pa.int16())])
        w = pq.ParquetWriter(long_path, schema)
        offset = n_rows = outside = 0
        for df in self.chunks("dream", path, spec, list(need.values())):
            ids, frac = _ids(df[spec["person"]])
            ok = self.check_ids("dream", path, spec["person"], ids, frac, offset)
            yw = self._iso_weeks(path, spec, df[spec["week"]], offset)
            exists = yw.notna() & (yw.isin(valid) | (yw // 100 < self.first) | (yw // 100 > self.last))
            bad = yw.notna() & ~exists
            if bad.any():
                ex = [f"{r}: {x!r}" for r, x in zip(_rows(bad, offset), df[spec["week"]][bad].head(3).tolist())]
                self.problem("isoweek", "dream", path, spec["week"], "ISO weeks that do not exist (week 53 of a "
                             "52-week year, week 0)", "check `registers.dream.week` and `week_format`",
                             int(bad.sum()), ex)
            inside = yw.isin(valid)
            outside += int((yw.notna() & exists & ~inside).sum())
            codes = self.codes_of(path, spec["code"], df[spec["code"]], offset)
            keep = (ok & inside & (codes != 0)).to_numpy()
            if self.policy("bad_person_id") == "drop":
                self.dropped("dream", "bad_person_id", int((~ok).sum()))
            w.write_table(pa.Table.from_arrays([
                pa.array(ids[keep].astype("int64").to_numpy()), pa.array(yw[keep].astype("int32").to_numpy()),
                pa.array(codes[keep])], schema=schema))
            n_rows += len(df)
            offset += len(df)
        w.close()
        con = _duck()
        lp = str(long_path).replace("'", "''")
        dup = con.execute(f"SELECT PNR, yw, count(*) FROM read_parquet('{lp}') GROUP BY PNR, yw HAVING count(*) > 1 "
                          "ORDER BY PNR, yw LIMIT 3").fetchall()
        if dup:
            n_dup = con.execute(f"SELECT count(*) - count(DISTINCT (PNR, yw)) FROM read_parquet('{lp}')").fetchone()[0]
            self.problem("dup", "dream", path, spec["week"], "person-weeks with more than one row (DREAM has one "
                         "code per week, chosen by priority)", "remove the repeated person-weeks, or set "
                         "`checks.duplicates: drop` (the first code is kept)", int(n_dup),
                         [f"{p}/{y}" for p, y, _ in dup], check="duplicates")
            if self.policy("duplicates") == "drop":
                self.dropped("dream", "duplicates (person-weeks)", int(n_dup))
        ids = {str(r[0]) for r in con.execute(f"SELECT DISTINCT PNR FROM read_parquet('{lp}')").fetchall()}
        self.dream_ids = ids
        if self.out is not None:
            self.out.mkdir(parents=True, exist_ok=True)
            # one column per ISO week; a repeated person-week (checks.duplicates: drop) keeps its first row
            cols = ", ".join(f"arg_min(code, rn) FILTER (WHERE yw = {wk.year * 100 + wk.week}) AS {wk.column}"
                             for wk in weeks)
            op = str(self.out / "dream.parquet.tmp").replace("'", "''")
            con.execute(f"COPY (SELECT PNR, {cols} FROM (SELECT *, row_number() OVER () AS rn FROM "
                        f"read_parquet('{lp}')) GROUP BY PNR ORDER BY PNR) TO '{op}' (FORMAT parquet)")
        con.close()
        tmpdir.cleanup()
        if n_rows == 0:
            self.problem("norows", "dream", path, None, "the file has no data rows", "deliver the file again")
        self.summary["dream"] = {"file": str(path), "rows": n_rows, "persons": len(ids), "weeks": len(weeks),
                                 "rows_outside_years": outside}

    def _iso_weeks(self, path, spec, s: pd.Series, offset: int) -> pd.Series:
        """ISO weeks as YYYYWW (float, NaN where unreadable): from YYYYWW numbers or 'YYYY-Www' / 'YYYYWww' text."""
        if spec.get("week_format", "YYYYWW") == "YYYYWW":
            v, bad = _numbers(s, None)
        else:
            t = s.astype("string").str.strip().str.extract(r"^(\d{4})-?W(\d{2})$")
            v = pd.to_numeric(t[0], errors="coerce") * 100 + pd.to_numeric(t[1], errors="coerce")
            bad = s.notna() & v.isna()
        if bad.any():
            ex = [f"{r}: {x!r}" for r, x in zip(_rows(bad, offset), s[bad].head(3).tolist())]
            self.problem("weekfmt", "dream", path, spec["week"], f"weeks that are not {spec.get('week_format', 'YYYYWW')}",
                         "check `registers.dream.week_format`", int(bad.sum()), ex)
        return v.where(~bad)

    def _blocking(self) -> bool:
        """Is any recorded problem one whose policy is error (or without a policy)?"""
        return any(p.check is None or self.policy(p.check) == "error" for p in self.acc.items.values())

    # -- paid hours (eIndkomst, in BFL): one row per job and month, one file per year
    def hours(self):
        spec = self.m["registers"]["hours"]
        need = {"person": spec["person"], "month": spec["month"], "hours": spec["hours"]}
        schema = pa.schema([("PNR", pa.int64()), ("MAANED", pa.int32()), ("CVRNR", pa.int64()),
                            ("AJO_INDBERETTEDE_LOENTIMER", pa.float64())])
        w = self.writer("eindkomst", schema)
        dec = (spec.get("csv") or {}).get("decimal")
        rows = persons = 0
        for year in range(self.first, self.last + 1):
            path = _files(self.m, spec, year=year)
            if not self.open_file("hours", path, spec, need):
                continue
            offset = n = 0
            for df in self.chunks("hours", path, spec, list(need.values())):
                ids, frac = _ids(df[spec["person"]])
                ok = self.check_ids("hours", path, spec["person"], ids, frac, offset)
                h, bad = _numbers(df[spec["hours"]], dec)
                self.not_numbers("hours", path, spec["hours"], df[spec["hours"]], bad, offset, dec)
                oor = self.out_of_range("hours", path, spec["hours"], h, 0.0, 744.0, offset, "monthly hours")
                mon = self._months(path, spec, df[spec["month"]], year, offset)
                keep = ok & ~bad & ~oor & mon.notna() & h.notna()
                # an empty hours cell is a job-month without reported hours: left out, and counted
                self.dropped("hours", "empty hours (job-months without reported hours)",
                             int((ok & ~bad & ~oor & mon.notna() & h.isna()).sum()))
                for check, mask in (("bad_person_id", ~ok), ("out_of_range", oor)):
                    if self.policy(check) == "drop":
                        self.dropped("hours", check, int(mask.sum()))
                if w is not None:
                    w.write_table(pa.Table.from_pandas(pd.DataFrame({
                        "PNR": ids[keep].astype("int64").to_numpy(), "MAANED": mon[keep].astype("int32").to_numpy(),
                        "CVRNR": np.zeros(int(keep.sum()), dtype=np.int64),
                        "AJO_INDBERETTEDE_LOENTIMER": h[keep].to_numpy()}), schema=schema, preserve_index=False))
                n += len(df)
                offset += len(df)
            if n == 0:
                self.problem("norows", "hours", path, None, "the file has no data rows (header only?)",
                             "deliver the file again")
            rows += n
        if w is not None:
            w.close()
        self.summary["hours"] = {"rows": rows, "years": self.last - self.first + 1}

    def _months(self, path, spec, s: pd.Series, year: int, offset: int) -> pd.Series:
        fmt = spec.get("month_format", "YYYYMM")
        if fmt == "YYYYMM":
            v, bad = _numbers(s, None)
            mon = v.where(~bad)
            yy, mm = mon // 100, mon % 100
        elif fmt == "MM":
            v, bad = _numbers(s, None)
            mm, yy = v.where(~bad), pd.Series(float(year), index=s.index)
            mon = yy * 100 + mm
        else:  # date
            d = pd.to_datetime(s.astype("string"), format=spec.get("date_format", "%Y-%m-%d"), errors="coerce") \
                if s.dtype.kind not in "Mm" else s
            bad = d.isna() & s.notna()
            yy, mm = d.dt.year.astype(float), d.dt.month.astype(float)
            mon = yy * 100 + mm
        wrong = bad | mm.isna() | (mm < 1) | (mm > 12) | (yy != year)
        if wrong.any():
            ex = [f"{r}: {x!r}" for r, x in zip(_rows(wrong, offset), s[wrong].head(3).tolist())]
            self.problem("month", "hours", path, spec["month"], f"months that are not a month of {year} "
                         f"(declared month_format {fmt!r})",
                         "check `registers.hours.month` / `month_format`, and that the file is the one of its year",
                         int(wrong.sum()), ex)
        return mon.where(~wrong)

    # -- the population register BEF: quarterly files; residence on 1 January from a chosen quarter
    def population(self):
        spec = self.m["registers"]["population"]
        need = {k: spec[k] for k in ("person", "municipality", "sex", "birth_date") if k in spec}
        for k in ("education", "origin"):
            if k in spec:
                need[k] = spec[k]
        rule = spec.get("residence_rule", "previous_q4")
        res_schema = pa.schema([("PNR", pa.int64()), ("AAR", pa.int16()), ("KOM", pa.int16())])
        w = self.writer("residence", res_schema)
        persons: dict[str, tuple] = {}
        rows = 0
        for year in range(self.first, self.last + 1):
            fy, q = (year - 1, 4) if rule == "previous_q4" else (year, 1)
            path = _files(self.m, spec, year=fy, quarter=QUARTER_MONTH[q] if spec.get("quarter_as") == "month"
                          else q)
            if not self.open_file("population", path, spec, need):
                continue
            offset = 0
            seen: set[str] = set()
            for df in self.chunks("population", path, spec, list(need.values())):
                ids, frac = _ids(df[spec["person"]])
                ok = self.check_ids("population", path, spec["person"], ids, frac, offset)
                dup = ids.duplicated() | ids.isin(seen)
                if dup.any():
                    ex = [f"{r}: {v}" for r, v in zip(_rows(dup, offset), ids[dup].head(3))]
                    self.problem("dup", "population", path, spec["person"], "persons with more than one row in one "
                                 "quarter", "one row per person and quarter: remove the repeated rows, or set "
                                 "`checks.duplicates: drop`", int(dup.sum()), ex, check="duplicates")
                seen.update(ids[ok].dropna())
                kom, bad = _numbers(df[spec["municipality"]], None)
                unknown = kom.notna() & ~kom.isin(self.kom)
                if unknown.any():
                    ex = [f"{r}: {x:g}" for r, x in zip(_rows(unknown, offset), kom[unknown].head(3))]
                    self.problem(f"kom:{kom[unknown].iloc[0]:g}", "population", path, spec["municipality"],
                                 "municipality codes that are not in the municipality table",
                                 "check the column mapped as municipality (codes 101-860), or set "
                                 "`checks.unknown_municipality: drop`", int(unknown.sum()), ex,
                                 check="unknown_municipality")
                self.not_numbers("population", path, spec["municipality"], df[spec["municipality"]], bad, offset, None)
                sex, badsex = _numbers(df[spec["sex"]], None)
                oor = self.out_of_range("population", path, spec["sex"], sex, 1, 2, offset, "sex codes")
                birth = self._birth_years(path, spec, df[spec["birth_date"]], offset)
                keep = ok & ~dup & ~unknown & kom.notna() & ~oor
                # no municipality in the quarter (abroad, unknown address): no residence that year, counted
                self.dropped("population", "empty municipality (no residence that year)",
                             int((ok & ~dup & ~unknown & kom.isna() & ~oor).sum()))
                for check, mask in (("bad_person_id", ~ok), ("duplicates", dup & ok),
                                    ("unknown_municipality", unknown), ("out_of_range", oor)):
                    if self.policy(check) == "drop":
                        self.dropped("population", check, int(mask.sum()))
                edu = _numbers(df[spec["education"]], None)[0] if "education" in spec else pd.Series(np.nan, df.index)
                org = _numbers(df[spec["origin"]], None)[0] if "origin" in spec else pd.Series(np.nan, df.index)
                for i, s_, b_, e_, o_ in zip(ids[keep], sex[keep], birth[keep], edu[keep], org[keep]):
                    persons[i] = (s_, b_, e_, o_)
                self.resident_ids.update(ids[keep])
                if w is not None:
                    w.write_table(pa.Table.from_pandas(pd.DataFrame({
                        "PNR": ids[keep].astype("int64").to_numpy(), "AAR": np.full(int(keep.sum()), year, np.int16),
                        "KOM": kom[keep].astype("int16").to_numpy()}), schema=res_schema, preserve_index=False))
                rows += len(df)
                offset += len(df)
        if w is not None:
            w.close()
        self.summary["population"] = {"rows": rows, "persons": len(persons), "residence_rule": rule}
        missing = [k for k in ("education", "origin") if k not in spec]
        if missing:  # the converted persons file carries one value for everyone; matching leaves them out
            self.summary["population"]["not_mapped (matching leaves them out)"] = "+".join(missing)
        self._persons = persons

    def _birth_years(self, path, spec, s: pd.Series, offset: int) -> pd.Series:
        if s.dtype.kind == "M":
            y = s.dt.year.astype(float)
        elif s.dtype.kind == "O" and len(s) and isinstance(s.dropna().iloc[0] if s.notna().any() else None, dt.date):
            y = pd.to_datetime(s, errors="coerce").dt.year.astype(float)
        elif s.dtype.kind in "fiu":
            v = s.astype(float)  # a year, or a date as YYYYMMDD
            y = np.where(v > 10_000, v // 10_000, v)
            y = pd.Series(y, index=s.index)
        else:
            d = pd.to_datetime(s.astype("string"), format=spec.get("birth_date_format", "%Y-%m-%d"), errors="coerce")
            y = d.dt.year.astype(float)
        bad = y.isna() | (y < 1900) | (y > 2030)
        if bad.any():
            ex = [f"{r}: {x!r}" for r, x in zip(_rows(bad, offset), s[bad].head(3).tolist())]
            self.problem("birth", "population", path, spec["birth_date"], "birth dates that cannot be read as a date "
                         "between 1900 and 2030", "check `registers.population.birth_date` and `birth_date_format`",
                         int(bad.sum()), ex)
        return y

    def persons(self):
        if self.out is None or self._blocking():
            return
        spec = self.m["registers"]["population"]
        ids = sorted(self._persons, key=int)
        vals = np.array([self._persons[i] for i in ids], dtype=float).reshape(-1, 4)
        df = pd.DataFrame({"PNR": np.array(ids, dtype=np.int64), "FOED_AAR": vals[:, 1].astype(np.int16),
                           "KOEN": vals[:, 0].astype(np.int8)})
        # education and origin: from the mapping when it names them; otherwise the middle category, so that
        # the matching covariates carry no information (the check's report says so)
        df["UDD"] = np.nan_to_num(vals[:, 2], nan=2).astype(np.int8)
        df["HERKOMST"] = np.nan_to_num(vals[:, 3], nan=1).astype(np.int8)
        df.to_parquet(self.out / "persons.parquet.tmp", index=False)

    # -- municipality-year conditions (public tables: Danish names, decimal comma)
    def municipality_year(self):
        spec = self.m["registers"]["municipality_year"]
        path = _files(self.m, spec)
        need = {"municipality": spec["municipality"], "year": spec["year"], "unemployment": spec["unemployment"],
                "caseload": spec["caseload"], **{f"other.{k}": v for k, v in (spec.get("other") or {}).items()}}
        if not self.open_file("municipality_year", path, spec, need):
            return
        dec = (spec.get("csv") or {}).get("decimal")
        parts = list(self.chunks("municipality_year", path, spec, list(need.values())))
        if not parts:
            self.problem("norows", "municipality_year", path, None, "the file has no data rows", "deliver it again")
            return
        df = pd.concat(parts, ignore_index=True)
        if df.empty:
            self.problem("norows", "municipality_year", path, None, "the file has no data rows", "deliver it again")
            return
        out = {}
        for role, col in need.items():
            v, bad = _numbers(df[col], dec)
            self.not_numbers("municipality_year", path, col, df[col], bad, 0, dec)
            out[role] = v
        out = pd.DataFrame(out)
        unknown = out.municipality.notna() & ~out.municipality.isin(self.kom)
        if unknown.any():
            self.problem("kom", "municipality_year", path, spec["municipality"], "municipality codes that are not in "
                         "the municipality table", "check the column mapped as municipality",
                         int(unknown.sum()), _rows(unknown, 0), check="unknown_municipality")
        self.out_of_range("municipality_year", path, spec["unemployment"], out.unemployment, 0, 100, 0,
                          "unemployment rates (per cent)")
        dup = out.duplicated(["municipality", "year"], keep=False)
        if dup.any():
            self.problem("dup", "municipality_year", path, spec["municipality"], "municipality-years with more "
                         "than one row", "one row per municipality and year", int(dup.sum()), _rows(dup, 0),
                         check="duplicates")
        yrs = set(range(self.first, self.last + 1))
        gaps = [(int(k), y) for k, g in out[~unknown].groupby("municipality") for y in sorted(yrs - set(g.year))]
        if gaps:
            self.problem("gaps", "municipality_year", path, spec["year"], "municipality-years missing",
                         f"deliver every year {self.first}-{self.last} for every municipality", len(gaps),
                         [f"{k}/{y}" for k, y in gaps[:3]])
        if self.out is not None and not self._blocking():
            # years before the panel are kept (the excess-cycle benchmark reads every pre-reform year: a register
            # from 2007 holds the 2008-2010 crisis); years after it are not used
            keep = ~unknown & (out.year <= self.last)
            o = out[keep]
            res = pd.DataFrame({"KOM": o.municipality.astype(np.int16), "AAR": o.year.astype(np.int16),
                                "ledighed_pct": o.unemployment, "sager_pr_sagsbehandler": o.caseload})
            for k in spec.get("other") or {}:
                v = o[f"other.{k}"]
                # whole numbers (a population count) stay integers
                res[k] = v.astype(np.int64).to_numpy() if v.notna().all() and (v == np.floor(v)).all() else v.to_numpy()
            res.sort_values(["KOM", "AAR"]).to_parquet(self.out / "municipality_year.parquet.tmp", index=False)
        self.summary["municipality_year"] = {"rows": len(df), "municipalities": int(out.municipality.nunique())}

    def cross(self):
        """Persons in DREAM without any residence record (ids that fail to match across registers)."""
        spec = self.m["registers"]["dream"]
        if not self.dream_ids or not self.resident_ids:
            return
        lost = self.dream_ids - self.resident_ids
        share = len(lost) / len(self.dream_ids)
        self.summary["dream"]["persons_without_residence"] = len(lost)
        # some persons are never resident in the years (abroad, emigrated): only a large share says the ids
        # do not match
        limit = float(self.m["person_id"].get("max_unmatched_share", 0.05))
        if share > limit:
            ex = sorted(lost)[:3]
            self.problem("unmatched", "dream", _files(self.m, spec), spec["person"],
                         f"{len(lost)} of {len(self.dream_ids)} DREAM persons ({share:.0%}, more than "
                         f"person_id.max_unmatched_share {limit:.0%}) have no residence record in the population "
                         "register", "check that both registers use the same person id (leading zeros, text or "
                         "number), or set `checks.unmatched_persons: keep`", len(lost), ex,
                         check="unmatched_persons")


def _codes_and_municipalities(m: dict):
    from evaluation.config import read_municipalities
    from evaluation.registers.codes import read_code_table

    path = _resolve(m, m["benefit_codes"])
    if path.exists():
        t = pd.read_csv(path, dtype=str)
        if {"code", "category"} <= set(t.columns):
            cats = t.groupby(t.code.str.strip()).category.agg(lambda c: sorted(set(c)))
            two = cats[cats.map(len) > 1]
            if len(two):
                raise ExtractError([Problem("benefit_codes", str(path), "code",
                                            f"code {c!r} is mapped to two categories ({', '.join(v)})",
                                            "map every code to exactly one category", 1, [c])
                                    for c, v in two.items()])
    try:
        codes = read_code_table(path)
    except (ValueError, FileNotFoundError) as e:
        raise ExtractError([Problem("benefit_codes", str(path), None, str(e), "correct the code table named by "
                                    "`benefit_codes` (columns code, category, label, public_support)")]) from None
    try:
        mun = read_municipalities(_resolve(m, m["municipalities"]))
    except (ValueError, FileNotFoundError) as e:
        raise ExtractError([Problem("municipalities", str(_resolve(m, m["municipalities"])), None, str(e),
                                    "name the municipality table (config/municipalities.csv)")]) from None
    return codes, mun


def _run(m: dict, out: Path | None, chunk_rows: int) -> _Run:
    codes, mun = _codes_and_municipalities(m)
    r = _Run(m, codes, mun, out, chunk_rows)
    r.dream()
    r.hours()
    r.population()
    r.municipality_year()
    r.cross()
    if out is not None:
        r.persons()
    return r


def check_extract(mapping: str | Path, chunk_rows: int = CHUNK_ROWS) -> dict:
    """Check every file the mapping names; nothing is written.  Returns the summary with ``problems`` (each
    a :class:`Problem`) and ``usable`` (no problem whose policy is error)."""
    m = load_mapping(mapping)
    r = _run(m, None, chunk_rows)
    problems = list(r.acc.items.values())
    return {"summary": r.summary, "problems": problems, "usable": not r._blocking(),
            "policies": dict(m["checks"])}


def ingest(mapping: str | Path, out_dir: str | Path | None = None, chunk_rows: int = CHUNK_ROWS) -> dict:
    """Check and convert the delivery into the project's layout (``dream``, ``eindkomst``, ``residence``,
    ``persons``, ``municipality_year`` Parquet files in ``out_dir``, default the mapping's ``output_dir``).

    Nothing is written unless every check passes or is governed by a drop/keep policy: the files are written
    to a staging folder in one pass and moved into ``out_dir`` only at the end.  An unchanged delivery (same mapping, same
    files by size and modification time) is not converted again."""
    m = load_mapping(mapping)
    out = Path(out_dir) if out_dir is not None else _resolve(m, m.get("output_dir", "data/extract"))
    stamp = _fingerprint(m)
    done = out / "ingest.json"
    if done.exists() and json.loads(done.read_text()).get("fingerprint") == stamp and all(
            (out / f"{n}.parquet").exists() for n in NAMES):
        return json.loads(done.read_text())
    # one pass that checks and converts into a staging folder beside the output; the output folder is made
    # and filled only when every check passed (or is governed by a drop/keep policy)
    import shutil
    import tempfile

    parent = out.parent if out.parent.exists() else None
    staging = Path(tempfile.mkdtemp(prefix=".ingest-", dir=parent))
    try:
        r = _run(m, staging, chunk_rows)
        if r._blocking():
            raise ExtractError(list(r.acc.items.values()))
        out.mkdir(parents=True, exist_ok=True)
        for n in NAMES:
            shutil.move(staging / f"{n}.parquet.tmp", out / f"{n}.parquet")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    flow = pd.DataFrame(r.flow, columns=["register", "check", "rows_dropped"])
    flow = flow.groupby(["register", "check"], as_index=False, sort=True).rows_dropped.sum()
    flow.to_csv(out / "ingest_flow.csv", index=False)
    res = {"fingerprint": stamp, "summary": r.summary, "dropped": int(flow.rows_dropped.sum()),
           "policies": dict(m["checks"]), "files": {n: str(out / f"{n}.parquet") for n in NAMES}}
    done.write_text(json.dumps(res, indent=2, sort_keys=True))
    return res


NAMES = ("dream", "eindkomst", "residence", "persons", "municipality_year")


def output_dir(mapping: str | Path) -> Path:
    m = load_mapping(mapping)
    return _resolve(m, m.get("output_dir", "data/extract"))


def converted_paths(mapping: str | Path) -> dict[str, str]:
    """The converted registers' paths (relative to the working directory where possible), as config
    ``registers`` names them."""
    import os

    out = output_dir(mapping)
    rel = lambda p: os.path.relpath(p) if not os.path.relpath(p).startswith("..") else str(p)  # noqa: E731
    return {n: rel(out / f"{n}.parquet") for n in NAMES}


def delivery_files(mapping: str | Path) -> list[Path]:
    """Every file the mapping can name (the existing ones are the delivery)."""
    m = load_mapping(mapping)
    regs, first, last = m["registers"], int(m["first_year"]), int(m["last_year"])
    pop = regs["population"]
    rule = pop.get("residence_rule", "previous_q4")
    quarter = (lambda q: QUARTER_MONTH[q]) if pop.get("quarter_as") == "month" else (lambda q: q)
    files = [_files(m, regs["dream"]), _files(m, regs["municipality_year"])]
    files += [_files(m, regs["hours"], year=y) for y in range(first, last + 1)]
    files += [_files(m, pop, year=y - 1, quarter=quarter(4)) if rule == "previous_q4"
              else _files(m, pop, year=y, quarter=quarter(1)) for y in range(first, last + 1)]
    return files + [_resolve(m, m["benefit_codes"]), _resolve(m, m["municipalities"])]


def _fingerprint(m: dict) -> str:
    h = hashlib.sha256(json.dumps({k: v for k, v in m.items() if not k.startswith("_")}, sort_keys=True,
                                  default=str).encode())
    for p in delivery_files(m["_path"]):
        if p.exists():
            st = p.stat()
            h.update(f"{p}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def format_report(res: dict) -> str:
    """The check's short report: files, persons, years, rows per register, problems."""
    lines = ["Extract check", "============="]
    for reg, s in res["summary"].items():
        lines.append(f"{reg}: " + ", ".join(f"{k} {v}" for k, v in s.items()))
    probs = res["problems"]
    if probs:
        lines.append("")
        lines.append(f"{len(probs)} problem(s):")
        for p in probs:
            pol = res["policies"].get(p.check, "error") if p.check else "error"
            lines.append(f"- [{pol}] {p}")
    lines.append("")
    lines.append("usable: yes" if res["usable"] else "usable: no (fix the problems marked [error] in the mapping or "
                 "the delivery, or choose another policy under `checks`)")
    return "\n".join(lines)
