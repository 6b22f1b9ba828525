"""Validation of register files before anything is built from them.

Checks run inside duckdb, so a national extract is validated without loading it
into memory.  Each failure raises RegisterError naming the file, the column, the
(1-based) data row or the value, and what was expected.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from evaluation.calendar import iso_weeks, parse_week_column
from evaluation.registers.layouts import LAYOUTS, Layout
from evaluation.registers.read import RegisterError, RegisterSet, check_exists, relation_sql

INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
NUMBER_TYPES = INTEGER_TYPES | {"FLOAT", "DOUBLE", "REAL"}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(con, path: Path) -> dict[str, str]:
    try:
        rows = con.execute(f"DESCRIBE SELECT * FROM {relation_sql(path)}").fetchall()
    except duckdb.Error as e:
        raise RegisterError(f"{path}: cannot be read as a table: {e}") from None
    return {r[0]: r[1] for r in rows}


def _type_ok(kind: str, dtype: str) -> bool:
    base = dtype.split("(")[0].upper()
    if base.startswith("DECIMAL"):
        return kind == "number"
    return base in (INTEGER_TYPES if kind == "integer" else NUMBER_TYPES)


def _check_layout(con, name: str, path: Path, layout: Layout) -> dict[str, str]:
    cols = _columns(con, path)
    missing = [c for c in layout.columns if c not in cols]
    if missing:
        raise RegisterError(
            f"{path}: register {name!r} lacks column(s) {missing}; found {list(cols)[:12]}"
            f"{' ...' if len(cols) > 12 else ''}; expected {layout.description}"
        )
    for c, kind in layout.columns.items():
        if not _type_ok(kind, cols[c]):
            example = con.execute(f"SELECT {_q(c)} FROM {relation_sql(path)} LIMIT 1").fetchone()
            raise RegisterError(
                f"{path}: column {c} has type {cols[c]} (first value {example[0] if example else None!r}); expected {kind} values"
            )
    return cols


def _first_row(con, path: Path, condition: str, column: str):
    """(1-based data row, value) of the first row where ``condition`` holds, or None."""
    r = con.execute(
        f"SELECT rn, {_q(column)} FROM (SELECT row_number() OVER () AS rn, * FROM {relation_sql(path)}) "
        f"WHERE {condition} ORDER BY rn LIMIT 1"
    ).fetchone()
    return r


def _check_content(con, name: str, path: Path, layout: Layout, cols: list[str]) -> int:
    rel = relation_sql(path)
    n = con.execute(f"SELECT count(*) FROM {rel}").fetchone()[0]
    if n == 0:
        raise RegisterError(f"{path}: register {name!r} has no rows")
    for c in cols:
        hit = _first_row(con, path, f"{_q(c)} IS NULL", c)
        if hit:
            raise RegisterError(f"{path}: column {c}, row {hit[0]}: value is empty; expected a value in every row")
    for c, (lo, hi) in layout.ranges.items():
        hit = _first_row(con, path, f"{_q(c)} < {lo} OR {_q(c)} > {hi}", c)
        if hit:
            raise RegisterError(f"{path}: column {c}, row {hit[0]}: value {hit[1]!r} is outside [{lo}, {hi}]")
    if layout.key:
        keys = ", ".join(_q(k) for k in layout.key)
        dup = con.execute(
            f"SELECT {keys}, count(*) FROM {rel} GROUP BY {keys} HAVING count(*) > 1 ORDER BY {keys} LIMIT 1"
        ).fetchone()
        if dup:
            vals = ", ".join(f"{k}={v!r}" for k, v in zip(layout.key, dup[:-1]))
            raise RegisterError(f"{path}: {dup[-1]} rows share the key {vals}; expected one row per {'/'.join(layout.key)}")
    return int(n)


def validate_registers(
    registers: RegisterSet,
    codes: pd.DataFrame,
    municipalities: pd.DataFrame,
    first_year: int,
    last_year: int,
    threads: int = 2,
    memory_limit: str = "4GB",
) -> dict:
    """Validate every register; return a summary of what was checked (aggregates only)."""
    con = duckdb.connect()
    con.execute(f"SET threads={int(threads)}")
    con.execute(f"SET memory_limit='{memory_limit}'")
    summary: dict = {}
    for name, path in registers.items():
        check_exists(name, path)
    kom_known = set(municipalities["municipality_code"].astype(int))
    for name, path in registers.items():
        layout = LAYOUTS[name]
        cols = _check_layout(con, name, path, layout)
        summary[name] = {"rows": _check_content(con, name, path, layout, list(layout.columns))}
        if name == "dream":
            summary[name].update(_check_dream(con, path, cols, codes, first_year, last_year))
        if name == "eindkomst":
            hit = _first_row(con, path, '"MAANED" % 100 NOT BETWEEN 1 AND 12 OR "MAANED" < 190001', "MAANED")
            if hit:
                raise RegisterError(f"{path}: column MAANED, row {hit[0]}: value {hit[1]!r}; expected a month as YYYYMM")
        if name in ("residence", "municipality_year"):
            rel = relation_sql(path)
            bad = con.execute(
                f"SELECT KOM, count(*) FROM {rel} WHERE KOM NOT IN ({','.join(map(str, sorted(kom_known)))}) "
                "GROUP BY KOM ORDER BY KOM LIMIT 1"
            ).fetchone()
            if bad:
                hit = _first_row(con, path, f"KOM = {int(bad[0])}", "KOM")
                raise RegisterError(
                    f"{path}: column KOM, row {hit[0]}: municipality code {bad[0]} ({bad[1]} rows) is not one of the "
                    f"98 codes in the municipality table"
                )
        if name == "municipality_year":
            got = con.execute(f"SELECT count(DISTINCT KOM), min(AAR), max(AAR) FROM {relation_sql(path)}").fetchone()
            missing = con.execute(
                f"SELECT k.kom, y.aar FROM (SELECT DISTINCT KOM AS kom FROM {relation_sql(path)}) k, "
                f"range({first_year}, {last_year + 1}) y(aar) WHERE NOT EXISTS (SELECT 1 FROM {relation_sql(path)} m "
                "WHERE m.KOM = k.kom AND m.AAR = y.aar) ORDER BY 1, 2 LIMIT 1"
            ).fetchone()
            if missing:
                raise RegisterError(
                    f"{path}: municipality {missing[0]} has no row for year {missing[1]}; expected every year "
                    f"{first_year}-{last_year}"
                )
            summary[name]["municipalities"] = int(got[0])
    con.close()
    return summary


def _check_dream(con, path: Path, cols: dict[str, str], codes: pd.DataFrame, first_year: int, last_year: int) -> dict:
    week_cols = [c for c in cols if c != "PNR"]
    others = []
    parsed = {}
    for c in week_cols:
        try:
            parsed[c] = parse_week_column(c)
        except ValueError as e:
            others.append(str(e))
    if others:
        raise RegisterError(f"{path}: {others[0]}")
    need = {w.column for w in iso_weeks(first_year, last_year)}
    missing = sorted(need - set(week_cols))
    if missing:
        raise RegisterError(
            f"{path}: DREAM lacks {len(missing)} week column(s) of {first_year}-{last_year}, first {missing[:3]}; "
            "expected one column y_YYWW per ISO week"
        )
    in_window = sorted(need)
    for c in in_window:
        if not _type_ok("integer", cols[c]) and not cols[c].upper().startswith("VARCHAR"):
            raise RegisterError(f"{path}: column {c} has type {cols[c]}; expected benefit codes (integers or text)")
    known = ",".join("'" + str(c) + "'" for c in codes["code"])
    sel = ", ".join(_q(c) for c in in_window)
    as_text = ", ".join(f"CAST({_q(c)} AS VARCHAR) AS {_q(c)}" for c in in_window)
    bad = con.execute(
        f"SELECT wk, code, count(*) AS n FROM (UNPIVOT (SELECT {as_text} FROM {relation_sql(path)}) ON {sel} "
        f"INTO NAME wk VALUE code) WHERE trim(CAST(code AS VARCHAR)) NOT IN ({known}) "
        "GROUP BY wk, code ORDER BY wk, code LIMIT 1"
    ).fetchone()
    if bad:
        hit = _first_row(con, path, f"trim(CAST({_q(bad[0])} AS VARCHAR)) = '{str(bad[1]).strip()}'", bad[0])
        raise RegisterError(
            f"{path}: column {bad[0]}, row {hit[0]}: benefit code {bad[1]!r} is not in the benefit code table; "
            "expected one of its codes or an empty cell"
        )
    return {"week_columns": len(week_cols), "weeks_used": len(in_window)}
