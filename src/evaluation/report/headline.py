"""The headline: the range of the cycle-adjusted specifications, stated the way the
published evaluation states its finding, computed from specifications.csv only."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd


def headline(specifications: pd.DataFrame, outcome: str = "hours") -> dict:
    s = specifications[(specifications.outcome == outcome) & specifications.cycle_adjusted.astype(bool)]
    if s.empty:
        raise ValueError(f"headline: no cycle-adjusted specification for outcome {outcome!r}")
    lo, hi = float(s.estimate.min()), float(s.estimate.max())
    base = float(s.baseline_treated.mean())
    out = {
        "outcome": outcome,
        "low": round(lo, 1),
        "high": round(hi, 1),
        "baseline": round(base, 1),
        "relative_low": round(lo / base, 3) if base else None,
        "relative_high": round(hi / base, 3) if base else None,
        "specifications": s.specification.tolist(),
        "p_values": {r.specification: (None if pd.isna(r.p_value) else round(float(r.p_value), 3))
                     for r in s.itertuples()},
        "intervals": {r.specification: [None if not np.isfinite(r.conf_low) else round(float(r.conf_low), 1),
                                        None if not np.isfinite(r.conf_high) else round(float(r.conf_high), 1)]
                      for r in s.itertuples()},
    }
    if "truth" in s and s.truth.notna().any():
        out["planted_truth"] = {r.specification: round(float(r.truth), 1) for r in s.itertuples()}
    out["sentence"] = (
        f"Net of the business cycle, yearly paid hours of the target group rose by {out['low']:.0f}-{out['high']:.0f} "
        f"hours per person per year across {len(s)} cycle-adjusted specifications, against a baseline of "
        f"{out['baseline']:.0f} hours in the year before the reform "
        f"(+{100 * lo / base:.0f}% to +{100 * hi / base:.0f}%)."
    )
    return out


def write_headline(specifications_csv: Path, out_json: Path) -> dict:
    h = headline(pd.read_csv(specifications_csv))
    Path(out_json).write_text(json.dumps(h, indent=2, sort_keys=True) + "\n")
    return h
