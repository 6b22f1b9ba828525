"""Two-way fixed-effects difference-in-differences on person-year data (pyfixest).

With one treated municipality, standard errors clustered by municipality are not
valid (Conley & Taber 2011; MacKinnon & Webb 2018): they are reported only for
comparison, and the p-value and interval that count come from randomization
inference over municipalities (each comparison municipality in turn placed in the
treated role, 'placebo in space').
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyfixest as pf

from evaluation.estimators.results import EstimateResult
from evaluation.inference import conley_taber, moderated_variance, placebo_inference, wild_cluster_bootstrap


def _check(data: pd.DataFrame, cols: list[str]) -> None:
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise ValueError(f"did: column(s) {missing} are not in the data (it has {list(data.columns)[:15]})")


def _fit(data, yname, tname, idname, dname, covariates, weights):
    rhs = " + ".join([dname] + list(covariates or []))
    fml = f"{yname} ~ {rhs} | {idname} + {tname}"
    return pf.feols(fml, data=data, weights=weights, vcov="iid")


def placebo_coefficients(controls, yname, tname, idname, post, gname, clusters, covariates=None, weights=None):
    """TWFE DiD coefficient with each cluster in turn as the treated one, on the
    comparison sample: one demeaning of all placebo indicators (pyfixest's
    alternating projections), then Frisch-Waugh-Lovell per cluster.  Equal to
    refitting pyfixest's feols for each cluster (tests/estimators/test_did.py)."""
    from pyfixest.estimation import demean

    ids = pd.factorize(controls[idname])[0]
    ts = pd.factorize(controls[tname])[0]
    flist = np.column_stack([ids, ts]).astype(np.uint64)
    w = controls[weights].to_numpy(float) if weights else np.ones(len(controls))
    g = controls[gname].to_numpy()
    p = controls[post].astype(bool).to_numpy()
    D = np.column_stack([((g == c) & p).astype(float) for c in clusters])
    cov = list(covariates or [])
    M = np.column_stack([controls[yname].to_numpy(float)] + [controls[c].to_numpy(float) for c in cov] + [D])
    Mt, ok = demean(M, flist, w, tol=1e-10, maxiter=100_000)
    if not ok:
        raise RuntimeError("did: demeaning for the placebo estimates did not converge")
    y = Mt[:, 0]
    X = Mt[:, 1:1 + len(cov)]
    Dt = Mt[:, 1 + len(cov):]
    sw = np.sqrt(w)
    y, X, Dt = y * sw, X * sw[:, None], Dt * sw[:, None]
    if cov:
        Q, _ = np.linalg.qr(X)
        y = y - Q @ (Q.T @ y)
        Dt = Dt - Q @ (Q.T @ Dt)
    den = np.einsum("ij,ij->j", Dt, Dt)
    with np.errstate(invalid="ignore", divide="ignore"):
        beta = (Dt.T @ y) / den
    beta[den < 1e-10] = np.nan
    return beta


def _sampling_variance(d, yname, tname, idname, post, gname, treated=None) -> pd.Series:
    """Per cluster: variance of the mean person-level contrast (post mean - pre mean of
    the outcome, net of year means), i.e. var(contrast) / persons with both periods, the within variance
    moderated towards the pooled one."""
    y = d[yname] - d.groupby(tname)[yname].transform("mean")
    m = pd.DataFrame({"id": d[idname], "g": d[gname], "post": d[post].astype(bool), "y": y})
    per = m.groupby(["id", "g", "post"])["y"].mean().unstack("post")
    if True not in per.columns or False not in per.columns:
        raise ValueError("did: no person is observed both before and after the reform")
    c = (per[True] - per[False]).dropna().rename("c").reset_index()
    stats = c.groupby("g")["c"].agg(["var", "size"])
    # each cluster's within variance shrunk towards the pooled one (inference.moderated_variance): a placebo
    # cluster of a few persons has a variance estimate so noisy that the between-cluster variance, fitted
    # with these variances as known, came out several times too large and the treated cluster's interval
    # half as wide again as its error's spread (the pipeline's Monte Carlo, benchmarks/README.md)
    pool = None if treated is None else set(d.loc[~d[treated].astype(bool), gname])
    return moderated_variance(stats["var"], stats["size"], pool=pool)


def _trend_columns(d: pd.DataFrame, by: str, tname: str, idname: str) -> list[str]:
    """Add ``by`` x period indicator columns to ``d`` (every period but the first); return their names."""
    v = pd.to_numeric(d[by], errors="coerce")
    bad = sorted(set(d.loc[v.isna(), idname]))
    if bad:
        raise ValueError(f"did: trends_by column {by!r} has no number for units ({idname}) {bad[:10]}")
    varies = v.groupby(d[idname]).nunique()
    if (varies > 1).any():
        raise ValueError(f"did: trends_by column {by!r} must hold one value per unit, measured before the "
                         f"reform; it varies over time for units ({idname}) {sorted(varies.index[varies > 1])[:10]}")
    names = []
    for t in sorted(d[tname].unique())[1:]:
        c = f"_{by}_x_{t}"
        d[c] = v.to_numpy(float) * (d[tname] == t).to_numpy()
        names.append(c)
    return names


def did(
    data: pd.DataFrame,
    yname: str,
    tname: str,
    idname: str,
    treated: str,
    post: str,
    gname: str | None = None,
    covariates: list[str] | None = None,
    weights: str | None = None,
    inference: str = "placebo",
    alpha: float = 0.05,
    comparison: str | list = "all",
    min_placebo_persons: int = 5,
    trends_by: str | None = None,
) -> EstimateResult:
    """TWFE DiD: ``yname ~ treated x post | idname + tname``.

    data      : person-year (or unit-period) rows
    treated   : boolean column, the unit belongs to the treated group
    post      : boolean column, the period is after the reform
    gname     : the cluster of treatment assignment (municipality); needed for inference
    comparison: 'all' comparison clusters, or a list of gname values to compare with (choose
                them with evaluation.comparison.select_comparison: region, nearest on pre-period
                outcomes and framework conditions)
    inference : 'placebo' (randomization inference over clusters, normalised by within-cluster
                variance; default), 'conley-taber', 'wild-bootstrap' (WCR, Webb weights),
                'cluster' (CRV1; flagged invalid with few treated clusters), or 'none'
    min_placebo_persons: a comparison cluster takes the treated role only with this many persons (fewer
                would make its placebo a DiD of a few persons, kept in no result); it stays a comparison
    trends_by : a column holding one number per unit (idname), e.g. the municipality's cyclicality: the
                period effects may then differ in proportion to it, ``+ trends_by x period`` for every period
                but the first (conditional parallel trends: the treated cluster is compared with what the
                comparison units' paths imply for its value).  The slopes are learnt from the comparison
                units' own paths after the reform as well as before, so the treated cluster's pre-reform
                years need not show the cycle; the column must be measured before the reform.

    Examples
    --------
    >>> from evaluation import did
    >>> from evaluation.datasets import example_panel
    >>> d = example_panel()  # municipality 0 treated from 2015, planted effect 6
    >>> res = did(d, "y", "year", "pid", "treated", "post", gname="kom")
    >>> round(float(res.tidy().estimate.iloc[0]), 1)
    5.9
    """
    _check(data, [yname, tname, idname, treated, post] + ([gname] if gname else []) + list(covariates or [])
           + ([trends_by] if trends_by else []))
    cols = [yname, tname, idname, treated, post] + ([gname] if gname else []) + list(covariates or []) \
        + ([weights] if weights else []) + ([trends_by] if trends_by else [])
    d = data[list(dict.fromkeys(cols))].copy()
    covariates = list(covariates or [])
    if trends_by:
        covariates += _trend_columns(d, trends_by, tname, idname)
    if not (isinstance(comparison, str) and comparison == "all"):
        if not gname:
            raise ValueError("did: a comparison list needs gname, the column of the clusters")
        keep = set(comparison)
        unknown = keep - set(d[gname])
        if unknown:
            raise ValueError(f"did: comparison clusters {sorted(unknown)[:5]} are not in column {gname!r}")
        d = d[d[treated].astype(bool) | d[gname].isin(keep)]
    if d[yname].nunique() <= 1:
        raise ValueError(f"did: outcome {yname!r} is constant; there is nothing to estimate")
    d["_d"] = (d[treated].astype(bool) & d[post].astype(bool)).astype(float)
    if d["_d"].sum() == 0:
        raise ValueError("did: no treated observation after the reform (treated & post is never true)")
    if (d.loc[d[treated].astype(bool), post].astype(bool)).all():
        raise ValueError("did: the treated group has no pre-reform period")
    fit = _fit(d, yname, tname, idname, "_d", covariates, weights)
    est = float(fit.coef()["_d"])
    n_obs = int(fit._N)
    notes = []
    n_tr = int(d.loc[d[treated].astype(bool), gname].nunique()) if gname else np.nan
    n_co = int(d.loc[~d[treated].astype(bool), gname].nunique()) if gname else np.nan
    extras: dict = {}
    if inference == "cluster" or (inference == "placebo" and gname):
        crv = _fit(d, yname, tname, idname, "_d", covariates, weights).vcov({"CRV1": gname}) if gname else None
        se_crv = float(crv.se()["_d"]) if crv is not None else np.nan
    else:
        se_crv = np.nan
    if inference == "placebo":
        if not gname:
            raise ValueError("did: inference='placebo' needs gname, the column of the treated cluster")
        if n_tr != 1:
            notes.append(f"{n_tr} treated clusters: placebo assigns one cluster at a time")
        controls = d.loc[~d[treated].astype(bool)]
        sizes = controls.groupby(gname)[idname].nunique()
        # persons behind each comparison cluster (the weights when the rows are cluster means)
        persons = (controls.groupby(gname)[weights].mean().reindex(sizes.index) if sizes.max() == 1 and weights
                   else sizes)
        small = persons.index[persons < min_placebo_persons]
        if len(small):
            # a placebo on fewer persons is in effect their own DiD: it never enters the inference or the result
            notes.append(f"{len(small)} comparison cluster(s) with fewer than {min_placebo_persons} persons are not "
                         "used as placebos (they stay in the comparison group)")
            sizes = sizes.drop(small)
            if sizes.empty:
                raise ValueError(f"did: no comparison cluster has at least {min_placebo_persons} persons "
                                 "(min_placebo_persons) to serve as a placebo")
        placebo = placebo_coefficients(controls, yname, tname, idname, post, gname, sizes.index, covariates, weights)
        if np.isnan(placebo).any():
            notes.append(f"{int(np.isnan(placebo).sum())} comparison cluster(s) could not be estimated as placebos")
        n_treated_persons = d.loc[d[treated].astype(bool), idname].nunique()
        if sizes.max() == 1 and weights:
            # one unit per cluster (e.g. municipality means): model the variance as A + B / n
            # with n the cluster's persons (the weights), as in Ferman & Pinto (2019)
            n_g = persons.reindex(sizes.index).to_numpy(float)
            n_t = float(d.loc[d[treated].astype(bool), weights].mean())
            inf = placebo_inference(est, placebo, n_t, n_g, alpha=alpha)
        else:
            v = _sampling_variance(d, yname, tname, idname, post, gname, treated)
            v_tr = float(v.loc[d.loc[d[treated].astype(bool), gname].unique()].mean())
            inf = placebo_inference(est, placebo, n_treated_persons, sizes.to_numpy(), alpha=alpha,
                                    v_treated=v_tr, v_placebo=v.reindex(sizes.index).to_numpy())
        tidy = pd.DataFrame([dict(term="ATT", estimate=est, std_error=inf.std_error, conf_low=inf.conf_low,
                                  conf_high=inf.conf_high, p_value=inf.p_value, inference=inf.method,
                                  n_obs=n_obs, n_treated_units=n_tr, n_control_units=n_co)])
        # the cluster-level variance of the normalised test (maximum likelihood; NaN for the unnormalised ones)
        extras["between_variance"] = float(inf.between_variance)
        extras["placebo_estimates"] = pd.DataFrame({"cluster": sizes.index,
                                                    "n_persons": persons.reindex(sizes.index).to_numpy(),
                                                    "estimate": placebo})
        ct = conley_taber(est, placebo, alpha)
        extras["inference_comparison"] = pd.DataFrame([
            dict(method=inf.method, std_error=inf.std_error, conf_low=inf.conf_low, conf_high=inf.conf_high,
                 p_value=inf.p_value),
            dict(method=ct.method, std_error=ct.std_error, conf_low=ct.conf_low, conf_high=ct.conf_high,
                 p_value=ct.p_value),
            dict(method="cluster-robust CRV1 (not valid with one treated cluster)", std_error=se_crv,
                 conf_low=est - 1.96 * se_crv, conf_high=est + 1.96 * se_crv, p_value=np.nan),
        ])
        notes.append(f"cluster-robust (CRV1) se {se_crv:.3f} is shown for comparison only: with "
                     f"{n_tr} treated cluster(s) it is not valid (Conley & Taber 2011)")
    elif inference in ("conley-taber", "wild-bootstrap"):
        if not gname:
            raise ValueError(f"did: inference={inference!r} needs gname, the column of the treated cluster")
        controls = d.loc[~d[treated].astype(bool)]
        if inference == "conley-taber":
            sizes = controls.groupby(gname)[idname].nunique()
            pl = placebo_coefficients(controls, yname, tname, idname, post, gname, sizes.index, covariates, weights)
            inf = conley_taber(est, pl, alpha)
        else:
            from pyfixest.estimation import demean

            flist = np.column_stack([pd.factorize(d[idname])[0], pd.factorize(d[tname])[0]]).astype(np.uint64)
            cov = list(covariates or [])
            M = np.column_stack([d[yname].to_numpy(float), d["_d"].to_numpy(float)]
                                + [d[c].to_numpy(float) for c in cov])
            Mt, _ = demean(M, flist, np.ones(len(d)), tol=1e-10, maxiter=100_000)
            inf = wild_cluster_bootstrap(Mt[:, 0], Mt[:, 1], Mt[:, 2:] if cov else None, d[gname].to_numpy(),
                                         alpha=alpha)
            notes.append("the wild cluster bootstrap is unreliable with one treated cluster (MacKinnon & Webb 2018)")
        tidy = pd.DataFrame([dict(term="ATT", estimate=est, std_error=inf.std_error, conf_low=inf.conf_low,
                                  conf_high=inf.conf_high, p_value=inf.p_value, inference=inf.method, n_obs=n_obs,
                                  n_treated_units=n_tr, n_control_units=n_co)])
    elif inference == "cluster":
        from scipy import stats
        z = stats.t.ppf(1 - alpha / 2, df=max(n_tr + n_co - 1, 1))
        p = float(2 * (1 - stats.t.cdf(abs(est / se_crv), df=max(n_tr + n_co - 1, 1))))
        tidy = pd.DataFrame([dict(term="ATT", estimate=est, std_error=se_crv, conf_low=est - z * se_crv,
                                  conf_high=est + z * se_crv, p_value=p, inference="cluster-robust CRV1",
                                  n_obs=n_obs, n_treated_units=n_tr, n_control_units=n_co)])
        if n_tr is not np.nan and n_tr < 5:
            notes.append(f"only {n_tr} treated cluster(s): cluster-robust inference is not valid here")
    else:
        tidy = pd.DataFrame([dict(term="ATT", estimate=est, std_error=np.nan, conf_low=np.nan, conf_high=np.nan,
                                  p_value=np.nan, inference="none", n_obs=n_obs, n_treated_units=n_tr,
                                  n_control_units=n_co)])
    extras["se_cluster_robust"] = se_crv
    return EstimateResult("TWFE DiD", yname, tidy, notes, extras)
