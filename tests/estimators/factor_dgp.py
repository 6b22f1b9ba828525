"""A municipality-year panel with a factor structure: the business cycle enters through each unit's own
loading (the treated unit's larger than typical), with unit sizes a hundredfold apart."""

from __future__ import annotations

import numpy as np
import pandas as pd

NATIONAL = np.array([6.1, 6.0, 6.0, 5.8, 5.0, 4.6, 4.2, 4.3, 3.9, 3.7])  # a Danish-like unemployment path
YEARS = list(range(2010, 2020))


def accumulated_cycle(persistence: float = 0.5) -> np.ndarray:
    c = NATIONAL - NATIONAL.mean()
    a = np.empty_like(c)
    a[0] = c[0]
    for t in range(1, len(c)):
        a[t] = persistence * a[t - 1] + (1 - persistence) * c[t]
    return a


def factor_panel(seed: int, n_controls: int = 60, tau: float = 10.0, treated_loading: float = 1.6,
                 person_sd: float = 30.0, cycle_scale: float = 30.0, second_factor: float = 3.0,
                 sizes: tuple[int, int] = (20, 2000), loading_sd: float = 0.3, exchangeable: bool = False):
    """Rows kom, year, y, n_persons, var_mean; the treated unit is 0 (its first post year is 2015).

    y_it = a_i + 2 t - cycle_scale * lambda_i * A_t + second_factor * g_i G_t + e_it, e_it ~ N(0, person_sd^2 / n_i);
    lambda_i ~ N(1, loading_sd); the treated unit's lambda is ``treated_loading`` (or drawn like the others
    when ``exchangeable``); tau added to the treated unit from 2015."""
    rng = np.random.default_rng(seed)
    N, T = n_controls + 1, len(YEARS)
    A = accumulated_cycle()
    lam = rng.normal(1.0, loading_sd, N)
    if not exchangeable:
        lam[0] = treated_loading
    g, G = rng.normal(0, 1, N), rng.normal(0, 1, T)
    n = np.exp(rng.uniform(np.log(sizes[0]), np.log(sizes[1]), N)).round().astype(int)
    n[0] = 1000
    Y = (20 * rng.normal(0, 1, N)[:, None] + 2.0 * np.arange(T)[None, :] - cycle_scale * lam[:, None] * A[None, :]
         + second_factor * g[:, None] * G[None, :] + rng.normal(0, 1, (N, T)) * person_sd / np.sqrt(n)[:, None])
    Y[0, 5:] += tau
    kom, yr = np.repeat(np.arange(N), T), np.tile(YEARS, N)
    return pd.DataFrame({"kom": kom, "year": yr, "y": Y.ravel(), "n_persons": np.repeat(n, T),
                         "var_mean": np.repeat(person_sd**2 / n, T)})


def twfe(d: pd.DataFrame, treated=0, year0=2015) -> float:
    w = d.pivot(index="kom", columns="year", values="y")
    pre, post = [c for c in w.columns if c < year0], [c for c in w.columns if c >= year0]
    t, c = w.loc[treated], w.drop(treated)
    return float((t[post].mean() - t[pre].mean()) - (c[post].mean(axis=1) - c[pre].mean(axis=1)).mean())


def national_series() -> pd.Series:
    return pd.Series(NATIONAL, index=YEARS)


def covariate_panel(seed: int, n_controls: int = 40, tau: float = 12.5, beta: float = -8.0, treated_kappa: float = 2.5,
                    person_sd: float = 0.0, second_factor: float = 3.0, exchangeable: bool = False,
                    sizes: tuple[int, int] = (20, 2000)):
    """A factor panel with a time-varying covariate that carries each unit's own cycle in every year.

    x_it = 5 + kappa_i A_t + 0.3 h_it (h_it idiosyncratic: x is not a factor), kappa_i ~ N(1, 0.3), the treated
    unit's ``treated_kappa`` (drawn like the others when ``exchangeable``);
    y_it = a_i + 2 t + beta x_it + second_factor g_i G_t + e_it, e_it ~ N(0, person_sd^2 / n_i); tau added to the
    treated unit (0) from 2015.  Without the covariate a model with one factor (G) misses the treated unit's
    harder ride on A, which barely moves before 2015; with it, beta carries that ride into every year."""
    rng = np.random.default_rng(seed)
    N, T = n_controls + 1, len(YEARS)
    A = accumulated_cycle()
    kappa = rng.normal(1.0, 0.3, N)
    if not exchangeable:
        kappa[0] = treated_kappa
    x = 5.0 + kappa[:, None] * A[None, :] + 0.3 * rng.normal(0, 1, (N, T))
    g, G = rng.normal(0, 1, N), rng.normal(0, 1, T)
    n = np.exp(rng.uniform(np.log(sizes[0]), np.log(sizes[1]), N)).round().astype(int)
    n[0] = 1000
    Y = (20 * rng.normal(0, 1, N)[:, None] + 2.0 * np.arange(T)[None, :] + beta * x
         + second_factor * g[:, None] * G[None, :] + rng.normal(0, 1, (N, T)) * person_sd / np.sqrt(n)[:, None])
    Y[0, 5:] += tau
    kom, yr = np.repeat(np.arange(N), T), np.tile(YEARS, N)
    return pd.DataFrame({"kom": kom, "year": yr, "y": Y.ravel(), "x": x.ravel(), "n_persons": np.repeat(n, T),
                         "var_mean": np.repeat(max(person_sd, 1e-9) ** 2 / n, T)})
