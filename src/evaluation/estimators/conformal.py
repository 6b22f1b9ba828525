"""Conformal inference for synthetic control and synthetic DiD (Chernozhukov, Wüthrich & Zhu 2021, JASA 116(536),
"An exact and robust conformal inference method for counterfactual and synthetic controls").

Under a sharp null on the post-reform effects, the treated unit's untreated outcomes are known in every period,
so the counterfactual model is fitted on all periods (the post-reform outcomes minus the hypothesised effects)
and its residuals are exchangeable over time when the model is right.  The p-value ranks the post-reform
residuals' statistic ``S(u) = mean |u_t|`` (q = 1) among the same statistic over the moving-block
(cyclic) permutations of the periods; an interval collects the hypotheses not rejected.

* per period t: the data are the pre-reform periods and t alone, the null theta_t = g, the p-value the share of
  the T0 + 1 residuals at least as large in absolute value as period t's; the interval inverts it in g;
* the average effect: the null of a constant effect c in every post-reform period (q = 1 over the T1 periods,
  T cyclic shifts); the interval inverts it in c; its p-value at c = 0 is the sharp null of no effect.

The counterfactual model is CWZ's synthetic control: the simplex-constrained least-squares fit of the treated
unit's outcomes on the donors' over the periods used (no intercept; ``demean=True`` first subtracts every
unit's pre-reform mean, CWZ's "difference-in-differences with synthetic-control weights" variant is then
close).  With T0 + 1 periods the smallest attainable per-period p-value is 1 / (T0 + 1): with five pre-reform
years no 95 % per-period interval exists (1/6 > 0.05), and it is shown as unavailable.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.estimators.synthetic_control import simplex_weights


def _residuals(y1: np.ndarray, Y0: np.ndarray, zeta: float | None = None) -> np.ndarray:
    """Residuals of the counterfactual model fitted on the periods given (y1: periods; Y0: periods x J).

    zeta None: CWZ's synthetic control, the simplex-constrained least-squares fit without intercept.
    zeta >= 0: synthetic DiD's unit-weight model (Arkhangelsky et al. 2021) with every period a fitting period
    (under a sharp null there are no treated cells left, so its time weights play no part): the simplex fit
    with an intercept (both sides demeaned over the periods) and the ridge penalty T zeta^2 ||w||^2."""
    if zeta is None:
        w = simplex_weights(Y0, y1)
        return y1 - Y0 @ w
    from evaluation.estimators.synthetic_did import _ridge_simplex

    A, b = Y0 - Y0.mean(axis=0), y1 - y1.mean()
    w = _ridge_simplex(A, b, len(y1) * zeta**2)
    return b - A @ w


def period_p_value(y1_pre, Y0_pre, y1_t, Y0_t, g: float, zeta: float | None = None) -> float:
    """p-value of theta_t = g from the pre-reform periods and one post-reform period t."""
    y = np.append(y1_pre, y1_t - g)
    u = _residuals(y, np.vstack([Y0_pre, Y0_t[None, :]]), zeta)
    return float(np.mean(np.abs(u) >= np.abs(u[-1]) - 1e-12))


def constant_p_value(y1, Y0, n_pre: int, c: float, zeta: float | None = None) -> float:
    """p-value of a constant effect c in every post-reform period (moving-block permutations, q = 1)."""
    y = y1.astype(float).copy()
    y[n_pre:] -= c
    u = np.abs(_residuals(y, Y0, zeta))
    T, T1 = len(u), len(u) - n_pre
    idx = np.arange(T)
    s0 = u[n_pre:].mean()
    stats = np.array([u[(idx[n_pre:] + k) % T].mean() for k in range(T)])
    return float(np.mean(stats >= s0 - 1e-12))


def _invert(p_of, center: float, scale: float, alpha: float, sign: float) -> float:
    """The end of {g: p(g) > alpha} on one side of ``center`` (the placebo test's inversion, reused)."""
    from evaluation.inference import _invert as invert_test

    return invert_test(lambda g: (p_of(g),), center, sign, alpha, max(scale, 1e-8))


def conformal(Y: np.ndarray, n_pre: int, periods: list, alpha: float = 0.05, zeta: float | None = None) -> dict:
    """Per-period intervals and the average effect's test and interval.

    Y: periods x units, the treated unit in column 0.  zeta: the counterfactual model (:func:`_residuals`):
    None for synthetic control, synthetic DiD's regularisation level for its unit-weight model.  Returns
    'periods' (a DataFrame: period, effect, conf_low, conf_high, p_value of no effect in that period) and
    'average' (estimate, conf_low, conf_high, p_value)."""
    y1, Y0 = Y[:, 0].astype(float), Y[:, 1:].astype(float)
    pre_y1, pre_Y0 = y1[:n_pre], Y0[:n_pre]
    if zeta is None:
        w_pre = simplex_weights(pre_Y0, pre_y1)
        gap = y1 - Y0 @ w_pre
    else:  # the model's own gaps: outcome minus the weighted donors, levelled on the pre-reform periods
        from evaluation.estimators.synthetic_did import _ridge_simplex

        A, b = pre_Y0 - pre_Y0.mean(axis=0), pre_y1 - pre_y1.mean()
        w_pre = _ridge_simplex(A, b, n_pre * zeta**2)
        gap = y1 - Y0 @ w_pre
        gap = gap - gap[:n_pre].mean()
    scale = float(np.std(gap[:n_pre])) or float(np.std(y1)) or 1.0
    rows = []
    attainable = 1.0 / (n_pre + 1) <= alpha
    for t in range(n_pre, len(y1)):
        p_of = lambda g, t=t: period_p_value(pre_y1, pre_Y0, y1[t], Y0[t], g, zeta)  # noqa: E731
        lo = hi = np.nan
        if attainable:
            lo, hi = (_invert(p_of, gap[t], scale, alpha, s) for s in (-1.0, 1.0))
        rows.append(dict(period=periods[t], effect=float(gap[t]), conf_low=lo, conf_high=hi, p_value=p_of(0.0)))
    att = float(np.mean(gap[n_pre:]))
    p_avg = lambda c: constant_p_value(y1, Y0, n_pre, c, zeta)  # noqa: E731
    lo = hi = np.nan
    hull = False
    if 1.0 / len(y1) <= alpha:
        lo, hi = (_invert(p_avg, att, scale, alpha, s) for s in (-1.0, 1.0))
        lo, hi, hull = _hull(p_avg, att, lo, hi, scale, alpha)
    return {"periods": pd.DataFrame(rows), "average": dict(estimate=att, conf_low=lo, conf_high=hi,
                                                           p_value=p_avg(0.0), hull=hull)}


def _hull(p_of, center: float, lo: float, hi: float, scale: float, alpha: float, n: int = 200):
    """The set {c: p(c) > alpha} need not be an interval: a model with an intercept fitted on every period
    absorbs part of a constant effect, so effects far from the estimate (zero among them) can be accepted again
    beyond the first rejected ones.  Scan a grid four times as wide as the interval found (and zero) and, where
    effects beyond its ends are accepted, widen it to the set's hull (its ends refined by bisection).  Returns
    (low, high, widened)."""
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return lo, hi, False
    r = 4.0 * max(hi - lo, abs(center), scale)
    grid = np.union1d(np.linspace(center - r, center + r, n + 1), [0.0])
    acc = np.array([p_of(g) > alpha for g in grid])
    widened = False
    for side, end in ((-1.0, lo), (1.0, hi)):
        beyond = grid[(grid < end) if side < 0 else (grid > end)]
        ok = beyond[acc[(grid < end) if side < 0 else (grid > end)]]
        if len(ok):
            far = ok.min() if side < 0 else ok.max()
            step = 2 * r / n
            inside, out = far, far + side * step  # accepted at far, refine towards the next grid point
            for _ in range(40):
                mid = (inside + out) / 2.0
                if p_of(mid) > alpha:
                    inside = mid
                else:
                    out = mid
            if side < 0:
                lo = float(inside)
            else:
                hi = float(inside)
            widened = True
    return lo, hi, widened
