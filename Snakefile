# The evaluation pipeline: registers -> panels -> estimates -> report.
# Rules live in workflow/rules/, logic in the `evaluation` package (src/evaluation/).
from snakemake.utils import min_version

min_version("9.0")


# One config per run: `--configfile FILE` (make pipeline CONFIG=FILE) replaces the default instead of being
# merged into it, so a run on real registers does not inherit keys it cannot remove.
if not workflow.config_settings.configfiles:

    configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/registers.smk"
include: "workflow/rules/panel.smk"
include: "workflow/rules/montecarlo.smk"
include: "workflow/rules/estimate.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/notebooks.smk"
include: "workflow/rules/release.smk"


rule all:
    input:
        "results/validation.json",
        "results/tables/sample_flow.csv",
        "results/panels/municipality_year.csv",
        "results/tables/calibration.csv",
        "results/tables/first_estimate.csv",
        "results/tables/specifications.csv",
        "results/report.html",
        "results/report.pdf",
        expand("results/notebooks/{nb}.html", nb=NOTEBOOKS),
        "results/headline.json",
        monte_carlo_summary(),
    default_target: True
