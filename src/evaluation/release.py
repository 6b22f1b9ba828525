"""The release step: only outputs labelled releasable, each checked, leave the research server.

Every output of the workflow carries a label next to the rule that makes it (``label(...)`` in
workflow/rules/*.smk): ``microdata`` (stays in data/), ``synthetic`` (made by the synthetic generator: no real person, never
released), ``internal`` (results/ only, never released) or ``releasable``.  A releasable label says how the persons behind each number are found, from the code's
own metadata, never from a column's name:

``persons``
    the columns (of a CSV table) that hold the number of persons behind each row, as the code that wrote
    the table defines them;
``persons_of_columns``
    for a wide table whose columns are units (placebo gap paths): the releasable table, key column and
    persons column that give each unit's persons;
``no_persons``
    the reason a table holds no person-based number (configuration values, published rates);
``derived_from``
    for documents (HTML, PDF, notebooks) and JSON summaries: the releasable files they are made from.

:func:`check_outputs` reads every releasable file and fails on any visible cell with fewer than the
minimum persons, any table without person metadata, any document built from a file that is not
releasable, and any person identifier (a ``PNR`` column or a ten-digit number) in any file.
:func:`release` copies the files that pass into ``results/release/`` and writes ``OUTPUT_CHECKING.md``
and ``output_checking.json``: per file the rule and code that made it, the persons behind its smallest
cell, the rules applied with their settings and what was blanked.  If any file fails, nothing is copied
and the error names the file, the column and the row.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

SENSITIVITIES = ("microdata", "synthetic", "internal", "releasable")
KINDS = ("table", "json", "document")
# a CPR-like number: ten digits standing alone (person identifiers never leave)
_CPR = re.compile(r"(?<![\d.])\d{10}(?![\d.])")
_PNR = re.compile(r"\bPNR\b")
# embedded images (data URIs): their base64 bytes are pixels, not text, and hold ten-digit runs by chance
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")
# the same in an executed notebook's JSON: an output's base64 image, one string or a list of strings (SVG is text
# and stays checked)
_B64 = r'"(?:[A-Za-z0-9+/=]|\\n)+"'
_NB_IMAGE = re.compile(r'"image/(?:png|jpeg|gif)":\s*(?:' + _B64 + r'|\[\s*' + _B64 + r'(?:\s*,\s*' + _B64 + r')*\s*\])')


class ReleaseRefused(ValueError):
    """An output failed the output check; nothing was released."""


@dataclass
class Label:
    path: str
    rule: str
    sensitivity: str
    kind: str = "table"
    code: str = ""
    persons: list[str] = field(default_factory=list)
    persons_of_columns: dict | None = None
    no_persons: str = ""
    derived_from: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # columns kept on a suppressed row (what the row is)
    covers: dict = field(default_factory=dict)  # count column -> the columns its persons are behind (default: all)
    public: list[str] = field(default_factory=list)  # columns from public tables (no persons behind them here)

    @classmethod
    def from_dict(cls, path: str, d: dict) -> "Label":
        unknown = set(d) - {"rule", "sensitivity", "kind", "code", "persons", "persons_of_columns", "no_persons",
                            "derived_from", "keys", "covers", "public"}
        if unknown:
            raise ValueError(f"output label of {path}: unknown field(s) {sorted(unknown)}")
        lab = cls(path=path, **d)
        if lab.sensitivity not in SENSITIVITIES:
            raise ValueError(f"output label of {path}: sensitivity {lab.sensitivity!r} is not one of {SENSITIVITIES}")
        if lab.kind not in KINDS:
            raise ValueError(f"output label of {path}: kind {lab.kind!r} is not one of {KINDS}")
        if lab.sensitivity == "releasable":
            if lab.kind == "table" and not (lab.persons or lab.persons_of_columns or lab.no_persons):
                raise ValueError(f"output label of {path}: a releasable table must say where its person counts are "
                                 "(persons, persons_of_columns) or why it has none (no_persons)")
            if lab.kind in ("document", "json") and not (lab.derived_from or lab.no_persons):
                raise ValueError(f"output label of {path}: a releasable {lab.kind} must name the files it is derived "
                                 "from (derived_from)")
        return lab


def read_labels(labels: dict) -> list[Label]:
    return [Label.from_dict(p, d) for p, d in sorted(labels.items())]


def _identifiers(text: str, path: str) -> list[str]:
    out = []
    text = _NB_IMAGE.sub('"image":""', _DATA_URI.sub("data:", text))
    if _PNR.search(text):
        out.append(f"{path}: contains the person identifier column name 'PNR'")
    m = _CPR.search(text)
    if m:
        out.append(f"{path}: contains a ten-digit number ({m.group(0)[:2]}...), which could be a person identifier")
    return out


_FLAGS = ("suppressed", "dominated", "secondary")


def _covered(lab: "Label", columns, count: str) -> list[str]:
    """The columns whose numbers rest on the persons counted in ``count``."""
    if count in lab.covers:
        return [c for c in lab.covers[count] if c in columns]
    return [c for c in columns if c not in lab.keys and c not in lab.persons and c not in _FLAGS
            and c not in lab.public]


def check_table(path: Path, lab: Label, min_persons: int, root: Path) -> tuple[list[str], dict]:
    """Problems (each naming file, column and row) and statistics of one releasable table."""
    df = pd.read_csv(path)
    problems: list[str] = []
    stats: dict = {"rows": int(len(df)), "smallest_cell_persons": None, "blanked_rows": 0, "blanked_cells": 0}
    if "suppressed" in df.columns:
        stats["blanked_rows"] = int(df["suppressed"].astype(str).str.lower().eq("true").sum())
    if "dominated" in df.columns:
        stats["blanked_cells"] = int(df["dominated"].fillna("").astype(str).str.split().str.len().fillna(0).sum())
    if "PNR" in df.columns:
        problems.append(f"{lab.path}: column 'PNR' (person identifier) is present")
    smallest = []
    if lab.persons:
        missing = [c for c in lab.persons if c not in df.columns]
        if missing:
            problems.append(f"{lab.path}: the person-count column(s) {missing} named in its label are missing")
        for c in [c for c in lab.persons if c in df.columns]:
            v = pd.to_numeric(df[c], errors="coerce")
            for i in range(len(df)):
                x = v.iloc[i]
                if pd.isna(x):
                    shown = [k for k in _covered(lab, df.columns, c) if pd.notna(df.iloc[i][k])]
                    if shown:
                        problems.append(f"{lab.path}: row {i + 1}: column {c!r} has no person count but the row "
                                        f"shows {shown[0]!r}")
                    continue
                if 0 < x < min_persons:
                    problems.append(f"{lab.path}: row {i + 1}: column {c!r} = {x:g} persons, under the minimum "
                                    f"of {min_persons}")
                elif x > 0:
                    smallest.append(float(x))
    if lab.persons_of_columns:
        spec = lab.persons_of_columns
        ref = pd.read_csv(root / spec["file"])
        n = dict(zip(ref[spec["key"]].astype(str), pd.to_numeric(ref[spec["count"]], errors="coerce")))
        for c in df.columns[1:]:
            x = n.get(str(c))
            if x is None or pd.isna(x):
                problems.append(f"{lab.path}: column {c!r}: no person count for this unit in {spec['file']}")
            elif 0 < x < min_persons:
                problems.append(f"{lab.path}: column {c!r}: {x:g} persons, under the minimum of {min_persons}")
            else:
                smallest.append(float(x))
    stats["smallest_cell_persons"] = int(min(smallest)) if smallest else None
    problems += _identifiers(path.read_text(errors="replace"), lab.path)
    return problems, stats


def check_outputs(labels: list[Label], root: Path, min_persons: int) -> tuple[list[str], list[dict]]:
    """Check every releasable output under ``root``; returns (problems, one record per file)."""
    root = Path(root)
    by_path = {lab.path: lab for lab in labels}
    problems: list[str] = []
    records: list[dict] = []
    for lab in labels:
        if lab.sensitivity != "releasable":
            continue
        p = root / lab.path
        rec = dict(file=lab.path, rule=lab.rule, code=lab.code, kind=lab.kind)
        if not p.exists():
            problems.append(f"{lab.path}: releasable output is missing (run the pipeline first)")
            continue
        if not str(Path(lab.path)).startswith("results/"):
            problems.append(f"{lab.path}: only files under results/ can be released")
        mine: list[str] = []
        for src in lab.derived_from:
            s = by_path.get(src)
            # a synthetic run's planted truth (made by the generator: no real person) may feed a document
            if s is None or s.sensitivity not in ("releasable", "synthetic"):
                mine.append(f"{lab.path}: derived from {src}, which is "
                            f"{'not labelled' if s is None else 'labelled ' + s.sensitivity}, not releasable")
        if lab.kind == "table":
            pr, stats = check_table(p, lab, min_persons, root)
            mine += pr
            rec.update(stats)
        else:
            if p.suffix.lower() == ".pdf":
                text = _pdf_text(p)
                if text is None:  # no pdftotext here: the PDF passes only as a print of checked documents
                    rec["note"] = "text not scanned (pdftotext not installed); a print of the checked sources"
                    text = ""
                    if not lab.derived_from or any(not str(d).endswith((".html", ".htm")) for d in lab.derived_from):
                        mine.append(f"{lab.path}: cannot read the PDF's text (install poppler-utils' pdftotext) and "
                                    "it is not a print of a checked HTML document")
            else:
                text = p.read_text(errors="replace")
                if p.suffix.lower() == ".json":
                    try:
                        json.loads(text)
                    except json.JSONDecodeError as e:
                        mine.append(f"{lab.path}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})")
            mine += _identifiers(text, lab.path)
            rec.update(rows=None, smallest_cell_persons=None, blanked_rows=None, blanked_cells=None)
        rec["derived_from"] = list(lab.derived_from)
        rec["persons_metadata"] = (", ".join(lab.persons) if lab.persons else
                                   f"per column from {lab.persons_of_columns['file']}" if lab.persons_of_columns else
                                   (lab.no_persons or "derived"))
        rec["status"] = "refused" if mine else "passed"
        rec["problems"] = mine
        rec["sha256"] = hashlib.sha256(p.read_bytes()).hexdigest()
        problems += mine
        records.append(rec)
    return problems, records


def _pdf_text(p: Path) -> str | None:
    """The PDF's text (poppler-utils' pdftotext), or None where pdftotext is not installed."""
    import subprocess

    if shutil.which("pdftotext") is None:
        return None
    try:
        return subprocess.run(["pdftotext", str(p), "-"], capture_output=True, text=True, check=True).stdout
    except subprocess.CalledProcessError as e:
        raise ReleaseRefused(f"{p}: cannot extract the PDF's text to check it (pdftotext): {e.stderr}") from e


def disclosure_settings(cfg: dict) -> dict:
    d = cfg.get("disclosure", {})
    dom = {"top_n": 2, "max_share": 0.85, **(d.get("dominance") or {})}
    return {
        "min_persons": int(d.get("min_persons", 5)),
        "min_persons_source": d.get("min_persons_source", ""),
        "dominance": dom,
        "secondary_suppression": bool(d.get("secondary_suppression", True)),
        "rounding": int(d.get("rounding", 0)),
    }


def release(labels: dict, cfg: dict, root: Path, out_dir: Path) -> list[dict]:
    """Check every releasable output, then copy them to ``out_dir`` with the output-checking log.
    Raises ReleaseRefused (listing every problem) before anything is copied if any check fails."""
    root, out_dir = Path(root), Path(out_dir)
    labs = read_labels(labels)
    settings = disclosure_settings(cfg)
    problems, records = check_outputs(labs, root, settings["min_persons"])
    if problems:
        raise ReleaseRefused("output check failed; nothing was released:\n  " + "\n  ".join(problems))
    if out_dir.exists():
        shutil.rmtree(out_dir)
    for rec in records:
        dest = out_dir / Path(rec["file"]).relative_to("results")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / rec["file"], dest)
    held = [dict(file=lab.path, rule=lab.rule, sensitivity=lab.sensitivity) for lab in labs
            if lab.sensitivity != "releasable"]
    log = {"run_name": cfg.get("run_name"), "source": cfg.get("source"), "rules": settings, "released": records,
           "not_released": held}
    (out_dir / "output_checking.json").write_text(json.dumps(log, indent=2, sort_keys=True) + "\n")
    (out_dir / "OUTPUT_CHECKING.md").write_text(_markdown(log))
    return records


def _markdown(log: dict) -> str:
    s = log["rules"]
    lines = [
        "# Output checking log",
        "",
        f"Run `{log['run_name']}`, source `{log['source']}`. Every file below passed the output check "
        "(`evaluation.release.check_outputs`) before it was copied here; files labelled microdata or internal "
        "were not released.",
        "",
        "Rules applied, with their settings (config `disclosure`):",
        "",
        f"- minimum persons per published cell: {s['min_persons']} (cells with fewer are blanked where the table is "
        "made; the check refuses any visible cell under it)"
        + (f"; source: {s['min_persons_source']}" if s["min_persons_source"] else "") + ";",
        f"- dominance: a sum or mean of hours or weeks is blanked when its {s['dominance']['top_n']} largest "
        f"contributions hold more than {100 * s['dominance']['max_share']:.0f} % of it;",
        "- secondary suppression: " + ("on (a blanked municipality-year cell cannot be recovered from the pooled "
                                        "comparison group of the same year)" if s["secondary_suppression"] else "off")
        + ";",
        "- rounding of counts: " + (f"the sample flow's counts to the nearest {s['rounding']}" if s["rounding"]
                                    else "none") + ";",
        "- no person identifiers (a `PNR` column or a ten-digit number) in any file; documents only from "
        "releasable files.",
        "",
        "| file | rule | code | persons behind each number | smallest cell (persons) | rows | blanked rows | "
        "blanked cells | derived from | sha256 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]

    def f(v):
        return "" if v is None else str(v)

    for r in log["released"]:
        lines.append(f"| `{r['file']}` | `{r['rule']}` | `{r['code']}` | {r['persons_metadata']} | "
                     f"{f(r['smallest_cell_persons'])} | {f(r['rows'])} | {f(r['blanked_rows'])} | "
                     f"{f(r['blanked_cells'])} | {', '.join('`' + d + '`' for d in r['derived_from'])} | "
                     f"`{r['sha256'][:12]}` |")
    lines += ["", "Not released (labelled microdata or internal):", ""]
    lines += [f"- `{h['file']}` ({h['sensitivity']}, rule `{h['rule']}`)" for h in log["not_released"]]
    return "\n".join(lines) + "\n"


def round_counts(table: pd.DataFrame, columns: list[str], base: int) -> pd.DataFrame:
    """Counts rounded to the nearest ``base`` (0 or 1: unchanged); missing stays missing."""
    out = table.copy()
    if base and base > 1:
        for c in columns:
            if c in out.columns:
                v = pd.to_numeric(out[c], errors="coerce")
                out[c] = (np.floor(v / base + 0.5) * base).astype("Int64")
    return out
