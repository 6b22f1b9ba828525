"""Can a better measure of the municipality's own cycle, used as a DiD covariate, take out what the local
unemployment rate leaves in?  Two prototypes, not pipeline specifications.

``reference``
    the stock DiD with, instead of (or beside) ledighed_pct, the municipality-year mean of a group in the same
    municipality that shares its labour market but is not the reform's target: persons on a-dagpenge, on
    sygedagpenge, on any public support, or everyone outside the target group (their mean yearly hours, or
    for everyone outside it the share employed).  Its coefficient is estimated across the comparison
    municipalities in every year, the boom's included.
``lags``
    a distributed-lag DiD: ledighed_pct and its lags of one and two years (a lag before the register's first
    year takes the first year's value, as cycle_slopes' do), in the stock and the cohort; a cycle whose effect on hours builds up over years should
    show in the lags.  Besides the average effect, each year's effect (the pre-reform years and that year only)
    against the planted one, and the slope of that error on the year.

Each world is one Monte Carlo replication's (``evaluation.montecarlo.replication_config``: the small world, the
arm's reform, every threat on), so the specifications of the pipeline computed in the same world can be paired
with these.  Printed: per arm and design, the mean error (estimate - planted effect) with its paired change
against the contemporaneous covariate.

    .venv/bin/python benchmarks/cycle_proxies.py reference exposed_null 0 40
    .venv/bin/python benchmarks/cycle_proxies.py lags exposed_null 0 50

About 10 s (reference) and 15 s (lags) a world.  Results: benchmarks/README.md, "Tried 2026-12-07 (sixth session
of the day)".
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
# the reference groups' municipality-year means: person-year filters of the panel (never the target stock)
REFERENCE = {
    "ref_dagpenge": "avg(hours) FILTER (WHERE weeks_a_dagpenge > 0 AND NOT in_stock)",
    "ref_sygedagpenge": "avg(hours) FILTER (WHERE weeks_sygedagpenge > 0 AND NOT in_stock)",
    "ref_public_support": "avg(hours) FILTER (WHERE weeks_public_support > 0 AND NOT in_stock)",
    "ref_everyone": "avg(hours) FILTER (WHERE NOT in_stock)",
    "employed_everyone": "avg(CAST(employed AS DOUBLE)) FILTER (WHERE NOT in_stock)",
}


def _world(cfg: dict, rep: int, arm: str, out: Path):
    from evaluation import montecarlo as mc
    from evaluation import stages

    c = mc.replication_config(cfg, rep, arm)
    c["registers"] = {k: str(out / Path(v).name) for k, v in c["registers"].items()}
    manifest = stages.simulate(c, out, truth=False)
    stages.panel(c, out / "person_year.parquet", out / "sample_flow.csv", out / "municipality_year.csv")
    stages.planted_truth_stage(c, out, manifest, factual_panel=out / "person_year.parquet")
    return c, pd.read_csv(out / "truth.csv")


def _did(data, unit, gname, covs, weights=None) -> float:
    from evaluation import did

    return float(did(data, "hours", "year", unit, "treated", "post", gname=gname, covariates=covs,
                     weights=weights).tidy().estimate.iloc[0])


def _stock_means(c: dict, rows: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """The stock's municipality-year means with ``extra`` merged, municipalities with 30 persons in every year."""
    from evaluation.specifications import municipality_means

    m = municipality_means(rows, c["registers"]["municipality_year"], "hours").merge(extra, on=["kom", "year"])
    m = m[m.n_persons >= 30]
    k = m.groupby("kom").year.count()
    m = m[m.kom.isin(k[k == k.max()].index)].copy()
    m["treated"], m["post"] = m.kom == T, m.year >= YEAR0
    return m


def reference(cfg: dict, rep: int, arm: str) -> list[dict]:
    import duckdb

    from evaluation.specifications import load_design_rows

    with tempfile.TemporaryDirectory(prefix="proxies-") as tmp:
        out = Path(tmp)
        c, truth = _world(cfg, rep, arm, out)
        py = out / "person_year.parquet"
        t = truth[(truth.kom == T) & (truth.design == "stock") & (truth.outcome == "hours") & (truth.year >= YEAR0)]
        tw = float(np.average(t.att, weights=t.n_persons))
        con = duckdb.connect()
        refs = con.execute(f"SELECT kom, year, {', '.join(f'{v} AS {k}' for k, v in REFERENCE.items())} "
                           f"FROM '{py}' GROUP BY kom, year").df()
        con.close()
        m = _stock_means(c, load_design_rows(py, c["registers"]["municipality_year"], "stock"), refs)
        rows = []
        for covs in [["ledighed_pct"]] + [[k] for k in REFERENCE] + [["ref_dagpenge", "ledighed_pct"]]:
            rows.append(dict(arm=arm, rep=rep, design="stock", covariates="+".join(covs),
                             error=_did(m, "kom", "kom", covs, "n_persons") - tw))
        return rows


def lags(cfg: dict, rep: int, arm: str) -> list[dict]:
    from evaluation.specifications import load_design_rows

    with tempfile.TemporaryDirectory(prefix="proxies-") as tmp:
        out = Path(tmp)
        c, truth = _world(cfg, rep, arm, out)
        py, my = out / "person_year.parquet", c["registers"]["municipality_year"]
        u = pd.read_csv(my) if str(my).endswith(".csv") else pd.read_parquet(my)
        u = u.rename(columns={"KOM": "kom", "AAR": "year"})[["kom", "year", "ledighed_pct"]].sort_values(["kom", "year"])
        # a lag before the register's first year takes the first year's value (as cycle_slopes' lags do)
        u["lag1"] = u.groupby("kom").ledighed_pct.shift(1).fillna(u.ledighed_pct)
        u["lag2"] = u.groupby("kom").lag1.shift(1).fillna(u.lag1)
        lagged = u[["kom", "year", "lag1", "lag2"]]
        out_rows = []
        for design in ("stock", "cohort"):
            t = truth[(truth.kom == T) & (truth.design == design) & (truth.outcome == "hours") & (truth.year >= YEAR0)]
            tw, by_year = float(np.average(t.att, weights=t.n_persons)), dict(zip(t.year, t.att))
            rows = load_design_rows(py, my, design).merge(lagged, on=["kom", "year"], how="left")
            if design == "stock":
                data, unit, g, w = _stock_means(c, rows, lagged), "kom", "kom", "n_persons"
            else:
                data = rows.assign(treated=rows.group_kom == T, post=rows.year >= YEAR0)
                unit, g, w = "PNR", "group_kom", None
            for covs in (["ledighed_pct"], ["ledighed_pct", "lag1"], ["ledighed_pct", "lag1", "lag2"]):
                d = data
                yearly = {y: _did(d[(d.year < YEAR0) | (d.year == y)], unit, g, covs, w) - by_year[y]
                          for y in sorted(by_year)}
                ys = np.array(sorted(yearly), dtype=float)
                slope = float(np.polyfit(ys, [yearly[y] for y in sorted(yearly)], 1)[0])
                out_rows.append(dict(arm=arm, rep=rep, design=design, covariates="+".join(covs),
                                     error=_did(d, unit, g, covs, w) - tw, slope=slope,
                                     **{f"error_{int(y)}": v for y, v in yearly.items()}))
        return out_rows


def main(argv: list[str]) -> None:
    from evaluation.config import load_config

    what, arm, first, last = argv[0], argv[1], int(argv[2]), int(argv[3])
    warnings.filterwarnings("ignore")
    cfg = load_config(ROOT / "config" / "config.yaml")
    run = {"reference": reference, "lags": lags}[what]
    res = pd.DataFrame([r for rep in range(first, last) for r in run(cfg, rep, arm)])
    base = res[res.covariates == "ledighed_pct"].set_index(["design", "rep"]).error
    for (design, covs), g in res.groupby(["design", "covariates"], sort=False):
        paired = g.set_index(["design", "rep"]).error - base
        line = (f"{arm} {design} {covs}: mean error {g.error.mean():+.1f} (sd {g.error.std():.1f}), paired change "
                f"{paired.mean():+.1f} (se {paired.std() / np.sqrt(len(paired)):.1f})")
        if "slope" in g:
            line += f", error trend {g.slope.mean():+.1f} h/yr (se {g.slope.std() / np.sqrt(len(g)):.1f})"
        print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
