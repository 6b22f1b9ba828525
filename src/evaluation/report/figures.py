"""Figures of the report, drawn from aggregate tables only."""

from __future__ import annotations

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


def specification_curve(spec: pd.DataFrame, outcome: str = "hours"):
    s = spec[spec.outcome == outcome].sort_values("estimate").reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    x = np.arange(len(s))
    col = np.where(s.cycle_adjusted, "#2a5d9f", "#999999")
    lo = (s.estimate - s.conf_low).clip(upper=1e4).fillna(0)
    hi = (s.conf_high - s.estimate).clip(upper=1e4).fillna(0)
    for i in x:
        ax.errorbar(i, s.estimate[i], yerr=[[lo[i]], [hi[i]]], fmt="o", color=col[i], capsize=2)
    if s.truth.notna().any():
        ax.scatter(x, s.truth, marker="_", s=200, color="k", label="planted truth", zorder=3)
        ax.legend(fontsize=8)
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xticks(x, s.specification, rotation=60, ha="right", fontsize=7)
    ax.set_ylabel(outcome)
    top = np.nanmax(np.abs(s.estimate)) * 3
    ax.set_ylim(-top, top)
    return fig


def synthetic_control_path(path: pd.DataFrame, reform_year: int):
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.4))
    a.plot(path.year, path.treated, "o-", label="treated")
    a.plot(path.year, path.synthetic, "s--", label="synthetic")
    a.axvline(reform_year - 0.5, color="grey", lw=0.8)
    a.legend(fontsize=8), a.set_ylabel("hours")
    b.plot(path.year, path.gap, "o-")
    b.axhline(0, color="grey", lw=0.8), b.axvline(reform_year - 0.5, color="grey", lw=0.8)
    b.set_ylabel("gap (treated - synthetic)")
    return fig


def placebo_gaps(gaps: pd.DataFrame, treated_gap: pd.Series, reform_year: int):
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for c in gaps.columns:
        ax.plot(gaps.index, gaps[c], color="#cccccc", lw=0.8)
    ax.plot(treated_gap.index, treated_gap.values, color="#2a5d9f", lw=2.2, label="treated")
    ax.axvline(reform_year - 0.5, color="grey", lw=0.8)
    ax.axhline(0, color="grey", lw=0.8)
    ax.legend(fontsize=8), ax.set_ylabel("gap")
    return fig


def rmspe_ratios(placebos: pd.DataFrame, treated_ratio: float):
    fig, ax = plt.subplots(figsize=(6.5, 3.2))
    ax.hist(placebos.ratio.clip(upper=np.quantile(placebos.ratio, 0.99)), bins=30, color="#cccccc")
    ax.axvline(treated_ratio, color="#2a5d9f", lw=2, label="treated")
    ax.set_xlabel("post/pre RMSPE ratio"), ax.legend(fontsize=8)
    return fig


def donor_weights(weights: pd.DataFrame, names: dict):
    w = weights[weights.weight > 0.001].sort_values("weight")
    fig, ax = plt.subplots(figsize=(6, 0.3 * len(w) + 1))
    ax.barh([names.get(int(k), str(k)) for k in w.kom], w.weight, color="#2a5d9f")
    ax.set_xlabel("donor weight")
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
    ax.set_ylabel("effect on hours per person per year")
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
    if truth is not None:
        ax.plot(truth.index, truth.values, "k:", label="planted effect")
    ax.axhline(0, color="grey", lw=0.8), ax.axvline(-0.5, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("years since the reform (reference: the year before)"), ax.legend(fontsize=8)
    return fig


def investment_case(by_year: pd.DataFrame, break_even: int | None = None):
    """Investment and estimated savings by year (bars) and their cumulative sums (lines)."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(9.5, 3.6))
    x = np.arange(len(by_year))
    a.bar(x - 0.2, by_year.investment_mio, 0.4, color="#999999", label="investment")
    err = np.vstack([(by_year.savings_mio - by_year.savings_low_mio).clip(lower=0).fillna(0),
                     (by_year.savings_high_mio - by_year.savings_mio).clip(lower=0).fillna(0)])
    a.bar(x + 0.2, by_year.savings_mio, 0.4, yerr=err, capsize=2, color="#2a5d9f",
          label="benefit payments saved (95% interval)")
    if "planted_savings_mio" in by_year and by_year.planted_savings_mio.notna().any():
        a.scatter(x + 0.2, by_year.planted_savings_mio, marker="_", s=250, color="k", zorder=3, label="planted truth")
    a.set_xticks(x, by_year.year.astype(int)), a.axhline(0, color="grey", lw=0.8)
    a.set_ylabel("mio. kr."), a.legend(fontsize=7)
    b.plot(by_year.year, by_year.cumulative_investment_mio, "o-", color="#999999", label="investment, cumulative")
    b.plot(by_year.year, by_year.cumulative_savings_mio, "s-", color="#2a5d9f", label="savings, cumulative")
    if break_even is not None:
        b.axvline(break_even, color="#2a5d9f", ls="--", lw=0.8, label=f"break-even {break_even}")
    b.axhline(0, color="grey", lw=0.8), b.set_ylabel("mio. kr."), b.legend(fontsize=7)
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
    ax.set_xlabel("year"), ax.set_ylabel(f"mean {outcome}"), ax.legend(fontsize=8)
    return fig
