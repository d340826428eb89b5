"""Every install route (make with pip or uv, conda's environment.yml, Binder) pins the same versions,
for each supported Python, and the environment running the tests is the pinned one."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import check_python
import check_wheels
import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
SUPPORTED = ("3.11", "3.12", "3.13", "3.14", "3.15")


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _installed_extras() -> list[str]:
    """The extras `make setup` installs (`-e '.[lab,dev]'`); other extras are optional."""
    m = re.search(r"-e '\.\[([a-z,]+)\]'", (ROOT / "Makefile").read_text())
    assert m, "Makefile: no `-e '.[extras]'` install"
    return m.group(1).split(",")


def _requirements(extras: list[str] | None = None) -> list[Requirement]:
    """The requirements of [project]: dependencies and the given extras (default: all)."""
    project = _project()
    reqs = list(project["dependencies"])
    for name, extra in project["optional-dependencies"].items():
        if extras is None or name in extras:
            reqs += extra
    return [Requirement(r) for r in reqs]


def _pins_for(python: str, extras: list[str] | None = None) -> dict[str, str]:
    """name → version of every requirement whose marker holds on `python` ("3.12")."""
    env = {"python_version": python, "python_full_version": f"{python}.0"}
    pins: dict[str, str] = {}
    for req in _requirements(extras):
        if req.marker is None or req.marker.evaluate(env):
            name = canonicalize_name(req.name)
            assert name not in pins, f"two pins of {name} apply to Python {python}"
            pins[name] = str(req.specifier).removeprefix("==")
    return pins


def _conda() -> tuple[str, dict[str, str]]:
    """environment.yml's Python (X.Y) and its package pins."""
    python, pins = "", {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        m = re.fullmatch(r"\s*-\s*([A-Za-z0-9_.-]+)=([0-9][^\s#]*)\s*(#.*)?", line)
        if not m:
            continue
        if m.group(1) == "python":
            python = m.group(2)
        else:
            pins[canonicalize_name(m.group(1))] = m.group(2)
    return python, pins


def test_every_requirement_is_an_exact_pin_with_at_most_a_python_version_marker() -> None:
    reqs = _requirements()
    assert len(reqs) >= 20
    for req in reqs:
        assert len(req.specifier) == 1 and next(iter(req.specifier)).operator == "==", \
            f"pyproject.toml: {req} is not an exact pin (name==version)"
        assert not req.extras and not req.url, str(req)
        if req.marker is not None:
            assert re.fullmatch(r"(python_version [<>=!]+ \"3\.\d+\"( and )?)+", str(req.marker)), \
                f"{req}: only python_version markers, so every route can tell which pin applies"


def test_requires_python_is_311_to_315_and_the_python_check_agrees() -> None:
    spec = SpecifierSet(_project()["requires-python"])
    assert str(spec) in ("<3.16,>=3.11", ">=3.11,<3.16")
    for minor in range(8, 18):
        version = (3, minor, 0)
        supported = f"3.{minor}" in SUPPORTED
        assert (f"3.{minor}.0" in spec) == supported
        assert (check_python.problem(version) is None) == supported, version
    assert "3.10.4" in check_python.problem((3, 10, 4))
    assert "python3.14" in check_python.problem((3, 16, 0))
    assert check_wheels.SUPPORTED == SUPPORTED


@pytest.mark.parametrize("python", SUPPORTED)
def test_each_package_has_exactly_one_pin_on_each_supported_python(python: str) -> None:
    pins = _pins_for(python)
    everywhere = {canonicalize_name(r.name) for r in _requirements()}
    assert set(pins) == everywhere


def test_the_pins_differ_between_pythons_only_where_wheels_force_it() -> None:
    """One version per package unless no release has wheels for every supported Python."""
    assert {"lab", "dev"} <= set(_installed_extras())
    split = {name for name in _pins_for("3.11")
             if len({_pins_for(p)[name] for p in SUPPORTED}) > 1}
    assert split == {"numpy", "scipy"}


def test_check_wheels_reads_the_same_pins_and_markers() -> None:
    pins = check_wheels.read_pins()
    for python in SUPPORTED:
        theirs = {p.name: p.version for p in pins if p.applies_to(python)}
        assert theirs == _pins_for(python)
    # the marker evaluation agrees with packaging's on every marker in use
    for req in _requirements():
        if req.marker is not None:
            for python in SUPPORTED:
                assert check_wheels.marker_allows(str(req.marker), python) == \
                    Marker(str(req.marker)).evaluate({"python_version": python})


def test_check_wheels_verdicts_on_known_file_names() -> None:
    files = ["numpy-2.5.5-cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
             "numpy-2.5.5-cp312-cp312-macosx_14_0_arm64.whl",
             "numpy-2.5.5-cp312-cp312-win_amd64.whl",
             "numpy-2.5.5-cp313-cp313-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
             "tornado-6.6.1-cp311-abi3-manylinux_2_17_x86_64.whl",
             "tornado-6.6.1-cp311-abi3-macosx_10_9_universal2.whl",
             "tornado-6.6.1-cp311-abi3-win_amd64.whl",
             "ipywidgets-8.1.8-py3-none-any.whl"]
    assert check_wheels.verdict(files, "numpy", "2.5.5", "3.12") == "wheel"
    assert check_wheels.verdict(files, "numpy", "2.5.5", "3.13") == "no macos-arm64/win-amd64"
    assert check_wheels.verdict(files, "numpy", "2.5.5", "3.11") == "no wheel"
    assert check_wheels.verdict(files, "tornado", "6.6.1", "3.15") == "wheel (abi3)"
    assert check_wheels.verdict(files, "ipywidgets", "8.1.8", "3.15") == "pure"
    assert check_wheels.verdict(files, "ipywidgets", "8.1.9", "3.15") == "no wheel"


def test_environment_yml_pins_the_same_versions_as_pyproject_for_its_python() -> None:
    python, pins = _conda()
    assert python in SUPPORTED
    assert pins == _pins_for(python, _installed_extras())


def test_the_running_environment_has_the_pinned_versions() -> None:
    """What `make setup` installed (with uv or pip) is exactly what pyproject.toml pins."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    wrong = {}
    for name, version in _pins_for(python, _installed_extras()).items():
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            have = "not installed"
        if have != version:
            wrong[name] = (have, version)
    assert not wrong, f"installed (have, pinned): {wrong}"


def test_ipywidgets_is_the_release_that_renders_in_vs_code_with_its_own_front_end_packages() -> None:
    pins = _pins_for("3.12")
    assert pins["ipywidgets"] == "8.1.8"   # 8.1.9 renders nothing in VS Code
    for req in map(Requirement, metadata.requires("ipywidgets") or []):
        name = canonicalize_name(req.name)
        if name in ("jupyterlab-widgets", "widgetsnbextension"):
            assert pins[name] in req.specifier, (name, pins[name], str(req.specifier))


def test_notebook_7_is_the_release_built_on_the_pinned_jupyterlab() -> None:
    pins = _pins_for("3.12")
    assert pins["notebook"].startswith("7.")
    wanted = [Requirement(r) for r in metadata.requires("notebook") or []
              if Requirement(r).name == "jupyterlab" and not Requirement(r).marker]
    assert wanted and pins["jupyterlab"] in wanted[0].specifier
    # the newest jupyterlab it accepts is the pinned one (7.6.5 needs jupyterlab>=4.6.6)
    lowest = min(s.version for s in wanted[0].specifier if s.operator == ">=")
    assert lowest == pins["jupyterlab"]


def _dry_run(*args: str) -> str:
    return subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def test_make_lab_opens_jupyterlab_on_the_first_notebook() -> None:
    assert re.search(r"jupyter lab (--allow-root )?notebooks/00-start-here\.ipynb", _dry_run("lab"))


def test_make_notebook_opens_notebook_7_on_the_first_notebook() -> None:
    assert re.search(r"jupyter notebook (--allow-root )?notebooks/00-start-here\.ipynb",
                     _dry_run("notebook"))


def test_setup_reinstalls_when_the_pins_change_into_the_chosen_folder(tmp_path: Path) -> None:
    """The stamp depends on pyproject.toml; VENV and PYTHON choose the folder and the Python."""
    venv = tmp_path / "v"
    out = _dry_run("setup", f"VENV={venv}", "PYTHON=python3.13")
    assert re.search(rf"python3.13 -m venv +{re.escape(str(venv))}", out)
    assert "uv pip install" in out and "-e '.[lab,dev]'" in out and "pip install --quiet -e" in out
    venv.mkdir()
    (venv / ".installed").touch()
    assert "-m venv" not in _dry_run("setup", f"VENV={venv}")     # up to date: nothing to do
    out = _dry_run("setup", f"VENV={venv}", "-W", "pyproject.toml")  # as if the pins changed
    assert "-m venv" in out and "uv pip install" in out and "--clear" not in out
    # asking for another Python than the folder was made with makes the folder anew
    (venv / ".python").write_text("python3.11\n")
    assert "-m venv" not in _dry_run("setup", f"VENV={venv}", "PYTHON=python3.11")
    out = _dry_run("setup", f"VENV={venv}", "PYTHON=python3.13")
    assert f"python3.13 -m venv --clear {venv}" in out and "uv pip install" in out


def test_readme_stands_alone_names_the_lecture_and_the_supported_pythons() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "Andrew Ng" in readme and '"Backpropagation Algorithm"' in readme
    assert '"Neural Networks Learning"' in readme and "Coursera" in readme
    for target in re.findall(r"\]\(([^)#\s]+)", readme) + re.findall(r"`(\.\./[^`]*)`", readme):
        if re.match(r"^[a-z]+:", target):
            continue
        path = (ROOT / target).resolve()
        assert path.is_relative_to(ROOT), f"README points outside the repository: {target}"
        # files that exist, or the website's entry page, which `make site` writes
        assert path.exists() or target == "build/site/index.html", target
    assert "Python 3.11, 3.12, 3.13, 3.14 or 3.15" in readme
    for command in ("make lab", "make test", "make notebook", "make site", "make wheels"):
        assert f"`{command}`" in readme or f"{command}  " in readme, command


def test_ci_runs_make_test_and_nothing_else() -> None:
    lines = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text().splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    assert lines[-1] == "exec make test"
    assert all(ln.startswith(("set ", "cd ", "exec make test")) for ln in lines)
