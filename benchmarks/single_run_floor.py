"""How close to the planted truth can one run be? The sampling floor of the 2014 cohort's estimate (issue 14).

Issue 14 asks that, in the default synthetic world, the preferred cohort estimate lie within 15 % of the planted
effect in a single run.  Whatever the estimator, the treated municipality's cohort is a sample of persons: the
mean of their untreated hours after the reform is not known, only predicted, and each person's deviation from
any prediction made from data before the reform is noise no estimator removes.  This script measures that floor
on a pipeline run's person-year panel (run `make pipeline` first):

- the best linear prediction of each cohort person's mean yearly hours 2015-2019 from the person's own hours in
  every year 2010-2014 (with indicators for years not in the panel), age, age squared, sex, education and origin,
  fitted on the comparison municipalities' cohort persons (the reform cannot have reached them);
- the residual spread of that prediction, divided by the square root of the treated municipality's cohort size:
  the standard error an oracle would still have if it knew every municipality-level part of the world (the
  cycle, each municipality's response to it, its drifts and shocks) and used the persons' own history as well
  as any estimator could, linearly;
- the chance that a normal error with that standard error, and with the spreads of the Monte Carlo's estimators,
  falls within 15 % of the planted effect.

Aggregates only are printed (no person's data).  Not run in CI.

    .venv/bin/python benchmarks/single_run_floor.py [--panel data/panel/person_year.parquet] [--truth 35]
"""

from __future__ import annotations

import argparse

import duckdb
import numpy as np
import pandas as pd
from scipy.stats import norm


def floor(panel: str, treated: int = 860, pre=range(2010, 2015), post=range(2015, 2020)) -> dict:
    pre, post = list(pre), list(post)
    d = duckdb.connect().execute(
        f"select PNR, year, hours, cohort_kom, age, sex, edu, origin from read_parquet('{panel}') where cohort").df()
    w = d.pivot_table(index=["PNR", "cohort_kom"], columns="year", values="hours").reset_index()
    who = d[d.year == max(pre)].drop_duplicates("PNR").set_index("PNR")[["age", "sex", "edu", "origin"]]
    w = w.join(who, on="PNR")
    w["y"] = w[post].mean(axis=1)
    for c in pre:
        w[f"missing_{c}"] = w[c].isna().astype(float)
        w[c] = w[c].fillna(0.0)
    w = w.dropna(subset=["y", "age", "sex", "edu", "origin"])
    X = pd.get_dummies(w[pre + [f"missing_{c}" for c in pre] + ["age", "sex", "edu", "origin"]].astype(float)
                       .assign(age2=lambda a: a.age ** 2), columns=["sex", "edu", "origin"], drop_first=True)
    X = X.astype(float).assign(const=1.0).to_numpy()
    comp = (w.cohort_kom != treated).to_numpy()
    beta, *_ = np.linalg.lstsq(X[comp], w.y.to_numpy()[comp], rcond=None)
    res = w.y.to_numpy() - X @ beta
    n = int((~comp).sum())
    sd = float(res[comp].std(ddof=X.shape[1]))
    raw = float(w.y.to_numpy()[comp].std(ddof=1))
    return dict(treated_persons=n, residual_sd=sd, r2=1 - sd**2 / raw**2, floor_se=sd / np.sqrt(n),
                contrast_se=float((w.y - w[pre].mean(axis=1))[~comp].std(ddof=1) / np.sqrt(n)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--panel", default="data/panel/person_year.parquet")
    ap.add_argument("--truth", type=float, default=35.0, help="planted effect (hours); the default run's is about 35")
    ap.add_argument("--spreads", default="41,16",
                    help="estimators' Monte Carlo spreads to compare (hours): did_all_unemployment, interactive_fe_stock")
    a = ap.parse_args()
    f = floor(a.panel)
    tol = 0.15 * a.truth
    print(f"treated cohort: {f['treated_persons']} persons; person-level prediction R2 {f['r2']:.3f}, residual sd "
          f"{f['residual_sd']:.0f} hours")
    print(f"floor (oracle knowing every municipality-level part): standard error {f['floor_se']:.1f} hours; "
          f"the persons' own post-minus-pre contrast (a DiD's treated side): {f['contrast_se']:.1f} hours")
    for label, se in [("floor", f["floor_se"]), ("own contrast", f["contrast_se"])] + [
            (f"spread {s}", float(s)) for s in a.spreads.split(",")]:
        print(f"  {label:>14}: P(|error| < 15 % of {a.truth:g} = {tol:.1f} hours) = {2 * norm.cdf(tol / se) - 1:.2f}")


if __name__ == "__main__":
    main()
