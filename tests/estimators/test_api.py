"""The public API: every estimator imports in one line, from ``evaluation`` and from
``evaluation.estimators``, runs on a small panel, recovers a planted effect there and returns a
result with the one protocol (tidy, summary, conf_int, plot, HTML)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import evaluation  # noqa: E402
import evaluation.estimators as est  # noqa: E402

NAMES = ["did", "event_study", "matched_did", "att_gt", "synthetic_control", "synthetic_did", "interactive_fe",
         "cycle_slopes", "matrix_completion"]
TAU = 6.0


def test_one_line_imports_give_the_functions():
    from evaluation import att_gt, did, event_study, matched_did, synthetic_control, synthetic_did  # noqa: F401

    for name in NAMES:
        f = getattr(evaluation, name)
        assert callable(f) and f is getattr(est, name), name
        assert f.__module__.startswith("evaluation.estimators."), name
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        evaluation.nonexistent  # noqa: B018


@pytest.fixture(scope="module")
def persons():
    """25 municipalities of unequal size (8 to 60 persons), 2010-2019; municipality 0 treated from 2015
    with an effect of TAU; person, municipality and year effects, small person noise."""
    rng = np.random.default_rng(3)
    sizes = rng.integers(8, 60, 25)
    sizes[0] = 80
    rows = []
    pid = 0
    year_fx = rng.normal(0, 2, 10)
    for g, n in enumerate(sizes):
        mu = rng.normal(0, 3)
        for _ in range(n):
            a = rng.normal(0, 2)
            for t, y in enumerate(range(2010, 2020)):
                d = g == 0 and y >= 2015
                rows.append((pid, y, g, a + mu + year_fx[t] + TAU * d + rng.normal(0, 0.5), a))
            pid += 1
    df = pd.DataFrame(rows, columns=["pid", "year", "kom", "y", "x"])
    df["treated"], df["post"] = df.kom == 0, df.year >= 2015
    df["first"] = np.where(df.kom == 0, 2015, 0)
    return df


@pytest.fixture(scope="module")
def means(persons):
    return persons.groupby(["kom", "year"]).agg(y=("y", "mean"), n=("pid", "size")).reset_index()


def _calls(persons, means):
    return {
        "did": lambda: evaluation.did(persons, "y", "year", "pid", "treated", "post", gname="kom"),
        "event_study": lambda: evaluation.event_study(persons, "y", "year", "pid", "treated", 2015, "kom"),
        "matched_did": lambda: evaluation.matched_did(persons, "y", "year", "pid", "treated", "post", "kom", ["x"]),
        "att_gt": lambda: evaluation.att_gt(persons, "y", "year", "pid", "first").aggregate("simple"),
        "synthetic_control": lambda: evaluation.synthetic_control(means, "kom", "year", "y", 0, 2015, size="n"),
        "synthetic_did": lambda: evaluation.synthetic_did(means, "kom", "year", "y", 0, 2015, size="n",
                                                          replications=50),
        "interactive_fe": lambda: evaluation.interactive_fe(means, "kom", "year", "y", 0, 2015, size="n"),
        "cycle_slopes": lambda: evaluation.cycle_slopes(means, "kom", "year", "y", 0, 2015,
                                                        cycle=pd.Series(np.linspace(6, 4, 10), index=range(2010, 2020)),
                                                        size="n"),
        "matrix_completion": lambda: evaluation.matrix_completion(means, "kom", "year", "y", 0, 2015, size="n"),
    }


@pytest.mark.parametrize("name", NAMES)
def test_each_estimator_recovers_the_effect_and_follows_the_protocol(name, persons, means):
    res = _calls(persons, means)[name]()
    t = res.tidy()
    assert {"term", "estimate", "std_error", "conf_low", "conf_high", "p_value"} <= set(t.columns)
    overall = t[t.term == "ATT"] if (t.term == "ATT").any() else t[t.term.str.startswith("e=")]
    if name == "event_study":  # yearly coefficients: each post one is the effect
        post = t[t.term.str.replace("e=", "").astype(int) >= 0]
        assert np.allclose(post.estimate, TAU, atol=0.6), post.estimate.tolist()
    else:
        # person noise 0.5 and 80 treated persons: the estimate's spread is about 0.1; synthetic control has no
        # intercept and matches levels, the others difference them away
        assert abs(float(overall.estimate.iloc[0]) - TAU) < 0.8, (name, float(overall.estimate.iloc[0]))
    ci = res.conf_int()
    assert list(ci.columns) == ["conf_low", "conf_high"]
    assert res.summary().startswith(res.method)
    assert "<table" in res._repr_html_()
    ax = res.plot()
    assert ax.has_data()
    import matplotlib.pyplot as plt

    plt.close("all")


def test_summary_says_unavailable_instead_of_printing_nan():
    from evaluation.estimators.results import EstimateResult

    r = EstimateResult("m", "y", pd.DataFrame([dict(term="ATT", estimate=1.0, std_error=np.nan, conf_low=np.nan,
                                                    conf_high=np.nan, p_value=0.2, inference="placebo")]))
    assert "95% CI unavailable" in r.summary() and "nan to nan" not in r.summary()


def test_weights_plot_draws_the_unit_and_time_weights_as_synthdid_does():
    """plot(kind='weights'): synthetic DiD's unit weights (the largest, as horizontal bars) and its time weights
    over the pre-reform periods; synthetic control's unit weights alone; an estimator without weights says so."""
    import matplotlib.pyplot as plt

    from evaluation import did, synthetic_control, synthetic_did
    from evaluation.datasets import example_means, example_panel

    res = synthetic_did(example_means(), "kom", "year", "y", 0, 2015)
    ax_u, ax_t = res.plot(kind="weights")
    omega, lam = res.extras["unit_weights"], res.extras["time_weights"]
    bars = {p.get_y(): p.get_width() for p in ax_u.patches}
    assert sorted(bars.values(), reverse=True) == pytest.approx(sorted(omega[omega > 1e-6], reverse=True)[:20])
    assert [p.get_height() for p in ax_t.patches] == pytest.approx(lam.to_numpy())
    assert abs(sum(p.get_height() for p in ax_t.patches) - 1) < 1e-9
    sc = synthetic_control(example_means(), "kom", "year", "y", 0, 2015, placebo=False)
    ax = sc.plot(kind="weights")
    w = sc.extras["weights"]
    assert sum(p.get_width() for p in ax.patches) == pytest.approx(w[w > 1e-6].nlargest(20).sum())
    with pytest.raises(ValueError, match="has no unit weights"):
        did(example_panel(), "y", "year", "pid", "treated", "post", gname="kom").plot(kind="weights")
    with pytest.raises(ValueError, match="kind must be 'effect' or 'weights'"):
        res.plot(kind="paths")
    plt.close("all")
