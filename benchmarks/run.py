"""Wall time and peak memory of the data layer: register generation, validation and
panel building, at the default size and at national scale.

    .venv/bin/python benchmarks/run.py               # default size only
    .venv/bin/python benchmarks/run.py --national    # also 1.5 million persons x 521 weeks (about 15 min)

Each stage runs in its own process so that its peak resident memory (ru_maxrss of
the child) is its own.  Results are appended to benchmarks/out/data_layer.csv.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"

STAGE = r"""
import json, sys, yaml
from pathlib import Path
from evaluation import stages
from evaluation.config import validate_config
cfg = validate_config(json.loads(sys.argv[2]))
work = Path(sys.argv[3])
stage = sys.argv[1]
if stage == "simulate":
    stages.simulate(cfg, work / "registers", threads=2)
elif stage == "validate":
    stages.validate(cfg, work / "validation.json", threads=2)
elif stage == "panel":
    stages.panel(cfg, work / "person_year.parquet", work / "flow.csv", work / "muni.csv", threads=2)
"""


def config_for(size: str, work: Path) -> dict:
    import yaml

    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    cfg["benefit_codes"] = str(ROOT / cfg["benefit_codes"])
    cfg["municipalities"] = str(ROOT / cfg["municipalities"])
    if size == "national":
        cfg["synthetic"]["scale"] = 1.0
    cfg["registers"] = {k: str(work / "registers" / Path(v).name) for k, v in cfg["registers"].items()}
    return cfg


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--national", action="store_true", help="also run at national scale")
    ap.add_argument("--workdir", default=None, help="where to write the registers (default: a temporary folder)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    sizes = ["default"] + (["national"] if args.national else [])
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
            work = Path(tmp)
            cfg = config_for(size, work)
            for stage in ["simulate", "validate", "panel"]:
                # a fresh interpreter per stage and size: ru_maxrss is read from that child alone
                code = (f"import resource, subprocess, sys, time; t=time.perf_counter(); "
                        f"r=subprocess.run(sys.argv[1:]); "
                        f"print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
                p = subprocess.run([sys.executable, "-c", code, sys.executable, "-c", STAGE, stage, json.dumps(cfg),
                                    str(work)], cwd=ROOT, capture_output=True, text=True)
                wall, rss_kb, rc = p.stdout.split()[-3:]
                if int(rc):
                    sys.exit(f"{size}/{stage} failed:\n{p.stderr[-2000:]}")
                persons = json.loads((work / "registers" / "manifest.json").read_text())["persons_written"]
                disk = sum(f.stat().st_size for f in (work / "registers").rglob("*") if f.is_file())
                row = dict(size=size, stage=stage, persons=persons, weeks=521, wall_s=round(float(wall), 1),
                           peak_rss_gb=round(int(rss_kb) / 1024 / 1024, 2), registers_mb=round(disk / 2**20),
                           cores=os.cpu_count(), python=platform.python_version())
                rows.append(row)
                print(row, flush=True)
    path = OUT / "data_layer.csv"
    new = not path.exists()
    with path.open("a", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        if new:
            w.writeheader()
        w.writerows(rows)
    print(f"appended to {path}")


if __name__ == "__main__":
    main()
