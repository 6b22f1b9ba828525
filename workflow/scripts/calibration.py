import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir)))  # noqa: F821
from _common import setup  # noqa: E402

from evaluation.config import read_municipalities  # noqa: E402
from evaluation.disclosure import dominance_rule  # noqa: E402
from evaluation.report.calibration import calibration_table  # noqa: E402

cfg = setup(snakemake)  # noqa: F821
inp = snakemake.input  # noqa: F821
manifest = inp.manifest[0] if inp.manifest else None
top_n, max_share = dominance_rule(cfg)
table = calibration_table(inp.person_year, inp.municipality_year, read_municipalities(cfg["municipalities"]),
                          int(cfg["estimate"]["treated_municipality"]), manifest,
                          cfg["disclosure"]["min_persons"], top_n, max_share)
table.to_csv(snakemake.output[0], index=False, float_format="%.4f")  # noqa: F821
