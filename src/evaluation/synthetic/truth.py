"""The planted truth: effects of the reform computed from both simulated worlds.

Both worlds go through the same panel code (evaluation.panel), so the truth uses
exactly the definitions the estimators see.  For a person never exposed to a
reform the two worlds coincide (common random numbers), so Y(0) = Y(1).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from evaluation.panel.build import OUTCOMES, PanelSpec, build_person_year, kept_design, kept_leavers_condition
from evaluation.registers.read import RegisterSet, aggregate_connection, relation_sql


def planted_truth(
    registers: RegisterSet,
    counterfactual_dir: Path,
    codes: pd.DataFrame,
    municipalities: pd.DataFrame,
    spec: PanelSpec,
    reform_koms: list[int],
    threads: int = 2,
    factual_panel: Path | None = None,
    kept_leavers: list[list[str]] = (),
) -> pd.DataFrame:
    """Truth table: kom x design x year x outcome -> effect, mean Y(1), mean Y(0), persons.

    Outcomes: the panel's outcomes and the weeks on each benefit category (weeks_<category>,
    for the investment case).

    cohort: the average effect on the cohort's persons, mean(Y(1) - Y(0));
    stock:  the reform's effect on the yearly stock's mean outcome, the factual stock's
            mean minus the counterfactual stock's mean.  The stocks differ in who is in
            them (the reform moves people out of the group), so this is not an effect on
            fixed persons: it is the quantity a comparison of yearly stocks estimates.

    kept_leavers: lists of benefit categories; for each, the design ``panel.build.kept_design(categories)``: the
            stock with those who left it for these categories since the baseline year kept, by the same rule
            as the estimators' rows (panel.build.kept_leavers_condition), each world's own leavers.

    factual_panel: the factual world's person-year panel when it is already built (the Monte Carlo
    builds it for its estimators anyway); a person's rows do not depend on who else is in the panel,
    so the truth is the same as from the reform municipalities' residents' panel built otherwise."""
    if not reform_koms:
        return pd.DataFrame(columns=["kom", "design", "year", "outcome", "att", "mean_treated", "mean_untreated",
                                     "n_persons", "n_persons_untreated"])
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
        if factual_panel is None:
            build_person_year(registers, codes, municipalities, spec, f_path, threads=threads,
                              restrict_to_municipalities=reform_koms)
        else:
            f_path = Path(factual_panel)
        build_person_year(cf, codes, municipalities, spec, c_path, threads=threads)
        con = aggregate_connection()
        f, c = relation_sql(f_path), relation_sql(c_path)
        # the untreated world: counterfactual rows of exposed persons, factual rows of the others
        con.execute(
            f"""CREATE TABLE world0 AS SELECT * FROM {c}
                UNION ALL BY NAME
                SELECT * FROM {f} WHERE PNR NOT IN (SELECT DISTINCT PNR FROM {c})"""
        )
        outcomes = list(OUTCOMES) + [f"weeks_{c}" for c in sorted(codes["category"].unique())]
        parts = []
        for kom in reform_koms:
            k = int(kom)
            # cohort: the same persons in both worlds (membership is fixed before the reform)
            sel = ", ".join(
                f"avg(CAST(f.{o} AS DOUBLE)) AS {o}_1, avg(CAST(w.{o} AS DOUBLE)) AS {o}_0" for o in outcomes
            )
            coh = con.execute(
                f"""SELECT f.year, count(*) AS n1, count(w.PNR) AS n0, {sel}
                FROM {f} f LEFT JOIN world0 w ON w.PNR = f.PNR AND w.year = f.year
                WHERE f.cohort AND f.cohort_kom = {k} GROUP BY f.year ORDER BY f.year"""
            ).df()
            # stock: the yearly stock of each world (membership responds to the reform)
            designs = [("cohort", coh), ("stock", _stock_means(con, f, "f", "in_stock", k, outcomes))]
            for cats in kept_leavers:
                designs.append((kept_design(cats), _stock_means(
                    con, f, "f", f"(f.in_stock OR {kept_leavers_condition(f, cats, spec.baseline_year, 'f')})", k,
                    outcomes, f"(w.in_stock OR {kept_leavers_condition('world0', cats, spec.baseline_year, 'w')})")))
            for design, df in designs:
                for o in outcomes:
                    parts.append(pd.DataFrame({
                        "kom": k, "design": design, "year": df["year"].astype(int), "outcome": o,
                        "att": df[f"{o}_1"] - df[f"{o}_0"], "mean_treated": df[f"{o}_1"],
                        "mean_untreated": df[f"{o}_0"], "n_persons": df["n1"].astype(int),
                        "n_persons_untreated": df["n0"].astype(int),
                    }))
        con.close()
    out = pd.concat(parts, ignore_index=True)
    for c in ["att", "mean_treated", "mean_untreated"]:
        out[c] = out[c].round(6)
    return out.sort_values(["kom", "design", "outcome", "year"], ignore_index=True)


def _stock_means(con, f: str, alias: str, where: str, kom: int, outcomes: list[str], where0: str | None = None):
    """Each world's yearly means of the outcomes over the rows that satisfy its condition in municipality
    ``kom``: ``where`` on the factual panel ``f`` (alias ``f``), ``where0`` (default: the same with alias ``w``)
    on the untreated world (table world0, alias ``w``)."""
    where0 = where0 if where0 is not None else where.replace(f"{alias}.", "w.")
    s1 = con.execute(
        "SELECT year, count(*) AS n1, " + ", ".join(f"avg(CAST({o} AS DOUBLE)) AS {o}_1" for o in outcomes)
        + f" FROM {f} {alias} WHERE {where} AND {alias}.kom = {kom} GROUP BY year").df()
    s0 = con.execute(
        "SELECT year, count(*) AS n0, " + ", ".join(f"avg(CAST({o} AS DOUBLE)) AS {o}_0" for o in outcomes)
        + f" FROM world0 w WHERE {where0} AND w.kom = {kom} GROUP BY year").df()
    return s1.merge(s0, on="year", how="outer").sort_values("year")
