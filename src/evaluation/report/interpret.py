"""Sentences that read the pipeline's tables for a reviewer (the notebooks print them under the numbers).

Each function takes published tables (aggregates only) and returns plain sentences; a number that is not there
is said to be missing, never guessed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _interval(r) -> str:
    lo, hi = r.get("conf_low", np.nan), r.get("conf_high", np.nan)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return "no 95 % interval"
    return f"95 % interval {lo:.0f} to {hi:.0f}" + ("; covers zero" if lo <= 0 <= hi else "")


def cycle_adjustment(spec: pd.DataFrame, outcome: str = "hours", covariate_only: dict | None = None,
                     factor: dict | None = None) -> list[str]:
    """Per design: the factor model's estimate against the DiD with the local unemployment rate only, and what
    the difference means; with a planted truth (synthetic registers), how far each lies from it.

    covariate_only / factor: {design: specification name}; defaults: ``did_stock_unemployment`` /
    ``did_all_unemployment`` and ``interactive_fe_stock`` / ``interactive_fe_cohort``."""
    covariate_only = covariate_only or {"stock": "did_stock_unemployment", "cohort": "did_all_unemployment"}
    factor = factor or {"stock": "interactive_fe_stock", "cohort": "interactive_fe_cohort"}
    s = spec[spec.outcome == outcome].set_index("specification")
    out = []
    for design in ("stock", "cohort"):
        a, b = covariate_only.get(design), factor.get(design)
        if a not in s.index or b not in s.index:
            out.append(f"{design}: {a if a not in s.index else b} is not in the specifications table; no comparison.")
            continue
        ra, rb = s.loc[a], s.loc[b]
        diff = float(rb.estimate - ra.estimate)
        txt = (f"{design}: the interactive fixed-effects model ({b}) estimates {rb.estimate:.0f} hours "
               f"({_interval(rb)}), the DiD with the local unemployment rate only ({a}) {ra.estimate:.0f} "
               f"({_interval(ra)}). The difference, {diff:+.0f} hours, is what the factor model attributes to the "
               "municipality's own response to the factors common to all municipalities (the business cycle among "
               "them) beyond what the unemployment rate carries")
        truth = rb.get("truth", np.nan)
        if np.isfinite(truth):
            txt += (f"; against the planted effect of {truth:.0f} hours the factor model is off by "
                    f"{rb.estimate - truth:+.0f} and the covariate-only DiD by {ra.estimate - truth:+.0f}")
        out.append(txt + ".")
    return out


def event_study(es: pd.DataFrame, alpha: float = 0.05) -> list[str]:
    """The event study's pre-trend tests and sensitivity in words (``results/details/event_study.csv``)."""
    out = []
    p = float(es.pretrend_p_value.iloc[0]) if "pretrend_p_value" in es else np.nan
    pl = float(es.pretrend_linear_p_value.iloc[0]) if "pretrend_linear_p_value" in es else np.nan
    slope = float(es.pretrend_linear_slope.iloc[0]) if "pretrend_linear_slope" in es else np.nan
    if np.isfinite(p):
        out.append(f"Joint pre-trend test p = {p:.3f}: the leads are "
                   + ("jointly distinguishable from zero at 5 %, so parallel trends before the reform are in doubt"
                      if p <= alpha else "not jointly distinguishable from zero at 5 % (which is not proof of "
                      "parallel trends: the test has little power with one treated municipality)") + ".")
    if np.isfinite(pl):
        out.append(f"Linear pre-trend test: the leads drift by {slope:+.1f} hours a year (p = {pl:.3f}); a drift "
                   "towards the reform is what a cycle the covariate misses would leave"
                   + (", and it is significant here." if pl <= alpha else ", and it is not significant here."))
    if "rm_breakdown" in es:
        b, m = float(es.rm_breakdown.iloc[0]), float(es.rm_max_pre_change.iloc[0])
        if np.isfinite(b):
            out.append(("Sensitivity (Rambachan and Roth): the average effect is not significant even under parallel "
                        "trends." if b == 0 else
                        f"Sensitivity (Rambachan and Roth): the average effect stays significant while each year's "
                        f"deviation from parallel trends grows by at most {b:.2f} times the largest pre-reform step "
                        f"({m:.0f} hours)" + ("; below 1, so a violation as large as those seen before the reform "
                                              "would overturn it." if b < 1 else ".")))
    if {"conf_low_uniform", "conf_high_uniform"} <= set(es.columns):
        post = es[es.term.str.replace("e=", "").astype(int) >= 0]
        u = post.conf_low_uniform.notna() & post.conf_high_uniform.notna()
        if u.any():
            above = int((post.conf_low_uniform[u] > 0).sum())
            out.append(f"Simultaneous band: {above} of {int(u.sum())} post-reform years lie above zero with every "
                       "year's uncertainty counted at once.")
        else:
            out.append("Simultaneous band: unavailable with this few comparison municipalities.")
    return out
