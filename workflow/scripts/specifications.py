import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir)))  # noqa: F821
from _common import setup  # noqa: E402

from evaluation import stages  # noqa: E402
from evaluation.specifications import bound_twins  # noqa: E402

from evaluation.report.language import specification_label  # noqa: E402

cfg = setup(snakemake)  # noqa: F821
inp = snakemake.input  # noqa: F821
base = int(cfg["panel"]["baseline_year"])
labels = {name: specification_label(spec, "en", base) for name, spec in (cfg.get("specifications") or {}).items()}
stages.collect_specifications(list(inp.estimates), snakemake.output[0],  # noqa: F821
                              monte_carlo=inp.monte_carlo[0] if inp.monte_carlo else None, labels=labels,
                              bound_of=bound_twins(cfg.get("specifications") or {}))
