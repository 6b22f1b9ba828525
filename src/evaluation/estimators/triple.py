"""Triple differences for one treated unit: a comparison group inside the same unit.

The target group's change in the treated municipality is compared with the change of a reference group
in the same municipality (sharing its labour market, and so its cycle, but not targeted by the reform),
against the same contrast in the comparison municipalities:

    DDD = [ (Y_T,post - Y_T,pre) - s (R_T,post - R_T,pre) ] - mean over comparisons of the same

where Y is the target group's mean, R the reference group's and s the ``scale`` (1: the classic triple
difference, Gruber 1994; Olden & Moen 2022, "The triple difference estimator", Econometrics Journal 25(3)).

What it assumes instead of parallel trends: the gap between the target group's and ``scale`` times the
reference group's untreated paths evolves alike in every municipality.  A municipality that rides the
cycle harder then moves both groups, and the difference removes it, *if* the cycle moves the target group
by ``scale`` times what it moves the reference group, alike everywhere, and if the reform does not reach
the reference group (persons who pass from it into the targeted benefits are reached: the estimate is then
pulled towards zero).  Both are testable only in part: the pre-reform effects (``extras['path']``) show
whether the gap moved before the reform.

Inference (one treated unit): placebo in space over the comparison municipalities, each in turn in the
treated role, normalised by the sampling variance of its own contrast (evaluation.inference), the target
and reference groups' variances added (they are different persons).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from evaluation.estimators.factor import _factor_model
from evaluation.estimators.results import EstimateResult


def triple_did(
    data: pd.DataFrame,
    unit: str,
    time: str,
    outcome: str,
    treated_unit,
    treatment_time,
    group: str,
    reference,
    scale: float = 1.0,
    size: str | None = None,
    sampling_var: str | None = None,
    contrast_variance: Callable[[object, dict], float] | None = None,
    reference_contrast_variance: Callable[[object, dict], float] | None = None,
    post_weights: str | None = None,
    alpha: float = 0.05,
) -> EstimateResult:
    """Triple differences (target group against a reference group in the same unit) for one treated unit.

    Parameters
    ----------
    data : unit-period-group rows: one row per unit, period and group (the target group and the reference)
    unit, time, outcome : column names
    treated_unit, treatment_time : the treated unit and its first treated period
    group : column naming the group of each row; the rows whose value equals ``reference`` are the
        reference group, all others the target group (exactly two values are expected)
    scale : s in target - s * reference (1: the classic triple difference); a sensitivity parameter
    size : column of the target group's persons behind each mean (size-normalised placebos without variances)
    sampling_var : column of each unit-period-group mean's sampling variance (the two groups' are added)
    contrast_variance, reference_contrast_variance : f(unit, {period: weight}) -> sampling variance of the
        weighted sum of the unit's target (reference) group means; override sampling_var (use them for a
        fixed cohort, whose persons are correlated across years)
    post_weights : column whose treated-unit target-group values weight the post periods

    Returns
    -------
    EstimateResult with tidy() (the post-period average), extras['path'] (the treated unit's target minus
    scaled reference, its counterfactual and the effect per period, pre-reform periods included) and
    extras['effects_by_period'] with placebo intervals.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from evaluation import triple_did
    >>> rng = np.random.default_rng(1)
    >>> rows = []
    >>> for k in range(30):
    ...     cyc = (2.0 if k == 0 else rng.normal(1, 0.3)) * np.linspace(0, 4, 10)  # the unit's own cycle
    ...     for t, year in enumerate(range(2010, 2020)):
    ...         eff = 6.0 if (k == 0 and year >= 2015) else 0.0
    ...         rows.append(dict(kom=k, year=year, grp="target", y=cyc[t] + eff + rng.normal(0, .05), n=100))
    ...         rows.append(dict(kom=k, year=year, grp="reference", y=cyc[t] + 3 + rng.normal(0, .05), n=100))
    >>> res = triple_did(pd.DataFrame(rows), "kom", "year", "y", 0, 2015, group="grp", reference="reference",
    ...                  size="n")
    >>> round(float(res.tidy().estimate.iloc[0]), 1)
    6.0
    """
    name = "triple_did"
    for c in (unit, time, outcome, group):
        if c not in data.columns:
            raise ValueError(f"{name}: column {c!r} is not in the data (it has {list(data.columns)[:15]})")
    values = list(pd.unique(data[group]))
    if reference not in values:
        raise ValueError(f"{name}: no row has {group} == {reference!r} (the reference group); values are {values}")
    if len(values) != 2:
        raise ValueError(f"{name}: column {group!r} must hold exactly two groups (the target and {reference!r}), "
                         f"it holds {values}")
    scale = float(scale)
    if not np.isfinite(scale):
        raise ValueError(f"{name}: scale must be a finite number, not {scale!r}")
    is_ref = data[group] == reference
    keys = [unit, time]
    tgt = data[~is_ref].set_index(keys)
    ref = data[is_ref].set_index(keys)
    both = tgt.index.intersection(ref.index)
    lost = sorted(set(tgt.index.get_level_values(0)) - set(both.get_level_values(0)))
    t_periods = set(tgt.xs(treated_unit, level=0).index) if treated_unit in tgt.index.get_level_values(0) else set()
    r_periods = set(ref.xs(treated_unit, level=0).index) if treated_unit in ref.index.get_level_values(0) else set()
    if not t_periods or t_periods - r_periods:
        raise ValueError(f"{name}: the treated unit {treated_unit!r} has no reference-group rows for periods "
                         f"{sorted(t_periods - r_periods) or 'all'}")
    d = pd.DataFrame(index=both)
    d[outcome] = tgt.loc[both, outcome].to_numpy(float) - scale * ref.loc[both, outcome].to_numpy(float)
    for c in (size, post_weights):
        if c is not None:
            if c not in data.columns:
                raise ValueError(f"{name}: column {c!r} is not in the data")
            d[c] = tgt.loc[both, c].to_numpy(float)
    var_col = None
    if sampling_var is not None:
        if sampling_var not in data.columns:
            raise ValueError(f"{name}: column {sampling_var!r} (sampling_var) is not in the data")
        var_col = "_ddd_var"
        d[var_col] = tgt.loc[both, sampling_var].to_numpy(float) + scale**2 * ref.loc[both, sampling_var].to_numpy(float)
    cv = None
    if contrast_variance is not None:
        if reference_contrast_variance is None:
            raise ValueError(f"{name}: contrast_variance needs reference_contrast_variance (the reference group's)")

        def cv(u, w):
            return float(contrast_variance(u, w)) + scale**2 * float(reference_contrast_variance(u, w))

    d = d.reset_index()
    periods = sorted(d[time].unique())
    res = _factor_model(d, unit, time, outcome, treated_unit, treatment_time, factors=pd.DataFrame(index=periods),
                        max_factors=0, r=None, size=size, sampling_var=var_col, contrast_variance=cv, alpha=alpha,
                        method=f"triple differences (target - {scale:g} x reference group {reference!r})",
                        name=name, post_weights=post_weights)
    res.notes.append(f"reference group {reference!r} in the same municipality, scale {scale:g}; units without "
                     f"reference-group rows dropped: {len(lost)}")
    res.extras["scale"] = scale
    res.extras["reference"] = reference
    return res
