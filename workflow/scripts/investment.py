import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir)))  # noqa: F821
from _common import setup  # noqa: E402

from evaluation import stages  # noqa: E402

cfg = setup(snakemake)  # noqa: F821
inp = snakemake.input  # noqa: F821
stages.investment(cfg, inp.person_year, inp.municipality_year, inp.truth[0] if inp.truth else None,
                  Path(snakemake.output.summary).parent)  # noqa: F821
