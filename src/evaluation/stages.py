"""The pipeline's stages as plain functions (the Snakemake scripts are thin adapters).

Each stage reads files, calls the package and writes files; all logic that can be
tested lives in the modules it calls."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from evaluation.config import read_municipalities
from evaluation.disclosure import (MAGNITUDES, dominance_rule, secondary_suppress, share_column, suppress,
                                  suppress_dominated, top_share_sql)
from evaluation.estimators import did
from evaluation.panel import PanelSpec, build_person_year, group_year_panel, municipality_year_panel
from evaluation.registers import RegisterSet, read_code_table, relation_sql, validate_registers
from evaluation.registers.read import aggregate_connection

log = logging.getLogger("evaluation")


def simulate(cfg: dict, out_dir: Path, threads: int = 2, truth: bool = True) -> dict:
    """Generate the synthetic registers in ``out_dir``; with ``truth``, their planted truth too (truth.csv).

    Without it, ``planted_truth_stage`` writes the truth later, from a factual panel already built."""
    from evaluation.synthetic.generate import generate

    mun = read_municipalities(cfg["municipalities"])
    codes = read_code_table(cfg["benefit_codes"])
    out_dir = Path(out_dir)
    manifest = generate(cfg, mun, codes, out_dir)
    log.info("generated %d persons (%d drawn, %d never on a benefit)", manifest["persons_written"],
             manifest["persons_drawn"], manifest["persons_never_on_benefit"])
    if truth:
        planted_truth_stage(cfg, out_dir, manifest, threads=threads)
    return manifest


def kept_leavers(cfg: dict) -> list[list[str]]:
    """The distinct ``keep_leavers_to`` lists of the configured specifications: the composition bounds whose
    planted truth is computed beside the cohort's and the stock's."""
    out = []
    for spec in (cfg.get("specifications") or {}).values():
        cats = sorted(spec.get("keep_leavers_to") or [])
        if cats and cats not in out:
            out.append(cats)
    return out


def planted_truth_stage(cfg: dict, out_dir: Path, manifest: dict, threads: int = 2,
                        factual_panel: Path | None = None) -> pd.DataFrame:
    """The planted truth of the registers ``simulate`` wrote in ``out_dir``, written to truth.csv."""
    from evaluation.synthetic.truth import planted_truth

    out_dir = Path(out_dir)
    registers = RegisterSet.in_directory(out_dir, manifest["format"])
    reform_koms = [r["kom"] for r in manifest["reforms"]]
    truth = planted_truth(registers, out_dir / "counterfactual", read_code_table(cfg["benefit_codes"]),
                          read_municipalities(cfg["municipalities"]), PanelSpec.from_config(cfg), reform_koms,
                          threads=threads, factual_panel=factual_panel, kept_leavers=kept_leavers(cfg))
    truth.to_csv(out_dir / "truth.csv", index=False, float_format="%.6f")
    log.info("planted truth written: %d rows", len(truth))
    return truth


def validate(cfg: dict, out_json: Path, threads: int = 2) -> dict:
    mun = read_municipalities(cfg["municipalities"])
    codes = read_code_table(cfg["benefit_codes"])
    spec = PanelSpec.from_config(cfg)
    spec.check(codes)
    summary = validate_registers(RegisterSet.from_config(cfg["registers"]), codes, mun, spec.first_year,
                                 spec.last_year, threads=threads,
                                 memory_limit=cfg.get("resources", {}).get("memory_limit", "4GB"))
    Path(out_json).write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    return summary


def panel(cfg: dict, person_year: Path, sample_flow: Path, muni_panel: Path, threads: int = 2,
          group_panel: Path | None = None) -> None:
    mun = read_municipalities(cfg["municipalities"])
    codes = read_code_table(cfg["benefit_codes"])
    reg = RegisterSet.from_config(cfg["registers"])
    flow = build_person_year(reg, codes, mun, PanelSpec.from_config(cfg), Path(person_year), threads=threads,
                             memory_limit=cfg.get("resources", {}).get("memory_limit", "4GB"))
    # a real delivery: the rows its ingestion removed under the checks' policies come first in the flow
    ingest_flow = Path(reg.dream).parent / "ingest_flow.csv"
    if cfg.get("source") == "extract" and ingest_flow.exists():
        dropped = pd.read_csv(ingest_flow)
        pre = pd.DataFrame([dict(step=f"ingest_{r.register}_{r.check.split(' ')[0]}",
                                 description=f"delivered {r.register} rows removed at ingestion ({r.check})",
                                 rows_dropped=int(r.rows_dropped)) for r in dropped.itertuples()],
                           columns=flow.columns)
        flow = pd.concat([pre, flow], ignore_index=True) if len(pre) else flow
    from evaluation.release import round_counts

    # counts rounded (disclosure.rounding): a step that drops 1-4 persons is not published exactly
    round_counts(flow, ["persons", "rows", "persons_dropped", "rows_dropped"],
                 int(cfg["disclosure"].get("rounding", 0))).to_csv(sample_flow, index=False)
    top_n, max_share = dominance_rule(cfg)
    mp = municipality_year_panel(Path(person_year), reg.municipality_year, top_n)
    mp = suppress_dominated(mp, MAGNITUDES, max_share)
    mp = suppress(mp, cfg["disclosure"]["min_persons"], protect=["design", "kom", "year"])
    if cfg["disclosure"].get("secondary_suppression", True):
        mp = secondary_suppress(mp, ["design", "year"], "kom", [int(cfg["estimate"]["treated_municipality"])],
                                protect=["design", "kom", "year"])
    mp.to_csv(muni_panel, index=False, float_format="%.6f")
    if group_panel is not None:
        gp = group_year_panel(Path(person_year), int(cfg["estimate"]["treated_municipality"]), top_n)
        gp = suppress_dominated(gp, MAGNITUDES, max_share)
        gp = suppress(gp, cfg["disclosure"]["min_persons"], protect=["design", "group", "year"])
        gp.to_csv(group_panel, index=False, float_format="%.6f")


def load_design(person_year: Path, design: str, columns: list[str]) -> pd.DataFrame:
    """Rows of one target-group design from the person-year panel.

    cohort: every year of the fixed cohort's members, grouped by baseline municipality;
    stock: the person-years in the target group, grouped by municipality of the year."""
    con = duckdb.connect()
    cols = ", ".join(sorted(set(columns) | {"PNR", "year"}))
    if design == "cohort":
        df = con.execute(f"SELECT {cols}, cohort_kom AS group_kom FROM {relation_sql(person_year)} WHERE cohort "
                         "ORDER BY PNR, year").df()
    elif design == "stock":
        df = con.execute(f"SELECT {cols}, kom AS group_kom FROM {relation_sql(person_year)} WHERE in_stock "
                         "ORDER BY PNR, year").df()
    else:
        raise ValueError(f"design must be 'cohort' or 'stock', not {design!r}")
    con.close()
    return df


def truth_for(truth: pd.DataFrame | None, kom: int, design: str, outcome: str, years: list[int]) -> float:
    """Planted ATT averaged over ``years`` weighted by treated persons (the TWFE estimand
    for a single treated group)."""
    if truth is None or truth.empty:
        return np.nan
    t = truth[(truth.kom == kom) & (truth.design == design) & (truth.outcome == outcome) & truth.year.isin(years)]
    if t.empty:
        return np.nan
    return float(np.average(t["att"], weights=t["n_persons"]))


def first_estimate(cfg: dict, person_year: Path, truth_csv: Path | None, out_csv: Path) -> pd.DataFrame:
    est = cfg["estimate"]
    kom, year0 = int(est["treated_municipality"]), int(est["reform_year"])
    design, y = est.get("design", "cohort"), est.get("outcome", "hours")
    df = load_design(person_year, design, [y])
    df["treated"] = df["group_kom"] == kom
    if not df["treated"].any():
        raise ValueError(f"estimate.treated_municipality {kom} has no persons in the {design} design")
    df["post"] = df["year"] >= year0
    if design == "stock":  # a person-year panel; the unit is the person as well
        pass
    res = did(df, yname=y, tname="year", idname="PNR", treated="treated", post="post", gname="group_kom",
              inference="placebo")
    tidy = res.tidy()
    truth = pd.read_csv(truth_csv) if truth_csv and Path(truth_csv).exists() else None
    post_years = sorted(df.loc[df.post, "year"].unique())
    tidy["design"] = design
    tidy["comparison"] = "all other municipalities"
    tidy["se_cluster_robust_invalid"] = res.extras["se_cluster_robust"]
    tidy["truth"] = truth_for(truth, kom, design, y, post_years)
    tr = df[df.treated]
    base = tr.loc[tr.year == year0 - 1, y].mean()
    naive = tr.loc[tr.post, y].mean() - base
    tidy["naive_before_after"] = naive
    tidy["n_persons"] = int(tr["PNR"].nunique())
    tidy.to_csv(out_csv, index=False, float_format="%.6f")
    log.info(res.summary())
    return tidy


def estimate_specification(cfg: dict, name: str, person_year: Path, municipality_year: Path,
                           truth_csv: Path | None, out_csv: Path) -> pd.DataFrame:
    from evaluation.specifications import run_specification

    if name not in cfg.get("specifications", {}):
        raise ValueError(f"specification {name!r} is not in the config (it has {sorted(cfg.get('specifications', {}))})")
    truth = pd.read_csv(truth_csv) if truth_csv and Path(truth_csv).exists() else None
    mun = read_municipalities(cfg["municipalities"])
    table = run_specification(name, cfg["specifications"][name], cfg, person_year, municipality_year, mun, truth)
    table.to_csv(out_csv, index=False, float_format="%.6f")
    for r in table.itertuples():
        log.info("%s %s: %.3f [%.3f, %.3f] p=%.3f (%s)", name, r.outcome, r.estimate, r.conf_low, r.conf_high,
                 r.p_value, r.inference)
    return table


def collect_specifications(paths: list, out_csv: Path, monte_carlo: Path | None = None,
                           labels: dict | None = None, bound_of: dict | None = None) -> pd.DataFrame:
    """All specifications in one table; with the Monte Carlo summary, a specification whose Monte Carlo falls
    outside the bands gets its flag (evaluation.montecarlo) in ``flagged``, and the table says how many
    replications per arm its Monte Carlo had (``mc_replications``).  ``labels``: specification -> what it is
    in words (column ``what_it_is``, beside the identifier), for readers of the table and the notebooks.
    ``bound_of``: composition bound -> the specification it bounds (``specifications.bound_twins``; column
    ``bound_of``, empty for the others)."""
    table = pd.concat([pd.read_csv(p) for p in paths], ignore_index=True)
    table = table.sort_values(["outcome", "cycle_adjusted", "specification"], ignore_index=True)
    if labels is not None:
        missing = sorted(set(table.specification) - set(labels))
        if missing:
            raise ValueError(f"collect_specifications: no label for specifications {missing}")
        table.insert(int(table.columns.get_loc("specification")) + 1, "what_it_is", table.specification.map(labels))
    if bound_of is not None:
        table["bound_of"] = table.specification.map(bound_of).fillna("")
    if monte_carlo is not None:
        from evaluation.montecarlo import flags_by_specification

        mc = pd.read_csv(monte_carlo, keep_default_na=False, na_values=[""])
        flags = flags_by_specification(mc)
        reps = mc.groupby("specification").replications.min()
        table["mc_replications"] = table.specification.map(reps).astype("Int64")
        add = table.specification.map(flags).fillna("")
        old = table["flagged"].fillna("").astype(str)
        table["flagged"] = [("; ".join(x for x in (a, b) if x)) for a, b in zip(old, add)]
    table.to_csv(out_csv, index=False, float_format="%.6f")
    return table


def _write_event_study(rows: pd.DataFrame, year0: int, panel: bool, table: Path, sensitivity: Path) -> None:
    """The event study (local unemployment as covariate) with its pre-trend tests and Rambachan-Roth
    sensitivity: the coefficients' table and the sensitivity's.  ``n_treated_persons``: the treated
    municipality's persons behind the coefficients (the cohort's persons; for the stock, its smallest year)."""
    from evaluation.estimators.event_study import event_study

    es = event_study(rows, "hours", "year", "PNR", "treated", year0, "group_kom", covariates=["ledighed_pct"],
                     panel=panel)
    t = es.tidy()
    t["pretrend_p_value"] = es.extras["pretrend"]["p_value"]
    lin = es.extras.get("pretrend_linear")
    t["pretrend_linear_p_value"] = lin["p_value"] if lin else np.nan
    t["pretrend_linear_slope"] = lin["slope"] if lin else np.nan
    tr = rows[rows.treated]
    t["n_treated_persons"] = int(tr["PNR"].nunique() if panel else tr.groupby("year")["PNR"].nunique().min())
    h = es.extras.get("honest_rm")
    t["rm_breakdown"] = h["breakdown"] if h else np.nan
    t["rm_max_pre_change"] = h["max_pre_change"] if h else np.nan
    t.to_csv(table, index=False, float_format="%.4f")
    sens = (h["intervals"].assign(theta=h["theta"], n_treated_persons=t["n_treated_persons"].iloc[0]) if h else
            pd.DataFrame(columns=["mbar", "conf_low", "conf_high", "theta", "n_treated_persons"]))
    sens.to_csv(sensitivity, index=False, float_format="%.4f")


def details(cfg: dict, person_year: Path, municipality_year: Path, out_dir: Path) -> None:
    """Aggregate tables behind the report's figures: synthetic control (stock design,
    yearly hours) path, donor weights, placebo gaps and RMSPE ratios; the event study of
    each design (local unemployment as covariate).  Placebo municipalities with
    fewer than the disclosure threshold of persons in some year are left out of the
    published placebo gaps, as are those whose hours are dominated by one or two persons in
    some year (their count is written)."""
    import json

    from evaluation.estimators.synthetic_control import synthetic_control
    from evaluation.specifications import load_design_rows, municipality_means

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    est = cfg["estimate"]
    T, year0 = int(est["treated_municipality"]), int(est["reform_year"])
    k = int(cfg["disclosure"]["min_persons"])
    rows = load_design_rows(person_year, municipality_year, "stock")
    from evaluation.specifications import eligible_donors

    spec = cfg.get("specifications", {}).get("synthetic_control_stock", {})
    m = municipality_means(rows, municipality_year, "hours")
    m, dropped = eligible_donors(m, T, max(k, int(spec.get("min_donor_persons", k))))
    sc = synthetic_control(m, "kom", "year", "hours", T, year0, leave_one_out=True, in_time_placebo=2,
                           size="n_persons", sampling_var="var_mean", post_weights="n_persons")
    n_min = m.groupby("kom")["n_persons"].min()  # persons behind a municipality's yearly means, smallest year
    n_year = m[m.kom == T].set_index("year")["n_persons"]
    path = sc.extras["path"]
    path.assign(n_persons=path.iloc[:, 0].map(n_year).astype(int)).to_csv(out_dir / "sc_path.csv", index=False,
                                                                          float_format="%.4f")
    w = sc.extras["weights"].rename_axis("kom").reset_index()
    w.assign(n_persons_min=w.kom.map(n_min).astype(int)).to_csv(out_dir / "sc_weights.csv", index=False,
                                                                 float_format="%.4f")
    # publish a placebo municipality's gap path only if every year passes both disclosure rules
    small = m.groupby("kom")["n_persons"].min()
    top_n, max_share = dominance_rule(cfg)
    h = rows.groupby(["group_kom", "year"]).hours
    share = (h.apply(lambda v: v.nlargest(top_n).sum()) / h.sum().replace(0, np.nan)).groupby("group_kom").max()
    ok = [u for u in sc.extras["placebo_gaps"].columns
          if small.get(u, 0) >= k and not share.get(u, 0) > max_share]
    sc.extras["placebo_gaps"][ok].to_csv(out_dir / "sc_placebo_gaps.csv", float_format="%.4f")
    # each placebo municipality's own effect and fit: published under the same two rules as its gap path
    plac = sc.extras["placebos"]
    plac = plac[plac.unit.isin(ok)]
    plac.assign(n_persons_min=plac.unit.map(n_min).astype(int)).to_csv(out_dir / "sc_placebos.csv", index=False,
                                                                       float_format="%.4f")
    loo = sc.extras["leave_one_out"]
    loo.assign(n_persons_min=loo.dropped.map(n_min).astype(int)).to_csv(out_dir / "sc_leave_one_out.csv", index=False,
                                                                         float_format="%.4f")
    def finite_or_none(v):  # JSON has no NaN: a number that cannot be computed is written as null
        v = float(v)
        return v if np.isfinite(v) else None

    itp = sc.extras["in_time_placebo"]
    (out_dir / "sc_summary.json").write_text(json.dumps({
        "att": finite_or_none(sc.tidy().estimate.iloc[0]), "p_value": finite_or_none(sc.tidy().p_value.iloc[0]),
        "p_value_rmspe_ratio": finite_or_none(sc.extras["p_value_rmspe_ratio"]), "rank": int(sc.extras["rank"]),
        "pre_rmspe": finite_or_none(sc.extras["pre_rmspe"]), "post_rmspe": finite_or_none(sc.extras["post_rmspe"]),
        "in_time_placebo": {"fake_treatment_time": int(itp["fake_treatment_time"]), "att": finite_or_none(itp["att"]),
                            "pre_rmspe": finite_or_none(itp["pre_rmspe"]),
                            "post_rmspe": finite_or_none(itp["post_rmspe"])},
        "placebo_gaps_suppressed": len(sc.extras["placebos"]) - len(ok), "n_placebos": len(sc.extras["placebos"]),
        "donors_dropped_small": len(dropped), "degenerate_fit": bool(sc.extras.get("degenerate_fit", False)),
    }, indent=2) + "\n")
    # the event study of each design: the cohort (the same persons every year) and the yearly stock (repeated
    # cross sections, each coefficient a comparison of municipality-year means)
    coh = load_design_rows(person_year, municipality_year, "cohort")
    coh["treated"] = coh.group_kom == T
    _write_event_study(coh, year0, True, out_dir / "event_study.csv", out_dir / "event_study_sensitivity.csv")
    rows["treated"] = rows.group_kom == T
    _write_event_study(rows, year0, False, out_dir / "event_study_stock.csv",
                       out_dir / "event_study_stock_sensitivity.csv")
    # effects by year: the factor model of each design beside the covariate-only model
    from evaluation.specifications import yearly_effects

    specs = cfg.get("specifications", {})
    mun = read_municipalities(cfg["municipalities"])
    paths, fits = [], {}
    for design in ("stock", "cohort"):
        name = cycle_model_name(cfg, design)
        paths.append(yearly_effects(cfg, person_year, municipality_year, mun, design,
                                    dict(specs[name], name=name) if name else None, fits=fits))
    pd.concat(paths, ignore_index=True).to_csv(out_dir / "cycle_paths.csv", index=False, float_format="%.4f")
    # how much harder the municipality would have to ride the cycle for the stock's factor-model estimate to be
    # the cycle, beside its own pre-reform cyclicality (evaluation.estimators.excess_cycle)
    excess_cycle_table(cfg, fits, municipality_year, mun, pd.concat(paths)).to_csv(
        out_dir / "excess_cycle.csv", index=False, float_format="%.4f")
    # balance of every matched-DiD specification before and after matching (on the headline outcome)
    from evaluation.specifications import matched_balance

    outcome = cfg.get("headline", {}).get("outcome", est.get("outcome", "hours"))
    tables = [matched_balance(cfg, person_year, municipality_year, mun, n, s, outcome)
              for n, s in sorted(specs.items()) if s["estimator"] == "matched_did"]
    cols = ["specification", "covariate", "treated_mean", "comparison_mean", "matched_comparison_mean", "smd_before",
            "smd_after", "treated_persons", "unmatched_treated"]
    (pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=cols)).to_csv(
        out_dir / "matched_balance.csv", index=False, float_format="%.4f")


def excess_cycle_table(cfg: dict, fits: dict, municipality_year: Path, municipalities: pd.DataFrame,
                       paths: pd.DataFrame) -> pd.DataFrame:
    """The excess-cycle sensitivity of the yearly stock's factor model (``fits`` from ``yearly_effects``), with the
    treated municipality's pre-reform cyclicality relative to its comparison municipalities as the benchmark
    ratio; ``n_treated_persons`` is the fewest persons behind the treated municipality's yearly effects.  Not for
    the cohort: its comparison change is mostly the recovery from the dip it was selected in, not the cycle, so
    scaling it would say nothing about a harder ride on the cycle."""
    from evaluation.estimators.excess_cycle import excess_cycle
    from evaluation.specifications import cyclicality_ratio

    T = int(cfg["estimate"]["treated_municipality"])
    cols = ["design", "specification", "what", "ratio", "estimate", "conf_low", "conf_high", "comparison_change",
            "comparison_change_se", "n_treated_persons"]
    out = []
    for design, f in fits.items():
        if design != "stock":
            continue
        bench = cyclicality_ratio(municipality_year, municipalities, int(cfg["estimate"]["reform_year"]), T,
                                  f["comparison"])
        t = excess_cycle(f["result"], benchmark=bench).tidy()
        n = int(paths.loc[paths.design == design, "n_treated_persons"].min())
        out.append(t.assign(design=design, specification=cycle_model_name(cfg, design), n_treated_persons=n))
    return pd.concat(out, ignore_index=True)[cols] if out else pd.DataFrame(columns=cols)


def cycle_model_name(cfg: dict, design: str) -> str | None:
    """The factor-model specification of a design shown year by year in the report: the preferred one
    if it is a factor model, else the first interactive_fe (then cycle_slopes) specification."""
    specs = cfg.get("specifications", {})
    pref = (cfg.get("headline", {}).get("preferred") or {}).get(design)
    if pref and specs[pref]["estimator"] in ("interactive_fe", "cycle_slopes"):
        return pref
    for est in ("interactive_fe", "cycle_slopes"):
        for n, sp in sorted(specs.items()):
            if sp["design"] == design and sp["estimator"] == est:
                return n
    return None


def balance(cfg: dict, person_year: Path, out_csv: Path) -> pd.DataFrame:
    """Pre-reform balance of the cohort: treated municipality against all comparison
    municipalities in the baseline year (means and standardised differences; counts
    pass the disclosure gate)."""
    est = cfg["estimate"]
    T = int(est["treated_municipality"])
    base = int(cfg["panel"]["baseline_year"])
    top_n, max_share = dominance_rule(cfg)
    con = aggregate_connection()
    df = con.execute(
        f"""SELECT cohort_kom = {T} AS treated, count(*) AS n_persons, avg(age) AS age,
                   avg(CAST(sex = 2 AS DOUBLE)) AS share_women, avg(CAST(edu = 1 AS DOUBLE)) AS share_basic_education,
                   avg(CAST(origin = 3 AS DOUBLE)) AS share_non_western, avg(hours) AS hours,
                   avg(weeks_public_support) AS weeks_public_support, stddev(hours) AS sd_hours,
                   stddev(weeks_public_support) AS sd_weeks, stddev(age) AS sd_age,
                   {", ".join(f"{top_share_sql(c, top_n)} AS {share_column(c)}" for c in MAGNITUDES)}
            FROM {relation_sql(person_year)} WHERE cohort AND year = {base} GROUP BY 1 ORDER BY 1 DESC"""
    ).df()
    con.close()
    df = suppress_dominated(df, MAGNITUDES, max_share)
    rows = []
    tr, co = df[df.treated].iloc[0], df[~df.treated].iloc[0]
    for var, sd in [("age", "sd_age"), ("share_women", None), ("share_basic_education", None),
                    ("share_non_western", None), ("hours", "sd_hours"), ("weeks_public_support", "sd_weeks")]:
        if sd:
            s = np.sqrt((tr[sd] ** 2 + co[sd] ** 2) / 2)
        else:
            s = np.sqrt((tr[var] * (1 - tr[var]) + co[var] * (1 - co[var])) / 2)
        rows.append(dict(variable=var, treated=tr[var], comparison=co[var],
                         standardised_difference=(tr[var] - co[var]) / s if s > 0 else np.nan))
    out = pd.DataFrame(rows)
    out["n_persons"] = int(min(tr.n_persons, co.n_persons))
    out = suppress(out, cfg["disclosure"]["min_persons"], protect=["variable"])
    out.to_csv(out_csv, index=False, float_format="%.4f")
    return out


def _savings_total(total: dict, invested_mio: float, yearly_sum_mio: float) -> dict:
    """The total savings (mio. kr., + = saved) and the net result with the interval of the summed payments
    effect; NaN where no interval exists."""
    est, lo, hi = (-total["estimate"] / 1e6, -total["conf_high"] / 1e6, -total["conf_low"] / 1e6)
    return {"savings_mio": est, "savings_low_mio": lo, "savings_high_mio": hi, "p_value": total["p_value"],
            "net_mio": est - invested_mio, "net_low_mio": lo - invested_mio, "net_high_mio": hi - invested_mio,
            "invested_mio": invested_mio, "years": total["years"], "inference": total["inference"],
            "yearly_sum_mio": yearly_sum_mio}


def investment(cfg: dict, person_year: Path, municipality_year: Path, truth_csv: Path | None, out_dir: Path) -> dict:
    """The investment case: effects on weeks per benefit, payments saved by year against the
    investment, break-even year, the municipality's claims and weeks target beside them.

    Writes (aggregates only) into ``out_dir``: investment_by_year.csv, investment_categories.csv,
    investment_weeks.csv, benefit_rates.csv and investment.json."""
    from evaluation import investment as I
    from evaluation.comparison import select_comparison
    from evaluation.specifications import load_design_rows, municipality_means

    inv = cfg["investment"]
    name = inv.get("specification", "did_all_unemployment")
    spec = cfg["specifications"].get(name)
    if spec is None:
        raise ValueError(f"investment.specification: {name!r} is not one of the specifications in config")
    if spec["estimator"] != "did":
        raise ValueError(f"investment.specification: {name!r} uses estimator {spec['estimator']!r}; the investment "
                         "case needs a did specification (its event study gives the yearly effects)")
    T, year0 = int(cfg["estimate"]["treated_municipality"]), int(cfg["estimate"]["reform_year"])
    codes = read_code_table(cfg["benefit_codes"])
    cats = sorted(codes.loc[codes.public_support.astype(bool), "category"].unique())
    rates_cfg = inv.get("benefit_rates", {})
    unknown = sorted(set(rates_cfg) - set(cats))
    not_applicable = []
    if unknown and cfg.get("source") == "extract":
        # a delivery whose code list lacks a category the config prices: a note in the report, not an error
        not_applicable = unknown
        rates_cfg = {k: v for k, v in rates_cfg.items() if k not in unknown}
    elif unknown:
        raise ValueError(f"investment.benefit_rates: {unknown} are not public-support categories of the benefit-code "
                         f"table {cfg['benefit_codes']} (expected some of {cats})")
    rows = load_design_rows(person_year, municipality_year, spec["design"], [f"weeks_{c}" for c in cats])
    comparison = spec.get("comparison", "all")
    if comparison != "all":
        years = sorted(rows.year.unique())
        comp = select_comparison(municipality_means(rows, municipality_year, "weeks_public_support"),
                                 read_municipalities(cfg["municipalities"]), T, comparison, "weeks_public_support",
                                 [y for y in years if y < year0], k=int(spec.get("nearest_k", 20)))
        rows = rows[rows.group_kom.isin([T] + comp)]
    covs = list(spec.get("covariates") or [])
    post = sorted(y for y in rows.year.unique() if y >= year0)
    rates = I.weekly_rates(rates_cfg, post)
    n_treated = rows[rows.group_kom == T].groupby("year").PNR.nunique()
    k = int(cfg["disclosure"]["min_persons"])
    if (n_treated < k).any():  # every number of the investment case is an aggregate over the treated persons
        y = int(n_treated.idxmin())
        raise ValueError(f"investment: the treated municipality {T} has {int(n_treated.min())} persons in the "
                         f"{spec['design']} design in {y}, fewer than disclosure.min_persons = {k}; the investment "
                         "case would publish aggregates of fewer persons")
    weeks = I.weeks_effects(rows, cats + ["public_support"], T, year0, covs)
    pay = I.payment_effects(rows, rates, T, year0, covs)
    by_year = I.investment_case(pay, n_treated, inv["by_year"])
    total = I.total_payment_effect(rows, rates, n_treated, T, year0, covs)
    by_cat = I.category_savings(weeks[weeks.category != "public_support"], rates, n_treated)
    by_cat["n_persons"] = int(n_treated.min())
    weeks["n_persons"] = weeks.year.map(n_treated).astype(int)

    truth = pd.read_csv(truth_csv) if truth_csv and Path(truth_csv).exists() else None
    if truth is not None and not truth.empty:  # the planted truth beside the estimates
        tc = truth[(truth.kom == T) & (truth.design == spec["design"]) & truth.outcome.str.startswith("weeks_")].copy()
        tc["category"] = tc.outcome.str.removeprefix("weeks_")
        tp = tc.merge(rates[["category", "year", "weekly_rate"]], on=["category", "year"])
        tp = (tp.att * tp.weekly_rate).groupby(tp.year).sum()
        by_year["planted_payments_effect_per_person"] = by_year.year.map(tp)
        by_year["planted_savings_mio"] = -by_year.planted_payments_effect_per_person * by_year.n_persons / 1e6
        tw = tc[tc.year.isin(post)].groupby("category").att.sum()
        by_cat["planted_weeks_saved_per_person"] = -by_cat.category.map(tw)
    target = inv.get("weeks_target", {})
    t_years = [int(y) for y in target.get("years", [y for y in post if y <= max(int(k) for k in inv["by_year"])])]
    ws = weeks[(weeks.category == "public_support") & weeks.year.isin(t_years)]
    tr_rows = rows[(rows.group_kom == T) & rows.year.isin(t_years)]
    factual = float(tr_rows.groupby("year").weeks_public_support.mean().sum())
    planted = np.nan
    if truth is not None and not truth.empty:
        tt = truth[(truth.kom == T) & (truth.design == spec["design"]) & (truth.outcome == "weeks_public_support")
                   & truth.year.isin(t_years)]
        planted = float(tt.att.sum()) if len(tt) == len(t_years) else np.nan
    be = I.break_even_year(by_year)
    summary = {
        "specification": name, "design": spec["design"], "comparison": comparison, "covariates": covs,
        "investment_total_mio": float(sum(inv["by_year"].values())),
        "investment_by_category_mio": {k: float(v) for k, v in inv.get("by_category", {}).items()},
        "savings_total_mio": float(by_year.savings_mio.sum()),
        "planted_savings_total_mio": float(by_year.planted_savings_mio.sum(min_count=1))
        if "planted_savings_mio" in by_year else None,
        "savings_through_year": int(by_year.year.max()),
        "break_even_year": be,
        "net_mio": float(by_year.net_mio.iloc[-1]),
        # the sum over the years with an interval of its own (investment.total_payment_effect): savings = minus
        # the payments; net = savings minus the investment through the last year
        "savings_total": _savings_total(total, float(by_year.cumulative_investment_mio.iloc[-1]),
                                        float(by_year.savings_mio.sum())),
        "priced_categories": sorted(rates_cfg),
        "unpriced_categories": sorted(set(cats) - set(rates_cfg)),
        "rates_not_applicable": not_applicable,
        "claims": inv.get("claims", {}),
        "weeks_target": {**target, "years": t_years, "target_change": (target["after"] - target["before"])
                         if {"before", "after"} <= set(target) else None,
                         "estimated_change": float(ws.estimate.sum()), "factual_weeks": factual,
                         "counterfactual_weeks": factual - float(ws.estimate.sum()), "planted_change": planted},
        "n_treated_persons_min": int(n_treated.min()),
        "investment_source": inv.get("source", ""),
    }
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # through the disclosure gate like every table (the check above makes it a no-op on the counts)
    by_year = suppress(by_year, k, protect=["year", "investment_mio", "cumulative_investment_mio"])
    by_year.drop(columns="suppressed").to_csv(out_dir / "investment_by_year.csv", index=False, float_format="%.4f")
    for table, name in [(by_cat, "investment_categories.csv"), (weeks, "investment_weeks.csv")]:
        suppress(table, k, protect=["category", "year"]).drop(columns="suppressed").to_csv(
            out_dir / name, index=False, float_format="%.4f")
    rates.to_csv(out_dir / "benefit_rates.csv", index=False, float_format="%.2f")
    (out_dir / "investment.json").write_text(json.dumps(summary, indent=2, sort_keys=True, default=float) + "\n")
    log.info("investment case: %.1f mio. kr. invested, %.1f mio. kr. saved through %d, break-even %s",
             summary["investment_total_mio"], summary["savings_total_mio"], summary["savings_through_year"], be)
    return summary
