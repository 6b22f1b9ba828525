"""Synthetic difference-in-differences (Arkhangelsky, Athey, Hirshberg, Imbens & Wager 2021).

Unit weights omega and time weights lambda solve the regularised problems of the
paper (and of the reference R package synthdid):

  omega: min ||A omega - b||^2 + T0 zeta_omega^2 ||omega||^2, omega in the simplex,
         A = pre-period control outcomes (time x unit), b = the treated units' mean
         pre-period path, both demeaned over time (the intercept);
         zeta_omega = (N_tr T_post)^(1/4) sd(first differences of control pre outcomes)
  lambda: min ||A lambda - b||^2 + N0 zeta_lambda^2 ||lambda||^2, lambda in the simplex,
         A = control pre outcomes (unit x time), b = their post-period means, demeaned
         over units; zeta_lambda = 1e-6 x the same noise level.

The R package solves both by Frank-Wolfe with an early sparsification step; here the
strictly convex problems are solved to optimality (Lawson-Hanson NNLS with the
adding-up constraint as a heavily weighted row).  The tests compare the estimate for
California's Proposition 99 with the paper's -15.6 and with synthdid-py.

Inference: placebo standard errors (synthdid's vcov method 'placebo'): controls are
repeatedly assigned the treated role at random.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.estimators._panel import post_period_weights, wide_panel
from evaluation.estimators.results import EstimateResult
from evaluation.estimators.synthetic_control import simplex_weights


def _ridge_simplex(A: np.ndarray, b: np.ndarray, eta: float) -> np.ndarray:
    """argmin ||A x - b||^2 + eta ||x||^2 over the simplex (A, b already demeaned): the
    synthetic-control inner problem on rows augmented with sqrt(eta) I."""
    n = A.shape[1]
    if eta > 0:
        A = np.vstack([A, np.sqrt(eta) * np.eye(n)])
        b = np.concatenate([b, np.zeros(n)])
    return simplex_weights(A, b)


def sdid_weights(Y: np.ndarray, N0: int, T0: int, post_weights: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray, float]:
    """Unit weights, time weights and the estimate for Y (units x periods), controls first.

    post_weights: weights of the post periods (summing to one) in the estimate and in the target of the time
    weights; default equal, as synthdid.  The unit weights' regularisation counts the post periods as the
    weights' effective number, 1 / sum(w^2) (T1 when equal, 1 when one period has all the weight)."""
    N, T = Y.shape
    pw = np.full(T - T0, 1.0 / (T - T0)) if post_weights is None else np.asarray(post_weights, float)
    N1, T1 = N - N0, 1.0 / float(np.sum(pw**2))
    noise = float(np.std(np.diff(Y[:N0, :T0], axis=1), ddof=1))
    zeta_omega = (N1 * T1) ** 0.25 * noise
    zeta_lambda = 1e-6 * noise
    # time weights
    A = Y[:N0, :T0]
    b = Y[:N0, T0:] @ pw
    lam = _ridge_simplex(A - A.mean(axis=0), b - b.mean(), N0 * zeta_lambda**2)
    # unit weights
    A = Y[:N0, :T0].T
    b = Y[N0:, :T0].mean(axis=0)
    omega = _ridge_simplex(A - A.mean(axis=0), b - b.mean(), T0 * zeta_omega**2)
    tr_post, tr_pre = Y[N0:, T0:].mean(axis=0) @ pw, Y[N0:, :T0].mean(axis=0) @ lam
    co_post, co_pre = Y[:N0, T0:] @ pw, Y[:N0, :T0] @ lam
    tau = (tr_post - tr_pre) - omega @ (co_post - co_pre)
    return omega, lam, float(tau)


def covariate_array(data: pd.DataFrame, unit: str, time: str, covariates: list[str], wide: pd.DataFrame,
                    name: str = "synthetic_did") -> np.ndarray:
    """units x periods x covariates, in the order of ``wide``'s rows and columns; a missing or non-finite
    value is an error naming the covariate, unit and period."""
    out = []
    for c in covariates:
        if c not in data.columns:
            raise ValueError(f"{name}: covariate {c!r} is not in the data (it has {list(data.columns)[:15]})")
        x = data.pivot(index=unit, columns=time, values=c).reindex(index=wide.index, columns=wide.columns)
        bad = ~np.isfinite(x.to_numpy(dtype=float))
        if bad.any():
            i, j = np.argwhere(bad)[0]
            u, p = (v.item() if isinstance(v, np.generic) else v for v in (x.index[i], x.columns[j]))
            raise ValueError(f"{name}: covariate {c!r} is missing or not finite for {unit}={u!r}, "
                             f"{time}={p!r}; every unit and period used needs a value")
        out.append(x.to_numpy(dtype=float))
    return np.stack(out, axis=2)


def covariate_coefficients(Y: np.ndarray, X: np.ndarray, untreated: np.ndarray) -> np.ndarray:
    """beta of ``Y_it = a_i + b_t + X_it beta + e_it`` fitted by least squares on the untreated cells only
    (the residualisation of Arkhangelsky et al. 2021, section 6: synthetic DiD is then applied to
    Y - X beta).  Y: units x periods; X: units x periods x covariates; untreated: boolean units x periods."""
    N, T, C = X.shape
    i, t = np.nonzero(untreated)
    D = np.zeros((len(i), N + T - 1 + C))
    D[np.arange(len(i)), i] = 1.0
    later = t > 0  # period dummies without the first (the unit dummies carry the level)
    D[np.flatnonzero(later), N + t[later] - 1] = 1.0
    D[:, N + T - 1:] = X[i, t, :]
    coef, *_ = np.linalg.lstsq(D, Y[i, t], rcond=None)
    beta = coef[N + T - 1:]
    # a covariate constant within units or periods is absorbed by the fixed effects: no coefficient
    Xr = D[:, N + T - 1:] - D[:, :N + T - 1] @ np.linalg.lstsq(D[:, :N + T - 1], D[:, N + T - 1:], rcond=None)[0]
    if np.any(np.sum(Xr**2, axis=0) < 1e-10 * np.maximum(np.sum(D[:, N + T - 1:] ** 2, axis=0), 1e-300)):
        raise ValueError("synthetic_did: a covariate does not vary within units and periods once the unit and "
                         "period effects are taken out (it is absorbed by them); drop it")
    return beta


def synthetic_did(
    data: pd.DataFrame,
    unit: str,
    time: str,
    outcome: str,
    treated_unit,
    treatment_time,
    replications: int = 200,
    seed: int = 12345,
    alpha: float = 0.05,
    size: str | None = None,
    sampling_var: str | None = None,
    contrast_variance=None,
    post_weights: str | None = None,
    covariates: list[str] | None = None,
    inference: str = "placebo",
) -> EstimateResult:
    """SDiD for one treated unit (or a list of units treated at the same time).

    size: a column with the number of persons behind each unit's outcome (e.g. the
    municipality's target group).  With one treated unit and sizes given, every
    control takes the treated role once and the placebo estimates are normalised
    for size (Ferman & Pinto 2019, evaluation.inference): small noisy controls no
    longer inflate the standard error of a large treated unit.  Otherwise: synthdid's
    placebo standard error from ``replications`` random placebo assignments.

    sampling_var: a column with each unit-period mean's sampling variance (periods taken as
    independent); contrast_variance: f(unit, {period: weight}) -> the sampling variance of that
    weighted sum of the unit's means (e.g. from a fixed cohort's persons), used instead when given.

    post_weights: column whose treated-unit values weight the post periods (e.g. its persons per year: the
    person-weighted average effect); the time weights then target the same weighted post-period mean of the
    controls.  Default equal weights, as synthdid.

    covariates: unit-period columns whose part of the outcome is taken out before the weights are fitted, as
    Arkhangelsky et al. (2021, section 6) propose: beta from a two-way fixed-effects regression of the outcome
    on them over the untreated cells (every control period and the treated units' pre-periods), then synthetic
    DiD on ``outcome - covariates @ beta``.  Each placebo refits beta with its own post-periods left out.  The
    result's extras hold ``beta``; its path is of the residualised outcome.  (R synthdid's default with
    covariates fits beta jointly with the weights; the residualised estimator is the paper's simpler
    recommendation.)

    inference: "placebo" (default: the placebos above) or "conformal" (Chernozhukov, Wüthrich & Zhu 2021, one
    treated unit; :mod:`evaluation.estimators.conformal` with synthetic DiD's unit-weight model, its intercept
    and its regularisation): the p-value of the sharp null of no effect and the interval of a constant effect
    replace the placebo ones (the placebos still run, for the figures), and the estimate is that model's
    average post-reform gap (the time weights have no place in a test that treats every period alike;
    synthetic DiD's own estimate is in extras['estimator_estimate']); per-period intervals in
    extras['conformal_periods'], unavailable where 1 / (T0 + 1) > alpha.  With covariates the test runs on the
    residualised outcome, beta taken as fitted (not refitted under each hypothesis).

    Examples
    --------
    >>> from evaluation import synthetic_did
    >>> from evaluation.datasets import example_means
    >>> res = synthetic_did(example_means(), "kom", "year", "y", 0, 2015, size="n")
    >>> round(float(res.tidy().estimate.iloc[0]), 1)
    5.9
    """
    treated = list(treated_unit) if isinstance(treated_unit, (list, tuple, set)) else [treated_unit]
    wide, pre, post = wide_panel(data, unit, time, outcome, treated[0], treatment_time, min_pre=2,
                                 name="synthetic_did")
    missing = [u for u in treated if u not in wide.index]
    if missing:
        raise ValueError(f"synthetic_did: treated unit(s) {missing} are not in the data")
    controls = [u for u in wide.index if u not in set(treated)]
    if len(controls) < 2:
        raise ValueError("synthetic_did: fewer than two control units left")
    if inference not in ("placebo", "conformal"):
        raise ValueError(f"synthetic_did: inference must be 'placebo' or 'conformal', not {inference!r}")
    if inference == "conformal" and len(treated) != 1:
        raise ValueError(f"synthetic_did: conformal inference needs one treated unit, not {len(treated)}")
    Yraw = wide.loc[controls + treated].to_numpy(dtype=float)
    N0, T0 = len(controls), len(pre)
    N1 = len(treated)
    X, beta = None, None
    if covariates:
        X = covariate_array(data, unit, time, list(covariates), wide.loc[controls + treated])
        untreated = np.ones(Yraw.shape, dtype=bool)
        untreated[N0:, T0:] = False
        beta = covariate_coefficients(Yraw, X, untreated)
        Y = Yraw - X @ beta
    else:
        Y = Yraw
    pw = post_period_weights(data, unit, time, treated[0], post, post_weights, "synthetic_did")
    omega, lam, tau = sdid_weights(Y, N0, T0, pw)

    def placebo_matrix(order: list[int], n_treated: int) -> np.ndarray:
        """The controls in ``order`` (the last ``n_treated`` take the treated role), residualised with beta
        refitted on their own untreated cells."""
        if X is None:
            return Y[:N0][order]
        Yo, Xo = Yraw[:N0][order], X[:N0][order]
        un = np.ones(Yo.shape, dtype=bool)
        un[len(order) - n_treated:, T0:] = False
        return Yo - Xo @ covariate_coefficients(Yo, Xo, un)

    notes = []

    def _result(tidy: pd.DataFrame, extras: dict) -> EstimateResult:
        """The result, with the conformal test and intervals in place of the placebo ones when asked."""
        if inference == "conformal":
            from evaluation.estimators.conformal import conformal

            T1 = 1.0 / float(np.sum(pw**2))
            zeta = T1**0.25 * float(np.std(np.diff(Y[:N0, :T0], axis=1), ddof=1))
            cf = conformal(np.vstack([Y[N0:], Y[:N0]]).T, T0, list(wide.columns), alpha=alpha, zeta=zeta)
            extras = {**extras, "conformal_periods": cf["periods"], "conformal_average": cf["average"]}
            av = cf["average"]
            # the estimate belongs to the test it is shown with (see the note)
            extras["estimator_estimate"] = tau
            notes.append(f"conformal: the estimate {av['estimate']:.4g} is the average post-reform gap of the model "
                         f"the test inverts (synthetic DiD's unit weights with an intercept, levelled on the "
                         f"pre-reform mean, as the test must treat every period alike); synthetic DiD's own, with its "
                         f"time weights, is {tau:.4g} (extras['estimator_estimate'])")
            tidy = tidy.assign(estimate=av["estimate"], std_error=np.nan, conf_low=av["conf_low"],
                               conf_high=av["conf_high"],
                               p_value=av["p_value"],
                               inference=("conformal (Chernozhukov, Wüthrich & Zhu 2021) with synthetic DiD's unit "
                                          "weights: sharp null of no effect, moving-block permutations over "
                                          f"{len(wide.columns)} periods; interval for a constant effect"))
            if av["hull"]:
                notes.append("conformal: the effects not rejected do not form one interval (the intercept absorbs "
                             "part of a constant effect); the interval shown is their hull")
            if not np.isfinite(av["conf_low"]):
                notes.append(f"conformal: with {len(wide.columns)} periods the smallest attainable p-value is "
                             f"1/{len(wide.columns)}: no {1 - alpha:.0%} interval")
        return EstimateResult("synthetic DiD", outcome, tidy, notes, extras)

    if N0 <= N1:
        raise ValueError("synthetic_did: placebo standard errors need more controls than treated units")
    extras_common = {
        "unit_weights": pd.Series(omega, index=pd.Index(controls, name=unit), name="omega"),
        "time_weights": pd.Series(lam, index=pd.Index(pre, name=time), name="lambda"),
        "path": pd.DataFrame({time: wide.columns, "treated": Y[N0:].mean(axis=0), "synthetic": omega @ Y[:N0]}),
    }
    if covariates:
        extras_common["beta"] = pd.Series(beta, index=pd.Index(list(covariates), name="covariate"), name="beta")
        notes.append(f"covariates {list(covariates)} taken out before the weights (beta "
                     + ", ".join(f"{b:.4g}" for b in beta) + "; fitted on the untreated cells, refitted per placebo)")
    if size is not None and N1 == 1:
        from evaluation.inference import placebo_inference

        if size not in data.columns:
            raise ValueError(f"synthetic_did: size column {size!r} is not in the data")
        n_unit = data.groupby(unit)[size].mean()
        draws, omegas = [], []
        for j in range(N0):
            order = [i for i in range(N0) if i != j] + [j]
            om, _, tj = sdid_weights(placebo_matrix(order, 1), N0 - 1, T0, pw)
            draws.append(tj)
            omegas.append((order[:-1], om))
        draws = np.asarray(draws)
        v_kw = {}
        if contrast_variance is not None:
            # each unit's contrast (post mean minus lambda-weighted pre periods) from its persons' own
            # contrasts: the same persons' correlation across years is respected
            a = dict(zip(pre + post, np.concatenate([-lam, pw])))
            cv = {u: float(contrast_variance(u, a)) for u in controls + treated[:1]}
            svc = np.array([cv[u] for u in controls])
            v_t = float(cv[treated[0]] + np.sum(omega**2 * svc))
            v_p = np.array([svc[j] + np.sum(om**2 * svc[idx]) for j, (idx, om) in enumerate(omegas)])
            v_kw = dict(v_treated=v_t, v_placebo=v_p)
        elif sampling_var is not None:
            # variance of each unit's contrast: post mean minus lambda-weighted pre periods (the
            # treated fit's lambda is used for every unit: an approximation)
            a = np.concatenate([-lam, pw])
            V = data.pivot(index=unit, columns=time, values=sampling_var).reindex(columns=pre + post)
            sv = pd.Series((V.to_numpy() * a**2).sum(axis=1), index=V.index)
            svc = sv.reindex(controls).to_numpy()
            # the estimate's variance: the unit's own contrast plus the omega-weighted controls'
            v_t = float(sv[treated[0]] + np.sum(omega**2 * svc))
            v_p = np.array([svc[j] + np.sum(om**2 * svc[idx]) for j, (idx, om) in enumerate(omegas)])
            v_kw = dict(v_treated=v_t, v_placebo=v_p)
        # SDiD fits its weights to the noise of the unit it treats, so a noisy placebo's error exceeds its
        # sampling variance: the scale of the sampling part is estimated (inference.between_variance_scaled)
        inf = placebo_inference(tau, draws, float(n_unit[treated[0]]), n_unit.reindex(controls).to_numpy(),
                                alpha=alpha, scale_sampling=True, **v_kw)
        tidy = pd.DataFrame([dict(term="ATT", estimate=tau, std_error=inf.std_error, conf_low=inf.conf_low,
                                  conf_high=inf.conf_high, p_value=inf.p_value, inference=inf.method,
                                  n_obs=int(Y.size), n_treated_units=N1, n_control_units=N0)])
        return _result(tidy, {**extras_common, "placebo_estimates": draws})
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(int(replications)):
        idx = rng.permutation(N0)
        Yp = placebo_matrix(list(np.concatenate([idx[N1:], idx[:N1]])), N1)
        draws.append(sdid_weights(Yp, N0 - N1, T0, pw)[2])
    draws = np.asarray(draws)
    r = len(draws)
    se = float(np.sqrt((r - 1) / r) * np.std(draws, ddof=1)) if r > 1 else np.nan
    z = stats.norm.ppf(1 - alpha / 2)
    p = float(2 * (1 - stats.norm.cdf(abs(tau / se)))) if se > 0 else np.nan
    tidy = pd.DataFrame([dict(term="ATT", estimate=tau, std_error=se, conf_low=tau - z * se, conf_high=tau + z * se,
                              p_value=p, inference=f"placebo standard error ({r} replications, seed {seed})",
                              n_obs=int(Y.size), n_treated_units=N1, n_control_units=N0)])
    return _result(tidy, {**extras_common, "placebo_estimates": draws})
