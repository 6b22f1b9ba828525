"""Conformal inference for synthetic control (Chernozhukov, Wüthrich & Zhu 2021, JASA 116(536),
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


def _residuals(y1: np.ndarray, Y0: np.ndarray) -> np.ndarray:
    """Residuals of the simplex-constrained least-squares fit of y1 (periods) on the donors Y0 (periods x J)."""
    w = simplex_weights(Y0, y1)
    return y1 - Y0 @ w


def period_p_value(y1_pre, Y0_pre, y1_t, Y0_t, g: float) -> float:
    """p-value of theta_t = g from the pre-reform periods and one post-reform period t."""
    y = np.append(y1_pre, y1_t - g)
    u = _residuals(y, np.vstack([Y0_pre, Y0_t[None, :]]))
    return float(np.mean(np.abs(u) >= np.abs(u[-1]) - 1e-12))


def constant_p_value(y1, Y0, n_pre: int, c: float) -> float:
    """p-value of a constant effect c in every post-reform period (moving-block permutations, q = 1)."""
    y = y1.astype(float).copy()
    y[n_pre:] -= c
    u = np.abs(_residuals(y, Y0))
    T, T1 = len(u), len(u) - n_pre
    idx = np.arange(T)
    s0 = u[n_pre:].mean()
    stats = np.array([u[(idx[n_pre:] + k) % T].mean() for k in range(T)])
    return float(np.mean(stats >= s0 - 1e-12))


def _invert(p_of, center: float, scale: float, alpha: float, sign: float) -> float:
    """The end of {g: p(g) > alpha} on one side of ``center`` (the placebo test's inversion, reused)."""
    from evaluation.inference import _invert as invert_test

    return invert_test(lambda g: (p_of(g),), center, sign, alpha, max(scale, 1e-8))


def conformal(Y: np.ndarray, n_pre: int, periods: list, alpha: float = 0.05) -> dict:
    """Per-period intervals and the average effect's test and interval.

    Y: periods x units, the treated unit in column 0.  Returns 'periods' (a DataFrame: period, effect, conf_low,
    conf_high, p_value of no effect in that period) and 'average' (estimate, conf_low, conf_high, p_value)."""
    y1, Y0 = Y[:, 0].astype(float), Y[:, 1:].astype(float)
    pre_y1, pre_Y0 = y1[:n_pre], Y0[:n_pre]
    w_pre = simplex_weights(pre_Y0, pre_y1)
    gap = y1 - Y0 @ w_pre
    scale = float(np.std(gap[:n_pre])) or float(np.std(y1)) or 1.0
    rows = []
    attainable = 1.0 / (n_pre + 1) <= alpha
    for t in range(n_pre, len(y1)):
        p_of = lambda g, t=t: period_p_value(pre_y1, pre_Y0, y1[t], Y0[t], g)  # noqa: E731
        lo = hi = np.nan
        if attainable:
            lo, hi = (_invert(p_of, gap[t], scale, alpha, s) for s in (-1.0, 1.0))
        rows.append(dict(period=periods[t], effect=float(gap[t]), conf_low=lo, conf_high=hi, p_value=p_of(0.0)))
    att = float(np.mean(gap[n_pre:]))
    p_avg = lambda c: constant_p_value(y1, Y0, n_pre, c)  # noqa: E731
    lo = hi = np.nan
    if 1.0 / len(y1) <= alpha:
        lo, hi = (_invert(p_avg, att, scale, alpha, s) for s in (-1.0, 1.0))
    return {"periods": pd.DataFrame(rows), "average": dict(estimate=att, conf_low=lo, conf_high=hi,
                                                           p_value=p_avg(0.0))}
