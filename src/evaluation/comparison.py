"""Choosing comparison municipalities: all others, the same region, an explicit list,
or the nearest on pre-period outcomes and framework conditions."""

from __future__ import annotations

import numpy as np
import pandas as pd

FRAMEWORK = ["ledighed_pct", "andel_ufaglaerte", "andel_ikke_vestlige", "andel_industri"]


def select_comparison(
    muni_means: pd.DataFrame,
    municipalities: pd.DataFrame,
    treated: int,
    method: str | list,
    outcome: str,
    pre_years: list[int],
    k: int = 10,
) -> list[int]:
    """Comparison municipality codes.

    muni_means: one row per municipality and year with the design's outcome means and
    the municipality-year conditions (columns kom, year, outcome, framework conditions).
    method: 'all', 'region', 'nearest' or an explicit list of codes."""
    koms = sorted(set(muni_means["kom"]) - {treated})
    if isinstance(method, (list, tuple)):
        unknown = sorted(set(int(x) for x in method) - set(koms))
        if unknown:
            raise ValueError(f"comparison: municipalities {unknown} are not in the data (or are the treated one)")
        return sorted(int(x) for x in method)
    if method == "all":
        return koms
    if method == "region":
        reg = municipalities.set_index("municipality_code")["region"]
        out = [c for c in koms if reg.get(c) == reg.get(treated)]
        if not out:
            raise ValueError(f"comparison: no other municipality in the region of {treated}")
        return out
    if method == "nearest":
        pre = muni_means[muni_means["year"].isin(pre_years)]
        feats = pre.pivot(index="kom", columns="year", values=outcome)
        feats.columns = [f"{outcome}_{c}" for c in feats.columns]
        fw = [c for c in FRAMEWORK if c in pre.columns]
        lvl = pre.groupby("kom")[fw].mean()
        # the cycle: how much local unemployment moved over the pre-period
        chg = pre.pivot(index="kom", columns="year", values="ledighed_pct")
        lvl["ledighed_change"] = chg[max(pre_years)] - chg[min(pre_years)]
        F = feats.join(lvl, how="inner").dropna()
        if treated not in F.index:
            raise ValueError(f"comparison: the treated municipality {treated} lacks pre-period data")
        Z = (F - F.mean()) / F.std(ddof=1).replace(0, 1)
        dist = np.sqrt(((Z - Z.loc[treated]) ** 2).sum(axis=1)).drop(treated)
        return sorted(int(x) for x in dist.nsmallest(k).index)
    raise ValueError(f"comparison: unknown method {method!r}; expected all, region, nearest or a list of codes")
