"""The headline sentence from the specifications table: one preferred specification per design,
never a pooled range, and correct words for negative, zero-covering and unavailable intervals."""

import re

import numpy as np
import pandas as pd
import pytest

from evaluation.report.headline import effect_phrase, headline


def _spec(rows):
    base = dict(outcome="hours", estimator="did", cycle_adjusted=True, baseline_treated=55.0, truth=np.nan)
    return pd.DataFrame([dict(base, **r) for r in rows])


CFG = {"outcome": "hours", "preferred": {"stock": "a"}, "reason": {"stock": "because"}}


def test_preferred_with_interval_and_robustness_range():
    s = _spec([dict(specification="a", design="stock", estimate=36.2, conf_low=10.4, conf_high=61.9, p_value=0.02),
               dict(specification="b", design="stock", estimate=20.0, conf_low=-5.0, conf_high=45.0, p_value=0.2),
               dict(specification="c", design="stock", estimate=50.0, conf_low=30.0, conf_high=70.0, p_value=0.01),
               dict(specification="d", design="stock", estimate=90.0, conf_low=-np.inf, conf_high=np.inf, p_value=0.09),
               dict(specification="e", design="cohort", estimate=300.0, conf_low=200.0, conf_high=400.0, p_value=0.01)])
    h = headline(s, CFG)
    st = h["designs"]["stock"]
    assert st["preferred"]["estimate"] == 36.2 and st["preferred"]["conf_low"] == 10.4
    assert st["robustness"] == {"specifications": ["b", "c"], "low": 20.0, "high": 50.0, "n_significant": 1,
                                "left_out_infinite_interval": ["d"], "left_out_flagged": {}}
    assert "rose by 36 hours per person per year (95% interval 10 to 62; p = 0.020)" in st["sentence"]
    assert "range from 20 to 50 hours (1 of 2 significant at 5%)" in st["sentence"]
    assert "(+66%)" in st["sentence"]
    # the cohort is never pooled into the stock's range, and without a preferred specification has no claim
    assert "300" not in h["sentence"] and "preferred" not in h["designs"]["cohort"]


@pytest.mark.parametrize("est, lo, hi, p, words", [
    (-8.0, -20.0, -2.0, 0.01, "fell by 8 hours"),
    (5.0, -10.0, 20.0, 0.5, "showed no detectable change (5 hours"),
    (0.0, -10.0, 10.0, 1.0, "showed no detectable change (0 hours"),
    (12.0, None, None, 0.09, "changed by 12 hours (no 95% interval is available"),
])
def test_sentence_for_every_sign(est, lo, hi, p, words):
    text = effect_phrase(est, lo, hi, p, "hours")
    assert words in text
    assert "-8-" not in text and "rose by -" not in text


def test_one_robustness_specification():
    s = _spec([dict(specification="a", design="stock", estimate=36.0, conf_low=10.0, conf_high=62.0, p_value=0.02),
               dict(specification="b", design="stock", estimate=19.0, conf_low=-5.0, conf_high=45.0, p_value=0.2)])
    assert "The one other cycle-adjusted specification of this design with a finite interval gives 19 hours " \
           "(not significant at 5%)." in headline(s, CFG)["sentence"]


def test_unavailable_interval_is_never_a_number():
    s = _spec([dict(specification="a", design="stock", estimate=40.0, conf_low=np.nan, conf_high=np.nan,
                    p_value=0.09)])
    h = headline(s, CFG)
    pr = h["designs"]["stock"]["preferred"]
    assert pr["conf_low"] is None and pr["flags"] == ["interval unavailable"]
    assert "nan" not in h["sentence"] and "inf" not in h["sentence"]


def test_a_preferred_specification_missing_from_the_table_is_an_error():
    s = _spec([dict(specification="b", design="stock", estimate=1.0, conf_low=0.0, conf_high=2.0, p_value=0.04)])
    with pytest.raises(ValueError, match=r"the preferred stock specification 'a' is not in the specifications table"):
        headline(s, CFG)


def test_degenerate_fits_are_flagged_not_counted():
    s = _spec([dict(specification="a", design="stock", estimate=36.0, conf_low=10.0, conf_high=62.0, p_value=0.02,
                    flagged="degenerate pre-period fit"),
               dict(specification="b", design="stock", estimate=19.0, conf_low=-5.0, conf_high=45.0, p_value=0.2),
               dict(specification="c", design="stock", estimate=90.0, conf_low=80.0, conf_high=100.0, p_value=0.01,
                    flagged="degenerate pre-period fit")])
    h = headline(s, CFG)["designs"]["stock"]
    assert h["preferred"]["flags"] == ["degenerate pre-period fit"]
    assert "[a; flagged: degenerate pre-period fit]" in h["sentence"]
    assert h["robustness"]["specifications"] == ["b"] and h["robustness"]["left_out_flagged"] == {
        "c": "degenerate pre-period fit"}


def test_a_specification_its_monte_carlo_flags_leaves_the_headline():
    """The preferred specification flagged by its Monte Carlo is not stated as the finding (the sentence says
    why); a flagged robustness specification leaves the range and is listed as left out."""
    mc = "Monte Carlo null: bias 9.0 beyond 0.25 of its spread | effect: coverage 80 % outside 93-97 %"
    s = _spec([dict(specification="a", design="stock", estimate=36.2, conf_low=10.4, conf_high=61.9, p_value=0.02,
                    flagged=mc),
               dict(specification="b", design="stock", estimate=20.0, conf_low=-5.0, conf_high=45.0, p_value=0.2,
                    flagged=""),
               dict(specification="c", design="stock", estimate=50.0, conf_low=30.0, conf_high=70.0, p_value=0.01,
                    flagged=mc)])
    st = headline(s, CFG)["designs"]["stock"]
    assert st["preferred"]["kept_out"] is True
    assert "is not stated as the finding" in st["sentence"] and "coverage 80 %" in st["sentence"]
    assert "rose by" not in st["sentence"]
    assert st["robustness"]["specifications"] == ["b"] and "c" in st["robustness"]["left_out_flagged"]


def _report(tmp_path, rows, source="synthetic", investment=None, language="en", danish=True, sections=("answer",)):
    import copy
    import json

    from evaluation.report.document import Report, ReportInputs
    from tests.conftest import default_config

    cfg = copy.deepcopy(default_config())
    cfg["source"] = source
    cfg["headline"] = dict(cfg["headline"], preferred={"stock": "a"})
    cfg["report"] = {"language": language}
    if not danish:
        cfg["headline"].pop("danish", None)
    s = _spec(rows).assign(n_treated_persons=3000, n_control_units=[97, 10][:len(rows)] + [97] * (len(rows) - 2))
    s.to_csv(tmp_path / "spec.csv", index=False)
    # the treated municipality's yearly stock: 1,000 persons a year on average after the reform
    pd.DataFrame({"design": "stock", "kom": 860, "year": [2014, 2015, 2016], "n_persons": [1500, 990, 1010]}).to_csv(
        tmp_path / "mp.csv", index=False)
    inv_dir = None
    if investment:
        inv_dir = tmp_path / "inv"
        inv_dir.mkdir(exist_ok=True)
        (inv_dir / "investment.json").write_text(json.dumps(investment))
    inp = ReportInputs(estimate=tmp_path / "x", calibration=tmp_path / "x", sample_flow=tmp_path / "x",
                       municipality_year=tmp_path / "mp.csv", specifications=tmp_path / "spec.csv",
                       investment_dir=inv_dir)
    r = Report(cfg, inp)
    return "".join(getattr(r, name)() for name in sections)


def test_page_one_answer_states_the_finding_in_persons_hours_and_money(tmp_path):
    inv = {"savings_total_mio": -71.1, "savings_through_year": 2019, "specification": "did_all_unemployment",
           "investment_total_mio": 124.7, "net_mio": -195.8,
           "savings_total": {"savings_mio": -71.1, "savings_low_mio": -120.0, "savings_high_mio": -22.0,
                             "net_mio": -195.8, "net_low_mio": -244.7, "net_high_mio": -146.7},
           "claims": {"invested_mio": 163, "saved_mio": 320, "through_year": 2019},
           "weeks_target": {"estimated_change": 2.24, "target_change": -53, "before": 121, "after": 68}}
    html = _report(tmp_path, [dict(specification="a", design="stock", estimate=34.6, conf_low=17.5, conf_high=51.8,
                                   p_value=0.014, truth=37.8),
                              dict(specification="b", design="stock", estimate=30.0, conf_low=5.0, conf_high=55.0,
                                   p_value=0.03)], investment=inv)
    assert "Synthetic registers." in html and "Hjørring Kommune began the Hjørring model" in html
    # 34.6 hours x 1,000 persons = 34,600 hours a year (to the nearest 1,000: the interval is +-17,000)
    # = 18 full-time years of 1,924 hours
    assert "rose by 35 hours per person per year (95% interval 18 to 52; p = 0.014)" in html
    assert "+63 % of the 55 hours before the reform" in html
    assert "For the about 1,000 persons a year" in html and "about 35,000 hours a year, about 18 full-time jobs" in html
    assert "The planted effect in this synthetic world: 38 hours" in html
    assert "one other cycle-adjusted specification with a finite interval gives 30 hours (significant at 5 %)" in html
    assert "range from 30 to 30" not in html
    assert "Published: +39 to +51 hours from about 55" in html and "inside our interval" in html
    assert "changed benefit payments by +71 mio. kr. through 2019 (95% interval +22 to +120; + = more paid" in html
    assert "net -196 mio. kr. for the public purse (95% interval -245 to -147)" in html and "320 mio. kr. saved" in html
    # a total whose interval cannot be computed says so, and shows no number for it
    nan = float("nan")
    inv["savings_total"].update(savings_low_mio=nan, savings_high_mio=nan, net_low_mio=nan, net_high_mio=nan)
    html = _report(tmp_path, [dict(specification="a", design="stock", estimate=34.6, conf_low=17.5, conf_high=51.8,
                                   p_value=0.014)], investment=inv)
    assert "through 2019 (no 95% interval is available" in html and "public purse (no 95% interval" in html
    assert "estimated change +2.2 against the target of -53 (121 to 68)" in html


def test_page_one_does_not_state_a_finding_its_monte_carlo_flags(tmp_path):
    """The preferred specification kept out of the headline by its Monte Carlo is not page 1's answer either:
    page 1 says why (the flags), gives its estimate as not a finding, and keeps the robustness range of the
    specifications the Monte Carlo did not flag; no excess-cycle or published comparison of a finding not made."""
    mc = "Monte Carlo exposed: bias 5.6 beyond 0.25 of its spread | exposed_null: size 7.5 % outside 3-7 %"
    rows = [dict(specification="a", design="stock", estimate=27.8, conf_low=11.3, conf_high=44.2, p_value=0.014,
                 flagged=mc),
            dict(specification="b", design="stock", estimate=27.1, conf_low=5.0, conf_high=49.0, p_value=0.03,
                 flagged="")]
    html = _report(tmp_path, rows)
    assert "Net of the business cycle, yearly paid hours" not in html and "rose by" not in html
    assert ("no estimate is stated as net of the business cycle: the preferred specification, <code>a</code>, is "
            "flagged by its Monte Carlo (<span>exposed: bias 5.6 beyond 0.25 of its spread | "
            "exposed_null: size 7.5 % outside 3-7 %</span>; the Monte Carlo section)") in html
    assert "Its estimate, 28 hours per person per year (95% interval 11 to 44), is in the specifications table" in html
    assert "one other cycle-adjusted specification with a finite interval gives 27 hours (significant at 5 %)" in html
    assert "Published:" not in html and "The planted effect in this synthetic world" not in html
    da = _report(tmp_path, rows, language="da")
    assert "er markeret af sit Monte Carlo-studie (<span lang='en'>exposed: bias 5.6" in da
    assert "designets ene anden konjunkturkorrigerede specifikation med et endeligt interval giver 27 timer" in da
    assert "Dens estimat, 28 timer pr. person pr. år (95 %-interval 11 til 44)" in da
    # without the Monte Carlo's flag the same estimate is the answer
    html = _report(tmp_path, [dict(rows[0], flagged=""), rows[1]])
    assert "Net of the business cycle, yearly paid hours" in html and "rose by 28 hours" in html


def test_page_one_answer_without_detectable_change_and_on_real_registers(tmp_path):
    html = _report(tmp_path, [dict(specification="a", design="stock", estimate=-4.0, conf_low=-20.0, conf_high=12.0,
                                   p_value=0.6)], source="extract")
    assert "showed no detectable change (-4 hours per person per year; 95% interval -20 to 12" in html
    assert "Synthetic registers." not in html and "planted" not in html
    assert "outside our interval" in html  # 39-51 lies above 12


@pytest.mark.parametrize("n, factors, en, da", [
    (0, None, "chose no common factor: the estimate is a difference in differences of the yearly means",
     "valgte ingen fælles faktor: estimatet er en forskel i forskelle"),
    (2, None, "Cross-validation over the pre-reform years chose 2 common factor(s)",
     "Krydsvalideringen over årene før reformen valgte 2 fælles faktor(er)"),
    (1, 1, "The specification sets 1 common factor(s)", "Specifikationen fastsætter 1 fælles faktor(er)"),
    (None, None, None, None),
])
def test_page_one_states_the_number_of_factors_from_the_result(tmp_path, n, factors, en, da):
    """The preferred estimate's number of factors comes from the specifications table (interactive_fe writes
    it), not from config text: no factor is said to leave the municipality's own cycle response in."""
    import copy

    from evaluation.report.document import Report, ReportInputs
    from tests.conftest import default_config

    row = dict(specification="a", design="stock", estimate=30.0, conf_low=10.0, conf_high=50.0, p_value=0.01,
               n_factors=np.nan if n is None else n)
    h = headline(_spec([row]), CFG)["designs"]["stock"]["preferred"]
    assert h.get("n_factors") == n
    for lang, words in (("en", en), ("da", da)):
        cfg = copy.deepcopy(default_config())
        cfg["source"] = "synthetic"
        cfg["headline"] = dict(cfg["headline"], preferred={"stock": "a"})
        cfg["specifications"]["a"] = dict(estimator="interactive_fe", design="stock", comparison="all",
                                          **({"factors": factors} if factors is not None else {}))
        cfg["report"] = {"language": lang}
        _spec([row]).assign(n_treated_persons=3000, n_control_units=97, inference="placebo").to_csv(
            tmp_path / "spec.csv", index=False)
        pd.DataFrame({"design": "stock", "kom": 860, "year": [2014, 2015], "n_persons": [1000, 1000]}).to_csv(
            tmp_path / "mp.csv", index=False)
        x = tmp_path / "x"
        r = Report(cfg, ReportInputs(estimate=x, calibration=x, sample_flow=x, municipality_year=tmp_path / "mp.csv",
                                     specifications=tmp_path / "spec.csv"))
        page = r.answer()
        stem = "faktor" if lang == "da" else "factor"
        if words is None:
            assert stem not in page.lower()
        else:
            assert words in page
        header = ">faktorer<" if lang == "da" else ">factors<"
        assert (header in r.specifications()) == (n is not None)


@pytest.mark.parametrize("case", ["both", "estimate_only", "none", "other_specification", "no_gain", "implied"])
def test_page_one_says_how_much_harder_the_municipality_would_have_to_ride_the_cycle(tmp_path, case):
    """The excess-cycle table of the preferred stock specification (results/details/excess_cycle.csv) is said on
    page 1 in each language: the breakdown ratios (the interval's only while it excludes zero), the estimate at
    the municipality's own pre-reform cyclicality, and that the whole comparison change counts as the cycle; a
    comparison change that did not rise says so; a table of another specification, or an estimate that is not a
    gain, is not said."""
    import copy

    from evaluation.estimators.excess_cycle import ExcessCycle
    from evaluation.report.document import Report, ReportInputs
    from evaluation.report.language import number
    from tests.conftest import default_config

    low = {"both": 10.0, "estimate_only": -4.0, "none": 10.0, "other_specification": 10.0, "no_gain": -60.0,
           "implied": 10.0}[case]
    change = -6.0 if case == "none" else 20.0
    est = -20.0 if case == "no_gain" else 30.0
    # "implied": a model whose own counterfactual gives the municipality 1.3 times the comparison change
    ex = ExcessCycle(est, low, 50.0 + (low - 10.0), change, 2.0, 97, benchmark=1.4,
                     implied=1.3 if case == "implied" else 1.0)
    d = tmp_path / "details"
    d.mkdir()
    ex.tidy().assign(design="stock", specification="b" if case == "other_specification" else "a",
                     n_treated_persons=500).to_csv(d / "excess_cycle.csv", index=False)
    b, (be, blo, bhi) = ex.breakdown(), ex.at(1.4)
    row = dict(specification="a", design="stock", estimate=est, conf_low=low, conf_high=50.0 + (low - 10.0),
               p_value=0.01 if low > 0 else 0.2)
    for lang in ("en", "da"):
        cfg = copy.deepcopy(default_config())
        cfg["source"] = "synthetic"
        cfg["headline"] = dict(cfg["headline"], preferred={"stock": "a"})
        cfg["specifications"]["a"] = dict(estimator="interactive_fe", design="stock", comparison="all")
        cfg["report"] = {"language": lang}
        _spec([row]).assign(n_treated_persons=3000, n_control_units=97, inference="placebo").to_csv(
            tmp_path / "spec.csv", index=False)
        x = tmp_path / "x"
        page = Report(cfg, ReportInputs(estimate=x, calibration=x, sample_flow=x, municipality_year=x,
                                        specifications=tmp_path / "spec.csv", details_dir=d)).answer()
        n = {k: number(v, 2, lang) for k, v in b.items() if v is not None}
        if case in ("other_specification", "no_gain"):  # not this estimate's table, or no gain to explain away
            assert "excess" not in page and ("harder" not in page and "hårdere" not in page)
            continue
        assert "<p id='answer-excess-stock'>" in page  # a paragraph of its own after the answer
        if case == "none":
            assert ("did not gain" if lang == "en" else "steg ikke") in page
            continue
        est_words = {"en": f"for the estimate to be zero, {n['estimate_zero']} times",
                     "da": f"for at estimatet er nul, {n['estimate_zero']} gange"}[lang]
        implied = {"en": "already has the yearly stock change 1.30 times as much as theirs",
                   "da": "lader allerede den årlige bestand ændre sig 1,30 gange så meget som deres"}[lang]
        assert (implied in page) == (case == "implied")
        if case == "implied":
            assert b["estimate_zero"] == pytest.approx(1.3 + 30.0 / 20.0)
        if case in ("both", "implied"):
            assert ex.implied < b["interval_zero"] < b["estimate_zero"]
            assert ({"en": f"would have had to change {n['interval_zero']} times as much",
                     "da": f"skulle dens årlige bestand have ændret sig {n['interval_zero']} gange"}[lang]) in page
            assert est_words in page
        else:  # the interval already includes zero: only the estimate's ratio
            assert b["interval_zero"] == 1.0
            assert ({"en": f"For the estimate to be zero, its yearly stock would have had to change "
                           f"{n['estimate_zero']} times",
                     "da": f"For at estimatet er nul, skulle dens årlige bestand have ændret sig "
                           f"{n['estimate_zero']} gange"}[lang]) in page
            assert "intervallet når nul" not in page and "interval to reach zero" not in page
        bench = {"en": f"{number(1.4, 2, lang)} times as much with the national rate as theirs; at that ratio the "
                       f"estimate is {number(be, 0, lang)} hours (95% interval {number(blo, 0, lang)} to "
                       f"{number(bhi, 0, lang)})",
                 "da": f"{number(1.4, 2, lang)} gange så meget med landets som deres; ved det forhold er estimatet "
                       f"{number(be, 0, lang)} timer (95 %-interval {number(blo, 0, lang)} til "
                       f"{number(bhi, 0, lang)})"}[lang]
        assert bench in page
        assert ({"en": "change (20 hours) as the cycle", "da": "ændring (20 timer) som konjunktur"}[lang]) in page


INV = {"savings_total_mio": -71.1, "savings_through_year": 2019, "specification": "did_all_unemployment",
       "investment_total_mio": 1124.7, "net_mio": -195.8,
       "savings_total": {"savings_mio": -71.1, "savings_low_mio": -120.0, "savings_high_mio": -22.0,
                             "net_mio": -195.8, "net_low_mio": -244.7, "net_high_mio": -146.7},
       "claims": {"invested_mio": 163, "saved_mio": 320, "through_year": 2019},
       "weeks_target": {"estimated_change": 2.24, "target_change": -53, "before": 121, "after": 68}}


def test_page_one_in_danish_has_the_same_numbers_in_danish_conventions(tmp_path):
    """report.language: da: the first page's words in Danish (verb before the subject), the same numbers with a
    decimal comma and a full stop for thousands, the config's texts from headline.danish; the methods and the
    glossary in Danish; the later sections are said to be in English."""
    rows = [dict(specification="a", design="stock", estimate=34.6, conf_low=17.5, conf_high=51.8, p_value=0.014,
                 truth=37.8), dict(specification="b", design="stock", estimate=30.0, conf_low=5.0, conf_high=55.0,
                                   p_value=0.03)]
    html = _report(tmp_path, rows, investment=INV, language="da")
    assert "<div id='answer' lang='da'>" in html and "Syntetiske registre." in html
    assert ("Korrigeret for konjunkturerne steg de årlige betalte timer for den årlige bestand af målgruppen "
            "(alle i målgruppen det år) med 35 timer pr. person pr. år (95 %-interval 18 til 52; p = 0,014)") in html
    assert "+63 % af de 55 timer før reformen" in html
    assert "For de omkring 1.000 personer om året" in html and "omkring 35.000 timer om året, omkring 18 fuldtidsjob" in html
    assert "(1.924 timer om året hver)" in html and "Den indplantede effekt i denne syntetiske verden: 38 timer" in html
    assert "designets ene anden konjunkturkorrigerede specifikation med et endeligt interval giver 30 timer (signifikant på 5 %-niveau)" in html
    assert "Offentliggjort: +39 til +51 timer fra omkring 55 (Ravn (Aalborg Universitet)" in html
    assert "inden for vores interval" in html and "satte Hjørring Kommune Hjørring-modellen i gang" in html
    assert "med +71 mio. kr. til og med 2019 (95 %-interval +22 til +120; + = mere udbetalt" in html
    assert "mod 1.124,7 mio. kr. investeret" in html
    assert "netto -196 mio. kr. for de offentlige kasser (95 %-interval -245 til -147)" in html and "estimeret ændring +2,2 mod målet -53 (121 til 68)" in html
    assert "Hele rapporten er på dansk" in html and "engelsk tekst" not in html
    # the methods and the glossary in Danish too, the glossary's numbers in Danish conventions
    html = _report(tmp_path, rows, investment=INV, language="da", sections=("answer", "methods", "glossary"))
    assert "<h2 id='methods' lang='da'>Metode</h2>" in html and "Usikkerhed med én behandlet kommune" in html
    assert "<h2 id='glossary' lang='da'>Ordliste</h2>" in html and "1.924 timer om året (37 timer i 52 uger)" in html
    assert "Methods</h2>" not in html and "Glossary</h2>" not in html
    assert "mindste opnåelige p-værdi" in html and ">nej<" in html and ">ja<" in html  # 10 and 97 comparisons
    en = _report(tmp_path, rows, investment=INV, sections=("answer", "methods", "glossary"))
    assert "resten af rapporten" not in en and "against 1,124.7 mio. kr. invested" in en
    assert "<h2 id='methods' lang='en'>Methods</h2>" in en and "1,924 hours a year (37 hours for 52 weeks)" in en


def test_page_one_in_danish_without_danish_texts_says_they_are_english(tmp_path):
    html = _report(tmp_path, [dict(specification="a", design="stock", estimate=-4.0, conf_low=-20.0, conf_high=12.0,
                                   p_value=0.6)], source="extract", language="da", danish=False)
    assert "viste de årlige betalte timer for den årlige bestand" in html
    assert "ingen påviselig ændring (-4 timer pr. person pr. år; 95 %-interval -20 til 12; p = 0,600)" in html
    assert "Hjørring Kommune began the Hjørring model" in html and "(engelsk tekst fra konfigurationen)" in html
    assert "uden for vores interval" in html and "Syntetiske registre." not in html


def test_report_language_is_checked():
    from evaluation.config import validate_config
    from evaluation.report.language import check_language
    from tests.conftest import default_config

    with pytest.raises(ValueError, match=r"report.language: 'de' is not a language of the report; expected one of "
                                         r"\['en', 'da'\]"):
        check_language("de")
    cfg = default_config()
    cfg["report"] = {"language": "de"}
    with pytest.raises(Exception, match="de"):
        validate_config(cfg)


def test_every_specification_has_its_own_label_in_words_in_both_languages():
    """The report names specifications in words (estimator, target group, comparison, covariates and what else
    sets them apart): each configured specification gets a label of its own, so none is mistaken for another."""
    from evaluation.report.language import specification_label
    from tests.conftest import default_config

    specs = default_config()["specifications"]
    for lang in ["en", "da"]:
        labels = {n: specification_label(s, lang) for n, s in specs.items()}
        assert len(set(labels.values())) == len(labels), lang
    assert (specification_label(specs["did_nearest"])
            == "DiD, 2014 cohort, 20 nearest municipalities, local unemployment")
    assert specification_label(specs["did_nearest"], "da") == "DiD, 2014-kohorte, 20 nærmeste kommuner, lokal ledighed"
    assert specification_label(specs["naive_stock"]) == "before/after, yearly stock"
    assert specification_label(dict(estimator="matched_did", design="cohort", comparison="nearest", nearest_k=30),
                               baseline_year=2013) == "matched DiD, 2013 cohort, 30 nearest municipalities"
    assert specification_label(specs["placebo_cohort_2012"]).startswith("DiD, 2012 cohort,")
    assert specification_label(specs["placebo_cohort_2012"]).endswith("pseudo-reform 2013")
    with pytest.raises(ValueError, match="report.language: 'de'"):
        specification_label(specs["did_nearest"], "de")


def test_headings_tables_and_their_numbers_in_danish(tmp_path):
    """report.language: da: the later sections' headings, the table column names and captions in Danish, the
    tables' numbers with a decimal comma and a full stop for thousands; the English report keeps its words."""
    from evaluation.report.html import table_html
    from evaluation.report.language import CAPTIONS, COLUMNS, HEADINGS

    rows = [dict(specification="a", design="stock", estimate=34.6, conf_low=17.5, conf_high=51.8, p_value=0.014,
                 truth=37.8, inference="placebo"),
            dict(specification="b", design="stock", estimate=1234.5, conf_low=5.0, conf_high=55.0, p_value=0.03,
                 inference="placebo")]
    da = _report(tmp_path, rows, language="da", sections=("specifications",))
    assert "<h2 lang='da'>Alle specifikationer (årlige timer)</h2>" in da and "All specifications" not in da
    for word in ["specifikation", "hvad den er", "konjunkturkorrigeret", "nedre grænse", "øvre grænse", "p-værdi",
                 "sandhed", "sammenligningsenheder"]:
        assert f"<th>{word}</th>" in da
    assert '<td class="n">0,014</td>' in da and '<td class="n">1.234</td>' in da  # 1,234.5 rounded
    en = _report(tmp_path, rows, sections=("specifications",))
    assert "<h2>All specifications (yearly hours)</h2>" in en and "<th>conf low</th>" in en
    assert '<td class="n">0.014</td>' in en and '<td class="n">1,234</td>' in en
    # a caption with fields, in both languages
    t = pd.DataFrame({"year": [2015], "n_persons": [12345], "hours": [-0.04]})
    from evaluation.report.document import Report, ReportInputs
    from tests.conftest import default_config

    cfg = dict(default_config(), report={"language": "da"})
    rep = Report(cfg, ReportInputs(estimate=tmp_path / "x", calibration=tmp_path / "x", sample_flow=tmp_path / "x",
                                   municipality_year=tmp_path / "mp.csv"))
    out = rep.table(t, "The cohort in {year}: treated municipality against all comparison municipalities", "b",
                    digits=1, year=2014)
    assert "<caption>Kohorten i 2014: behandlet kommune mod alle sammenligningskommuner</caption>" in out
    assert "<th>år</th><th>personer</th><th>timer</th>" in out and ">12.345<" in out and ">0,0<" in out
    assert table_html(t, digits=1).count("<th>") == 3 and ">12,345<" in table_html(t, digits=1)
    # every Danish caption keeps the English template's fields; no translation is empty
    for en_text, da_text in CAPTIONS["da"].items():
        assert sorted(re.findall(r"{(\w+)}", en_text)) == sorted(re.findall(r"{(\w+)}", da_text)), en_text
    assert all(HEADINGS["da"].values()) and all(COLUMNS["da"].values())


def test_specification_table_carries_each_specification_in_words(tmp_path):
    """stages.collect_specifications puts what each specification is beside its identifier, and refuses a table
    with a specification it has no words for."""
    from evaluation.stages import collect_specifications

    for name, est in [("b", 2.0), ("a", 1.0)]:
        pd.DataFrame({"specification": [name], "outcome": "hours", "cycle_adjusted": True, "estimate": est,
                      "flagged": ""}).to_csv(tmp_path / f"{name}.csv", index=False)
    paths = [tmp_path / "a.csv", tmp_path / "b.csv"]
    t = collect_specifications(paths, tmp_path / "s.csv", labels={"a": "DiD, yearly stock", "b": "synthetic control"})
    back = pd.read_csv(tmp_path / "s.csv")
    assert list(back.columns[:2]) == ["specification", "what_it_is"]
    assert dict(zip(back.specification, back.what_it_is)) == {"a": "DiD, yearly stock", "b": "synthetic control"}
    assert t.what_it_is.tolist() == back.what_it_is.tolist()
    with pytest.raises(ValueError, match=r"no label for specifications \['b'\]"):
        collect_specifications(paths, tmp_path / "t.csv", labels={"a": "DiD"})
    assert not (tmp_path / "t.csv").exists()


def test_the_investment_section_s_text_in_both_languages_with_payments_signed_as_on_page_one(tmp_path):
    """The investment section's paragraph (Report._investment_text) in English and Danish: the change in payments
    with + = more paid (no 'saved -50'), the total with its own interval, and the net as page 1 states it; an
    interval that cannot be computed is said to be unavailable."""
    import copy

    from evaluation.report.document import Report, ReportInputs
    from tests.conftest import default_config

    s = dict(INV, investment_total_mio=124.7, design="cohort", break_even_year=None, planted_savings_total_mio=-48.8,
             savings_total={"savings_mio": -1049.8, "savings_low_mio": -1073.3, "savings_high_mio": -1026.3,
                            "net_mio": -1174.6, "net_low_mio": -1198.0, "net_high_mio": -1151.0,
                            "yearly_sum_mio": -1049.6})
    inp = ReportInputs(estimate=tmp_path / "x", calibration=tmp_path / "x", sample_flow=tmp_path / "x",
                       municipality_year=tmp_path / "x")
    texts = {}
    for lang in ("en", "da"):
        cfg = copy.deepcopy(default_config())
        cfg["report"] = {"language": lang}
        texts[lang] = Report(cfg, inp)._investment_text(s)
    en, da = texts["en"], texts["da"]
    assert "Invested 124.7 mio. kr. in 2015-2018" in en and "<b>+71 mio. kr.</b> (+ = more paid; cohort design" in en
    assert "(net -1,175 mio. kr.)" in en and "Planted truth of the change in payments: +49 mio. kr." in en
    assert "<b>+1,050 mio. kr.</b> (95% interval +1,026 to +1,073; the yearly effects sum to +1,050" in en
    assert "net -1,175 mio. kr. for the public purse (95% interval -1,198 to -1,151)" in en and "saved -" not in en
    assert "<p id=\"investment-summary\" lang='da'>Investeret 124,7 mio. kr. i 2015-2018" in da
    assert "<b>+71 mio. kr.</b> (+ = mere udbetalt; kohortedesign" in da and "(netto -1.175 mio. kr.)" in da
    assert "<b>+1.050 mio. kr.</b> (95 %-interval +1.026 til +1.073; de årlige effekter summerer til +1.050" in da
    assert "netto -1.175 mio. kr. for de offentlige kasser (95 %-interval -1.198 til -1.151)" in da
    s["savings_total"].update(savings_low_mio=float("nan"), net_low_mio=float("nan"))
    cfg = copy.deepcopy(default_config())
    assert en.count("95% interval") == 2 and Report(cfg, inp)._investment_text(s).count("no 95% interval") == 2


def test_the_investment_tables_are_signed_as_said(synthetic_run, tmp_path):
    """The investment section's tables: the change in payments with + = more paid (minus the savings, interval
    ends swapped), weeks per person with + = more weeks, 'priced' in words; in Danish the same numbers with Danish
    columns and words."""
    import copy
    import re

    from evaluation import stages
    from evaluation.report.document import Report, ReportInputs

    stages.investment(synthetic_run["cfg"], synthetic_run["dir"] / "person_year.parquet",
                      synthetic_run["registers"].municipality_year, synthetic_run["dir"] / "truth.csv", tmp_path)
    by_year = pd.read_csv(tmp_path / "investment_by_year.csv")
    cats = pd.read_csv(tmp_path / "investment_categories.csv")
    inp = ReportInputs(estimate=tmp_path / "x", calibration=tmp_path / "x", sample_flow=tmp_path / "x",
                       municipality_year=tmp_path / "x", investment_dir=tmp_path)
    out = {}
    for lang in ("en", "da"):
        cfg = copy.deepcopy(synthetic_run["cfg"])
        cfg["report"] = {"language": lang}
        out[lang] = Report(cfg, inp).investment()
    row = by_year[by_year.year == 2017].iloc[0]
    cells = re.findall(r"<tr><td class=\"n\">2017</td>(.*?)</tr>", out["en"])[0]
    vals = re.findall(r"<td class=\"[nt]\">(.*?)</td>", cells)
    assert vals[1] == f"{-row.savings_mio:,.0f}" and vals[0] == f"{row.investment_mio:.1f}"
    assert vals[2] == f"{-row.savings_high_mio:+,.0f} – {-row.savings_low_mio:+,.0f}"
    assert "<th>change in payments</th>" in out["en"] and "<th>saved</th>" not in out["en"]
    fp = cats.set_index("category").loc["foertidspension"]
    assert f"<td class=\"t\">foertidspension</td><td class=\"n\">{-fp.weeks_saved_per_person:.1f}</td>" in out["en"]
    assert "<td class=\"t\">yes</td>" in out["en"] and "True" not in out["en"]
    assert "<th>ændring i udbetalinger</th>" in out["da"] and "<td class=\"t\">ja</td>" in out["da"]
