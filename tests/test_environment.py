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


def _dry_run(target: str) -> str:
    import subprocess

    return subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def test_make_lab_opens_jupyterlab_on_the_first_notebook() -> None:
    assert re.search(r"jupyter lab (--allow-root )?notebooks/00-start-here\.ipynb", _dry_run("lab"))


def test_ci_runs_make_test_and_nothing_else() -> None:
    lines = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text().splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    assert lines[-1] == "exec make test"
    assert all(ln.startswith(("set ", "cd ", "exec make test")) for ln in lines)
