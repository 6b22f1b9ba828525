"""Estimators with one results protocol (see results.EstimateResult): ``tidy()``, ``summary()``,
``conf_int()``, ``plot()`` and an HTML representation on every result.

    from evaluation.estimators import did, synthetic_control
"""

from evaluation.estimators.att_gt import att_gt
from evaluation.estimators.did import did
from evaluation.estimators.event_study import event_study
from evaluation.estimators.excess_cycle import excess_cycle
from evaluation.estimators.factor import cycle_slopes, interactive_fe
from evaluation.estimators.matched import matched_did
from evaluation.estimators.matrix_completion import matrix_completion
from evaluation.estimators.results import EstimateResult
from evaluation.estimators.synthetic_control import synthetic_control
from evaluation.estimators.synthetic_did import synthetic_did
from evaluation.estimators.triple import triple_did

__all__ = ["EstimateResult", "att_gt", "cycle_slopes", "did", "event_study", "excess_cycle", "interactive_fe",
           "matched_did", "matrix_completion", "synthetic_control", "synthetic_did", "triple_did"]
