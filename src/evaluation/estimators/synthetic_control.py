"""Synthetic control (Abadie, Diamond & Hainmueller 2010) with placebo inference.

Donor weights W are non-negative and sum to one and minimise the V-weighted distance
between the treated unit's predictors and the donors'; the predictor weights V
(diagonal, summing to one) are chosen to minimise the pre-period mean squared
prediction error of the outcome, as in R's Synth.  Predictors are rescaled by their
standard deviation across units before V is chosen (Synth's default).

The inner problem is solved exactly as a non-negative least-squares problem with the
adding-up constraint imposed by a heavily weighted extra row (Lawson-Hanson NNLS);
see tests/estimators/test_synthetic_control.py for its agreement with pysyncon's
quadratic-programming solution and benchmarks/estimators.py for the speed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize, nnls

from evaluation.estimators._panel import post_period_weights, wide_panel
from evaluation.estimators.results import EstimateResult

# The size-normalised placebo test's variance model for synthetic control (tests/estimators/test_calibration.py;
# benchmarks/README.md, "Calibration of every placebo test").  Each fit interpolates its unit's own pre-period
# noise, so a placebo's error grows much faster than its sampling variance v_g as units shrink: the model is
# A + B v_g with B estimated (median 16 at 97 comparisons, above 20 in two panels of five; hence the bound).
# With A + v_g the precise treated unit's interval was too wide (1-2 % rejection at 97 comparisons, 2.2-2.9 %
# at 40).  Below POOLING_THRESHOLD comparisons A is estimated with the treated unit included (at 20 the
# placebo-only A + B v_g rejected 7-9 %).
POOLING_THRESHOLD = 30
MAX_SCALE = 1000.0


def simplex_weights(X0: np.ndarray, x1: np.ndarray, v: np.ndarray | None = None) -> np.ndarray:
    """argmin_w (x1 - X0 w)' diag(v) (x1 - X0 w) subject to w >= 0, sum(w) = 1.

    X0: predictors x donors; x1: predictors."""
    k, J = X0.shape
    sv = np.sqrt(np.ones(k) if v is None else np.asarray(v, float))
    A = sv[:, None] * X0
    b = sv * x1
    big = 1e3 * max(1.0, float(np.abs(A).max()), float(np.abs(b).max()))
    w, _ = nnls(np.vstack([A, np.full((1, J), big)]), np.append(b, big), maxiter=50 * J)
    s = w.sum()
    return w / s if s > 0 else np.full(J, 1.0 / J)


def penalized_simplex_weights(X0: np.ndarray, x1: np.ndarray, v: np.ndarray | None = None,
                              penalty: float = 0.0) -> np.ndarray:
    """Penalised synthetic-control weights (Abadie & L'Hour 2021, JASA 116(536)):

        argmin_w ||x1 - X0 w||_V^2 + penalty * sum_j w_j ||x1 - X0_j||_V^2,  w >= 0, sum(w) = 1.

    The penalty charges each donor its own distance from the treated unit, so weight goes to donors
    that are close one by one, not only on average (penalty -> infinity: the nearest donor; 0: the
    ordinary synthetic control, solved exactly by :func:`simplex_weights`).  A quadratic programme:
    solved by proximal steps, each an NNLS, until the KKT conditions hold exactly on the steps' support
    (:func:`_proximal_simplex_qp`); SLSQP from two starting points where they do not within 5,000 steps.
    Checked against pysyncon's PenalizedSynth and against SLSQP (tests/estimators/test_synthetic_control.py)."""
    if penalty <= 0:
        return simplex_weights(X0, x1, v)
    from scipy.optimize import Bounds, LinearConstraint

    k, J = X0.shape
    vv = np.ones(k) if v is None else np.asarray(v, float)
    diff = X0 - x1[:, None]
    r = (diff**2 * vv[:, None]).sum(axis=0)
    # the objective over (1 + penalty), so that a large penalty does not stall the solver's tolerance
    c = 1.0 / (1.0 + penalty)
    P = c * X0.T @ (vv[:, None] * X0)
    q = c * (-(x1 * vv) @ X0 + 0.5 * penalty * r)

    def obj(w):
        return float(q @ w + 0.5 * w @ P @ w)

    A = np.sqrt(c * vv)[:, None] * X0
    w = _proximal_simplex_qp(A, np.sqrt(c * vv) * x1, 0.5 * c * penalty * r, simplex_weights(X0, x1, v))
    if w is not None:
        return w

    # two starting points: the ordinary solution (small penalties) and the nearest donor (large ones)
    nearest = np.zeros(J)
    nearest[int(np.argmin(r))] = 1.0
    best = None
    for w0 in (simplex_weights(X0, x1, v), nearest):
        res = minimize(obj, w0, jac=lambda w: q + P @ w, bounds=Bounds(np.zeros(J), np.ones(J)),
                       constraints=[LinearConstraint(np.ones((1, J)), 1.0, 1.0)], method="SLSQP",
                       options={"maxiter": 2000, "ftol": 1e-15})
        w = np.clip(res.x, 0, None)
        w = w / w.sum()
        if best is None or obj(w) < obj(best) - 1e-15:
            best = w
    return best


def _proximal_simplex_qp(A, b, h, w0, max_steps: int = 5000):
    """argmin_w 1/2 ||A w - b||^2 + h'w over the simplex, or None when not certified within ``max_steps``.

    Proximal point steps w <- argmin 1/2 ||A w - b||^2 + h'w + rho/2 ||w - w_k||^2, each an NNLS (the last two
    terms are rho/2 ||w - (w_k - h / rho)||^2 up to a constant; the adding-up constraint by a heavy row, as in
    :func:`simplex_weights`).  Every few steps the equality-constrained problem on the step's support is solved
    exactly (its KKT system) and accepted only if it satisfies the KKT conditions of the whole problem: weights
    non-negative, and no donor outside the support with a gradient below the support's (a convex programme, so
    that is the optimum).  SciPy has no quadratic-programming solver besides SLSQP, which takes about 0.3 s for a
    hundred donors where this takes milliseconds (tests/estimators/test_synthetic_control.py)."""
    k, J = A.shape
    P, q = A.T @ A, h - A.T @ b
    # the step: large enough to keep the NNLS well conditioned, small enough that the penalty moves the weights
    # along the directions the fit leaves flat (h / rho per step)
    curv = max(float(np.trace(P)) / J, 1e-300)
    rho = min(curv, max(float(np.ptp(h)), 1e-6 * curv))
    scale = float(np.abs(q).max() + np.abs(P).max()) + 1e-300
    big = 1e3 * max(1.0, float(np.abs(A).max()) + np.sqrt(rho), float(np.abs(b).max()))
    M = np.vstack([A, np.sqrt(rho) * np.eye(J), np.full((1, J), big)])
    w = np.asarray(w0, float)
    last = None
    for step in range(max_steps):
        t = np.concatenate([b, np.sqrt(rho) * (w - h / rho), [big]])
        w, _ = nnls(M, t, maxiter=50 * J)
        w = w / w.sum() if w.sum() > 0 else np.full(J, 1.0 / J)
        S = np.flatnonzero(w > 1e-10)
        key = tuple(S)
        if key != last and step % 3 != 2:
            last = key
            continue
        last = key
        m = len(S)
        K = np.zeros((m + 1, m + 1))
        K[:m, :m], K[:m, m], K[m, :m] = P[np.ix_(S, S)], -1.0, 1.0
        sol = np.linalg.lstsq(K, np.append(-q[S], 1.0), rcond=None)[0]
        ws, mu = sol[:m], sol[m]
        if ws.min() < -1e-12:
            continue
        cand = np.zeros(J)
        cand[S] = np.clip(ws, 0, None)
        cand /= cand.sum()
        g = P @ cand + q
        if np.abs(g[S] - mu).max() <= 1e-9 * scale and (g - mu).min() >= -1e-9 * scale:
            return cand
    return None


def _predictor_matrix(data, unit, time, outcome, predictors, pre, units):
    rows, names = [], []
    for col, years, agg in predictors:
        if col not in data.columns:
            raise ValueError(f"synthetic_control: predictor column {col!r} is not in the data")
        years = list(years)
        bad = [y for y in years if y not in set(pre)]
        if bad:
            raise ValueError(f"synthetic_control: predictor {col!r} uses periods {bad} that are not pre-treatment")
        sub = data[data[time].isin(years)].groupby(unit)[col].agg(agg)
        rows.append(sub.reindex(units).to_numpy(dtype=float))
        names.append(f"{col}:{years[0]}" + (f"-{years[-1]}" if len(years) > 1 else "") + f":{agg}")
    X = np.vstack(rows)
    if np.isnan(X).any():
        r, c = np.argwhere(np.isnan(X))[0]
        raise ValueError(f"synthetic_control: predictor {names[r]} is missing for unit {units[c]!r}")
    return X, names


def _loss_attaining_v(X, sd, Y_pre, lp, loss_of):
    """A V that attains the smallest loss any V can give, or None (then V is searched for).

    V is chosen to minimise the loss L(V) = ||y1 - Y0 W(V)||^2 over the loss periods.  No V can give less than
    L* = min over the simplex of ||y1 - Y0 w||^2, one NNLS.  Where every loss period's outcome is itself a
    predictor (Synth's default predictors: the outcome in each pre-treatment period), V putting weight sd_k^2 on
    those rows (sd_k their spread across units, by which they were scaled) and none on the others makes W(V)'s
    problem that very least-squares problem, so it attains L*: it is an optimum, and the Nelder-Mead search
    (hundreds of NNLS per fit, most of a synthetic control's time with many placebos) is skipped.  The
    attainment is checked, not assumed; with other predictors the search runs as before."""
    rows = np.arange(Y_pre.shape[0])[lp]
    v0 = np.zeros(X.shape[0])
    for p in rows:
        match = [i for i in range(X.shape[0]) if np.array_equal(X[i], Y_pre[p]) and v0[i] == 0]
        if not match:
            return None
        v0[match[0]] = sd[match[0]] ** 2
    v0 = v0 / v0.sum()
    y1, Y0 = Y_pre[rows, 0], Y_pre[rows, 1:]
    floor = float(np.sum((y1 - Y0 @ simplex_weights(Y0, y1)) ** 2))
    attained = loss_of(v0)[0]
    scale = float(y1 @ y1) + 1.0
    return v0 if attained <= floor + 1e-9 * scale else None


class _Fit:
    """One synthetic-control fit (treated = first column of Y)."""

    def __init__(self, X, Y, n_pre, v_method="optimize", loss_periods=None, penalty=0.0, post_weights=None):
        self.X, self.Y, self.n_pre = X, Y, n_pre
        sd = X.std(axis=1, ddof=1)
        sd[sd == 0] = 1.0
        Xs = X / sd[:, None]
        x1, X0 = Xs[:, 0], Xs[:, 1:]
        y1, Y0 = Y[:n_pre, 0], Y[:n_pre, 1:]
        lp = slice(None) if loss_periods is None else loss_periods
        k = X.shape[0]

        # V is chosen for the ordinary synthetic control; a penalty enters the weights at that V only (Abadie &
        # L'Hour take V as given; a V search through the penalised programme costs a quadratic programme per step)
        def loss_of(v):
            w = simplex_weights(X0, x1, v)
            r = (y1 - Y0 @ w)[lp]
            return float(r @ r), w

        v_exact = None
        if isinstance(v_method, str) and v_method == "optimize" and k > 1:
            v_exact = _loss_attaining_v(X, sd, Y[:n_pre], lp, loss_of)
        if not isinstance(v_method, str):  # predictor weights given by the user (Synth's custom.v)
            v = np.asarray(v_method, float) / float(np.sum(v_method))
        elif v_method == "equal" or k == 1:
            v = np.full(k, 1.0 / k)
        elif v_exact is not None:
            v = v_exact
        else:
            best = None
            inv_var = 1.0 / np.maximum(np.var(Xs, axis=1), 1e-12)
            starts = [np.zeros(k), np.log(inv_var / inv_var.sum())]
            # the loss can be flat around both (the weights do not move): screen the corners (one predictor at
            # 0.7) and a fixed set of spread-out V (Dirichlet 0.5, seed 0) and also start from the best of them
            # when it beats both (R Synth's optimx runs several methods for the same reason)
            cand = np.vstack([np.full((k, k), 0.3 / max(k - 1, 1)) + np.eye(k) * (0.7 - 0.3 / max(k - 1, 1)),
                              np.random.default_rng(0).dirichlet(np.full(k, 0.5), 12)])
            cand = np.maximum(cand, 1e-9)
            losses = [loss_of(c / c.sum())[0] for c in cand]
            if min(losses) < min(loss_of(np.exp(s0) / np.exp(s0).sum())[0] for s0 in starts):
                starts.append(np.log(cand[int(np.argmin(losses))]))
            for s0 in starts:
                res = minimize(lambda th: loss_of(np.exp(th - th.max()) / np.exp(th - th.max()).sum())[0], s0,
                               method="Nelder-Mead",
                               options={"maxiter": 400 * k, "xatol": 1e-4, "fatol": 1e-8, "adaptive": True})
                if best is None or res.fun < best.fun:
                    best = res
            th = best.x
            v = np.exp(th - th.max()) / np.exp(th - th.max()).sum()
        self.v = v
        self.w = penalized_simplex_weights(X0, x1, v, penalty) if penalty > 0 else loss_of(v)[1]
        self.synthetic = Y[:, 1:] @ self.w
        self.gap = Y[:, 0] - self.synthetic
        self.pre_rmspe = float(np.sqrt(np.mean(self.gap[:n_pre] ** 2)))
        self.post_rmspe = float(np.sqrt(np.mean(self.gap[n_pre:] ** 2)))
        pw = post_weights if post_weights is not None else np.full(len(self.gap) - n_pre, 1.0 / (len(self.gap) - n_pre))
        self.att = float(pw @ self.gap[n_pre:])

    @property
    def ratio(self):
        return self.post_rmspe / self.pre_rmspe if self.pre_rmspe > 0 else np.inf


def synthetic_control(
    data: pd.DataFrame,
    unit: str,
    time: str,
    outcome: str,
    treated_unit,
    treatment_time,
    predictors: list[tuple[str, list, str]] | None = None,
    v_method: str = "optimize",
    placebo: bool = True,
    v=None,
    optimize_periods: list | None = None,
    inference: str = "placebo",
    in_time_placebo: int | None = None,
    leave_one_out: bool = True,
    alpha: float = 0.05,
    size: str | None = None,
    sampling_var: str | None = None,
    contrast_variance=None,
    penalty: float = 0.0,
    demean: bool = False,
    post_weights: str | None = None,
    cv_predictors: list[tuple[str, list, str]] | None = None,
    cv_periods: list | None = None,
) -> EstimateResult:
    """Synthetic control for one treated unit.

    penalty    : Abadie & L'Hour (2021) penalised synthetic control (0: the ordinary one); each donor is
                 charged its own predictor distance from the treated unit (:func:`penalized_simplex_weights`).
                 V is the ordinary synthetic control's (their V is given, not searched through the penalty).
    demean     : demeaned synthetic control (Ferman & Pinto 2021, Quantitative Economics 12(4)): every unit's
                 outcome minus its own pre-period mean, so the synthetic unit matches the treated unit's path,
                 not its level (a level outside the donors' range no longer breaks the fit); the effect is
                 then a difference in differences with synthetic-control weights.
    V          : where the predictors include the outcome in every loss period (the default), the V that
                 makes W's problem the least-squares fit of those periods attains the least loss any V can give
                 and is taken without a search (:func:`_loss_attaining_v`; checked, not assumed); otherwise
                 chosen by Nelder-Mead from two starting points (equal weights, inverse variance of the scaled
                 predictors) and the best of a screen of spread-out V, the better fit kept.
    v          : the predictor weights: "optimize" (default, as ``v_method``), "equal", or given by the user as
                 an array in the order of ``predictors`` (R Synth's ``custom.v``; scaled to sum to one; the
                 predictors are standardised by their spread across units first, as Synth does).
    optimize_periods : the pre-treatment periods whose outcome fit V is chosen for (Synth's
                 ``time.optimize.ssr``); default every pre-treatment period.
    v="cross-validate", cv_predictors, cv_periods : V by cross-validation over time (Abadie, Diamond &
                 Hainmueller 2015, AJPS 59(2), section "Cross-validation"): with the predictors measured in a
                 training window (``cv_predictors``, one per entry of ``predictors``, in the same order), V is
                 chosen for the fit of the outcome in a later validation window (``cv_periods``, pre-treatment
                 periods); the main fit then takes that V with ``predictors`` (measured in the validation
                 window, as ADH do).  Each placebo is cross-validated the same way.  extras['v_training_loss']
                 holds the validation window's sum of squared outcome gaps of the training fit.  The
                 in-time placebo optimises its own V (its windows would cross the fake date).
    inference  : "placebo" (default: in-space placebos, below) or "conformal" (Chernozhukov, Wüthrich & Zhu
                 2021, :mod:`evaluation.estimators.conformal`): the ATT's p-value is that of the sharp null of
                 no effect and its interval inverts the test of a constant effect; per-period intervals in
                 extras['conformal_periods'] (unavailable when 1 / (T0 + 1) > alpha).  The placebos are still
                 run when ``placebo`` is true, for the figures.

    predictors : list of (column, periods, aggregation), like Synth's special.predictors;
                 default: the outcome in each pre-treatment period.
    placebo    : in-space placebos for every donor, post/pre RMSPE ratio p-value.
    in_time_placebo : if given, also refit with a fake treatment this many periods
                 before the real one, on pre-treatment data only.
    leave_one_out : refit without each donor that has positive weight.
    post_weights : column whose treated-unit values weight the post periods in the ATT (e.g. its persons per
                 year: the person-weighted average of the yearly gaps); default equal weights.  The placebos
                 and the sampling variances use the same weights.

    The result's tidy() reports the average post-treatment gap (weighted by ``post_weights``).  Without ``size`` the
    p-value is the rank of the treated unit's post/pre RMSPE ratio among all units
    (ADH 2010), and the interval inverts that test under a constant effect (Firpo &
    Possebom 2018).  With ``size`` (a column with the persons behind each unit's
    outcome) the placebo gaps are normalised for size as in Ferman & Pinto (2019):
    with units of very different sizes the RMSPE-ratio test is conservative
    (benchmarks/monte_carlo.py); its p-value stays in extras['p_value_rmspe_ratio'].
    sampling_var / contrast_variance: as in synthetic_did (the latter respects the same persons'
    correlation across years).

    Examples
    --------
    >>> from evaluation import synthetic_control
    >>> from evaluation.datasets import example_means
    >>> res = synthetic_control(example_means(), "kom", "year", "y", 0, 2015, size="n")
    >>> round(float(res.tidy().estimate.iloc[0]), 1)
    6.0
    """
    if inference not in ("placebo", "conformal"):
        raise ValueError(f"synthetic_control: inference must be 'placebo' or 'conformal', not {inference!r}")
    inference_choice = inference
    wide, pre, post = wide_panel(data, unit, time, outcome, treated_unit, treatment_time, min_pre=2,
                                 name="synthetic_control")
    if penalty < 0:
        raise ValueError(f"synthetic_control: penalty must be >= 0, not {penalty}")
    units = list(wide.index)
    if demean:
        pre_mean = wide[pre].mean(axis=1)
        wide = wide.sub(pre_mean, axis=0)
        data = data.copy()
        data[outcome] = data[outcome] - data[unit].map(pre_mean)
    if predictors is None:
        predictors = [(outcome, [p], "mean") for p in pre]
    sub = data[data[unit].isin(units)]
    X, names = _predictor_matrix(sub, unit, time, outcome, predictors, pre, units)
    Y = wide.to_numpy(dtype=float).T  # periods x units
    n_pre = len(pre)
    X_cv, loss_cv = None, None
    if isinstance(v, str) and v == "cross-validate":
        if not cv_predictors or not cv_periods:
            raise ValueError("synthetic_control: v='cross-validate' needs cv_predictors (the predictors measured in "
                             "the training window) and cv_periods (the validation window's pre-treatment periods)")
        if len(cv_predictors) != len(predictors):
            raise ValueError(f"synthetic_control: cv_predictors has {len(cv_predictors)} entries and predictors "
                             f"{len(predictors)}; V weights them one to one, so they need the same number")
        bad = [p for p in cv_periods if p not in set(pre)]
        if bad:
            raise ValueError(f"synthetic_control: cv_periods {bad} are not pre-treatment periods ({pre[0]}-{pre[-1]})")
        X_cv, _ = _predictor_matrix(sub, unit, time, outcome, cv_predictors, pre, units)
        loss_cv = np.array([pre.index(p) for p in cv_periods])
        v = None
    elif cv_predictors is not None or cv_periods is not None:
        raise ValueError("synthetic_control: cv_predictors and cv_periods are used only with v='cross-validate'")
    if v is not None:
        if isinstance(v, str):
            if v not in ("optimize", "equal"):
                raise ValueError(f"synthetic_control: v must be 'optimize', 'equal', 'cross-validate' or an array, "
                                 f"not {v!r}")
            v_method = v
        else:
            vv = np.asarray(v, dtype=float).ravel()
            if len(vv) != X.shape[0] or not np.all(np.isfinite(vv)) or (vv < 0).any() or vv.sum() <= 0:
                raise ValueError(f"synthetic_control: v must hold {X.shape[0]} non-negative weights, one per "
                                 f"predictor ({', '.join(names)}), not {list(np.round(vv, 6))}")
            v_method = vv
    loss = None
    if optimize_periods is not None:
        bad = [p for p in optimize_periods if p not in set(pre)]
        if bad or not len(optimize_periods):
            raise ValueError(f"synthetic_control: optimize_periods {bad or '[]'} are not pre-treatment periods "
                             f"({pre[0]}-{pre[-1]})")
        loss = np.array([pre.index(p) for p in optimize_periods])
    pw = post_period_weights(data, unit, time, treated_unit, post, post_weights, "synthetic_control")

    def v_for(cols):
        """V of the fit whose treated unit and donors are ``cols`` (cross-validated per fit when asked)."""
        if X_cv is None:
            return v_method, None
        # the main fit on the arrays as they are: a copy in another memory layout sums in another order, and
        # where the validation loss is flat in V the optimiser then ends elsewhere (with the same weights)
        Xc, Yc = (X_cv, Y) if list(cols) == list(range(len(units))) else (X_cv[:, cols], Y[:, cols])
        t = _Fit(Xc, Yc, n_pre, "optimize", loss_periods=loss_cv, penalty=penalty, post_weights=pw)
        g = t.gap[loss_cv]
        return t.v, float(g @ g)

    v_main, cv_loss = v_for(list(range(len(units))))
    fit = _Fit(X, Y, n_pre, v_main, loss_periods=loss, penalty=penalty, post_weights=pw)
    donors = units[1:]
    weights = pd.Series(fit.w, index=pd.Index(donors, name=unit), name="weight")
    path = pd.DataFrame({time: wide.columns, "treated": Y[:, 0], "synthetic": fit.synthetic, "gap": fit.gap})
    extras: dict = {"weights": weights, "v": pd.Series(fit.v, index=names, name="v"), "path": path,
                    "pre_rmspe": fit.pre_rmspe, "post_rmspe": fit.post_rmspe, "rmspe_ratio": fit.ratio}
    if X_cv is not None:
        extras["v_training_loss"] = cv_loss
    notes: list[str] = []
    p_value, lo, hi, se = np.nan, np.nan, np.nan, np.nan
    inference = "none"
    # an exact pre-period fit (many donors, few pre periods) makes the RMSPE ratio meaningless
    scale = float(np.std(Y[:n_pre], ddof=0)) or 1.0
    degenerate = bool(fit.pre_rmspe < 1e-6 * scale)
    extras["degenerate_fit"] = degenerate
    if degenerate:
        notes.append(f"degenerate pre-period fit (pre-period RMSPE {fit.pre_rmspe:.2g}, the outcome's spread "
                     f"{scale:.3g}): the synthetic unit reproduces the pre-period exactly, so the post/pre RMSPE-"
                     "ratio test and its inverted interval are not reported")
    if placebo:
        rows, gaps, placebo_weights = [], {}, {}
        for j in range(1, len(units)):
            cols = [j] + [i for i in range(1, len(units)) if i != j]
            f = _Fit(X[:, cols], Y[:, cols], n_pre, v_for(cols)[0], loss_periods=loss, penalty=penalty,
                     post_weights=pw)
            rows.append(dict(unit=units[j], pre_rmspe=f.pre_rmspe, post_rmspe=f.post_rmspe, ratio=f.ratio, att=f.att))
            placebo_weights[units[j]] = pd.Series(f.w, index=[units[i] for i in cols[1:]])
            gaps[units[j]] = f.gap
        plac = pd.DataFrame(rows)
        extras["placebos"] = plac
        extras["placebo_gaps"] = pd.DataFrame(gaps, index=pd.Index(wide.columns, name=time))
        J = len(plac)
        p_value = (1 + int(np.sum(plac["ratio"].to_numpy() >= fit.ratio - 1e-12))) / (J + 1)
        extras["rank"] = int(np.sum(plac["ratio"].to_numpy() > fit.ratio)) + 1
        # invert the RMSPE-ratio test for a constant effect tau: ratio(tau) <= c
        k = int(np.ceil((1 - alpha) * (J + 1)))
        if k <= J:
            c = np.sort(plac["ratio"].to_numpy())[k - 1]
            g = fit.gap[n_pre:]
            rad = (c * fit.pre_rmspe) ** 2 - np.var(g)
            if rad >= 0:  # post RMSPE(tau)^2 = var(g) + (mean(g) - tau)^2: centred on the unweighted mean gap
                lo, hi = float(np.mean(g)) - np.sqrt(rad), float(np.mean(g)) + np.sqrt(rad)
            else:
                notes.append("no constant effect is consistent with the placebo distribution at this level: "
                             "the interval is empty")
        else:
            notes.append(f"{J} donors are too few for a {1 - alpha:.0%} interval from placebos")
        se = float(plac["att"].std(ddof=1))
        inference = f"placebo in space, post/pre RMSPE ratio ({J} donors)"
        extras["p_value_rmspe_ratio"] = np.nan if degenerate else p_value
        if degenerate:
            p_value, lo, hi = np.nan, np.nan, np.nan
            inference = "none (degenerate pre-period fit)"
        if size is not None:
            from evaluation.inference import placebo_inference

            if size not in data.columns:
                raise ValueError(f"synthetic_control: size column {size!r} is not in the data")
            n_unit = data.groupby(unit)[size].mean()
            v_kw = {}
            if contrast_variance is not None:
                # the post-period mean of each unit from its persons' own contrasts (same persons every year)
                a = dict(zip(post, pw))
                if demean:  # minus the unit's own pre-period mean
                    a.update({p: -1.0 / len(pre) for p in pre})
                sv = pd.Series({u: float(contrast_variance(u, a)) for u in units})
                v_t = float(sv[treated_unit] + (weights**2 * sv.reindex(weights.index)).sum())
                v_p = np.array([sv[u] + (placebo_weights[u] ** 2 * sv.reindex(placebo_weights[u].index)).sum()
                                for u in plac["unit"]])
                v_kw = dict(v_treated=v_t, v_placebo=v_p)
            elif sampling_var is not None:
                # variance of each unit's weighted post-period mean: its periods' variances times the weights squared
                sv = (data[data[time].isin(post)].assign(_w2=lambda x: x[time].map(dict(zip(post, pw**2))))
                      .pipe(lambda x: (x[sampling_var] * x._w2).groupby(x[unit]).sum()))
                if demean:
                    sv = sv + data[data[time].isin(pre)].groupby(unit)[sampling_var].sum() / len(pre) ** 2
                # the gap's variance: the unit's own post-period mean plus the weighted donors'
                v_t = float(sv[treated_unit] + (weights**2 * sv.reindex(weights.index)).sum())
                v_p = np.array([sv[u] + (placebo_weights[u] ** 2 * sv.reindex(placebo_weights[u].index)).sum()
                                for u in plac["unit"]])
                v_kw = dict(v_treated=v_t, v_placebo=v_p)
            if v_kw:  # the variance model of synthetic control's placebos (module constants, above)
                v_kw.update(scale_sampling=True, pooling_threshold=POOLING_THRESHOLD, max_scale=MAX_SCALE)
            inf = placebo_inference(fit.att, plac["att"].to_numpy(), float(n_unit[treated_unit]),
                                    n_unit.reindex(plac["unit"]).to_numpy(), alpha=alpha, **v_kw)
            p_value, lo, hi, se, inference = inf.p_value, inf.conf_low, inf.conf_high, inf.std_error, inf.method
            notes = [n for n in notes if "interval is empty" not in n]
    if in_time_placebo:
        s = int(in_time_placebo)
        if n_pre - s < 2:
            raise ValueError(f"synthetic_control: an in-time placebo {s} periods back leaves fewer than 2 pre-periods")
        pre_fake = pre[: n_pre - s]
        preds = [(c, [p for p in yrs if p in set(pre_fake)], a) for c, yrs, a in predictors]
        kept = [i for i, (_, yrs, _) in enumerate(preds) if yrs]
        preds = [preds[i] for i in kept]
        Xf, _ = _predictor_matrix(sub, unit, time, outcome, preds, pre_fake, units)
        # a user's V keeps the weights of the predictors that remain; the window, its periods before the fake date
        vf = v_method if isinstance(v_method, str) else np.asarray(v_method)[kept]
        lf = None if loss is None else np.array([i for i in loss if i < len(pre_fake)]) if any(
            i < len(pre_fake) for i in loss) else None
        f = _Fit(Xf, Y[:n_pre], len(pre_fake), vf, loss_periods=lf, penalty=penalty)
        extras["in_time_placebo"] = {"fake_treatment_time": pre[n_pre - s], "att": f.att,
                                     "pre_rmspe": f.pre_rmspe, "post_rmspe": f.post_rmspe}
    if leave_one_out:
        loo = []
        for j in np.flatnonzero(fit.w > 1e-6):
            cols = [0] + [i + 1 for i in range(len(donors)) if i != j]
            f = _Fit(X[:, cols], Y[:, cols], n_pre, v_for(cols)[0], loss_periods=loss, penalty=penalty,
                     post_weights=pw)
            loo.append(dict(dropped=donors[j], weight=fit.w[j], att=f.att, pre_rmspe=f.pre_rmspe))
        extras["leave_one_out"] = pd.DataFrame(loo)
    if inference_choice == "conformal":
        from evaluation.estimators.conformal import conformal

        cf = conformal(Y, n_pre, list(wide.columns), alpha=alpha)
        extras["conformal_periods"] = cf["periods"]
        extras["conformal_average"] = cf["average"]
        p_value, lo, hi, se = cf["average"]["p_value"], cf["average"]["conf_low"], cf["average"]["conf_high"], np.nan
        inference = (f"conformal (Chernozhukov, Wüthrich & Zhu 2021): sharp null of no effect, moving-block "
                     f"permutations over {len(wide.columns)} periods; interval for a constant effect")
        if not np.isfinite(lo):
            notes.append(f"conformal: with {len(wide.columns)} periods the smallest attainable p-value is "
                         f"1/{len(wide.columns)}: no {1 - alpha:.0%} interval")
        if cf["average"]["hull"]:
            notes.append("conformal: the effects not rejected do not form one interval; the interval shown is their "
                         "hull")
    att = fit.att
    if inference_choice == "conformal":
        # the estimate belongs to the test it is shown with: the average post-reform gap of the model the
        # conformal test inverts; the estimator's own (V-weighted predictors, post_weights) is kept beside it
        att = float(cf["average"]["estimate"])
        extras["estimator_estimate"] = fit.att
        if not np.isclose(att, fit.att, rtol=1e-6, atol=1e-9):
            notes.append(f"conformal: the estimate {att:.4g} is the average post-reform gap of the model the test "
                         f"inverts (the synthetic control fitted to the outcomes); the estimator's own, with its "
                         f"predictors and V, is {fit.att:.4g} (extras['estimator_estimate'])")
    tidy = pd.DataFrame([dict(term="ATT", estimate=att, std_error=se, conf_low=lo, conf_high=hi,
                              p_value=p_value, inference=inference, n_obs=int(Y.size), n_treated_units=1,
                              n_control_units=len(donors))])
    method = ("penalised " if penalty > 0 else "") + ("demeaned " if demean else "") + "synthetic control"
    if penalty > 0:
        notes.append(f"penalised synthetic control (Abadie & L'Hour 2021), penalty {penalty:g}")
    if demean:
        notes.append("demeaned synthetic control (Ferman & Pinto 2021): outcomes minus each unit's pre-period mean")
    return EstimateResult(method, outcome, tidy, notes, extras)
