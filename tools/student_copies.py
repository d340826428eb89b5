"""Student copies of the notebooks, and a checker for a student's notebook.

The notebooks in ``notebooks/`` are the instructor's version: each exercise cell (tagged
``exercise``) holds its solution between a line ``### BEGIN SOLUTION`` and a line
``### END SOLUTION``. A student copy replaces every such region by a scaffold:

* at top level, ``name = ...`` for each name the solution assigns (the check cell that
  follows then says "not implemented yet" and lets later cells use the reference value);
* inside a ``def``, ``raise NotImplementedError("<hint>")``, the hint taken from a line
  ``# Hint: …`` directly above ``### BEGIN SOLUTION``.

Everything else (explanations, figures, widgets, check cells) is kept; the outputs of the
exercise and check cells are cleared, and the notebook's metadata says it is a student copy.

    python tools/student_copies.py build [--out build/student] [NOTEBOOK ...]
    python tools/student_copies.py check SUBMISSION... [--csv grades.csv] [--json grades.json]
    python tools/student_copies.py nbgrader [--course build/nbgrader] [NOTEBOOK ...]

``build`` refuses to write anything when a solution line shows anywhere else in a copy
(:func:`find_leaks`). ``check`` grades students' notebooks (files, or folders of
``<student>/<notebook>.ipynb``) against the instructor's notebooks, in isolation and in
parallel; see ``tools/grade.py``. It exits with 0 only when every exercise passes.
``nbgrader`` writes nbgrader source notebooks; see ``tools/nbgrader_bridge.py``.

Cells are counted from 0 in the messages, as nbval counts them; lines from 1.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from notebook_runs import ROOT, SERIES_GLOB, series_notebooks

DEFAULT_OUT = ROOT / "build" / "student"

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
HINT = "# Hint:"
EXERCISE_TAG = "exercise"
CHECK_TAG = "check"
VERDICTS = ("✔", "✘", "…")
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


# ---------------------------------------------------------------------------------------------
# Leaks: a solution line shown anywhere in a student copy


class LeakError(MarkerError):
    """A line of a solution appears in the student copy outside its region."""


EXERCISE_MODULES = ROOT / "nbhelpers" / "course" / "exercises"
MIN_FRAGMENT = 8   # characters without spaces: shorter lines (``return d``, ``a = x``) are trivial


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _only_names(text: str) -> bool:
    """``delta``, ``Theta, costs``, ``return D_l``: names alone carry no answer."""
    body = text.strip()
    body = body[len("return"):] if body.startswith("return ") or body == "return" else body
    try:
        tree = ast.parse(body.strip() or "None", mode="eval").body
    except SyntaxError:
        return False
    items = tree.elts if isinstance(tree, ast.Tuple) else [tree]
    return all(isinstance(item, ast.Name | ast.Constant) for item in items)


def _trivial(fragment: str) -> bool:
    squeezed = _squeeze(fragment)
    return (len(squeezed) < MIN_FRAGMENT or fragment.lstrip().startswith("#")
            or squeezed.endswith(":") or squeezed.strip("()[]{},.") == ""
            or _only_names(fragment))


def solution_fragments(code: str) -> dict[str, str]:
    """The non-trivial pieces of a solution, squeezed (spaces removed) -> as written: every
    line that is not a comment or a block header, and the right-hand side of each assignment
    and ``return`` (``Theta[1] @ a1`` of ``z2 = Theta[1] @ a1``)."""
    found: dict[str, str] = {}
    for line in code.split("\n"):
        text = line.split(" #", 1)[0].strip()
        if not _trivial(text):
            found.setdefault(_squeeze(text), text)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return found
    for node in ast.walk(tree):
        value = getattr(node, "value", None)
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Return) and value \
                and not isinstance(value, ast.Name | ast.Constant | ast.Attribute):
            for text in {ast.get_source_segment(code, value) or "", ast.unparse(value)}:
                if not _trivial(text) and "\n" not in text:
                    found.setdefault(_squeeze(text), text)
    return found


def _output_texts(cell: Any) -> list[str]:
    texts = []
    for out in cell.get("outputs", []):
        texts.append(out.get("text", "") if isinstance(out.get("text", ""), str) else "")
        for key, value in out.get("data", {}).items():
            if key.startswith("text/") or key.endswith("json"):
                texts.append(value if isinstance(value, str) else json.dumps(value))
        texts += [str(out.get("evalue", ""))] + [str(t) for t in out.get("traceback", [])]
    return texts


def module_strings(folder: Path = EXERCISE_MODULES) -> dict[str, str]:
    """Every string written in the per-notebook exercise modules (their hints, ``todo`` texts
    and check messages), labelled by module and line."""
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                label = f"{_display(path)}, line {node.lineno}"
                found[label] = found.get(label, "") + "\n" + node.value
    return found


def find_leaks(instructor: Any, student: Any, name: str,
               extra: dict[str, str] | None = None) -> list[str]:
    """Where a solution piece of ``instructor`` shows in ``student`` outside its region (any
    cell's source, markdown or output) or in ``extra`` texts; one message per exercise and
    place, naming the exercise."""
    places: list[tuple[str, str]] = []
    for index, cell in enumerate(student.cells):
        places.append((f"cell {index} ({cell.cell_type} source)", _squeeze(cell.source)))
        for text in _output_texts(cell):
            places.append((f"cell {index} (output)", _squeeze(text)))
    places += [(label, _squeeze(text)) for label, text in (extra or {}).items()]
    leaks = []
    for index, regions in notebook_regions(instructor, name).items():
        cell = instructor.cells[index]
        ident = cell.get("metadata", {}).get("exercise") or f"cell {index}"
        # A synthesis exercise (the capstone, marked ``"synthesis": true`` in its metadata) puts
        # together pieces the notebook teaches in its own cells, code and prose: those are no
        # leak there, but hints, check messages and outputs still are.
        synthesis = bool(cell.get("metadata", {}).get("synthesis"))
        fragments: dict[str, str] = {}
        for region in regions:
            fragments.update(solution_fragments(textwrap.dedent("\n".join(region.solution))))
        for label, text in places:
            if synthesis and label.endswith(("(code source)", "(markdown source)")):
                continue
            shown = [written for squeezed, written in fragments.items() if squeezed in text]
            if shown:
                leaks.append(f"{name}: exercise {ident}: the solution line {shown[0]!r} appears "
                             f"outside its region, in {label}")
    return leaks


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def write_student_copies(paths: Sequence[Path], out: Path) -> list[tuple[Path, int]]:
    """Write one student copy per notebook into ``out`` (same file names).

    Every notebook is converted before anything is written, so a refused marker, or a
    solution line found outside its region (:func:`find_leaks`), leaves ``out`` untouched.
    Returns each written path with its number of solution regions.
    """
    copies = []
    extra = module_strings()
    leaks: list[str] = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        student = student_notebook(nb, _display(path))
        leaks += find_leaks(nb, student, _display(path), extra)
        copies.append((out / path.name, student))
    if leaks:
        raise LeakError("\n".join(leaks))
    out.mkdir(parents=True, exist_ok=True)
    for target, nb in copies:
        nbformat.write(nb, target)
    return [(target, nb.metadata[STUDENT_COPY_KEY]["solution_regions"])
            for target, nb in copies]


# ---------------------------------------------------------------------------------------------
# Checking a student's notebook


@dataclass(frozen=True)
class Verdict:
    """What one check cell (or a cell that stopped with an error) reported."""

    cell: int
    symbol: str
    message: str


def stdout_text(cell: Any) -> str:
    return "".join(out.get("text", "") for out in cell.get("outputs", [])
                   if out.get("output_type") == "stream" and out.get("name") == "stdout")


def _error(cell: Any) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename')}: {out.get('evalue')}"
    return None


def check_verdicts(nb: Any) -> list[Verdict]:
    """The verdicts of an executed notebook: each verdict line (✔/✘/…) of each check cell,
    and a ✘ for every cell that stopped with an error."""
    verdicts = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        error = _error(cell)
        if error is not None:
            verdicts.append(Verdict(index, "✘", f"the cell stopped with {error}"))
        elif CHECK_TAG in cell_tags(cell):
            lines = [ln for ln in stdout_text(cell).splitlines() if ln.startswith(VERDICTS)]
            verdicts += [Verdict(index, ln[0], ln[1:].strip()) for ln in lines] or [
                Verdict(index, "✘", "the check printed no verdict")]
    return verdicts


# ---------------------------------------------------------------------------------------------
# Command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="student_copies.py", description=(
        "Write student copies of the notebooks, or check a student's notebook."))
    commands = parser.add_subparsers(dest="command")
    build = commands.add_parser("build", help="write the student copies (the default)")
    build.add_argument("notebooks", nargs="*", type=Path,
                       help=f"instructor notebooks (default: notebooks/{SERIES_GLOB})")
    build.add_argument("--out", type=Path, default=DEFAULT_OUT,
                       help="folder for the copies (default: build/student)")
    check = commands.add_parser("check", help=(
        "grade students' notebooks against the instructor's (files or folders of "
        "<student>/<notebook>.ipynb)"))
    check.add_argument("submissions", nargs="+", type=Path, metavar="SUBMISSION")
    check.add_argument("--jobs", type=int, default=None,
                       help="submissions graded at once (default: the available cores)")
    check.add_argument("--csv", type=Path, default=None,
                       help="write one row per exercise (student, notebook, exercise, verdict, reason)")
    check.add_argument("--json", type=Path, default=None, help="write the same as JSON")
    check.add_argument("--timeout", type=float, default=60, help="seconds allowed per cell")
    check.add_argument("--notebook-timeout", type=float, default=600,
                       help="seconds allowed for the whole notebook")
    check.add_argument("--instructor", type=Path, action="append", default=None,
                       help=("an instructor notebook to grade against (repeat for several; "
                             f"default: notebooks/{SERIES_GLOB})"))
    bridge = commands.add_parser("nbgrader", help=(
        "write nbgrader source notebooks (solution cells, locked graded check cells)"))
    bridge.add_argument("notebooks", nargs="*", type=Path,
                        help=f"instructor notebooks (default: notebooks/{SERIES_GLOB})")
    bridge.add_argument("--course", type=Path, default=ROOT / "build" / "nbgrader",
                        help="the nbgrader course directory (default: build/nbgrader)")
    bridge.add_argument("--assignment", default="backprop",
                        help="the assignment's name (default: backprop)")
    bridge.add_argument("--points", type=float, default=1, help="points per exercise (default: 1)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: ``build`` (default) or ``check``; see the module docstring."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ("build", "check", "nbgrader", "-h", "--help"):
        args.insert(0, "build")
    options = _parser().parse_args(args)
    if options.command == "check":
        import grade
        return grade.check_main(options.submissions, options.jobs, options.csv, options.json,
                                options.timeout, options.notebook_timeout, options.instructor)
    if options.command == "nbgrader":
        import nbgrader_bridge
        try:
            written = nbgrader_bridge.write_course(options.notebooks or series_notebooks(),
                                                   options.course, options.assignment,
                                                   options.points)
        except MarkerError as err:
            print(f"nbgrader notebooks not written: {err}", file=sys.stderr)
            return 1
        for target in written:
            print(f"{_display(target)}: nbgrader source notebook")
        print(f"{_display(options.course / 'nbgrader_config.py')}: nbgrader configuration")
        return 0
    paths = options.notebooks or series_notebooks()
    if not paths:
        print(f"no notebooks matching notebooks/{SERIES_GLOB}", file=sys.stderr)
        return 2
    try:
        written = write_student_copies(paths, options.out)
    except MarkerError as err:
        print(f"student copies not written: {err}", file=sys.stderr)
        return 1
    for target, count in written:
        print(f"{_display(target)}: {count} solution region(s) replaced by scaffolds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
