import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir)))  # noqa: F821
from _common import setup  # noqa: E402

from evaluation.report.document import ReportInputs, render_report  # noqa: E402
from evaluation.report.headline import write_headline  # noqa: E402

cfg = setup(snakemake)  # noqa: F821
inp = snakemake.input  # noqa: F821
write_headline(inp.specifications, snakemake.output.headline, cfg.get("headline"))  # noqa: F821
inputs = ReportInputs(
    estimate=inp.estimate, calibration=inp.calibration, sample_flow=inp.sample_flow,
    municipality_year=inp.municipality_year, group_year=inp.group_year,
    truth=inp.truth[0] if inp.truth else None, specifications=inp.specifications,
    details_dir=Path(inp.details).parent, balance=inp.balance,
    investment_dir=Path(inp.investment[0]).parent if inp.investment else None,
    monte_carlo=inp.monte_carlo[0] if inp.monte_carlo else None,
    monte_carlo_paths=inp.monte_carlo[1] if len(inp.monte_carlo) > 1 else None,
)
render_report(cfg, inputs, snakemake.output[0])  # noqa: F821
