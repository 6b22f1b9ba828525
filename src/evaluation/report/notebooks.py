"""Executing the reviewer notebooks: jupytext script -> notebook -> papermill -> HTML.

The HTML export embeds no remote scripts (nbconvert's default template loads MathJax
and require.js from a CDN, which do not load offline)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path


_REPR = re.compile(r"<[\w.]+ (?:object )?at 0x[0-9a-f]+>")


def drop_object_reprs(nb):
    """Remove cell results that are only Python object reprs (``[<matplotlib.lines.Line2D at 0x7f...>]``):
    noise to a reader, and their memory addresses can hold ten consecutive digits, which the release check
    rightly treats as a possible person identifier."""
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        keep = []
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/plain", "") if out.get("output_type") == "execute_result" else ""
            text = "".join(text) if isinstance(text, list) else text
            if text and _REPR.search(text) and set(out.get("data", {})) == {"text/plain"}:
                continue
            keep.append(out)
        cell["outputs"] = keep
    return nb


def results_folder(results_dir: str | Path = "results", start: Path | None = None) -> Path:
    """The results folder a notebook reads, wherever it is opened: ``results_dir`` if absolute; else
    ``results_dir`` under the working directory or one of its parents (a notebook run from the project root,
    or opened from ``results/notebooks/``), or the working directory's parent itself when it is a results
    folder.  A results folder is one with ``tables/specifications.csv``."""
    p, here = Path(results_dir), Path(start or Path.cwd()).resolve()
    cands = [p] if p.is_absolute() else [here / p, here.parent] + [q / p for q in here.parents]
    for c in cands:
        if (c / "tables" / "specifications.csv").exists():
            return c.resolve()
    raise FileNotFoundError(f"no results folder (one with tables/specifications.csv) found for results_dir="
                            f"{str(results_dir)!r}: looked in {', '.join(str(c) for c in cands[:4])} and the folders "
                            "above; set results_dir to the pipeline's results folder")


def project_file(results: Path, relative: str) -> Path:
    """A file of the project that made ``results`` (e.g. config/municipalities.csv): beside the results
    folder, or under the working directory."""
    for c in (Path(results).parent / relative, Path.cwd() / relative):
        if c.exists():
            return c.resolve()
    raise FileNotFoundError(f"{relative} not found beside the results folder {results} or in {Path.cwd()}")


def declared_parameters(nb) -> set:
    """The names the notebook's cell tagged ``parameters`` assigns."""
    import ast

    names = set()
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.Assign):
                    names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def execute_notebook(script: Path, out_ipynb: Path, out_html: Path, parameters: dict, cwd: Path | None = None) -> None:
    """Execute ``script`` (a jupytext percent script) with papermill and export it to HTML.  Of ``parameters``
    only those the notebook's parameters cell declares are passed (the run's treated municipality and reform
    year reach the notebooks that use them; the others get no unknown parameter)."""
    import jupytext
    import nbformat
    import papermill as pm
    from nbconvert import HTMLExporter

    nb = jupytext.read(script)
    declared = declared_parameters(nb)
    parameters = {k: v for k, v in parameters.items() if k in declared}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    out_ipynb.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.ipynb"
        nbformat.write(nb, src)
        pm.execute_notebook(str(src), str(out_ipynb), parameters=parameters, kernel_name="python3",
                            cwd=str(cwd or Path.cwd()), progress_bar=False)
    executed = drop_object_reprs(nbformat.read(out_ipynb, as_version=4))
    nbformat.write(executed, out_ipynb)
    exporter = HTMLExporter(template_name="lab")
    exporter.mathjax_url = ""
    body, _ = exporter.from_notebook_node(executed)
    # drop every script that loads something remote (require.js, MathJax, mermaid) so the page works offline
    body = re.sub(r"<script\b[^>]*>(?:(?!</script>).)*?https?://(?:(?!</script>).)*?</script>", "", body,
                  flags=re.DOTALL)
    body = re.sub(r'<script[^>]+src="https?://[^"]+"[^>]*>\s*</script>', "", body)
    out_html.write_text(body)
