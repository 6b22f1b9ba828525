"""Why did interactive fixed effects with a covariate over-reject?  The placebo normalisation of the pipeline's
own specifications, captured as ``evaluation.inference.placebo_inference`` receives it, in Monte Carlo worlds
(``evaluation.montecarlo.replication_config``), and beta's jackknife over the comparison municipalities.

Printed per specification: the spread of the treated municipality's normalised estimate (1 if calibrated) and of
the placebos', the median between-unit variance, the treated covariate's change in the comparisons' standard
deviations, and (covariate model) each world's beta with its jackknife standard error.  The normalisation is the
current code's: since the fix it includes beta's error, so the treated spread printed is the fixed one (the
README's table before the fix, 1.50, came from this capture at commit 87780e0).

    .venv/bin/python benchmarks/covariate_size.py null 0 30

About 15 s a world with the Monte Carlo's donor pool (before 2026-12-08 the script ran config's donor minimum
of 30 persons: 7-10 comparison municipalities).  Results: benchmarks/README.md, "Fixed 2026-12-07 (seventh
session of the day)".
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
T, YEAR0 = 860, 2015
SPECS = ["interactive_fe_stock_unemployment", "interactive_fe_stock"]


def world_rows(cfg: dict, rep: int, arm: str) -> list[dict]:
    from evaluation import inference, montecarlo, stages
    from evaluation import specifications as S
    from evaluation.config import read_municipalities

    c = montecarlo.replication_config(cfg, rep, arm)
    rows = []
    with tempfile.TemporaryDirectory(prefix="covsize-") as tmp:
        out = Path(tmp)
        c["registers"] = {k: str(out / Path(v).name) for k, v in c["registers"].items()}
        manifest = stages.simulate(c, out, truth=False)
        stages.panel(c, out / "person_year.parquet", out / "sample_flow.csv", out / "municipality_year.csv")
        stages.planted_truth_stage(c, out, manifest, factual_panel=out / "person_year.parquet")
        truth, mun = pd.read_csv(out / "truth.csv"), read_municipalities(c["municipalities"])
        for name in SPECS:
            cap, orig_pi, orig_ife = {}, inference.placebo_inference, S.interactive_fe

            def pi(*a, **k):
                cap.setdefault("call", (a, k))  # the first call is the average effect's
                return orig_pi(*a, **k)

            def ife(m, *a, **k):
                cap.setdefault("means", m.copy())
                res = orig_ife(m, *a, **k)
                cap.setdefault("notes", res.notes)
                return res

            inference.placebo_inference, S.interactive_fe = pi, ife
            try:
                spec = montecarlo.small_world_spec(cfg, cfg["specifications"][name])  # the Monte Carlo's donor pool
                S.run_specification(name, spec, c, out / "person_year.parquet",
                                    c["registers"]["municipality_year"], mun, truth)
            finally:
                inference.placebo_inference, S.interactive_fe = orig_pi, orig_ife
            (att, placebo), kw = cap["call"][0][:2], cap["call"][1]
            x = cap["means"].pivot(index="kom", columns="year", values="ledighed_pct")
            dx = x.loc[:, x.columns >= YEAR0].mean(axis=1) - x.loc[:, x.columns < YEAR0].mean(axis=1)
            ctrl = dx.drop(T)
            rows.append(dict(rep=rep, spec=name, att=att, placebo=np.asarray(placebo), v_t=kw["v_treated"],
                             v_p=np.asarray(kw["v_placebo"]), dx_sd=(dx[T] - ctrl.mean()) / ctrl.std(),
                             notes=" ".join(cap["notes"])))
    return rows


def main(argv: list[str]) -> None:
    from evaluation.config import load_config
    from evaluation.inference import between_variance

    arm, first, last = argv[0], int(argv[1]), int(argv[2])
    warnings.filterwarnings("ignore")
    cfg = load_config(ROOT / "config" / "config.yaml")
    rows = [r for rep in range(first, last) for r in world_rows(cfg, rep, arm)]
    for name in SPECS:
        zt, zp, A, dx = [], [], [], []
        for r in (r for r in rows if r["spec"] == name):
            a = between_variance(r["placebo"], r["v_p"])
            zt.append(r["att"] / np.sqrt(a + r["v_t"]))
            zp.append(r["placebo"] / np.sqrt(a + r["v_p"]))
            A.append(a)
            dx.append(r["dx_sd"])
        print(f"{name} ({arm}, {len(zt)} worlds): sd of the treated normalised estimate {np.std(zt):.2f}, of the "
              f"placebos' {np.concatenate(zp).std():.2f}; median A {np.median(A):.0f}; treated covariate change "
              f"{np.mean(dx):+.2f} comparison sds from theirs")
    for r in (r for r in rows if r["spec"] == SPECS[0]):
        print(f"  world {r['rep']}: " + r["notes"].split("covariates ", 1)[-1].split(" estimated")[0])


if __name__ == "__main__":
    main(sys.argv[1:])
