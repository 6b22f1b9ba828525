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
from evaluation.inference import moderated_variance, placebo_inference


def _contrasts(d, yname, tname, idname, post):
    m = d.groupby([idname, d[post].astype(bool)])[yname].mean().unstack()
    return (m[True] - m[False]).dropna()


def _match(X: pd.DataFrame, treat: np.ndarray, k: int, caliper: float | None = 0.2,
           who: str = "treated group") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights of comparison persons from k-nearest-neighbour matching (with replacement) on the
    logit propensity score, within ``caliper`` standard deviations of the logit score (Austin 2011;
    None: no caliper), on the common support (treated persons whose score lies outside the
    comparison persons' range are not matched).  Returns (weights, logit score, matched treated)."""
    Xc = sm.add_constant(X.to_numpy(float), has_constant="add")
    Xc = (Xc - np.r_[0, Xc[:, 1:].mean(axis=0)]) / np.r_[1, Xc[:, 1:].std(axis=0) + 1e-12]
    fit = sm.Logit(treat.astype(float), Xc).fit(disp=0, method="lbfgs", maxiter=500)
    ps = Xc @ fit.params
    # the fitted score separates the groups: no comparison person's score within the treated persons' range
    separated = bool(ps[treat].min() > ps[~treat].max() or ps[treat].max() < ps[~treat].min())
    if not fit.mle_retvals.get("converged", False) or not np.isfinite(fit.params).all() or separated:
        raise ValueError(f"matched_did: the propensity-score logit for the {who} did not converge in 500 iterations "
                         f"or separates the groups perfectly ({int(treat.sum())} treated, {int((~treat).sum())} "
                         "comparison persons): the covariates may separate the groups perfectly; drop or coarsen "
                         "some of them")
    ctrl = np.flatnonzero(~treat)
    order = np.argsort(ps[ctrl])
    sorted_ps = ps[ctrl][order]
    width = caliper * float(np.std(ps)) if caliper is not None else np.inf
    w = np.zeros(len(treat))
    matched = np.zeros(len(treat), dtype=bool)
    for i in np.flatnonzero(treat):
        if ps[i] < sorted_ps[0] or ps[i] > sorted_ps[-1]:
            continue  # off the common support
        j = np.searchsorted(sorted_ps, ps[i])
        lo, hi = max(0, j - k), min(len(sorted_ps), j + k)
        cand = np.arange(lo, hi)
        best = cand[np.argsort(np.abs(sorted_ps[cand] - ps[i]))[:k]]
        best = best[np.abs(sorted_ps[best] - ps[i]) <= width]
        if len(best) == 0:
            continue  # no comparison person within the caliper
        w[ctrl[order[best]]] += 1.0 / len(best)
        matched[i] = True
    return w, ps, matched


def _matched_effect(per: pd.DataFrame, c: pd.Series, treat_mask, covs, k, caliper=0.2, who="treated group"):
    X = per.loc[c.index, covs]
    t = treat_mask.reindex(c.index).to_numpy()
    w, _, matched = _match(X, t, k, caliper, who)
    if matched.sum() < 1:
        raise ValueError(f"matched_did: no person of the {who} has a comparison person within the caliper")
    cc = c.to_numpy()
    est = cc[matched].mean() - np.average(cc[~t], weights=w[~t])
    # sampling variance: matched treated mean + weighted control mean; the treated part is returned as its
    # within variance and persons as well, so that the placebos' can be moderated (inference.moderated_variance)
    var_t = float(cc[matched].var(ddof=1)) if matched.sum() > 1 else np.nan
    v_c = float(np.sum(w[~t] ** 2 * (cc[~t] - np.average(cc[~t], weights=w[~t])) ** 2) / w[~t].sum() ** 2)
    v = (var_t / matched.sum() if matched.sum() > 1 else np.inf) + v_c
    return float(est), float(v), matched, w, (var_t, int(matched.sum()), v_c)


def balance_table(X: pd.DataFrame, treat: np.ndarray, matched: np.ndarray, w: np.ndarray) -> pd.DataFrame:
    """Standardised mean differences of each covariate before matching (all treated against all
    comparison persons) and after (matched treated against the weighted matches), both over the
    pooled standard deviation before matching."""
    rows = []
    for col in X.columns:
        x = X[col].to_numpy(float)
        sd = np.sqrt((x[treat].var(ddof=1) + x[~treat].var(ddof=1)) / 2) or 1.0
        before = (x[treat].mean() - x[~treat].mean()) / sd
        after = (x[matched].mean() - np.average(x[~treat], weights=w[~treat])) / sd if w[~treat].sum() > 0 else np.nan
        rows.append(dict(covariate=col, treated_mean=x[treat].mean(), comparison_mean=x[~treat].mean(),
                         matched_comparison_mean=np.average(x[~treat], weights=w[~treat]),
                         smd_before=before, smd_after=after))
    return pd.DataFrame(rows)


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
    caliper: float | None = 0.2,
    min_placebo_persons: int = 5,
) -> EstimateResult:
    """covariates: person-level columns (constant within person, e.g. pre-period
    outcomes by year, age at baseline, education).
    caliper: matches within this many standard deviations of the logit propensity score (None: none);
    treated persons without a match within it, or off the common support, are left out and counted.
    min_placebo_persons: a comparison municipality takes the treated role only with this many persons.
    extras['balance']: standardised mean differences before and after matching (aggregates).

    Examples
    --------
    >>> from evaluation import matched_did
    >>> from evaluation.datasets import example_panel
    >>> res = matched_did(example_panel(), "y", "year", "pid", "treated", "post", "kom", ["x"])
    >>> round(float(res.tidy().estimate.iloc[0]), 1)
    5.9
    """
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
    est, v_t, matched, w, _ = _matched_effect(per, c, tmask, covariates, k, caliper)
    notes, extras = [], {}
    t_arr = tmask.reindex(c.index).to_numpy()
    extras["balance"] = balance_table(per.loc[c.index, covariates], t_arr, matched, w)
    extras["unmatched_treated"] = int(t_arr.sum() - matched.sum())
    if extras["unmatched_treated"]:
        notes.append(f"{extras['unmatched_treated']} of {int(t_arr.sum())} treated persons have no comparison person "
                     f"within the caliper ({caliper} sd of the logit score) or lie off the common support: the "
                     "effect is for the matched treated persons")
    if placebo:
        ctrl = per[~tmask]
        cc = c.loc[ctrl.index]
        ests, vs, sizes, parts = [], [], [], []
        skipped = 0
        for g in sorted(ctrl[gname].unique()):
            m = ctrl[gname] == g
            if m.sum() < max(2, min_placebo_persons):
                skipped += 1
                continue
            try:
                e, v, _, _, part = _matched_effect(ctrl, cc, m, covariates, k, caliper, who=f"placebo cluster {g}")
            except ValueError:
                skipped += 1
                continue
            ests.append(e), vs.append(v), sizes.append(int(m.sum())), parts.append(part)
        if skipped:
            notes.append(f"{skipped} comparison cluster(s) with fewer than {max(2, min_placebo_persons)} persons, or "
                         "whose matching failed, are not used as placebos")
        if parts:
            # a placebo municipality of a few matched persons has a within variance too noisy to normalise by:
            # moderated towards the placebos' pooled one, as did does
            pv = pd.DataFrame(parts, columns=["var", "size", "v_c"])
            vs = (moderated_variance(pv["var"], pv["size"]) + pv["v_c"]).to_numpy()
        inf = placebo_inference(est, np.array(ests), tmask.sum(), np.array(sizes), alpha=alpha, v_treated=v_t,
                                v_placebo=np.asarray(vs, float))
        se, lo, hi, p, method = inf.std_error, inf.conf_low, inf.conf_high, inf.p_value, inf.method
        extras["placebo_estimates"] = np.array(ests)
    else:
        se = np.sqrt(v_t)
        lo, hi, p, method = est - 1.96 * se, est + 1.96 * se, np.nan, "none"
    tidy = pd.DataFrame([dict(term="ATT", estimate=est, std_error=se, conf_low=lo, conf_high=hi, p_value=p,
                              inference=method, n_obs=int(len(c)), n_treated_units=1,
                              n_control_units=int(per.loc[~tmask, gname].nunique()))])
    return EstimateResult("matched DiD (propensity score)", yname, tidy, notes, extras)
