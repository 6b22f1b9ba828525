"""The benefit code table: DREAM code -> category (a data file, config/benefit_codes.csv)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

CODE_TABLE_SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(r"^\d{1,4}$"), unique=True, nullable=False),
        "category": pa.Column(str, pa.Check.str_matches(r"^[a-z][a-z0-9_]*$"), nullable=False),
        "label": pa.Column(str, nullable=False),
        "public_support": pa.Column(bool, nullable=False),
    },
    strict=True,
    ordered=False,
)


def read_code_table(path: str | Path) -> pd.DataFrame:
    """Read and validate the code table; codes are kept as strings so that numeric and
    text codes in an extract map alike."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"benefit code table {path} does not exist")
    df = pd.read_csv(path, dtype={"code": str, "category": str, "label": str, "public_support": str})
    bad = ~df["public_support"].str.lower().isin(["true", "false"])
    if bad.any():
        i = int(bad.idxmax())
        raise ValueError(
            f"{path}: column public_support, row {i + 2}: value {df['public_support'].iloc[i]!r}; expected true or false"
        )
    df["public_support"] = df["public_support"].str.lower() == "true"
    try:
        return CODE_TABLE_SCHEMA.validate(df, lazy=True)
    except pa.errors.SchemaErrors as e:
        fc = e.failure_cases.head(5)
        detail = "; ".join(
            f"column {r.column}, row {int(r.index) + 2 if pd.notna(r.index) else '?'}: {r.check} failed for {r.failure_case!r}"
            for r in fc.itertuples()
        )
        raise ValueError(f"{path}: invalid benefit code table: {detail}") from None
