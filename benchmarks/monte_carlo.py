"""Monte Carlo calibration of inference: replicate the whole design (generate
registers, build the panel, estimate) with fresh seeds, with and without a planted
effect, and record rejections at 5 % and coverage of the 95 % intervals.

    .venv/bin/python benchmarks/monte_carlo.py --reps 200 --workers 2

A smaller world than the default keeps one replication near 15 s (Hjørring
complete: about 5,700 persons; other municipalities at 10 % of 400,000 persons).
Results: benchmarks/out/monte_carlo.csv (one row per replication, arm and
estimator) and a summary printed at the end.
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
SPECS = {
    "did_unemployment_cohort": dict(estimator="did", design="cohort", comparison="all", covariates=["ledighed_pct"]),
    "synthetic_did_stock": dict(estimator="synthetic_did", design="stock", comparison="all", min_donor_persons=5),
    "synthetic_control_stock": dict(estimator="synthetic_control", design="stock", comparison="all",
                                    min_donor_persons=5),
}
# --suite cycle: the estimators of the business-cycle issue, in the world with the cycle threat on
# (config/config.yaml's synthetic.cycle_threat), beside the covariate-only specifications
CYCLE_SPECS = {
    "did_cohort": dict(estimator="did", design="cohort", comparison="all"),
    "did_unemployment_cohort": SPECS["did_unemployment_cohort"],
    "did_unemployment_stock": dict(estimator="did", design="stock", comparison="all", covariates=["ledighed_pct"]),
    "interactive_fe_cohort": dict(estimator="interactive_fe", design="cohort", min_donor_persons=5),
    "interactive_fe_stock": dict(estimator="interactive_fe", design="stock", min_donor_persons=5),
    "cycle_slopes_cohort": dict(estimator="cycle_slopes", design="cohort", min_donor_persons=5),
    "cycle_slopes_stock": dict(estimator="cycle_slopes", design="stock", min_donor_persons=5),
    "matrix_completion_stock": dict(estimator="matrix_completion", design="stock", min_donor_persons=5),
    "synthetic_did_stock": SPECS["synthetic_did_stock"],
    "triple_did_cohort": dict(estimator="triple_did", design="cohort", reference_categories=["sygedagpenge"],
                              min_donor_persons=5),
    # the stock's composition bound: those who left the stock for førtidspension kept, with their own truth
    "interactive_fe_stock_fp_kept": dict(estimator="interactive_fe", design="stock", min_donor_persons=5,
                                         keep_leavers_to=["foertidspension"]),
}


def base_config() -> dict:
    from evaluation.config import validate_config

    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    cfg["benefit_codes"] = str(ROOT / cfg["benefit_codes"])
    cfg["municipalities"] = str(ROOT / cfg["municipalities"])
    cfg["synthetic"]["persons_national"] = 400_000
    cfg["synthetic"]["scale"] = 0.1
    cfg["estimate"]["outcomes"] = ["hours"]
    return validate_config(cfg)


BASE: dict | None = None  # read once in main(); forked workers inherit it (editing config mid-run is harmless)
SUITE = "inference"
ONLY: list[str] = []  # --specs: only these specifications (written to their own results file)


def one(args):
    rep, arm = args
    from evaluation import stages
    from evaluation.config import read_municipalities
    from evaluation.specifications import run_specification

    cfg = copy.deepcopy(BASE or base_config())
    cfg["synthetic"]["seed"] = 100_000 + rep
    if arm == "null":  # the pipeline's own null arm (no hiring ahead of the start either)
        from evaluation.montecarlo import with_arm

        cfg = with_arm(cfg, "null")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        cfg["registers"] = {k: str(out / Path(v).name) for k, v in cfg["registers"].items()}
        stages.simulate(cfg, out)
        stages.panel(cfg, out / "py.parquet", out / "flow.csv", out / "muni.csv")
        truth = pd.read_csv(out / "truth.csv")
        mun = read_municipalities(cfg["municipalities"])
        specs = CYCLE_SPECS if SUITE == "cycle" else SPECS
        for name, spec in specs.items():
            if ONLY and name not in ONLY:
                continue
            t0 = time.perf_counter()
            r = run_specification(name, spec, cfg, out / "py.parquet", out / "municipality_year.parquet", mun, truth)
            r = r.iloc[0].to_dict()
            r.update(rep=rep, arm=arm, seconds=time.perf_counter() - t0)
            rows.append(r)
    return rows


def read(path) -> pd.DataFrame:
    """The replications so far ('null' is an arm's name, not a missing value)."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def summarise(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["reject"] = df.p_value < 0.05
    df["covered"] = (df.conf_low <= df.truth) & (df.truth <= df.conf_high)
    return df.groupby(["arm", "specification"]).agg(
        replications=("rep", "nunique"), rejection_rate=("reject", "mean"), coverage=("covered", "mean"),
        mean_estimate=("estimate", "mean"), mean_truth=("truth", "mean"), sd_estimate=("estimate", "std"),
    ).reset_index()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--arms", default="null,effect")
    ap.add_argument("--suite", choices=["inference", "cycle"], default="inference",
                    help="inference: the calibration of the placebo inference (monte_carlo.csv); cycle: the "
                         "cycle-robust estimators in the world with the cycle threat (monte_carlo_cycle.csv)")
    ap.add_argument("--specs", default="", help="comma-separated specifications of the suite to run alone; "
                    "results go to monte_carlo_<suite>_<specs>.csv")
    ap.add_argument("--first-rep", type=int, default=0,
                    help="replications first-rep .. reps-1 (run disjoint ranges in separate processes)")
    ap.add_argument("--scale", type=float, default=0.1,
                    help="sampling fraction outside the treated municipality (1.0: every municipality complete, "
                         "about 80 s a replication); results of a scale other than 0.1 go to a file named by it")
    args = ap.parse_args()
    global BASE, SUITE, ONLY
    BASE = base_config()
    BASE["synthetic"]["scale"] = args.scale
    SUITE = args.suite
    if SUITE == "inference":  # the calibration of the inference ran in the world without the cycle threat
        BASE["synthetic"]["cycle_threat"] = {"enabled": False}
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / ("monte_carlo.csv" if SUITE == "inference" else "monte_carlo_cycle.csv")
    ONLY = [s for s in args.specs.split(",") if s]
    if ONLY:
        unknown = sorted(set(ONLY) - set(CYCLE_SPECS if SUITE == "cycle" else SPECS))
        if unknown:
            raise SystemExit(f"--specs: {unknown} are not specifications of the {SUITE} suite")
        path = path.with_name(f"{path.stem}_{'_'.join(ONLY)}.csv")
    if args.scale != 0.1:
        path = path.with_name(f"{path.stem}_scale{args.scale:g}.csv")
    if args.first_rep:  # a second process writes its own file; concatenate them to summarise
        path = path.with_name(f"{path.stem}_from{args.first_rep}.csv")
    done = read(path) if path.exists() else pd.DataFrame(columns=["rep", "arm"])
    todo = [(r, a) for r in range(args.first_rep, args.reps) for a in args.arms.split(",")
            if not ((done.rep == r) & (done.arm == a)).any()]
    with ProcessPoolExecutor(args.workers) as ex:
        for rows in ex.map(one, todo):
            new = pd.DataFrame(rows)
            new.to_csv(path, mode="a", header=not path.exists(), index=False, float_format="%.6f")
            print(f"rep {rows[0]['rep']} {rows[0]['arm']} done", flush=True)
    print(summarise(read(path)).to_string(index=False))


if __name__ == "__main__":
    sys.exit(main())
