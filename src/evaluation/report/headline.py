"""The headline, computed from specifications.csv and the config's ``headline`` section only.

Per design (the fixed 2014 cohort and the yearly stock estimate different things and are never
pooled into one range):

- the preferred specification (``headline.preferred.<design>``, with ``headline.reason.<design>``),
  stated with its 95 % interval and p-value; "no detectable change" when the interval covers zero;
  an interval that cannot be computed is said to be unavailable, never printed as a number;
- the other cycle-adjusted specifications of the design as its robustness range, counting only
  those whose interval is finite, and how many of them are significant at 5 %.

A design without a preferred specification gets no sentence of its own: the report then says
that none of its specifications is trusted to be net of the business cycle.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

GROUP = {"stock": "the yearly stock of the target group", "cohort": "the target group's 2014 cohort"}


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) or not np.isfinite(v) else float(v)


def _r(v, digits=1):
    return None if v is None else round(v, digits)


def _fmt(v: float) -> str:
    s = f"{v:.0f}"
    return "0" if s == "-0" else s


def effect_phrase(estimate: float, low: float | None, high: float | None, p: float | None, unit: str) -> str:
    """'rose by 36 hours per person per year (95% interval 10 to 62; p = 0.020)' and its variants
    (evaluation.report.language.effect_parts, in English)."""
    from evaluation.report.language import effect_parts

    return " ".join(effect_parts(estimate, low, high, p, unit, "en"))


def headline(specifications: pd.DataFrame, cfg_headline: dict | None = None) -> dict:
    h = cfg_headline or {}
    outcome = h.get("outcome", "hours")
    preferred = {k: v for k, v in (h.get("preferred") or {}).items() if v}
    reasons = h.get("reason") or {}
    s = specifications[specifications.outcome == outcome]
    if s.empty:
        raise ValueError(f"headline: no specification has outcome {outcome!r}")
    unit = "hours per person per year" if outcome == "hours" else f"({outcome})"
    out: dict = {"outcome": outcome, "designs": {}}
    sentences = []
    for design in ("stock", "cohort"):
        d = s[s.design == design]
        if d.empty:
            continue
        entry: dict = {}
        name = preferred.get(design)
        flags = []
        if name:
            row = d[d.specification == name]
            if row.empty:
                raise ValueError(f"headline: the preferred {design} specification {name!r} is not in the "
                                 f"specifications table (it has {sorted(d.specification)})")
            r = row.iloc[0]
            lo, hi, p = _num(r.conf_low), _num(r.conf_high), _num(r.p_value)
            base = _num(r.baseline_treated)
            if lo is None or hi is None:
                flags.append("interval unavailable")
            entry["preferred"] = {
                "specification": name, "estimator": r.estimator, "estimate": _r(float(r.estimate)),
                "conf_low": _r(lo), "conf_high": _r(hi), "p_value": _r(p, 3), "baseline": _r(base),
                "relative": _r(float(r.estimate) / base, 3) if base else None,
                "significant": bool(p is not None and p <= 0.05), "reason": reasons.get(design, ""),
                "flags": flags,
            }
            if "n_factors" in r and pd.notna(r.n_factors):  # interactive_fe: the factors the estimate used
                entry["preferred"]["n_factors"] = int(r.n_factors)
            if "truth" in r and pd.notna(r.truth):
                entry["preferred"]["planted_truth"] = _r(float(r.truth))
        fl = d["flagged"].fillna("").astype(str) if "flagged" in d.columns else pd.Series("", index=d.index)
        if name:
            own = fl[d.specification == name]
            flags += [f for f in (own.iloc[0].split("; ") if len(own) and own.iloc[0] else []) if f not in flags
                      and f != "no finite 95% interval"]
        rob = d[d.cycle_adjusted.astype(bool) & (d.specification != (name or ""))]
        # left out of the range: a degenerate pre-period fit, or a Monte Carlo outside its bands
        bad = fl.reindex(rob.index).str.contains("degenerate|Monte Carlo", regex=True)
        finite = rob[np.isfinite(rob.conf_low.astype(float)) & np.isfinite(rob.conf_high.astype(float)) & ~bad]
        entry["robustness"] = {
            "specifications": finite.specification.tolist(),
            "low": _r(_num(finite.estimate.min())) if len(finite) else None,
            "high": _r(_num(finite.estimate.max())) if len(finite) else None,
            "n_significant": int((finite.p_value <= 0.05).sum()),
            "left_out_infinite_interval": sorted(set(rob.specification[~np.isfinite(rob.conf_low.astype(float))
                                                                         | ~np.isfinite(rob.conf_high.astype(float))])),
            "left_out_flagged": {r.specification: fl[i] for i, r in rob.iterrows()
                                 if "degenerate" in fl[i] or "Monte Carlo" in fl[i]},
        }
        mc_flags = [f for f in flags if f.startswith("Monte Carlo")] if name else []
        if name and mc_flags:
            pr = entry["preferred"]
            pr["kept_out"] = True
            entry["sentence"] = (f"The preferred specification of {GROUP[design]}, {name}, is not stated as the "
                                 f"finding: its {'; '.join(mc_flags)} (the Monte Carlo section). Its estimate, "
                                 f"{_fmt(pr['estimate'])} hours, is in the specifications table.")
            sentences.append(entry["sentence"])
        elif name:
            pr = entry["preferred"]
            text = (f"Net of the business cycle, yearly paid hours of {GROUP[design]} "
                    + effect_phrase(pr["estimate"], pr["conf_low"], pr["conf_high"], pr["p_value"], unit))
            if pr["baseline"]:
                text += (f", against {_fmt(pr['baseline'])} hours in the year before the reform "
                         f"({100 * pr['estimate'] / pr['baseline']:+.0f}%)")
            shown = [f for f in pr["flags"] if f != "interval unavailable"]  # the sentence says so already
            text += f" [{name}" + (f"; flagged: {', '.join(shown)}" if shown else "") + "]."
            rb = entry["robustness"]
            n = len(rb["specifications"])
            if n == 1:
                text += (f" The one other cycle-adjusted specification of this design with a finite interval gives "
                         f"{_fmt(rb['low'])} hours ({'' if rb['n_significant'] else 'not '}significant at 5%).")
            elif n > 1:
                text += (f" The other {n} cycle-adjusted specifications of this design with a finite interval "
                         f"range from {_fmt(rb['low'])} to {_fmt(rb['high'])} hours ({rb['n_significant']} of {n} "
                         "significant at 5%).")
            entry["sentence"] = text
            sentences.append(text)
        else:
            entry["sentence"] = (f"No specification of {GROUP[design]} is named as net of the business cycle "
                                 "(headline.preferred): its estimates are robustness checks only.")
        out["designs"][design] = entry
    if not sentences:
        raise ValueError("headline: no design has a preferred specification (config headline.preferred)")
    out["sentence"] = " ".join(sentences)
    return out


def write_headline(specifications_csv: Path, out_json: Path, cfg_headline: dict | None = None) -> dict:
    h = headline(pd.read_csv(specifications_csv), cfg_headline)
    Path(out_json).write_text(json.dumps(h, indent=2, sort_keys=True) + "\n")
    return h
