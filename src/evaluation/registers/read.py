"""Register files and how duckdb reads them (Parquet or CSV; never all into pandas)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import duckdb

from evaluation.registers.layouts import LAYOUTS


class RegisterError(ValueError):
    """A register file does not have the expected layout or content."""


@dataclass(frozen=True)
class RegisterSet:
    dream: Path
    eindkomst: Path
    residence: Path
    persons: Path
    municipality_year: Path

    @classmethod
    def from_config(cls, reg: dict, root: Path | str = ".") -> "RegisterSet":
        root = Path(root)
        return cls(**{f.name: root / reg[f.name] for f in fields(cls)})

    @classmethod
    def in_directory(cls, directory: Path | str, fmt: str = "parquet") -> "RegisterSet":
        d = Path(directory)
        return cls(**{f.name: d / f"{f.name}.{fmt}" for f in fields(cls)})

    def items(self):
        return [(f.name, getattr(self, f.name)) for f in fields(self)]


def relation_sql(path: Path | str) -> str:
    """A duckdb table function that scans ``path`` lazily."""
    p = Path(path)
    s = str(p).replace("'", "''")
    suffix = p.suffix.lower()
    if suffix == ".parquet":
        return f"read_parquet('{s}')"
    if suffix == ".csv":
        return f"read_csv('{s}', header=true, sample_size=-1)"
    raise RegisterError(f"{p}: unsupported file type {suffix!r}; expected .parquet or .csv")


def aggregate_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory duckdb connection for sums and means that reach an output, on one thread.

    With several threads duckdb adds each thread's partial sums in the order the threads finish, so a mean of
    doubles can differ in its last digit from run to run (seen in the municipality panel of a Monte Carlo
    world: one mean in a thousand printed differently in its sixth decimal).  One thread adds in the order
    the file is scanned, the same on every run; these aggregates read the person-year panel once."""
    return duckdb.connect(config={"threads": 1})


def check_exists(name: str, path: Path) -> None:
    if not Path(path).exists():
        raise RegisterError(f"register {name!r}: file {path} does not exist ({LAYOUTS[name].description})")
