"""Executing the reviewer notebooks: jupytext script -> notebook -> papermill -> HTML.

The HTML export embeds no remote scripts (nbconvert's default template loads MathJax
and require.js from a CDN, which do not load offline)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import jupytext
import nbformat
import papermill as pm
from nbconvert import HTMLExporter


def execute_notebook(script: Path, out_ipynb: Path, out_html: Path, parameters: dict, cwd: Path | None = None) -> None:
    nb = jupytext.read(script)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    out_ipynb.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.ipynb"
        nbformat.write(nb, src)
        pm.execute_notebook(str(src), str(out_ipynb), parameters=parameters, kernel_name="python3",
                            cwd=str(cwd or Path.cwd()), progress_bar=False)
    exporter = HTMLExporter(template_name="lab")
    exporter.mathjax_url = ""
    body, _ = exporter.from_notebook_node(nbformat.read(out_ipynb, as_version=4))
    # drop every script that loads something remote (require.js, MathJax, mermaid) so the page works offline
    body = re.sub(r"<script\b[^>]*>(?:(?!</script>).)*?https?://(?:(?!</script>).)*?</script>", "", body,
                  flags=re.DOTALL)
    body = re.sub(r'<script[^>]+src="https?://[^"]+"[^>]*>\s*</script>', "", body)
    out_html.write_text(body)
