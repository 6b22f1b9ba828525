"""Build the person-year panel from validated registers.

Definitions (also in config/README.md):

- yearly paid hours: sum of AJO_INDBERETTEDE_LOENTIMER over the calendar months of
  the year, all employers;
- weeks on public support: DREAM weeks of the ISO year whose code's category has
  public_support = true (ISO years have 52 or 53 weeks);
- weeks per category: DREAM weeks of the ISO year per category of the code table;
- employed: any paid hours in the year; stable employment: average weekly hours
  over the year (hours / (days in year / 7)) at least ``stable_hours_per_week``;
- municipality: residence on 1 January of the year;
- target group, yearly stock: at least ``min_target_weeks`` weeks in a target
  category in the year; fixed cohort: in the stock in ``baseline_year``, followed in
  all years, with the municipality of the baseline year (cohort_kom).

Every person-year or register row that does not enter the panel is counted in the
sample flow, with the reason.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from evaluation.calendar import iso_weeks
from evaluation.registers.read import RegisterSet, aggregate_connection, relation_sql

OUTCOMES = ["hours", "weeks_public_support", "employed", "stable_employed"]


@dataclass(frozen=True)
class PanelSpec:
    first_year: int
    last_year: int
    baseline_year: int
    target_categories: tuple[str, ...]
    min_target_weeks: int = 1
    age_min: int = 16
    age_max: int = 64
    stable_hours_per_week: float = 27.75

    @classmethod
    def from_config(cls, cfg: dict) -> "PanelSpec":
        p = cfg["panel"]
        return cls(
            first_year=int(p["first_year"]),
            last_year=int(p["last_year"]),
            baseline_year=int(p["baseline_year"]),
            target_categories=tuple(p["target_categories"]),
            min_target_weeks=int(p["min_target_weeks"]),
            age_min=int(p["age_min"]),
            age_max=int(p["age_max"]),
            stable_hours_per_week=float(p["stable_hours_per_week"]),
        )

    def check(self, codes: pd.DataFrame) -> None:
        if not self.first_year <= self.baseline_year <= self.last_year:
            raise ValueError(f"panel.baseline_year {self.baseline_year} is outside {self.first_year}-{self.last_year}")
        unknown = sorted(set(self.target_categories) - set(codes["category"]))
        if unknown:
            raise ValueError(
                f"panel.target_categories {unknown} are not categories of the benefit code table "
                f"(it has {sorted(set(codes['category']))})"
            )


def _q(name: str) -> str:
    return '"' + name + '"'


def kept_leavers_condition(panel_sql: str, categories: list[str], from_year: int, alias: str = "p") -> str:
    """SQL condition on the person-year row ``alias`` of ``panel_sql``: the person is not in the yearly stock,
    has at least one week in one of the benefit ``categories`` this year (e.g. foertidspension) and was in the
    stock in some year from ``from_year`` up to the year before.  Added to the stock, these rows keep those who
    left it for those benefits, with their own hours: the composition bound of the stock design (the stock's
    mean rises mechanically when persons with no hours leave it for førtidspension)."""
    if not categories:
        raise ValueError("kept_leavers_condition needs at least one benefit category")
    weeks = " + ".join(f"{alias}.{_q('weeks_' + c)}" for c in categories)
    return (f"(NOT {alias}.in_stock AND ({weeks}) > 0 AND EXISTS (SELECT 1 FROM {panel_sql} q "
            f"WHERE q.PNR = {alias}.PNR AND q.in_stock AND q.year >= {int(from_year)} AND q.year < {alias}.year))")


def kept_design(categories: list[str]) -> str:
    """The planted truth's design name of the stock with leavers to ``categories`` kept."""
    return "stock_kept_" + "_".join(sorted(categories))


def _connect(threads: int, memory_limit: str, tmp: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(Path(tmp) / "panel.duckdb"))
    con.execute(f"SET threads={int(threads)}")
    con.execute(f"SET memory_limit='{memory_limit}'")
    con.execute(f"SET temp_directory='{Path(tmp) / 'spill'}'")
    con.execute("SET preserve_insertion_order=false")
    return con


def build_person_year(
    registers: RegisterSet,
    codes: pd.DataFrame,
    municipalities: pd.DataFrame,
    spec: PanelSpec,
    out_path: Path,
    threads: int = 2,
    memory_limit: str = "4GB",
    restrict_to_municipalities: list[int] | None = None,
) -> pd.DataFrame:
    """Write the person-year panel to ``out_path`` (Parquet) and return the sample flow.

    ``restrict_to_municipalities`` keeps only persons who live in one of these
    municipalities in some year (used to compute the planted truth cheaply)."""
    spec.check(codes)
    categories = sorted(codes["category"].unique())
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    flow: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="panel-") as tmp:
        con = _connect(threads, memory_limit, tmp)
        con.register("codes_df", codes.assign(code=codes["code"].astype(str)))
        con.execute("CREATE TABLE codes AS SELECT code, category, public_support FROM codes_df")
        con.register("munis_df", municipalities[["municipality_code"]].rename(columns={"municipality_code": "kom"}))
        con.execute("CREATE TABLE munis AS SELECT CAST(kom AS INTEGER) AS kom FROM munis_df")
        years = list(range(spec.first_year, spec.last_year + 1))
        n_years = len(years)

        # 1. DREAM weeks per person, ISO year and category, one ISO year at a time
        dream = relation_sql(registers.dream)
        con.execute("CREATE TABLE persons_dream AS SELECT DISTINCT PNR FROM " + dream)
        if restrict_to_municipalities:
            koms = ",".join(str(int(k)) for k in restrict_to_municipalities)
            con.execute(
                f"DELETE FROM persons_dream WHERE PNR NOT IN "
                f"(SELECT PNR FROM {relation_sql(registers.residence)} WHERE KOM IN ({koms}))"
            )
        n_persons = con.execute("SELECT count(*) FROM persons_dream").fetchone()[0]
        flow.append(dict(step="dream_persons", description="persons in DREAM x years of the window",
                         persons=n_persons, rows=n_persons * n_years, persons_dropped=0, rows_dropped=0))
        cat_cols = ", ".join(
            f"count(*) FILTER (WHERE c.category = '{c}') AS {_q('weeks_' + c)}" for c in categories
        )
        tgt = ",".join(f"'{c}'" for c in spec.target_categories)
        con.execute(
            "CREATE TABLE weeks (PNR BIGINT, year INTEGER, weeks_public_support INTEGER, weeks_target INTEGER, "
            + ", ".join(f"{_q('weeks_' + c)} INTEGER" for c in categories)
            + ")"
        )
        for y in years:
            names = [_q(w.column) for w in iso_weeks(y, y)]
            cols = ", ".join(names)
            # cast to text: an all-empty CSV column is read as VARCHAR, a filled one as BIGINT
            as_text = ", ".join(f"CAST({c} AS VARCHAR) AS {c}" for c in names)
            con.execute(
                f"""INSERT INTO weeks
                SELECT u.PNR, {y}, count(*) FILTER (WHERE c.public_support),
                       count(*) FILTER (WHERE c.category IN ({tgt})), {cat_cols}
                FROM (UNPIVOT (SELECT PNR, {as_text} FROM {dream}) ON {cols} INTO NAME wk VALUE code) u
                JOIN codes c ON trim(u.code) = c.code
                GROUP BY u.PNR"""
            )

        # 2. paid hours per person and calendar year
        ek = relation_sql(registers.eindkomst)
        lo, hi = spec.first_year * 100 + 1, spec.last_year * 100 + 12
        ek_counts = con.execute(
            f"""SELECT count(*),
                count(*) FILTER (WHERE MAANED NOT BETWEEN {lo} AND {hi}),
                count(*) FILTER (WHERE MAANED BETWEEN {lo} AND {hi} AND PNR NOT IN (SELECT PNR FROM persons_dream))
            FROM {ek}"""
        ).fetchone()
        con.execute(
            f"""CREATE TABLE hours AS
            SELECT PNR, CAST(MAANED // 100 AS INTEGER) AS year, sum(AJO_INDBERETTEDE_LOENTIMER) AS hours,
                   count(*) AS n_rows
            FROM {ek} WHERE MAANED BETWEEN {lo} AND {hi} AND PNR IN (SELECT PNR FROM persons_dream)
            GROUP BY PNR, year"""
        )

        # 3. the person-year skeleton and the drop steps
        res = relation_sql(registers.residence)
        per = relation_sql(registers.persons)
        con.execute(
            f"""CREATE TABLE skeleton AS
            SELECT d.PNR, y.year, r.KOM AS kom, p.FOED_AAR AS birth_year, p.KOEN AS sex, p.UDD AS edu,
                   p.HERKOMST AS origin
            FROM persons_dream d CROSS JOIN range({spec.first_year}, {spec.last_year + 1}) y(year)
            LEFT JOIN (SELECT PNR, CAST(AAR AS INTEGER) AS AAR, CAST(KOM AS INTEGER) AS KOM FROM {res}) r
                   ON r.PNR = d.PNR AND r.AAR = y.year
            LEFT JOIN {per} p ON p.PNR = d.PNR"""
        )
        steps = [
            ("no_person_record", "no record in the persons register (birth year unknown)", "birth_year IS NULL"),
            ("no_residence", "not resident on 1 January (not yet immigrated, emigrated or dead)", "kom IS NULL"),
            ("outside_working_age", f"age outside {spec.age_min}-{spec.age_max} (year - birth year)",
             f"year - birth_year NOT BETWEEN {spec.age_min} AND {spec.age_max}"),
            ("unknown_municipality", "municipality code not in the municipality table",
             "kom NOT IN (SELECT kom FROM munis)"),
        ]
        for step, desc, cond in steps:
            before = con.execute("SELECT count(DISTINCT PNR), count(*) FROM skeleton").fetchone()
            con.execute(f"DELETE FROM skeleton WHERE {cond}")
            after = con.execute("SELECT count(DISTINCT PNR), count(*) FROM skeleton").fetchone()
            flow.append(dict(step=step, description=desc, persons=after[0], rows=after[1],
                             persons_dropped=before[0] - after[0], rows_dropped=before[1] - after[1]))

        # register rows that do not reach a panel row
        dw = con.execute(
            "SELECT count(*), coalesce(sum(weeks_public_support), 0) FROM weeks w "
            "WHERE NOT EXISTS (SELECT 1 FROM skeleton s WHERE s.PNR = w.PNR AND s.year = w.year)"
        ).fetchone()
        hw = con.execute(
            "SELECT coalesce(sum(n_rows), 0), coalesce(sum(hours), 0) FROM hours h "
            "WHERE NOT EXISTS (SELECT 1 FROM skeleton s WHERE s.PNR = h.PNR AND s.year = h.year)"
        ).fetchone()

        # 4. the panel
        cat_sel = ", ".join(f"coalesce(w.{_q('weeks_' + c)}, 0) AS {_q('weeks_' + c)}" for c in categories)
        days = "CASE WHEN (s.year % 4 = 0 AND s.year % 100 <> 0) OR s.year % 400 = 0 THEN 366 ELSE 365 END"
        con.execute(
            f"""CREATE TABLE panel AS
            SELECT s.PNR, s.year, s.kom, s.year - s.birth_year AS age, s.sex, s.edu, s.origin,
                   round(coalesce(h.hours, 0), 2) AS hours,
                   coalesce(h.hours, 0) > 0 AS employed,
                   coalesce(h.hours, 0) / ({days} / 7.0) >= {spec.stable_hours_per_week} AS stable_employed,
                   coalesce(w.weeks_public_support, 0) AS weeks_public_support,
                   coalesce(w.weeks_target, 0) AS weeks_target,
                   {cat_sel},
                   coalesce(w.weeks_target, 0) >= {spec.min_target_weeks} AS in_stock
            FROM skeleton s
            LEFT JOIN weeks w ON w.PNR = s.PNR AND w.year = s.year
            LEFT JOIN hours h ON h.PNR = s.PNR AND h.year = s.year"""
        )
        con.execute(
            f"""CREATE TABLE cohort AS SELECT PNR, kom AS cohort_kom FROM panel
            WHERE year = {spec.baseline_year} AND in_stock"""
        )
        con.execute(
            f"""COPY (SELECT p.*, c.PNR IS NOT NULL AS cohort, c.cohort_kom
                      FROM panel p LEFT JOIN cohort c USING (PNR) ORDER BY p.PNR, p.year)
                TO '{out_path}' (FORMAT parquet, COMPRESSION zstd)"""
        )
        final = con.execute("SELECT count(DISTINCT PNR), count(*) FROM panel").fetchone()
        flow.append(dict(step="person_year_panel", description="person-years in the panel", persons=final[0],
                         rows=final[1], persons_dropped=0, rows_dropped=0))
        coh = con.execute("SELECT count(*) FROM cohort").fetchone()[0]
        flow.append(dict(step="target_cohort", description=f"fixed cohort: in the target group in {spec.baseline_year}",
                         persons=coh, rows=coh * n_years, persons_dropped=0, rows_dropped=0))
        stock = con.execute("SELECT count(DISTINCT PNR), count(*) FROM panel WHERE in_stock").fetchone()
        flow.append(dict(step="target_stock", description="yearly stock: person-years in the target group",
                         persons=stock[0], rows=stock[1], persons_dropped=0, rows_dropped=0))
        flow.append(dict(step="dream_unused", description="DREAM person-years with benefit weeks outside the panel "
                         "(dropped above)", persons=None, rows=dw[0], persons_dropped=None, rows_dropped=dw[0]))
        flow.append(dict(step="eindkomst_rows", description="eIndkomst rows read", persons=None, rows=ek_counts[0],
                         persons_dropped=None, rows_dropped=0))
        flow.append(dict(step="eindkomst_outside_window", description="eIndkomst rows outside the panel's months",
                         persons=None, rows=None, persons_dropped=None, rows_dropped=ek_counts[1]))
        flow.append(dict(step="eindkomst_not_in_dream", description="eIndkomst rows of persons not in DREAM",
                         persons=None, rows=None, persons_dropped=None, rows_dropped=ek_counts[2]))
        flow.append(dict(step="eindkomst_dropped_person_years", description="eIndkomst rows of person-years "
                         "dropped above", persons=None, rows=None, persons_dropped=None, rows_dropped=int(hw[0])))
        con.close()
    out = pd.DataFrame(flow)
    for c in ["persons", "rows", "persons_dropped", "rows_dropped"]:
        out[c] = out[c].astype("Int64")
    return out


def _aggregates_sql(top_n: int) -> str:
    """Target-group means of the outcomes, the person count, and the dominance share of
    each magnitude (for evaluation.disclosure.suppress_dominated)."""
    from evaluation.disclosure import MAGNITUDES, share_column, top_share_sql

    return (
        "count(*) AS n_persons, avg(hours) AS hours, avg(weeks_public_support) AS weeks_public_support, "
        "avg(CAST(employed AS DOUBLE)) AS employed, avg(CAST(stable_employed AS DOUBLE)) AS stable_employed, "
        + ", ".join(f"{top_share_sql(c, top_n)} AS {share_column(c)}" for c in MAGNITUDES)
    )


def municipality_year_panel(person_year: Path, municipality_year: Path, top_n: int = 2) -> pd.DataFrame:
    """Target-group means by municipality and year, for both designs.

    stock: persons in the target group in year t, by municipality on 1 January of t;
    cohort: the fixed cohort, by municipality of the baseline year, in every year.
    Aggregates only; cells are not suppressed here (see evaluation.disclosure), but the
    share of each magnitude's sum held by its ``top_n`` largest contributions comes along
    for the dominance rule (columns ``_top_share_*``, never published)."""
    con = aggregate_connection()
    py = relation_sql(person_year)
    my = relation_sql(municipality_year)
    agg = _aggregates_sql(top_n)
    df = con.execute(
        f"""SELECT 'stock' AS design, kom, year, {agg} FROM {py} WHERE in_stock GROUP BY kom, year
            UNION ALL
            SELECT 'cohort' AS design, cohort_kom AS kom, year, {agg} FROM {py} WHERE cohort GROUP BY cohort_kom, year"""
    ).df()
    mun = con.execute(f"SELECT * FROM {my} ORDER BY KOM, AAR").df().rename(columns={"KOM": "kom", "AAR": "year"})
    con.close()
    mun["kom"] = mun["kom"].astype(int)
    mun["year"] = mun["year"].astype(int)
    df["kom"] = df["kom"].astype(int)
    df["year"] = df["year"].astype(int)
    out = df.merge(mun, on=["kom", "year"], how="left")
    return out.sort_values(["design", "kom", "year"], ignore_index=True)


def group_year_panel(person_year: Path, treated_kom: int, top_n: int = 2) -> pd.DataFrame:
    """Target-group means by design, group (treated municipality / all comparison
    municipalities pooled) and year: the comparison path of the report's outcome figure,
    computed from the microdata so that municipality cells suppressed by the disclosure
    rules do not bias it.  Dominance shares come along as in :func:`municipality_year_panel`."""
    con = aggregate_connection()
    py = relation_sql(person_year)
    agg = _aggregates_sql(top_n)
    grp = f"CASE WHEN {{k}} = {int(treated_kom)} THEN 'treated' ELSE 'comparison' END"
    df = con.execute(
        f"""SELECT 'stock' AS design, {grp.format(k='kom')} AS "group", year, {agg} FROM {py} WHERE in_stock
                GROUP BY 2, year
            UNION ALL
            SELECT 'cohort' AS design, {grp.format(k='cohort_kom')} AS "group", year, {agg} FROM {py} WHERE cohort
                GROUP BY 2, year"""
    ).df()
    con.close()
    df["year"] = df["year"].astype(int)
    return df.sort_values(["design", "group", "year"], ascending=[True, False, True], ignore_index=True)
