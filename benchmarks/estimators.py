"""Estimator speed against reference implementations, on the same public data:

- synthetic_control (V optimised + all 38 in-space placebos) vs pysyncon (one V-optimised fit;
  its full placebo run is 39 such fits),
- synthetic_did with placebo standard errors vs synthdid-py,
- att_gt with all four aggregations vs moderndid.

    .venv/bin/python benchmarks/estimators.py      # writes benchmarks/out/estimators.csv
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.estimators.reference_data import mpdta, prop99  # noqa: E402


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main():
    rows = []
    d = prop99()
    from evaluation.estimators.synthetic_control import synthetic_control

    s, r = timed(lambda: synthetic_control(d, "State", "Year", "PacksPerCapita", "California", 1989,
                                           leave_one_out=False))
    rows.append(("synthetic_control", "ours: fit + 38 placebos", s, r.tidy().estimate.iloc[0]))
    import pysyncon

    states = sorted(set(d.State) - {"California"})
    dp = pysyncon.Dataprep(foo=d, predictors=[], predictors_op="mean", dependent="PacksPerCapita",
                           unit_variable="State", time_variable="Year", treatment_identifier="California",
                           controls_identifier=states, time_predictors_prior=range(1970, 1989),
                           time_optimize_ssr=range(1970, 1989),
                           special_predictors=[("PacksPerCapita", [y], "mean") for y in range(1970, 1989)])
    syn = pysyncon.Synth()
    s, _ = timed(lambda: syn.fit(dataprep=dp))
    gap2000 = float(syn.path().loc[2000] if hasattr(syn, "path") else np.nan)
    rows.append(("synthetic_control", "pysyncon: one V-optimised fit", s, np.nan))
    rows.append(("synthetic_control", "pysyncon: full placebo run (39 fits, extrapolated)", 39 * s, np.nan))

    from evaluation.estimators.synthetic_did import synthetic_did

    s, r = timed(lambda: synthetic_did(d, "State", "Year", "PacksPerCapita", "California", 1989))
    rows.append(("synthetic_did", "ours: estimate + 200 placebo replications", s, r.tidy().estimate.iloc[0]))
    import synthdid

    def ref():
        p = synthdid.panel_matrices(d, unit="State", time="Year", outcome="PacksPerCapita", treatment="treated")
        est = synthdid.synthdid_estimate(p.Y, p.N0, p.T0)
        se = float(np.sqrt(synthdid.vcov(est, method="placebo", replications=200, random_state=1)[0][0]))
        return float(est), se

    s, (e, _) = timed(ref)
    rows.append(("synthetic_did", "synthdid-py: estimate + 200 placebo replications", s, e))

    m = mpdta()
    from evaluation.estimators.att_gt import att_gt

    def ours():
        o = att_gt(m, "lemp", "year", "countyreal", "first.treat")
        return [o.aggregate(k) for k in ("simple", "dynamic", "group", "calendar")]

    s, _ = timed(ours)
    rows.append(("att_gt", "ours: ATT(g,t) + 4 aggregations", s, np.nan))
    import moderndid

    def theirs():
        o = moderndid.att_gt(m, yname="lemp", tname="year", idname="countyreal", gname="first.treat",
                             est_method="reg", boot=False)
        return [moderndid.aggte(o, type=k) for k in ("simple", "dynamic", "group", "calendar")]

    try:
        s, _ = timed(theirs)
        rows.append(("att_gt", "moderndid: ATT(g,t) + 4 aggregations", s, np.nan))
    except Exception as e:  # a failing reference is reported, not hidden
        rows.append(("att_gt", f"moderndid failed: {type(e).__name__}: {str(e)[:80]}", np.nan, np.nan))

    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    with (out / "estimators.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["estimator", "run", "seconds", "estimate"])
        for r in rows:
            w.writerow([r[0], r[1], f"{r[2]:.2f}", "" if np.isnan(r[3]) else f"{r[3]:.3f}"])
    for r in rows:
        print(f"{r[0]:18s} {r[1]:55s} {r[2]:8.2f} s")


if __name__ == "__main__":
    main()
