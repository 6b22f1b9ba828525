"""Seconds of one Monte Carlo replication, stage by stage (issue 8 asks for under 10 s on one core).

    taskset -c 0 .venv/bin/python benchmarks/replication.py --reps 3

Runs ``evaluation.montecarlo.run_replication`` of the default config (its ``monte_carlo`` small world, every
specification the Monte Carlo runs, the effect arm) ``--reps`` times in this one process, and reports the
median seconds of each stage: the world (the weekly simulation and the registers), the panel, the planted
truth, each specification; and, measured apart in a fresh interpreter, importing the libraries, which each
Snakemake job of the Monte Carlo pays once.  ``taskset -c 0`` keeps it to one core (duckdb and the BLAS
would use both otherwise).  Appends to benchmarks/out/replication.csv.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=3, help="replications to time (the median is reported)")
    ap.add_argument("--arm", default="effect", help="the Monte Carlo arm (default: effect)")
    args = ap.parse_args()

    code = ("import time; t = time.perf_counter(); import evaluation.montecarlo, evaluation.specifications, "
            "evaluation.stages, evaluation.synthetic.generate; print(time.perf_counter() - t)")
    imports = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                   cwd=ROOT).stdout.split()[-1])

    import pandas as pd
    import yaml

    from evaluation.config import validate_config
    from evaluation.montecarlo import run_replication

    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    cfg["benefit_codes"] = str(ROOT / cfg["benefit_codes"])
    cfg["municipalities"] = str(ROOT / cfg["municipalities"])
    cfg = validate_config(cfg)
    runs = []
    for rep in range(args.reps):
        timings: dict = {}
        t = time.perf_counter()
        run_replication(cfg, rep, args.arm, timings=timings)
        timings["total"] = time.perf_counter() - t
        runs.append(timings)
        print(f"replication {rep}: {timings['total']:.1f} s", flush=True)
    tab = pd.DataFrame(runs).median().rename("seconds").to_frame()
    tab.loc["imports (fresh interpreter)"] = imports
    tab["stage"] = tab.index
    tab["cores"] = len(os.sched_getaffinity(0))
    tab["reps"] = args.reps
    tab["machine"] = platform.machine()
    tab["date"] = time.strftime("%Y-%m-%d")
    print(tab[["seconds"]].round(2).to_string())
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "replication.csv"
    tab[["date", "machine", "cores", "reps", "stage", "seconds"]].round(3).to_csv(
        path, mode="a", header=not path.exists(), index=False)
    print(f"appended to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
