"""No import cycle in nbhelpers/ or tools/, and the package's layers.

nbhelpers: the contracts of import-linter, written in pyproject.toml ([tool.importlinter]),
one test each: the layers course → display → examples → the algorithm, and no cycle between
the modules of any package. tools/ is not a package (its scripts import one another as
top-level modules), so import-linter cannot read it; its graph is built here from every import
statement of every file, those inside functions included, and sorted with the standard
library's ``graphlib``, which names a cycle it meets.

A cycle that is there today and being removed has its contract expected to fail, with
``xfail(strict=True)``: the day the cycle is gone the test fails as an unexpected pass, and its
marker must go.
"""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterable
from pathlib import Path

import pytest
from importlinter import configuration
from importlinter.application import use_cases

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tools"

KNOWN_CYCLES: dict[str, str] = {}   # none left: a new one must be removed, not listed


def _xfail_known(contract: str) -> list[pytest.MarkDecorator]:
    reason = KNOWN_CYCLES.get(contract)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


# --------------------------------------------------------------------------- nbhelpers

configuration.configure()          # what `lint-imports` and importlinter.api do first
OPTIONS = use_cases.read_user_options(str(ROOT / "pyproject.toml"))
CONTRACTS = [options["id"] for options in OPTIONS.contracts_options]


def _children_checked(package: str, options: dict) -> bool:
    """Whether an acyclic_siblings contract looks for cycles between the package's modules."""
    if options["type"] != "acyclic_siblings":
        return False
    depth = int(options.get("depth", 10))
    skipped = options.get("skip_descendants", [])
    for ancestor in options["ancestors"]:
        below = package.startswith(ancestor + ".")
        levels = package.count(".") - ancestor.count(".")
        if package == ancestor or (below and levels <= depth and not any(
                package == s or package.startswith(s + ".") for s in skipped)):
            return True
    return False


def test_the_contracts_cover_every_package_of_nbhelpers() -> None:
    assert {"layers", "acyclic", "acyclic-exercises", "acyclic-course", "course-layers"} <= set(CONTRACTS)
    packages = sorted(p.parent.relative_to(ROOT).as_posix().replace("/", ".")
                      for p in (ROOT / "nbhelpers").rglob("__init__.py"))
    assert "nbhelpers.course.exercises" in packages
    for package in packages:
        assert any(_children_checked(package, o) for o in OPTIONS.contracts_options), package


def test_no_contract_ignores_an_import() -> None:
    """The layers hold without exceptions: display/ imports nothing of course/ (the gradient
    check's bugs reach its explorer as data, from the notebook)."""
    assert [o["id"] for o in OPTIONS.contracts_options if o.get("ignore_imports")] == []


@pytest.mark.parametrize("contract", [pytest.param(c, marks=_xfail_known(c)) for c in CONTRACTS])
def test_import_contract(contract: str) -> None:
    """One contract, checked as `lint-imports --contract ID` does; when it is broken, the
    captured output says where."""
    kept = use_cases.lint_imports(str(ROOT / "pyproject.toml"), limit_to_contracts=(contract,),
                                  cache_dir=None, no_logo=True, is_debug_mode=True)
    assert kept == use_cases.SUCCESS, f"import contract {contract!r} is broken (see the output)"


# --------------------------------------------------------------------------- tools/

def tool_modules() -> dict[str, Path]:
    """Every module of tools/ by the name it is imported as: the scripts as top-level modules
    (``grade``), the benchmark's as ``bench.main`` (its ``__init__`` as ``bench``)."""
    modules = {path.stem: path for path in TOOLS.glob("*.py")}
    for path in TOOLS.glob("*/**/*.py"):
        parts = path.relative_to(TOOLS).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def imported_by(name: str, path: Path, known: Iterable[str]) -> set[str]:
    """The modules of ``known`` that the file imports anywhere (inside functions too)."""
    known = set(known)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([p for p in parent if p] + ([node.module] if node.module else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in known:      # `import bench.x` also imports bench
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def tool_graph() -> dict[str, set[str]]:
    modules = tool_modules()
    return {name: imported_by(name, path, modules) for name, path in modules.items()}


GRADER = {"grade", "student_copies", "nbgrader_bridge"} | {
    name for name in tool_modules() if name == "grading" or name.startswith("grading.")}


def test_the_tools_graph_sees_imports_inside_functions_and_relative_ones() -> None:
    graph = tool_graph()
    assert {"bench", "bench.main", "bench.waiting", "timing", "labdriver"} <= set(graph)
    assert {"timing", "bench", "bench.memory", "bench.sections"} <= graph["bench.main"]
    assert "bench_browser" in graph["bench.waiting"]       # imported inside a function
    assert "labdriver" in graph["bench_browser"]


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        return list(error.args[1])
    return None


def test_the_tools_import_one_another_without_a_cycle_outside_the_grader() -> None:
    """Every import of tools/, but those between the grader's three modules (next test)."""
    graph = {name: {t for t in imports if not (name in GRADER and t in GRADER)}
             for name, imports in tool_graph().items()}
    assert _cycle(graph) is None, f"import cycle in tools/: {' → '.join(_cycle(graph) or [])}"


def test_the_grader_modules_import_one_another_without_a_cycle() -> None:
    graph = {name: imports & GRADER for name, imports in tool_graph().items() if name in GRADER}
    cycle = _cycle(graph)
    assert cycle is None, f"import cycle in tools/: {' → '.join(cycle or [])}"
