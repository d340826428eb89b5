"""docs/maintainers.md names real files and functions: every `path` and `path::name` in it exists,
and the README links to it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "maintainers.md"
TEXT = GUIDE.read_text(encoding="utf-8")

# A backticked reference to a file of the repository: `nbhelpers/x.py` or `nbhelpers/x.py::name`.
REFERENCE = re.compile(r"`((?:nbhelpers|tools|tests|notebooks|docs)/[^`\s:]*)(?:::([A-Za-z_][\w.]*))?`")
REFERENCES = sorted(set(REFERENCE.findall(TEXT)))


def top_level_names(path: Path) -> set[str]:
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_the_guide_names_files_and_functions() -> None:
    assert len(REFERENCES) >= 40
    assert sum(bool(name) for _, name in REFERENCES) >= 25


@pytest.mark.parametrize(("path", "name"), REFERENCES, ids=lambda x: x or "file")
def test_every_reference_exists(path: str, name: str) -> None:
    if "NN-name" in path:                 # the placeholder of a new notebook
        return
    if "*" in path:
        assert list(ROOT.glob(path)), f"{path} matches no file"
        return
    target = ROOT / path
    assert target.exists(), f"{path} does not exist"
    if name:
        assert name in top_level_names(target), f"{path} defines no {name}"


def test_the_readme_links_to_the_guide() -> None:
    assert "(docs/maintainers.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
