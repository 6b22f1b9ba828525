"""Factor models for one treated unit: each unit's own response to common shocks (the business
cycle among them) is learnt from the pre-reform years and projected forward.

Both estimators fit, on the comparison units' complete panel, the model

    Y_it = mu + alpha_i + xi_t + lambda_i' F_t + e_it

and then, on the treated unit's pre-reform years only, its intercept and loadings; its untreated
path after the reform is ``mu + xi_t + alpha_1 + lambda_1' F_t``.

``interactive_fe``
    generalised synthetic control / interactive fixed effects (Xu 2017, "Generalized Synthetic
    Control Method", Political Analysis 25(1); R package gsynth): the factors F are the first r
    principal components of the comparison units' two-way demeaned outcomes (for a balanced panel
    this is the least-squares interactive-fixed-effects solution), r chosen by leave-one-out
    cross-validation over the treated unit's pre-reform years (gsynth's ``CV = TRUE``).
``interactive_fe`` with ``covariates``
    the same with time-varying covariates X_it (gsynth's ``X``, Xu 2017, section 3.1):
    ``Y_it = mu + alpha_i + xi_t + X_it' beta + lambda_i' F_t + e_it``, beta and the factors estimated
    together on the comparison units' panel by Bai's (2009, "Panel data models with interactive fixed
    effects", Econometrica 77(4)) alternating least squares; the treated unit's loadings are then fitted
    to its pre-reform ``Y - X beta``.  The covariate carries what it measures of each unit's cycle in
    every year, the reform years included (a cross-section of comparison units' responses, not the
    treated unit's pre-reform years, sets beta); the factors whatever common structure is left.  A
    covariate the reform itself moves is a bad control: its change in the treated unit is attributed to
    the cycle.
``cycle_slopes``
    difference-in-differences with unit-specific cycle slopes: the factors are given, e.g. the
    national unemployment rate and its lags, so every unit responds to the cycle with its own
    coefficients; an explicit, explainable special case of the above.

What they assume instead of parallel trends: the treated unit's untreated outcome follows the same
low-dimensional common factors as the comparison units, with loadings that did not change at the
reform, and enough pre-reform years to estimate them (at least the number of factors + 2).

Inference (one treated unit): placebo in space. Every comparison unit in turn takes the treated
role and the whole procedure, cross-validation included, is rerun on the other comparison units;
the estimates are normalised by their sampling variance (``evaluation.inference``, Ferman & Pinto
2019). The sampling variance of each unit's estimate is that of the linear contrast the estimator
applies to the unit's yearly means; with ``contrast_variance`` (a function of the unit and the
contrast's weights per period, e.g. computed from the persons of a fixed cohort) the correlation of
the same persons' outcomes across years is respected, otherwise years are taken as independent
(``sampling_var``: the variance of each unit-period mean).  With covariates, beta's estimation error
moves each unit's estimate by ``(a @ (x_i - mean of the other units' x)) (beta_hat - beta)``: small for a
placebo whose covariate moved as the others' did, large for a treated unit whose covariate changed far
more (a municipality whose unemployment rides the cycle harder).  Its variance, from beta's jackknife over
the comparison units (the placebo fits already leave each one out), is added to every unit's sampling
variance; without it the test rejected a true null in 15 % of panels where the treated unit's covariate
rode the cycle 2.5 times as hard (tests/estimators/test_factor.py; benchmarks/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from evaluation.estimators._panel import post_period_weights, wide_panel
from evaluation.estimators.results import EstimateResult


@dataclass
class _Projection:
    counterfactual: np.ndarray  # (T,) untreated path of the unit
    contrast: np.ndarray  # (T,) weights a_t with effect_post_avg = a @ y_unit + const(controls)
    effects: np.ndarray  # (T,) y - counterfactual
    att: float
    r: int
    cv_mspe: dict
    P_post: np.ndarray  # (T - T0, T0): each post period's counterfactual deviation from the pre deviations
    beta: np.ndarray | None = None  # the covariates' coefficients (None without covariates)
    converged: bool = True  # the alternating least squares of the covariate model converged

    def period_contrast(self, k: int) -> np.ndarray:
        """Weights on the unit's own periods of the effect in post period k."""
        T0 = self.P_post.shape[1]
        a = np.zeros(len(self.contrast))
        a[T0 + k] = 1.0
        a[:T0] = -self.P_post[k]
        return a


def _factors_from_controls(Y0: np.ndarray, r: int) -> np.ndarray:
    """First r principal components (T x r, columns of norm sqrt(T)) of the two-way demeaned
    comparison panel Y0 (units x periods)."""
    if r == 0:
        return np.zeros((Y0.shape[1], 0))
    R = Y0 - Y0.mean(axis=1, keepdims=True) - Y0.mean(axis=0, keepdims=True) + Y0.mean()
    _, s, vt = np.linalg.svd(R, full_matrices=False)
    F = vt[:r].T * np.sqrt(Y0.shape[1])
    # a deterministic sign: the largest absolute entry of each factor positive
    sign = np.sign(F[np.abs(F).argmax(axis=0), np.arange(F.shape[1])])
    return F * np.where(sign == 0, 1.0, sign)


def _two_way_demean(A: np.ndarray) -> np.ndarray:
    """A (units x periods) minus its unit and period means."""
    return A - A.mean(axis=1, keepdims=True) - A.mean(axis=0, keepdims=True) + A.mean()


def _covariate_fit(Y0: np.ndarray, X0: np.ndarray, r: int, tol: float = 1e-10,
                   max_iter: int = 2000) -> tuple[np.ndarray, np.ndarray, bool]:
    """beta (K,) and r factors (T x r) of ``Y = mu + alpha_i + xi_t + X beta + Lambda F' + e`` on the comparison
    panel Y0 (N0 x T) with covariates X0 (N0 x T x K): two-way fixed-effects least squares for r = 0, else
    Bai's (2009) alternating least squares from that start (factors: principal components of the two-way
    demeaned Y - X beta; beta: least squares of the two-way demeaned Y - Lambda F' on the demeaned X)."""
    N0, T, K = X0.shape
    Xd = np.column_stack([_two_way_demean(X0[:, :, k]).ravel() for k in range(K)])
    Yd = _two_way_demean(Y0)
    beta = np.linalg.lstsq(Xd, Yd.ravel(), rcond=None)[0]
    if r == 0:
        return beta, np.zeros((T, 0)), True
    converged = False
    for _ in range(max_iter):
        F = _factors_from_controls(Y0 - X0 @ beta, r)
        L = _two_way_demean(Y0 - X0 @ beta) @ F / T  # loadings (F'F / T = I)
        new = np.linalg.lstsq(Xd, (Yd - L @ F.T).ravel(), rcond=None)[0]
        step = float(np.max(np.abs(new - beta)))
        beta = new
        if step <= tol * (1.0 + float(np.max(np.abs(beta)))):
            converged = True
            break
    return beta, _factors_from_controls(Y0 - X0 @ beta, r), converged


def _beta_variance(betas: list) -> np.ndarray:
    """Jackknife variance (K x K) of the covariates' coefficients from their leave-one-unit-out estimates."""
    B = np.asarray(betas, dtype=float)
    D = B - B.mean(axis=0)
    return (len(B) - 1) / len(B) * (D.T @ D)


def _loo_mspe(dev_pre: np.ndarray, Xpre: np.ndarray) -> float:
    """Leave-one-out mean squared prediction error of the treated unit's pre-period deviations
    regressed on Xpre (an intercept and the factors): the hat-matrix shortcut."""
    H = Xpre @ np.linalg.pinv(Xpre)
    resid = dev_pre - H @ dev_pre
    lev = np.clip(1 - np.diag(H), 1e-12, None)
    return float(np.mean((resid / lev) ** 2))


def _project(y: np.ndarray, Y0: np.ndarray, T0: int, post_w: np.ndarray, factors: np.ndarray | None,
             max_factors: int, r_fixed: int | None, x: np.ndarray | None = None,
             X0: np.ndarray | None = None) -> _Projection:
    """Counterfactual for unit y (T,) from comparison panel Y0 (N0 x T): known ``factors`` (T x k),
    or r estimated factors (r_fixed, or chosen by leave-one-out CV in 0..max_factors).  With covariates
    (x: T x K of the unit, X0: N0 x T x K of the comparison units) each r has its own beta, estimated with
    the factors on the comparison units (``_covariate_fit``), and the unit's ``y - x beta`` is projected."""
    T = len(y)
    cands = {}
    fits = {}  # r -> (beta, converged)
    if factors is not None:
        options = {factors.shape[1]: factors - factors[:T0].mean(axis=0)}
    else:
        top = min(max_factors, T0 - 3, Y0.shape[0] - 1)
        rs = [r_fixed] if r_fixed is not None else list(range(0, max(top, 0) + 1))
        if X0 is None:
            F_all = _factors_from_controls(Y0, max(rs))
            options = {r: F_all[:, :r] for r in rs}
        else:
            options = {}
            for r in rs:
                b, F, ok = _covariate_fit(Y0, X0, r)
                options[r], fits[r] = F, (b, ok)

    def adjusted(r: int) -> tuple[np.ndarray, np.ndarray]:
        """y and Y0 less the covariates' part under r factors' beta."""
        if X0 is None:
            return y, Y0
        b = fits[r][0]
        return y - x @ b, Y0 - X0 @ b

    for r, F in options.items():
        X = np.column_stack([np.ones(T), F])
        if X[:T0].shape[0] < X.shape[1] + 1:
            continue
        ya, Ya = adjusted(r)
        cands[r] = _loo_mspe((ya - Ya.mean(axis=0))[:T0], X[:T0])
    if not cands:
        raise ValueError(f"{T0} pre-reform periods are too few for the factors asked for")
    r = min(cands, key=lambda k: (round(cands[k], 12), k))
    F = options[r]
    ya, Ya = adjusted(r)
    c = Ya.mean(axis=0)  # mu + xi_t (controls' loadings average to zero on demeaned factors)
    dev = ya - c
    X = np.column_stack([np.ones(T), F])
    P = X @ np.linalg.pinv(X[:T0])  # (T x T0): fitted/projected deviations from pre deviations
    cf = c + P @ dev[:T0] + (y - ya)  # the covariates' part of the unit's own path added back
    eff = y - cf
    # the post-average effect is linear in y: a = post weights - (post weights @ P) on the pre periods
    a = np.zeros(T)
    a[T0:] = post_w
    a[:T0] -= post_w @ P[T0:]
    b, ok = fits.get(r, (None, True))
    return _Projection(cf, a, eff, float(post_w @ eff[T0:]), r, cands, P[T0:], b, ok)


def _covariate_panel(data, unit, time, covariates: list[str], wide: pd.DataFrame, name: str) -> np.ndarray:
    """Units x periods x covariates, in the order of ``wide``; a clear error for a missing or constant one."""
    out = []
    for c in covariates:
        if c not in data.columns:
            raise ValueError(f"{name}: covariate {c!r} is not in the data (it has {list(data.columns)[:15]})")
        w = data.pivot(index=unit, columns=time, values=c).reindex(index=wide.index, columns=wide.columns)
        if w.isna().any().any():
            first = w.stack(future_stack=True).loc[lambda v: v.isna()].index[0]
            u, p = (v.item() if hasattr(v, "item") else v for v in first)  # numpy scalars as plain values
            raise ValueError(f"{name}: covariate {c!r} is missing for {unit}={u!r}, {time}={p!r}")
        A = w.to_numpy(float)
        if np.allclose(_two_way_demean(A[1:]), 0.0):
            raise ValueError(f"{name}: covariate {c!r} varies only by unit or by period among the comparison units: "
                             "the unit and period effects absorb it and its coefficient is not identified")
        out.append(A)
    return np.stack(out, axis=2)


def _factor_model(data, unit, time, outcome, treated_unit, treatment_time, *, factors, max_factors, r, size,
                  sampling_var, contrast_variance, alpha, method, name, post_weights, covariates=None):
    from evaluation.inference import placebo_inference

    wide, pre, post = wide_panel(data, unit, time, outcome, treated_unit, treatment_time, min_pre=3, name=name)
    units = list(wide.index)
    controls = units[1:]
    if len(controls) < 3:
        raise ValueError(f"{name}: {len(controls)} comparison unit(s); at least 3 are needed")
    covariates = list(covariates or [])
    if covariates and factors is not None:
        raise ValueError(f"{name}: covariates are available for interactive_fe only (cycle_slopes' regressors are "
                         "its cycle series)")
    XC = _covariate_panel(data, unit, time, covariates, wide, name) if covariates else None
    Y = wide.to_numpy(float)
    T0, T = len(pre), Y.shape[1]
    pw = post_period_weights(data, unit, time, treated_unit, post, post_weights, name)
    F = None
    if factors is not None:
        F = np.asarray(factors.reindex(wide.columns).to_numpy(float))
        if F.ndim == 1:
            F = F[:, None]
        if np.isnan(F).any():
            bad = [p for p, v in zip(wide.columns, np.isnan(F).any(axis=1)) if v]
            raise ValueError(f"{name}: the factors have no value for periods {bad}")
        if T0 < F.shape[1] + 2:
            raise ValueError(f"{name}: {T0} pre-reform periods; {F.shape[1] + 2} are needed for {F.shape[1]} "
                             "cycle regressor(s), an intercept and one degree of freedom")
    cx = (lambda i: XC[i]) if XC is not None else (lambda i: None)
    main = _project(Y[0], Y[1:], T0, pw, F, max_factors, r, cx(0), XC[1:] if XC is not None else None)
    r_used = main.r if F is None else None
    notes = []
    # placebo in space: every comparison unit in turn, the procedure rerun without it, with the number of
    # factors chosen for the treated unit (as gsynth's inference, conditional on r): re-choosing r per placebo
    # makes the error of small, noisy units larger than a large unit's, which the variance model A + v_g
    # does not carry (tests/estimators/test_factor.py)
    plac_att, plac_eff, plac_a = [], [], []
    for j in range(1, len(units)):
        others = np.delete(Y[1:], j - 1, axis=0)
        x_others = np.delete(XC[1:], j - 1, axis=0) if XC is not None else None
        pj = _project(Y[j], others, T0, pw, F, max_factors, main.r if F is None else None, cx(j), x_others)
        plac_att.append(pj.att)
        plac_eff.append(pj.effects[T0:])
        plac_a.append(pj)
    plac_att = np.asarray(plac_att)
    plac_eff = np.asarray(plac_eff)
    # the covariates' coefficients are estimated: the error of beta moves a unit's estimate by its own covariate
    # path through the contrast, (a @ (x_i - mean of the others' x)) (beta_hat - beta), which is large for a unit
    # whose covariate changed far more than the comparison units' (the treated municipality riding the cycle
    # harder) and small for the placebos; its variance (beta's jackknife over the comparison units, from the
    # placebo fits that already leave each one out) is added to each unit's sampling variance
    beta_var = _beta_variance([pj.beta for pj in plac_a]) if XC is not None else None

    def beta_term(i: int, a: np.ndarray) -> float:
        """Variance that beta's estimation error adds to unit i's (0: treated) contrast a."""
        if beta_var is None:
            return 0.0
        others = np.delete(XC[1:], i - 1, axis=0) if i > 0 else XC[1:]
        g = a @ (XC[i] - others.mean(axis=0))
        return float(g @ beta_var @ g)

    v_kw, v_src = {}, None
    if contrast_variance is not None:
        v_t = float(contrast_variance(treated_unit, dict(zip(wide.columns, main.contrast)))) + beta_term(0, main.contrast)
        v_p = np.array([contrast_variance(u, dict(zip(wide.columns, pj.contrast))) + beta_term(i + 1, pj.contrast)
                        for i, (u, pj) in enumerate(zip(controls, plac_a))])
        v_kw, v_src = dict(v_treated=v_t, v_placebo=v_p), "persons' contrasts"
    elif sampling_var is not None:
        V = data.pivot(index=unit, columns=time, values=sampling_var).reindex(index=units, columns=wide.columns)
        Vn = V.to_numpy(float)
        v_t = float(np.sum(main.contrast**2 * Vn[0])) + beta_term(0, main.contrast)
        v_p = np.array([np.sum(pj.contrast**2 * Vn[i + 1]) + beta_term(i + 1, pj.contrast) for i, pj in enumerate(plac_a)])
        v_kw, v_src = dict(v_treated=v_t, v_placebo=v_p), "yearly means as independent"
    n_unit = data.groupby(unit)[size].mean() if size is not None else None
    if v_kw:
        inf = placebo_inference(main.att, plac_att, alpha=alpha, **v_kw)
    elif n_unit is not None:
        inf = placebo_inference(main.att, plac_att, float(n_unit[treated_unit]),
                                n_unit.reindex(controls).to_numpy(), alpha=alpha)
    else:
        inf = placebo_inference(main.att, plac_att, alpha=alpha, correction="none")
    label = inf.method + (f"; sampling variance from {v_src}" if v_src else "")
    finite = np.isfinite(inf.conf_low) and np.isfinite(inf.conf_high)
    tidy = pd.DataFrame([dict(term="ATT", estimate=main.att, std_error=inf.std_error,
                              conf_low=inf.conf_low if finite else np.nan, conf_high=inf.conf_high if finite else np.nan,
                              p_value=inf.p_value, inference=label, n_obs=int(Y.size),
                              n_treated_units=1, n_control_units=len(controls))])
    # per-period effects with placebo intervals (the sampling variance of each period's own contrast)
    plac_proj = plac_a
    per = []
    for k, p in enumerate(post):
        kw = {}
        if contrast_variance is not None:
            kw = dict(v_treated=float(contrast_variance(treated_unit, dict(zip(wide.columns, main.period_contrast(k)))))
                      + beta_term(0, main.period_contrast(k)),
                      v_placebo=np.array([contrast_variance(u, dict(zip(wide.columns, pj.period_contrast(k))))
                                          + beta_term(i + 1, pj.period_contrast(k))
                                          for i, (u, pj) in enumerate(zip(controls, plac_proj))]))
        elif sampling_var is not None:
            kw = dict(v_treated=float(np.sum(main.period_contrast(k) ** 2 * Vn[0])) + beta_term(0, main.period_contrast(k)),
                      v_placebo=np.array([np.sum(pj.period_contrast(k) ** 2 * Vn[i + 1])
                                          + beta_term(i + 1, pj.period_contrast(k)) for i, pj in enumerate(plac_proj)]))
        try:
            ik = placebo_inference(float(main.effects[T0 + k]), plac_eff[:, k], alpha=alpha,
                                   correction="ferman-pinto" if kw else "none", **kw)
            ok = np.isfinite(ik.conf_low) and np.isfinite(ik.conf_high)
            per.append(dict(period=p, effect=float(main.effects[T0 + k]), conf_low=ik.conf_low if ok else np.nan,
                            conf_high=ik.conf_high if ok else np.nan, p_value=ik.p_value))
        except ValueError:
            per.append(dict(period=p, effect=float(main.effects[T0 + k]), conf_low=np.nan, conf_high=np.nan,
                            p_value=np.nan))
    if not finite:
        notes.append(f"with {inf.n_placebos} comparison units no finite {100 * (1 - alpha):.0f} % interval exists "
                     f"(the smallest attainable p-value is 1/{inf.n_placebos + 1}): the interval is unavailable")
    notes.append(f"between-unit variance of the normalised placebos (maximum likelihood): {inf.between_variance:.4g}")
    if F is None:
        notes.append(f"{main.r} factor(s) chosen by leave-one-out cross-validation over the {T0} pre-reform periods "
                     f"(mean squared prediction error by number of factors: "
                     + ", ".join(f"{k}: {v:.4g}" for k, v in sorted(main.cv_mspe.items())) + ")")
    if covariates:
        se_b = np.sqrt(np.diag(beta_var))
        notes.append("covariates " + ", ".join(f"{c} (coefficient {b:.4g}, jackknife standard error {e:.3g})"
                                               for c, b, e in zip(covariates, main.beta, se_b))
                     + " estimated with the factors on the comparison units (Bai 2009); the placebos re-estimate "
                     "them without the placebo unit"
                     + ("; the coefficients' estimation error at each unit's own covariate path is added to its "
                        "sampling variance" if v_kw else "; with no sampling variance given, the coefficients' "
                        "estimation error is not in the normalisation"))
        if not main.converged or not all(pj.converged for pj in plac_a):
            notes.append("the alternating least squares of the covariate model did not converge in every fit")
    pre_rmspe = float(np.sqrt(np.mean(main.effects[:T0] ** 2)))
    # the comparison units' own change from before the reform to after it (the post periods weighted as the
    # effect is), and its standard error over units: what a stronger response to the common path would scale
    # (evaluation.estimators.excess_cycle)
    own_change = Y[1:, T0:] @ pw - Y[1:, :T0].mean(axis=1)
    extras = {
        "path": pd.DataFrame({time: list(wide.columns), "treated": Y[0], "counterfactual": main.counterfactual,
                              "effect": main.effects, "comparison_mean": Y[1:].mean(axis=0)}),
        # the treated unit's change as its counterfactual projects it (ATT = its own change - this)
        "projected_change": float(main.counterfactual[T0:] @ pw - Y[0, :T0].mean()),
        "comparison_change": {"change": float(own_change.mean()),
                              "std_error": float(own_change.std(ddof=1) / np.sqrt(len(own_change))),
                              "n_units": int(len(own_change))},
        "effects_by_period": pd.DataFrame(per),
        "placebo_estimates": plac_att,
        "n_factors": r_used,
        "covariate_coefficients": dict(zip(covariates, map(float, main.beta))) if covariates else {},
        "cv_mspe": main.cv_mspe,
        "pre_rmspe": pre_rmspe,
    }
    return EstimateResult(method, outcome, tidy, notes, extras)


def interactive_fe(
    data: pd.DataFrame,
    unit: str,
    time: str,
    outcome: str,
    treated_unit,
    treatment_time,
    r: int | None = None,
    max_factors: int = 3,
    size: str | None = None,
    sampling_var: str | None = None,
    contrast_variance: Callable[[object, dict], float] | None = None,
    post_weights: str | None = None,
    alpha: float = 0.05,
    covariates: list[str] | None = None,
) -> EstimateResult:
    """Generalised synthetic control / interactive fixed effects (Xu 2017) for one treated unit.

    Parameters
    ----------
    data : unit-period rows (a balanced panel; donors with missing periods are dropped with a warning)
    unit, time, outcome : column names
    treated_unit, treatment_time : the treated unit and its first treated period
    r : number of factors; None chooses it by leave-one-out cross-validation in 0..max_factors
        (capped at the number of pre-periods - 2)
    size : column of persons behind each unit's outcome (size-normalised placebos when no variances)
    sampling_var : column of each unit-period mean's sampling variance
    contrast_variance : f(unit, {period: weight}) -> sampling variance of sum_t w_t mean_t of the unit;
        overrides sampling_var (use it to respect the same persons' correlation across periods)
    post_weights : column whose treated-unit values weight the post periods in the ATT (e.g. persons)
    covariates : time-varying covariates (columns of ``data``, every unit and period): their coefficients are
        estimated with the factors on the comparison units (gsynth's ``X``; Bai 2009), the treated unit's
        counterfactual includes its own covariates times them

    Returns
    -------
    EstimateResult with tidy() (the post-period ATT), extras['path'] (treated, counterfactual, effect
    per period), extras['effects_by_period'] (with placebo intervals), the number of factors, the
    cross-validation errors and the covariates' coefficients.

    Examples
    --------
    >>> from evaluation import interactive_fe
    >>> from evaluation.datasets import example_means
    >>> res = interactive_fe(example_means(), "kom", "year", "y", 0, 2015, size="n")
    >>> round(float(res.tidy().estimate.iloc[0]), 1)
    5.9
    """
    return _factor_model(data, unit, time, outcome, treated_unit, treatment_time, factors=None,
                         max_factors=max_factors, r=r, size=size, sampling_var=sampling_var,
                         contrast_variance=contrast_variance, alpha=alpha,
                         method="interactive fixed effects (generalised synthetic control)"
                         + (f" with covariates {', '.join(covariates)}" if covariates else ""), name="interactive_fe",
                         post_weights=post_weights, covariates=covariates)


def cycle_slopes(
    data: pd.DataFrame,
    unit: str,
    time: str,
    outcome: str,
    treated_unit,
    treatment_time,
    cycle: pd.Series,
    lags: int = 1,
    size: str | None = None,
    sampling_var: str | None = None,
    contrast_variance: Callable[[object, dict], float] | None = None,
    post_weights: str | None = None,
    alpha: float = 0.05,
) -> EstimateResult:
    """Difference-in-differences with unit-specific cycle slopes.

    Each unit's outcome responds to the national cycle ``cycle`` (a Series indexed by period, e.g.
    the national unemployment rate) and its ``lags`` lags with coefficients of its own:

        Y_it = alpha_i + xi_t + sum_l beta_il cycle_(t-l) + tau D_it

    The treated unit's slopes are estimated on its pre-reform years only (relative to the comparison
    units' mean path) and projected forward.  A lag before the first period takes the first
    period's value.  Needs at least lags + 3 pre-reform periods.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from evaluation import cycle_slopes
    >>> from evaluation.datasets import example_means
    >>> national = pd.Series(np.linspace(6, 4, 10), index=range(2010, 2020))
    >>> res = cycle_slopes(example_means(), "kom", "year", "y", 0, 2015, cycle=national, size="n")
    >>> round(float(res.tidy().estimate.iloc[0]), 1)
    6.0
    """
    if not isinstance(cycle, pd.Series):
        raise ValueError("cycle_slopes: cycle must be a pandas Series indexed by period")
    cols = {}
    periods = sorted(data[time].unique())
    s = cycle.reindex(periods)
    if s.isna().any():
        raise ValueError(f"cycle_slopes: the cycle series has no value for periods {list(s.index[s.isna()])}")
    for lag in range(int(lags) + 1):
        cols[f"lag{lag}"] = s.shift(lag).fillna(s.iloc[0])
    F = pd.DataFrame(cols)
    return _factor_model(data, unit, time, outcome, treated_unit, treatment_time, factors=F, max_factors=0,
                         r=None, size=size, sampling_var=sampling_var, contrast_variance=contrast_variance,
                         alpha=alpha, method=f"DiD with unit-specific cycle slopes ({lags} lag(s))",
                         name="cycle_slopes", post_weights=post_weights)
