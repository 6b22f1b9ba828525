import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir)))  # noqa: F821
from _common import setup  # noqa: E402

from evaluation.report.first import render_first_report  # noqa: E402
from evaluation.report.headline import write_headline  # noqa: E402

cfg = setup(snakemake)  # noqa: F821
inp = snakemake.input  # noqa: F821
write_headline(inp.specifications, snakemake.output.headline)  # noqa: F821
render_first_report(cfg, inp.estimate, inp.calibration, inp.sample_flow, inp.municipality_year,
                    inp.truth[0] if inp.truth else None, snakemake.output[0], inp.specifications,  # noqa: F821
                    Path(inp.details).parent, inp.balance)
