"""The two install routes (pip via pyproject.toml, conda via environment.yml) pin the same versions."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pyproject_pins() -> dict[str, str]:
    text = (ROOT / "pyproject.toml").read_text()
    # every quoted requirement in [project] (tomllib is not in Python 3.10)
    project = text.split("[project]", 1)[1].split("[tool.", 1)[0]
    reqs = re.findall(r'^\s*"([A-Za-z0-9_.-]+\s*[=<>!~][^"]*)",?\s*$', project, re.M)
    pins = {}
    for req in reqs:
        name, sep, version = req.partition("==")
        assert sep, f"pyproject.toml: {req!r} is not an exact pin (name==version)"
        pins[name.strip().lower()] = version.strip()
    return pins


def _conda_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        m = re.fullmatch(r"\s*-\s*([A-Za-z0-9_.-]+)=([0-9][^\s#]*)\s*(#.*)?", line)
        if m and m.group(1) != "python":
            pins[m.group(1).lower()] = m.group(2)
    return pins


def test_every_pyproject_requirement_is_an_exact_pin() -> None:
    assert len(_pyproject_pins()) >= 10


def test_environment_yml_pins_the_same_versions_as_pyproject() -> None:
    assert _conda_pins() == _pyproject_pins()
