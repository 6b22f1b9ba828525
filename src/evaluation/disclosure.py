"""Statistical disclosure control: the one gate every table written to results/ passes.

Two rules, thresholds in config (``disclosure``):

1. Minimum count (Statistics Denmark's research-server practice): a cell based on fewer
   than ``min_persons`` persons is suppressed, i.e. its values are replaced by missing and
   its count is not shown.  Tables carry their person counts in a column (``n_persons``
   by default) so the rule can be checked again by anyone (see tests/unit/test_disclosure.py
   and :func:`scan_table`).
2. Dominance, the (n, k) rule for magnitudes: a sum (or a mean, which is a sum divided by
   a published count) is suppressed when its ``top_n`` largest contributions make up more
   than ``max_share`` of it, so that one or two persons' values cannot be read off.  The
   shares need the microdata, so they are computed where the aggregate is (in duckdb, with
   :func:`top_share_sql`) and the table passes through :func:`suppress_dominated` before it
   is written; the shares themselves are never published.
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


DEFAULT_DOMINANCE = {"top_n": 2, "max_share": 0.85}
MAGNITUDES = ("hours", "weeks_public_support")  # the magnitudes whose sums and means the dominance rule guards


def dominance_rule(cfg: dict) -> tuple[int, float]:
    """(top_n, max_share) from the config's ``disclosure.dominance`` (defaults: 2, 0.85)."""
    d = {**DEFAULT_DOMINANCE, **cfg.get("disclosure", {}).get("dominance", {})}
    return int(d["top_n"]), float(d["max_share"])


def top_share_sql(column: str, top_n: int = 2, where: str | None = None) -> str:
    """duckdb aggregate: the share of ``column``'s sum held by its ``top_n`` largest values
    (values are non-negative magnitudes such as hours or weeks; NULL when the sum is 0),
    optionally over the rows matching ``where``."""
    if top_n < 1:
        raise ValueError(f"disclosure: top_n must be at least 1, not {top_n}")
    f = f" FILTER (WHERE {where})" if where else ""
    return f"list_sum(max({column}, {int(top_n)}){f}) / nullif(sum({column}){f}, 0)"


def share_column(column: str) -> str:
    return f"_top_share_{column}"


def suppress_dominated(table: pd.DataFrame, columns: list[str] | tuple[str, ...], max_share: float) -> pd.DataFrame:
    """Suppress each magnitude in ``columns`` whose top contributors' share (in the
    column ``share_column(c)``, from :func:`top_share_sql`) exceeds ``max_share``.

    The share columns are dropped; a column ``dominated`` names, per row, the columns
    suppressed by this rule (empty when none)."""
    if not 0 < max_share <= 1:
        raise ValueError(f"disclosure: max_share must be in (0, 1], not {max_share}")
    out = table.copy()
    flagged = pd.Series("", index=out.index, dtype=object)
    for c in columns:
        sc = share_column(c)
        if sc not in out.columns:
            raise ValueError(f"disclosure: table has no dominance share for {c!r} (expected column {sc!r})")
        dom = (pd.to_numeric(out[sc], errors="coerce") > max_share).fillna(False).to_numpy()
        out.loc[dom, c] = np.nan
        flagged[dom] = flagged[dom].str.cat([c] * int(dom.sum()), sep=" ").str.strip()
        out = out.drop(columns=sc)
    out["dominated"] = flagged
    return out


def secondary_suppress(table: pd.DataFrame, by: list[str], unit: str, exclude: list, count_col: str = "n_persons",
                       magnitudes: list[str] | tuple[str, ...] = MAGNITUDES,
                       protect: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """Blank a second cell wherever one blanked cell could be recovered from a published total.

    The pooled comparison group (every unit but ``exclude``, e.g. the treated municipality) is published
    per group ``by`` (design and year) with its persons and means, so a single blanked unit in a group is
    the pooled total minus the others.  Per group: if exactly one comparison unit is suppressed (row),
    the smallest other unit is suppressed too; if exactly one unit has a magnitude blanked by the
    dominance rule, that magnitude is blanked in the smallest other unit too.  A column ``secondary``
    names what each row lost this way ('row' or the magnitudes)."""
    out = table.copy()
    sec = pd.Series("", index=out.index, dtype=object)
    keep = set(protect) | set(by) | {unit}
    for _, g in out.groupby(by, sort=False):
        g = g[~g[unit].isin(exclude)]
        sup = g[SUPPRESSED_FLAG].astype(bool) if SUPPRESSED_FLAG in g.columns else pd.Series(False, index=g.index)
        if int(sup.sum()) == 1:
            others = g[~sup].sort_values(count_col, kind="stable")
            if len(others):
                i = others.index[0]
                for c in out.columns:
                    if c not in keep and c != SUPPRESSED_FLAG:
                        if pd.api.types.is_integer_dtype(out[c]):
                            out[c] = out[c].astype("Int64")
                        elif out[c].dtype == bool:
                            out[c] = out[c].astype(object)
                        out.loc[i, c] = pd.NA
                out.loc[i, SUPPRESSED_FLAG] = True
                sec[i] = "row"
        g = out.loc[g.index]
        vis = ~g[SUPPRESSED_FLAG].astype(bool) if SUPPRESSED_FLAG in g.columns else pd.Series(True, index=g.index)
        for c in magnitudes:
            if c not in g.columns:
                continue
            blank = vis & g[c].isna()
            if int(blank.sum()) == 1:
                others = g[vis & g[c].notna()].sort_values(count_col, kind="stable")
                if len(others):
                    i = others.index[0]
                    out.loc[i, c] = np.nan
                    sec[i] = (sec[i] + " " + c).strip()
    out["secondary"] = sec
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
