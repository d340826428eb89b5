"""The notebook that is run for a submission: the instructor's, with the student's code in
its exercise cells and the grader's own cells around its check cells; and the grader's read-only
copies of the package and of :mod:`grading.kernel_side` that its kernel imports.

The grader's cells are calls into :mod:`grading.kernel_side`, loaded by the first cell under a
name drawn for the run (never importable by its name).
"""

from __future__ import annotations

import contextlib
import copy
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat

from grading import kernel_side
from grading import solutions as sc
from grading.instructor import Course, InstructorNotebook, _bound_names
from grading.records import MISSING, VERDICT_MIME
from grading.submission import student_code

GRADER = "grader"
KERNEL_SIDE = Path(kernel_side.__file__)


def load_source(name: str, path: Path, pkg: Path, cwd: Path) -> str:
    """The first cell: load :mod:`grading.kernel_side` from ``path`` as module ``name``, then
    run its setup."""
    return (f"def _grader_load():\n"
            f"    import importlib.util, sys\n"
            f"    spec = importlib.util.spec_from_file_location({name!r}, {str(path)!r})\n"
            f"    module = importlib.util.module_from_spec(spec)\n"
            f"    sys.modules[{name!r}] = module\n"
            f"    spec.loader.exec_module(module)\n"
            f"    module.setup({str(pkg)!r}, {str(cwd)!r})\n\n\n"
            f"_grader_load()\n"
            f"del _grader_load\n")


def _call(name: str, call: str) -> str:
    return f'__import__("sys").modules[{name!r}].{call}'


def keep_source(name: str, names: Sequence[str]) -> str:
    return _call(name, f"keep({list(names)!r})") + "\n"


def reset_source(name: str, imports: str) -> str:
    """Reset, the notebook's imports again (from the grader's copy), then the snapshot."""
    return (_call(name, "reset()") + "\n" + (imports + "\n" if imports else "")
            + _call(name, "snapshot()") + "\n")


def read_source(name: str, exercise: str, nonce: str) -> str:
    return _call(name, f"show({exercise!r}, {nonce!r}, {VERDICT_MIME!r})") + "\n"


def _grader_cell(source: str, role: str, exercise: str = "") -> Any:
    return nbformat.v4.new_code_cell(source, metadata={GRADER: {"role": role, "exercise": exercise}})


def graded_notebook(cells: Sequence[Any], book: InstructorNotebook, pkg: Path, cwd: Path,
                    nonce: str, grader: Path | None = None) -> tuple[Any, dict[str, str]]:
    """The instructor's notebook with the student's code in its exercise cells and the
    grader's cells around its check cells; and a note per exercise (missing, edited).
    ``grader`` is the copy of :mod:`grading.kernel_side` the kernel loads (default: this one)."""
    state = f"_grader_state_{nonce}"
    nb = copy.deepcopy(book.nb)
    notes: dict[str, str] = {}
    by_cell = {e.cell: e for e in book.exercises.values()}
    check_of = {i: e for e in book.exercises.values() for i in e.checks}
    out = [_grader_cell(load_source(state, grader or KERNEL_SIDE, pkg, cwd), "setup")]
    defined: set[str] = set()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "skip-execution" in sc.cell_tags(cell):
            continue
        cell.outputs, cell.execution_count = [], None
        cell.metadata[GRADER] = {"role": "instructor", "index": index}
        if index in by_cell:
            exercise = by_cell[index]
            source, note = student_code(cells, book, exercise)
            if source is None:
                notes[exercise.id] = MISSING
                source = exercise.scaffold
            elif note:
                notes[exercise.id] = note
            keep = sorted(n for n in defined - exercise.assigns if not n.startswith("_"))
            out.append(_grader_cell(keep_source(state, keep), "keep", exercise.id))
            cell.source = source
            cell.metadata[GRADER] = {"role": "exercise", "exercise": exercise.id, "index": index}
            out.append(cell)
            continue
        if index in check_of:
            exercise = check_of[index]
            out.append(_grader_cell(reset_source(state, book.imports), "reset", exercise.id))
            cell.metadata[GRADER] = {"role": "check", "exercise": exercise.id, "index": index}
            out.append(cell)
            out.append(_grader_cell(read_source(state, exercise.id, nonce), "read", exercise.id))
        else:
            out.append(cell)
        defined |= _bound_names(cell.source)
    nb.cells = out
    return nb, notes



def write_package(course: Course, folder: Path) -> None:
    """The grader's copy of the package, read-only, each file with its pristine mtime (so the
    byte-compiled files stay valid)."""
    for rel, (content, mtime) in course.package.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            target.chmod(0o644)
        target.write_bytes(content)
        os.utime(target, ns=(mtime, mtime))
    for path in sorted(folder.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)


def changed_package(course: Course, folder: Path) -> list[str]:
    """The files of the grader's copy of the package that differ from the pristine ones
    (changed, added or removed); they are put right in place (the folder itself stays, so a
    sandbox's view of it stays too)."""
    now = {str(p.relative_to(folder)): p for p in folder.rglob("*") if p.is_file() or p.is_symlink()}
    changed = sorted(set(now) ^ set(course.package))
    changed += [rel for rel, path in now.items() if rel in course.package
                and (path.is_symlink() or path.read_bytes() != course.package[rel][0])]
    if changed:
        for path in sorted(folder.rglob("*"), reverse=True):
            with contextlib.suppress(OSError):
                if not path.is_symlink():
                    path.chmod(0o755 if path.is_dir() else 0o644)
        for rel, path in now.items():
            if rel not in course.package or path.is_symlink():
                path.unlink(missing_ok=True)
        write_package(course, folder)
    return sorted(set(changed))


def write_kernel_side(folder: Path) -> Path:
    """A read-only copy of :mod:`grading.kernel_side` in ``folder``: the kernel's."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "kernel_side.py"
    target.write_bytes(KERNEL_SIDE.read_bytes())
    target.chmod(0o444)
    folder.chmod(0o555)
    return target
