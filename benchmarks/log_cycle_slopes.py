"""Do factor models on the logarithm of the stock's yearly mean hours carry a cycle response learnt in the
2008-2010 crisis to the boom better than on the hours themselves?  A prototype, not a pipeline specification.

The worlds of benchmarks/elasticity_response.py with the panel from 2008 (the Monte Carlo's small world, null
arm: planted effect 0, common random numbers), at each elasticity of the treated municipality's job finding.  Each
estimator is fitted on the yearly means and on their logarithm; the log fit's effect in hours is the
person-weighted post-reform mean of (hours - exp(log counterfactual)).  Printed: the mean estimate per elasticity
and its paired change against the first elasticity.

    .venv/bin/python benchmarks/log_cycle_slopes.py 8 1.0,2.0,3.0 2008

About 25 s a world.  Results: benchmarks/README.md, "Tried 2026-12-07 (third session of the day)".
"""

from __future__ import annotations

import copy
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from elasticity_response import null_world, world_config  # noqa: E402

ESTIMATORS = {  # name: (estimator, keyword arguments)
    "slopes_l0": ("cycle_slopes", dict(lags=0)),
    "slopes_l1": ("cycle_slopes", dict(lags=1)),
    "did": ("interactive_fe", dict(r=0)),
    "ife_r1": ("interactive_fe", dict(r=1)),
}


def one_world(cfg: dict, rep: int) -> dict:
    from evaluation import cycle_slopes, interactive_fe
    from evaluation.config import read_municipalities
    from evaluation.montecarlo import specifications_to_run
    from evaluation.specifications import eligible_donors, load_design_rows, municipality_means, national_series

    spec = specifications_to_run(cfg)["interactive_fe_stock"]
    T, year0 = int(cfg["estimate"]["treated_municipality"]), int(cfg["estimate"]["reform_year"])
    out = {}
    with null_world(cfg, rep) as (c, d):
        mun = read_municipalities(c["municipalities"])
        rows = load_design_rows(d / "person_year.parquet", c["registers"]["municipality_year"], "stock")
        m = municipality_means(rows, c["registers"]["municipality_year"], "hours")
        m, _ = eligible_donors(m, T, int(spec["min_donor_persons"]))
        m = m[m.hours > 0].copy()  # the logarithm needs hours; a municipality without them in a year drops out
        m["log_hours"] = np.log(m.hours)
        m["w_post"] = m.n_persons * (m.year >= year0)
        nat = national_series(m, mun, "ledighed_pct")
        post = sorted(y for y in m.year.unique() if y >= year0)
        treated = m[m.kom == T].set_index("year").reindex(post)
        w = treated.n_persons.to_numpy(float) / treated.n_persons.sum()
        for name, (est, kw) in ESTIMATORS.items():
            def fit(outcome):
                if est == "cycle_slopes":
                    return cycle_slopes(m, "kom", "year", outcome, T, year0, cycle=nat, post_weights="w_post", **kw)
                return interactive_fe(m, "kom", "year", outcome, T, year0, post_weights="w_post", **kw)

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # donors with a year without hours are dropped (said by a warning)
                out[name] = float(fit("hours").tidy().estimate.iloc[0])
                cf = fit("log_hours").extras["path"].set_index("year").counterfactual.reindex(post).to_numpy()
            out[name + "_log"] = float(np.sum(w * (treated.hours.to_numpy() - np.exp(cf))))
    return out


def main() -> int:
    reps, elasticities, first = int(sys.argv[1]), [float(x) for x in sys.argv[2].split(",")], int(sys.argv[3])
    res = []
    for e in elasticities:
        cfg = world_config(e, first, [])
        for rep in range(reps):
            res.append(dict(one_world(copy.deepcopy(cfg), rep), elasticity=e, rep=rep))
            print(f"elasticity {e}, replication {rep} done", flush=True)
    d = pd.DataFrame(res)
    print(d.drop(columns="rep").groupby("elasticity").mean().T.round(2).to_string())
    w = d.set_index(["elasticity", "rep"])
    base = w.xs(elasticities[0])
    for e in elasticities[1:]:
        diff = w.xs(e) - base
        print(f"change {elasticities[0]} -> {e}:")
        print(pd.DataFrame({"mean": diff.mean(), "se": diff.std() / np.sqrt(len(diff))}).round(2).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
