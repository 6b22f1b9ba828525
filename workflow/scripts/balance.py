import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir)))  # noqa: F821
from _common import setup  # noqa: E402

from evaluation import stages  # noqa: E402

cfg = setup(snakemake)  # noqa: F821
stages.balance(cfg, snakemake.input.person_year, snakemake.output[0])  # noqa: F821
