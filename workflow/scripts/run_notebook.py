import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir)))  # noqa: F821
from _common import setup  # noqa: E402

from evaluation.report.notebooks import execute_notebook  # noqa: E402

setup(snakemake)  # noqa: F821
execute_notebook(Path(snakemake.input.notebook), Path(snakemake.output.ipynb), Path(snakemake.output.html),  # noqa: F821
                 {"results_dir": "results", "treated": int(snakemake.config["estimate"]["treated_municipality"]),  # noqa: F821
                  "reform_year": int(snakemake.config["estimate"]["reform_year"])})  # noqa: F821
