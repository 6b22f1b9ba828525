"""The tiny workflow used by the end-to-end tests: a copy of the project's workflow and config with a small
synthetic world (and a Monte Carlo stage of a few replications in a world of the same size)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests.conftest import ROOT


def tiny_workdir(work: Path, replications: int = 1,
                 specifications=("did_stock_unemployment", "interactive_fe_stock_unemployment"),
                 arms=None) -> Path:
    """Copy Snakefile, workflow/, config/, notebooks/ and environment.yml into ``work`` with a tiny config."""
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "Snakefile", work / "Snakefile")
    shutil.copytree(ROOT / "workflow", work / "workflow", symlinks=False)
    shutil.copytree(ROOT / "config", work / "config")
    shutil.copy(ROOT / "environment.yml", work / "environment.yml")
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    cfg = yaml.safe_load((work / "config" / "config.yaml").read_text())
    cfg["synthetic"]["persons_national"] = 150_000
    cfg["synthetic"]["scale"] = 0.05
    for spec in cfg["specifications"].values():  # tiny municipalities: accept donors down to the disclosure limit
        if "min_donor_persons" in spec:
            spec["min_donor_persons"] = 5
    # the Monte Carlo stage in a world of the tiny run's size
    mc = dict(cfg["monte_carlo"], replications=replications, persons_national=150_000, scale=0.05,
              specifications=list(specifications))
    if arms is not None:
        mc["arms"] = list(arms)
    cfg["monte_carlo"] = mc
    (work / "config" / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False))
    return work
