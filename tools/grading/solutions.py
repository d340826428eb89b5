"""The solution regions of the instructor's notebooks, and the student copies made from them.

Each exercise cell (tagged ``exercise``) holds its solution between a line ``### BEGIN SOLUTION``
and a line ``### END SOLUTION``. A student copy replaces every such region by a scaffold:

* at top level, ``name = ...`` for each name the solution assigns (the check cell that
  follows then says "not implemented yet" and lets later cells use the reference value);
* inside a ``def``, ``raise NotImplementedError("<hint>")``, the hint taken from a line
  ``# Hint: …`` directly above ``### BEGIN SOLUTION``.

The student copies (``tools/student_copies.py build``), the grader (``tools/grade.py``) and the
nbgrader bridge (``tools/nbgrader_bridge.py``) all read the regions here, so that none of them
imports another.
"""

from __future__ import annotations

import ast
import copy
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notebook_runs import ROOT

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
HINT = "# Hint:"
EXERCISE_TAG = "exercise"
CHECK_TAG = "check"
STUDENT_COPY_KEY = "student_copy"


class MarkerError(ValueError):
    """A solution region the generator refuses: the message names notebook, cell and line."""


@dataclass(frozen=True)
class Region:
    """One solution region of a cell: its lines (0-based, markers included) and its scaffold."""

    begin: int
    end: int
    solution: tuple[str, ...]
    scaffold: tuple[str, ...]
    function: str | None
    hint: str | None


def _where(notebook: str, cell: int, line: int | None = None) -> str:
    place = f"{notebook}, cell {cell}"
    return place if line is None else f"{place}, line {line + 1}"


def _is_marker_like(stripped: str) -> bool:
    """A comment that mentions BEGIN/END SOLUTION but is not exactly one of the markers."""
    upper = " ".join(stripped.upper().split())
    mentions = "BEGIN SOLUTION" in upper or "END SOLUTION" in upper
    return stripped.startswith("#") and mentions and stripped not in (BEGIN, END)


def find_regions(lines: Sequence[str], where: str) -> list[tuple[int, int]]:
    """The (begin, end) line indices of each BEGIN/END marker pair, in order.

    Refuses (``MarkerError``) an END without a BEGIN, a BEGIN without an END, a BEGIN
    inside an open region (nested markers), markers at different indentation, and a
    comment that looks like a marker but is not written exactly as one.
    """
    pairs: list[tuple[int, int]] = []
    open_at: int | None = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if _is_marker_like(stripped):
            raise MarkerError(f"{where}, line {i + 1}: {stripped!r} looks like a solution "
                              f"marker; write it exactly as {BEGIN!r} or {END!r}.")
        if stripped == BEGIN:
            if open_at is not None:
                raise MarkerError(f"{where}, line {i + 1}: nested markers: {BEGIN!r} inside "
                                  f"the region opened on line {open_at + 1}.")
            open_at = i
        elif stripped == END:
            if open_at is None:
                raise MarkerError(f"{where}, line {i + 1}: unpaired marker: {END!r} without "
                                  f"a {BEGIN!r} above it.")
            if _indent(lines[i]) != _indent(lines[open_at]):
                raise MarkerError(f"{where}, line {i + 1}: {END!r} is not indented like the "
                                  f"{BEGIN!r} on line {open_at + 1}.")
            pairs.append((open_at, i))
            open_at = None
    if open_at is not None:
        raise MarkerError(f"{where}, line {open_at + 1}: unpaired marker: {BEGIN!r} without "
                          f"an {END!r} below it.")
    return pairs


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def region_code(lines: Sequence[str], begin: int, end: int, where: str) -> str:
    """The solution between the markers, dedented to the markers' indentation.

    Refuses a line indented less than the markers and code that does not parse.
    """
    indent = _indent(lines[begin])
    body = lines[begin + 1 : end]
    for k, line in enumerate(body, start=begin + 1):
        if line.strip() and not line.startswith(indent):
            raise MarkerError(f"{where}, line {k + 1}: the solution is indented less than "
                              f"its {BEGIN!r} marker.")
    code = textwrap.dedent("\n".join(body)) if body else ""
    try:
        ast.parse(code)
    except SyntaxError as err:
        line = begin + 1 + (err.lineno or 1)
        raise MarkerError(f"{where}, line {line}: the solution region does not parse: "
                          f"{err.msg}.") from None
    return code


def _target_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    if isinstance(target, ast.Tuple | ast.List):
        return [name for element in target.elts for name in _target_names(element)]
    return []  # an attribute or a subscript assigns no new name


def assigned_names(code: str) -> list[str]:
    """The names a piece of top-level code assigns, in order of first assignment.

    Counts assignments (plain, augmented, annotated, unpacking) and ``def``/``class``
    names, also inside ``if``/``with``/``try`` blocks, but not loop variables, nor anything
    inside a function, class or comprehension (their own scope). Names assigned only inside
    a ``for``/``while`` body are working variables of the loop (``bp`` in ``for x in X:
    bp = …; Delta1 += …``) and count only when the code assigns no other name.
    """
    outside: list[str] = []
    in_loops: list[str] = []

    def visit(statements: Sequence[ast.stmt], in_loop: bool) -> None:
        for stmt in statements:
            found: list[str] = []
            if isinstance(stmt, ast.Assign):
                found = [n for target in stmt.targets for n in _target_names(target)]
            elif isinstance(stmt, ast.AugAssign | ast.AnnAssign):
                found = _target_names(stmt.target)
            elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                found = [stmt.name]
            names = in_loops if in_loop else outside
            names.extend(n for n in found if n not in names)
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            loop = in_loop or isinstance(stmt, ast.For | ast.AsyncFor | ast.While)
            visit(getattr(stmt, "body", []), loop)
            for field in ("orelse", "finalbody"):
                visit(getattr(stmt, field, []), in_loop)
            for handler in getattr(stmt, "handlers", []):
                visit(handler.body, in_loop)

    visit(ast.parse(code).body, False)
    return outside or in_loops


def _python_source(source: str) -> str:
    """The cell as plain Python (IPython's %magics and !commands turned into calls)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return source
    return TransformerManager().transform_cell(source)


def enclosing_function(source: str, line: int, where: str) -> str | None:
    """The name of the innermost ``def`` whose body holds line ``line`` (0-based), or None.

    The line is a marker (a comment), so it counts as inside a ``def`` when it lies after
    the ``def`` line, before the end of its body, and is indented deeper than the ``def``.
    """
    try:
        tree = ast.parse(_python_source(source))
    except SyntaxError as err:
        raise MarkerError(f"{where}, line {err.lineno}: the exercise cell does not parse: "
                          f"{err.msg}.") from None
    indent = len(_indent(source.split("\n")[line]))
    best: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    for node in ast.walk(tree):
        if (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and node.lineno < line + 1 <= (node.end_lineno or 0)
                and indent > node.col_offset
                and (best is None or node.lineno > best.lineno)):
            best = node
    return None if best is None else best.name


def _quoted(text: str) -> str:
    """``text`` as a double-quoted Python string literal."""
    literal = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    assert ast.literal_eval(literal) == text
    return literal


def _hint_above(lines: Sequence[str], begin: int) -> str | None:
    above = lines[begin - 1].strip() if begin > 0 else ""
    if not above.startswith(HINT):
        return None
    return above[len(HINT):].strip() or None


def make_scaffold(code: str, indent: str, function: str | None, hint: str | None,
                  where: str) -> tuple[str, ...]:
    """What the student sees instead of the solution ``code``.

    Inside a function: ``raise NotImplementedError("<hint>")``. At top level: one line
    ``name = ...`` per assigned name; a top-level region that assigns no name is refused.
    """
    if function is not None:
        message = hint or f"write the body of {function}"
        return (f"{indent}raise NotImplementedError({_quoted(message)})",)
    names = assigned_names(code)
    if not names:
        raise MarkerError(f"{where}: the solution region assigns no name, so the student copy "
                          "would have nothing to fill in; at top level a region must assign "
                          "the names the student writes (e.g. z2 = …).")
    return tuple(f"{indent}{name} = ..." for name in names)


def cell_regions(source: str, where: str) -> list[Region]:
    """Every solution region of one code cell, with its scaffold (see :func:`make_scaffold`)."""
    lines = source.split("\n")
    regions = []
    for begin, end in find_regions(lines, where):
        code = region_code(lines, begin, end, where)
        function = enclosing_function(source, begin, where) if _indent(lines[begin]) else None
        hint = _hint_above(lines, begin)
        scaffold = make_scaffold(code, _indent(lines[begin]), function, hint,
                                 f"{where}, line {begin + 1}")
        regions.append(Region(begin, end, tuple(lines[begin + 1 : end]), scaffold, function,
                              hint))
    return regions


def scaffold_source(source: str, regions: Sequence[Region]) -> str:
    """The cell's source with each region (markers included) replaced by its scaffold."""
    lines = source.split("\n")
    out: list[str] = []
    start = 0
    for region in regions:
        out += lines[start : region.begin] + list(region.scaffold)
        start = region.end + 1
    return "\n".join(out + lines[start:])


def paste_solutions(student_source: str, regions: Sequence[Region]) -> str:
    """Put the instructor's solutions back in place of the scaffolds of a student's cell.

    Raises ``ValueError`` when a scaffold is no longer there (the cell was edited).
    """
    lines = student_source.split("\n")
    out: list[str] = []
    start = 0
    for number, region in enumerate(regions, start=1):
        size = len(region.scaffold)
        at = next((i for i in range(start, len(lines) - size + 1)
                   if tuple(lines[i : i + size]) == region.scaffold), None)
        if at is None:
            raise ValueError(f"the scaffold of solution region {number} is not in the cell "
                             "any more (was it edited?).")
        out += lines[start:at] + list(region.solution)
        start = at + size
    return "\n".join(out + lines[start:])


def cell_tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _clear(cell: Any) -> None:
    cell.outputs = []
    cell.execution_count = None


def notebook_regions(nb: Any, name: str) -> dict[int, list[Region]]:
    """The solution regions of every code cell that has any, keyed by cell index."""
    found = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            regions = cell_regions(cell.source, _where(name, index))
            if regions:
                found[index] = regions
    return found


def student_notebook(nb: Any, name: str) -> Any:
    """A student copy of the instructor's notebook ``nb`` (which is left unchanged).

    Solution regions become scaffolds; exercise and check cells lose their outputs (a stale
    "✔" above an empty exercise would mislead); all other cells are kept as they are.
    """
    regions = notebook_regions(nb, name)
    copy_ = copy.deepcopy(nb)
    for index, cell in enumerate(copy_.cells):
        if index in regions:
            cell.source = scaffold_source(cell.source, regions[index])
        if cell.cell_type == "code" and (index in regions or {EXERCISE_TAG, CHECK_TAG}
                                         & set(cell_tags(cell))):
            _clear(cell)
    copy_.metadata[STUDENT_COPY_KEY] = {
        "instructor_notebook": Path(name).name,
        "solution_regions": sum(len(r) for r in regions.values()),
    }
    return copy_


def solved_notebook(student: Any, instructor: Any, name: str) -> Any:
    """The student copy with the instructor's solutions pasted back into its scaffolds."""
    regions = notebook_regions(instructor, name)
    solved = copy.deepcopy(student)
    for index, cell_regions_ in regions.items():
        cell = solved.cells[index]
        try:
            cell.source = paste_solutions(cell.source, cell_regions_)
        except ValueError as err:
            raise ValueError(f"{_where(name, index)}: {err}") from None
    return solved




def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
