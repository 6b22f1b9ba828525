"""The stock's composition bound: the yearly stock with those who left it for førtidspension kept, with their hours.

The reform moved persons with no hours out of the target group into førtidspension (the synthetic world's
``fp_multiplier``), which raises the yearly stock's mean without anyone working more.  A specification with
``keep_leavers_to: [foertidspension]`` keeps them (``specifications.load_design_rows``, the rule in
``panel.build.kept_leavers_condition``) and has its own planted truth (design ``stock_kept_foertidspension``).
Checked three ways here: the rule on a hand-made panel, the planted truth against the rule written again in
pandas on both worlds' panels, and the estimator against that truth (with the null twin's decomposition, as
test_planted_truth does for the other estimators).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation.panel.build import kept_design
from evaluation.specifications import load_design_rows
from tests.estimators.test_planted_truth import run, run_null  # noqa: F401 (fixtures)

KEPT = ["foertidspension"]
SPEC = dict(estimator="interactive_fe", design="stock", comparison="all", keep_leavers_to=KEPT)


def _kept_in_pandas(py: pd.DataFrame, from_year: int) -> pd.DataFrame:
    """The rule written again without SQL: the stock, plus rows not in the stock with a week of førtidspension
    of persons who were in the stock in ``from_year`` or later, before that row's year."""
    first = py[py.in_stock & (py.year >= from_year)].groupby("PNR").year.min()
    since = py.PNR.map(first)
    left = ~py.in_stock & (py.weeks_foertidspension > 0) & since.notna() & (since < py.year)
    return py[py.in_stock | left]


def test_the_rule_on_a_handmade_panel(tmp_path):
    """Person 1: in the stock in 2014, on førtidspension from 2015: kept in 2015 and 2016 with 0 hours.
    Person 2: left the stock in 2012 for førtidspension (before the baseline year): never kept.
    Person 3: left the stock in 2014 for work: not kept (no førtidspension).  Person 4: in the stock and on
    førtidspension in the same year 2015: once, as a stock row; kept in 2016.  Person 5: on førtidspension in 2014,
    in the stock in 2015, back on førtidspension in 2016: kept in 2016 only (the year before 2015 does not count)."""
    rows = []
    spells = {1: {2014: "s", 2015: "f", 2016: "f"}, 2: {2012: "s", 2013: "f", 2014: "f", 2015: "f", 2016: "f"},
              3: {2014: "s", 2015: "w", 2016: "w"}, 4: {2014: "s", 2015: "sf", 2016: "f"},
              5: {2014: "f", 2015: "s", 2016: "f"}}
    for pnr, by_year in spells.items():
        for year in range(2012, 2017):
            st = by_year.get(year, "")
            rows.append(dict(PNR=pnr, year=year, kom=860, age=40, sex=1, edu=1, origin=1,
                             hours=1500.0 if st == "w" else 0.0, weeks_public_support=52 if st else 0,
                             employed=st == "w", stable_employed=st == "w", in_stock="s" in st,
                             weeks_foertidspension=20 if "f" in st else 0))
    py = pd.DataFrame(rows)
    py.to_parquet(tmp_path / "py.parquet")
    pd.DataFrame({"KOM": 860, "AAR": range(2012, 2017), "ledighed_pct": 5.0}).to_csv(tmp_path / "my.csv", index=False)
    got = load_design_rows(tmp_path / "py.parquet", tmp_path / "my.csv", "stock", keep_leavers_to=KEPT,
                           kept_from_year=2014)
    stock = load_design_rows(tmp_path / "py.parquet", tmp_path / "my.csv", "stock")
    kept = set(map(tuple, got[["PNR", "year"]].to_numpy())) - set(map(tuple, stock[["PNR", "year"]].to_numpy()))
    assert kept == {(1, 2015), (1, 2016), (4, 2016), (5, 2016)}
    assert not got.duplicated(["PNR", "year"]).any() and set(stock.index) <= set(got.index)
    assert (got.set_index(["PNR", "year"]).loc[sorted(kept), "hours"] == 0).all()
    assert set(map(tuple, _kept_in_pandas(py, 2014)[["PNR", "year"]].to_numpy())) == set(
        map(tuple, got[["PNR", "year"]].to_numpy()))
    with pytest.raises(ValueError, match=r"keep_leavers_to \['pension'\] are not benefit categories"):
        load_design_rows(tmp_path / "py.parquet", tmp_path / "my.csv", "stock", keep_leavers_to=["pension"],
                         kept_from_year=2014)
    with pytest.raises(ValueError, match="for the stock design"):
        load_design_rows(tmp_path / "py.parquet", tmp_path / "my.csv", "cohort", keep_leavers_to=KEPT,
                         kept_from_year=2014)


def test_planted_truth_of_the_bound_is_the_rule_on_both_worlds(synthetic_run, synthetic_null_run):
    """The planted truth of ``stock_kept_foertidspension`` in the treated municipality: its treated means and
    persons are the factual panel's kept stock, its untreated means the null twin's (the counterfactual world),
    by the rule written again in pandas.  Before the reform it is the stock; after it, it is well below the
    stock's truth: in this world most of the stock's planted effect is people with no hours leaving for
    førtidspension, which the bound takes out."""
    truth = pd.read_csv(synthetic_run["dir"] / "truth.csv")
    t = truth[(truth.kom == 860) & (truth.outcome == "hours")]
    kept, stock = (t[t.design == d].set_index("year") for d in (kept_design(KEPT), "stock"))
    assert len(kept) == 10
    y0 = synthetic_run["cfg"]["panel"]["baseline_year"]
    for world, col, n in ((synthetic_run, "mean_treated", "n_persons"),
                          (synthetic_null_run, "mean_untreated", "n_persons_untreated")):
        py = pd.read_parquet(world["dir"] / "person_year.parquet")
        k = _kept_in_pandas(py, y0)
        k = k[k.kom == 860].groupby("year").hours.agg(["mean", "size"])
        assert np.allclose(k["mean"].reindex(kept.index), kept[col], atol=1e-5)
        assert (k["size"].reindex(kept.index) == kept[n]).all()
    pre, post = kept.index < 2015, kept.index >= 2015
    assert (kept.loc[pre, "n_persons"] == stock.loc[pre, "n_persons"]).all()
    assert (kept.loc[post, "n_persons"] > stock.loc[post, "n_persons"]).all()
    w_k = np.average(kept.loc[post, "att"], weights=kept.loc[post, "n_persons"])
    w_s = np.average(stock.loc[post, "att"], weights=stock.loc[post, "n_persons"])
    assert 0 < w_k < 0.75 * w_s, (w_k, w_s)


def test_the_bound_recovers_its_own_planted_truth(run, run_null):
    """Interactive fixed effects on the kept stock: the decomposition of test_planted_truth (the null twin's
    estimate covers zero; the effect carried through is the bound's planted truth to within a quarter of the
    standard error).  Its truth is the bound's, not the stock's."""
    r, r0 = run("interactive_fe_stock_fp_kept", SPEC), run_null("interactive_fe_stock_fp_kept", SPEC)
    s = run("interactive_fe_stock", {k: v for k, v in SPEC.items() if k != "keep_leavers_to"})
    assert r.truth > 5 and r0.truth == 0 and r.truth < s.truth - 5, (r.truth, s.truth)
    assert r.conf_low <= r.truth <= r.conf_high, (r.estimate, r.conf_low, r.conf_high, r.truth)
    assert r0.conf_low <= 0 <= r0.conf_high, (r0.estimate, r0.conf_low, r0.conf_high)
    se = (r.conf_high - r.conf_low) / (2 * 1.959964)
    assert abs(r.estimate - r0.estimate - r.truth) < 0.25 * se, (r.estimate - r0.estimate, r.truth, se)
