"""A tiny end-to-end run of the Snakemake pipeline, and its lint."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from evaluation.disclosure import scan_results
from tests.conftest import ROOT
from tests.workflow.tiny import tiny_workdir

pytestmark = pytest.mark.workflow
SNAKEMAKE = [sys.executable, "-m", "snakemake"]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    # one replication per arm in a world of the tiny run's size, two specifications
    work = tiny_workdir(tmp_path_factory.mktemp("pipeline"))
    proc = subprocess.run(SNAKEMAKE + ["--cores", "2", "--profile", "workflow/profiles/default"], cwd=work,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return work


def test_outputs_exist(tiny_run):
    for f in ["results/validation.json", "results/tables/sample_flow.csv", "results/panels/municipality_year.csv",
              "results/tables/calibration.csv", "results/tables/first_estimate.csv", "results/report.html",
              "data/panel/person_year.parquet", "data/synthetic/truth.csv", "results/tables/specifications.csv",
              "results/headline.json", "results/details/sc_summary.json", "results/details/event_study.csv", "results/details/event_study_stock.csv", "results/report.pdf", "results/tables/balance.csv",
              "results/panels/group_year.csv", "results/investment/investment.json",
              "results/investment/investment_by_year.csv", "results/investment/benefit_rates.csv"]:
        assert (tiny_run / f).stat().st_size > 0, f
    for rule in ["simulate", "validate_registers", "panel", "calibration", "estimate_first", "report", "specifications",
                 "investment"]:
        assert (tiny_run / "logs" / f"{rule}.log").exists(), rule


def test_estimate_beside_truth(tiny_run):
    est = pd.read_csv(tiny_run / "results/tables/first_estimate.csv").iloc[0]
    mp = pd.read_csv(tiny_run / "results/panels/municipality_year.csv")
    comparison = mp.loc[(mp.design == "cohort") & (mp.kom != 860), "kom"].nunique()
    assert est["method"] == "TWFE DiD" and est["n_treated_units"] == 1 and est["n_control_units"] == comparison
    assert est["conf_low"] < est["estimate"] < est["conf_high"]
    assert 0 < est["p_value"] <= 1
    # the truth beside the estimate is the planted ATT over the post years, weighted by treated persons
    t = pd.read_csv(tiny_run / "data/synthetic/truth.csv")
    t = t[(t.kom == 860) & (t.design == "cohort") & (t.outcome == "hours") & (t.year >= 2015)]
    assert est["truth"] == pytest.approx((t.att * t.n_persons).sum() / t.n_persons.sum(), abs=1e-5)
    html = (tiny_run / "results/report.html").read_text()
    # in whole hours (the interval spans tens of hours: more decimals would be false precision)
    assert f"<b>{est['estimate']:.0f}</b> per person" in html and f"planted truth is <b>{est['truth']:.0f}</b>" in html
    for section in ['id="headline"', 'id="estimate"', 'id="calibration"', 'id="sample-flow"', 'id="fig-outcome"',
                    'id="fig-cycle"', 'id="fig-decomposition"', 'id="fig-spec-curve"', 'id="fig-sc-path"',
                    'id="fig-sc-weights"', 'id="fig-sc-placebos"', 'id="fig-event-study"', 'id="specifications"',
                    'id="investment-summary"', 'id="fig-investment"', 'id="investment-by-year"', 'id="benefit-rates"',
                    'id="weeks-target"']:
        assert section in html
    # synthetic control's leave-one-out estimates (one a donor of positive weight) are drawn, their range stated
    loo = pd.read_csv(tiny_run / "results/details/sc_leave_one_out.csv")
    w = pd.read_csv(tiny_run / "results/details/sc_weights.csv")
    assert len(loo) >= 1 and set(loo.dropped) <= set(w.kom[w.weight > 0])
    assert 'id="fig-sc-leave-one-out"' in html
    # the specification table says whether a specification is cycle-adjusted in words, not as a Python bool
    table = html.split('id="specifications"', 1)[1].split("</table>", 1)[0]
    assert "<td class=\"t\">yes</td>" in table and "True" not in table and "False" not in table
    # and says in words what each specification is (the curve's axis carries the same words)
    from html import escape

    from evaluation.report.language import specification_label

    cfg = yaml.safe_load((tiny_run / "config" / "config.yaml").read_text())
    base = int(cfg["panel"]["baseline_year"])
    for name, sp in cfg["specifications"].items():
        assert f"<td class=\"t\">{escape(specification_label(sp, 'en', base))}</td>" in table, name
    # the same words in the table the notebooks read, beside each identifier
    st = pd.read_csv(tiny_run / "results/tables/specifications.csv")
    assert list(st.columns[:2]) == ["specification", "what_it_is"]
    assert {n: specification_label(cfg["specifications"][n], "en", base) for n in st.specification} == dict(
        zip(st.specification, st.what_it_is))
    assert f"ranges from {loo.att.min():.0f} to {loo.att.max():.0f} hours" in html
    # the investment case's numbers in the report are those of the investment stage
    inv = json.loads((tiny_run / "results/investment/investment.json").read_text())
    from evaluation.report.language import number

    paid = number(-inv["savings_total_mio"], 0, sign=True)
    assert f"{inv['investment_total_mio']:.1f} mio. kr." in html and f"<b>{paid} mio. kr.</b>" in html
    tot = inv["savings_total"]  # the total with its own interval, on page 1 and in the investment section
    low = number(-tot["savings_high_mio"], 0, sign=True)
    assert f"<b>{number(-tot['savings_mio'], 0, sign=True)} mio. kr.</b> (95% interval {low} to " in html
    assert f"net {number(tot['net_mio'], 0, sign=True)} mio. kr. for the public purse" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "<script" not in html


def test_no_microdata_and_no_small_cells_in_results(tiny_run):
    assert scan_results(tiny_run / "results", 5) == []
    # synthetic control rests only on donors with enough persons, and placebo gaps of small ones are withheld
    w = pd.read_csv(tiny_run / "results/details/sc_weights.csv")
    mp = pd.read_csv(tiny_run / "results/panels/municipality_year.csv")
    n_min = mp[mp.design == "stock"].groupby("kom").n_persons.min()
    assert (n_min.reindex(w.kom).fillna(0) >= 5).all()
    assert not list((tiny_run / "results").rglob("*.parquet"))  # the person-year panel stays in data/
    # the dominance rule ran: its flag column is there, its shares are not
    assert "dominated" in mp.columns and not any(c.startswith("_top_share") for c in mp.columns)
    assert mp.loc[mp.dominated.fillna("").str.contains("hours"), "hours"].isna().all()


def test_second_run_has_nothing_to_do(tiny_run):
    proc = subprocess.run(SNAKEMAKE + ["--cores", "1", "-n"], cwd=tiny_run, capture_output=True, text=True)
    assert proc.returncode == 0 and "Nothing to be done" in proc.stdout + proc.stderr


def test_bad_config_stops_before_anything_runs(tmp_path):
    shutil.copy(ROOT / "Snakefile", tmp_path / "Snakefile")
    shutil.copytree(ROOT / "workflow", tmp_path / "workflow", symlinks=False)
    shutil.copytree(ROOT / "config", tmp_path / "config")
    cfg = yaml.safe_load((tmp_path / "config" / "config.yaml").read_text())
    cfg["panel"]["baseline_yaer"] = 2014
    (tmp_path / "config" / "config.yaml").write_text(yaml.safe_dump(cfg))
    proc = subprocess.run(SNAKEMAKE + ["--cores", "1"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode != 0 and "baseline_yaer" in proc.stderr
    assert not (tmp_path / "data" / "synthetic" / "dream.parquet").exists()


def test_lint_is_clean():
    proc = subprocess.run(SNAKEMAKE + ["--lint"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0 and "good condition" in proc.stdout + proc.stderr


def test_one_estimate_per_specification_and_headline_from_the_table(tiny_run):
    import json

    cfg = yaml.safe_load((tiny_run / "config" / "config.yaml").read_text())
    spec = pd.read_csv(tiny_run / "results/tables/specifications.csv")
    assert set(spec.specification) == set(cfg["specifications"])
    assert len(spec) == len(cfg["specifications"]) * len(cfg["estimate"]["outcomes"])
    for name in cfg["specifications"]:
        assert (tiny_run / "results" / "estimates" / f"{name}.csv").exists()
    import html as H

    h = json.loads((tiny_run / "results/headline.json").read_text())
    pref = cfg["headline"]["preferred"]["stock"]
    stock = spec[(spec.outcome == "hours") & (spec.design == "stock")]
    row = stock[stock.specification == pref].iloc[0]
    st = h["designs"]["stock"]
    assert st["preferred"]["specification"] == pref and st["preferred"]["estimate"] == round(row.estimate, 1)
    flagged = stock.flagged.fillna("").astype(str).str.contains("degenerate|Monte Carlo", regex=True)
    rob = stock[stock.cycle_adjusted & (stock.specification != pref) & np.isfinite(stock.conf_low)
                & np.isfinite(stock.conf_high) & ~flagged]
    assert st["robustness"]["specifications"] == rob.specification.tolist()
    if len(rob):
        assert st["robustness"]["low"] == round(rob.estimate.min(), 1)
        assert st["robustness"]["high"] == round(rob.estimate.max(), 1)
    assert "preferred" not in h["designs"]["cohort"]  # no cohort specification is named as net of the cycle
    report = (tiny_run / "results/report.html").read_text()
    assert H.escape(st["sentence"]) in report and 'id="net-of-cycle"' in report
    paths = pd.read_csv(tiny_run / "results/details/cycle_paths.csv")
    assert set(paths.design) == {"stock", "cohort"} and paths.year.min() == 2015
    # the excess-cycle table of the stock's preferred factor model: at the ratio its own counterfactual implies (1
    # for a DiD of the yearly means; with factors or a covariate its own row "implied") it is the specification's
    # estimate, and each other ratio moves it by the comparison municipalities' change per unit of ratio
    ex = pd.read_csv(tiny_run / "results/details/excess_cycle.csv")
    assert set(ex.design) == {"stock"} and set(ex.specification) == {pref}
    assert {"ratio", "breakdown_estimate_zero", "breakdown_interval_zero"} <= set(ex.what)
    implied = ex[ex.what == "implied"]
    own = implied.iloc[0] if len(implied) else ex[(ex.what == "ratio") & (ex.ratio == 1.0)].iloc[0]
    assert own.estimate == pytest.approx(row.estimate, abs=1e-3)
    one = ex[(ex.what == "ratio") & (ex.ratio == 1.0)].iloc[0]
    assert one.estimate == pytest.approx(row.estimate - (1.0 - own.ratio) * one.comparison_change, abs=1e-2)
    assert "id='excess-cycle'" in report and 'id="excess-cycle-table"' in report


def test_report_as_a_person_sees_it(tiny_run, tmp_path):
    """Headless Chromium renders the report offline: every section and figure is there,
    every figure is an inline image that decoded, and the console shows no error."""
    from evaluation.report.render import rendered_dom, screenshot

    html = tiny_run / "results/report.html"
    dom, log = rendered_dom(html)
    for fig in ["fig-outcome", "fig-cycle", "fig-cycle-stock", "fig-cycle-cohort", "fig-decomposition", "fig-spec-curve", "fig-sc-path", "fig-sc-weights",
                "fig-sc-placebos", "fig-sc-ratios", "fig-sc-leave-one-out", "fig-event-study", "fig-event-study-stock",
                "fig-investment", "fig-caseloads"]:
        assert f'id="{fig}"' in dom, fig
    for h in ["The first estimate", "The investment case", "All specifications", "Synthetic control", "Event study",
              "Other outcomes", "Balance before the reform", "Data provenance", "Calibration of the registers",
              "Sample flow", "Software", "Configuration", "Methods", "Inference with one treated municipality",
              "Two designs, two estimands", "The mechanism", "Glossary"]:
        assert h in dom, h
    assert dom.count("data:image/png;base64,") >= 10
    console_errors = [l for l in log.splitlines() if "CONSOLE" in l and ("ERROR" in l or "Uncaught" in l)]
    assert console_errors == []
    png = tmp_path / "report.png"
    screenshot(html, png)
    assert png.stat().st_size > 50_000  # a rendered page with figures, not a blank one
    assert (tiny_run / "results/report.pdf").read_bytes()[:5] == b"%PDF-"


def _pdf_images(pdf) -> tuple[list, dict]:
    """The pages' sizes and, per embedded image, the pages it is drawn on (through nested forms too)."""
    from pypdf import PdfReader

    reader, pages_of = PdfReader(pdf), {}

    def walk(res, page):
        xobjects = res.get_object().get("/XObject") if res else None
        for ref in (xobjects.get_object().values() if xobjects else []):
            o = ref.get_object()
            if o.get("/Subtype") == "/Image":
                pages_of.setdefault(ref.idnum, set()).add(page)
            elif o.get("/Subtype") == "/Form":
                walk(o.get("/Resources"), page)

    for i, p in enumerate(reader.pages):
        walk(p.get("/Resources"), i + 1)
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages], pages_of


def test_report_pdf_is_a4_and_no_figure_is_cut_across_pages(tiny_run, tmp_path):
    """Every page A4 (595 x 842 points); every figure drawn whole on one page: a figure Chromium splits at a
    page break is the same image drawn on two pages (a figure taller than a page, printed with the report's
    style, is found so)."""
    import matplotlib.pyplot as plt

    from evaluation.report.html import figure_html, page
    from evaluation.report.render import html_to_pdf

    sizes, pages_of = _pdf_images(tiny_run / "results/report.pdf")
    assert all(abs(w - 595.3) < 1 and abs(h - 841.9) < 1 for w, h in sizes), set(sizes)
    assert len(pages_of) >= 10
    assert {k: sorted(v) for k, v in pages_of.items() if len(v) > 1} == {}
    fig, ax = plt.subplots(figsize=(4, 14))
    ax.plot([0, 1])
    (tmp_path / "tall.html").write_text(page("tall", ["<p>text</p>" * 20, figure_html(fig, "too tall", "f")]))
    html_to_pdf(tmp_path / "tall.html", tmp_path / "tall.pdf")
    assert [len(v) for v in _pdf_images(tmp_path / "tall.pdf")[1].values()] == [2]


def test_report_in_danish_with_the_config_switch(tiny_run, tmp_path):
    """report.language: da in a config file beside the run's re-renders the report only, and its first page is
    in Danish with the same numbers (the headline JSON, which does not depend on the language, is unchanged)."""
    work = tmp_path / "da"
    shutil.copytree(tiny_run, work, ignore=shutil.ignore_patterns("panel", "release"))
    (work / "config" / "da.yaml").write_text("report:\n  language: da\n")
    proc = subprocess.run(SNAKEMAKE + ["--cores", "1", "--profile", "workflow/profiles/default", "results/report.html",
                                       "--configfile", "config/config.yaml", "config/da.yaml"],
                          cwd=work, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    da, en = (work / "results/report.html").read_text(), (tiny_run / "results/report.html").read_text()
    assert "<div id='answer' lang='da'>" in da and "Korrigeret for konjunkturerne" in da and "Syntetiske registre." in da
    assert "Net of the business cycle, yearly paid hours" not in da.split("</div>")[0]
    assert "Korrigeret for konjunkturerne" not in en
    assert "<h2 id='methods' lang='da'>Metode</h2>" in da and "<h2 id='glossary' lang='da'>Ordliste</h2>" in da
    assert "<h2 id=\"net-of-cycle\" lang='da'>Korrigeret for konjunkturerne</h2>" in da
    assert "<h2 id=\"net-of-cycle\" lang='en'>Net of the business cycle</h2>" in en
    assert (work / "results/headline.json").read_bytes() == (tiny_run / "results/headline.json").read_bytes()
    # the same preferred estimate, written the Danish way
    h = json.loads((tiny_run / "results/headline.json").read_text())
    est = h["designs"]["stock"]["preferred"]["estimate"]
    assert f"med {abs(est):.0f} timer pr. person pr. år" in da or "ingen påviselig ændring" in da


def _english_words_outside_data(report_html: str) -> list[str]:
    """English words in a report's running text: what is left after tables, code, the configuration's YAML and the
    parts marked lang='en' (the data the pipeline writes in English)."""
    body = re.sub(r"<(table|pre|code|style|script|title)\b.*?</\1>", " ", report_html, flags=re.S)
    body = re.sub(r"<(\w+)[^>]*\blang='en'[^>]*>.*?</\1>", " ", body, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    return re.findall(r"[^.;:]*\b(?:the|of|and|with|is|are|from)\b[^.;:]*", text)


def test_the_danish_report_is_danish_throughout(tiny_run, tmp_path, monkeypatch):
    """report.language: da: every sentence, figure caption, axis and legend of the report is Danish (rendered
    here in-process, so that the phrases without a translation are seen: language.UNTRANSLATED); only what the
    pipeline writes as data stays English, marked lang='en'. The English report has English sentences."""
    from evaluation.config import load_config
    from evaluation.report import language
    from evaluation.report.document import ReportInputs, render_report

    r = tiny_run / "results"
    cfg = load_config(tiny_run / "config" / "config.yaml")
    inputs = ReportInputs(
        estimate=r / "tables/first_estimate.csv", calibration=r / "tables/calibration.csv",
        sample_flow=r / "tables/sample_flow.csv", municipality_year=r / "panels/municipality_year.csv",
        group_year=r / "panels/group_year.csv", truth=tiny_run / "data/synthetic/truth.csv",
        specifications=r / "tables/specifications.csv", details_dir=r / "details", balance=r / "tables/balance.csv",
        investment_dir=r / "investment", monte_carlo=r / "tables/monte_carlo.csv",
        monte_carlo_paths=r / "tables/monte_carlo_paths.csv")
    # every figure is drawn in the report's language (a figure called without it would stay English)
    import inspect

    from evaluation.report import figures

    drawn = []
    for name, f in inspect.getmembers(figures, inspect.isfunction):
        if f.__module__ == figures.__name__ and "lang" in inspect.signature(f).parameters:
            monkeypatch.setattr(figures, name, lambda *a, _f=f, _n=name, **k: drawn.append((_n, k.get("lang")))
                                or _f(*a, **k))
    language.UNTRANSLATED.clear()
    cfg["report"] = {"language": "da"}
    render_report(cfg, inputs, tmp_path / "da.html")
    assert sorted(language.UNTRANSLATED) == []
    assert len(drawn) >= 10 and [d for d in drawn if d[1] != "da"] == []
    da = (tmp_path / "da.html").read_text()
    assert da.startswith('<!DOCTYPE html><html lang="da">')
    assert _english_words_outside_data(da) == []
    for words in ["Placeboforskelle for sammenligningskommunerne", "Effekter efter år i forhold til reformen",
                  "Hver replikation danner en lille syntetisk verden", "Konjunkturerne: bruttoledigheden efter år",
                  "Effekter år for år efter reformen over de samme replikationer",
                  "disse arme fjerner den udligning"]:
        assert words in da, words
    cfg["report"] = {"language": "en"}
    render_report(cfg, inputs, tmp_path / "en.html")
    en = (tmp_path / "en.html").read_text()
    assert len(_english_words_outside_data(en)) > 50 and "Placebo gaps of the comparison municipalities" in en
    assert "changed as config <code>monte_carlo.exposed</code> says (deprivation 0)" in en
    assert "these arms remove that offset" in en
    # another change to the exposed arms is stated, and the default's reason (the offset) is not given for it
    cfg["monte_carlo"] = dict(cfg.get("monte_carlo") or {}, exposed={"deprivation": 0.5, "cycle_elasticity": 2.0})
    render_report(cfg, inputs, tmp_path / "en_exposed.html")
    other = (tmp_path / "en_exposed.html").read_text()
    assert "says (deprivation 0.5, cycle_elasticity 2)" in other and "these arms remove that offset" not in other
    # every translation keeps its English phrase's fields
    for en_text, da_text in {**language.PROSE["da"], **language.FIGURE_WORDS["da"]}.items():
        assert set(re.findall(r"{(\w+)}", en_text)) == set(re.findall(r"{(\w+)}", da_text)), en_text


def test_reviewer_notebooks_executed_offline(tiny_run):
    import jupytext
    import nbformat

    from evaluation.report.notebooks import declared_parameters

    est = yaml.safe_load((tiny_run / "config" / "config.yaml").read_text())["estimate"]
    run = {"results_dir": "results", "treated": est["treated_municipality"], "reform_year": est["reform_year"]}
    for nb in ["01_data_overview", "02_did_event_study", "03_synthetic_control", "04_robustness", "05_reestimate"]:
        node = nbformat.read(tiny_run / "results" / "notebooks" / f"{nb}.ipynb", as_version=4)
        outputs = [o for c in node.cells if c.cell_type == "code" for o in c.get("outputs", [])]
        assert outputs and not [o for o in outputs if o.output_type == "error"], nb
        # the run's own treated municipality and reform year, to the notebooks that declare them
        declared = declared_parameters(jupytext.read(tiny_run / "notebooks" / f"{nb}.py"))
        assert node.metadata["papermill"]["parameters"] == {k: v for k, v in run.items() if k in declared}, nb
        # no object reprs ("<matplotlib.lines.Line2D at 0x7f8997975990>": their addresses can hold ten digits,
        # which the release check takes for a person identifier)
        assert not re.search(r" at 0x[0-9a-f]+>", nbformat.writes(node)), nb
        html = (tiny_run / "results" / "notebooks" / f"{nb}.html").read_text()
        scripts = re.findall(r"<script\b[^>]*>.*?</script>", html, flags=re.DOTALL)
        assert not [x for x in scripts if re.search(r"https?://", x)] and "data:image/png;base64" in html
    # notebook 04: each design's range without one specification, the specification in words beside it
    node = nbformat.read(tiny_run / "results" / "notebooks" / "04_robustness.ipynb", as_version=4)
    plain = "\n".join("".join(o.get("data", {}).get("text/plain", "")) for c in node.cells if c.cell_type == "code"
                      for o in c.get("outputs", []))
    st = pd.read_csv(tiny_run / "results/tables/specifications.csv")
    adj = st[(st.outcome == "hours") & st.cycle_adjusted]
    assert "what_it_is" in plain and "range_without" in plain
    for d in adj.design.unique():
        assert re.search(rf"\b{d}\b", plain), d


def _run_where_it_sits(nb_path, out, **params):
    import nbformat
    import papermill as pm

    pm.execute_notebook(str(nb_path), str(out), parameters=params, kernel_name="python3", cwd=str(nb_path.parent),
                        progress_bar=False)
    node = nbformat.read(out, as_version=4)
    text = []
    for c in node.cells:
        for o in c.get("outputs", []) if c.cell_type == "code" else []:
            assert o.output_type != "error", (nb_path.name, o.get("ename"), o.get("evalue"))
            text.append(o.get("text", "") or "".join(o.get("data", {}).get("text/plain", "")))
    return "\n".join(text)


def test_executed_notebooks_run_where_they_sit(tiny_run, tmp_path):
    """Each executed notebook, opened from its own folder (results/notebooks/) as a reviewer would, runs top to
    bottom with its default parameters.  (Re-estimation with changed parameters: tests/unit/test_notebooks.py,
    on a world whose published panel has more than a few complete municipalities.)"""
    nbdir = tiny_run / "results" / "notebooks"
    for nb in ["01_data_overview", "02_did_event_study", "03_synthetic_control", "04_robustness", "05_reestimate"]:
        text = _run_where_it_sits(nbdir / f"{nb}.ipynb", tmp_path / f"{nb}.ipynb")
    assert "Hjørring (860) against" in text


def test_same_config_and_seed_give_byte_identical_results(tiny_run, tmp_path):
    """A second run from the same synthetic registers (copied, so the first run's files
    stay as they are) rebuilds the panels, estimates, investment case and report: every
    table, JSON and the HTML report are byte-identical.  Excluded: the PDF and the
    executed notebooks (they carry creation times) and the Snakemake report."""
    import hashlib

    work = tmp_path / "again"
    shutil.copytree(tiny_run, work, ignore=shutil.ignore_patterns("results", ".snakemake", "logs", "panel"))
    proc = subprocess.run(SNAKEMAKE + ["--cores", "2", "--profile", "workflow/profiles/default", "results/report.html",
                                       "results/tables/specifications.csv"], cwd=work, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]

    def digests(root):
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted((root / "results").rglob("*"))
                if p.suffix in {".csv", ".json", ".html"} and "notebooks" not in p.parts
                and p.name != "snakemake_report.html"}

    first, second = digests(tiny_run), digests(work)
    assert set(second) <= set(first) and len(second) > 20
    assert {k: v for k, v in second.items() if first[k] != v} == {}


def test_matched_balance_in_the_report(tiny_run):
    """Every matched-DiD specification's balance before and after matching reaches the report, and matching
    reduces the largest standardised difference."""
    cfg = yaml.safe_load((tiny_run / "config" / "config.yaml").read_text())
    matched = sorted(n for n, s in cfg["specifications"].items() if s["estimator"] == "matched_did")
    b = pd.read_csv(tiny_run / "results/details/matched_balance.csv")
    assert sorted(b.specification.unique()) == matched
    html = (tiny_run / "results/report.html").read_text()
    for name, g in b.groupby("specification"):
        assert f"id='matched-balance-{name}'" in html
        assert g.smd_after.abs().max() < g.smd_before.abs().max()
        assert {"hours_2013", "weeks_2014", "age0"} <= set(g.covariate)


def test_release_copies_only_checked_outputs_with_the_log(tiny_run):
    """`make release` (the Snakemake target release): every releasable output, each passing the scanner,
    lands in results/release/ with OUTPUT_CHECKING.md; microdata and internal outputs stay behind."""
    proc = subprocess.run(SNAKEMAKE + ["--cores", "1", "--profile", "workflow/profiles/default", "release"],
                          cwd=tiny_run, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rel = tiny_run / "results" / "release"
    log = json.loads((rel / "output_checking.json").read_text())
    released = {r["file"] for r in log["released"]}
    assert {"results/report.html", "results/headline.json", "results/details/sc_placebos.csv",
            "results/tables/specifications.csv"} <= released
    assert all(r["status"] == "passed" for r in log["released"])
    held = {h["file"]: h["sensitivity"] for h in log["not_released"]}
    assert held["data/panel/person_year.parquet"] == "microdata" and held["results/validation.json"] == "internal"
    assert not (rel / "validation.json").exists() and not list(rel.rglob("*.parquet"))
    for f in released:
        assert (rel / Path(f).relative_to("results")).exists(), f
    # the released copy is the checked file
    import hashlib

    for r in log["released"]:
        copy = rel / Path(r["file"]).relative_to("results")
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == r["sha256"], r["file"]
    assert "`results/report.html` | `report`" in (rel / "OUTPUT_CHECKING.md").read_text()


@pytest.mark.parametrize("stem,suffix", [("event_study", ""), ("event_study_stock", "-stock")])
def test_event_study_sensitivity_reaches_the_report(tiny_run, stem, suffix):
    """Each design's event study (the cohort's and the yearly stock's, repeated cross sections) and its
    Rambachan-Roth sensitivity reach the report under their own ids."""
    es = pd.read_csv(tiny_run / f"results/details/{stem}.csv")
    sens = pd.read_csv(tiny_run / f"results/details/{stem}_sensitivity.csv")
    assert sens.mbar.tolist() == [0.0, 0.25, 0.5, 1.0, 1.5, 2.0]
    assert es.term.tolist()[:2] == ["e=-5", "e=-4"] and (es.n_treated_persons >= 5).all()
    # the intervals widen with Mbar, by the same amount on both sides
    assert (np.diff(sens.conf_high - sens.conf_low) > 0).all() or sens.conf_low.isna().all()
    report = (tiny_run / "results/report.html").read_text()
    assert f'id="fig-event-study{suffix}"' in report
    if np.isfinite(es.rm_breakdown.iloc[0]):
        assert f"id='honest-rm{suffix}'" in report


def test_composition_bound_reaches_the_methods_page(tiny_run):
    """The bound specification and the one it is the same as but for the kept leavers: the methods page states
    both estimates and their difference as the specifications table has them."""
    from evaluation.report.language import number

    cfg = yaml.safe_load((tiny_run / "config" / "config.yaml").read_text())
    pref = cfg["headline"]["preferred"]["stock"]
    bounds = {n: t for n, t in (("interactive_fe_stock_fp_kept", "interactive_fe_stock"),
                                ("interactive_fe_stock_unemployment_fp_kept", "interactive_fe_stock_unemployment"))
              if n in cfg["specifications"]}
    assert pref in bounds.values()  # the preferred stock specification has its bound
    bound = next(n for n, t in bounds.items() if t == pref)
    spec = pd.read_csv(tiny_run / "results/tables/specifications.csv")
    spec = spec[spec.outcome == "hours"].set_index("specification")
    b, s = spec.loc[bound], spec.loc[pref]
    # the table says which specification each bound bounds (one rule for the report and the notebooks)
    assert spec.bound_of.fillna("").to_dict() == {n: bounds.get(n, "") for n in spec.index}
    html = (tiny_run / "results/report.html").read_text()
    m = re.search(rf"<p id='composition-{bound}'[^>]*>(.*?)</p>", html, re.S)
    assert m, "no composition paragraph"
    text = m.group(1)
    assert f"gives {number(b.estimate)} hours (" in text and f"against {number(s.estimate)} hours (" in text
    assert f"The difference, {number(s.estimate - b.estimate)} hours" in text
    assert "førtidspension" in text and b.truth != s.truth
    # the preferred stock specification has a bound: page 1 says how much of its estimate is who left
    assert json.loads((tiny_run / "results/headline.json").read_text())["designs"]["stock"]["preferred"][
        "specification"] == pref
    m = re.search(r"<p id='answer-composition'>(.*?)</p>", html, re.S)
    assert m and m.group(1).startswith(f"Of the stock's estimate, {number(s.estimate - b.estimate)} hours a year")


def test_monte_carlo_stage(tiny_run):
    """The Monte Carlo stage ran one replication per arm, its table is in the report, the specifications table
    carries its replications, and raising the count reuses the replications done (dry run)."""
    mc = pd.read_csv(tiny_run / "results/tables/monte_carlo.csv", keep_default_na=False, na_values=[""])
    arms = {"null", "effect", "exposed_null", "exposed"}  # the config's
    assert set(mc.arm) == arms
    assert set(mc.specification) == {"did_stock_unemployment", "interactive_fe_stock_unemployment"}
    assert (mc.replications == 1).all() and (mc.failed == 0).all()
    reps = pd.read_csv(tiny_run / "results/montecarlo/replications.csv", keep_default_na=False, na_values=[""])
    assert len(reps) == 2 * len(arms) and set(reps.seed) == {100000}
    for null in ("null", "exposed_null"):
        assert (reps[reps.arm == null].truth.dropna() == 0).all()  # no effect planted
    for arm in ("effect", "exposed"):
        assert (reps[reps.arm == arm].truth.dropna() > 0).all()
    # the exposed world differs from the configured one (the same seed, the treated municipality changed)
    e = reps.set_index(["arm", "specification"]).estimate
    assert (e["exposed"] != e["effect"]).all() and (e["exposed_null"] != e["null"]).all()
    spec = pd.read_csv(tiny_run / "results/tables/specifications.csv")
    assert spec.set_index("specification").loc["interactive_fe_stock_unemployment", "mc_replications"].min() == 1
    html = (tiny_run / "results/report.html").read_text()
    assert "id='monte-carlo'" in html and 'id="monte-carlo-table"' in html
    # the effects by year of each replication: the factor model the report shows year by year beside the
    # covariate-only DiD, each year and the trend of the error (one replication: no spread, no flag)
    mp = pd.read_csv(tiny_run / "results/tables/monte_carlo_paths.csv", keep_default_na=False, na_values=[""])
    from evaluation.config import load_config
    from evaluation.stages import cycle_model_name

    cfg = load_config(tiny_run / "config/config.yaml")
    designs = {d: cycle_model_name(cfg, d) for d in ("stock", "cohort") if cycle_model_name(cfg, d)}
    assert designs and set(zip(mp.design, mp.specification)) == set(designs.items())
    assert set(mp.arm) == arms and set(mp.model) == {"factor", "covariate"}
    yr = mp[mp.what == "year"]
    year0, last = cfg["estimate"]["reform_year"], cfg["panel"]["last_year"]
    assert sorted(set(yr.year)) == list(range(year0, last + 1)) and (mp.replications == 1).all()
    assert (yr[yr.arm.isin(["null", "exposed_null"])].mean_truth == 0).all()
    # under the effect each year carries its planted effect (not the null arms' zero), positive over the post years
    # in each design; one year of one tiny world's cohort can be below zero (the same persons twice, common
    # random numbers, diverge after the reform)
    eff = yr[yr.arm.isin(["effect", "exposed"])]
    assert (eff.mean_truth != 0).all() and (eff.groupby(["arm", "design", "model"]).mean_truth.mean() > 0).all()
    assert (yr.bias - (yr.mean_estimate - yr.mean_truth)).abs().max() < 1e-5
    assert len(mp[mp.what == "trend"]) == len(arms) * 2 * len(designs) and mp.flag.isna().all()
    assert 'id="monte-carlo-paths-table"' in html and "counted in <em>no_interval</em>" in html
    more = tiny_run / "config" / "mc_more.yaml"
    more.write_text("monte_carlo:\n  replications: 2\n")
    proc = subprocess.run(SNAKEMAKE + ["-n", "--quiet", "rules", "--cores", "2", "--configfile", "config/config.yaml",
                                       str(more)], cwd=tiny_run, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    import re

    counts = re.findall(r"^mc_replication\s+(\d+)\s*$", proc.stdout, flags=re.M)
    assert counts and set(counts) == {str(len(arms))}, proc.stdout[-2000:]  # one new replication per arm, the first reused
    # another exposed world reruns the exposed arms' replications only
    more.write_text("monte_carlo:\n  exposed: {deprivation: 0.5}\n")
    proc = subprocess.run(SNAKEMAKE + ["-n", "--quiet", "rules", "--cores", "2", "--configfile", "config/config.yaml",
                                       str(more)], cwd=tiny_run, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    counts = re.findall(r"^mc_replication\s+(\d+)\s*$", proc.stdout, flags=re.M)
    assert counts and set(counts) == {"2"}, proc.stdout[-2000:]
    # every arm the schema allows has a rule that makes its replications (those done are reused)
    from evaluation.montecarlo import ARMS

    more.write_text(f"monte_carlo:\n  arms: {list(ARMS)}\n")
    proc = subprocess.run(SNAKEMAKE + ["-n", "--quiet", "rules", "--cores", "2", "--configfile", "config/config.yaml",
                                       str(more)], cwd=tiny_run, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    counts = re.findall(r"^mc_replication\s+(\d+)\s*$", proc.stdout, flags=re.M)
    assert counts and set(counts) == {str(len(ARMS) - len(arms))}, proc.stdout[-2000:]


def test_a_delivery_in_statistics_denmarks_shapes_gives_the_same_estimates(tiny_run, tmp_path):
    """Issue 9's acceptance: the tiny world's registers written as a delivery (DREAM as SAS transport, hours as
    Danish CSVs per year with jobs split, BEF per quarter as Stata, every column renamed; tests/deliveries.py)
    run through a mapping file and one run config of their own (--configfile replaces config/config.yaml)
    give the synthetic run's estimates."""
    from evaluation.registers import RegisterSet
    from tests.deliveries import write_delivery

    work = tiny_workdir(tmp_path / "extract")
    write_delivery(RegisterSet.in_directory(tiny_run / "data" / "synthetic"), work / "delivery", 2010, 2019)
    cfg = yaml.safe_load((tiny_run / "config" / "config.yaml").read_text())
    run = {"run_name": "tiny-extract", "source": "extract", "extract": "delivery/mapping.yaml",
           **{k: v for k, v in cfg.items() if k not in ("run_name", "source", "registers", "synthetic", "monte_carlo")}}
    (work / "config" / "extract_run.yaml").write_text(yaml.safe_dump(run, sort_keys=False))
    # the target first: --configfile takes every word after it
    proc = subprocess.run(SNAKEMAKE + ["results/tables/specifications.csv", "--cores", "2", "--configfile",
                                       "config/extract_run.yaml"], cwd=work, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (work / "delivery" / "converted" / "ingest.json").exists() and (work / "logs" / "ingest.log").exists()
    assert not (work / "data" / "synthetic").exists()  # nothing was generated: the default config was not merged
    key = ["specification", "outcome"]
    cols = key + ["estimate", "conf_low", "conf_high", "p_value", "n_treated_persons"]
    a = pd.read_csv(work / "results/tables/specifications.csv")[cols].set_index(key).sort_index()
    b = pd.read_csv(tiny_run / "results/tables/specifications.csv")[cols].set_index(key).sort_index()
    assert a.index.equals(b.index) and len(a) > 40
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-6, atol=1e-6)
