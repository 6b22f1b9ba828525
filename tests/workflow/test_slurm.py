"""The Monte Carlo stage through a real SLURM cluster (issue 8): a single-node cluster started by the script in
the repository (workflow/profiles/slurm-local/cluster.sh: Debian's slurm-wlm and munge), a few replications
submitted by Snakemake's SLURM executor plugin, the summary made from them, the cluster stopped.

Marked `slurm` and `slow` (outside CI: it installs packages and starts daemons, so it needs root):
    .venv/bin/python -m pytest -m slurm tests/workflow/test_slurm.py
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT
from tests.workflow.tiny import tiny_workdir

pytestmark = [pytest.mark.slurm, pytest.mark.slow, pytest.mark.workflow]
CLUSTER = ROOT / "workflow" / "profiles" / "slurm-local" / "cluster.sh"


@pytest.fixture(scope="module")
def cluster():
    if os.geteuid() != 0:
        pytest.skip("the local SLURM cluster needs root (it installs slurm-wlm and munge and starts daemons)")
    was_up = subprocess.run(["bash", str(CLUSTER), "status"], capture_output=True).returncode == 0
    proc = subprocess.run(["bash", str(CLUSTER), "start"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    yield
    if not was_up:  # leave a cluster someone else started as it was
        proc = subprocess.run(["bash", str(CLUSTER), "stop"], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert subprocess.run(["bash", str(CLUSTER), "status"], capture_output=True).returncode != 0


def test_monte_carlo_replications_run_as_slurm_jobs(cluster, tmp_path):
    work = tiny_workdir(tmp_path, replications=2, specifications=["did_stock_unemployment"], arms=("null", "effect"))
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
    proc = subprocess.run([sys.executable, "-m", "snakemake", "--profile", "workflow/profiles/slurm-local",
                           "results/tables/monte_carlo.csv"], cwd=work, capture_output=True, text=True, env=env,
                          timeout=1800)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    # every job went through SLURM: 2 arms x 2 replications and the summary, each with a SLURM job id ...
    ids = sorted(set(re.findall(r"submitted with SLURM jobid (\d+)", out)))
    assert len(ids) == 5, out[-4000:]
    # ... that the cluster ran: the controller's log has each allocation, and the jobs ran as their rules
    log = Path("/var/log/slurm/slurmctld.log").read_text()
    for i in ids:
        assert f"JobId={i} " in log or f"JobId={i}\n" in log, i
    # the cluster ran them as COMPLETED jobs named after the rules and wildcards (squeue keeps finished jobs
    # for MinJobAge = 300 s)
    q = subprocess.run(["squeue", "-t", "all", "-h", "-o", "%i|%k|%T"], capture_output=True, text=True).stdout
    jobs = {i: (c, st) for i, c, st in (line.split("|") for line in q.splitlines())}
    assert {jobs[i][1] for i in ids} == {"COMPLETED"}, q
    assert sorted(jobs[i][0] for i in ids) == sorted(
        [f"rule_mc_replication_wildcards_{a}_{r}" for a in ("null", "effect") for r in (0, 1)] + ["rule_monte_carlo"])
    # the summary was made from the four replications
    summary = pd.read_csv(work / "results/tables/monte_carlo.csv", keep_default_na=False, na_values=[""])  # arm "null"
    assert set(summary.arm) == {"null", "effect"}
    assert set(summary.replications) == {2}
    reps = pd.read_csv(work / "results/montecarlo/replications.csv", keep_default_na=False, na_values=[""])
    assert len(reps[["arm", "rep"]].drop_duplicates()) == 4
