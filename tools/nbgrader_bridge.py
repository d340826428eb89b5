"""nbgrader source notebooks written from the course's notebooks (the ``nbgrader`` command of
``tools/student_copies.py``).

nbgrader, as it comes, does not fit these notebooks: it replaces every solution region with
one fixed stub, and it scores a test cell by whether it raises, while our check cells print
their verdict. This module writes, for each instructor notebook, a notebook nbgrader can use:

* each exercise cell becomes an nbgrader *solution* cell (``grade_id`` = the exercise id)
  that keeps its ``### BEGIN SOLUTION``/``### END SOLUTION`` region and carries our own stub
  outside the region: ``name = ...`` lines just above a top-level region (the solution then
  overwrites them), ``raise NotImplementedError("…")`` just below a region that ends a
  function's body with ``return`` (unreachable in the instructor's version). nbgrader's own
  stub is configured to be empty, so the released cell is exactly our student copy's;
* each check cell becomes a locked, graded *test* cell worth ``points`` whose last line raises
  when the check's verdict (``nbhelpers.course.feedback.VERDICTS[id]``) is not a pass;
* the outputs of exercise and check cells are cleared; every other output is kept, and
  nbgrader is configured not to clear them (the figures stay in the released notebook).

``nbgrader_config.py`` is written next to ``source/``: the course directory is ready for
``nbgrader generate_assignment`` and ``nbgrader autograde``.
"""

from __future__ import annotations

import ast
import copy
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import grading.solutions as sc
import nbformat

SCHEMA_VERSION = 3
CONFIG = '''\
# Written by tools/student_copies.py nbgrader; see docs/instructors.md.
c = get_config()  # noqa: F821
c.CourseDirectory.root = {root!r}
# Our exercise cells carry their own stub (name = ... / raise NotImplementedError) outside
# the solution region, so nbgrader's fixed stub is not wanted.
c.ClearSolutions.code_stub = {{"python": ""}}
# Keep the figures and tables of the lesson: the exercise and check cells have no output.
c.ClearOutput.enabled = False
'''


def _ends_in_exit(code: str) -> bool:
    body = ast.parse(code).body
    return bool(body) and isinstance(body[-1], ast.Return | ast.Raise)


def solution_cell(source: str, where: str) -> str:
    """An exercise cell's source for nbgrader: our stubs placed outside each region."""
    lines = source.split("\n")
    regions = sc.cell_regions(source, where)
    out: list[str] = []
    start = 0
    for region in regions:
        out += lines[start:region.begin]
        marked = lines[region.begin:region.end + 1]
        if region.function is None:
            out += list(region.scaffold) + marked
        else:
            code = textwrap.dedent("\n".join(region.solution))
            if not _ends_in_exit(code):
                raise sc.MarkerError(
                    f"{where}, line {region.begin + 1}: for nbgrader, a solution inside a "
                    "function must end with return or raise (our stub goes after it).")
            out += marked + list(region.scaffold)
        start = region.end + 1
    return "\n".join(out + lines[start:])


def check_cell(source: str, exercise: str) -> str:
    """A check cell's source for nbgrader: the check, then an assertion on its verdict."""
    return (source.rstrip() + "\n\nfrom nbhelpers.course import feedback as _feedback\n"
            f"assert _feedback.VERDICTS.get({exercise!r}) is True, "
            f"{f'exercise {exercise}: the check above did not pass'!r}")


def nbgrader_notebook(nb: Any, name: str, points: float = 1) -> Any:
    """The nbgrader source version of the instructor notebook ``nb`` (left unchanged)."""
    regions = sc.notebook_regions(nb, name)
    source = copy.deepcopy(nb)
    seen: set[str] = set()
    for index, cell in enumerate(source.cells):
        if cell.cell_type != "code":
            continue
        ident = cell.metadata.get("exercise")
        where = sc._where(name, index)
        if index in regions:
            if not isinstance(ident, str):
                raise sc.MarkerError(f"{where}: an exercise cell without an exercise id in its "
                                     "metadata")
            cell.source = solution_cell(cell.source, where)
            cell.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False,
                                         "grade_id": ident, "schema_version": SCHEMA_VERSION}
            cell.outputs, cell.execution_count = [], None
        elif isinstance(ident, str) and sc.CHECK_TAG in sc.cell_tags(cell):
            grade_id = f"{ident}-check" if ident not in seen else f"{ident}-check-{index}"
            seen.add(ident)
            cell.source = check_cell(cell.source, ident)
            cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                         "points": points, "grade_id": grade_id,
                                         "schema_version": SCHEMA_VERSION}
            cell.outputs, cell.execution_count = [], None
    source.metadata.pop(sc.STUDENT_COPY_KEY, None)
    return source


def write_course(paths: Sequence[Path], course: Path, assignment: str,
                 points: float = 1) -> list[Path]:
    """Write ``course/source/<assignment>/<notebook>`` for each notebook that has exercises,
    and ``course/nbgrader_config.py``; return the notebooks written."""
    books = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if sc.notebook_regions(nb, sc._display(path)):
            books.append((path.name, nbgrader_notebook(nb, sc._display(path), points)))
    folder = course / "source" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, nb in books:
        nbformat.write(nb, folder / name)
        written.append(folder / name)
    (course / "nbgrader_config.py").write_text(CONFIG.format(root=str(course.resolve())),
                                               encoding="utf-8")
    return written
