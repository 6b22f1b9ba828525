"""Statistical disclosure control: the one gate every table written to results/ passes.

Rule (Statistics Denmark's research-server practice): a cell based on fewer than
``min_persons`` persons is suppressed, i.e. its values are replaced by missing and
its count is not shown.  Tables carry their person counts in a column (``n_persons``
by default) so the rule can be checked again by anyone (see tests/unit/test_disclosure.py
and :func:`scan_table`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SUPPRESSED_FLAG = "suppressed"


def suppress(
    table: pd.DataFrame,
    min_persons: int = 5,
    count_cols: list[str] | tuple[str, ...] = ("n_persons",),
    protect: list[str] | tuple[str, ...] = (),
) -> pd.DataFrame:
    """Return a copy with every row whose count is below ``min_persons`` suppressed.

    Suppressed rows keep their key columns (``protect``: e.g. municipality, year,
    design) and lose every other value, counts included; a boolean column
    ``suppressed`` marks them."""
    out = table.copy()
    present = [c for c in count_cols if c in out.columns]
    if not present:
        raise ValueError(f"disclosure: table has none of the person-count columns {list(count_cols)}")
    small = np.zeros(len(out), dtype=bool)
    for c in present:
        v = pd.to_numeric(out[c], errors="coerce")
        small |= ((v > 0) & (v < min_persons)).fillna(False).to_numpy()
    keep = set(protect)
    for c in out.columns:
        if c in keep:
            continue
        if out[c].dtype == bool:
            out[c] = out[c].astype(object)
        elif pd.api.types.is_integer_dtype(out[c]):
            out[c] = out[c].astype("Int64")
        out.loc[small, c] = pd.NA
    out[SUPPRESSED_FLAG] = small
    return out


def scan_table(table: pd.DataFrame, min_persons: int = 5, count_cols=("n_persons", "persons")) -> list[str]:
    """Violations in an already published table: rows with a visible count in
    1..min_persons-1."""
    problems = []
    for c in count_cols:
        if c in table.columns:
            v = pd.to_numeric(table[c], errors="coerce")
            bad = (v > 0) & (v < min_persons)
            for i in np.flatnonzero(bad.fillna(False).to_numpy())[:5]:
                problems.append(f"row {i + 1}: {c} = {v.iloc[i]:g} < {min_persons}")
    return problems


def scan_results(root: Path, min_persons: int = 5) -> list[str]:
    """Scan every CSV under ``root`` for cells below the threshold."""
    problems = []
    for path in sorted(Path(root).rglob("*.csv")):
        df = pd.read_csv(path)
        problems += [f"{path}: {p}" for p in scan_table(df, min_persons)]
    return problems
