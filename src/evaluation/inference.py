"""Inference with one (or few) treated clusters.

Placebo in space (randomization inference over clusters): each comparison cluster in
turn takes the treated role and the estimator is rerun.  When clusters differ in
size, their placebo estimates differ in variance, and an unadjusted permutation
test over-rejects or under-rejects (Ferman & Pinto 2019, "Inference in
Differences-in-Differences with Few Treated Groups and Heteroskedasticity", REStat
101(3)).  The correction models the variance of a cluster's estimate as
``A + B / n_g`` (a cluster-level part and a part that shrinks with the number of
persons ``n_g``), fits A, B >= 0 on the placebo estimates, and permutes the
normalised estimates ``delta_g / sqrt(A + B / n_g)``.

With person-level data the sampling part need not be modelled: each cluster's
sampling variance ``v_g`` is estimated from its own persons (the variance of the
person-level post-minus-pre contrast over n_g), and only the cluster-level part A
is taken from the placebos.  This is the same normalisation with a far less noisy
variance function: the least-squares fit of ``delta_g^2`` on ``1 / n_g`` is dominated
by the heavy tails of small clusters and, being truncated at zero, overstates A
(tests/estimators/test_inference.py).

A is the between-cluster variance of a random-effects model ``delta_g ~ N(0, A + v_g)``
and is estimated by maximum likelihood (the mean is known to be zero under the null,
so this is also the restricted likelihood), which weights each placebo by its
precision.  The unweighted moment estimator ``mean(delta_g^2 - v_g)`` lets clusters
whose sampling variance is a hundred times larger dominate, and comes out as zero
when a few of them happen to fall close to zero.  Placebos whose sampling variance
cannot be computed (a cluster with a single person) are dropped, and the result
says how many.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import nnls


# below this many comparison clusters the between-cluster variance is estimated with the treated cluster
# included (see placebo_inference's pooling)
POOLING_THRESHOLD = 60


@dataclass(frozen=True)
class PlaceboInference:
    estimate: float
    std_error: float
    conf_low: float
    conf_high: float
    p_value: float
    n_placebos: int
    method: str
    between_variance: float = float("nan")  # A, the cluster-level variance (normalised methods)
    dropped: int = 0  # placebos left out: estimate or sampling variance not finite


def between_variance(placebo: np.ndarray, v: np.ndarray) -> float:
    """Maximum-likelihood A >= 0 in delta_g ~ N(0, A + v_g) (v_g known): the root of the score
    sum_g [delta_g^2 / (A + v_g)^2 - 1 / (A + v_g)], or 0 when the score is negative there."""
    from scipy.optimize import brentq

    d2 = np.asarray(placebo, float) ** 2
    v = np.asarray(v, float)

    def score(a):
        s = a + v
        return float(np.sum(d2 / s**2 - 1.0 / s))

    hi = max(float(np.max(d2)), 1e-12)
    # a placebo without sampling variance: A must explain it, so A is bounded away from 0
    lo = 1e-12 * hi if np.any(v <= 0) else 0.0
    if score(lo) <= 0:
        return float(lo)
    if score(hi) >= 0:  # the likelihood still rises at the largest squared estimate (cannot happen for
        return hi       # more than one cluster, kept as a guard)
    return float(brentq(score, lo, hi, xtol=1e-12 * hi, rtol=1e-10))


def between_variance_scaled(placebo: np.ndarray, v: np.ndarray, max_scale: float = 20.0) -> tuple[float, float]:
    """Maximum-likelihood (A, B) in delta_g ~ N(0, A + B v_g): the sampling part scaled by B as well.

    Some estimators' error grows faster than their own sampling variance v_g in noisy clusters: synthetic DiD
    fits its unit and time weights to the noise of the unit it treats, so a small placebo's estimate varies
    about twice as much as v_g says (tests/estimators/test_calibration.py).  With B fixed at 1 that excess is
    absorbed into A, which then overstates the precise treated cluster's variance: the test is conservative
    (1.4 % at 5 % with 97 comparisons).  B is profiled over [0.05, max_scale] with A at its maximum for each B.
    Synthetic control's B is larger (median 16 at 97 comparisons, above 20 in two panels of five), so it passes
    a wider bound (benchmarks/README.md, "Calibration of every placebo test")."""
    from scipy.optimize import minimize_scalar

    d2 = np.asarray(placebo, float) ** 2
    v = np.asarray(v, float)

    def nll(logb: float) -> float:
        b = float(np.exp(logb))
        a = between_variance(placebo, b * v)
        s = a + b * v
        return float(np.sum(np.log(s) + d2 / s))

    r = minimize_scalar(nll, bounds=(np.log(0.05), np.log(max_scale)), method="bounded", options={"xatol": 1e-4})
    b = float(np.exp(r.x))
    return between_variance(placebo, b * v), b


def moderated_variance(var: pd.Series, size: pd.Series, prior_df: float = 10.0, pool=None) -> pd.Series:
    """Sampling variance of each cluster's mean contrast, var_g / n_g, with the within-cluster variance
    var_g shrunk towards the pooled within-cluster variance as if it had ``prior_df`` more degrees of
    freedom (the moderated variances of Smyth 2004, with a fixed prior): ((n_g - 1) var_g + d0 s2) /
    (n_g - 1 + d0).  A cluster of a few persons has a within variance that is itself very noisy; the
    placebos whose variance comes out too small then dominate the between-cluster variance, which is
    overestimated, and tests of a large treated cluster become conservative (tests/estimators/
    test_pretrend.py).  A one-person cluster gets the pooled variance.  ``pool``: the clusters whose
    variances make the pooled one (default all; pass the comparison clusters so that a large treated
    cluster, whose variance the reform may change, does not set the prior of the placebos)."""
    var = pd.Series(var, dtype=float)
    size = pd.Series(size, dtype=float).reindex(var.index)
    df = (size - 1).clip(lower=0)
    ok = np.isfinite(var) & (df > 0)
    pooled = ok & var.index.isin(list(pool)) if pool is not None else ok
    if not pooled.any():
        return (var / size).fillna(np.inf)
    s2 = float(np.sum(df[pooled] * var[pooled]) / np.sum(df[pooled]))
    shrunk = (df * var.where(ok, 0.0) + prior_df * s2) / (df + prior_df)
    return shrunk / size


def variance_model(placebo: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    """Fit E[delta_g^2] = A + B / n_g with A, B >= 0 (non-negative least squares)."""
    X = np.column_stack([np.ones_like(n, dtype=float), 1.0 / np.asarray(n, dtype=float)])
    coef, _ = nnls(X, np.asarray(placebo, dtype=float) ** 2)
    return float(coef[0]), float(coef[1])


def placebo_inference(
    estimate: float,
    placebo: np.ndarray,
    n_treated: float | None = None,
    n_placebo: np.ndarray | None = None,
    alpha: float = 0.05,
    correction: str = "ferman-pinto",
    v_treated: float | None = None,
    v_placebo: np.ndarray | None = None,
    pooling: str = "auto",
    scale_sampling: bool = False,
    pooling_threshold: int = POOLING_THRESHOLD,
    max_scale: float = 20.0,
) -> PlaceboInference:
    """p-value and interval for ``estimate`` from the placebo estimates of the comparison clusters.

    correction 'ferman-pinto' needs cluster sizes; 'none' permutes raw estimates.
    pooling (with v_treated and v_placebo): how the between-cluster variance A is estimated. 'placebos':
    from the placebos alone; 'pooled': from all clusters, the treated one included under each hypothesised
    effect (exact size, wider intervals); 'auto' (default): pooled below POOLING_THRESHOLD comparison
    clusters, placebos from there on.  Chosen by simulation: with placebo-only A the test rejected a true
    null 9.4 % of the time at 20 comparisons, 6.7 % at 40 and 4.4 % at 97 (unequal sizes, tests/estimators/
    test_inference.py); pooled A keeps 3-7 % at every size but, in the pipeline's Monte Carlo of the cycle
    threat (about 90 comparisons), made the cohort intervals a third wider and over-covered (98-100 %),
    where placebo-only A covered 94-98 % (benchmarks/README.md).
    scale_sampling (placebo-only A): the variance model A + B v_g with B estimated too
    (:func:`between_variance_scaled`, B at most ``max_scale``), for estimators whose error grows faster than v_g
    in noisy clusters.  pooling_threshold: the number of comparison clusters from which 'auto' takes A from the
    placebos (an estimator calibrated otherwise passes its own; synthetic control's is 30)."""
    placebo = np.asarray(placebo, dtype=float)
    ok = np.isfinite(placebo)
    if correction == "ferman-pinto" and v_treated is not None and v_placebo is not None:
        ok &= np.isfinite(np.asarray(v_placebo, dtype=float))
    dropped = int((~ok).sum())
    placebo = placebo[ok]
    G = len(placebo)
    A = float("nan")
    if G < 1:
        raise ValueError("placebo inference: no placebo estimates (no comparison clusters left)")
    if correction == "ferman-pinto" and v_treated is not None and v_placebo is not None:
        if not np.isfinite(v_treated):
            raise ValueError("placebo inference: the treated cluster's sampling variance is not finite "
                             "(fewer than two persons?)")
        v_placebo = np.asarray(v_placebo, dtype=float)[ok]
        if pooling not in ("auto", "placebos", "pooled"):
            raise ValueError(f"placebo inference: pooling must be 'auto', 'placebos' or 'pooled', not {pooling!r}")
        if pooling == "pooled" or (pooling == "auto" and G < pooling_threshold):
            return _pooled_variance_test(float(estimate), placebo, float(v_treated), v_placebo, alpha, dropped)
        if scale_sampling:
            A, B = between_variance_scaled(placebo, v_placebo, max_scale)
        else:
            A, B = between_variance(placebo, v_placebo), 1.0
        scale_p = np.sqrt(A + B * v_placebo)
        scale_t = float(np.sqrt(A + B * v_treated))
        if scale_t <= 0:
            raise ValueError("placebo inference: the treated cluster's outcome contrast has no variance and no "
                             "cluster-level variance was found; the outcome may be constant")
        method = (f"placebo in space, normalised by within-cluster variance ({G} comparison clusters; "
                  "between-cluster variance from the placebos"
                  + (f"; sampling variance scaled by {B:.2f}, estimated" if scale_sampling else "") + ")")
    elif correction == "ferman-pinto":
        if n_treated is None or n_placebo is None:
            raise ValueError("placebo inference: the Ferman-Pinto correction needs the cluster sizes")
        n_placebo = np.asarray(n_placebo, dtype=float)[ok]
        A, B = variance_model(placebo, n_placebo)
        if A + B <= 0:
            raise ValueError("placebo inference: every placebo estimate is zero; the outcome may be constant")
        scale_p = np.sqrt(A + B / n_placebo)
        scale_t = float(np.sqrt(A + B / float(n_treated)))
        method = f"placebo in space, Ferman-Pinto normalised ({G} comparison clusters)"
    elif correction == "none":
        scale_p = np.ones(G)
        scale_t = 1.0
        method = f"placebo in space ({G} comparison clusters)"
    else:
        raise ValueError(f"placebo inference: unknown correction {correction!r}")
    # a placebo cluster without variance (all its persons alike): 0 if its estimate is 0, else extreme
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(scale_p > 0, np.abs(placebo) / np.where(scale_p > 0, scale_p, 1.0),
                     np.where(placebo == 0, 0.0, np.inf))
    z_t = abs(estimate) / scale_t
    p = (1 + np.sum(z >= z_t - 1e-12)) / (G + 1)
    # the (1 - alpha) critical value: the k-th smallest |z| with k = ceil((1 - alpha)(G + 1))
    k = int(np.ceil((1 - alpha) * (G + 1)))
    q = np.sort(z)[min(k, G) - 1] if k <= G else np.inf
    se = scale_t if correction == "ferman-pinto" else float(np.std(placebo, ddof=1)) if G > 1 else np.nan
    if dropped:
        method += f"; {dropped} placebo(s) without a finite estimate or sampling variance left out"
    return PlaceboInference(estimate, se, estimate - q * scale_t, estimate + q * scale_t, float(p), G, method,
                            A, dropped)


def _pooled_variance_test(estimate: float, placebo: np.ndarray, v_t: float, v_p: np.ndarray, alpha: float,
                          dropped: int) -> PlaceboInference:
    """The normalised placebo test with the between-cluster variance A estimated from all clusters,
    the treated one included (its estimate minus the hypothesised effect).

    Under the null every cluster's normalised estimate |d_g| / sqrt(A + v_g) is then computed by the
    same symmetric rule, so the treated cluster's rank is uniform up to the differences in v_g that the
    normalisation removes.  Estimating A from the placebos alone does not have this property: with 20
    clusters the maximum-likelihood A is often near zero, the treated cluster's normalised estimate is
    then too large while the small placebos' are not (their v_g dominates), and the test rejected a true
    null 9 % of the time at 5 % (tests/estimators/test_inference.py).  The interval inverts the test,
    A re-estimated for every hypothesised effect."""
    G = len(placebo)
    v_all = np.append(v_t, v_p)

    def stat(c: float) -> tuple[float, float, float]:
        d = np.append(estimate - c, placebo)
        A = between_variance(d, v_all)
        scale = np.sqrt(A + v_all)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(scale > 0, np.abs(d) / np.where(scale > 0, scale, 1.0), np.where(d == 0, 0.0, np.inf))
        p = (1 + np.sum(z[1:] >= z[0] - 1e-12)) / (G + 1)
        return float(p), A, float(scale[0])

    p0, A0, scale_t = stat(0.0)
    if scale_t <= 0:
        raise ValueError("placebo inference: the treated cluster's outcome contrast has no variance and no "
                         "cluster-level variance was found; the outcome may be constant")
    k = int(np.ceil((1 - alpha) * (G + 1)))
    if k > G:  # the smallest attainable p-value is 1 / (G + 1) > alpha: every effect is accepted
        lo, hi = -np.inf, np.inf
    else:
        lo, hi = (_invert(stat, estimate, sign, alpha, scale_t) for sign in (-1.0, 1.0))
    method = (f"placebo in space, normalised by within-cluster variance ({G} comparison clusters; "
              "between-cluster variance from all clusters)")
    if dropped:
        method += f"; {dropped} placebo(s) without a finite estimate or sampling variance left out"
    return PlaceboInference(estimate, scale_t, lo, hi, p0, G, method, A0, dropped)


def _invert(stat, estimate: float, sign: float, alpha: float, scale: float) -> float:
    """The end of {c: p(c) > alpha} on one side of the estimate: expand until rejected, then bisect."""
    step = max(scale, 1e-12 * max(abs(estimate), 1.0))
    inside = 0.0
    out = step
    for _ in range(60):
        if stat(estimate + sign * out)[0] <= alpha:
            break
        inside, out = out, out * 2.0
    else:
        return sign * np.inf
    for _ in range(50):
        mid = (inside + out) / 2.0
        if stat(estimate + sign * mid)[0] <= alpha:
            out = mid
        else:
            inside = mid
        if out - inside <= 1e-4 * step:
            break
    return float(estimate + sign * (inside + out) / 2.0)


def conley_taber(estimate: float, placebo: np.ndarray, alpha: float = 0.05) -> PlaceboInference:
    """Conley & Taber (2011): with one treated group the estimator's error is
    distributed like the comparison groups' DiD estimates; the interval takes the
    quantiles of that distribution (no size adjustment)."""
    placebo = np.asarray(placebo, float)
    placebo = placebo[np.isfinite(placebo)]
    G = len(placebo)
    if G < 2:
        raise ValueError("Conley-Taber: fewer than two comparison groups")
    lo_q, hi_q = np.quantile(placebo, [alpha / 2, 1 - alpha / 2])
    p = (1 + np.sum(np.abs(placebo) >= abs(estimate))) / (G + 1)
    return PlaceboInference(estimate, float(np.std(placebo, ddof=1)), estimate - hi_q, estimate - lo_q, float(p), G,
                            f"Conley-Taber ({G} comparison groups)")


def wild_cluster_bootstrap(y: np.ndarray, d: np.ndarray, X: np.ndarray | None, clusters: np.ndarray,
                           reps: int = 999, seed: int = 1, alpha: float = 0.05) -> PlaceboInference:
    """Wild cluster restricted bootstrap-t (Cameron, Gelbach & Miller 2008) with Webb's
    six-point weights, on variables already demeaned by the fixed effects.  With one
    treated cluster it is known to misbehave (MacKinnon & Webb 2017, 2018); it is
    offered for comparison, not as the default."""
    rng = np.random.default_rng(seed)
    y, d = np.asarray(y, float), np.asarray(d, float)
    Xm = np.zeros((len(y), 0)) if X is None else np.asarray(X, float).reshape(len(y), -1)
    gid, g_index = np.unique(clusters, return_inverse=True)
    G, N = len(gid), len(y)
    Z = np.column_stack([d, Xm])
    K = Z.shape[1]
    ZtZ_inv = np.linalg.pinv(Z.T @ Z)
    row = ZtZ_inv[0] @ Z.T  # beta_d = row @ y

    def t_stats(Y):
        theta = ZtZ_inv @ (Z.T @ Y)
        e = Y - Z @ theta
        scores = np.zeros((G, Y.shape[1]))
        np.add.at(scores, g_index, row[:, None] * e)
        c = G / (G - 1) * (N - 1) / max(N - K, 1)
        se = np.sqrt(c * np.sum(scores**2, axis=0))
        return theta[0] / se, theta[0], se

    t0, b0, se0 = (v[0] for v in t_stats(y[:, None]))
    # restricted model: beta_d = 0
    if Xm.shape[1]:
        gam, *_ = np.linalg.lstsq(Xm, y, rcond=None)
        fitted = Xm @ gam
    else:
        fitted = np.zeros(N)
    u = y - fitted
    webb = np.array([-np.sqrt(1.5), -1, -np.sqrt(0.5), np.sqrt(0.5), 1, np.sqrt(1.5)])
    ts = []
    for start in range(0, reps, 100):
        b = min(100, reps - start)
        w = webb[rng.integers(0, 6, size=(G, b))]
        Ystar = fitted[:, None] + u[:, None] * w[g_index]
        ts.append(t_stats(Ystar)[0])
    ts = np.concatenate(ts)
    p = float(np.mean(np.abs(ts) >= abs(t0)))
    q = np.quantile(np.abs(ts), 1 - alpha)
    return PlaceboInference(float(b0), float(se0), float(b0 - q * se0), float(b0 + q * se0), p, reps,
                            f"wild cluster restricted bootstrap-t, Webb weights ({reps} draws)")
