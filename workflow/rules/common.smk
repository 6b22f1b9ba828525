from pathlib import Path

from snakemake.utils import validate


validate(config, "../schemas/config.schema.yaml")

SYNTHETIC = config["source"] == "synthetic"
REGISTERS = config["registers"]
SYN_DIR = str(Path(REGISTERS["dream"]).parent)
ENV = "../../environment.yml"


def truth_file(wildcards=None):
    """The planted truth exists only for synthetic registers."""
    return [f"{SYN_DIR}/truth.csv"] if SYNTHETIC else []


def manifest_file(wildcards=None):
    return [f"{SYN_DIR}/manifest.json"] if SYNTHETIC else []


INVESTMENT_TABLES = ["investment_by_year.csv", "investment_categories.csv", "investment_weeks.csv", "benefit_rates.csv"]


def investment_files(wildcards=None):
    """The investment case is made when config has an `investment` section."""
    return ["results/investment/investment.json"] if "investment" in config else []
