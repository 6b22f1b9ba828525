"""Does an estimator net out the treated municipality's own response to the cycle?  Worlds that differ only in
that response, with common random numbers.

Each replication is generated twice (the Monte Carlo's small world and seed, the null arm: no reform), once with
the treated municipality's job-finding elasticity to the accumulated national cycle at each value of
--elasticities (config: synthetic.municipality_overrides.<kom>.cycle_elasticity; the default world's is 1.5).
Its measured unemployment rate is the same in both.  The planted effect is zero in both, so the change in an
estimate between the two worlds is the part of the extra cycle response the estimator leaves in: 0 for an
estimator that learns the response, the whole of it for one that does not (a plain DiD's change measures the
whole).  Standard errors are of the mean paired difference.

    .venv/bin/python benchmarks/elasticity_response.py --reps 12 [--first-year 2008] [--elasticities 1.0,3.0]
        [--with-sensitivity] [--job-response 0.4] [--treated deprivation=0,...] [--specs a,b,...]
        [--out estimates.csv]

--with-sensitivity sets the municipality's cycle sensitivity of measured unemployment to the same value as its
elasticity (it rides the cycle harder in both); --specs takes the config's specifications and those defined
below (the plain DiD, interactive fixed effects with one factor imposed, cycle slopes with a lag, DiD with year
effects by cyclicality).  Besides the paired change, each world's estimates are summarised (mean, spread and
coverage of the null effect).

--job-response sets the semi-elasticity of every job-finding hazard to the municipality's cycle driver (per
percentage point; the generator's evaluation.synthetic.params.CYCLE_JOB, 0.20), changed in this process only:
how hard the cycle is.  The treated municipality's excess response grows with it.

--treated sets other overrides of the treated municipality in every world (synthetic.municipality_overrides:
deprivation, cycle_sensitivity, industry_share), e.g. to see what else moves an estimate.

--first-year 2008 starts the world and the panel in 2008, so that the financial crisis (national gross
unemployment 2.6 % in 2008, 4.8 % in 2009, 6.1 % in 2010) is in the pre-reform years.  Results:
benchmarks/README.md, "Does the preferred estimator learn the cycle response?".  About 17 s a world.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
SPECS = {
    "did_stock_plain": dict(estimator="did", design="stock", comparison="all", cycle_adjusted=False),
    # one factor imposed rather than chosen by cross-validation
    "interactive_fe_stock_r1": dict(estimator="interactive_fe", design="stock", comparison="all", factors=1,
                                    min_donor_persons=30, cycle_adjusted=False),
    # year effects by each municipality's pre-reform cyclicality (conditional parallel trends)
    "did_stock_sensitivity": dict(estimator="did", design="stock", comparison="all", sensitivity_trends=True,
                                  cycle_adjusted=False),
    # the national unemployment rate and its first lag
    "cycle_slopes_stock_lag1": dict(estimator="cycle_slopes", design="stock", comparison="all", lags=1,
                                    min_donor_persons=30, cycle_adjusted=False),
}
EARLY_UNEMPLOYMENT = {"2008": 2.6, "2009": 4.8}  # as benchmarks/cohort_designs.py


def world_config(elasticity: float, first_year: int | None, specs: list[str], sensitivity: bool = False,
                 treated: dict | None = None) -> dict:
    from evaluation.config import validate_config

    cfg = validate_config(yaml.safe_load((ROOT / "config" / "config.yaml").read_text()))
    cfg["benefit_codes"] = str(ROOT / cfg["benefit_codes"])
    cfg["municipalities"] = str(ROOT / cfg["municipalities"])
    cfg["specifications"].update(SPECS)
    cfg["monte_carlo"]["specifications"] = specs
    kom = str(cfg["estimate"]["treated_municipality"])
    overrides = cfg["synthetic"]["municipality_overrides"]
    overrides[kom] = dict(overrides.get(kom) or {}, **(treated or {}), cycle_elasticity=float(elasticity))
    if sensitivity:  # the municipality's measured unemployment rides the cycle as hard as its job finding
        overrides[kom]["cycle_sensitivity"] = float(elasticity)
    if first_year:
        cfg["synthetic"]["first_year"] = cfg["panel"]["first_year"] = int(first_year)
        cfg["synthetic"]["cycle"]["national_unemployment"].update(EARLY_UNEMPLOYMENT)
    return cfg


@contextlib.contextmanager
def null_world(cfg: dict, rep: int):
    """Replication ``rep`` of the null arm generated and its panel built in a temporary folder: yields the
    replication's configuration (registers pointing there) and the folder (person_year.parquet)."""
    from evaluation import stages
    from evaluation.montecarlo import replication_config

    c = replication_config(cfg, rep, "null")
    with tempfile.TemporaryDirectory(prefix="world-") as tmp:
        d = Path(tmp)
        c["registers"] = {k: str(d / Path(v).name) for k, v in c["registers"].items()}
        stages.simulate(c, d, truth=False)
        stages.panel(c, d / "person_year.parquet", d / "sample_flow.csv", d / "municipality_year.csv")
        yield c, d


def main() -> int:
    from evaluation.montecarlo import run_replication

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=12)
    ap.add_argument("--elasticities", default="1.0,2.0")
    ap.add_argument("--first-year", type=int, default=None)
    ap.add_argument("--specs", default="did_stock_plain,did_stock_unemployment,interactive_fe_stock")
    ap.add_argument("--with-sensitivity", action="store_true",
                    help="set the municipality's cycle sensitivity of measured unemployment to the elasticity too")
    ap.add_argument("--job-response", type=float, default=None,
                    help="job-finding semi-elasticity to the cycle driver (params.CYCLE_JOB, 0.20 in the generator)")
    ap.add_argument("--treated", default="", help="other overrides of the treated municipality: key=value,...")
    ap.add_argument("--out", default=None, help="CSV of every estimate (specification, elasticity, rep)")
    args = ap.parse_args()
    treated = {k: float(v) for k, v in (x.split("=") for x in args.treated.split(",") if x)}
    if args.job_response is not None:
        from evaluation.synthetic import params

        params.CYCLE_JOB = float(args.job_response)
    specs = args.specs.split(",")
    rows = []
    for e in [float(x) for x in args.elasticities.split(",")]:
        cfg = world_config(e, args.first_year, specs, args.with_sensitivity, treated)
        for rep in range(args.reps):
            r = run_replication(copy.deepcopy(cfg), rep, "null")
            rows.append(r.assign(elasticity=e))
            print(f"elasticity {e}, replication {rep} done", flush=True)
    d = pd.concat(rows)
    if args.out:
        d.to_csv(args.out, index=False)
    # each world alone: the null arm's planted effect is 0, so the mean estimate is the bias
    cover = (d.conf_low <= 0) & (0 <= d.conf_high)
    alone = d.assign(cover=cover).groupby(["specification", "elasticity"]).agg(
        worlds=("estimate", "size"), mean=("estimate", "mean"), sd=("estimate", "std"), coverage=("cover", "mean"))
    print(alone.round(2).to_string())
    w = d.pivot_table(index=["specification", "rep"], columns="elasticity", values="estimate")
    lo, hi = w.columns.min(), w.columns.max()
    if lo == hi:
        return 0
    diff = (w[hi] - w[lo]).groupby("specification")
    out = pd.DataFrame({"pairs": diff.count(), f"change {lo:g} -> {hi:g}": diff.mean(),
                        "se": diff.std() / np.sqrt(diff.count())})
    print(out.round(2).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
