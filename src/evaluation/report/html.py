"""A self-contained HTML report: figures inline as PNG, no remote scripts or styles."""

from __future__ import annotations

import base64
import html
import io
import platform
from importlib import metadata

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

CSS = """
body{font-family:Georgia,serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1,h2,h3{font-family:Helvetica,Arial,sans-serif}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border:1px solid #bbb;padding:.25em .6em;vertical-align:top}
th{background:#eee;text-align:center} td.n{text-align:right;white-space:nowrap} td.t{text-align:left}
.banner{background:#fff4e0;border:1px solid #d9822b;padding:.6em 1em;font-size:.95em}
.headline{font-size:1.2em;background:#f4f7fb;border-left:4px solid #2a5d9f;padding:.8em 1em}
.caption{font-size:.9em;color:#555} figure{margin:1.5em 0} img{max-width:100%}
pre{white-space:pre-wrap;font-size:.8em} .print-only{display:none}
@page{size:A4;margin:16mm 14mm}
@media print{body{max-width:none;margin:0} table{font-size:.75em} figure,tr,.headline,.banner{break-inside:avoid}
 h1,h2,h3,caption{break-after:avoid} thead{display:table-header-group} details.config{display:none}
 .print-only{display:block} a{color:inherit;text-decoration:none}}
"""

PACKAGES = ["evaluation", "numpy", "pandas", "pyarrow", "duckdb", "pandera", "pyfixest", "linearmodels",
            "statsmodels", "scipy", "matplotlib", "snakemake"]


def _danish_tick_labels(fig) -> None:
    """Numbers on the figure's axes in Danish conventions (decimal comma, thousands with a full stop): each
    numeric axis keeps matplotlib's choice of ticks, only their text changes."""
    from matplotlib.ticker import ScalarFormatter

    class Danish(ScalarFormatter):
        def __call__(self, x, pos=None):
            return super().__call__(x, pos).replace(",", "\0").replace(".", ",").replace("\0", ".")

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(Danish())


def figure_html(fig, caption: str, fig_id: str, lang: str = "en") -> str:
    """The figure as an embedded PNG with its caption; ``lang="da"``: its axes' numbers in Danish conventions."""
    if lang == "da":
        _danish_tick_labels(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode()
    return (f'<figure id="{fig_id}"><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}"/>'
            f'<figcaption class="caption">{html.escape(caption)}</figcaption></figure>')


def _cell(v, digits: int, lang: str = "en") -> tuple[str, bool]:
    """(text, is_number) of one table cell; missing values show as an en dash.  Danish numbers take a decimal
    comma and a full stop between thousands."""
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA or v is pd.NaT:
        return "–", True
    if isinstance(v, bool):
        return str(v), False
    if isinstance(v, (int,)) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") in "iu"):
        i = int(v)
        text = f"{i:,}" if abs(i) >= 10_000 else str(i)  # years and small counts without separators
    elif isinstance(v, float) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") == "f"):
        text = f"{float(v):,.{digits}f}"
        text = text[1:] if text.startswith("-") and not text.strip("-0.,") else text  # no "-0.00"
    else:
        return html.escape(str(v)), False
    if lang == "da":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text, True


def table_html(df: pd.DataFrame, caption: str = "", table_id: str = "", digits: int | dict = 1,
               lang: str = "en") -> str:
    """An HTML table: numbers right-aligned with ``digits`` decimals (an int, or a dict by
    column with key None for the rest), text left-aligned, column names with spaces for
    underscores (so long headers wrap).  ``lang="da"``: the column names in Danish where
    :data:`evaluation.report.language.COLUMNS` has them, numbers in Danish conventions."""
    from evaluation.report.language import COLUMNS

    dig = digits if isinstance(digits, dict) else {None: digits}
    per_col = [dig.get(c, dig.get(None, 1)) for c in df.columns]
    idt = f' id="{html.escape(table_id)}"' if table_id else ""
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    words = COLUMNS.get(lang, {})
    names = [str(c).replace("_", " ") for c in df.columns]
    head = "".join(f"<th>{html.escape(words.get(c, c))}</th>" for c in names)
    rows = []
    for rec in df.itertuples(index=False, name=None):
        cells = []
        for v, dg in zip(rec, per_col):
            text, num = _cell(v, dg, lang)
            cells.append(f'<td class="{"n" if num else "t"}">{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table{idt}>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def versions_table() -> pd.DataFrame:
    rows = [("python", platform.python_version())]
    for p in PACKAGES:
        try:
            rows.append((p, metadata.version(p)))
        except metadata.PackageNotFoundError:
            rows.append((p, "not installed"))
    return pd.DataFrame(rows, columns=["software", "version"])


def page(title: str, sections: list[str], lang: str = "en") -> str:
    return (f"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"/>"
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
            + "\n".join(sections) + "</body></html>\n")
