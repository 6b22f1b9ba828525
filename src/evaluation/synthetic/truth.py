"""The planted truth: effects of the reform computed from both simulated worlds.

Both worlds go through the same panel code (evaluation.panel), so the truth uses
exactly the definitions the estimators see.  For a person never exposed to a
reform the two worlds coincide (common random numbers), so Y(0) = Y(1).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from evaluation.panel.build import OUTCOMES, PanelSpec, build_person_year
from evaluation.registers.read import RegisterSet, relation_sql


def planted_truth(
    registers: RegisterSet,
    counterfactual_dir: Path,
    codes: pd.DataFrame,
    municipalities: pd.DataFrame,
    spec: PanelSpec,
    reform_koms: list[int],
    threads: int = 2,
) -> pd.DataFrame:
    """Truth table: kom x design x year x outcome -> ATT, mean Y(1), mean Y(0), persons."""
    if not reform_koms:
        return pd.DataFrame(columns=["kom", "design", "year", "outcome", "att", "mean_treated", "mean_untreated", "n_persons"])
    fmt = registers.dream.suffix.lstrip(".")
    cf = RegisterSet(
        dream=Path(counterfactual_dir) / f"dream.{fmt}",
        eindkomst=Path(counterfactual_dir) / f"eindkomst.{fmt}",
        residence=registers.residence,
        persons=registers.persons,
        municipality_year=registers.municipality_year,
    )
    with tempfile.TemporaryDirectory(prefix="truth-") as tmp:
        f_path, c_path = Path(tmp) / "factual.parquet", Path(tmp) / "counterfactual.parquet"
        build_person_year(registers, codes, municipalities, spec, f_path, threads=threads,
                          restrict_to_municipalities=reform_koms)
        build_person_year(cf, codes, municipalities, spec, c_path, threads=threads)
        con = duckdb.connect()
        parts = []
        for kom in reform_koms:
            for design, cond in [("cohort", f"f.cohort AND f.cohort_kom = {int(kom)}"),
                                 ("stock", f"f.in_stock AND f.kom = {int(kom)}")]:
                sel = ", ".join(
                    f"avg(CAST(f.{o} AS DOUBLE)) AS {o}_1, "
                    f"avg(CAST(CASE WHEN c.PNR IS NULL THEN f.{o} ELSE c.{o} END AS DOUBLE)) AS {o}_0"
                    for o in OUTCOMES
                )
                df = con.execute(
                    f"""SELECT f.year, count(*) AS n_persons, {sel}
                    FROM {relation_sql(f_path)} f LEFT JOIN {relation_sql(c_path)} c
                      ON c.PNR = f.PNR AND c.year = f.year
                    WHERE {cond} GROUP BY f.year ORDER BY f.year"""
                ).df()
                for o in OUTCOMES:
                    parts.append(pd.DataFrame({
                        "kom": int(kom), "design": design, "year": df["year"].astype(int), "outcome": o,
                        "att": df[f"{o}_1"] - df[f"{o}_0"], "mean_treated": df[f"{o}_1"],
                        "mean_untreated": df[f"{o}_0"], "n_persons": df["n_persons"].astype(int),
                    }))
        con.close()
    out = pd.concat(parts, ignore_index=True)
    for c in ["att", "mean_treated", "mean_untreated"]:
        out[c] = out[c].round(6)
    return out.sort_values(["kom", "design", "outcome", "year"], ignore_index=True)
