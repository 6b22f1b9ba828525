"""The notebooks' sentences read the numbers they sit under (evaluation.report.interpret)."""

import numpy as np
import pandas as pd

from evaluation.report.interpret import cycle_adjustment, event_study


def _spec():
    rows = [("did_stock_unemployment", 41.0, 20.0, 62.0, 34.0), ("interactive_fe_stock", 33.0, 16.0, 50.0, 34.0),
            ("did_all_unemployment", 60.0, -5.0, 125.0, 45.0)]
    return pd.DataFrame([dict(specification=n, outcome="hours", estimate=e, conf_low=lo, conf_high=hi, truth=t)
                         for n, e, lo, hi, t in rows])


def test_cycle_adjustment_states_the_difference_and_the_error_against_the_truth():
    s = cycle_adjustment(_spec())
    assert s[0].startswith("stock: the interactive fixed-effects model (interactive_fe_stock) estimates 33 hours "
                           "(95 % interval 16 to 50)")
    assert "DiD with the local unemployment rate only (did_stock_unemployment) 41" in s[0]
    assert "The difference, -8 hours" in s[0] and "off by -1 and the covariate-only DiD by +7" in s[0]
    assert s[1] == "cohort: interactive_fe_cohort is not in the specifications table; no comparison."


def test_event_study_sentences_follow_the_tests():
    es = pd.DataFrame({"term": ["e=-3", "e=-2", "e=0", "e=1"], "estimate": [1, 2, 30, 40],
                       "pretrend_p_value": 0.02, "pretrend_linear_p_value": 0.3, "pretrend_linear_slope": 4.0,
                       "rm_breakdown": 0.5, "rm_max_pre_change": 12.0,
                       "conf_low_uniform": [-20, -20, 5, -1], "conf_high_uniform": [20, 20, 60, 80]})
    s = event_study(es)
    assert "p = 0.020: the leads are jointly distinguishable from zero" in s[0]
    assert "drift by +4.0 hours a year (p = 0.300)" in s[1] and "it is not significant here" in s[1]
    assert "at most 0.50 times the largest pre-reform step (12 hours); below 1" in s[2]
    assert s[3] == ("Simultaneous band: 1 of 2 post-reform years lie above zero with every year's uncertainty "
                    "counted at once.")
    es2 = es.assign(pretrend_p_value=0.4, rm_breakdown=0.0, conf_low_uniform=np.nan, conf_high_uniform=np.nan)
    s2 = event_study(es2)
    assert "not jointly distinguishable" in s2[0] and "not significant even under parallel trends" in s2[2]
    assert s2[3] == "Simultaneous band: unavailable with this few comparison municipalities."


def test_synthetic_control_sentences_read_the_fit_the_placebo_in_time_and_the_donors():
    from evaluation.report.interpret import synthetic_control

    summary = {"att": 10.7, "p_value": 0.333, "rank": 27, "n_placebos": 71, "pre_rmspe": 5.9e-14,
               "degenerate_fit": True, "in_time_placebo": {"fake_treatment_time": 2013, "att": -0.39}}
    w = pd.DataFrame({"kom": [101, 706, 400, 153], "weight": [0.0, 0.48, 0.34, 0.18]})
    loo = pd.DataFrame({"dropped": [706, 400, 153], "weight": [0.48, 0.34, 0.18], "att": [26.1, 5.7, 13.1]})
    s = synthetic_control(summary, w, loo)
    assert s[0] == ("Synthetic control estimates 11 hours a year (placebo p = 0.333: rank 27 among the treated and "
                    "71 placebo municipalities).")
    assert s[1] == ("3 donor municipalities carry the synthetic control; the largest, 706, has weight 0.48 and the "
                    "two largest together 0.82.")
    assert s[2].startswith("The pre-reform fit is exact (RMSPE 6e-14)") and "ratio test is not reported" in s[2]
    assert "fake reform in 2013 (pre-reform years only) the estimate is -0.4 hours, against 10.7" in s[3]
    assert s[3].endswith("no effect where there was none.")
    assert s[4] == ("Leave one donor out: the estimate ranges from 6 to 26 hours; without 706 (weight 0.48) it "
                    "moves most, by +15, more than the estimate itself: it leans on single donors.")
    s2 = synthetic_control(dict(summary, degenerate_fit=False, pre_rmspe=3.24,
                                in_time_placebo={"fake_treatment_time": 2012, "att": 9.0}), w, None)
    assert s2[2] == "Pre-reform fit: RMSPE 3.2 hours." and "may be the method's own drift" in s2[3] and len(s2) == 4


def test_robustness_sentences_name_the_specification_the_range_rests_on():
    from evaluation.report.interpret import robustness

    spec = pd.DataFrame({"specification": ["p", "a", "b", "c", "x"], "outcome": "hours", "estimate": [28, 26, 30, 42, 5],
                         "cycle_adjusted": [True, True, True, True, False]})
    h = {"designs": {"stock": {"preferred": {"specification": "p", "estimate": 27.8},
                               "robustness": {"specifications": ["a", "b", "c"], "low": 26, "high": 42,
                                              "n_significant": 2}},
                     "cohort": {"robustness": {"specifications": ["x"], "low": 5, "high": 5, "n_significant": 0}}}}
    s = robustness(spec, h)
    assert s[0] == ("cohort: no preferred specification; the one cycle-adjusted specification with a finite interval, "
                    "x, gives 5 (not significant at 5 %).")
    assert s[1] == ("stock: preferred p, 28 hours; the 3 other cycle-adjusted specifications with a finite interval "
                    "range from 26 to 42 (2 significant at 5 %); without c (42) the range would be 4 hours wide "
                    "instead of 16.")


def test_data_overview_reads_the_calibration_table_and_the_sample_flow():
    from evaluation.report.interpret import data_overview

    years = list(range(2012, 2018))
    cal = pd.DataFrame({"year": years, "treated_unemployment": [6.0, 8.0, 7.0, 6.0, 5.0, 4.0],
                        "national_unemployment": [5.0, 6.0, 5.6, 5.0, 4.5, 4.0],
                        "treated_stock": [1000, 1010, 1020, 900, 700, 500],
                        "treated_baseline_hours": [50, 60, 55, 80, 100, 120],
                        "all_baseline_hours": [70, 70, 70, 80, 90, 100],
                        "treated_fp_grants_from_target": [10, 10, 10, 40, 40, 40]})
    flow = pd.DataFrame({"step": ["dream_persons", "age"], "description": ["persons in DREAM", "outside ages 16-64"],
                         "rows_dropped": [np.nan, 1235]})
    s = data_overview(cal, flow, 860, 2015)
    # the peak is 2013: treated 8.0 -> 4.0, national 6.0 -> 4.0: twice the national change
    assert s[0].startswith("Gross unemployment in 860 went from 8.0 % in 2013 to 4.0 % in 2017, the national rate "
                           "from 6.0 % to 4.0 %: 2.0 times the national change.")
    assert "1,000 persons in 2012, 1,020 in 2014 and 500 in 2017" in s[1]
    assert s[2].startswith("Its mean yearly hours were 55 before 2015 and 100 from 2015 on (+45); in all "
                           "municipalities 70 and 90 (+20).")
    assert s[3] == ("Grants of førtidspension from the target group in 860: 10 a year before the reform, 40 a year "
                    "after.")
    assert s[4] == ("Rows the panel removed or did not use, each in its register's own rows (counts rounded for "
                    "disclosure): 1,235: outside ages 16-64.")
    # a suppressed count is said to be suppressed, not printed as nan
    assert "a suppressed number in 2014" in data_overview(
        cal.assign(treated_stock=cal.treated_stock.where(cal.year != 2014)), flow, 860, 2015)[1]
    # one suppressed year: no before/after comparison is made up from the other years
    cal.loc[cal.year == 2016, "treated_baseline_hours"] = np.nan
    t = data_overview(cal, flow, 860, 2015)
    assert not any(x.startswith("Its mean yearly hours") for x in t)
    assert any("mean hours are suppressed in some years" in x for x in t)


def test_composition_bounds_pair_each_bound_with_its_twin_by_the_table_s_bound_of():
    from evaluation.report.interpret import composition_bounds
    from evaluation.specifications import bound_twins

    cfg = {"ife": dict(estimator="interactive_fe", design="stock", note="x"),
           "ife_kept": dict(estimator="interactive_fe", design="stock", keep_leavers_to=["foertidspension"],
                            cycle_adjusted=True),
           "did": dict(estimator="did", design="stock", covariates=["ledighed_pct"]),
           "did_kept": dict(estimator="did", design="stock", keep_leavers_to=["foertidspension"])}
    # the twin is the same specification but for the kept leavers, its note and cycle_adjusted; did_kept has none
    # (did has a covariate it has not)
    assert bound_twins(cfg) == {"ife_kept": "ife"}
    spec = pd.DataFrame([
        dict(specification="ife", outcome="hours", what_it_is="interactive FE, yearly stock, all municipalities",
             estimate=28.0, conf_low=11.0, conf_high=44.0, truth=36.0, bound_of=""),
        dict(specification="ife_kept", outcome="hours",
             what_it_is="interactive FE, yearly stock, all municipalities, leavers to foertidspension kept",
             estimate=10.0, conf_low=-2.0, conf_high=22.0, truth=15.0, bound_of="ife"),
        dict(specification="did_kept", outcome="hours",
             what_it_is="DiD, yearly stock, all municipalities, leavers to foertidspension kept",
             estimate=5.0, conf_low=-9.0, conf_high=19.0, truth=15.0, bound_of="did")])
    s = composition_bounds(spec)
    assert s[0] == ("Keeping those who left the stock for foertidspension (ife_kept): 10 hours (95 % interval -2 to "
                    "22; covers zero), against 28 (95 % interval 11 to 44) for the stock itself (ife). The "
                    "difference, +18 hours, is the part of the stock's estimate that comes from who left it, not "
                    "from more work; planted: 15 and 36.")
    assert s[1] == "did_kept bounds did, which is not in the table: no comparison."
    assert composition_bounds(spec.drop(columns="bound_of"))[0].startswith("The specifications table has no bound_of")
    assert composition_bounds(spec.iloc[:1]) == [
        "No specification keeps the stock's leavers (keep_leavers_to): no composition bound."]
