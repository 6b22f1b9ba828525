import copy

import pandas as pd
import pytest
import yaml

from evaluation.config import load_config, schema, validate_config
from tests.conftest import ROOT, default_config


def test_shipped_config_is_valid():
    cfg = load_config(ROOT / "config" / "config.yaml")
    assert cfg["source"] == "synthetic"


def test_unknown_key_is_rejected():
    cfg = copy.deepcopy(default_config())
    cfg["panel"]["baseline_yaer"] = 2014
    with pytest.raises(ValueError, match=r"config: panel: Additional properties are not allowed \('baseline_yaer'"):
        validate_config(cfg)


def test_wrong_type_names_the_key():
    cfg = copy.deepcopy(default_config())
    cfg["synthetic"]["scale"] = "tenth"
    with pytest.raises(ValueError, match=r"config: synthetic.scale"):
        validate_config(cfg)


def test_missing_cycle_year():
    cfg = copy.deepcopy(default_config())
    del cfg["synthetic"]["cycle"]["national_unemployment"]["2013"]
    with pytest.raises(ValueError, match=r"national_unemployment has no value for years \[2013\]"):
        validate_config(cfg)


def test_every_schema_key_has_description_and_default():
    def walk(node, path):
        for key, sub in node.get("properties", {}).items():
            assert "description" in sub, f"{path}.{key} has no description"
            if sub.get("type") != "object" or "additionalProperties" in sub and sub.get("properties") is None:
                assert "default" in sub, f"{path}.{key} has no default"
            if sub.get("type") == "object":
                assert sub.get("additionalProperties") is not None, f"{path}.{key} allows unknown keys"
                walk(sub, f"{path}.{key}")

    s = schema()
    assert s["additionalProperties"] is False
    walk(s, "config")


def test_workflow_schema_is_the_package_schema():
    with (ROOT / "workflow" / "schemas" / "config.schema.yaml").open() as f:
        assert yaml.safe_load(f) == schema()


def test_every_key_documented_in_config_readme():
    text = (ROOT / "config" / "README.md").read_text()

    def keys(node, prefix=""):
        for key, sub in node.get("properties", {}).items():
            yield prefix + key
            if sub.get("type") == "object":
                yield from keys(sub, prefix + key + ".")

    missing = [k for k in keys(schema()) if f"`{k}`" not in text]
    assert not missing, f"config/README.md does not document {missing}"


def test_headline_needs_a_preferred_specification_that_exists():
    cfg = copy.deepcopy(default_config())
    cfg["headline"]["preferred"] = {}
    with pytest.raises(ValueError, match=r"config: headline.preferred names no specification"):
        validate_config(cfg)
    cfg["headline"]["preferred"] = {"stock": "no_such_spec"}
    with pytest.raises(ValueError, match=r"headline.preferred.stock: 'no_such_spec' is not a specification"):
        validate_config(cfg)
    cfg["headline"]["preferred"] = {"stock": "did_all"}
    with pytest.raises(ValueError, match=r"'did_all' is a specification of the cohort design"):
        validate_config(cfg)


def test_the_pipeline_and_the_package_build_the_same_world():
    """Snakemake fills the schema's defaults into the config before a rule runs; the package's validate_config does
    not.  Both must give the same synthetic world: a municipality override's characteristic that is not given is
    drawn in both (its schema default is null), not set to the median's value in the pipeline only."""
    import numpy as np
    import yaml
    from snakemake.utils import validate

    from evaluation.config import read_municipalities, validate_config
    from evaluation.synthetic.world import build_world

    raw = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    raw["municipalities"] = str(ROOT / "config" / "municipalities.csv")
    raw["benefit_codes"] = str(ROOT / "config" / "benefit_codes.csv")
    filled = copy.deepcopy(raw)
    validate(filled, str(ROOT / "workflow" / "schemas" / "config.schema.yaml"), set_default=True)
    assert "classification" not in raw["synthetic"]["municipality_overrides"][860]  # drawn, as the others'
    mun = read_municipalities(raw["municipalities"])
    worlds = [build_world(validate_config(c), mun, np.random.default_rng(7)) for c in (raw, filled)]
    pd.testing.assert_frame_equal(worlds[0].munis, worlds[1].munis)
    assert np.array_equal(worlds[0].job_driver, worlds[1].job_driver)
    assert worlds[0].munis.set_index("kom").loc[860, "classification"] != 1.0
