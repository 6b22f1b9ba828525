"""How conservative is the excess-cycle sensitivity (``evaluation.estimators.excess_cycle``)?

The same worlds as benchmarks/elasticity_response.py: the Monte Carlo's small world, the null arm (planted effect
0), generated at each value of --elasticities of the treated municipality's job-finding elasticity to the
accumulated national cycle, with common random numbers.  In each world the preferred stock specification
(``interactive_fe_stock``) is fitted as the report's details stage fits it, and the sensitivity table is made
with the municipality's pre-reform cyclicality as the benchmark ratio.  Printed per elasticity: the mean
estimate (its bias: the truth is 0), the comparison municipalities' change that the table scales, the
breakdown ratios, the estimate at the benchmark ratio and at the ratio of the planted elasticities (the treated
municipality's over the comparison municipalities' mean), and how often each interval covers 0.

    .venv/bin/python benchmarks/excess_cycle.py --reps 12 [--elasticities 1.0,1.5,2.0] [--out rows.csv]

About 20 s a world.  Results: benchmarks/README.md, "How conservative is the excess-cycle sensitivity?".
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from elasticity_response import null_world, world_config  # noqa: E402


def one_world(cfg: dict, rep: int) -> dict:
    from evaluation.config import read_municipalities
    from evaluation.estimators.excess_cycle import excess_cycle
    from evaluation.montecarlo import specifications_to_run
    from evaluation.specifications import cyclicality_ratio, yearly_effects
    from evaluation.synthetic.world import build_world

    name = cfg["headline"]["preferred"]["stock"]
    spec = specifications_to_run(cfg)[name]  # the donor minimum scaled to the small world, as the Monte Carlo's
    with null_world(cfg, rep) as (c, out):
        mun = read_municipalities(c["municipalities"])
        fits = {}
        yearly_effects(c, out / "person_year.parquet", c["registers"]["municipality_year"], mun, "stock",
                       dict(spec, name=name), fits=fits)
        f = fits["stock"]
        T = int(c["estimate"]["treated_municipality"])
        bench = cyclicality_ratio(c["registers"]["municipality_year"], mun, int(c["estimate"]["reform_year"]), T,
                                  f["comparison"])
        world = build_world(c, mun, np.random.default_rng(np.random.SeedSequence([int(c["synthetic"]["seed"]), 0])))
        e = pd.Series(world.elasticity, index=world.munis["kom"].to_numpy())
        planted = float(e[T] / e.reindex(f["comparison"]).mean())
        ex = excess_cycle(f["result"], benchmark=bench)
    row = dict(rep=rep, estimate=ex.estimate, conf_low=ex.conf_low, conf_high=ex.conf_high, change=ex.change,
               change_se=ex.change_se, benchmark=np.nan if bench is None else bench, planted_ratio=planted,
               **{f"breakdown_{k}": (np.nan if v is None else v) for k, v in ex.breakdown().items()})
    for label, k in (("benchmark", bench), ("planted", planted)):
        est, lo, hi = ex.at(k) if k is not None else (np.nan, np.nan, np.nan)
        row.update({f"at_{label}": est, f"at_{label}_low": lo, f"at_{label}_high": hi})
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=12)
    ap.add_argument("--elasticities", default="1.0,1.5,2.0")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    rows = []
    for e in [float(x) for x in args.elasticities.split(",")]:
        cfg = world_config(e, None, [])
        for rep in range(args.reps):
            rows.append(dict(one_world(copy.deepcopy(cfg), rep), elasticity=e))
            print(f"elasticity {e}, replication {rep} done", flush=True)
    d = pd.DataFrame(rows)
    if args.out:
        d.to_csv(args.out, index=False)

    def cover(lo, hi):
        return ((d[lo] <= 0) & (0 <= d[hi])).where(d[lo].notna())

    d = d.assign(cover=cover("conf_low", "conf_high"), cover_benchmark=cover("at_benchmark_low", "at_benchmark_high"),
                 cover_planted=cover("at_planted_low", "at_planted_high"))
    cols = ["estimate", "change", "planted_ratio", "benchmark", "breakdown_estimate_zero", "breakdown_interval_zero",
            "at_benchmark", "at_planted", "cover", "cover_benchmark", "cover_planted"]
    print(d.groupby("elasticity")[cols].mean().round(2).T.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
