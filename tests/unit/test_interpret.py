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
