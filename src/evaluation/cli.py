"""The console command ``evaluation`` (installed with the package).

    evaluation check-extract MAPPING   check a register delivery against its mapping; exit 0 when usable
    evaluation ingest MAPPING [--out DIR]   check, then convert it to the project's layout (Parquet)
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    from evaluation.registers.extract import ExtractError, check_extract, format_report, ingest

    ap = argparse.ArgumentParser(prog="evaluation", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check-extract", help="check every file of a delivery against its mapping (writes nothing)")
    c.add_argument("mapping", help="the mapping file (see config/extract.example.yaml)")
    i = sub.add_parser("ingest", help="check, then convert the delivery to the project's Parquet layout")
    i.add_argument("mapping")
    i.add_argument("--out", default=None, help="output folder (default: the mapping's output_dir)")
    args = ap.parse_args(argv)
    try:
        if args.command == "check-extract":
            res = check_extract(args.mapping)
            print(format_report(res))
            return 0 if res["usable"] else 1
        res = ingest(args.mapping, args.out)
        print(f"converted: {', '.join(res['files'].values())}; rows dropped under the checks' policies: "
              f"{res['dropped']}")
        return 0
    except ExtractError as e:
        print(str(e), file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
