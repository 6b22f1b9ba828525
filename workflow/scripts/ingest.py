import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir)))  # noqa: F821
from _common import setup  # noqa: E402

from evaluation.registers.extract import ingest  # noqa: E402

setup(snakemake)  # noqa: F821
out = Path(snakemake.output.summary).parent  # noqa: F821
res = ingest(snakemake.input.mapping, out)  # noqa: F821
logging.getLogger("evaluation.ingest").info("ingest: %s; rows dropped under the checks' policies: %d", res["summary"],
                                           res["dropped"])
