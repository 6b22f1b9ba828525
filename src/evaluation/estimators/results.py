"""One results protocol for every estimator: ``tidy()`` is the single source of truth.

Results hold aggregates only (estimates, counts, per-period means), never rows of
the input data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

TIDY_COLUMNS = ["term", "estimate", "std_error", "conf_low", "conf_high", "p_value", "inference", "n_obs",
                "n_treated_units", "n_control_units"]


@dataclass
class EstimateResult:
    method: str
    outcome: str
    _tidy: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    extras: dict = field(default_factory=dict)  # aggregate tables (e.g. per-period effects)

    def __post_init__(self):
        """An interval that cannot be computed (an infinite bound: too few comparison units for the level) is
        unavailable, never a number: both bounds become NaN, and a note says so (every estimator alike)."""
        t = self._tidy
        if {"conf_low", "conf_high"} <= set(t.columns) and len(t):
            lo, hi = t["conf_low"].to_numpy(dtype=float), t["conf_high"].to_numpy(dtype=float)
            infinite = np.isinf(lo) | np.isinf(hi)
            if infinite.any():
                t = t.copy()
                t.loc[infinite, ["conf_low", "conf_high"]] = np.nan
                self._tidy = t
                terms = ", ".join(map(str, t.loc[infinite, "term"])) if "term" in t.columns else ""
                self.notes = list(self.notes) + [
                    f"no finite 95 % interval ({terms}): too few comparison units for the level; shown as unavailable"]

    def tidy(self) -> pd.DataFrame:
        out = self._tidy.copy()
        out.insert(0, "outcome", self.outcome)
        out.insert(0, "method", self.method)
        return out

    def conf_int(self) -> pd.DataFrame:
        return self._tidy.set_index("term")[["conf_low", "conf_high"]]

    def summary(self) -> str:
        t = self._tidy
        lines = [f"{self.method} - outcome: {self.outcome}"]
        for r in t.itertuples():
            ci = (f"95% CI {r.conf_low:.3f} to {r.conf_high:.3f}"
                  if np.isfinite(r.conf_low) and np.isfinite(r.conf_high) else "95% CI unavailable")
            lines.append(f"  {r.term}: {r.estimate:.3f} (se {r.std_error:.3f}; {ci}; p = {r.p_value:.3f}; "
                         f"{r.inference})")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def plot(self, ax=None, truth: pd.Series | None = None, kind: str = "effect"):
        """A matplotlib figure of the result; returns the axes.

        ``kind="weights"`` (synthetic control, synthetic DiD): the comparison units' weights as bars, largest
        first (the 20 largest), and for synthetic DiD its time weights over the pre-reform periods beside
        them, as synthdid draws them; returns the axes (one or two).

        With a path (synthetic control, synthetic DiD, factor models, matrix completion): the treated
        unit's outcome and its estimated untreated path, and the placebo gaps in grey when kept. With
        several terms (event study, att_gt aggregations): each term's estimate and interval, and the
        simultaneous band shaded where the result has one (conf_low_uniform, conf_high_uniform). Otherwise
        the estimate and its interval. An interval that could not be computed is not drawn.
        ``truth``: a planted effect by term or period, drawn dotted where it applies."""
        import matplotlib.pyplot as plt

        if kind == "weights":
            return self._plot_weights(ax)
        if kind != "effect":
            raise ValueError(f"plot: kind must be 'effect' or 'weights', not {kind!r}")
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 3.6))
        path = self.extras.get("path")
        if isinstance(path, pd.DataFrame) and "treated" in path.columns:
            time = path.columns[0]
            other = "counterfactual" if "counterfactual" in path.columns else "synthetic"
            gaps = self.extras.get("placebo_gaps")
            if isinstance(gaps, pd.DataFrame):
                base = path.set_index(time)[other]
                for col in gaps.columns:
                    ax.plot(gaps.index, base.reindex(gaps.index).to_numpy() + gaps[col].to_numpy(), color="0.85",
                            lw=0.7, zorder=1)
            ax.plot(path[time], path["treated"], "o-", color="C0", label="treated", zorder=3)
            ax.plot(path[time], path[other], "s--", color="C1", label="estimated untreated path", zorder=3)
            ax.set_xlabel(str(time))
            ax.set_ylabel(self.outcome)
            ax.legend(fontsize=8)
            ax.set_title(self.method, fontsize=9)
            return ax
        t = self._tidy
        x = np.arange(len(t))
        ok = np.isfinite(t["conf_low"].to_numpy(float)) & np.isfinite(t["conf_high"].to_numpy(float))
        est = t["estimate"].to_numpy(float)
        ax.errorbar(x[ok], est[ok], yerr=[est[ok] - t["conf_low"].to_numpy(float)[ok],
                                          t["conf_high"].to_numpy(float)[ok] - est[ok]], fmt="o", capsize=3,
                    color="C0", label="estimate, 95% interval")
        ax.plot(x[~ok], est[~ok], "o", mfc="white", color="C0", label="estimate (interval unavailable)"
                if (~ok).any() else None)
        if {"conf_low_uniform", "conf_high_uniform"} <= set(t.columns):
            ul, uh = t["conf_low_uniform"].to_numpy(float), t["conf_high_uniform"].to_numpy(float)
            u = np.isfinite(ul) & np.isfinite(uh)
            if u.any():  # the simultaneous band, where it exists
                ax.fill_between(x[u], ul[u], uh[u], color="C0", alpha=0.15, lw=0, step=None,
                                label="simultaneous 95% band")
        if truth is not None:
            tv = pd.Series(truth).reindex(t["term"]).to_numpy(float)
            ax.plot(x, tv, "k:", marker="_", label="planted effect")
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_xticks(x, t["term"].astype(str), rotation=0 if len(t) < 8 else 45, fontsize=8)
        ax.set_ylabel(f"effect on {self.outcome}")
        ax.set_title(self.method, fontsize=9)
        ax.legend(fontsize=8)
        return ax

    def _plot_weights(self, ax=None):
        import matplotlib.pyplot as plt

        unit = self.extras.get("unit_weights", self.extras.get("weights"))
        if not isinstance(unit, pd.Series):
            raise ValueError(f"plot(kind='weights'): {self.method} has no unit weights (synthetic control and "
                             "synthetic DiD have)")
        time = self.extras.get("time_weights")
        n = 2 if isinstance(time, pd.Series) else 1
        if ax is None:
            _, ax = plt.subplots(1, n, figsize=(4.5 * n, 3.6), squeeze=False)
            ax = list(ax[0])
        ax = list(np.atleast_1d(ax))
        if len(ax) < n:
            raise ValueError(f"plot(kind='weights'): {n} axes are needed (unit and time weights)")
        top = unit[unit > 1e-6].sort_values(ascending=False).head(20)[::-1]
        ax[0].barh([str(i) for i in top.index], top.to_numpy(), color="C0")
        ax[0].set_xlabel("unit weight"), ax[0].set_title(f"{self.method}: comparison units", fontsize=9)
        ax[0].tick_params(axis="y", labelsize=7)
        if n == 2:
            ax[1].bar([str(i) for i in time.index], time.to_numpy(), color="C1")
            ax[1].set_ylabel("time weight"), ax[1].set_title("pre-reform periods", fontsize=9)
            ax[1].tick_params(axis="x", labelsize=7, rotation=45)
        return ax if n == 2 else ax[0]

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{n}</li>" for n in self.notes)
        return (f"<p><b>{self.method}</b> (outcome: {self.outcome})</p>"
                + self.tidy().to_html(index=False, float_format=lambda v: f"{v:.3f}")
                + (f"<ul>{notes}</ul>" if notes else ""))
