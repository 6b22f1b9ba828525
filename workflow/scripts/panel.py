import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir)))  # noqa: F821
from _common import setup  # noqa: E402

from evaluation import stages  # noqa: E402

cfg = setup(snakemake)  # noqa: F821
out = snakemake.output  # noqa: F821
stages.panel(cfg, out.person_year, out.sample_flow, out.municipality_year, threads=snakemake.threads,  # noqa: F821
             group_panel=out.group_year)
