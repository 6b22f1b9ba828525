"""Figures of the report, drawn from aggregate tables only."""

from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from evaluation.report.language import figure_words as _w  # noqa: E402
from evaluation.report.language import number as _num  # noqa: E402


def decomposition(spec: pd.DataFrame, outcome: str = "hours", lang: str = "en"):
    """Raw change of the treated stock, the part the comparison municipalities also show
    (business cycle and composition), and the net effect (cycle-adjusted DiD)."""
    s = spec[spec.outcome == outcome].set_index("specification")
    raw = float(s.loc["naive_stock", "estimate"])
    net = float(s.loc["did_stock_unemployment", "estimate"])
    fig, ax = plt.subplots(figsize=(6.5, 3.4))
    ax.bar([_w(x, lang) for x in ("raw change\n(treated, stock)", "also in comparison\n(cycle, composition)",
                            "net effect\n(DiD, cycle-adjusted)")],
           [raw, raw - net, net], color=["#999999", "#d08c60", "#2a5d9f"])
    for i, v in enumerate([raw, raw - net, net]):
        ax.text(i, v, _num(v, 0, lang), ha="center", va="bottom")
    ax.set_ylabel(_w("{outcome} per person per year", lang).format(outcome=_w(outcome, lang)))
    return fig


def specification_curve(spec: pd.DataFrame, outcome: str = "hours", labels: dict | None = None, lang: str = "en"):
    """Every specification sorted by estimate with its 95 % interval (top) and what it is (bottom: design,
    estimator, comparison group, covariate).  The vertical axis is set by the estimates, not by the widest
    interval: an interval end beyond it is drawn to the edge with an arrow, an estimate beyond it as an arrow
    at the edge with its value, and a specification without a finite interval as an open marker.  ``labels``:
    specification -> what it is in words, for the horizontal axis (default: the identifiers)."""
    s = spec[spec.outcome == outcome].sort_values("estimate").reset_index(drop=True)
    n = len(s)
    x = np.arange(n)
    est = s.estimate.to_numpy(float)
    lo, hi = s.conf_low.to_numpy(float), s.conf_high.to_numpy(float)
    typical = np.nanpercentile(np.abs(est), 80) if n else 1.0
    lim = max(1.0, 2.5 * typical)
    # long labels on two lines; room below the features panel for the longest line, rotated
    words = [(labels or {}).get(n, n) for n in s.specification]
    ticks = [textwrap.fill(w, max(40, len(w) // 2 + 8)) for w in words]
    extra = 0.06 * max([len(line) for t in ticks for line in t.split("\n")] + [30]) - 1.65
    fig, (ax, bx) = plt.subplots(2, 1, figsize=(8, 6.2 + max(0.0, extra)), sharex=True,
                                 gridspec_kw={"height_ratios": [3, 2]})
    for i in x:
        c = "#2a5d9f" if bool(s.cycle_adjusted[i]) else "#888888"
        finite = np.isfinite(lo[i]) and np.isfinite(hi[i])
        if finite:
            a, b = max(lo[i], -lim), min(hi[i], lim)
            ax.plot([i, i], [a, b], color=c, lw=1.4)
            for end, clip, m in ((lo[i], -lim, "v"), (hi[i], lim, "^")):
                if (end < clip) if m == "v" else (end > clip):
                    ax.plot(i, clip, marker=m, color=c, ms=6)
        e = est[i]
        if abs(e) > lim:
            ax.plot(i, np.sign(e) * lim, marker="^" if e > 0 else "v", color=c, ms=9)
            ax.annotate(_num(e, 0, lang), (i, np.sign(e) * lim), textcoords="offset points", xytext=(-14, -12 if e > 0 else 6),
                        fontsize=7, color=c)
        else:
            ax.plot(i, e, "o", color=c, mfc=c if finite else "white", ms=5)
    if s.truth.notna().any():
        ax.scatter(x, s.truth.clip(-lim, lim), marker="_", s=200, color="k", zorder=3)
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_ylim(-lim * 1.05, lim * 1.05)
    ax.set_ylabel(_w("effect on {outcome} per person per year", lang).format(outcome=_w(outcome, lang)))
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color="#2a5d9f", marker="o", label=_w("cycle-adjusted", lang)),
               Line2D([], [], color="#888888", marker="o", label=_w("other", lang)),
               Line2D([], [], color="#888888", marker="o", mfc="white", ls="", label=_w("no finite 95 % interval", lang)),
               Line2D([], [], color="#888888", marker="^", ls="", label=_w("beyond the axis", lang))]
    if s.truth.notna().any():
        handles.append(Line2D([], [], color="k", marker="_", ms=12, ls="", label=_w("planted truth", lang)))
    ax.legend(handles=handles, fontsize=7, ncol=5, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False)
    # what each specification is
    feats = [(_w("design: stock", lang), s.design == "stock"), (_w("design: cohort", lang), s.design == "cohort")]
    from evaluation.report.language import SPEC_WORDS

    names = SPEC_WORDS[lang]["estimator"]  # the same words as the labels on the axis
    for k in [k for k in names if k in set(s.estimator)]:
        feats.append((names[k], s.estimator == k))
    for k in sorted(set(s.comparison.astype(str))):
        feats.append((_w("comparison: {k}", lang).format(k=_w(k, lang)), s.comparison.astype(str) == k))
    feats.append((_w("local unemployment covariate", lang), s.covariates.astype(str).str.contains("ledighed")))
    for r, (label, mask) in enumerate(feats):
        m = mask.to_numpy(bool)
        bx.scatter(x[m], np.full(m.sum(), r), s=14, color="k")
        bx.scatter(x[~m], np.full((~m).sum(), r), s=4, color="#dddddd")
    bx.set_yticks(range(len(feats)), [f for f, _ in feats], fontsize=7)
    bx.invert_yaxis()
    bx.set_xticks(x, ticks, rotation=90, ha="right", va="center", rotation_mode="anchor", fontsize=6)
    bx.set_xlabel(_w("specification (sorted by estimate)", lang), fontsize=8)
    fig.tight_layout()
    return fig


def synthetic_control_path(path: pd.DataFrame, reform_year: int, lang: str = "en"):
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.4))
    a.plot(path.year, path.treated, "o-", label=_w("treated", lang))
    a.plot(path.year, path.synthetic, "s--", label=_w("synthetic", lang))
    a.axvline(reform_year - 0.5, color="grey", lw=0.8)
    a.legend(fontsize=8), a.set_ylabel(_w("hours per person per year", lang)), a.set_xlabel(_w("year", lang))
    b.plot(path.year, path.gap, "o-")
    b.axhline(0, color="grey", lw=0.8), b.axvline(reform_year - 0.5, color="grey", lw=0.8)
    b.set_ylabel(_w("gap, treated - synthetic (hours)", lang)), b.set_xlabel(_w("year", lang))
    return fig


def placebo_gaps(gaps: pd.DataFrame, treated_gap: pd.Series, reform_year: int, lang: str = "en"):
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for c in gaps.columns:
        ax.plot(gaps.index, gaps[c], color="#cccccc", lw=0.8)
    ax.plot(treated_gap.index, treated_gap.values, color="#2a5d9f", lw=2.2, label=_w("treated", lang))
    ax.axvline(reform_year - 0.5, color="grey", lw=0.8)
    ax.axhline(0, color="grey", lw=0.8)
    ax.plot([], [], color="#cccccc", label=_w("each comparison municipality as if treated (placebo)", lang))
    ax.legend(fontsize=8), ax.set_ylabel(_w("gap to its synthetic control (hours)", lang)), ax.set_xlabel(_w("year", lang))
    return fig


def rmspe_ratios(placebos: pd.DataFrame, treated_ratio: float, lang: str = "en"):
    fig, ax = plt.subplots(figsize=(6.5, 3.2))
    ax.hist(placebos.ratio.clip(upper=np.quantile(placebos.ratio, 0.99)), bins=30, color="#cccccc")
    ax.axvline(treated_ratio, color="#2a5d9f", lw=2, label=_w("treated", lang))
    ax.set_xlabel(_w("post/pre RMSPE ratio", lang)), ax.set_ylabel(_w("municipalities", lang)), ax.legend(fontsize=8)
    return fig


def donor_weights(weights: pd.DataFrame, names: dict, lang: str = "en"):
    w = weights[weights.weight > 0.001].sort_values("weight")
    fig, ax = plt.subplots(figsize=(6, 0.3 * len(w) + 1))
    ax.barh([names.get(int(k), str(k)) for k in w.kom], w.weight, color="#2a5d9f")
    ax.set_xlabel(_w("donor weight", lang))
    return fig


def leave_one_out(loo: pd.DataFrame, names: dict, estimate: float, lang: str = "en"):
    """Synthetic control's estimate with each donor of positive weight left out (the weights refitted), beside
    the estimate with all donors: how much the finding rests on one comparison municipality."""
    d = loo.sort_values("att")
    fig, ax = plt.subplots(figsize=(6, 0.32 * len(d) + 1.2))
    labels = [_w("{name} (weight {w})", lang).format(name=names.get(int(k), str(k)), w=_num(w, 2, lang))
              for k, w in zip(d.dropped, d.weight)]
    ax.plot(d.att, range(len(d)), "o", color="#2a5d9f", label=_w("without this donor", lang))
    ax.axvline(estimate, color="#d08c60", ls="--", label=_w("all donors ({est})", lang).format(est=_num(estimate, 0, lang)))
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(range(len(d)), labels)
    ax.set_xlabel(_w("average effect after the reform (hours per person per year)", lang))
    ax.legend(loc="best", fontsize=8)
    return fig


def cycle_paths(paths: pd.DataFrame, design: str, truth: pd.Series | None = None, label: str = "factor model",
                lang: str = "en"):
    """Effects by year after the reform: the factor model with its placebo intervals, the
    covariate-only two-way fixed-effects model, and the planted truth where known."""
    p = paths[paths.design == design].sort_values("year")
    fig, ax = plt.subplots(figsize=(6.5, 3.4))
    if "factor_effect" in p:
        lo = (p.factor_effect - p.factor_low).to_numpy()
        hi = (p.factor_high - p.factor_effect).to_numpy()
        ok = np.isfinite(lo) & np.isfinite(hi)
        ax.errorbar(p.year[ok], p.factor_effect[ok], yerr=[lo[ok], hi[ok]], fmt="o-", color="#2a5d9f", capsize=3,
                    label=label + _w(" (95% placebo interval)", lang))
        if (~ok).any():
            ax.plot(p.year[~ok], p.factor_effect[~ok], "o", color="#2a5d9f", mfc="white")
    ax.plot(p.year, p.covariate_effect, "s--", color="#d08c60", label=_w("DiD with local unemployment only", lang))
    if truth is not None:
        ax.plot(truth.index, truth.to_numpy(), "k_", ms=18, mew=2, label=_w("planted truth", lang))
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xticks(p.year)
    ax.set_ylabel(_w("effect on hours per person per year", lang)), ax.set_xlabel(_w("year", lang))
    ax.legend(fontsize=8)
    return fig


def excess_cycle(tab: pd.DataFrame, lang: str = "en"):
    """The excess-cycle table (results/details/excess_cycle.csv, one design): the estimate and its 95 % interval
    against the ratio of the municipality's untreated change to the comparison municipalities', the benchmark
    ratio dashed, the breakdown ratios marked.  The estimate is linear in the ratio; the interval is drawn through
    the table's rows (absent where none exists)."""
    t = tab[np.isfinite(tab.ratio)].sort_values("ratio")
    fig, ax = plt.subplots(figsize=(6.5, 3.4))
    ok = np.isfinite(t.conf_low) & np.isfinite(t.conf_high)
    if ok.any():
        ax.fill_between(t.ratio[ok], t.conf_low[ok], t.conf_high[ok], color="#2a5d9f", alpha=0.18, lw=0,
                        label=_w("95% interval", lang))
    ax.plot(t.ratio, t.estimate, "-", color="#2a5d9f", label=_w("estimate", lang))
    grid = t[t.what == "ratio"]
    ax.plot(grid.ratio, grid.estimate, "o", color="#2a5d9f", ms=4)
    b = t[t.what == "benchmark"]
    if len(b):
        ax.axvline(float(b.ratio.iloc[0]), color="#d08c60", ls="--",
                   label=_w("its own pre-reform cyclicality", lang))
    im = t[t.what == "implied"]  # the ratio the model's own counterfactual implies (no row: 1, a DiD's)
    implied = float(im.ratio.iloc[0]) if len(im) else 1.0
    if len(im):
        ax.axvline(implied, color="grey", ls=":", label=_w("the model's own projection", lang))
    for what, marker in (("breakdown_estimate_zero", "x"), ("breakdown_interval_zero", "+")):
        r = t[t.what == what]
        if len(r) and float(r.ratio.iloc[0]) > implied:
            y = 0.0
            ax.plot(r.ratio, [y], marker, color="black", ms=9, mew=2,
                    label=_w("estimate reaches zero" if what.endswith("estimate_zero") else
                             "interval reaches zero", lang))
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xlabel(_w("ratio of the municipality's untreated change to the comparison municipalities'", lang))
    ax.set_ylabel(_w("effect on hours per person per year", lang))
    ax.legend(fontsize=8)
    return fig


def event_study(es: pd.DataFrame, truth: pd.Series | None = None, lang: str = "en"):
    e = es.term.str.replace("e=", "").astype(int)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    # a coefficient whose interval is unavailable (too few comparisons) is drawn without a bar, and hollow
    ok = es.conf_low.notna() & es.conf_high.notna()
    ax.errorbar(e[ok], es.estimate[ok], yerr=[es.estimate[ok] - es.conf_low[ok], es.conf_high[ok] - es.estimate[ok]],
                fmt="o", capsize=3, label=_w("estimate, 95% interval", lang))
    if (~ok).any():
        ax.plot(e[~ok], es.estimate[~ok], "o", mfc="none", color="C0", label=_w("estimate, interval unavailable", lang))
    if {"conf_low_uniform", "conf_high_uniform"} <= set(es.columns):
        u = es.conf_low_uniform.notna() & es.conf_high_uniform.notna()
        labelled = False
        for side in (e < 0, e >= 0):  # the band drawn on each side of the reform, where it exists
            m = u & side
            if m.any():
                ax.fill_between(e[m], es.conf_low_uniform[m], es.conf_high_uniform[m], color="C0", alpha=0.15, lw=0,
                                label=None if labelled else _w("simultaneous 95% band", lang))
                labelled = True
    if truth is not None:
        ax.plot(truth.index, truth.values, "k:", label=_w("planted effect", lang))
    ax.axhline(0, color="grey", lw=0.8), ax.axvline(-0.5, color="grey", lw=0.8, ls="--")
    ax.set_xlabel(_w("years since the reform (reference: the year before)", lang))
    ax.set_ylabel(_w("effect on hours per person per year", lang)), ax.legend(fontsize=8)
    return fig


def investment_case(by_year: pd.DataFrame, break_even: int | None = None, lang: str = "en"):
    """Investment and the estimated change in benefit payments by year (bars, + = more paid), and the net result
    for the public purse cumulated (payments saved minus investment: it crosses zero at break-even)."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(9.5, 3.6))
    x = np.arange(len(by_year))
    a.bar(x - 0.2, by_year.investment_mio, 0.4, color="#999999", label=_w("investment", lang))
    paid, lo, hi = -by_year.savings_mio, -by_year.savings_high_mio, -by_year.savings_low_mio
    err = np.vstack([(paid - lo).clip(lower=0).fillna(0), (hi - paid).clip(lower=0).fillna(0)])
    a.bar(x + 0.2, paid, 0.4, yerr=err, capsize=2, color="#2a5d9f",
          label=_w("change in benefit payments (+ = more paid; 95% interval)", lang))
    if "planted_savings_mio" in by_year and by_year.planted_savings_mio.notna().any():
        a.scatter(x + 0.2, -by_year.planted_savings_mio, marker="_", s=250, color="k", zorder=3,
                  label=_w("planted truth", lang))
    a.set_xticks(x, by_year.year.astype(int)), a.axhline(0, color="grey", lw=0.8)
    a.set_ylabel(_w("mio. kr. a year", lang)), a.set_xlabel(_w("year", lang)), a.legend(fontsize=7)
    b.plot(by_year.year, by_year.net_mio, "s-", color="#2a5d9f",
           label=_w("net for the public purse, cumulative\n(payments saved minus investment)", lang))
    if break_even is not None:
        b.axvline(break_even, color="#2a5d9f", ls="--", lw=0.8, label=_w("break-even {year}", lang).format(year=break_even))
    b.axhline(0, color="grey", lw=0.8), b.set_ylabel(_w("mio. kr., cumulative", lang)), b.set_xlabel(_w("year", lang))
    b.legend(fontsize=7)
    return fig


def outcome_paths(group: pd.DataFrame, outcome: str, design: str, treated_label: str,
                  untreated: pd.DataFrame | None = None, reform_year: int | None = None, lang: str = "en"):
    """Mean outcome of the treated municipality and of all comparison municipalities pooled."""
    d = group[group.design == design]
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for g, style, label in [("treated", "o-", treated_label), ("comparison", "s--", _w("all other municipalities", lang))]:
        s = d[d.group == g].sort_values("year")
        ax.plot(s.year, s[outcome], style, label=label)
    if untreated is not None and len(untreated):
        ax.plot(untreated.year, untreated.mean_untreated, ":", color="k", label=_w("{name} without the reform (planted)", lang).format(name=treated_label))
    if reform_year is not None:
        ax.axvline(reform_year - 0.5, color="grey", lw=0.8)
    ax.set_xlabel(_w("year", lang)), ax.set_ylabel(_w("mean {outcome} per person", lang).format(outcome=_w(outcome, lang)))
    ax.legend(fontsize=8)
    return fig


def caseloads(mp: pd.DataFrame, kom: int, reform_year: int, name: str, column: str = "sager_pr_sagsbehandler",
              lang: str = "en"):
    """The mechanism: cases per caseworker in the treated municipality against the comparison municipalities'
    median and interquartile range, by year (municipality-level register values, one row per municipality and
    year)."""
    d = mp.drop_duplicates(["kom", "year"])
    others = d[d.kom != kom].groupby("year")[column]
    q = pd.DataFrame({"q25": others.quantile(0.25), "median": others.median(), "q75": others.quantile(0.75)})
    t = d[d.kom == kom].set_index("year")[column].sort_index()
    fig, ax = plt.subplots(figsize=(7, 3.4))
    ax.fill_between(q.index, q.q25, q.q75, color="#cccccc", label=_w("other municipalities: middle half", lang))
    ax.plot(q.index, q["median"], "s--", color="#777777", label=_w("other municipalities: median", lang))
    ax.plot(t.index, t.to_numpy(), "o-", color="#2a5d9f", label=name)
    ax.axvline(reform_year - 0.5, color="grey", lw=0.8)
    ax.set_xlabel(_w("year", lang)), ax.set_ylabel(_w("cases per caseworker", lang))
    ax.set_ylim(bottom=0), ax.legend(fontsize=8)
    return fig
