"""Calibration figures of the registers: group sizes, baseline hours, the cycle.

In a synthetic run persons outside the full-scale municipalities are a sample;
national totals weight each person by 1 / sampling fraction (manifest.json).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from evaluation.registers.read import aggregate_connection, relation_sql

TARGETS = {
    "national_stock": "about 70,000 around 2017",
    "treated_stock": "about 1,000-1,400",
    "treated_baseline_hours": "about 55 before 2015",
    "treated_share_zero_hours": "most have zero hours",
    "treated_fp_grants_all": "about 50 a year before, about 200 a year with the reform",
    "national_unemployment": "high until 2013, falling after",
}


def calibration_table(person_year: Path, municipality_year: Path, municipalities: pd.DataFrame, kom: int,
                      manifest: Path | None = None, min_persons: int = 5, top_n: int = 2,
                      max_share: float = 0.85) -> pd.DataFrame:
    """Calibration figures by year; the table passes the disclosure gate (counts of the
    treated municipality below ``min_persons`` and dominated hours are suppressed)."""
    from evaluation.disclosure import share_column, suppress, suppress_dominated, top_share_sql

    frac = {}
    if manifest and Path(manifest).exists():
        frac = {int(k): float(v) for k, v in json.loads(Path(manifest).read_text())["sampling_fraction"].items()}
    con = aggregate_connection()
    w = pd.DataFrame({"kom": list(frac) or [kom], "w": [1 / v for v in frac.values()] or [1.0]})
    con.register("w", w)
    py = relation_sql(person_year)
    q = f"""
    SELECT year,
      sum(coalesce(w.w, 1.0)) AS national_stock,
      count(*) FILTER (WHERE p.kom = {kom}) AS treated_stock,
      avg(hours) FILTER (WHERE p.kom = {kom}) AS treated_baseline_hours,
      avg(CAST(hours = 0 AS DOUBLE)) FILTER (WHERE p.kom = {kom}) AS treated_share_zero_hours,
      count(*) FILTER (WHERE p.kom = {kom} AND weeks_foertidspension BETWEEN 1 AND 51) AS treated_fp_grants_from_target,
      avg(hours) AS all_baseline_hours,
      {top_share_sql("hours", top_n, f"p.kom = {kom}")} AS {share_column("treated_baseline_hours")},
      {top_share_sql("hours", top_n)} AS {share_column("all_baseline_hours")}
    FROM {py} p LEFT JOIN w ON w.kom = p.kom WHERE in_stock GROUP BY year ORDER BY year"""
    df = con.execute(q).df()
    fp = con.execute(
        f"SELECT year, count(*) FILTER (WHERE kom = {kom} AND weeks_foertidspension BETWEEN 1 AND 51) "
        f"AS treated_fp_grants_all FROM {py} GROUP BY year"
    ).df()
    df = df.merge(fp, on="year")
    mun = con.execute(f"SELECT KOM AS kom, AAR AS year, ledighed_pct FROM {relation_sql(municipality_year)}").df()
    con.close()
    pop = municipalities.rename(columns={"municipality_code": "kom"})[["kom", "population_2020"]]
    mun = mun.merge(pop, on="kom")
    nat = mun.groupby("year").apply(
        lambda g: (g.ledighed_pct * g.population_2020).sum() / g.population_2020.sum(), include_groups=False
    ).rename("national_unemployment")
    loc = mun[mun.kom == kom].set_index("year")["ledighed_pct"].rename("treated_unemployment")
    df = df.merge(nat.reset_index(), on="year").merge(loc.reset_index(), on="year")
    df["n_persons"] = df["treated_stock"]
    df["national_stock"] = df["national_stock"].round(0)
    df = suppress_dominated(df, ["treated_baseline_hours", "all_baseline_hours"], max_share)
    return suppress(df, min_persons, count_cols=("n_persons", "treated_fp_grants_from_target", "treated_fp_grants_all"),
                    protect=["year", "national_stock", "national_unemployment", "treated_unemployment",
                             "all_baseline_hours"])


def targets_table() -> pd.DataFrame:
    return pd.DataFrame({"metric": list(TARGETS), "published_figure": list(TARGETS.values())})
