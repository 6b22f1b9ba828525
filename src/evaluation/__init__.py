"""evaluation: register-based causal evaluation of municipal employment reforms.

Stages (data flows one way): ``synthetic`` (or a real extract) -> ``registers``
(read, validate, map codes) -> ``panel`` (person-year and municipality-year
panels, sample flow) -> ``estimators`` -> ``report``.
"""

__version__ = "0.1.0"

# The estimators, importable in one line (``from evaluation import did``); loaded on first use so that
# the pipeline's data stages do not import the estimation libraries.
_ESTIMATORS = ["att_gt", "cycle_slopes", "did", "event_study", "excess_cycle", "interactive_fe", "matched_did",
               "matrix_completion", "synthetic_control", "synthetic_did", "triple_did", "EstimateResult"]
__all__ = list(_ESTIMATORS)


def __getattr__(name: str):
    if name in _ESTIMATORS:
        from evaluation import estimators

        return getattr(estimators, name)
    raise AttributeError(f"module 'evaluation' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + _ESTIMATORS)
