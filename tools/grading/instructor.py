"""What grading reads from the instructor before any submission runs: the notebooks'
exercises and check cells, a pristine copy of the package, the files to protect.
"""

from __future__ import annotations

import ast
import compileall
import contextlib
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from notebook_runs import series_notebooks

from grading import solutions as sc
from grading.records import PACKAGE


@dataclass(frozen=True)
class Exercise:
    """One exercise of an instructor notebook."""

    id: str
    cell: int                        # the exercise cell (the one with the solution regions)
    chunks: tuple[tuple[str, ...], ...]  # the cell's lines outside its regions, in order
    scaffold: str                    # the exercise cell as in the student copy
    assigns: frozenset[str]          # every name the instructor's exercise cell binds
    checks: tuple[int, ...]          # the check cells


@dataclass(frozen=True)
class InstructorNotebook:
    name: str
    nb: Any
    exercises: dict[str, Exercise]
    imports: str                     # every top-level import of the non-exercise cells


def _exercise_id(cell: Any) -> str | None:
    metadata = cell.get("metadata")
    value = metadata.get("exercise") if isinstance(metadata, dict) else None
    return value if isinstance(value, str) and value else None


def _bound_names(source: str) -> set[str]:
    """Every name a cell binds at its top level (loops and blocks included, not functions)."""
    try:
        tree = ast.parse(sc._python_source(source))
    except SyntaxError:
        return set()
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(child.name)
                continue
            if isinstance(child, ast.Lambda | ast.ListComp | ast.SetComp | ast.DictComp
                          | ast.GeneratorExp):
                continue
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                names.add(child.id)
            elif isinstance(child, ast.alias):
                names.add((child.asname or child.name).split(".")[0])
            visit(child)

    visit(tree)
    return names


def _imports(sources: Iterable[str]) -> str:
    lines: list[str] = []
    for source in sources:
        try:
            tree = ast.parse(sc._python_source(source))
        except SyntaxError:
            continue
        for stmt in tree.body:
            if isinstance(stmt, ast.Import | ast.ImportFrom) and getattr(stmt, "level", 0) == 0:
                line = ast.unparse(stmt)
                if line not in lines and "__future__" not in line:
                    lines.append(line)
    return "\n".join(lines)


def load_instructor_notebook(path: Path) -> InstructorNotebook:
    name = path.stem
    nb = nbformat.read(path, as_version=4)
    regions = sc.notebook_regions(nb, sc._display(path))
    student = sc.student_notebook(nb, sc._display(path))
    exercises: dict[str, Exercise] = {}
    checks: dict[str, list[int]] = {}
    for index, cell in enumerate(nb.cells):
        ident = _exercise_id(cell)
        if cell.cell_type != "code" or ident is None:
            continue
        if index in regions:
            lines = cell.source.split("\n")
            chunks, start = [], 0
            for region in regions[index]:
                chunks.append(tuple(lines[start:region.begin]))
                start = region.end + 1
            chunks.append(tuple(lines[start:]))
            exercises.setdefault(ident, Exercise(
                ident, index, tuple(chunks), student.cells[index].source,
                frozenset(_bound_names(cell.source)), ()))
        elif sc.CHECK_TAG in sc.cell_tags(cell):
            checks.setdefault(ident, []).append(index)
    exercises = {k: Exercise(e.id, e.cell, e.chunks, e.scaffold, e.assigns,
                             tuple(checks.get(k, ()))) for k, e in exercises.items()}
    imports = _imports(cell.source for i, cell in enumerate(nb.cells)
                       if cell.cell_type == "code" and i not in regions)
    return InstructorNotebook(name, nb, exercises, imports)


def _files(folder: Path) -> dict[str, bytes]:
    """The files of a folder, but Python's caches and JupyterLab's checkpoints."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not {"__pycache__", ".ipynb_checkpoints"} & set(p.parts)
            and not p.name.endswith(".pyc")}


@dataclass
class Course:
    """What grading needs from the instructor, read once before any submission runs."""

    notebooks: dict[str, InstructorNotebook]
    package: dict[str, tuple[bytes, int]]   # relative path -> (content, mtime_ns); pyc too
    protected: dict[Path, dict[str, bytes]]  # folder -> its files, as before any submission
    mpl_cache: dict[str, bytes]

    @classmethod
    def load(cls, notebooks: Sequence[Path] | None = None, package: Path = PACKAGE,
             protect: Sequence[Path] | None = None) -> Course:
        paths = list(notebooks) if notebooks else series_notebooks()
        loaded = {}
        for path in paths:
            book = load_instructor_notebook(path)
            if book.exercises:
                loaded[book.name] = book
        with tempfile.TemporaryDirectory(prefix="grader-package-") as tmp:
            copy_ = Path(tmp) / "nbhelpers"
            shutil.copytree(package, copy_, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            compileall.compile_dir(copy_, quiet=1)
            files = {str(p.relative_to(tmp)): (p.read_bytes(), p.stat().st_mtime_ns)
                     for p in Path(tmp).rglob("*") if p.is_file()}
        folders = list(protect) if protect is not None else [package, *{p.parent for p in paths}]
        return cls(loaded, files, {Path(f): _files(Path(f)) for f in folders}, _mpl_cache())


def _mpl_cache() -> dict[str, bytes]:
    """Matplotlib's font list, so that a fresh kernel home does not rebuild it (seconds)."""
    try:
        import matplotlib
        folder = Path(matplotlib.get_cachedir())
    except Exception:  # pragma: no cover - matplotlib is a dependency
        return {}
    return {p.name: p.read_bytes() for p in folder.glob("fontlist-*.json")}


def restore_protected(course: Course) -> list[str]:
    """Put back every protected file a submission changed, added or removed; name them."""
    changed = []
    for folder, files in course.protected.items():
        now = _files(folder) if folder.is_dir() else {}
        for rel, content in files.items():
            if now.get(rel) != content:
                target = folder / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(OSError):
                    target.chmod(0o644)
                target.write_bytes(content)
                changed.append(str(target))
        for rel in set(now) - set(files):
            (folder / rel).unlink(missing_ok=True)
            changed.append(str(folder / rel))
    return changed
