"""Loading and validating the pipeline configuration."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import jsonschema
import pandas as pd
import yaml


def schema() -> dict:
    return yaml.safe_load(resources.files("evaluation.data").joinpath("config.schema.yaml").read_text())


def _normalise(obj):
    """YAML reads `2010:` keys as integers; JSON schema wants string keys."""
    if isinstance(obj, dict):
        return {str(k): _normalise(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_normalise(v) for v in obj]
    return obj


# the estimators that adjust for a specification's covariates (evaluation.specifications.run_specification)
USES_COVARIATES = ("did", "synthetic_control", "synthetic_did", "interactive_fe")


def validate_config(cfg: dict) -> dict:
    """Validate ``cfg`` against the schema; raise ValueError naming the key."""
    cfg = _normalise(cfg)
    v = jsonschema.Draft202012Validator(schema())
    errors = sorted(v.iter_errors(cfg), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        where = ".".join(str(p) for p in e.path) or "(top level)"
        raise ValueError(f"config: {where}: {e.message}")
    syn = cfg.get("synthetic")
    if syn and syn["first_year"] > syn["last_year"]:
        raise ValueError("config: synthetic.first_year is after synthetic.last_year")
    if syn:
        missing = [y for y in range(syn["first_year"], syn["last_year"] + 1)
                   if str(y) not in syn["cycle"]["national_unemployment"]]
        if missing:
            raise ValueError(f"config: synthetic.cycle.national_unemployment has no value for years {missing}")
    specs = cfg.get("specifications", {})
    preferred = {d: n for d, n in (cfg.get("headline", {}).get("preferred") or {}).items() if n}
    if specs and not preferred:
        raise ValueError("config: headline.preferred names no specification: name the preferred specification of "
                         "at least one design (e.g. headline.preferred.stock), or the report has no headline")
    for design, name in preferred.items():
        if name and name not in specs:
            raise ValueError(f"config: headline.preferred.{design}: {name!r} is not a specification "
                             f"(they are {sorted(specs)})")
        if name and specs[name]["design"] != design:
            raise ValueError(f"config: headline.preferred.{design}: {name!r} is a specification of the "
                             f"{specs[name]['design']} design")
    mc_specs = (cfg.get("monte_carlo") or {}).get("specifications") or []
    unknown = [n for n in mc_specs if n not in specs]
    if unknown:
        raise ValueError(f"config: monte_carlo.specifications: {unknown} are not specifications "
                         f"(they are {sorted(specs)})")
    for name, s in specs.items():
        if s.get("keep_leavers_to") and s.get("design") != "stock":
            raise ValueError(f"config: specifications.{name}: keep_leavers_to is for the stock design (the cohort "
                             f"already keeps every person it selected), not {s.get('design')!r}")
        if s.get("covariates") and s.get("estimator") not in USES_COVARIATES:  # never ignored silently
            raise ValueError(f"config: specifications.{name}: estimator {s.get('estimator')!r} does not use covariates "
                             f"(given {s['covariates']}); they are available for {list(USES_COVARIATES)}")
        if s.get("estimator") == "triple_did" and not s.get("reference_categories"):
            raise ValueError(f"config: specifications.{name}: triple_did needs reference_categories (the benefit "
                             "categories of the comparison group inside the municipality, e.g. [sygedagpenge])")
    if cfg["source"] == "synthetic" and not syn:
        raise ValueError("config: source is synthetic but there is no `synthetic` section")
    return cfg


def check_categories(cfg: dict) -> None:
    """Benefit categories named in config (panel.target_categories, specifications' reference_categories and
    keep_leavers_to)
    exist in the code table: checked before any job runs."""
    from evaluation.registers.codes import read_code_table

    have = set(read_code_table(cfg["benefit_codes"])["category"])
    named = {"panel.target_categories": list(cfg["panel"]["target_categories"])}
    for name, s in (cfg.get("specifications") or {}).items():
        for key in ("reference_categories", "keep_leavers_to"):
            if s.get(key):
                named[f"specifications.{name}.{key}"] = list(s[key])
    for key, cats in named.items():
        missing = sorted(set(cats) - have)
        if missing:
            raise ValueError(f"config: {key}: {missing} are not categories of the benefit code table "
                             f"{cfg['benefit_codes']} (it has {sorted(have)})")


def load_config(path: str | Path) -> dict:
    path = Path(path)
    with path.open() as f:
        cfg = yaml.safe_load(f)
    if not isinstance(cfg, dict):
        raise ValueError(f"{path}: expected a mapping of settings")
    return validate_config(cfg)


def read_municipalities(path: str | Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"municipality_code": int, "population_2020": int})
    need = {"municipality_code", "municipality_name", "region", "population_2020"}
    if not need <= set(df.columns):
        raise ValueError(f"{path}: expected columns {sorted(need)}, found {list(df.columns)}")
    if df["municipality_code"].duplicated().any():
        dup = df.loc[df["municipality_code"].duplicated(), "municipality_code"].iloc[0]
        raise ValueError(f"{path}: municipality code {dup} appears more than once")
    return df
