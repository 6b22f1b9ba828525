"""Propensity-score matched difference-in-differences of persons (in the spirit of
Ravn & Nielsen 2019): each treated person is matched to the nearest comparison
persons on the propensity score of pre-period histories and characteristics; the
effect is the mean post-minus-pre change of the treated minus that of their matches
(Heckman, Ichimura & Todd 1997).  Inference: placebo in space over municipalities,
each placebo municipality's persons matched to persons elsewhere in the same way,
normalised by within-municipality variance (evaluation.inference)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from evaluation.estimators.results import EstimateResult
from evaluation.inference import placebo_inference


def _contrasts(d, yname, tname, idname, post):
    m = d.groupby([idname, d[post].astype(bool)])[yname].mean().unstack()
    return (m[True] - m[False]).dropna()


def _match(X: pd.DataFrame, treat: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Weights of comparison persons from k-nearest-neighbour matching (with
    replacement) on the logit propensity score."""
    Xc = sm.add_constant(X.to_numpy(float), has_constant="add")
    Xc = (Xc - np.r_[0, Xc[:, 1:].mean(axis=0)]) / np.r_[1, Xc[:, 1:].std(axis=0) + 1e-12]
    fit = sm.Logit(treat.astype(float), Xc).fit(disp=0, method="lbfgs", maxiter=200)
    ps = Xc @ fit.params
    ctrl = np.flatnonzero(~treat)
    order = np.argsort(ps[ctrl])
    sorted_ps = ps[ctrl][order]
    w = np.zeros(len(treat))
    for i in np.flatnonzero(treat):
        j = np.searchsorted(sorted_ps, ps[i])
        lo, hi = max(0, j - k), min(len(sorted_ps), j + k)
        cand = np.arange(lo, hi)
        best = cand[np.argsort(np.abs(sorted_ps[cand] - ps[i]))[:k]]
        w[ctrl[order[best]]] += 1.0 / k
    return w, ps


def _matched_effect(per: pd.DataFrame, c: pd.Series, treat_mask, covs, k):
    X = per.loc[c.index, covs]
    t = treat_mask.reindex(c.index).to_numpy()
    w, _ = _match(X, t, k)
    cc = c.to_numpy()
    est = cc[t].mean() - np.average(cc[~t], weights=w[~t])
    # sampling variance: treated mean + weighted control mean
    v = cc[t].var(ddof=1) / t.sum() + np.sum(w[~t] ** 2 * (cc[~t] - np.average(cc[~t], weights=w[~t])) ** 2) / w[~t].sum() ** 2
    return float(est), float(v)


def matched_did(
    data: pd.DataFrame,
    yname: str,
    tname: str,
    idname: str,
    treated: str,
    post: str,
    gname: str,
    covariates: list[str],
    k: int = 5,
    alpha: float = 0.05,
    placebo: bool = True,
) -> EstimateResult:
    """covariates: person-level columns (constant within person, e.g. pre-period
    outcomes by year, age at baseline, education)."""
    for c in [yname, tname, idname, treated, post, gname] + covariates:
        if c not in data.columns:
            raise ValueError(f"matched_did: column {c!r} is not in the data")
    per = data.groupby(idname)[covariates + [gname, treated]].first()
    if per[covariates].isna().any().any():
        bad = per[covariates].isna().any().idxmax()
        raise ValueError(f"matched_did: covariate {bad!r} is missing for some persons")
    c = _contrasts(data, yname, tname, idname, post)
    per = per.loc[c.index]
    tmask = per[treated].astype(bool)
    if tmask.sum() < 2:
        raise ValueError("matched_did: fewer than two treated persons observed before and after")
    est, v_t = _matched_effect(per, c, tmask, covariates, k)
    notes, extras = [], {}
    if placebo:
        ctrl = per[~tmask]
        cc = c.loc[ctrl.index]
        ests, vs, sizes = [], [], []
        for g in sorted(ctrl[gname].unique()):
            m = ctrl[gname] == g
            if m.sum() < 2:
                continue
            e, v = _matched_effect(ctrl, cc, m, covariates, k)
            ests.append(e), vs.append(v), sizes.append(int(m.sum()))
        inf = placebo_inference(est, np.array(ests), tmask.sum(), np.array(sizes), alpha=alpha, v_treated=v_t,
                                v_placebo=np.array(vs))
        se, lo, hi, p, method = inf.std_error, inf.conf_low, inf.conf_high, inf.p_value, inf.method
        extras["placebo_estimates"] = np.array(ests)
    else:
        se = np.sqrt(v_t)
        lo, hi, p, method = est - 1.96 * se, est + 1.96 * se, np.nan, "none"
    tidy = pd.DataFrame([dict(term="ATT", estimate=est, std_error=se, conf_low=lo, conf_high=hi, p_value=p,
                              inference=method, n_obs=int(len(c)), n_treated_units=1,
                              n_control_units=int(per.loc[~tmask, gname].nunique()))])
    return EstimateResult("matched DiD (propensity score)", yname, tidy, notes, extras)
