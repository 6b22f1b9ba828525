"""Run one specification (design x comparison x covariates x estimator) for every
outcome and return tidy rows beside the planted truth.

A specification in config/config.yaml:

    did_nearest:
      estimator: did            # naive | did | matched_did | synthetic_control | synthetic_did
      design: cohort            # cohort | stock
      comparison: nearest       # all | region | nearest | [codes]
      covariates: [ledighed_pct]
      cycle_adjusted: true      # counts towards the headline range
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from evaluation.comparison import select_comparison
from evaluation.config import USES_COVARIATES
from evaluation.estimators import did
from evaluation.estimators.factor import cycle_slopes, interactive_fe
from evaluation.estimators.matched import matched_did
from evaluation.estimators.matrix_completion import matrix_completion
from evaluation.estimators.synthetic_control import synthetic_control
from evaluation.estimators.synthetic_did import synthetic_did
from evaluation.estimators.triple import triple_did
from evaluation.panel.build import kept_design, kept_leavers_condition
from evaluation.registers.read import relation_sql

# estimators that take anticipation as treated periods of weight zero (their years must be evenly spaced)
ANTICIPATION_BY_WEIGHT = ("interactive_fe", "cycle_slopes", "matrix_completion")
OUTCOME_COLUMNS = ["hours", "weeks_public_support", "employed", "stable_employed"]
# n_factors: the number of factors interactive_fe used (chosen by cross-validation unless the specification
# sets `factors`); empty for every other estimator
ROW_COLUMNS = ["specification", "estimator", "design", "comparison", "covariates", "cycle_adjusted", "outcome",
               "estimate", "std_error", "conf_low", "conf_high", "p_value", "inference", "n_obs",
               "n_treated_units", "n_control_units", "n_factors", "n_treated_persons", "baseline_treated", "truth",
               "note", "flagged"]


# the last design rows read, by their files' identity and the arguments: the specifications of one design share
# them (11 reads of the same Parquet file in a Monte Carlo replication otherwise); two entries bound the memory
_ROWS_CACHE: OrderedDict = OrderedDict()
_ROWS_CACHE_SIZE = 2


def _file_identity(path) -> tuple | None:
    """A regular file's path, inode, size and modification time, or None (not cached: a directory of files or a
    relation changes without its own time changing)."""
    try:
        p = Path(path)
        st = p.stat()
    except (TypeError, OSError):
        return None
    if not p.is_file():
        return None
    return (str(p.resolve()), st.st_ino, st.st_size, st.st_mtime_ns)


def load_design_rows(person_year, municipality_year, design: str, extra_columns: list[str] = (),
                     cohort_year: int | None = None, reference_categories: list[str] | None = None,
                     baseline_year: int | None = None, keep_leavers_to: list[str] = (),
                     kept_from_year: int | None = None) -> pd.DataFrame:
    """Person-year rows of a design (:func:`read_design_rows`), a copy of the last read of the same files with the
    same arguments when there is one."""
    files = (_file_identity(person_year), _file_identity(municipality_year))
    args = (design, tuple(extra_columns), cohort_year, tuple(reference_categories or ()), baseline_year,
            tuple(keep_leavers_to), kept_from_year)
    key = None if None in files else files + args
    if key is not None and key in _ROWS_CACHE:
        _ROWS_CACHE.move_to_end(key)
        return _ROWS_CACHE[key].copy()
    df = read_design_rows(person_year, municipality_year, design, list(extra_columns), cohort_year,
                          reference_categories, baseline_year, list(keep_leavers_to), kept_from_year)
    if key is not None:
        _ROWS_CACHE[key] = df
        while len(_ROWS_CACHE) > _ROWS_CACHE_SIZE:
            _ROWS_CACHE.popitem(last=False)
        return df.copy()
    return df


def read_design_rows(person_year, municipality_year, design: str, extra_columns: list[str] = (),
                     cohort_year: int | None = None, reference_categories: list[str] | None = None,
                     baseline_year: int | None = None, keep_leavers_to: list[str] = (),
                     kept_from_year: int | None = None) -> pd.DataFrame:
    """Person-year rows of a design with the municipality-year conditions of the
    person's current municipality; group_kom is the municipality that assigns
    treatment (baseline municipality for the cohort, current for the stock).
    ``extra_columns``: further person-year columns (e.g. weeks per benefit category).
    ``cohort_year``: the cohort of another year than the panel's baseline year (persons in the
    yearly stock that year, by their municipality that year), e.g. a pseudo-reform cohort.
    ``reference_categories``: instead of the target group, the reference group of a triple difference:
    persons with at least one week in one of these benefit categories and not in the target group, in
    ``baseline_year`` (cohort: followed in every year, by that year's municipality) or in each year (stock).
    ``keep_leavers_to`` (stock only): besides the yearly stock, the rows of persons who left it for one of these
    benefit categories after being in it in ``kept_from_year`` or later (panel.build.kept_leavers_condition),
    with their own outcomes, by their current municipality: the stock's composition bound."""
    con = duckdb.connect()
    py, my = relation_sql(person_year), relation_sql(municipality_year)
    if design not in ("cohort", "stock"):
        raise ValueError(f"design must be cohort or stock, not {design!r}")
    where, gcol, join = ("p.cohort", "p.cohort_kom", "") if design == "cohort" else ("p.in_stock", "p.kom", "")
    if design == "cohort" and cohort_year is not None:
        where, gcol = "TRUE", "c.ckom"
        join = (f"JOIN (SELECT PNR, kom AS ckom FROM {py} WHERE in_stock AND year = {int(cohort_year)}) c "
                "USING (PNR)")
    if reference_categories:
        cols = set(con.execute(f"DESCRIBE SELECT * FROM {py}").df().column_name)
        missing = [c for c in reference_categories if f"weeks_{c}" not in cols]
        if missing:
            con.close()
            raise ValueError(f"reference_categories {missing} are not benefit categories of the person-year panel "
                             f"(it has {sorted(c[6:] for c in cols if c.startswith('weeks_'))})")
        in_ref = "(" + " + ".join(f'p2."weeks_{c}"' for c in reference_categories) + ") > 0 AND NOT p2.in_stock"
        if design == "stock":
            where, gcol, join = in_ref.replace("p2.", "p."), "p.kom", ""
        else:
            y0 = int(cohort_year if cohort_year is not None else baseline_year)
            where, gcol = "TRUE", "c.ckom"
            join = f"JOIN (SELECT PNR, kom AS ckom FROM {py} p2 WHERE {in_ref} AND year = {y0}) c USING (PNR)"
    if keep_leavers_to:
        if design != "stock" or reference_categories:
            con.close()
            raise ValueError("keep_leavers_to is for the stock design of the target group only")
        cols = set(con.execute(f"DESCRIBE SELECT * FROM {py}").df().column_name)
        missing = [c for c in keep_leavers_to if f"weeks_{c}" not in cols]
        if missing or kept_from_year is None:
            con.close()
            raise ValueError(f"keep_leavers_to {missing} are not benefit categories of the person-year panel "
                             f"(it has {sorted(c[6:] for c in cols if c.startswith('weeks_'))})" if missing else
                             "keep_leavers_to needs kept_from_year")
        where = f"(p.in_stock OR {kept_leavers_condition(py, list(keep_leavers_to), kept_from_year)})"
    extra = "".join(f', p."{c}"' for c in extra_columns if c != "weeks_public_support")
    df = con.execute(
        f"""SELECT p.PNR, p.year, p.kom, {gcol} AS group_kom, p.age, p.sex, p.edu, p.origin,
                   p.hours, p.weeks_public_support, CAST(p.employed AS DOUBLE) AS employed,
                   CAST(p.stable_employed AS DOUBLE) AS stable_employed, m.ledighed_pct
                   {extra}
            FROM {py} p {join} LEFT JOIN {my} m ON m.KOM = p.kom AND m.AAR = p.year
            WHERE {where} ORDER BY p.PNR, p.year"""
    ).df()
    con.close()
    for c in ["kom", "group_kom", "year"]:
        df[c] = df[c].astype(int)
    return df


def municipality_means(rows: pd.DataFrame, municipality_year, outcome: str) -> pd.DataFrame:
    """Outcome means by assigning municipality and year, with that municipality's conditions."""
    m = rows.groupby(["group_kom", "year"]).agg(value=(outcome, "mean"), n_persons=("PNR", "size"),
                                                var=(outcome, "var")).reset_index()
    # sampling variance of each municipality-year mean (aggregate: used for inference only)
    m["var_mean"] = (m.pop("var") / m["n_persons"]).fillna(np.inf)
    m = m.rename(columns={"group_kom": "kom", "value": outcome})
    return m.merge(_conditions(municipality_year), on=["kom", "year"], how="left")


_COND_CACHE: dict = {}


def _conditions(municipality_year) -> pd.DataFrame:
    """The municipality-year conditions, read once per file (by its identity, as the design rows)."""
    key = _file_identity(municipality_year)
    if key is not None and key in _COND_CACHE:
        return _COND_CACHE[key]
    con = duckdb.connect()
    cond = con.execute(f"SELECT * FROM {relation_sql(municipality_year)} ORDER BY KOM, AAR").df()
    con.close()
    cond = cond.rename(columns={"KOM": "kom", "AAR": "year"}).astype({"kom": int, "year": int})
    if key is not None:
        _COND_CACHE.clear()
        _COND_CACHE[key] = cond
    return cond


# specification keys that do not change what a composition bound is compared with
_BOUND_IGNORES = ("keep_leavers_to", "note", "cycle_adjusted")


def bound_twins(specs: dict) -> dict[str, str]:
    """Each composition bound (a specification with ``keep_leavers_to``) -> its twin: the specification that is
    the same but for the kept leavers, its note and cycle_adjusted.  The one rule by which the specifications
    table's ``bound_of`` column, the report and the notebooks pair a bound with what it bounds."""
    def core(sp: dict) -> dict:
        return {k: v for k, v in sp.items() if k not in _BOUND_IGNORES}

    out = {}
    for name, sp in specs.items():
        if sp.get("keep_leavers_to"):
            twin = next((n for n, o in specs.items() if n != name and not o.get("keep_leavers_to")
                         and core(o) == core(sp)), None)
            if twin is not None:
                out[name] = twin
    return out


def donor_minimum(spec: dict | None, cfg: dict) -> int:
    """Persons a donor needs in every year: the specification's min_donor_persons, never below the
    disclosure minimum (a placebo row of fewer persons must not enter a result object or a file)."""
    k = int(cfg["disclosure"]["min_persons"])
    return max(k, int((spec or {}).get("min_donor_persons", k)))


def eligible_donors(means: pd.DataFrame, treated: int, min_persons: int) -> tuple[pd.DataFrame, list]:
    """Drop donor municipalities with fewer than ``min_persons`` persons behind their mean in
    any year: their means are too noisy to weight (synthetic control would fit noise
    perfectly in the pre-period) and a synthetic path resting on them would come close
    to publishing a few persons' outcomes."""
    small = means.groupby("kom")["n_persons"].min()
    dropped = sorted(int(k) for k in small[small < min_persons].index if k != treated)
    if len(dropped) == len(small) - (treated in small.index):
        raise ValueError(f"no donor municipality has at least {min_persons} persons in every year "
                         f"(min_donor_persons); the largest has {int(small.drop(treated, errors='ignore').max())}")
    return means[~means.kom.isin(dropped)], dropped


def person_contrast_variance(rows: pd.DataFrame, outcome: str, treated=None):
    """f(municipality, {year: weight}) -> sampling variance of the weighted sum of the municipality's
    yearly means, from its persons' own weighted sums (persons observed in every year), so that the
    correlation of the same persons' outcomes across years is respected.  Each municipality's variance of
    the persons' sums is moderated towards the pooled one of the comparison municipalities (all but
    ``treated``; inference.moderated_variance): a donor of a few persons otherwise has a variance so noisy
    that the placebo test's between-municipality variance is overstated and the cohort's intervals too wide."""
    from evaluation.inference import moderated_variance

    wide = rows.pivot_table(index=["group_kom", "PNR"], columns="year", values=outcome, aggfunc="first")
    wide = wide.dropna()
    groups = {g: wide.xs(g, level="group_kom").to_numpy(float) for g in wide.index.get_level_values(0).unique()}
    cols = list(wide.columns)
    size = pd.Series({g: len(Y) for g, Y in groups.items()}, dtype=float)
    pool = [g for g in groups if g != treated]
    cache: dict = {}

    def f(g, weights: dict) -> float:
        Y = groups.get(g)
        if Y is None or len(Y) < 2:
            return np.inf
        key = tuple(float(weights.get(c, 0.0)) for c in cols)
        if key not in cache:
            a = np.array(key)
            var = pd.Series({h: float(np.var(Z @ a, ddof=1)) if len(Z) > 1 else np.nan for h, Z in groups.items()})
            cache[key] = moderated_variance(var, size, pool=pool)
        return float(cache[key][g])

    return f


def national_series(means: pd.DataFrame, municipalities: pd.DataFrame, column: str) -> pd.Series:
    """The national series of a municipality-year condition: the population-weighted mean over
    municipalities (populations from the municipality table)."""
    if column not in means.columns:
        raise ValueError(f"cycle series {column!r} is not a column of the municipality-year register")
    pop = municipalities.set_index("municipality_code")["population_2020"]
    c = means[["kom", "year", column]].drop_duplicates(["kom", "year"])
    c = c.assign(w=c.kom.map(pop).astype(float))
    return c.groupby("year").apply(lambda g: np.average(g[column], weights=g.w), include_groups=False)


def cycle_sensitivity(conditions: pd.DataFrame, municipalities: pd.DataFrame, pre_years: list[int],
                      column: str = "ledighed_pct") -> pd.Series:
    """Each municipality's cyclicality: the slope of its own unemployment rate on the national rate over the
    pre-reform years (least squares with an intercept), a Series by municipality code, from the
    municipality-year register ``conditions`` (every municipality and year, whether or not the design has
    persons there).  Before the reform, so the reform's own effect on the treated municipality's rate does not
    enter; it needs years in which the national rate moved (the 2008-2010 crisis)."""
    nat = national_series(conditions, municipalities, column)
    c = conditions[conditions.year.isin(pre_years)][["kom", "year", column]].drop_duplicates(["kom", "year"])
    c = c.assign(x=c.year.map(nat).astype(float))
    if c.x.nunique() < 3 or float(np.var(c.drop_duplicates("year").x)) <= 0:
        raise ValueError(f"sensitivity_trends: the national {column} does not move over the pre-reform years "
                         f"{pre_years}: no municipality's cyclicality can be estimated")
    xd = c.x - c.groupby("kom").x.transform("mean")
    yd = c[column] - c.groupby("kom")[column].transform("mean")
    return (xd * yd).groupby(c.kom).sum() / (xd**2).groupby(c.kom).sum()


def _person_covariates(rows: pd.DataFrame, pre_years: list[int]) -> tuple[pd.DataFrame, list]:
    """Per-person matching covariates: yearly hours and weeks on support in each
    pre-period year, age, sex, education and origin.  Municipality-level conditions
    are not used: they are constant within the treated municipality and would
    separate its persons perfectly; the comparison municipalities handle the cycle."""
    pre = rows[rows.year.isin(pre_years)]
    h = pre.pivot_table(index="PNR", columns="year", values="hours", aggfunc="first")
    h.columns = [f"hours_{c}" for c in h.columns]
    w = pre.pivot_table(index="PNR", columns="year", values="weeks_public_support", aggfunc="first")
    w.columns = [f"weeks_{c}" for c in w.columns]
    base = rows.groupby("PNR").agg(age0=("age", "min"), sex=("sex", "first"), edu=("edu", "first"),
                                   origin=("origin", "first"), group_kom=("group_kom", "first"))
    per = base.join(h).join(w).fillna(0.0)
    per["female"] = (per.sex == 2).astype(float)
    per["edu_low"] = (per.edu == 1).astype(float)
    per["edu_high"] = (per.edu == 3).astype(float)
    per["nonwestern"] = (per.origin == 3).astype(float)
    covs = list(h.columns) + list(w.columns) + ["age0", "female", "edu_low", "edu_high", "nonwestern"]
    # a covariate the registers do not carry (education or origin not mapped in a delivery: one value for
    # everyone) cannot enter the propensity score: left out, and the log says so
    constant = [c for c in covs if per[c].nunique() <= 1]
    if constant:
        logging.getLogger("evaluation.specifications").warning(
            "matching covariates without variation left out (not in the registers?): %s", ", ".join(constant))
    return per, [c for c in covs if c not in constant]


def _factor_fit(spec: dict, cfg: dict, means: pd.DataFrame, rows: pd.DataFrame, outcome: str,
                municipalities: pd.DataFrame, year0: int | None = None, anticipation: int = 0):
    """interactive_fe or cycle_slopes on municipality-year means; for the cohort (the same persons
    every year) the sampling variances come from the persons' own contrasts.  ``anticipation``: the years
    before ``year0`` that the loadings are not fitted on; they count as treated periods of weight zero in the
    average effect (the estimators need evenly spaced years)."""
    est_cfg = cfg["estimate"]
    T = int(est_cfg["treated_municipality"])
    year0 = int(est_cfg["reform_year"]) if year0 is None else int(year0)
    m, _ = eligible_donors(means, T, donor_minimum(spec, cfg))
    m = m.assign(w_post=m.n_persons * (m.year >= year0))
    kw = dict(size="n_persons", post_weights="w_post")
    year0 -= int(anticipation)
    if spec["design"] == "cohort":
        kw["contrast_variance"] = person_contrast_variance(rows[rows.group_kom.isin(m.kom.unique())], outcome, T)
    else:
        kw["sampling_var"] = "var_mean"
    covariates = list(spec.get("covariates") or [])
    if spec["estimator"] == "interactive_fe":
        return interactive_fe(m, "kom", "year", outcome, T, year0, r=spec.get("factors"),
                              max_factors=int(spec.get("max_factors", 2)), covariates=covariates or None, **kw)
    if covariates:
        raise ValueError(f"specification with estimator cycle_slopes: covariates {covariates} are not available (its "
                         "regressors are the national cycle series; use interactive_fe for covariates)")
    return cycle_slopes(m, "kom", "year", outcome, T, year0, cycle=national_series(m, municipalities, "ledighed_pct"),
                        lags=int(spec.get("lags", 0)), **kw)


def cyclicality_ratio(municipality_year, municipalities: pd.DataFrame, reform_year: int, treated: int,
                      comparison: list[int], column: str = "ledighed_pct") -> float | None:
    """The treated municipality's pre-reform cyclicality (``cycle_sensitivity``: the slope of its unemployment
    rate on the national rate) over the comparison municipalities' mean slope: a benchmark for how much harder
    it rides the cycle.  Every year of the municipality-year register before ``reform_year`` counts, also those
    before the panel's first year (a register from 2007 holds the 2008-2010 crisis).  None, with a warning in the
    log, when the national rate does not move over those years or a slope is missing."""
    log = logging.getLogger("evaluation.specifications")
    cond = _conditions(municipality_year)
    pre_years = sorted(int(y) for y in cond.year.unique() if y < int(reform_year))
    try:
        s = cycle_sensitivity(cond, municipalities, pre_years, column)
    except ValueError as e:
        log.warning("no cyclicality benchmark: %s", e)
        return None
    comp = s.reindex(comparison)
    if pd.isna(s.get(treated)) or comp.isna().any() or not comp.mean() > 0:
        log.warning("no cyclicality benchmark: the %s slope is missing for the treated municipality or a "
                    "comparison municipality, or the comparison slopes average zero or below", column)
        return None
    return float(s[treated] / comp.mean())


def _triple_fit(name: str, spec: dict, cfg: dict, means: pd.DataFrame, rows: pd.DataFrame, person_year,
                municipality_year, outcome: str, T: int, year0: int):
    """Triple differences: the design's target group against the reference group of the same municipality
    (``reference_categories``), both by municipality and year; a municipality enters only if both its groups
    have the donor minimum of persons in every year."""
    cats = list(spec.get("reference_categories") or [])
    if not cats:
        raise ValueError(f"specification {name}: triple_did needs reference_categories (the benefit categories of "
                         "the comparison group inside the municipality, e.g. [sygedagpenge])")
    ref = load_design_rows(person_year, municipality_year, spec["design"], cohort_year=spec.get("cohort_year"),
                           reference_categories=cats, baseline_year=int(cfg["panel"]["baseline_year"]))
    ref = ref[ref.year.isin(rows.year.unique()) & ref.group_kom.isin(means.kom.unique())]
    ref_means = municipality_means(ref, municipality_year, outcome)
    k = donor_minimum(spec, cfg)
    mt, _ = eligible_donors(means, T, k)
    mr, _ = eligible_donors(ref_means, T, k)
    small = ref_means[ref_means.kom == T].n_persons
    if len(small) < len(mt[mt.kom == T]) or (small < int(cfg["disclosure"]["min_persons"])).any():
        raise ValueError(f"specification {name}: the treated municipality {T} has fewer than "
                         f"{cfg['disclosure']['min_persons']} persons in the reference group {cats} in some year")
    keep = sorted(set(mt.kom) & set(mr.kom))
    data = pd.concat([mt[mt.kom.isin(keep)].assign(grp="target"), mr[mr.kom.isin(keep)].assign(grp="reference")],
                     ignore_index=True)
    if spec["design"] == "cohort":
        kw = dict(contrast_variance=person_contrast_variance(rows[rows.group_kom.isin(keep)], outcome, T),
                  reference_contrast_variance=person_contrast_variance(ref[ref.group_kom.isin(keep)], outcome, T))
    else:
        kw = dict(sampling_var="var_mean")
    return triple_did(data, "kom", "year", outcome, T, year0, group="grp", reference="reference",
                      scale=float(spec.get("reference_scale", 1.0)), size="n_persons", post_weights="n_persons", **kw)


def matched_balance(cfg: dict, person_year, municipality_year, municipalities: pd.DataFrame, name: str,
                    spec: dict, outcome: str) -> pd.DataFrame:
    """The balance table of a matched-DiD specification (standardised mean differences of every matching
    covariate before and after matching, aggregates only), with the numbers of treated persons matched
    and left without a match.  Matching only: no placebos are run."""
    est_cfg = cfg["estimate"]
    T, year0 = int(est_cfg["treated_municipality"]), int(est_cfg["reform_year"])
    rows = load_design_rows(person_year, municipality_year, "cohort", cohort_year=spec.get("cohort_year"))
    pre_years = sorted(y for y in rows.year.unique() if y < year0)
    means = municipality_means(rows, municipality_year, outcome)
    comparison = spec.get("comparison", "all")
    comp = select_comparison(means, municipalities, T, comparison, outcome, pre_years, k=int(spec.get("nearest_k", 20)))
    d = rows[rows.group_kom.isin([T] + comp)].copy()
    d["treated"], d["post"] = d.group_kom == T, d.year >= year0
    per, covs = _person_covariates(d, pre_years)
    d2 = d.merge(per[covs], left_on="PNR", right_index=True)
    res = matched_did(d2, outcome, "year", "PNR", "treated", "post", "group_kom", covs, k=int(spec.get("matches", 5)),
                      placebo=False)
    b = res.extras["balance"].copy()
    n_t = int(d.loc[d.treated, "PNR"].nunique())
    b.insert(0, "specification", name)
    b["treated_persons"] = n_t
    b["unmatched_treated"] = int(res.extras.get("unmatched_treated", 0))
    return b


def yearly_effects(cfg: dict, person_year, municipality_year, municipalities: pd.DataFrame, design: str,
                   spec: dict | None, outcome: str = "hours", fits: dict | None = None) -> pd.DataFrame:
    """Effects by year after the reform in one design, for the report's comparison with the planted
    path: the factor-model specification ``spec`` (with its placebo intervals), beside the two-way
    fixed-effects model with the local unemployment rate as its only cycle adjustment (point
    estimates: what goes wrong when the covariate does not carry the cycle).  Aggregates only.
    ``fits``: a dict that receives the factor model's result and its comparison municipalities under
    ``design`` (for the excess-cycle sensitivity, without fitting twice)."""
    import pyfixest as pf

    est_cfg = cfg["estimate"]
    T, year0 = int(est_cfg["treated_municipality"]), int(est_cfg["reform_year"])
    rows = load_design_rows(person_year, municipality_year, design)
    means = municipality_means(rows, municipality_year, outcome)
    min_p = donor_minimum(spec, cfg)
    m, _ = eligible_donors(means, T, min_p)
    post = sorted(y for y in m.year.unique() if y >= year0)
    out = pd.DataFrame({"design": design, "year": post})
    if spec is not None:
        res = _factor_fit(dict(spec, design=design), cfg, m, rows, outcome, municipalities)
        if fits is not None:
            fits[design] = dict(result=res, comparison=sorted(set(m.kom) - {T}))
        e = res.extras["effects_by_period"].rename(columns={"period": "year"})
        out = out.merge(e.rename(columns={"effect": "factor_effect", "conf_low": "factor_low",
                                          "conf_high": "factor_high", "p_value": "factor_p_value"}), on="year")
    cov = m.copy()
    names = []
    for y in post:
        cov[f"d{y}"] = ((cov.kom == T) & (cov.year == y)).astype(float)
        names.append(f"d{y}")
    fit = pf.feols(f"{outcome} ~ {' + '.join(names)} + ledighed_pct | kom + year", data=cov, weights="n_persons")
    out["covariate_effect"] = fit.coef()[names].to_numpy()
    # the persons behind each year's effect: the treated municipality's (every comparison has >= min_p)
    out["n_treated_persons"] = out.year.map(m[m.kom == T].set_index("year").n_persons).astype(int)
    return out


def run_specification(name: str, spec: dict, cfg: dict, person_year, municipality_year,
                      municipalities: pd.DataFrame, truth: pd.DataFrame | None) -> pd.DataFrame:
    est_cfg = cfg["estimate"]
    T, year0 = int(est_cfg["treated_municipality"]), int(est_cfg["reform_year"])
    design = spec["design"]
    estimator = spec["estimator"]
    covariates = list(spec.get("covariates") or [])
    comparison = spec.get("comparison", "all")
    outcomes = list(est_cfg.get("outcomes", OUTCOME_COLUMNS))
    kept = list(spec.get("keep_leavers_to") or [])
    rows = load_design_rows(person_year, municipality_year, design, cohort_year=spec.get("cohort_year"),
                            keep_leavers_to=kept, kept_from_year=int(cfg["panel"]["baseline_year"]) if kept else None)
    truth_design = kept_design(kept) if kept else design
    placebo = spec.get("placebo_reform_year")
    if placebo is not None:  # a pseudo-reform before the real one, on the years before the real one only
        if int(placebo) >= year0:
            raise ValueError(f"specification {name}: placebo_reform_year {placebo} is not before the reform year "
                             f"{year0}")
        rows = rows[rows.year < year0]
        year0 = int(placebo)
    if covariates and estimator not in USES_COVARIATES:  # never ignored silently
        raise ValueError(f"specification {name}: estimator {estimator!r} does not use covariates (given {covariates}); "
                         f"they are available for {sorted(USES_COVARIATES)}")
    ant = int(spec.get("anticipation", 0) or 0)
    if ant:  # effects that began before the reform year: those years leave the estimation (R did's anticipation)
        if not any(y < year0 - ant for y in rows.year.unique()):
            raise ValueError(f"specification {name}: anticipation {ant} leaves no pre-reform year before {year0}")
        if estimator in ANTICIPATION_BY_WEIGHT:
            pass  # the factor models and matrix completion need evenly spaced years: the anticipation years are
            # treated periods of weight zero in the average (_factor_fit, below)
        elif estimator in ("naive", "did", "matched_did"):
            rows = rows[(rows.year < year0 - ant) | (rows.year >= year0)]
        else:
            raise ValueError(f"specification {name}: anticipation is not available for estimator {estimator!r} "
                             f"(available for {sorted(ANTICIPATION_BY_WEIGHT + ('naive', 'did', 'matched_did'))})")
    if T not in set(rows.group_kom):
        raise ValueError(f"specification {name}: the treated municipality {T} has no persons in the {design} design")
    years = sorted(rows.year.unique())
    pre_years = [y for y in years if y < year0 - ant]
    post_years = [y for y in years if y >= year0]
    out = []
    for outcome in outcomes:
        flags: list[str] = []
        means = municipality_means(rows, municipality_year, outcome)
        comp = select_comparison(means, municipalities, T, comparison, outcome, pre_years,
                                 k=int(spec.get("nearest_k", 20))) if estimator != "naive" else []
        keep = rows.group_kom.isin([T] + comp) if estimator != "naive" else rows.group_kom == T
        d = rows[keep].copy()
        d["treated"] = d.group_kom == T
        d["post"] = d.year >= year0
        tr = d[d.treated]
        baseline = float(tr.loc[tr.year == year0 - 1 - ant, outcome].mean())
        if estimator == "naive":
            est = float(tr.loc[tr.post, outcome].mean() - baseline)
            r = dict(estimate=est, std_error=np.nan, conf_low=np.nan, conf_high=np.nan, p_value=np.nan,
                     inference="none (raw change of the treated group since the baseline year)",
                     n_obs=len(tr), n_treated_units=1, n_control_units=0)
        elif estimator == "did":
            trend = None
            if spec.get("sensitivity_trends"):  # year effects that differ with each municipality's cyclicality
                sens = cycle_sensitivity(_conditions(municipality_year), municipalities, pre_years)
                lacking = sorted(set(d.group_kom) - set(sens.dropna().index))
                if lacking:
                    raise ValueError(f"specification {name}: no cyclicality for municipalities {lacking[:10]}: the "
                                     f"municipality-year register has no ledighed_pct for them in {pre_years}")
                trend = "cyclicality"
            if design == "cohort":
                if trend:
                    d[trend] = d.group_kom.map(sens).to_numpy(float)
                res = did(d, outcome, "year", "PNR", "treated", "post", gname="group_kom", covariates=covariates,
                          trends_by=trend)
            else:  # the stock changes membership: municipality-year means, weighted by persons
                m = means[means.kom.isin([T] + comp)].copy()
                m["treated"], m["post"] = m.kom == T, m.year >= year0
                if trend:
                    m[trend] = m.kom.map(sens).to_numpy(float)
                res = did(m, outcome, "year", "kom", "treated", "post", gname="kom", covariates=covariates,
                          weights="n_persons", trends_by=trend)
            r = res.tidy().iloc[0].to_dict()
        elif estimator == "matched_did":
            if design != "cohort":
                raise ValueError(f"specification {name}: matched_did needs the cohort design (fixed persons)")
            per, covs = _person_covariates(d, pre_years)
            d2 = d.merge(per[covs], left_on="PNR", right_index=True)
            res = matched_did(d2, outcome, "year", "PNR", "treated", "post", "group_kom", covs,
                              k=int(spec.get("matches", 5)))
            r = res.tidy().iloc[0].to_dict()
        elif estimator in ("synthetic_control", "synthetic_did"):
            m, dropped = eligible_donors(means[means.kom.isin([T] + comp)], T,
                                         donor_minimum(spec, cfg))
            # the cohort is the same persons every year: variances from their own contrasts
            var_kw = (dict(contrast_variance=person_contrast_variance(d[d.group_kom.isin(m.kom.unique())], outcome, T))
                      if design == "cohort" else dict(sampling_var="var_mean"))
            if estimator == "synthetic_control":
                preds = None
                if covariates:
                    preds = [(outcome, [y], "mean") for y in pre_years] + [(c, pre_years, "mean") for c in covariates]
                res = synthetic_control(m, "kom", "year", outcome, T, year0, predictors=preds, leave_one_out=False,
                                        size="n_persons", penalty=float(spec.get("penalty", 0.0)),
                                        demean=bool(spec.get("demean", False)), post_weights="n_persons", **var_kw)
            else:
                res = synthetic_did(m, "kom", "year", outcome, T, year0, size="n_persons", post_weights="n_persons",
                                    covariates=list(covariates) or None, **var_kw)
            r = res.tidy().iloc[0].to_dict()
            if res.extras.get("degenerate_fit"):
                flags.append("degenerate pre-period fit")
        elif estimator == "matrix_completion":
            m, _ = eligible_donors(means[means.kom.isin([T] + comp)], T,
                                   donor_minimum(spec, cfg))
            m = m.assign(w_post=m.n_persons * (m.year >= year0))
            res = matrix_completion(m, "kom", "year", outcome, T, year0 - ant, size="n_persons", post_weights="w_post")
            r = res.tidy().iloc[0].to_dict()
        elif estimator == "triple_did":
            res = _triple_fit(name, spec, cfg, means[means.kom.isin([T] + comp)], d, person_year, municipality_year,
                              outcome, T, year0)
            r = res.tidy().iloc[0].to_dict()
        elif estimator in ("interactive_fe", "cycle_slopes"):
            res = _factor_fit(spec, cfg, means[means.kom.isin([T] + comp)], d, outcome, municipalities, year0, ant)
            r = res.tidy().iloc[0].to_dict()
            if res.extras.get("n_factors") is not None:  # interactive_fe: chosen by cross-validation or set
                r["n_factors"] = int(res.extras["n_factors"])
        else:
            raise ValueError(f"specification {name}: unknown estimator {estimator!r}")
        if estimator != "naive" and not (np.isfinite(r.get("conf_low", np.nan)) and np.isfinite(r.get("conf_high", np.nan))):
            flags.append("no finite 95% interval")
        tw = np.nan
        if placebo is not None:
            tw = 0.0  # the reform had not started: the pseudo-reform's effect is zero by construction
        elif truth is not None and not truth.empty:
            t = truth[(truth.kom == T) & (truth.design == truth_design) & (truth.outcome == outcome)
                      & truth.year.isin(post_years)]
            if len(t):
                tw = float(np.average(t.att, weights=t.n_persons))
        r.update(specification=name, estimator=estimator, design=design,
                 comparison=comparison if isinstance(comparison, str) else "list:" + "+".join(map(str, comparison)),
                 covariates="+".join(covariates + (["cyclicality x year"] if spec.get("sensitivity_trends") else []))
                 or "none", cycle_adjusted=bool(spec.get("cycle_adjusted", False)),
                 outcome=outcome, n_treated_persons=int(tr.PNR.nunique()), baseline_treated=baseline, truth=tw,
                 note=spec.get("note", ""), flagged="; ".join(flags))
        out.append({c: r.get(c, np.nan) for c in ROW_COLUMNS})
    return pd.DataFrame(out, columns=ROW_COLUMNS)
