"""One results protocol for every estimator: ``tidy()`` is the single source of truth.

Results hold aggregates only (estimates, counts, per-period means), never rows of
the input data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
            lines.append(
                f"  {r.term}: {r.estimate:.3f} (se {r.std_error:.3f}; 95% CI {r.conf_low:.3f} to {r.conf_high:.3f}; "
                f"p = {r.p_value:.3f}; {r.inference})"
            )
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{n}</li>" for n in self.notes)
        return (f"<p><b>{self.method}</b> (outcome: {self.outcome})</p>"
                + self.tidy().to_html(index=False, float_format=lambda v: f"{v:.3f}")
                + (f"<ul>{notes}</ul>" if notes else ""))
