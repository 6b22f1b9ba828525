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


def event_study(es: pd.DataFrame, alpha: float = 0.05, lang: str = "en") -> list[str]:
    """The event study's pre-trend tests and sensitivity in words (``results/details/event_study.csv``), in
    ``lang`` (the report's language; the notebooks use English)."""
    from evaluation.report.language import number, say

    def n(x, d=0, sign=False):
        return number(x, d, lang, sign)

    out = []
    p = float(es.pretrend_p_value.iloc[0]) if "pretrend_p_value" in es else np.nan
    pl = float(es.pretrend_linear_p_value.iloc[0]) if "pretrend_linear_p_value" in es else np.nan
    slope = float(es.pretrend_linear_slope.iloc[0]) if "pretrend_linear_slope" in es else np.nan
    if np.isfinite(p):
        out.append(say("Joint pre-trend test p = {p}: the leads are ", lang, p=n(p, 3))
                   + (say("jointly distinguishable from zero at 5 %, so parallel trends before the reform are in "
                          "doubt", lang)
                      if p <= alpha else say("not jointly distinguishable from zero at 5 % (which is not proof of "
                                             "parallel trends: the test has little power with one treated "
                                             "municipality)", lang)) + ".")
    if np.isfinite(pl):
        out.append(say("Linear pre-trend test: the leads drift by {slope} hours a year (p = {p}); a drift towards the "
                       "reform is what a cycle the covariate misses would leave", lang, slope=n(slope, 1, True),
                       p=n(pl, 3))
                   + (say(", and it is significant here.", lang) if pl <= alpha
                      else say(", and it is not significant here.", lang)))
    if "rm_breakdown" in es:
        b, m = float(es.rm_breakdown.iloc[0]), float(es.rm_max_pre_change.iloc[0])
        if np.isfinite(b):
            out.append(say("Sensitivity (Rambachan and Roth): the average effect is not significant even under "
                           "parallel trends.", lang) if b == 0 else
                       say("Sensitivity (Rambachan and Roth): the average effect stays significant while each "
                           "year's deviation from parallel trends grows by at most {b} times the largest "
                           "pre-reform step ({m} hours)", lang, b=n(b, 2), m=n(m))
                       + (say("; below 1, so a violation as large as those seen before the reform would overturn "
                              "it.", lang) if b < 1 else "."))
    if {"conf_low_uniform", "conf_high_uniform"} <= set(es.columns):
        post = es[es.term.str.replace("e=", "").astype(int) >= 0]
        u = post.conf_low_uniform.notna() & post.conf_high_uniform.notna()
        if u.any():
            above = int((post.conf_low_uniform[u] > 0).sum())
            out.append(say("Simultaneous band: {above} of {n} post-reform years lie above zero with every year's "
                           "uncertainty counted at once.", lang, above=above, n=int(u.sum())))
        else:
            out.append(say("Simultaneous band: unavailable with this few comparison municipalities.", lang))
    return out


def synthetic_control(summary: dict, weights: pd.DataFrame, leave_one_out: pd.DataFrame | None = None) -> list[str]:
    """Synthetic control on the yearly stock in words (``results/details``: ``sc_summary.json``,
    ``sc_weights.csv``, ``sc_leave_one_out.csv``): the estimate and its placebo rank, the donors, whether the
    pre-reform fit is exact (and what that means), the in-time placebo and how far one donor moves the estimate."""
    att = float(summary["att"])
    out = []
    n_pl = summary.get("n_placebos")
    rank = summary.get("rank")
    p = summary.get("p_value")
    txt = f"Synthetic control estimates {att:.0f} hours a year"
    if p is not None and n_pl is not None and rank is not None:
        txt += f" (placebo p = {float(p):.3f}: rank {int(rank)} among the treated and {int(n_pl)} placebo municipalities)"
    out.append(txt + ".")
    w = weights[weights.weight > 1e-3].sort_values("weight", ascending=False)
    if len(w):
        top = w.iloc[0]
        out.append(f"{len(w)} donor municipalities carry the synthetic control; the largest, {int(top.kom)}, has "
                   f"weight {top.weight:.2f}" + (f" and the two largest together {w.weight.iloc[:2].sum():.2f}"
                                                  if len(w) > 1 else "") + ".")
    if summary.get("degenerate_fit"):
        out.append(f"The pre-reform fit is exact (RMSPE {float(summary['pre_rmspe']):.0e}): with this many donors "
                   "synthetic control can reproduce every pre-reform year, so the close fit is no evidence that the "
                   "donors track the municipality, and the post/pre RMSPE ratio test is not reported.")
    else:
        out.append(f"Pre-reform fit: RMSPE {float(summary['pre_rmspe']):.1f} hours.")
    itp = summary.get("in_time_placebo")
    if itp:
        out.append(f"In-time placebo: with a fake reform in {int(itp['fake_treatment_time'])} (pre-reform years "
                   f"only) the estimate is {float(itp['att']):.1f} hours, against {att:.1f} for the real reform"
                   + (": the method finds no effect where there was none." if abs(float(itp["att"])) < abs(att) / 2
                      else ": as large as the estimate itself, so the estimate may be the method's own drift."))
    if leave_one_out is not None and len(leave_one_out):
        lo = leave_one_out.sort_values("att")
        far = leave_one_out.iloc[int(np.argmax(np.abs(leave_one_out.att.to_numpy() - att)))]
        out.append(f"Leave one donor out: the estimate ranges from {lo.att.iloc[0]:.0f} to {lo.att.iloc[-1]:.0f} "
                   f"hours; without {int(far.dropped)} (weight {far.weight:.2f}) it moves most, by "
                   f"{far.att - att:+.0f}" + (", more than the estimate itself: it leans on single donors."
                                              if abs(far.att - att) > abs(att) else "."))
    return out


def robustness(spec: pd.DataFrame, headline: dict, outcome: str = "hours") -> list[str]:
    """Per design: the preferred specification and the robustness range of ``results/headline.json``, and which
    cycle-adjusted specification the range rests on most (the range without each one in turn)."""
    s = spec[(spec.outcome == outcome) & spec.cycle_adjusted.astype(bool)]
    out = []
    for design, e in sorted(headline.get("designs", {}).items()):
        pr = e.get("preferred") or {}
        rb = e.get("robustness") or {}
        txt = f"{design}: " + (f"preferred {pr['specification']}, {pr['estimate']:.0f} hours" if pr else
                               "no preferred specification")
        names = rb.get("specifications") or []
        if len(names) == 1 and rb.get("low") is not None:  # one estimate is not a range
            txt += (f"; the one{' other' if pr else ''} cycle-adjusted specification with a finite interval, "
                    f"{names[0]}, gives {rb['low']:.0f} ({'' if rb.get('n_significant') else 'not '}significant at 5 %)")
        elif names and rb.get("low") is not None:
            txt += (f"; the {len(names)}{' other' if pr else ''} cycle-adjusted specifications with a finite "
                    "interval range from "
                    f"{rb['low']:.0f} to {rb['high']:.0f} ({rb.get('n_significant', 0)} significant at 5 %)")
            g = s[s.specification.isin(names)].set_index("specification").estimate
            if len(g) > 2:
                widths = {n: float(g.drop(n).max() - g.drop(n).min()) for n in g.index}
                n = min(widths, key=widths.get)
                txt += (f"; without {n} ({g[n]:.0f}) the range would be {widths[n]:.0f} hours wide instead of "
                        f"{float(g.max() - g.min()):.0f}")
        out.append(txt + ".")
    return out


def data_overview(cal: pd.DataFrame, flow: pd.DataFrame, treated: int, reform_year: int) -> list[str]:
    """The calibration table (``results/tables/calibration.csv``) and the sample flow in words: how hard the
    treated municipality's unemployment swung against the national rate, its stock's size and hours before and
    after the reform, førtidspension grants, and the rows the panel removed.  Suppressed cells are said to be
    suppressed."""
    out = []
    c = cal.sort_values("year").set_index("year")
    u = c[["treated_unemployment", "national_unemployment"]].dropna()
    if len(u) >= 2:
        hi = int(u.treated_unemployment.idxmax())
        last = int(u.index.max())
        dt = float(u.treated_unemployment[hi] - u.treated_unemployment[last])
        dn = float(u.national_unemployment[hi] - u.national_unemployment[last])
        ratio = f"{dt / dn:.1f} times the national change" if abs(dn) > 1e-9 else "while the national rate stood still"
        out.append(f"Gross unemployment in {treated} went from {u.treated_unemployment[hi]:.1f} % in {hi} to "
                   f"{u.treated_unemployment[last]:.1f} % in {last}, the national rate from "
                   f"{u.national_unemployment[hi]:.1f} % to {u.national_unemployment[last]:.1f} %: "
                   f"{ratio}. A municipality that swings harder with the cycle gains more hours in a boom with no "
                   "reform at all; that is what the cycle-adjusted specifications must take out.")
    else:
        out.append("The unemployment rates are not in the calibration table; the cycle cannot be described.")
    pre, post = c.index < reform_year, c.index >= reform_year

    def mean(col, sel):  # a mean over every year of the period, or none when a year is missing or suppressed
        v = c.loc[sel, col] if col in c else pd.Series(dtype=float)
        return float(v.mean()) if len(v) and v.notna().all() else np.nan

    n = c["treated_stock"] if "treated_stock" in c else pd.Series(dtype=float)
    if n.notna().any():
        first, last = int(n.dropna().index.min()), int(n.dropna().index.max())
        def count(y):
            v = n.get(y, np.nan)
            return f"{v:,.0f}" if np.isfinite(v) else "a suppressed number"

        out.append(f"The treated municipality's yearly stock (persons in the target group) had {count(first)} "
                   f"persons in {first}, {count(reform_year - 1)} in {reform_year - 1} and "
                   f"{count(last)} in {last}; a stock that shrinks changes who is in it, so its mean hours can "
                   "rise with no one working more (the methods page's composition bound).")
    h_t0, h_t1 = mean("treated_baseline_hours", pre), mean("treated_baseline_hours", post)
    h_a0, h_a1 = mean("all_baseline_hours", pre), mean("all_baseline_hours", post)
    if np.isfinite(h_t0) and np.isfinite(h_t1):
        txt = (f"Its mean yearly hours were {h_t0:.0f} before {reform_year} and {h_t1:.0f} from {reform_year} on "
               f"({h_t1 - h_t0:+.0f})")
        if np.isfinite(h_a0) and np.isfinite(h_a1):
            txt += (f"; in all municipalities {h_a0:.0f} and {h_a1:.0f} ({h_a1 - h_a0:+.0f}). The raw change holds "
                    "the reform, the cycle and who left the stock; only the estimators separate them")
        out.append(txt + ".")
    else:
        out.append("The treated municipality's mean hours are suppressed in some years (too few persons, or one or "
                   "two persons dominate the sum); no before/after comparison is stated.")
    f0, f1 = mean("treated_fp_grants_from_target", pre), mean("treated_fp_grants_from_target", post)
    if np.isfinite(f0) and np.isfinite(f1):
        out.append(f"Grants of førtidspension from the target group in {treated}: {f0:.0f} a year before the reform, "
                   f"{f1:.0f} a year after.")
    if "rows_dropped" in flow:
        gone = flow[flow.rows_dropped.fillna(0) > 0]
        if len(gone):
            out.append("Rows the panel removed or did not use, each in its register's own rows (counts rounded for "
                       "disclosure): " + "; ".join(f"{int(r.rows_dropped):,}: {r.description}"
                                                   for r in gone.itertuples()) + ".")
        else:
            out.append("The panel removed no rows.")
    return out


def composition_bounds(spec: pd.DataFrame, outcome: str = "hours") -> list[str]:
    """The composition bounds of the specifications table in words: each specification with a ``bound_of`` (the
    specification it bounds: the same but for the kept leavers, ``specifications.bound_twins``) beside that
    specification, the difference between them and, with a planted truth, both truths."""
    import re

    if "bound_of" not in spec:
        return ["The specifications table has no bound_of column (an older run): no composition bound is read."]
    s = spec[spec.outcome == outcome]
    rows = {r.specification: r for r in s.itertuples()}
    out = []
    for r in s.itertuples():
        twin_name = "" if pd.isna(r.bound_of) else str(r.bound_of)
        if not twin_name:
            continue
        m = re.search(r", leavers to (.+?) kept", str(getattr(r, "what_it_is", "")))
        cats = m.group(1) if m else "other benefits"
        twin = rows.get(twin_name)
        if twin is None:
            out.append(f"{r.specification} bounds {twin_name}, which is not in the table: no comparison.")
            continue
        b, st = r._asdict(), twin._asdict()
        txt = (f"Keeping those who left the stock for {cats} ({r.specification}): {b['estimate']:.0f} hours "
               f"({_interval(b)}), against {st['estimate']:.0f} ({_interval(st)}) for the stock itself "
               f"({twin.specification}). The difference, {st['estimate'] - b['estimate']:+.0f} hours, is the part "
               "of the stock's estimate that comes from who left it, not from more work")
        if np.isfinite(b.get("truth", np.nan)) and np.isfinite(st.get("truth", np.nan)):
            txt += f"; planted: {b['truth']:.0f} and {st['truth']:.0f}"
        out.append(txt + ".")
    return out or ["No specification keeps the stock's leavers (keep_leavers_to): no composition bound."]
