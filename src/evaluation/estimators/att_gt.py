"""Group-time average treatment effects (Callaway & Sant'Anna 2021), with R did's
argument names (yname, tname, idname, gname, control_group, xformla) and defaults
(base_period 'varying', est_method 'reg', no anticipation).

Implemented here rather than taken from a Python port: moderndid (0.2) reproduces
R's numbers but is a large runtime dependency (its own data stack) for about 200 lines
of arithmetic, is 200x slower on mpdta (benchmarks/estimators.py), and keeps unit-level
influence functions in its results, which register data must not carry.  The numbers
are checked against R did's published mpdta output and, with covariates, against
moderndid (tests/estimators/test_att_gt.py).

Standard errors are analytical, from the influence functions (R did's
bstrap = FALSE); aggregations include the influence function of the estimated
group weights, as aggte does.  Intervals are pointwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.estimators.results import EstimateResult


@dataclass
class ATTgtResult:
    """ATT(g,t) and what their aggregations need; no unit-level quantity is kept.

    Every aggregated estimator's influence function is a linear combination of the
    cells' influence functions and of the group indicators minus their shares, so the
    Gram matrix of those columns (cells + groups, an aggregate) gives every standard
    error."""

    table: pd.DataFrame  # group, time, att, se, post
    gram: np.ndarray  # (cells + groups) square: M'M with M = [IF_cells, 1{G=g} - p_g]
    groups: list  # the groups, in the order of the last columns of gram
    pg: dict  # group -> share of units
    n: int
    yname: str
    control_group: str
    pretest: dict = field(default_factory=dict)
    alpha: float = 0.05
    biters: int = 1000
    seed: int = 20150330

    def tidy(self) -> pd.DataFrame:
        """ATT(g,t) with pointwise intervals and the simultaneous (uniform) band over all cells."""
        z = stats.norm.ppf(1 - self.alpha / 2)
        t = self.table.copy()
        t["term"] = [f"ATT({g},{tt})" for g, tt in zip(t.group, t.time)]
        t["conf_low"], t["conf_high"] = t.att - z * t.se, t.att + z * t.se
        t["p_value"] = 2 * (1 - stats.norm.cdf(np.abs(t.att / t.se)))
        C = len(t)
        crit = uniform_critical_value(self.gram[:C, :C] / self.n**2, self.alpha, self.biters, self.seed)
        t["conf_low_uniform"], t["conf_high_uniform"] = t.att - crit * t.se, t.att + crit * t.se
        return t.rename(columns={"att": "estimate", "se": "std_error"})[
            ["term", "group", "time", "estimate", "std_error", "conf_low", "conf_high", "p_value", "post",
             "conf_low_uniform", "conf_high_uniform"]]

    def conf_int(self, uniform: bool = False) -> pd.DataFrame:
        t = self.tidy().set_index("term")
        return (t[["conf_low_uniform", "conf_high_uniform"]].set_axis(["conf_low", "conf_high"], axis=1) if uniform
                else t[["conf_low", "conf_high"]])

    def plot(self, ax=None):
        """ATT(g,t) against time, one colour per group: pointwise intervals as bars, the uniform band
        as a shaded area; returns the axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 3.6))
        t = self.tidy()
        for i, (g, d) in enumerate(t.groupby("group")):
            x = d.time.to_numpy(float) + 0.08 * i
            ax.fill_between(x, d.conf_low_uniform, d.conf_high_uniform, color=f"C{i}", alpha=0.15, lw=0)
            ax.errorbar(x, d.estimate, yerr=[d.estimate - d.conf_low, d.conf_high - d.estimate], fmt="o",
                        capsize=3, color=f"C{i}", label=f"group {g}")
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_xlabel("period")
        ax.set_ylabel(f"ATT(g,t) on {self.yname}")
        ax.legend(fontsize=8)
        return ax

    def summary(self) -> str:
        lines = [f"Group-time ATT (Callaway & Sant'Anna), outcome {self.yname}, control: {self.control_group}"]
        for r in self.tidy().itertuples():
            lines.append(f"  {r.group} {r.time}: {r.estimate: .4f} (se {r.std_error:.4f})")
        if self.pretest:
            lines.append(f"  pre-test of parallel trends: W = {self.pretest['W']:.3f}, p = {self.pretest['p_value']:.5f}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.tidy().to_html(index=False, float_format=lambda v: f"{v:.4f}")

    def aggregate(self, type: str = "group") -> EstimateResult:  # noqa: A002 - R did's name
        """'simple', 'dynamic', 'group' or 'calendar', as R did's aggte."""
        tab = self.table.reset_index(drop=True)
        g, t, att = tab.group.to_numpy(), tab.time.to_numpy(), tab.att.to_numpy()
        C = len(tab)
        gpos = {x: C + i for i, x in enumerate(self.groups)}
        pg = np.array([self.pg[x] for x in g])
        post = tab.post.to_numpy()

        def combine(mask, by_pg=True):
            """Weighted average of the cells in mask and the coefficient vector of its influence function."""
            idx = np.flatnonzero(mask)
            a = np.zeros(C + len(self.groups))
            if by_pg:
                s = pg[idx].sum()
                w = pg[idx] / s
                a[idx] = w
                # influence of the estimated weights pg_k / sum(pg)
                tot = float(att[idx] @ pg[idx]) / s**2
                for k in idx:
                    a[gpos[g[k]]] += att[k] / s - tot
            else:
                a[idx] = 1.0 / len(idx)
            return float(a[:C] @ att), a

        rows = []
        if type == "simple":
            rows.append(("ATT",) + combine(post))
        elif type == "dynamic":
            e = t - g
            effects = []
            for ev in sorted(np.unique(e)):
                est, a = combine(e == ev)
                rows.append((f"e={ev}", est, a))
                if ev >= 0:
                    effects.append((est, a))
            rows.insert(0, ("ATT", float(np.mean([x[0] for x in effects])), np.mean([x[1] for x in effects], axis=0)))
        elif type == "group":
            ests = []
            for gg in self.groups:
                est, a = combine(post & (g == gg), by_pg=False)
                rows.append((f"g={gg}", est, a))
                ests.append((gg, est, a))
            p = np.array([self.pg[gg] for gg, _, _ in ests])
            s = p.sum()
            est = float((p / s) @ np.array([x[1] for x in ests]))
            a = sum((pi / s) * x[2] for pi, x in zip(p, ests))
            tot = float(p @ np.array([x[1] for x in ests])) / s**2
            for gg, e_g, _ in ests:
                a[gpos[gg]] += e_g / s - tot
            rows.insert(0, ("ATT", est, a))
        elif type == "calendar":
            ests = [combine(post & (t == tt)) for tt in sorted(np.unique(t[post]))]
            for tt, (est, a) in zip(sorted(np.unique(t[post])), ests):
                rows.append((f"t={tt}", est, a))
            rows.insert(0, ("ATT", float(np.mean([x[0] for x in ests])), np.mean([x[1] for x in ests], axis=0)))
        else:
            raise ValueError(f"aggregate: type must be 'simple', 'dynamic', 'group' or 'calendar', not {type!r}")
        z = stats.norm.ppf(1 - self.alpha / 2)
        A = np.array([a for _, _, a in rows])
        crit = uniform_critical_value(A @ self.gram @ A.T / self.n**2, self.alpha, self.biters, self.seed)
        out = []
        for term, est, a in rows:
            se = float(np.sqrt(max(a @ self.gram @ a, 0.0)) / self.n)
            out.append(dict(term=term, estimate=est, std_error=se, conf_low=est - z * se, conf_high=est + z * se,
                            p_value=float(2 * (1 - stats.norm.cdf(abs(est / se)))) if se > 0 else np.nan,
                            inference="analytical (influence function)", n_obs=self.n, n_treated_units=np.nan,
                            n_control_units=np.nan))
        tidy = pd.DataFrame(out)
        band = tidy[["term", "estimate"]].assign(conf_low=tidy.estimate - crit * tidy.std_error,
                                                 conf_high=tidy.estimate + crit * tidy.std_error, critical_value=crit)
        notes = [f"uniform {100 * (1 - self.alpha):.0f} % band over the {len(rows)} terms: critical value {crit:.3f} "
                 f"(Gaussian multiplier bootstrap, {self.biters} draws) against {z:.3f} pointwise"]
        return EstimateResult(f"Callaway-Sant'Anna ({type})", self.yname, tidy, notes, {"uniform_band": band})


def uniform_critical_value(V: np.ndarray, alpha: float = 0.05, biters: int = 1000, seed: int = 20150330) -> float:
    """Critical value of a simultaneous band: the 1 - alpha quantile of max_k |Z_k| / se_k with
    Z ~ N(0, V), V the covariance of the estimates (here from their influence functions).

    This is the multiplier bootstrap of R did (``bstrap = TRUE, cband = TRUE``) with Gaussian
    multipliers: drawing v ~ N(0, I_n) and forming IF'v / n gives exactly Z ~ N(0, IF'IF / n^2), so the
    draws are taken from the Gram matrix of the influence functions (an aggregate) instead of the units'
    influence functions.  Terms with zero variance are left out of the maximum."""
    V = np.asarray(V, float)
    se = np.sqrt(np.clip(np.diag(V), 0, None))
    keep = se > 0
    if not keep.any():
        return float(stats.norm.ppf(1 - alpha / 2))
    Vk = V[np.ix_(keep, keep)]
    w, U = np.linalg.eigh((Vk + Vk.T) / 2)
    L = U * np.sqrt(np.clip(w, 0, None))
    Z = np.random.default_rng(seed).standard_normal((int(biters), len(w))) @ L.T
    return float(np.quantile(np.abs(Z / se[keep]).max(axis=1), 1 - alpha))


def att_gt(
    data: pd.DataFrame,
    yname: str,
    tname: str,
    idname: str,
    gname: str,
    control_group: str = "nevertreated",
    xformla: list[str] | None = None,
    anticipation: int = 0,
    alpha: float = 0.05,
    biters: int = 1000,
    seed: int = 20150330,
) -> ATTgtResult:
    """Group-time ATTs on a balanced panel.

    gname: first treated period; 0 (or missing) for never-treated units.
    xformla: covariate columns (time-invariant, taken in the base period) for the
    outcome-regression adjustment.

    Examples
    --------
    >>> from evaluation import att_gt
    >>> from evaluation.datasets import example_panel
    >>> out = att_gt(example_panel(), "y", "year", "pid", "first")
    >>> round(float(out.aggregate("simple").tidy().estimate.iloc[0]), 1)
    6.0
    """
    cols = [yname, tname, idname, gname] + list(xformla or [])
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise ValueError(f"att_gt: column(s) {missing} are not in the data")
    if control_group not in ("nevertreated", "notyettreated"):
        raise ValueError("att_gt: control_group must be 'nevertreated' or 'notyettreated'")
    d = data[cols].copy()
    d[gname] = d[gname].fillna(0)
    if (d.groupby(idname)[gname].nunique() > 1).any():
        bad = d.groupby(idname)[gname].nunique().idxmax()
        raise ValueError(f"att_gt: unit {bad!r} changes group; the treatment must be irreversible and {gname} "
                         "constant within a unit")
    wide = d.pivot(index=idname, columns=tname, values=yname)
    if wide.isna().any().any():
        raise ValueError("att_gt: the panel is unbalanced; every unit needs an outcome in every period")
    periods = list(wide.columns)
    G = d.groupby(idname)[gname].first().reindex(wide.index).to_numpy()
    n = len(G)
    first = periods[0]
    if (G == first).any():
        raise ValueError(f"att_gt: {int((G == first).sum())} unit(s) are treated in the first period {first}; "
                         "they have no pre-treatment period (drop them)")
    groups = sorted(x for x in np.unique(G) if x != 0 and x <= periods[-1])
    if not groups:
        raise ValueError("att_gt: no treated group within the sample periods")
    never = G == 0
    if control_group == "nevertreated" and not never.any():
        raise ValueError("att_gt: no never-treated units; use control_group='notyettreated'")
    Y = wide.to_numpy(dtype=float)
    X = None
    if xformla:
        Xd = d.groupby(idname)[list(xformla)].first().reindex(wide.index).to_numpy(dtype=float)
        X = np.column_stack([np.ones(n), Xd])
    pos = {p: i for i, p in enumerate(periods)}
    rows, infs = [], []
    for g in groups:
        for t in periods[1:]:
            post = t >= g - anticipation
            base = g - 1 - anticipation if post else periods[pos[t] - 1]
            if base not in pos:
                continue
            treat = G == g
            if control_group == "nevertreated":
                ctrl = never.copy()
            else:
                ctrl = never | ((G > max(t, base) + anticipation) & (G != g))
            if not ctrl.any():
                continue
            dy = Y[:, pos[t]] - Y[:, pos[base]]
            sub = treat | ctrl
            n1, n0 = treat.sum(), ctrl.sum()
            if X is None:
                mu1, mu0 = dy[treat].mean(), dy[ctrl].mean()
                att = mu1 - mu0
                inf_sub = np.zeros(n)
                inf_sub[treat] = (dy[treat] - mu1) / (n1 / n)
                inf_sub[ctrl] = -(dy[ctrl] - mu0) / (n0 / n)
            else:
                Xc, Xt = X[ctrl], X[treat]
                beta, *_ = np.linalg.lstsq(Xc, dy[ctrl], rcond=None)
                resid_t = dy[treat] - Xt @ beta
                att = resid_t.mean()
                # influence function of the outcome-regression DiD (Sant'Anna & Zhao 2020, reg)
                p1 = n1 / n
                xbar_t = Xt.mean(axis=0)
                M = Xc.T @ Xc / n
                inf_sub = np.zeros(n)
                inf_sub[treat] = (resid_t - att) / p1
                e_c = dy[ctrl] - Xc @ beta
                # estimation of beta: d ATT / d beta = -xbar_t, IF_beta = M^-1 X_i e_i on the controls
                inf_sub[ctrl] = -(Xc @ np.linalg.solve(M, xbar_t)) * e_c
            rows.append(dict(group=g, time=t, att=float(att), post=bool(post)))
            infs.append(inf_sub)
            del sub
    inf = np.column_stack(infs)
    table = pd.DataFrame(rows)
    table["se"] = np.sqrt((inf**2).sum(axis=0)) / n
    pg = {g: float(np.mean(G == g)) for g in groups}
    pre = ~table.post.to_numpy()
    pretest = {}
    if pre.any():
        V = inf[:, pre].T @ inf[:, pre] / n**2
        a = table.att.to_numpy()[pre]
        W = float(a @ np.linalg.pinv(V) @ a)
        pretest = {"W": W, "df": int(pre.sum()), "p_value": float(1 - stats.chi2.cdf(W, int(pre.sum())))}
    D = np.column_stack([(G == x).astype(float) - pg[x] for x in groups])
    M = np.column_stack([inf, D])
    return ATTgtResult(table, M.T @ M, list(groups), pg, n, yname, control_group, pretest, alpha, int(biters),
                       int(seed))
