"""Event study: leads and lags around the reform in a two-way fixed-effects model,
with placebo-in-space inference per coefficient (normalised by within-cluster
variance, as evaluation.inference) and a joint pre-trend test (the treated cluster's
sum of squared normalised lead coefficients ranked among the comparison clusters')."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyfixest as pf

from evaluation.estimators.results import EstimateResult
from evaluation.inference import POOLING_THRESHOLD, between_variance, moderated_variance, placebo_inference


def _dummies(d, treated_mask, rel, keep):
    return np.column_stack([(treated_mask & (rel == k)).astype(float) for k in keep])


def event_study(
    data: pd.DataFrame,
    yname: str,
    tname: str,
    idname: str,
    treated: str,
    event_time: int,
    gname: str,
    ref: int = -1,
    covariates: list[str] | None = None,
    alpha: float = 0.05,
    panel: bool = True,
    combination: dict | None = None,
) -> EstimateResult:
    """Coefficients e = t - event_time (all but ``ref``) of ``yname ~ sum_e D_e + covariates | id + t``.

    ``panel`` (as in R did's att_gt): True for a panel of the same units every period (unit fixed effects;
    each cluster's sampling variance from its persons' own contrasts y_e - y_ref); False for repeated cross
    sections such as the yearly stock of benefit recipients, whose members change from year to year (cluster
    fixed effects, ``gname`` + ``tname``: each coefficient compares cluster-year means; each cluster's sampling
    variance of a contrast of its yearly means from the persons' influence on those means, summed over the
    years a person is in, so persons seen in several years count with their covariance).

    ``combination``: weights {e: a_e} of a linear combination sum_e a_e beta_e of the coefficients (e.g. a total
    over the post-reform years, each year weighted by its persons), estimated and tested as one coefficient:
    the placebos' same combination, each cluster's sampling variance of it from its persons' contrasts
    sum_e a_e (y_e - y_ref) (so the years' covariance is kept).  In extras['combination'].

    Pointwise intervals invert each coefficient's normalised placebo test; ``conf_low_uniform`` and
    ``conf_high_uniform`` are a simultaneous band over all coefficients (:func:`_uniform_band`, the sup-t band
    with the placebos' distribution), the placebo analogue of R did's uniform bands.

    Examples
    --------
    >>> from evaluation import event_study
    >>> from evaluation.datasets import example_panel
    >>> res = event_study(example_panel(), "y", "year", "pid", "treated", 2015, "kom")
    >>> res.tidy().set_index("term").estimate.round(0).loc[["e=-2", "e=0", "e=4"]].tolist()
    [0.0, 6.0, 6.0]
    """
    cols = [yname, tname, idname, treated, gname] + list(covariates or [])
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise ValueError(f"event_study: column(s) {missing} are not in the data")
    d = data[list(dict.fromkeys(cols))].copy()
    rel = (d[tname] - event_time).to_numpy()
    keep = [k for k in sorted(np.unique(rel)) if k != ref]
    if ref not in set(rel):
        raise ValueError(f"event_study: the reference period {event_time + ref} is not in the data")
    if not any(k < ref for k in keep):
        raise ValueError("event_study: no lead besides the reference period; a pre-trend cannot be tested")
    tr = d[treated].astype(bool).to_numpy()
    names = [f"e{k:+d}".replace("+", "p").replace("-", "m") for k in keep]
    D = _dummies(d, tr, rel, keep)
    for j, n in enumerate(names):
        d[n] = D[:, j]
    rhs = " + ".join(names + list(covariates or []))
    fe = idname if panel else gname
    fit = pf.feols(f"{yname} ~ {rhs} | {fe} + {tname}", data=d, vcov="iid")
    beta = fit.coef()[names].to_numpy()

    # placebos: each comparison cluster in the treated role, on the comparison sample
    from pyfixest.estimation import demean

    c = d.loc[~tr].reset_index(drop=True)
    relc = (c[tname] - event_time).to_numpy()
    flist = np.column_stack([pd.factorize(c[fe])[0], pd.factorize(c[tname])[0]]).astype(np.uint64)
    w = np.ones(len(c))
    base = np.column_stack([c[yname].to_numpy(float)] + [c[v].to_numpy(float) for v in covariates or []])
    bt, _ = demean(base, flist, w, tol=1e-10, maxiter=100_000)
    y, X = bt[:, 0], bt[:, 1:]
    clusters = sorted(c[gname].unique())
    P = []
    for g in clusters:
        Dg = _dummies(c, (c[gname] == g).to_numpy(), relc, keep)
        Dt, _ = demean(Dg, flist, w, tol=1e-10, maxiter=100_000)
        Z = np.column_stack([Dt, X]) if X.shape[1] else Dt
        coef, *_ = np.linalg.lstsq(Z, y, rcond=None)
        P.append(coef[: len(keep)])
    P = np.array(P)  # clusters x coefficients

    # within-cluster sampling variance of each coefficient (and of the linear combinations the trend test and
    # the sensitivity use): a contrast sum_k w_k (y_k - y_ref) of the cluster's outcomes
    ym = d[yname] - d.groupby(tname)[yname].transform("mean")
    contrast_variance = (_panel_contrast_variance(d[idname], d[gname], rel, ym, ref) if panel
                         else _cross_section_contrast_variance(d[idname], d[gname], rel, ym, ref))
    V = {k: contrast_variance({k: 1.0}) for k in keep}
    g_tr = d.loc[tr, gname].iloc[0]
    rows, Zs_pl, z_tr = [], [], []
    for j, k in enumerate(keep):
        vk = V[k].reindex(clusters).to_numpy()
        v_t = float(V[k].get(g_tr, np.inf))
        inf = placebo_inference(float(beta[j]), P[:, j], alpha=alpha, v_treated=v_t, v_placebo=vk)
        G = inf.n_placebos
        ci_ok = bool(np.isfinite(inf.conf_low) and np.isfinite(inf.conf_high))
        rows.append(dict(term=f"e={k}", estimate=beta[j], std_error=inf.std_error,
                         conf_low=inf.conf_low if ci_ok else np.nan, conf_high=inf.conf_high if ci_ok else np.nan,
                         p_value=inf.p_value,
                         inference=f"placebo in space, normalised ({G} comparison clusters)", n_obs=int(fit._N),
                         n_treated_units=1, n_control_units=G))
        ok = np.isfinite(P[:, j]) & np.isfinite(vk)
        if k < ref:
            # the between-cluster variance as placebo_inference estimates it (the treated cluster included
            # below POOLING_THRESHOLD comparison clusters)
            A = (between_variance(np.append(beta[j], P[ok, j]), np.append(v_t, vk[ok]))
                 if ok.sum() < POOLING_THRESHOLD else between_variance(P[ok, j], vk[ok]))
            sp = np.sqrt(A + vk)
            Zs_pl.append(np.where(ok & (sp > 0), P[:, j] / np.where(sp > 0, sp, 1), np.nan))
            z_tr.append(beta[j] / np.sqrt(A + v_t))
    # joint test: only clusters whose every lead has a finite normalised statistic enter the ranking
    Zs_pl = np.array(Zs_pl)
    full = np.isfinite(Zs_pl).all(axis=0)
    S_pl = np.sum(Zs_pl[:, full] ** 2, axis=0)
    S_tr = float(np.sum(np.array(z_tr) ** 2))
    pre_p = (1 + int(np.sum(S_pl >= S_tr - 1e-12))) / (len(S_pl) + 1)
    leads = [k for k in keep if k < ref]
    trend = _linear_trend_test(beta, P, keep, ref, contrast_variance, clusters, g_tr)
    tidy = pd.DataFrame(rows)
    Vm = np.column_stack([V[k].reindex(clusters).to_numpy() for k in keep])
    band = _uniform_band(beta, P, Vm, np.array([float(V[k].get(g_tr, np.inf)) for k in keep]), alpha)
    tidy["conf_low_uniform"], tidy["conf_high_uniform"] = band["low"], band["high"]
    honest = _relative_magnitudes(beta, P, keep, ref, contrast_variance, clusters, g_tr, alpha)
    combo = None
    if combination is not None:
        combo = _combination(beta, P, keep, combination, contrast_variance, clusters, g_tr, alpha)
    extras = {"pretrend": {"statistic": S_tr, "p_value": float(pre_p), "leads": leads,
                           "clusters_ranked": int(full.sum())},
              "pretrend_linear": trend, "reference_period": event_time + ref, "honest_rm": honest,
              "uniform_band": {"critical_value": band["crit"], "clusters_ranked": band["clusters"]}}
    if combo is not None:
        extras["combination"] = combo
    notes = [f"joint pre-trend test (placebo rank of the sum of squared normalised leads, {int(full.sum())} "
             f"comparison clusters with every lead defined): p = {pre_p:.3f}"]
    if tidy[["conf_low", "conf_high"]].isna().any().any():
        notes.append(f"with {G} comparison clusters no finite {100 * (1 - alpha):.0f} % interval exists for some "
                     "coefficients: those intervals are unavailable (empty), never infinite")
    if np.isfinite(band["crit"]):
        notes.append(f"simultaneous {100 * (1 - alpha):.0f} % band over the {len(keep)} coefficients (conf_low_uniform, "
                     f"conf_high_uniform): critical value {band['crit']:.2f} for the largest normalised coefficient, "
                     f"from {band['clusters']} placebo clusters")
    else:
        notes.append(f"with {band['clusters']} comparison clusters whose every coefficient is defined no simultaneous "
                     f"{100 * (1 - alpha):.0f} % band exists: it is unavailable")
    if trend is not None:
        notes.append(f"linear pre-trend test (slope of the leads, {trend['slope']:.3f} per period, ranked among the "
                     f"comparison clusters' normalised slopes): p = {trend['p_value']:.3f}")
    if honest is not None and np.isfinite(honest["breakdown"]):
        notes.append(f"sensitivity (Rambachan & Roth 2023, relative magnitudes, plug-in): the average post-period "
                     f"effect stays significant while post-period deviations from parallel trends are at most "
                     f"{honest['breakdown']:.2f} times the largest change between adjacent pre-period coefficients "
                     f"({honest['max_pre_change']:.2f})")
    if not panel:
        notes.append(f"repeated cross sections: {gname} and {tname} fixed effects (each coefficient compares "
                     "cluster-year means); sampling variances from each person's influence on the yearly means")
    return EstimateResult("event study (TWFE)" if panel else "event study (TWFE, repeated cross sections)", yname,
                          tidy, notes, extras)


def _panel_contrast_variance(ids, groups, rel, y, ref):
    """For a panel: a function of the weights {k: w_k} returning each cluster's sampling variance of its mean
    person contrast sum_k w_k (y_k - y_ref) (persons observed in every period involved), moderated
    (inference.moderated_variance)."""
    wide = pd.DataFrame({"id": ids.to_numpy(), "g": groups.to_numpy(), "e": rel, "y": y.to_numpy()}).pivot_table(
        index=["id", "g"], columns="e", values="y")

    def variance(w: dict) -> pd.Series:
        c = sum(wk * (wide[k] - wide[ref]) for k, wk in w.items()).dropna().rename("c").reset_index()
        st = c.groupby("g")["c"].agg(["var", "size"])
        return moderated_variance(st["var"], st["size"])

    return variance


def _cross_section_contrast_variance(ids, groups, rel, y, ref):
    """For repeated cross sections: a function of the weights {k: w_k} returning each cluster's sampling
    variance of sum_k w_k (ybar_k - ybar_ref), its yearly means.  Each row's influence on its year's mean is
    (y - ybar_ge) / n_ge; a person's influence psi on the contrast is the weighted sum over the years the
    person is in, and the variance is N / (N - 1) sum psi^2 over the cluster's N persons (persons in several
    years carry their covariance).  Written as var_g / N with var_g = N^2 / (N - 1) sum psi^2 so that it is
    moderated as the panel's variances are."""
    m = pd.DataFrame({"id": ids.to_numpy(), "g": groups.to_numpy(), "e": rel, "y": y.to_numpy(float)})
    grp = m.groupby(["g", "e"])["y"]
    m["r"] = (m["y"] - grp.transform("mean")) / grp.transform("size")

    def variance(w: dict) -> pd.Series:
        a = pd.Series(w, dtype=float)
        a.loc[ref] = a.get(ref, 0.0) - float(sum(w.values()))
        rows = m[m.e.isin(a.index)]
        psi = (rows["r"] * rows["e"].map(a)).groupby([rows["g"], rows["id"]]).sum()
        st = psi.pow(2).groupby(level="g").agg(["sum", "size"])
        n = st["size"].astype(float)
        var = (n ** 2 / (n - 1)).where(n > 1) * st["sum"]
        return moderated_variance(var, n)

    return variance


def _uniform_band(beta: np.ndarray, P: np.ndarray, V: np.ndarray, v_t: np.ndarray, alpha: float) -> dict:
    """A simultaneous band over all coefficients from the placebos: the sup-t band (Montiel Olea &
    Plagborg-Moller 2019) with its distribution taken from the comparison clusters instead of a normal.

    beta: the treated cluster's coefficients; P: clusters x coefficients of the placebos; V: their sampling
    variances; v_t: the treated cluster's.  Each coefficient's between-cluster variance A_e is estimated as the
    pointwise tests do: from the placebos at POOLING_THRESHOLD comparison clusters and more, else from all
    clusters with the treated one's deviation beta_e - c_e under the hypothesised path c.  The sup test accepts c
    when max_e |beta_e - c_e| / sqrt(A_e(c_e) + v_t,e) is at most the ceil((1 - alpha)(G + 1))-th smallest of the
    placebos' max_e |P_ge| / sqrt(A_e(c_e) + V_ge); the band is that acceptance region's projection on each
    coefficient, so it covers every coefficient at once whenever the test accepts the true path.  Only clusters
    with every coefficient defined are ranked; the band is unavailable (NaN) when that rank exceeds their number,
    and for a coefficient whose accepted deviations reach beyond the tabulated range."""
    ok = np.isfinite(P).all(axis=1) & np.isfinite(V).all(axis=1)
    P, V = P[ok], V[ok]
    G, E = P.shape
    k = int(np.ceil((1 - alpha) * (G + 1)))
    nan = np.full(E, np.nan)
    if not 1 <= k <= G or not np.all(np.isfinite(v_t)):
        return {"low": nan, "high": nan, "crit": np.nan, "clusters": G}
    pooled = G < POOLING_THRESHOLD

    # A_e as a function of the treated cluster's deviation, tabulated once on a grid and interpolated (the band
    # needs it at many deviations; A is smooth in it)
    s0 = np.sqrt(np.array([between_variance(P[:, e], V[:, e]) for e in range(E)]) + v_t)
    if pooled:
        grid = np.concatenate([[0.0], np.geomspace(1e-3, 1e3, 121)])[None, :] * s0[:, None]
        A_grid = np.array([[between_variance(np.append(dv, P[:, e]), np.append(v_t[e], V[:, e])) for dv in grid[e]]
                           for e in range(E)])
    else:
        A0 = np.array([between_variance(P[:, e], V[:, e]) for e in range(E)])

    def A_at(e: int, dev: float) -> float:
        if not pooled:
            return float(A0[e])
        if dev > grid[e, -1]:
            return np.inf
        return float(np.interp(dev, grid[e], A_grid[e]))

    A_zero = np.array([A_at(e, 0.0) for e in range(E)])

    def accepted(e: int, dev: float) -> bool:
        """Is a hypothesis whose coefficient e lies ``dev`` from its estimate, every other at its estimate, not
        rejected by the sup test?  (Others at their estimates is the most favourable case: their deviation adds
        nothing to the treated cluster's maximum and keeps their between-cluster variance, and so the placebos'
        statistics, as large as it can be.)"""
        A = A_zero.copy()
        A[e] = A_at(e, dev)
        if not np.isfinite(A[e]):
            return False
        crit = float(np.sort((np.abs(P) / np.sqrt(A[None, :] + V)).max(axis=1))[k - 1])
        return dev / np.sqrt(A[e] + v_t[e]) <= crit

    # the band: the projection of the sup test's acceptance region on each coefficient (for every coefficient
    # the largest deviation still accepted, by bisection; the statistic rises and the critical value falls with
    # the deviation, so the accepted deviations form an interval around the estimate)
    d = np.full(E, np.nan)
    for e in range(E):
        lo, hi = 0.0, float(np.sqrt(A_zero[e] + v_t[e]))
        cap = grid[e, -1] if pooled else 1e6 * hi
        while accepted(e, hi):
            lo, hi = hi, 2 * hi
            if hi > cap:  # accepted beyond the tabulated deviations: no finite band for this coefficient
                hi = np.inf
                break
        if not np.isfinite(hi):
            continue
        for _ in range(50):
            mid = (lo + hi) / 2
            if accepted(e, mid):
                lo = mid
            else:
                hi = mid
        d[e] = hi
    crit = float(np.sort((np.abs(P) / np.sqrt(A_zero[None, :] + V)).max(axis=1))[k - 1])
    return {"low": beta - d, "high": beta + d, "crit": crit, "clusters": G}


def _relative_magnitudes(beta, P, keep, ref, contrast_variance, clusters, g_tr, alpha,
                         mbar=(0.0, 0.25, 0.5, 1.0, 1.5, 2.0)):
    """Sensitivity of the average post-period effect to violations of parallel trends bounded relative to
    the pre-period (Rambachan & Roth 2023, "A More Credible Approach to Parallel Trends", REStud, the set
    Delta^RM(Mbar)): each post-period step of the bias is at most Mbar times the largest step between adjacent
    pre-period coefficients (the reference period counts as 0).  The bias of the first post period is then
    at most Mbar * M_pre, of the k-th (k + 1) Mbar M_pre, and of the average over K post periods
    Mbar * M_pre * (K + 1) / 2; the robust interval widens the placebo interval of the average by that
    bound.  Plug-in: M_pre is taken at its estimate, not with its sampling uncertainty as in the
    conditional intervals of R's HonestDiD, so the intervals are somewhat too narrow when the leads are
    noisy.  Returns the interval per Mbar and the breakdown value: the largest Mbar at which the interval
    excludes zero (0 if the effect is not significant to begin with)."""
    leads = [k for k in keep if k < ref]
    posts = [k for k in keep if k > ref]
    if not leads or not posts:
        return None
    lead_path = np.array([beta[keep.index(k)] for k in leads] + [0.0])  # ends at the reference period
    m_pre = float(np.max(np.abs(np.diff(lead_path))))
    idx = [keep.index(k) for k in posts]
    theta = float(np.mean(beta[idx]))
    plac = P[:, idx].mean(axis=1)
    mv = contrast_variance({k: 1.0 / len(posts) for k in posts})
    v = mv.reindex(clusters).to_numpy()
    v_t = float(mv.get(g_tr, np.inf))
    inf = placebo_inference(theta, plac, alpha=alpha, v_treated=v_t, v_placebo=v)
    K = len(posts)
    slope = m_pre * (K + 1) / 2.0
    lo, hi = inf.conf_low, inf.conf_high
    finite = bool(np.isfinite(lo) and np.isfinite(hi))
    # an interval that cannot be computed (too few comparison clusters) is unavailable (NaN), never a number
    rows = [dict(mbar=m, conf_low=lo - m * slope if finite else np.nan, conf_high=hi + m * slope if finite else np.nan)
            for m in mbar]
    if not finite:
        breakdown = np.nan
    elif lo > 0 or hi < 0:
        breakdown = (lo if lo > 0 else -hi) / slope if slope > 0 else np.inf
    else:
        breakdown = 0.0
    return {"theta": theta, "conf_low": lo if finite else np.nan, "conf_high": hi if finite else np.nan,
            "p_value": inf.p_value, "max_pre_change": m_pre,
            "post_periods": K, "breakdown": float(breakdown), "intervals": pd.DataFrame(rows)}


def _combination(beta, P, keep, weights: dict, contrast_variance, clusters, g_tr, alpha) -> dict:
    """sum_e a_e beta_e with its normalised placebo test and the interval that inverts it (unavailable, NaN,
    where too few comparison clusters allow none)."""
    bad = [e for e in weights if e not in keep]
    if bad:
        raise ValueError(f"event_study: combination weights for event times {bad}, which are not coefficients "
                         f"(the coefficients are e = {keep})")
    a = np.array([float(weights.get(k, 0.0)) for k in keep])
    theta = float(a @ beta)
    plac = P @ a
    mv = contrast_variance({k: float(w) for k, w in weights.items()})
    v = mv.reindex(clusters).to_numpy()
    inf = placebo_inference(theta, plac, alpha=alpha, v_treated=float(mv.get(g_tr, np.inf)), v_placebo=v)
    finite = bool(np.isfinite(inf.conf_low) and np.isfinite(inf.conf_high))
    return {"weights": {int(k): float(w) for k, w in weights.items()}, "estimate": theta,
            "std_error": inf.std_error, "conf_low": inf.conf_low if finite else np.nan,
            "conf_high": inf.conf_high if finite else np.nan, "p_value": inf.p_value,
            "inference": f"placebo in space, normalised ({inf.n_placebos} comparison clusters)"}


def _linear_trend_test(beta, P, keep, ref, contrast_variance, clusters, g_tr) -> dict | None:
    """The slope of the lead coefficients (the reference period counts as 0) against event time: a
    test with power against the steady drift that a joint test of many leads spreads thin.  The slope
    is a linear contrast of each person's outcomes, so its sampling variance per cluster comes from the
    persons' own contrasts; placebo in space, normalised as the coefficients are."""
    leads = [k for k in keep if k < ref]
    if len(leads) < 2:
        return None
    ks = np.array(leads + [ref], dtype=float)
    w = (ks - ks.mean()) / np.sum((ks - ks.mean()) ** 2)  # OLS slope weights over leads and the reference
    idx = [keep.index(k) for k in leads]
    slope_t = float(w[:-1] @ beta[idx])
    slope_p = P[:, idx] @ w[:-1]
    # per person: sum_k w_k (y_k - y_ref), the reference's own weight drops out as the weights sum to zero
    mv = contrast_variance({k: w[i] for i, k in enumerate(leads)})
    v = mv.reindex(clusters).to_numpy()
    v_t = float(mv.get(g_tr, np.inf))
    ok = np.isfinite(slope_p) & np.isfinite(v)
    if ok.sum() < 2 or not np.isfinite(v_t):
        return None
    A = (between_variance(np.append(slope_t, slope_p[ok]), np.append(v_t, v[ok])) if ok.sum() < POOLING_THRESHOLD
         else between_variance(slope_p[ok], v[ok]))
    z_p = np.abs(slope_p[ok]) / np.sqrt(A + v[ok])
    z_t = abs(slope_t) / np.sqrt(A + v_t)
    p = (1 + int(np.sum(z_p >= z_t - 1e-12))) / (int(ok.sum()) + 1)
    return {"slope": slope_t, "p_value": float(p), "clusters_ranked": int(ok.sum()), "between_variance": A}


def plot_event_study(result: EstimateResult, ax=None, truth: pd.Series | None = None):
    """Coefficients with intervals against event time; the planted truth if given."""
    import matplotlib.pyplot as plt

    t = result.tidy()
    e = t["term"].str.replace("e=", "").astype(int)
    ref = result.extras["reference_period"]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.6))
    ax.errorbar(e, t["estimate"], yerr=[t["estimate"] - t["conf_low"].clip(lower=-1e9),
                                        t["conf_high"].clip(upper=1e9) - t["estimate"]], fmt="o", capsize=3)
    ax.axhline(0, color="grey", lw=0.8)
    ax.axvline(-0.5, color="grey", lw=0.8, ls="--")
    if truth is not None:
        ax.plot(truth.index, truth.values, "k:", label="planted effect")
        ax.legend(fontsize=8)
    ax.set_xlabel(f"years since the reform (reference: {ref})")
    ax.set_ylabel(f"effect on {result.outcome}")
    return ax
