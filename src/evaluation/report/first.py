"""The first report: the first estimate beside the planted truth, and calibration."""

from __future__ import annotations

import html
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import yaml

from evaluation.report.html import figure_html, page, table_html, versions_table


def _weighted(g: pd.DataFrame, col: str) -> float:
    g = g.dropna(subset=[col, "n_persons"])
    return float((g[col] * g["n_persons"]).sum() / g["n_persons"].sum()) if len(g) else float("nan")


def render_first_report(cfg: dict, estimate_csv: Path, calibration_csv: Path, sample_flow_csv: Path,
                        muni_panel_csv: Path, truth_csv: Path | None, out_html: Path,
                        specifications_csv: Path | None = None, details_dir: Path | None = None,
                        balance_csv: Path | None = None) -> None:
    est = pd.read_csv(estimate_csv)
    cal = pd.read_csv(calibration_csv)
    flow = pd.read_csv(sample_flow_csv)
    mp = pd.read_csv(muni_panel_csv)
    truth = pd.read_csv(truth_csv) if truth_csv and Path(truth_csv).exists() else None
    kom = int(cfg["estimate"]["treated_municipality"])
    design = cfg["estimate"].get("design", "cohort")
    y = cfg["estimate"].get("outcome", "hours")
    r = est.iloc[0]
    sections = [f"<h1>Evaluation of the reform in municipality {kom}: first estimate</h1>",
                f"<p>Run <code>{html.escape(cfg['run_name'])}</code>, source: <b>{cfg['source']}</b>.</p>"]
    truth_txt = (f" The planted truth of the synthetic registers is <b>{r['truth']:.1f}</b>."
                 if pd.notna(r.get("truth")) else "")
    sections.append(
        f'<p class="headline" id="headline">Two-way fixed-effects difference-in-differences ({design} design, '
        f"{r['comparison']}): yearly {y} of the target group changed by <b>{r['estimate']:.1f}</b> per person "
        f"per year after the reform (95% interval {r['conf_low']:.1f} to {r['conf_high']:.1f}, "
        f"permutation p = {r['p_value']:.3f}).{truth_txt} The naive before/after change is "
        f"{r['naive_before_after']:.1f}.</p>")
    if specifications_csv and Path(specifications_csv).exists():
        from evaluation.report.headline import headline

        spec = pd.read_csv(specifications_csv)
        h = headline(spec)
        sections.append(f'<p class="headline" id="headline-range">{html.escape(h["sentence"])}</p>')
        cols = ["specification", "design", "comparison", "covariates", "cycle_adjusted", "estimate",
                "conf_low", "conf_high", "p_value", "truth", "n_control_units"]
        shown = spec.loc[spec.outcome == y, cols].rename(columns={"cycle_adjusted": "in headline",
                                                                  "n_control_units": "comparison units"})
        sections.append("<h2>All specifications (yearly hours)</h2>" + table_html(
            shown, table_id="specifications", digits=1))
        methods = sorted(set(spec.loc[spec.outcome == y, "inference"].str.replace(r"\s*\(.*\)", "", regex=True)))
        sections.append("<p class='caption'>Inference: " + html.escape("; ".join(methods)) + ".</p>")
        sections.append("<p class='caption'>Cycle-adjusted specifications make the headline range. The naive "
                        "before/after change and the DiD against all municipalities without the local unemployment "
                        "rate show how much of the raw change is business cycle and recovery. Infinite intervals: too "
                        "few comparison municipalities for a 95% placebo interval.</p>")
    if specifications_csv and Path(specifications_csv).exists():
        from evaluation.report import figures as F

        sections.append("<h2>How much of the raw change is business cycle</h2>" + figure_html(
            F.decomposition(spec, y), "The raw change in the treated municipality's yearly stock since the year "
            "before the reform, the part the comparison municipalities also show (business cycle and composition), "
            "and the net effect (DiD on the stock with the local unemployment rate).", "fig-decomposition"))
        sections.append("<h2>Specification curve</h2>" + figure_html(
            F.specification_curve(spec, y), "All specifications sorted by estimate with 95% intervals; blue: "
            "cycle-adjusted (the headline range); black marks: the planted truth.", "fig-spec-curve"))
    if details_dir and Path(details_dir).exists():
        import json

        from evaluation.report import figures as F

        dd = Path(details_dir)
        path = pd.read_csv(dd / "sc_path.csv")
        summ = json.loads((dd / "sc_summary.json").read_text())
        names = dict(zip(pd.read_csv(cfg["municipalities"]).municipality_code, pd.read_csv(cfg["municipalities"]).municipality_name))
        year0 = int(cfg["estimate"]["reform_year"])
        sections.append("<h2>Synthetic control (yearly stock, hours)</h2>")
        sections.append(figure_html(F.synthetic_control_path(path, year0), "The treated municipality against its "
                                    "synthetic control, and the gap.", "fig-sc-path"))
        sections.append(figure_html(F.donor_weights(pd.read_csv(dd / "sc_weights.csv"), names),
                                    "Donor weights (non-negative, summing to one).", "fig-sc-weights"))
        gaps = pd.read_csv(dd / "sc_placebo_gaps.csv", index_col=0)
        sections.append(figure_html(F.placebo_gaps(gaps, path.set_index("year")["gap"], year0),
                                    f"Placebo gaps of the comparison municipalities (grey; "
                                    f"{summ['placebo_gaps_suppressed']} with fewer than "
                                    f"{cfg['disclosure']['min_persons']} persons in a year not shown) and the "
                                    "treated gap.", "fig-sc-placebos"))
        plac = pd.read_csv(dd / "sc_placebos.csv")
        sections.append(figure_html(F.rmspe_ratios(plac, summ["post_rmspe"] / summ["pre_rmspe"]),
                                    f"Post/pre RMSPE ratios: the treated municipality ranks {summ['rank']} of "
                                    f"{len(plac) + 1} (p = {summ['p_value_rmspe_ratio']:.3f}); size-normalised "
                                    f"placebo p = {summ['p_value']:.3f}.", "fig-sc-ratios"))
        es = pd.read_csv(dd / "event_study.csv")
        tt = None
        if truth is not None and not truth.empty:
            tr = truth[(truth.kom == kom) & (truth.design == "cohort") & (truth.outcome == "hours")]
            tt = pd.Series(tr.att.to_numpy(), index=tr.year.to_numpy() - year0)
        sections.append("<h2>Event study (cohort, local unemployment as covariate)</h2>" + figure_html(
            F.event_study(es, tt), f"Effects by year relative to the reform; joint pre-trend test p = "
            f"{es.pretrend_p_value.iloc[0]:.3f} (placebo rank).", "fig-event-study"))
    show = est[["method", "design", "comparison", "estimate", "conf_low", "conf_high", "p_value", "inference",
                "truth", "naive_before_after", "se_cluster_robust_invalid", "n_persons"]]
    sections.append("<h2>Estimate and planted truth</h2>" + table_html(show, table_id="estimate", digits=2))
    sections.append("<p class='caption'>The cluster-robust standard error is shown for comparison only: with one "
                    "treated municipality it is not valid (Conley &amp; Taber 2011). The interval and p-value come "
                    "from placing each comparison municipality in the treated role.</p>")

    # figure: outcome path, treated vs comparison, with the planted counterfactual
    d = mp[mp.design == design]
    fig, ax = plt.subplots(figsize=(7, 3.6))
    tr = d[d.kom == kom].sort_values("year")
    co = d[d.kom != kom].groupby("year").apply(lambda g: _weighted(g, y), include_groups=False)
    ax.plot(tr.year, tr[y], "o-", label=f"municipality {kom}")
    ax.plot(co.index, co.values, "s--", label="all other municipalities")
    if truth is not None and not truth.empty:
        t = truth[(truth.kom == kom) & (truth.design == design) & (truth.outcome == y)].sort_values("year")
        ax.plot(t.year, t.mean_untreated, ":", color="k", label=f"{kom} without the reform (planted)")
    ax.axvline(int(cfg["estimate"]["reform_year"]) - 0.5, color="grey", lw=0.8)
    ax.set_xlabel("year"), ax.set_ylabel(f"mean {y}"), ax.legend(fontsize=8)
    sections.append("<h2>The outcome over time</h2>" + figure_html(
        fig, f"Mean yearly {y} of the target group ({design} design): the treated municipality, all other "
        "municipalities (person-weighted), and, in a synthetic run, the treated municipality's planted "
        "untreated path.", "fig-outcome"))

    # calibration
    sections.append("<h2>Calibration of the registers</h2>")
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.plot(cal.year, cal.national_unemployment, "o-", label="national (population-weighted)")
    ax.plot(cal.year, cal.treated_unemployment, "s--", label=f"municipality {kom}")
    ax.set_ylabel("gross unemployment, %"), ax.legend(fontsize=8)
    sections.append(figure_html(fig, "The business cycle: gross unemployment rate by year.", "fig-cycle"))
    cal_show = cal[["year", "national_stock", "treated_stock", "treated_baseline_hours", "treated_share_zero_hours",
                    "all_baseline_hours", "treated_fp_grants_from_target", "treated_fp_grants_all", "national_unemployment",
                    "treated_unemployment"]]
    sections.append(table_html(cal_show, "Target group by year (yearly stock)", "calibration", digits=2))
    sections.append(
        "<p class='caption'>Published magnitudes the defaults are calibrated to: about 70,000 aktivitetsparate "
        "kontanthjælpsmodtagere nationally per year around 2017, about 1,000-1,400 in Hjørring, yearly paid hours "
        "about 55 before 2015 with most at zero; førtidspension grants in Hjørring from about 50 to about 200 a "
        "year with the reform.</p>")
    if truth is not None and not truth.empty:
        t = truth[(truth.kom == kom) & (truth.outcome == y)].pivot(index="year", columns="design", values="att")
        sections.append("<h2>Planted effect by year</h2>" + table_html(
            t.reset_index(), f"Planted ATT on yearly {y}, by design", "truth", digits=2))
    if specifications_csv and Path(specifications_csv).exists():
        other = spec[spec.cycle_adjusted.astype(bool)].pivot_table(index="specification", columns="outcome",
                                                                   values="estimate")
        tr_other = spec[spec.cycle_adjusted.astype(bool)].pivot_table(index="specification", columns="outcome",
                                                                      values="truth")
        sections.append("<h2>Other outcomes</h2>" + table_html(
            other.reset_index(), "Cycle-adjusted estimates for every outcome (hours per year; weeks on public support "
            "per year; employment and stable employment as shares)", "other-outcomes", digits=3))
        if tr_other.notna().any().any():
            sections.append(table_html(tr_other.reset_index(), "Planted truth for the same specifications",
                                       "other-outcomes-truth", digits=3))
        sections.append("<p class='caption'>The municipality's own target was time on public support cut from 121 to "
                        "68 weeks on average; the weeks outcome here is the yearly number of weeks on public support. "
                        "In the synthetic registers the reform's extra førtidspension grants keep people on support "
                        "who would otherwise have left it, offsetting the weeks saved by jobs.</p>")
    if balance_csv and Path(balance_csv).exists():
        sections.append("<h2>Balance before the reform</h2>" + table_html(
            pd.read_csv(balance_csv), f"The cohort in {cfg['panel']['baseline_year']}: treated municipality against "
            "all comparison municipalities", "balance", digits=3))
    sections.append(
        "<h2>Data provenance</h2><p>" + ("Synthetic registers generated by <code>evaluation.synthetic</code> "
        f"(seed {cfg.get('synthetic', {}).get('seed')}) in the layouts of DREAM (weekly benefit codes), eIndkomst "
        "(monthly paid hours) and the population register (residence on 1 January); the planted truth comes from "
        "simulating the treated municipality's persons without the reform with the same random numbers."
        if cfg["source"] == "synthetic" else "Register extracts on Statistics Denmark's research servers: DREAM, "
        "eIndkomst, the population register, as configured under <code>registers</code>.")
        + " Municipality codes, names, regions and populations: Statistics Denmark. Every table passes the "
        f"disclosure gate: cells with fewer than {cfg['disclosure']['min_persons']} persons are suppressed.</p>")
    sections.append("<h2>Sample flow</h2>" + table_html(flow, table_id="sample-flow", digits=0))
    sections.append("<h2>Software</h2>" + table_html(versions_table(), table_id="software"))
    sections.append("<h2>Configuration</h2><pre>" + html.escape(yaml.safe_dump(cfg, sort_keys=False)) + "</pre>")
    Path(out_html).write_text(page(f"First estimate: municipality {kom}", sections))
