import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir)))  # noqa: F821
from _common import setup  # noqa: E402

from evaluation.montecarlo import run_replication  # noqa: E402

cfg = setup(snakemake)  # noqa: F821
w = snakemake.wildcards  # noqa: F821
paths = []
rows = run_replication(cfg, int(w.rep), w.arm, logging.getLogger("evaluation.montecarlo"), paths=paths)
rows.to_csv(snakemake.output.rows, index=False, float_format="%.6f")  # noqa: F821
paths[0].to_csv(snakemake.output.paths, index=False, float_format="%.6f")  # noqa: F821
