"""Event study: leads and lags around the reform in a two-way fixed-effects model,
with placebo-in-space inference per coefficient (normalised by within-cluster
variance, as evaluation.inference) and a joint pre-trend test (the treated cluster's
sum of squared normalised lead coefficients ranked among the comparison clusters')."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyfixest as pf

from evaluation.estimators.results import EstimateResult


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
) -> EstimateResult:
    """Coefficients e = t - event_time (all but ``ref``) of ``yname ~ sum_e D_e + covariates | id + t``."""
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
    fit = pf.feols(f"{yname} ~ {rhs} | {idname} + {tname}", data=d, vcov="iid")
    beta = fit.coef()[names].to_numpy()

    # placebos: each comparison cluster in the treated role, on the comparison sample
    from pyfixest.estimation import demean

    c = d.loc[~tr].reset_index(drop=True)
    relc = (c[tname] - event_time).to_numpy()
    flist = np.column_stack([pd.factorize(c[idname])[0], pd.factorize(c[tname])[0]]).astype(np.uint64)
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

    # within-cluster sampling variance of each coefficient: person contrasts y_e - y_ref
    ym = d[yname] - d.groupby(tname)[yname].transform("mean")
    wide = pd.DataFrame({"id": d[idname], "g": d[gname], "e": rel, "y": ym}).pivot_table(
        index=["id", "g"], columns="e", values="y")
    V = {}
    for k in keep:
        cc = (wide[k] - wide[ref]).dropna().rename("c").reset_index()
        s = cc.groupby("g")["c"].agg(["var", "size"])
        V[k] = (s["var"] / s["size"]).fillna(np.inf)
    g_tr = d.loc[tr, gname].iloc[0]
    rows, Zs_pl, z_tr = [], [], []
    for j, k in enumerate(keep):
        vk = V[k].reindex(clusters).to_numpy()
        ok = np.isfinite(P[:, j]) & np.isfinite(vk)
        A = max(0.0, float(np.mean(P[ok, j] ** 2 - vk[ok])))
        sp = np.sqrt(A + vk)
        st = float(np.sqrt(A + V[k].get(g_tr, np.inf)))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(sp > 0, np.abs(P[:, j]) / sp, 0.0)
        z = np.where(ok, z, 0.0)
        zt = abs(beta[j]) / st
        G = int(ok.sum())
        kk = int(np.ceil((1 - alpha) * (G + 1)))
        q = np.sort(z[ok])[kk - 1] if kk <= G else np.inf
        p = (1 + np.sum(z[ok] >= zt - 1e-12)) / (G + 1)
        rows.append(dict(term=f"e={k}", estimate=beta[j], std_error=st, conf_low=beta[j] - q * st,
                         conf_high=beta[j] + q * st, p_value=p,
                         inference=f"placebo in space, normalised ({G} comparison clusters)", n_obs=int(fit._N),
                         n_treated_units=1, n_control_units=G))
        if k < ref:
            Zs_pl.append(np.where(sp > 0, P[:, j] / np.where(sp > 0, sp, 1), 0.0))
            z_tr.append(beta[j] / st)
    S_pl = np.nansum(np.array(Zs_pl) ** 2, axis=0)
    S_tr = float(np.sum(np.array(z_tr) ** 2))
    pre_p = (1 + int(np.sum(S_pl >= S_tr - 1e-12))) / (len(S_pl) + 1)
    tidy = pd.DataFrame(rows)
    extras = {"pretrend": {"statistic": S_tr, "p_value": float(pre_p), "leads": [k for k in keep if k < ref]},
              "reference_period": event_time + ref}
    notes = [f"joint pre-trend test (placebo rank of the sum of squared normalised leads): p = {pre_p:.3f}"]
    return EstimateResult("event study (TWFE)", yname, tidy, notes, extras)


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
