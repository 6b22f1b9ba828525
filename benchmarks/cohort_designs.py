"""Cohort designs under the cycle threat (issue 14): which estimator of the 2014 cohort's effect survives?

Small synthetic worlds as the Monte Carlo stage draws them (``monte_carlo`` settings of the config: 400,000
persons, other municipalities at 10 %), optionally starting in an earlier year (so that the financial crisis of
2008-2010 is in the panel) and with the treated municipality's own cycle elasticity overridden.  For each world
it keeps only aggregates: the yearly hours of every municipality's cohort of each baseline year (the persons in
the target group that year, by their municipality that year) and of the yearly stock, and the planted truth.

Then, per world, the average 2015-2019 effect on the 2014 cohort by

``did``            DiD of municipality means (comparisons: unweighted mean of those with at least 8 persons)
``ife``            interactive fixed effects on the cohort's own years (evaluation.estimators.factor)
``stock_adjusted`` ``did`` minus the stock's cycle excess (stock DiD minus stock interactive fixed effects)
``pseudo_*``       stacked earlier cohorts: the treated municipality's gap to the comparisons, cohort c at
                   horizon h (c + h before the reform), modelled as a_h (+ national regressors) and projected
                   to the 2014 cohort; ``none`` (horizon effects only), ``cum`` (mean national unemployment
                   since selection), ``sel_cum`` (and the national unemployment in the selection year),
                   ``cce`` (the comparisons' own mean of that cohort-horizon cell, Pesaran's common correlated
                   effects)

and prints bias, spread and bias / spread per arm.  Written for the issue's record, not run in CI.

    .venv/bin/python benchmarks/cohort_designs.py --first-year 2008 --reps 20 --arm null [--elasticity 2.5]
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from evaluation import montecarlo, stages  # noqa: E402
from evaluation.config import load_config  # noqa: E402
from evaluation.estimators.factor import interactive_fe  # noqa: E402
from evaluation.specifications import load_design_rows  # noqa: E402

T, REFORM, H = 860, 2015, 5
# gross unemployment 2008-2009 (approximating Statistics Denmark's AUL series, as config/config.yaml does
# for 2010-2019): the crisis years, before the panel's default first year
EARLY_UNEMPLOYMENT = {"2008": 2.6, "2009": 4.8}


def world_means(cfg: dict, rep: int, arm: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Cohort and stock means per municipality and year of one small world (aggregates only), and the
    planted yearly effect on the treated municipality's 2014 cohort."""
    c = montecarlo.replication_config(cfg, rep, arm)
    with tempfile.TemporaryDirectory(prefix="cohorts-") as tmp:
        out = Path(tmp)
        c["registers"] = {k: str(out / Path(v).name) for k, v in c["registers"].items()}
        stages.simulate(c, out)
        stages.panel(c, out / "person_year.parquet", out / "sample_flow.csv", out / "municipality_year.csv")
        truth = pd.read_csv(out / "truth.csv")
        parts = []
        for cy in range(c["panel"]["first_year"], REFORM):
            rows = load_design_rows(out / "person_year.parquet", c["registers"]["municipality_year"], "cohort",
                                    cohort_year=cy)
            parts.append(rows.groupby(["group_kom", "year"]).agg(y=("hours", "mean"), n=("PNR", "size"))
                         .reset_index().assign(cohort=cy))
        rows = load_design_rows(out / "person_year.parquet", c["registers"]["municipality_year"], "stock")
        parts.append(rows.groupby(["group_kom", "year"]).agg(y=("hours", "mean"), n=("PNR", "size"))
                     .reset_index().assign(cohort=-1))
    t = truth[(truth.kom == T) & (truth.design == "cohort") & (truth.outcome == "hours") & (truth.year >= REFORM)]
    return pd.concat(parts, ignore_index=True), t.sort_values("year").att.to_numpy()


def _did_and_ife(d: pd.DataFrame, cohort: int, first: int) -> tuple[pd.Series, pd.Series]:
    c = d[(d.cohort == cohort) & (d.year >= first)].rename(columns={"group_kom": "kom"})
    small = c.groupby("kom").n.min()
    c = c[c.kom.isin(small[small >= 8].index)]
    gap = c[c.kom == T].set_index("year").y - c[c.kom != T].groupby("year").y.mean()
    did = gap[gap.index >= REFORM] - gap[gap.index < REFORM].mean()
    ife = interactive_fe(c, "kom", "year", "y", T, REFORM).extras["effects_by_period"].set_index("period").effect
    return did, ife


def _pseudo(d: pd.DataFrame, unemployment: dict, kind: str) -> float:
    d = d[d.cohort > 0]
    t = d[d.group_kom == T].set_index(["cohort", "year"])
    c = d[d.group_kom != T].assign(w=lambda x: x.y * x.n).groupby(["cohort", "year"])[["w", "n"]].sum()
    df = pd.DataFrame({"y": t.y, "ybar": c.w / c.n}).dropna().reset_index()
    df["h"] = df.year - df.cohort
    df = df[(df.h >= 1) & (df.h <= H)]

    def X(x):
        cols = [(x.h == h).astype(float).to_numpy() for h in range(1, H + 1)]
        cum = np.array([np.mean([unemployment[s] for s in range(a + 1, b + 1)]) for a, b in zip(x.cohort, x.year)])
        sel = x.cohort.map(unemployment).to_numpy(float)
        extra = {"none": [], "cum": [cum], "sel_cum": [sel, cum], "cce": [x.ybar.to_numpy()]}[kind]
        return np.column_stack(cols + extra)

    pre = df[(df.year < REFORM) & (df.cohort < REFORM - 1)]
    post = df[df.cohort == REFORM - 1]
    beta, *_ = np.linalg.lstsq(X(pre), (pre.y - pre.ybar).to_numpy(), rcond=None)
    return float(np.mean((post.y - post.ybar).to_numpy() - X(post) @ beta))


def estimates(d: pd.DataFrame, first: int, unemployment: dict) -> dict:
    did, ife = _did_and_ife(d, 2014, 2010)
    s_did, s_ife = _did_and_ife(d, -1, 2010)
    out = dict(did=did.mean(), ife=ife.mean(), stock_adjusted=(did - (s_did - s_ife)).mean())
    if first < 2010:
        did8, ife8 = _did_and_ife(d, 2014, first)
        out.update(did_from_first_year=did8.mean(), ife_from_first_year=ife8.mean())
        for kind in ["none", "cum", "sel_cum", "cce"]:
            out[f"pseudo_{kind}"] = _pseudo(d, unemployment, kind)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", default=str(ROOT / "config" / "config.yaml"))
    ap.add_argument("--first-year", type=int, default=2008)
    ap.add_argument("--elasticity", type=float, default=None, help="the treated municipality's cycle elasticity")
    ap.add_argument("--arm", default="null", choices=list(montecarlo.ARMS))
    ap.add_argument("--reps", type=int, default=20)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    import os

    os.chdir(ROOT)
    cfg = copy.deepcopy(load_config(args.config))
    cfg["synthetic"]["first_year"] = cfg["panel"]["first_year"] = args.first_year
    cfg["synthetic"]["cycle"]["national_unemployment"].update(EARLY_UNEMPLOYMENT)
    if args.elasticity is not None:
        cfg["synthetic"]["municipality_overrides"][str(T)]["cycle_elasticity"] = args.elasticity
    unemployment = {int(k): float(v) for k, v in cfg["synthetic"]["cycle"]["national_unemployment"].items()}
    rows = []
    for rep in range(args.reps):
        t0 = time.perf_counter()
        d, truth = world_means(cfg, rep, args.arm)
        rows.append(dict(rep=rep, truth=truth.mean(), **estimates(d, args.first_year, unemployment)))
        print(f"replication {rep}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    o = pd.DataFrame(rows)
    print(f"arm {args.arm}, first year {args.first_year}, elasticity {args.elasticity or 'as configured'}, "
          f"{len(o)} worlds, mean planted effect {o.truth.mean():.1f}")
    for k in [c for c in o.columns if c not in ("rep", "truth")]:
        err = o[k] - o.truth
        print(f"{k:22s} bias {err.mean():7.1f} (se {err.std() / np.sqrt(len(o)):5.1f})  sd {o[k].std():6.1f}  "
              f"bias/sd {err.mean() / o[k].std():5.2f}")


if __name__ == "__main__":
    main()
