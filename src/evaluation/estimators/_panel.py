"""Checks and reshaping shared by the unit-level estimators (SC, SDiD)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd


def wide_panel(data: pd.DataFrame, unit: str, time: str, outcome: str, treated_unit, treatment_time,
               min_pre: int = 2, name: str = "estimator") -> tuple[pd.DataFrame, list, list]:
    """Units x periods matrix of the outcome, with the errors a user needs to see.

    Returns (wide, pre_periods, post_periods); the treated unit is the first row."""
    for c in (unit, time, outcome):
        if c not in data.columns:
            raise ValueError(f"{name}: column {c!r} is not in the data (it has {list(data.columns)[:15]})")
    if data[[unit, time]].duplicated().any():
        dup = data.loc[data[[unit, time]].duplicated(), [unit, time]].iloc[0].tolist()
        raise ValueError(f"{name}: more than one row for {unit}={dup[0]!r}, {time}={dup[1]!r}; expected one per unit and period")
    if treated_unit not in set(data[unit]):
        raise ValueError(f"{name}: the treated unit {treated_unit!r} is not in column {unit!r}")
    if data[outcome].isna().any():
        bad = data.loc[data[outcome].isna(), [unit, time]].iloc[0].tolist()
        raise ValueError(f"{name}: outcome {outcome!r} is missing for {unit}={bad[0]!r}, {time}={bad[1]!r}")
    wide = data.pivot(index=unit, columns=time, values=outcome).sort_index(axis=1)
    periods = list(wide.columns)
    missing_cells = wide.isna()
    if missing_cells.any().any():
        u = missing_cells.any(axis=1)
        bad_units = list(wide.index[u])
        if treated_unit in bad_units:
            t_missing = [p for p in periods if pd.isna(wide.loc[treated_unit, p])]
            raise ValueError(f"{name}: the panel is unbalanced: the treated unit {treated_unit!r} has no outcome in "
                             f"{t_missing}")
        warnings.warn(f"{name}: the panel is unbalanced: dropping {len(bad_units)} donor(s) with missing periods "
                      f"{bad_units[:5]}", stacklevel=3)
        wide = wide.loc[~u]
    steps = np.diff(np.asarray(periods, dtype=float))
    if len(steps) and not np.allclose(steps, steps[0]):
        gaps = [periods[i + 1] for i in np.flatnonzero(~np.isclose(steps, steps[0]))]
        raise ValueError(f"{name}: periods are not evenly spaced (a period is missing before {gaps[:3]})")
    pre = [p for p in periods if p < treatment_time]
    post = [p for p in periods if p >= treatment_time]
    if len(pre) < min_pre:
        raise ValueError(f"{name}: {len(pre)} pre-treatment period(s) before {treatment_time!r}; at least {min_pre} "
                         "are needed")
    if not post:
        raise ValueError(f"{name}: no period at or after the treatment time {treatment_time!r}")
    donors = [u for u in wide.index if u != treated_unit]
    if not donors:
        raise ValueError(f"{name}: no donors left (only the treated unit has a complete panel)")
    if np.ptp(wide.to_numpy()) == 0:
        raise ValueError(f"{name}: outcome {outcome!r} is constant; there is nothing to estimate")
    wide = wide.loc[[treated_unit] + donors]
    return wide, pre, post


def post_period_weights(data: pd.DataFrame, unit: str, time: str, treated_unit, post: list,
                        post_weights: str | None, name: str = "estimator") -> np.ndarray:
    """Weights of the post periods in the ATT, summing to one: equal without ``post_weights``; otherwise the
    treated unit's values of that column (e.g. its persons per year, so the ATT is the person-weighted average
    the planted truth and the person-level estimators use; zero for a period that does not count)."""
    if post_weights is None:
        return np.full(len(post), 1.0 / len(post))
    if post_weights not in data.columns:
        raise ValueError(f"{name}: column {post_weights!r} (post_weights) is not in the data")
    pw = data[data[unit] == treated_unit].set_index(time)[post_weights].reindex(post).to_numpy(float)
    bad = [p for p, w in zip(post, pw) if not np.isfinite(w) or w < 0]
    if bad:
        raise ValueError(f"{name}: post_weights {post_weights!r} of the treated unit {treated_unit!r} are missing or "
                         f"negative in {bad}; expected a non-negative number in every post period")
    if pw.sum() <= 0:
        raise ValueError(f"{name}: post_weights {post_weights!r} of the treated unit {treated_unit!r} are zero in every "
                         "post period")
    return pw / pw.sum()
