"""evaluation: register-based causal evaluation of municipal employment reforms.

Stages (data flows one way): ``synthetic`` (or a real extract) -> ``registers``
(read, validate, map codes) -> ``panel`` (person-year and municipality-year
panels, sample flow) -> ``estimators`` -> ``report``.
"""

__version__ = "0.1.0"
