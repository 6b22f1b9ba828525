"""Matrix completion with a nuclear-norm penalty (Athey, Bayati, Doudchenko, Imbens & Khosravi 2021,
"Matrix Completion Methods for Causal Panel Data Models", JASA 116(536)), for one treated unit.

The untreated outcomes are modelled as unit and period fixed effects plus a low-rank matrix L:

    min_{L, a, b}  1/2 sum_{(i,t) observed} (Y_it - a_i - b_t - L_it)^2 + lambda ||L||_*

where the treated unit's post-reform cells are treated as missing.  Solved as in the paper (and the
reference implementation causaltensor's ``MCNNMPanelSolver.solve_with_regularizer``): alternate a
least-squares fit of the fixed effects on the observed cells with a soft-thresholded SVD of the
observed residuals completed by the current L, until L no longer changes.  lambda is chosen by K-fold
cross-validation over randomly held-out observed cells on a grid halving from the second singular
value of the observed matrix (as causaltensor's ``solve_with_cross_validation``, with more grid
points).  The tests compare the fixed-lambda solution with causaltensor's to six digits (frozen
numbers: causaltensor pins numpy < 2 and cannot be installed beside this project).

Unlike interactive fixed effects, the penalty shrinks the low-rank part towards zero, so a treated
unit with an unusual loading is pulled towards the two-way fixed-effects answer.

Inference: placebo in space, each comparison unit's post-reform cells masked in turn with the
treated fit's lambda, size-normalised (Ferman & Pinto 2019) when ``size`` is given.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.estimators._panel import post_period_weights, wide_panel
from evaluation.estimators.results import EstimateResult


def _svd_soft(X: np.ndarray, lam: float) -> np.ndarray:
    u, s, vt = np.linalg.svd(X, full_matrices=False)
    s = np.maximum(s - lam, 0.0)
    k = int((s > 0).sum())
    return (u[:, :k] * s[:k]) @ vt[:k]


class _TwoWay:
    """Least-squares a_i + b_t fitted to a matrix on the observed cells ``mask``: the normal equations
    of the two sets of dummies, solved once per mask (a pseudo-inverse: one of the N + T effects is
    not identified, the fitted values are)."""

    def __init__(self, mask: np.ndarray):
        m = mask.astype(float)
        N, T = m.shape
        A = np.block([[np.diag(m.sum(axis=1)), m], [m.T, np.diag(m.sum(axis=0))]])
        self.m, self.N, self.P = m, N, np.linalg.pinv(A)

    def __call__(self, R: np.ndarray) -> np.ndarray:
        mr = self.m * R
        ab = self.P @ np.concatenate([mr.sum(axis=1), mr.sum(axis=0)])
        return ab[: self.N, None] + ab[None, self.N:]


def mcnnm_fit(Y: np.ndarray, mask: np.ndarray, lam: float, L_init: np.ndarray | None = None, tol: float = 1e-16,
              max_iter: int = 200_000) -> tuple[np.ndarray, np.ndarray]:
    """(baseline = fixed effects + L, L) for outcome matrix Y with observed cells ``mask`` (bool)."""
    m = mask.astype(float)
    fe_of = _TwoWay(mask)
    L = np.zeros_like(Y) if L_init is None else L_init.copy()
    for _ in range(max_iter):
        fe = fe_of(Y - L)
        L_new = _svd_soft(m * (Y - fe) + (1 - m) * L, lam)
        done = np.sum((L_new - L) ** 2) <= tol * max(np.sum(L**2), 1e-300)
        L = L_new
        if done:
            break
    return fe_of(Y - L) + L, L


def lambda_grid(Y: np.ndarray, mask: np.ndarray, n: int = 16) -> list[float]:
    s = np.linalg.svd(Y * mask, compute_uv=False)
    top = s[1] if len(s) > 1 else s[0]
    return [float(top / 2**k) for k in range(n)]


def cross_validate_lambda(Y: np.ndarray, mask: np.ndarray, grid: list[float], folds: int = 5,
                          seed: int = 42) -> tuple[float, dict]:
    """K-fold cross-validation over random held-out observed cells (Athey et al. 2021, section 6):
    each fold keeps an observed cell with probability |observed| / |all|, fits on the kept cells for
    every lambda (warm starts from the largest), and scores the held-out cells."""
    rng = np.random.default_rng(seed)
    p = mask.mean()
    err = np.zeros(len(grid))
    for _ in range(folds):
        keep = mask & (rng.random(mask.shape) <= p)
        valid = mask & ~keep
        if valid.sum() == 0 or (keep.sum(axis=1) == 0).any() or (keep.sum(axis=0) == 0).any():
            continue
        L = None
        for i, lam in enumerate(grid):
            base, L = mcnnm_fit(Y, keep, lam, L_init=L, tol=1e-10)
            err[i] += float(np.sum(((Y - base) * valid) ** 2) / valid.sum())
    best = int(np.argmin(err))
    return grid[best], dict(zip(grid, err / folds))


def matrix_completion(
    data: pd.DataFrame,
    unit: str,
    time: str,
    outcome: str,
    treated_unit,
    treatment_time,
    lam: float | None = None,
    folds: int = 5,
    seed: int = 42,
    size: str | None = None,
    post_weights: str | None = None,
    alpha: float = 0.05,
) -> EstimateResult:
    """MC-NNM for one treated unit.

    Parameters
    ----------
    data : unit-period rows (balanced; donors with missing periods are dropped with a warning)
    lam : the nuclear-norm penalty; None chooses it by ``folds``-fold cross-validation (``seed``)
    size : column of persons behind each unit's outcome (size-normalised placebo inference)
    post_weights : column whose treated-unit values weight the post periods in the ATT

    Returns
    -------
    EstimateResult: tidy() the post-period ATT; extras: 'path' (treated, counterfactual, effect),
    'effects_by_period', 'lambda', 'rank' of the low-rank part, 'cv_error' by lambda, placebo estimates.

    Examples
    --------
    >>> from evaluation import matrix_completion
    >>> from evaluation.datasets import example_means
    >>> res = matrix_completion(example_means(), "kom", "year", "y", 0, 2015, size="n")
    >>> round(float(res.tidy().estimate.iloc[0]), 1)
    5.9
    """
    from evaluation.inference import placebo_inference

    wide, pre, post = wide_panel(data, unit, time, outcome, treated_unit, treatment_time, min_pre=2,
                                 name="matrix_completion")
    units = list(wide.index)
    if len(units) < 4:
        raise ValueError(f"matrix_completion: {len(units) - 1} comparison unit(s); at least 3 are needed")
    Y = wide.to_numpy(float)
    T0 = len(pre)
    pw = post_period_weights(data, unit, time, treated_unit, post, post_weights, "matrix_completion")

    def mask_for(i: int) -> np.ndarray:
        m = np.ones_like(Y, dtype=bool)
        m[i, T0:] = False
        return m

    # the treated unit's cells are never used for the placebos: placebo panels are the controls only
    mask = mask_for(0)
    cv = {}
    if lam is None:
        lam, cv = cross_validate_lambda(Y, mask, lambda_grid(Y, mask), folds=folds, seed=seed)
    base, L = mcnnm_fit(Y, mask, lam)
    eff = Y[0] - base[0]
    att = float(pw @ eff[T0:])
    Yc = Y[1:]
    plac, plac_eff = [], []
    # warm start for every placebo: a fit that has seen no comparison unit's post-reform cells. Starting a
    # placebo from the previous placebo's fit (which saw this unit's post cells) let the masked cells leak
    # into their own prediction: with a small penalty the iterations stay where they start, and the placebo
    # effects came out near zero (an interval of a few hundredths of an hour on the stock)
    m_pre = np.ones_like(Yc, dtype=bool)
    m_pre[:, T0:] = False
    _, L0 = mcnnm_fit(Yc, m_pre, lam, tol=1e-10)
    for j in range(len(units) - 1):
        m = np.ones_like(Yc, dtype=bool)
        m[j, T0:] = False
        bj, _ = mcnnm_fit(Yc, m, lam, L_init=L0, tol=1e-10)
        e = Yc[j] - bj[j]
        plac.append(float(pw @ e[T0:]))
        plac_eff.append(e[T0:])
    plac, plac_eff = np.array(plac), np.array(plac_eff)
    controls = units[1:]
    n_unit = data.groupby(unit)[size].mean() if size is not None else None

    def infer(est, pl):
        if n_unit is not None:
            return placebo_inference(est, pl, float(n_unit[treated_unit]), n_unit.reindex(controls).to_numpy(),
                                     alpha=alpha)
        return placebo_inference(est, pl, alpha=alpha, correction="none")

    inf = infer(att, plac)
    finite = np.isfinite(inf.conf_low) and np.isfinite(inf.conf_high)
    notes = [f"lambda = {lam:.4g}" + (" (cross-validated)" if cv else " (given)")
             + f"; rank of the low-rank part: {int(np.linalg.matrix_rank(L, tol=1e-8 * max(1.0, np.abs(L).max())))}"]
    if not finite:
        notes.append(f"with {inf.n_placebos} comparison units no finite {100 * (1 - alpha):.0f} % interval exists: "
                     "the interval is unavailable")
    tidy = pd.DataFrame([dict(term="ATT", estimate=att, std_error=inf.std_error,
                              conf_low=inf.conf_low if finite else np.nan, conf_high=inf.conf_high if finite else np.nan,
                              p_value=inf.p_value, inference=inf.method, n_obs=int(Y.size), n_treated_units=1,
                              n_control_units=len(controls))])
    per = []
    for k, p in enumerate(post):
        ik = infer(float(eff[T0 + k]), plac_eff[:, k])
        ok = np.isfinite(ik.conf_low) and np.isfinite(ik.conf_high)
        per.append(dict(period=p, effect=float(eff[T0 + k]), conf_low=ik.conf_low if ok else np.nan,
                        conf_high=ik.conf_high if ok else np.nan, p_value=ik.p_value))
    extras = {
        "path": pd.DataFrame({time: list(wide.columns), "treated": Y[0], "counterfactual": base[0], "effect": eff}),
        "effects_by_period": pd.DataFrame(per),
        "lambda": lam,
        "rank": int(np.linalg.matrix_rank(L, tol=1e-8 * max(1.0, np.abs(L).max()))),
        "cv_error": cv,
        "placebo_estimates": plac,
    }
    return EstimateResult("matrix completion (nuclear norm)", outcome, tidy, notes, extras)
