"""The investment case: what the reform cost against the public benefit payments its
estimated effect on weeks on support saved.

Steps (each a function, so each can be tested on its own):

1. :func:`weekly_rates` turns the benefit rates in config (per benefit type and year, in
   the unit the source gives: month, week or year, each with its source) into DKK per
   week; a year without a sourced rate takes the latest earlier sourced rate and says so.
2. :func:`weeks_effects` estimates, per benefit category, the effect on weeks on that
   benefit in each year after the reform (event study with the same design, comparison
   group and covariates as the chosen specification, placebo-in-space intervals).
3. :func:`payment_effects` estimates, per year t, the effect on benefit payments per
   person priced at year t's rates (the event-study coefficient of t for the outcome
   sum_c rate_{c,t} * weeks_c), with its placebo interval.  By linearity it equals the
   rate-weighted sum of the per-category effects of step 2 (a test checks this).
   :func:`total_payment_effect` gives the sum over the years (each year's effect per person
   times its treated persons) with an interval of its own.
4. :func:`investment_case` multiplies the per-person effects by the number of treated
   persons each year, sets the savings against the investment by year, and finds the
   break-even year (the first year in which cumulative savings reach cumulative
   investment, or none within the data).

Everything returned is aggregate: effects, counts of treated persons, sums in mio. kr.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

UNIT_WEEKS = {"week": 1.0, "month": 52.0 / 12.0, "year": 52.0}


def weekly_rates(rates_cfg: dict, years: list[int]) -> pd.DataFrame:
    """DKK per week for each priced category and year.

    ``rates_cfg``: {category: {unit: month|week|year, rates: {year: amount}, source: str,
    note: str (optional)}}.  Columns: category, year, rate (in the source's unit), unit,
    weekly_rate, rate_year (the year whose sourced rate is used), source."""
    rows = []
    for cat, spec in rates_cfg.items():
        unit = spec.get("unit", "month")
        if unit not in UNIT_WEEKS:
            raise ValueError(f"investment.benefit_rates.{cat}.unit: expected one of {sorted(UNIT_WEEKS)}, not {unit!r}")
        sourced = {int(y): float(v) for y, v in (spec.get("rates") or {}).items()}
        if not sourced:
            raise ValueError(f"investment.benefit_rates.{cat}: no rates given")
        for y in years:
            earlier = [s for s in sourced if s <= y]
            if not earlier:
                raise ValueError(f"investment.benefit_rates.{cat}: no rate for {y} or an earlier year "
                                 f"(sourced years: {sorted(sourced)})")
            ry = max(earlier)
            rows.append(dict(category=cat, year=y, rate=sourced[ry], unit=unit,
                             weekly_rate=sourced[ry] / UNIT_WEEKS[unit], rate_year=ry,
                             source=spec.get("source", "")))
    return pd.DataFrame(rows)


def _event_rows(result, year0: int) -> pd.DataFrame:
    t = result.tidy()
    t["year"] = year0 + t["term"].str.replace("e=", "").astype(int)
    return t


def weeks_effects(rows: pd.DataFrame, categories: list[str], treated_kom: int, year0: int,
                  covariates: list[str]) -> pd.DataFrame:
    """Per category and year after the reform: the effect on weeks on that benefit per
    treated person (event study, normalised placebo-in-space interval)."""
    from evaluation.estimators.event_study import event_study

    d = rows.assign(treated=rows.group_kom == treated_kom)
    out = []
    for c in categories:
        col = f"weeks_{c}"
        if d[col].nunique() <= 1:  # nobody ever on this benefit: no effect to estimate
            continue
        r = _event_rows(event_study(d, col, "year", "PNR", "treated", year0, "group_kom",
                                    covariates=covariates), year0)
        r = r[r.year >= year0]
        out.append(r.assign(category=c)[["category", "year", "estimate", "conf_low", "conf_high", "p_value"]])
    return pd.concat(out, ignore_index=True)


def payment_effects(rows: pd.DataFrame, rates: pd.DataFrame, treated_kom: int, year0: int,
                    covariates: list[str]) -> pd.DataFrame:
    """Per year t after the reform: the effect on benefit payments per treated person in
    DKK at year t's rates, with its placebo interval."""
    from evaluation.estimators.event_study import event_study

    d = rows.assign(treated=rows.group_kom == treated_kom)
    out = []
    for t in sorted(y for y in rates.year.unique() if y >= year0 and y in set(d.year)):
        r_t = rates[rates.year == t].set_index("category")["weekly_rate"]
        d["_payments"] = sum(d[f"weeks_{c}"] * float(w) for c, w in r_t.items())
        r = _event_rows(event_study(d, "_payments", "year", "PNR", "treated", year0, "group_kom",
                                    covariates=covariates), year0)
        r = r[r.year == t].iloc[0]
        out.append(dict(year=t, estimate=r.estimate, conf_low=r.conf_low, conf_high=r.conf_high,
                        p_value=r.p_value, inference=r.inference))
    return pd.DataFrame(out)


def total_payment_effect(rows: pd.DataFrame, rates: pd.DataFrame, n_treated: pd.Series, treated_kom: int,
                         year0: int, covariates: list[str]) -> dict:
    """The reform's effect on the treated persons' benefit payments summed over the years after the reform
    (DKK, each year priced at its own rates, each year's effect per person times its treated persons), with a
    placebo interval for the sum itself.

    The yearly effects of :func:`payment_effects` come from different outcomes (each year's rates), so their
    intervals cannot be added.  One outcome carries the sum instead: payments at year t's rates in each year
    t after the reform and, in the years before, at the rates averaged over the years after with weights
    n_t.  Its event-study coefficients combined with weights n_t are then the sum, because sum_t n_t (y_t -
    y_ref) is the same persons' contrast either way (exactly so without covariates, a test checks it), and
    that one combination has its own placebo test (``event_study(combination=...)``)."""
    from evaluation.estimators.event_study import event_study

    post = sorted(y for y in rates.year.unique() if y >= year0 and y in set(rows.year))
    n = pd.Series({y: float(n_treated.get(y, np.nan)) for y in post})
    if n.isna().any() or not len(post):
        raise ValueError(f"investment: treated persons are missing for years {list(n[n.isna()].index)}")
    r = rates[rates.year.isin(post)].pivot(index="year", columns="category", values="weekly_rate")
    avg = (r.mul(n, axis=0)).sum() / n.sum()
    d = rows.assign(treated=rows.group_kom == treated_kom)
    pay = np.zeros(len(d))
    for c in r.columns:
        rate_by_year = d.year.map(r[c]).fillna(avg[c]).to_numpy(float)
        pay += d[f"weeks_{c}"].to_numpy(float) * rate_by_year
    d["_payments_total"] = pay
    res = event_study(d, "_payments_total", "year", "PNR", "treated", year0, "group_kom", covariates=covariates,
                      combination={y - year0: float(n[y]) for y in post})
    return {**res.extras["combination"], "years": [int(y) for y in post]}


def break_even_year(by_year: pd.DataFrame) -> int | None:
    """First year in which cumulative savings reach cumulative investment (None: not
    within the years in ``by_year``)."""
    hit = by_year[by_year.cumulative_savings_mio >= by_year.cumulative_investment_mio]
    return int(hit.year.iloc[0]) if len(hit) else None


def investment_case(payments: pd.DataFrame, n_treated: pd.Series, investment_by_year: dict) -> pd.DataFrame:
    """Savings against investment by year, in mio. kr.

    payments: per-year effect on payments per treated person (DKK, negative = saved);
    n_treated: treated persons by year; investment_by_year: {year: mio. kr.}."""
    inv = {int(k): float(v) for k, v in investment_by_year.items()}
    years = sorted(set(payments.year) | set(inv))
    p = payments.set_index("year")
    rows = []
    for y in years:
        n = float(n_treated.get(y, np.nan))
        has = y in p.index
        rows.append(dict(
            year=y, investment_mio=inv.get(y, 0.0), n_persons=n if has else np.nan,
            payments_effect_per_person=p.estimate.get(y, np.nan),
            savings_mio=(-p.estimate[y] * n / 1e6) if has else 0.0,
            savings_low_mio=(-p.conf_high[y] * n / 1e6) if has else np.nan,
            savings_high_mio=(-p.conf_low[y] * n / 1e6) if has else np.nan,
        ))
    out = pd.DataFrame(rows)
    out["cumulative_investment_mio"] = out.investment_mio.cumsum()
    out["cumulative_savings_mio"] = out.savings_mio.cumsum()
    out["net_mio"] = out.cumulative_savings_mio - out.cumulative_investment_mio
    return out


def category_savings(effects: pd.DataFrame, rates: pd.DataFrame, n_treated: pd.Series) -> pd.DataFrame:
    """Per category: weeks saved per treated person over the years after the reform and
    the payments saved (mio. kr., point estimates; positive = saved)."""
    m = effects.merge(rates[["category", "year", "weekly_rate"]], on=["category", "year"], how="left")
    m["n"] = m.year.map(n_treated).astype(float)
    m["saved_mio"] = -m.estimate * m.weekly_rate * m.n / 1e6
    g = m.groupby("category").agg(weeks_per_person=("estimate", "sum"), saved_mio=("saved_mio", "sum"),
                                  priced=("weekly_rate", lambda s: bool(s.notna().all()))).reset_index()
    g["weeks_saved_per_person"] = -g.pop("weeks_per_person")
    g.loc[~g.priced, "saved_mio"] = np.nan
    return g.sort_values("saved_mio", key=lambda s: s.abs(), ascending=False, na_position="last",
                         ignore_index=True)[["category", "weeks_saved_per_person", "saved_mio", "priced"]]
