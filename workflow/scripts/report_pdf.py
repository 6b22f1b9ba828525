import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir)))  # noqa: F821
from _common import setup  # noqa: E402

from evaluation.report.render import html_to_pdf  # noqa: E402

setup(snakemake)  # noqa: F821
html_to_pdf(Path(snakemake.input[0]), Path(snakemake.output[0]))  # noqa: F821
