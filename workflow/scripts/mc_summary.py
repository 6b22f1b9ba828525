import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir)))  # noqa: F821
from _common import setup  # noqa: E402

from evaluation.montecarlo import collect  # noqa: E402

setup(snakemake)  # noqa: F821
out = snakemake.output  # noqa: F821
inp = snakemake.input  # noqa: F821
collect(list(inp.rows), snakemake.params.bands, out.summary, out.replications,  # noqa: F821
        logging.getLogger("evaluation.montecarlo"), path_files=list(inp.paths), paths_csv=out.paths)
