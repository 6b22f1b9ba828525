"""Figures of the report, drawn from aggregate tables only."""

from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def decomposition(spec: pd.DataFrame, outcome: str = "hours"):
    """Raw change of the treated stock, the part the comparison municipalities also show
    (business cycle and composition), and the net effect (cycle-adjusted DiD)."""
    s = spec[spec.outcome == outcome].set_index("specification")
    raw = float(s.loc["naive_stock", "estimate"])
    net = float(s.loc["did_stock_unemployment", "estimate"])
    fig, ax = plt.subplots(figsize=(6.5, 3.4))
    ax.bar(["raw change\n(treated, stock)", "also in comparison\n(cycle, composition)", "net effect\n(DiD, cycle-adjusted)"],
           [raw, raw - net, net], color=["#999999", "#d08c60", "#2a5d9f"])
    for i, v in enumerate([raw, raw - net, net]):
        ax.text(i, v, f"{v:.0f}", ha="center", va="bottom")
    ax.set_ylabel(f"{outcome} per person per year")
    return fig


def specification_curve(spec: pd.DataFrame, outcome: str = "hours", labels: dict | None = None):
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
            ax.annotate(f"{e:.0f}", (i, np.sign(e) * lim), textcoords="offset points", xytext=(-14, -12 if e > 0 else 6),
                        fontsize=7, color=c)
        else:
            ax.plot(i, e, "o", color=c, mfc=c if finite else "white", ms=5)
    if s.truth.notna().any():
        ax.scatter(x, s.truth.clip(-lim, lim), marker="_", s=200, color="k", zorder=3)
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_ylim(-lim * 1.05, lim * 1.05)
    ax.set_ylabel(f"effect on {outcome} per person per year")
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color="#2a5d9f", marker="o", label="cycle-adjusted"),
               Line2D([], [], color="#888888", marker="o", label="other"),
               Line2D([], [], color="#888888", marker="o", mfc="white", ls="", label="no finite 95 % interval"),
               Line2D([], [], color="#888888", marker="^", ls="", label="beyond the axis")]
    if s.truth.notna().any():
        handles.append(Line2D([], [], color="k", marker="_", ms=12, ls="", label="planted truth"))
    ax.legend(handles=handles, fontsize=7, ncol=5, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False)
    # what each specification is
    feats = [("design: stock", s.design == "stock"), ("design: cohort", s.design == "cohort")]
    from evaluation.report.language import SPEC_WORDS

    names = SPEC_WORDS["en"]["estimator"]  # the same words as the labels on the axis
    for k in [k for k in names if k in set(s.estimator)]:
        feats.append((names[k], s.estimator == k))
    for k in sorted(set(s.comparison.astype(str))):
        feats.append((f"comparison: {k}", s.comparison.astype(str) == k))
    feats.append(("local unemployment covariate", s.covariates.astype(str).str.contains("ledighed")))
    for r, (label, mask) in enumerate(feats):
        m = mask.to_numpy(bool)
        bx.scatter(x[m], np.full(m.sum(), r), s=14, color="k")
        bx.scatter(x[~m], np.full((~m).sum(), r), s=4, color="#dddddd")
    bx.set_yticks(range(len(feats)), [f for f, _ in feats], fontsize=7)
    bx.invert_yaxis()
    bx.set_xticks(x, ticks, rotation=90, ha="right", va="center", rotation_mode="anchor", fontsize=6)
    bx.set_xlabel("specification (sorted by estimate)", fontsize=8)
    fig.tight_layout()
    return fig


def synthetic_control_path(path: pd.DataFrame, reform_year: int):
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.4))
    a.plot(path.year, path.treated, "o-", label="treated")
    a.plot(path.year, path.synthetic, "s--", label="synthetic")
    a.axvline(reform_year - 0.5, color="grey", lw=0.8)
    a.legend(fontsize=8), a.set_ylabel("hours per person per year"), a.set_xlabel("year")
    b.plot(path.year, path.gap, "o-")
    b.axhline(0, color="grey", lw=0.8), b.axvline(reform_year - 0.5, color="grey", lw=0.8)
    b.set_ylabel("gap, treated - synthetic (hours)"), b.set_xlabel("year")
    return fig


def placebo_gaps(gaps: pd.DataFrame, treated_gap: pd.Series, reform_year: int):
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for c in gaps.columns:
        ax.plot(gaps.index, gaps[c], color="#cccccc", lw=0.8)
    ax.plot(treated_gap.index, treated_gap.values, color="#2a5d9f", lw=2.2, label="treated")
    ax.axvline(reform_year - 0.5, color="grey", lw=0.8)
    ax.axhline(0, color="grey", lw=0.8)
    ax.plot([], [], color="#cccccc", label="each comparison municipality as if treated (placebo)")
    ax.legend(fontsize=8), ax.set_ylabel("gap to its synthetic control (hours)"), ax.set_xlabel("year")
    return fig


def rmspe_ratios(placebos: pd.DataFrame, treated_ratio: float):
    fig, ax = plt.subplots(figsize=(6.5, 3.2))
    ax.hist(placebos.ratio.clip(upper=np.quantile(placebos.ratio, 0.99)), bins=30, color="#cccccc")
    ax.axvline(treated_ratio, color="#2a5d9f", lw=2, label="treated")
    ax.set_xlabel("post/pre RMSPE ratio"), ax.set_ylabel("municipalities"), ax.legend(fontsize=8)
    return fig


def donor_weights(weights: pd.DataFrame, names: dict):
    w = weights[weights.weight > 0.001].sort_values("weight")
    fig, ax = plt.subplots(figsize=(6, 0.3 * len(w) + 1))
    ax.barh([names.get(int(k), str(k)) for k in w.kom], w.weight, color="#2a5d9f")
    ax.set_xlabel("donor weight")
    return fig


def leave_one_out(loo: pd.DataFrame, names: dict, estimate: float):
    """Synthetic control's estimate with each donor of positive weight left out (the weights refitted), beside
    the estimate with all donors: how much the finding rests on one comparison municipality."""
    d = loo.sort_values("att")
    fig, ax = plt.subplots(figsize=(6, 0.32 * len(d) + 1.2))
    labels = [f"{names.get(int(k), str(k))} (weight {w:.2f})" for k, w in zip(d.dropped, d.weight)]
    ax.plot(d.att, range(len(d)), "o", color="#2a5d9f", label="without this donor")
    ax.axvline(estimate, color="#d08c60", ls="--", label=f"all donors ({estimate:.0f})")
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(range(len(d)), labels)
    ax.set_xlabel("average effect after the reform (hours per person per year)")
    ax.legend(loc="best", fontsize=8)
    return fig


def cycle_paths(paths: pd.DataFrame, design: str, truth: pd.Series | None = None, label: str = "factor model"):
    """Effects by year after the reform: the factor model with its placebo intervals, the
    covariate-only two-way fixed-effects model, and the planted truth where known."""
    p = paths[paths.design == design].sort_values("year")
    fig, ax = plt.subplots(figsize=(6.5, 3.4))
    if "factor_effect" in p:
        lo = (p.factor_effect - p.factor_low).to_numpy()
        hi = (p.factor_high - p.factor_effect).to_numpy()
        ok = np.isfinite(lo) & np.isfinite(hi)
        ax.errorbar(p.year[ok], p.factor_effect[ok], yerr=[lo[ok], hi[ok]], fmt="o-", color="#2a5d9f", capsize=3,
                    label=label + " (95% placebo interval)")
        if (~ok).any():
            ax.plot(p.year[~ok], p.factor_effect[~ok], "o", color="#2a5d9f", mfc="white")
    ax.plot(p.year, p.covariate_effect, "s--", color="#d08c60", label="DiD with local unemployment only")
    if truth is not None:
        ax.plot(truth.index, truth.to_numpy(), "k_", ms=18, mew=2, label="planted truth")
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xticks(p.year)
    ax.set_ylabel("effect on hours per person per year"), ax.set_xlabel("year")
    ax.legend(fontsize=8)
    return fig


def event_study(es: pd.DataFrame, truth: pd.Series | None = None):
    e = es.term.str.replace("e=", "").astype(int)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    # a coefficient whose interval is unavailable (too few comparisons) is drawn without a bar, and hollow
    ok = es.conf_low.notna() & es.conf_high.notna()
    ax.errorbar(e[ok], es.estimate[ok], yerr=[es.estimate[ok] - es.conf_low[ok], es.conf_high[ok] - es.estimate[ok]],
                fmt="o", capsize=3, label="estimate, 95% interval")
    if (~ok).any():
        ax.plot(e[~ok], es.estimate[~ok], "o", mfc="none", color="C0", label="estimate, interval unavailable")
    if {"conf_low_uniform", "conf_high_uniform"} <= set(es.columns):
        u = es.conf_low_uniform.notna() & es.conf_high_uniform.notna()
        labelled = False
        for side in (e < 0, e >= 0):  # the band drawn on each side of the reform, where it exists
            m = u & side
            if m.any():
                ax.fill_between(e[m], es.conf_low_uniform[m], es.conf_high_uniform[m], color="C0", alpha=0.15, lw=0,
                                label=None if labelled else "simultaneous 95% band")
                labelled = True
    if truth is not None:
        ax.plot(truth.index, truth.values, "k:", label="planted effect")
    ax.axhline(0, color="grey", lw=0.8), ax.axvline(-0.5, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("years since the reform (reference: the year before)")
    ax.set_ylabel("effect on hours per person per year"), ax.legend(fontsize=8)
    return fig


def investment_case(by_year: pd.DataFrame, break_even: int | None = None):
    """Investment and the estimated change in benefit payments by year (bars, + = more paid), and the net result
    for the public purse cumulated (payments saved minus investment: it crosses zero at break-even)."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(9.5, 3.6))
    x = np.arange(len(by_year))
    a.bar(x - 0.2, by_year.investment_mio, 0.4, color="#999999", label="investment")
    paid, lo, hi = -by_year.savings_mio, -by_year.savings_high_mio, -by_year.savings_low_mio
    err = np.vstack([(paid - lo).clip(lower=0).fillna(0), (hi - paid).clip(lower=0).fillna(0)])
    a.bar(x + 0.2, paid, 0.4, yerr=err, capsize=2, color="#2a5d9f",
          label="change in benefit payments (+ = more paid; 95% interval)")
    if "planted_savings_mio" in by_year and by_year.planted_savings_mio.notna().any():
        a.scatter(x + 0.2, -by_year.planted_savings_mio, marker="_", s=250, color="k", zorder=3,
                  label="planted truth")
    a.set_xticks(x, by_year.year.astype(int)), a.axhline(0, color="grey", lw=0.8)
    a.set_ylabel("mio. kr. a year"), a.set_xlabel("year"), a.legend(fontsize=7)
    b.plot(by_year.year, by_year.net_mio, "s-", color="#2a5d9f",
           label="net for the public purse, cumulative\n(payments saved minus investment)")
    if break_even is not None:
        b.axvline(break_even, color="#2a5d9f", ls="--", lw=0.8, label=f"break-even {break_even}")
    b.axhline(0, color="grey", lw=0.8), b.set_ylabel("mio. kr., cumulative"), b.set_xlabel("year"), b.legend(fontsize=7)
    return fig


def outcome_paths(group: pd.DataFrame, outcome: str, design: str, treated_label: str,
                  untreated: pd.DataFrame | None = None, reform_year: int | None = None):
    """Mean outcome of the treated municipality and of all comparison municipalities pooled."""
    d = group[group.design == design]
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for g, style, label in [("treated", "o-", treated_label), ("comparison", "s--", "all other municipalities")]:
        s = d[d.group == g].sort_values("year")
        ax.plot(s.year, s[outcome], style, label=label)
    if untreated is not None and len(untreated):
        ax.plot(untreated.year, untreated.mean_untreated, ":", color="k", label=f"{treated_label} without the reform (planted)")
    if reform_year is not None:
        ax.axvline(reform_year - 0.5, color="grey", lw=0.8)
    ax.set_xlabel("year"), ax.set_ylabel(f"mean {outcome} per person"), ax.legend(fontsize=8)
    return fig


def caseloads(mp: pd.DataFrame, kom: int, reform_year: int, name: str, column: str = "sager_pr_sagsbehandler"):
    """The mechanism: cases per caseworker in the treated municipality against the comparison municipalities'
    median and interquartile range, by year (municipality-level register values, one row per municipality and
    year)."""
    d = mp.drop_duplicates(["kom", "year"])
    others = d[d.kom != kom].groupby("year")[column]
    q = pd.DataFrame({"q25": others.quantile(0.25), "median": others.median(), "q75": others.quantile(0.75)})
    t = d[d.kom == kom].set_index("year")[column].sort_index()
    fig, ax = plt.subplots(figsize=(7, 3.4))
    ax.fill_between(q.index, q.q25, q.q75, color="#cccccc", label="other municipalities: middle half")
    ax.plot(q.index, q["median"], "s--", color="#777777", label="other municipalities: median")
    ax.plot(t.index, t.to_numpy(), "o-", color="#2a5d9f", label=name)
    ax.axvline(reform_year - 0.5, color="grey", lw=0.8)
    ax.set_xlabel("year"), ax.set_ylabel("cases per caseworker")
    ax.set_ylim(bottom=0), ax.legend(fontsize=8)
    return fig
