import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir)))  # noqa: F821
from _common import setup  # noqa: E402

from evaluation.release import release  # noqa: E402

cfg = setup(snakemake)  # noqa: F821
release(dict(snakemake.params.labels), cfg, Path("."), Path(snakemake.output[0]))  # noqa: F821
