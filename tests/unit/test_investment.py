"""The investment case's arithmetic on hand-made numbers, and the linearity check that
ties the per-year payment effects to the per-category weeks effects."""

import numpy as np
import pandas as pd
import pytest

from evaluation.investment import (break_even_year, category_savings, investment_case, payment_effects,
                                   total_payment_effect, weekly_rates, weeks_effects)


def test_weekly_rates_convert_units_and_carry_forward():
    r = weekly_rates({"kh": {"unit": "month", "rates": {2015: 10849, 2016: 10968}, "source": "s"},
                      "sdp": {"unit": "week", "rates": {2015: 4135}, "source": "t"},
                      "fp": {"unit": "year", "rates": {"2015": 215100}, "source": "u"}}, [2015, 2016, 2017])
    kh = r[r.category == "kh"].set_index("year")
    assert kh.weekly_rate[2015] == pytest.approx(10849 * 12 / 52)
    assert kh.rate_year[2017] == 2016 and kh.weekly_rate[2017] == kh.weekly_rate[2016]  # carried forward
    assert r[(r.category == "fp")].weekly_rate.iloc[0] == pytest.approx(215100 / 52)
    assert r[(r.category == "sdp") & (r.year == 2017)].weekly_rate.iloc[0] == 4135


def test_weekly_rates_errors_name_the_category():
    with pytest.raises(ValueError, match=r"benefit_rates.kh: no rate for 2014 or an earlier year"):
        weekly_rates({"kh": {"unit": "month", "rates": {2015: 1}, "source": ""}}, [2014])
    with pytest.raises(ValueError, match=r"benefit_rates.kh.unit: expected one of"):
        weekly_rates({"kh": {"unit": "day", "rates": {2015: 1}, "source": ""}}, [2015])


def test_investment_case_and_break_even():
    # savings of 2,000 kr. per person in 2015 rising by 2,000 a year, 10,000 persons; invested 30, 30, 20 mio.
    pay = pd.DataFrame({"year": [2015, 2016, 2017, 2018], "estimate": [-2000.0, -4000, -6000, -8000],
                        "conf_low": [-3000.0, -5000, -7000, -9000], "conf_high": [-1000.0, -3000, -5000, -7000]})
    n = pd.Series(10_000, index=[2015, 2016, 2017, 2018])
    t = investment_case(pay, n, {2015: 30, 2016: 30, 2017: 20})
    assert t.savings_mio.tolist() == [20, 40, 60, 80]
    assert t.cumulative_investment_mio.tolist() == [30, 60, 80, 80]
    assert t.cumulative_savings_mio.tolist() == [20, 60, 120, 200]
    assert t.savings_low_mio.iloc[0] == 10 and t.savings_high_mio.iloc[0] == 30  # the interval flips with the sign
    assert break_even_year(t) == 2016  # 60 >= 60
    t2 = investment_case(pay.assign(estimate=pay.estimate / 10), n, {2015: 30, 2016: 30, 2017: 20})
    assert break_even_year(t2) is None


def _panel(seed=0, n_kom=12, per_kom=40):
    """Persons in municipalities over 2010-2019; municipality 1 treated from 2015: 6 fewer
    weeks on kontanthjælp and 2 more on førtidspension each year."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(1, n_kom + 1):
        for i in range(per_kom):
            pid = k * 1000 + i
            a = rng.normal(0, 3)
            for y in range(2010, 2020):
                eff = (y >= 2015) and k == 1
                rows.append(dict(PNR=pid, year=y, group_kom=k, ledighed_pct=5 + rng.normal(0, 0.3),
                                 weeks_kh=max(0.0, 30 + a + rng.normal(0, 4) - 6 * eff),
                                 weeks_fp=max(0.0, 5 + rng.normal(0, 2) + 2 * eff)))
    return pd.DataFrame(rows)


def test_payment_effects_equal_the_rate_weighted_category_effects():
    """Event-study coefficients are linear in the outcome, so the effect on payments at
    year t's rates equals sum_c rate_{c,t} * effect on weeks_c (to rounding)."""
    d = _panel()
    rates = weekly_rates({"kh": {"unit": "week", "rates": {2015: 2500, 2017: 2600}, "source": ""},
                          "fp": {"unit": "week", "rates": {2015: 4100}, "source": ""}}, list(range(2015, 2020)))
    w = weeks_effects(d, ["kh", "fp"], 1, 2015, ["ledighed_pct"])
    p = payment_effects(d, rates, 1, 2015, ["ledighed_pct"])
    m = w.merge(rates, on=["category", "year"])
    combined = (m.estimate * m.weekly_rate).groupby(m.year).sum()
    assert np.allclose(p.set_index("year").estimate, combined, rtol=1e-8, atol=1e-6)
    # and the planted effects are recovered: -6 weeks of kh, +2 of fp
    kh = w[w.category == "kh"].estimate
    assert kh.between(-9, -3).all()
    c = category_savings(w, rates, pd.Series(40, index=range(2015, 2020)))
    assert c.set_index("category").loc["kh", "weeks_saved_per_person"] == pytest.approx(-kh.sum())


def test_the_total_over_the_years_is_the_sum_of_the_yearly_effects_with_an_interval_of_its_own():
    """The investment case's total (each year's effect per person on payments at that year's rates, times its
    treated persons) is estimated as one combination of one outcome's event-study coefficients: without
    covariates it equals the sum of the yearly effects of payment_effects; its interval covers the planted total
    (-6 weeks of kh at each year's kh rate, +2 of fp at the fp rate, per person and year), which a sum of the
    yearly intervals' ends would not be the interval of."""
    d = _panel(seed=1, n_kom=21)
    years = list(range(2015, 2020))
    rates = weekly_rates({"kh": {"unit": "week", "rates": {2015: 2500, 2016: 2550, 2017: 2600, 2019: 2700},
                                 "source": ""},
                          "fp": {"unit": "week", "rates": {2015: 4100, 2018: 4300}, "source": ""}}, years)
    n = pd.Series([40, 38, 35, 33, 30], index=years)
    p = payment_effects(d, rates, 1, 2015, [])
    total = total_payment_effect(d, rates, n, 1, 2015, [])
    yearly_sum = float((p.set_index("year").estimate * n).sum())
    assert total["estimate"] == pytest.approx(yearly_sum, rel=1e-8)
    r = rates.pivot(index="year", columns="category", values="weekly_rate")
    planted = float(((-6 * r.kh + 2 * r.fp) * n).sum())
    assert total["conf_low"] <= planted <= total["conf_high"], (total, planted)
    assert total["conf_low"] < total["estimate"] < total["conf_high"] and total["years"] == years
    # with a covariate the combination is its own regression: close to the yearly sum, not equal to it
    with_cov = total_payment_effect(d, rates, n, 1, 2015, ["ledighed_pct"])
    yearly_cov = float((payment_effects(d, rates, 1, 2015, ["ledighed_pct"]).set_index("year").estimate * n).sum())
    assert abs(with_cov["estimate"] - yearly_cov) < 0.05 * (with_cov["conf_high"] - with_cov["conf_low"])


def test_a_delivery_without_a_priced_category_gets_a_note_not_an_error(synthetic_run, tmp_path):
    """Issue 9: a rate in config for a category the delivery's code list lacks (here sickness benefit) is
    left out with a note in investment.json (shown in the report) on real registers; on the synthetic default
    the same mismatch is a config error."""
    import copy
    import json

    import pandas as pd
    import pytest

    from evaluation import stages

    codes = pd.read_csv(synthetic_run["cfg"]["benefit_codes"], dtype=str)
    codes[codes.category != "sygedagpenge"].to_csv(tmp_path / "codes.csv", index=False)
    cfg = copy.deepcopy(synthetic_run["cfg"])
    cfg["benefit_codes"] = str(tmp_path / "codes.csv")
    args = (synthetic_run["dir"] / "person_year.parquet", synthetic_run["registers"].municipality_year, None)
    with pytest.raises(ValueError, match=r"\['sygedagpenge'\] are not public-support categories"):
        stages.investment(cfg, *args, tmp_path / "a")
    cfg["source"] = "extract"
    (tmp_path / "b").mkdir()
    stages.investment(cfg, *args, tmp_path / "b")
    inv = json.loads((tmp_path / "b" / "investment.json").read_text())
    assert inv["rates_not_applicable"] == ["sygedagpenge"] and "sygedagpenge" not in inv["priced_categories"]
