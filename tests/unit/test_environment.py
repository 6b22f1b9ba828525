"""environment.yml (for conda users) lists the same dependencies as pyproject.toml."""

import re
import tomllib

import yaml

from tests.conftest import ROOT


def _name(req: str) -> str:
    return re.split(r"[<>=!~ ]", req.strip(), maxsplit=1)[0].lower()


def test_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    py = {_name(r): r.replace(" ", "") for r in project["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d): d.replace(" ", "") for d in env["dependencies"] if isinstance(d, str)}
    conda.pop("python", None), conda.pop("pip", None)
    assert py == conda


def test_requirements_in_covers_pyproject_and_lock_is_url_free():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]} | {_name(r) for r in project["optional-dependencies"]["test"]}
    req_in = {_name(l) for l in (ROOT / "requirements.in").read_text().splitlines() if l and not l.startswith("#")}
    assert wanted == req_in
    lock = (ROOT / "requirements.lock").read_text()
    assert "://" not in lock
    pinned = {_name(l) for l in lock.splitlines() if "==" in l}
    assert wanted <= {p.replace("_", "-") for p in pinned} | pinned
