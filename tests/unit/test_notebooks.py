"""The re-estimation notebook (notebooks/05_reestimate.py) on the session's synthetic world: its published
municipality-year panel (disclosure-controlled, as in results/panels/) in a results folder of its own, the
notebook executed from results/notebooks/ as a reviewer opens it."""

import re
import shutil

import jupytext
import nbformat
import numpy as np
import pandas as pd
import papermill as pm
import pytest

from evaluation import interactive_fe
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def published(synthetic_run, tmp_path_factory):
    root = tmp_path_factory.mktemp("published")
    (root / "results" / "panels").mkdir(parents=True)
    (root / "results" / "tables").mkdir()
    (root / "results" / "notebooks").mkdir()
    (root / "config").mkdir()
    shutil.copy(synthetic_run["dir"] / "municipality_year_panel.csv", root / "results/panels/municipality_year.csv")
    shutil.copy(ROOT / "config" / "municipalities.csv", root / "config" / "municipalities.csv")
    # a specifications table with the pipeline's row for the default settings (estimate invented: only shown)
    pd.DataFrame([dict(specification="interactive_fe_stock", estimator="interactive_fe", design="stock",
                       outcome="hours", comparison="all", covariates="none", note=np.nan, estimate=1.0,
                       conf_low=0.0, conf_high=2.0, n_control_units=50)]).to_csv(
        root / "results/tables/specifications.csv", index=False)
    nb = jupytext.read(ROOT / "notebooks" / "05_reestimate.py")
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "results/notebooks/05_reestimate.ipynb")
    return root


def _run(root, tmp_path, name, **params):
    nbdir = root / "results" / "notebooks"
    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(str(nbdir / "05_reestimate.ipynb"), str(out), parameters=params, kernel_name="python3",
                        cwd=str(nbdir), progress_bar=False)
    text = []
    for c in nbformat.read(out, as_version=4).cells:
        for o in c.get("outputs", []) if c.cell_type == "code" else []:
            assert o.output_type != "error", (o.get("ename"), o.get("evalue"))
            text.append(o.get("text", "") or "".join(o.get("data", {}).get("text/plain", "")))
    text = "\n".join(text)
    m = re.search(r"0\s+ATT\s+(-?[0-9.]+)\s+(-?[0-9.]+|NaN)\s+(-?[0-9.]+|NaN)", text)
    return text, (float(m.group(1)) if m else None)


def test_defaults_re_estimate_the_stock_from_the_published_panel(published, tmp_path):
    """With the defaults: interactive fixed effects on the municipalities with a published mean in every year,
    the same number as the estimator on that panel directly (the notebook adds nothing of its own)."""
    text, est = _run(published, tmp_path, "default")
    assert "Hjørring (860) against" in text and "municipalities left out for a suppressed or small cell" in text
    mp = pd.read_csv(published / "results/panels/municipality_year.csv")
    d = mp[mp.design == "stock"]
    full = d.dropna(subset=["hours"]).groupby("kom").year.nunique() == d.year.nunique()
    big = d.groupby("kom").n_persons.min() >= 5
    m = d[d.kom.isin(full[full & big.reindex(full.index)].index)].copy()
    m["w_post"] = m.n_persons * (m.year >= 2015)
    ref = interactive_fe(m, "kom", "year", "hours", 860, 2015, size="n_persons", post_weights="w_post")
    assert est == pytest.approx(float(ref.tidy().estimate.iloc[0]), abs=5e-4)
    assert "pipeline: interactive_fe_stock" in text


def test_changed_parameters_re_estimate(published, tmp_path):
    """Another comparison group, another estimator, another treated municipality: each a new estimate, and the
    notebook says what it compared; a municipality without a complete published panel is refused by name."""
    _, base = _run(published, tmp_path, "base")
    text, near = _run(published, tmp_path, "nearest", comparison="nearest", nearest_k=5, estimator="synthetic_did")
    assert "against 5 comparison municipalities (nearest)" in text and near is not None and near != base
    text, dd = _run(published, tmp_path, "did", estimator="did", first_year=2012)
    assert "years 2012-2019" in text and dd is not None and dd != base
    mp = pd.read_csv(published / "results/panels/municipality_year.csv")
    st = mp[mp.design == "stock"]
    full = st.dropna(subset=["hours"]).groupby("kom").year.nunique() == st.year.nunique()
    other = int(st[st.kom.isin(full[full].index) & (st.kom != 860)].groupby("kom").n_persons.min().idxmax())
    text, moved = _run(published, tmp_path, "other", treated=other)
    assert f"({other}) against" in text and moved is not None and moved != base
    gaps = sorted(set(st.kom) - set(full[full].index))
    with pytest.raises(pm.PapermillExecutionError, match=f"municipality {gaps[0]} has no published stock mean"):
        _run(published, tmp_path, "refused", treated=gaps[0])


def test_the_pipeline_passes_each_notebook_only_the_parameters_it_declares():
    """The notebooks rule passes the run's treated municipality and reform year; a notebook without them in its
    parameters cell gets only results_dir (papermill would otherwise warn of an unknown parameter)."""
    from evaluation.report.notebooks import declared_parameters

    got = {nb: declared_parameters(jupytext.read(ROOT / "notebooks" / f"{nb}.py"))
           for nb in ("01_data_overview", "02_did_event_study", "05_reestimate")}
    assert got["01_data_overview"] == {"results_dir", "treated", "reform_year"}
    assert got["02_did_event_study"] == {"results_dir"}
    assert {"results_dir", "treated", "reform_year", "estimator", "comparison"} <= got["05_reestimate"]
