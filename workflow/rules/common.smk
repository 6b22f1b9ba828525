import os
from pathlib import Path

from snakemake.utils import validate


# A run on a real delivery (source: extract, extract: its mapping file): the registers are the files the rule
# ingest converts the delivery to (the mapping's output_dir), set before the config is validated.
EXTRACT = config.get("extract") if config.get("source") == "extract" else None
if EXTRACT:
    from evaluation.registers.extract import converted_paths

    config["registers"] = converted_paths(EXTRACT)

validate(config, "../schemas/config.schema.yaml")
# the checks across keys (years covered, the headline's specifications exist) before any job runs
from evaluation.config import check_categories, validate_config  # noqa: E402

check_categories(validate_config(dict(config)))

# Byte-identical results (tests/workflow: byte-identical reruns). Two sources of last-bit noise, both fixed
# for every job through the environment it inherits (set the variables before calling snakemake to override):
# - multi-threaded BLAS (OpenBLAS in numpy's wheels) sums in an order that depends on the machine's load:
#   one BLAS thread per job; parallelism comes from running jobs side by side;
# - pyfixest 0.60's estimates depend on Python's string-hash seed (coefficients in the last bits, the CRV1
#   standard error at 1e-7): a fixed PYTHONHASHSEED.
for _var, _value in [("OPENBLAS_NUM_THREADS", "1"), ("OMP_NUM_THREADS", "1"), ("MKL_NUM_THREADS", "1"),
                     ("PYTHONHASHSEED", "0")]:
    os.environ.setdefault(_var, _value)



def _code_version(exclude: tuple = ()) -> str:
    """A hash of the installed package's code: a rule whose outputs came from other code reruns (Snakemake
    tracks a rule's own script, not the package it calls). ``exclude``: subpackages left out."""
    import hashlib

    import evaluation

    root = Path(evaluation.__file__).parent
    h = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root)
        if f.suffix in (".py", ".yaml", ".csv") and "__pycache__" not in f.parts and rel.parts[0] not in exclude:
            h.update(str(rel).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


CODE_VERSION = _code_version()
# The Monte Carlo's replications run no presentation code (no module outside evaluation.report imports it:
# tests/unit/test_montecarlo.py), so a change to the report's wording keeps the replications done.
MC_CODE_VERSION = _code_version(exclude=("report",))

# Every output's sensitivity label, set by label(...) beside the code that makes the output. Labels are
# microdata (stays in data/), synthetic (made by the generator, no real person), internal (results/ only,
# never released) or releasable, with where the persons behind its numbers are (evaluation.release).
OUTPUT_LABELS = {}


def label(path, rule, sensitivity, code="", **meta):
    OUTPUT_LABELS[path] = dict(rule=rule, sensitivity=sensitivity, code=code, **meta)

SYNTHETIC = config["source"] == "synthetic"
EXTRACT_DIR = str(Path(config["registers"]["dream"]).parent) if EXTRACT else None


def extract_files(mapping):
    """The delivery's files that exist (so that a re-delivered file reruns the ingestion)."""
    from evaluation.registers.extract import delivery_files

    return [str(p) for p in delivery_files(mapping) if p.exists()]

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


# The Monte Carlo stage (workflow/rules/montecarlo.smk): replications live under the code version that made
# them, and the summary uses the largest run completed with the current code.
from evaluation.montecarlo import ARMS as _MC_ALL_ARMS
from evaluation.montecarlo import settings as _mc_settings

MC = _mc_settings(config)
MC_ARMS = list(MC["arms"])
MC_ARM_PATTERN = "|".join(sorted(_MC_ALL_ARMS, key=len, reverse=True))  # exposed_null before exposed
MC_DIR = f"results/montecarlo/{MC_CODE_VERSION}"


def _mc_completed() -> int:
    """Replications done for every arm with the current code (consecutive from 0)."""
    n = 0
    while all(os.path.exists(f"{MC_DIR}/{arm}/{n}.csv") for arm in MC_ARMS):
        n += 1
    return n


MC_REPS = max(int(MC["replications"]), _mc_completed()) if SYNTHETIC else 0


def mc_replications(n, ext="csv"):
    """The replication files of n replications per arm: rows (csv) or effects by year (paths.csv)."""
    return expand(f"{MC_DIR}/{{arm}}/{{rep}}.{ext}", arm=MC_ARMS, rep=range(n))


def monte_carlo_summary(wildcards=None):
    """The summary, when the Monte Carlo runs (synthetic source, replications > 0)."""
    return ["results/tables/monte_carlo.csv", "results/tables/monte_carlo_paths.csv"] if MC_REPS > 0 else []
