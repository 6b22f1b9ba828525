"""Shared fixtures: small synthetic registers generated once per test session."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from evaluation.config import read_municipalities, validate_config
from evaluation.registers import RegisterSet, read_code_table

ROOT = Path(__file__).resolve().parents[1]


def default_config() -> dict:
    with (ROOT / "config" / "config.yaml").open() as f:
        cfg = yaml.safe_load(f)
    cfg["benefit_codes"] = str(ROOT / "config" / "benefit_codes.csv")
    cfg["municipalities"] = str(ROOT / "config" / "municipalities.csv")
    return validate_config(cfg)


def small_config(out_dir: Path, persons_national: int = 1_500_000, scale: float = 0.03, **synthetic) -> dict:
    """The default config at a smaller sampling fraction outside Hjørring (Hjørring stays complete)."""
    cfg = copy.deepcopy(default_config())
    cfg["synthetic"]["persons_national"] = persons_national
    cfg["synthetic"]["scale"] = scale
    cfg["synthetic"].update(synthetic)
    cfg["registers"] = {k: str(Path(out_dir) / Path(v).name) for k, v in cfg["registers"].items()}
    return validate_config(cfg)


@pytest.fixture(scope="session")
def codes():
    return read_code_table(ROOT / "config" / "benefit_codes.csv")


@pytest.fixture(scope="session")
def municipalities():
    return read_municipalities(ROOT / "config" / "municipalities.csv")


@pytest.fixture(scope="session")
def synthetic_run(tmp_path_factory):
    """Registers, truth and person-year panel of the default design at 3 % sampling
    outside Hjørring (Hjørring complete, as in the default)."""
    from evaluation import stages

    out = tmp_path_factory.mktemp("synthetic")
    cfg = small_config(out)
    manifest = stages.simulate(cfg, out)
    stages.panel(cfg, out / "person_year.parquet", out / "sample_flow.csv", out / "municipality_year_panel.csv",
                 group_panel=out / "group_year_panel.csv")
    return {"cfg": cfg, "dir": out, "manifest": manifest, "registers": RegisterSet.from_config(cfg["registers"])}


@pytest.fixture(scope="session")
def synthetic_null_run(tmp_path_factory, synthetic_run):
    """The same world as ``synthetic_run`` (same seed and sizes) with the reform switched off: the Monte Carlo's
    null arm, which under common random numbers is the factual world's own counterfactual."""
    from evaluation import stages
    from evaluation.montecarlo import with_arm

    out = tmp_path_factory.mktemp("synthetic_null")
    cfg = with_arm(synthetic_run["cfg"], "null")
    cfg["registers"] = {k: str(out / Path(v).name) for k, v in cfg["registers"].items()}
    cfg = validate_config(cfg)
    stages.simulate(cfg, out)
    stages.panel(cfg, out / "person_year.parquet", out / "sample_flow.csv", out / "municipality_year_panel.csv",
                 group_panel=out / "group_year_panel.csv")
    return {"cfg": cfg, "dir": out, "registers": RegisterSet.from_config(cfg["registers"])}
