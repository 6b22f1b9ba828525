"""Small example panels for the estimators' documentation and first steps (synthetic, aggregates only
leave the estimators)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def example_panel(seed: int = 3, effect: float = 6.0, n_municipalities: int = 25) -> pd.DataFrame:
    """Person-year rows: municipalities of unequal size (8 to 60 persons, municipality 0 with 80), years
    2010-2019, municipality 0 treated from 2015 with a constant ``effect``; person, municipality and year
    effects and small person noise.

    Columns: pid, year, kom, y (the outcome), x (a person-level covariate), treated, post, first (first
    treated year, 0 for never treated).

    >>> d = example_panel()
    >>> int(d.groupby("kom").pid.nunique().loc[0]), int(d.year.min()), int(d.year.max())
    (80, 2010, 2019)
    """
    rng = np.random.default_rng(seed)
    sizes = rng.integers(8, 60, n_municipalities)
    sizes[0] = 80
    years = np.arange(2010, 2020)
    year_fx = rng.normal(0, 2, len(years))
    frames, pid = [], 0
    for g, n in enumerate(sizes):
        mu = rng.normal(0, 3)
        a = rng.normal(0, 2, n)
        y = (a[:, None] + mu + year_fx[None, :] + effect * ((g == 0) & (years >= 2015))[None, :]
             + rng.normal(0, 0.5, (n, len(years))))
        frames.append(pd.DataFrame({"pid": np.repeat(np.arange(pid, pid + n), len(years)),
                                    "year": np.tile(years, n), "kom": g, "y": y.ravel(), "x": np.repeat(a, len(years))}))
        pid += n
    d = pd.concat(frames, ignore_index=True)
    d["treated"], d["post"] = d.kom == 0, d.year >= 2015
    d["first"] = np.where(d.kom == 0, 2015, 0)
    return d


def example_means(seed: int = 3, effect: float = 6.0) -> pd.DataFrame:
    """The municipality-year means of :func:`example_panel`, with the persons behind each (``n``).

    >>> m = example_means()
    >>> list(m.columns), len(m)
    (['kom', 'year', 'y', 'n'], 250)
    """
    d = example_panel(seed, effect)
    return d.groupby(["kom", "year"]).agg(y=("y", "mean"), n=("pid", "size")).reset_index()
