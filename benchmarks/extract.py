"""Reading a national-size DREAM delivery through the extract readers: time and peak memory.

    .venv/bin/python benchmarks/extract.py                 # 1.5 million persons x 520 weeks, Stata
    .venv/bin/python benchmarks/extract.py --persons 200000 --format xpt

Writes a DREAM in the delivery's shape (one row per person, one column per ISO week 2010-2019, about a third of
the person-weeks with a benefit code, the rest missing) in a temporary folder, then, in a child process of its
own (its peak resident memory, ru_maxrss, printed by the child itself), streams it through
``evaluation.registers.extract.read_chunks`` and converts the codes as the ingestion does, chunk by chunk, into
Parquet.  Appends a row to benchmarks/out/extract.csv.
"""

from __future__ import annotations

import argparse
import csv
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"

CHILD = r"""
import sys, time
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
from evaluation.registers.extract import read_chunks, columns_of
path, fmt, out, chunk = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cols = columns_of(path, fmt)
weeks = [c for c in cols if c.startswith("y_")]
schema = pa.schema([("PNR", pa.int64())] + [(c, pa.int16()) for c in weeks])
w = pq.ParquetWriter(out, schema)
n = 0
t0 = time.perf_counter()
for df in read_chunks(path, fmt, ["PNR"] + weeks, chunk_rows=chunk):
    codes = df[weeks].to_numpy(dtype=float)
    arrays = [pa.array(df["PNR"].to_numpy().astype(np.int64))] + [
        pa.array(np.nan_to_num(codes[:, j]).astype(np.int16), mask=np.isnan(codes[:, j])) for j in range(len(weeks))]
    w.write_table(pa.Table.from_arrays(arrays, schema=schema))
    n += len(df)
w.close()
import resource
print(n, time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


INGEST = r"""
import sys, time, resource
from pathlib import Path
import pandas as pd
from evaluation.registers.extract import POLICIES, _Run
from evaluation.registers.codes import read_code_table
path, fmt, out, chunk, root = sys.argv[1], sys.argv[2], Path(sys.argv[3]).parent, int(sys.argv[4]), sys.argv[5]
m = {"first_year": 2010, "last_year": 2018, "registers": {"dream": {"file": path, "format": fmt, "person": "PNR"}},
     "checks": {k: "error" for k in POLICIES}, "person_id": {"pattern": "^[0-9]{10}$"}, "_dir": "/"}
mun = pd.read_csv(Path(root) / "config" / "municipalities.csv")
r = _Run(m, read_code_table(Path(root) / "config" / "benefit_codes.csv"), mun, out, chunk)
t0 = time.perf_counter()
r.dream()
assert not r.acc.items, [str(p) for p in r.acc.items.values()]
print(r.summary["dream"]["rows"], time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def write_dream(path: Path, fmt: str, persons: int, seed: int = 1) -> None:
    import numpy as np
    import pandas as pd
    import pyreadstat

    rng = np.random.default_rng(seed)
    from evaluation.calendar import iso_weeks

    weeks = [w.column for w in iso_weeks(2010, 2019)][:520]
    codes = np.array([130, 132, 890, 783, 111], dtype=np.int16)
    cols = {"PNR": np.arange(1_000_000_000, 1_000_000_000 + persons, dtype=np.int64)}
    for c in weeks:  # Stata stores int16 with its own missing value; SAS transport stores every number as a double
        v = codes[rng.integers(0, len(codes), persons)].astype(float)
        v[rng.random(persons) < 0.67] = np.nan
        cols[c] = v if fmt == "xpt" else pd.array(v, dtype="Int16")
    df = pd.DataFrame(cols)
    if fmt == "xpt":
        pyreadstat.write_xport(df, str(path), file_format_version=8)
    else:
        pyreadstat.write_dta(df, str(path))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=1_500_000)
    ap.add_argument("--format", choices=["dta", "xpt"], default="dta")
    ap.add_argument("--chunk-rows", type=int, default=20_000, help="rows per chunk read (default 20,000)")
    ap.add_argument("--keep", default=None, help="write the delivery here (or reuse it if it exists)")
    ap.add_argument("--ingest", action="store_true",
                    help="the ingestion's DREAM pass (ids, duplicates, codes checked; 2010-2018) instead of the bare reader")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(args.keep) if args.keep else Path(tmp) / f"dream.{args.format}"
        t0 = time.perf_counter()
        if not src.exists():
            write_dream(src, args.format, args.persons)
        t_write = time.perf_counter() - t0
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", INGEST if args.ingest else CHILD, str(src), args.format,
                               str(Path(tmp) / "dream.parquet"), str(args.chunk_rows), str(ROOT)],
                              capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-2000:])
        # the reader's own peak (RUSAGE_CHILDREN would also count what writing the test file left behind)
        rows, _, peak_mb = proc.stdout.split()[:3]
        rows, peak_mb = int(rows), float(peak_mb)
        size_mb = src.stat().st_size / 1e6
    row = dict(date=time.strftime("%Y-%m-%d"), machine=f"{platform.machine()} {__import__('os').cpu_count()} cores",
               stage="ingest (checks + conversion)" if args.ingest else "reader", format=args.format,
               persons=args.persons, weeks=520, chunk_rows=args.chunk_rows, file_mb=round(size_mb),
               write_s=round(t_write, 1),
               read_convert_s=round(wall, 1), peak_rss_mb=round(peak_mb), rows=rows)
    print(row)
    new = not (OUT / "extract.csv").exists()
    with (OUT / "extract.csv").open("a", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=list(row))
        if new:
            wr.writeheader()
        wr.writerow(row)


if __name__ == "__main__":
    main()
