"""How much harder would the treated unit have to ride the cycle for the effect to be the cycle?

A sensitivity analysis for a factor-model estimate (``interactive_fe``, ``cycle_slopes``) of one treated
unit.  Suppose the treated unit's untreated outcome changed from before the reform to after it by ``ratio``
times the comparison units' own change, where the estimator's counterfactual assumed the change it projects
(for a difference in differences of the yearly means, no factor: the comparison units' change itself, ratio
1).  Then the effect is

    tau(ratio) = ATT - (ratio - implied) * change

with ``change`` the comparison units' mean change (post periods weighted as in the ATT, minus the mean of the
pre-reform periods) and ``implied`` the ratio the estimator's own counterfactual projects for the treated unit
(its projected change over ``change``, from ``extras['projected_change']``): 1 for a difference in differences
of the yearly means; another value where factor loadings or covariates (the local unemployment rate riding the
cycle harder, say) already give the treated unit a larger or smaller change.  So a ratio always means "its
untreated yearly outcome changed ratio times as much as the comparison units'", whatever the model.  Attributing the whole of that change to the business cycle overstates the cycle's part
when the comparison units' outcome also moves for other reasons (composition, secular trends), so the values
are a bound in that direction, not an estimate of the cycle's part.

Intervals: the estimate's own interval moved by the same amount and widened in quadrature for the comparison
change's sampling error over units (standard error ``se``; variance ``(ratio**2 - implied**2) * se**2`` for
ratio >= implied, exact for a DiD of the yearly means, where the ATT already contains ``-change`` once, and
approximate otherwise).  An estimate without an interval gives none here either.

The breakdown values: the ratio at which tau is zero (``implied + ATT / change``) and the ratio at which the lower
end of the interval reaches zero.  With a comparison change of zero or below, a harder ride would raise the
estimate; no ratio explains it away and the breakdown values are None.

A benchmark for the ratio is the treated unit's pre-reform cyclicality of another series, relative to the
comparison units' (``specifications.cycle_sensitivity``: the slope of its unemployment rate on the national
rate), in the spirit of benchmarking the strength of an omitted confounder by an observed one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats

from evaluation.estimators.results import EstimateResult

DEFAULT_RATIOS = (1.0, 1.25, 1.5, 1.75, 2.0)


@dataclass
class ExcessCycle:
    estimate: float
    conf_low: float
    conf_high: float
    change: float
    change_se: float
    n_units: int
    alpha: float = 0.05
    ratios: tuple = DEFAULT_RATIOS
    benchmark: float | None = None
    notes: list = field(default_factory=list)
    implied: float = 1.0  # the ratio the estimator's own counterfactual projects (1: a DiD of the yearly means)

    def at(self, ratio: float) -> tuple[float, float, float]:
        """The estimate and interval if the treated unit's change were ``ratio`` times the comparison units'."""
        r = float(ratio)
        est = self.estimate - (r - self.implied) * self.change
        if not (np.isfinite(self.conf_low) and np.isfinite(self.conf_high)):
            return est, np.nan, np.nan
        z = stats.norm.ppf(1 - self.alpha / 2)
        extra = z**2 * max(r * r - self.implied**2, 0.0) * self.change_se**2
        lo = est - np.sqrt((self.estimate - self.conf_low) ** 2 + extra)
        hi = est + np.sqrt((self.conf_high - self.estimate) ** 2 + extra)
        return est, lo, hi

    def breakdown(self) -> dict:
        """The ratio at which the estimate is zero, and at which its interval's lower end reaches zero (``implied``
        when the interval already includes zero; None when no ratio does it, or no interval exists)."""
        if not self.change > 0 or not self.estimate > 0:
            return {"estimate_zero": None, "interval_zero": None}
        k_est = self.implied + self.estimate / self.change
        if not (np.isfinite(self.conf_low) and np.isfinite(self.conf_high)):
            return {"estimate_zero": k_est, "interval_zero": None}
        if self.conf_low <= 0:
            return {"estimate_zero": k_est, "interval_zero": self.implied}
        k_ci = optimize.brentq(lambda r: self.at(r)[1], self.implied, k_est)
        return {"estimate_zero": k_est, "interval_zero": float(k_ci)}

    def tidy(self) -> pd.DataFrame:
        """One row per ratio (the grid, the benchmark if given, and the ratio the model implies when it is not 1),
        then the two breakdown values."""
        rows = []
        grid = [(r, "ratio") for r in self.ratios]
        if abs(self.implied - 1.0) > 1e-9:
            grid.append((float(self.implied), "implied"))
        if self.benchmark is not None and np.isfinite(self.benchmark):
            grid.append((float(self.benchmark), "benchmark"))
        for r, what in sorted(grid, key=lambda x: (x[0], x[1])):
            est, lo, hi = self.at(r)
            rows.append(dict(what=what, ratio=r, estimate=est, conf_low=lo, conf_high=hi))
        for key, k in self.breakdown().items():
            est, lo, hi = self.at(k) if k is not None else (np.nan, np.nan, np.nan)
            rows.append(dict(what=f"breakdown_{key}", ratio=np.nan if k is None else k, estimate=est,
                             conf_low=lo, conf_high=hi))
        out = pd.DataFrame(rows)
        out["comparison_change"] = self.change
        out["comparison_change_se"] = self.change_se
        return out

    def conf_int(self) -> pd.DataFrame:
        """The interval at each ratio of the grid (and the benchmark), indexed by ratio."""
        t = self.tidy()
        return t[t.what.isin(["ratio", "benchmark"])].set_index("ratio")[["conf_low", "conf_high"]]

    def plot(self, ax=None, upto: float | None = None):
        """The estimate and its interval against the ratio, from 1 to ``upto`` (default: past the larger of the
        grid's end and the ratio at which the estimate reaches zero), the benchmark dashed; returns the axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6.5, 3.4))
        k0 = self.breakdown()["estimate_zero"]
        hi = upto if upto is not None else max(max(self.ratios), (k0 or 0.0) * 1.05)
        r = np.linspace(min(1.0, self.implied, min(self.ratios)), hi, 101)
        v = np.array([self.at(x) for x in r])
        if np.isfinite(v[:, 1]).all():
            ax.fill_between(r, v[:, 1], v[:, 2], alpha=0.2, lw=0, label=f"{100 * (1 - self.alpha):.0f}% interval")
        ax.plot(r, v[:, 0], label="estimate")
        if self.benchmark is not None:
            ax.axvline(self.benchmark, ls="--", color="C1", label="benchmark")
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_xlabel("ratio of the treated unit's untreated change to the comparison units'")
        ax.set_ylabel("effect")
        ax.legend(fontsize=8)
        return ax

    def _repr_html_(self) -> str:
        return ("<p><b>Excess cycle response</b>: comparison units' change "
                f"{self.change:.3f} (se {self.change_se:.3f}, {self.n_units} units)</p>"
                + self.tidy().to_html(index=False, float_format=lambda v: f"{v:.3f}"))

    def summary(self) -> str:
        b = self.breakdown()

        def f(v):
            return "none" if v is None else f"{v:.2f}"

        lines = [f"Excess cycle response: comparison units' change {self.change:.3f} (se {self.change_se:.3f}, "
                 f"{self.n_units} units); the model's own counterfactual implies ratio {self.implied:.3f}",
                 self.tidy().to_string(index=False),
                 f"breakdown: estimate zero at ratio {f(b['estimate_zero'])}, interval reaches zero at "
                 f"{f(b['interval_zero'])}"]
        return "\n".join(lines + self.notes)

    def __repr__(self) -> str:
        return self.summary()


def excess_cycle(result: EstimateResult, ratios=DEFAULT_RATIOS, benchmark: float | None = None,
                 alpha: float = 0.05) -> ExcessCycle:
    """The estimate of ``result`` (interactive_fe or cycle_slopes) if the treated unit's untreated outcome had
    changed ``ratio`` times as much as the comparison units' from before the reform to after it.

    Examples
    --------
    >>> from evaluation import interactive_fe
    >>> from evaluation.datasets import example_means
    >>> from evaluation.estimators.excess_cycle import excess_cycle
    >>> res = interactive_fe(example_means(), "kom", "year", "y", 0, 2015, r=0, size="n")
    >>> ex = excess_cycle(res)
    >>> bool(abs(ex.at(1.0)[0] - float(res.tidy().estimate.iloc[0])) < 1e-12)
    True
    """
    cc = (result.extras or {}).get("comparison_change")
    if cc is None:
        raise ValueError(f"excess_cycle: the result of {result.method!r} carries no comparison change "
                         "(extras['comparison_change']); expected a result of interactive_fe or cycle_slopes")
    bad = [r for r in ratios if not np.isfinite(r) or r < 0]
    if bad:
        raise ValueError(f"excess_cycle: ratios {bad} are not non-negative numbers")
    if benchmark is not None and not (np.isfinite(benchmark) and benchmark >= 0):
        raise ValueError(f"excess_cycle: benchmark {benchmark!r} is not a non-negative number")
    t = result.tidy().iloc[0]
    lo = float(t.conf_low) if pd.notna(t.conf_low) else np.nan
    hi = float(t.conf_high) if pd.notna(t.conf_high) else np.nan
    change = float(cc["change"])
    projected = (result.extras or {}).get("projected_change")
    # the ratio the model's own counterfactual implies (a change of zero or below has no ratio: 1, as a DiD's)
    implied = float(projected) / change if projected is not None and change > 0 else 1.0
    return ExcessCycle(float(t.estimate), lo, hi, change, float(cc["std_error"]), int(cc["n_units"]),
                       alpha=alpha, ratios=tuple(float(r) for r in ratios),
                       benchmark=None if benchmark is None else float(benchmark), implied=implied)
