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
``nbgrader`` writes nbgrader source notebooks; see ``tools/nbgrader_bridge.py``. The solution
regions and scaffolds themselves are read by ``tools/grading/solutions.py``, which all three
commands share.

Cells are counted from 0 in the messages, as nbval counts them; lines from 1.
"""

import argparse
import ast
import json
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from grading.solutions import (  # noqa: F401 (the names the tests and tools use from here)
    BEGIN,
    CHECK_TAG,
    END,
    EXERCISE_TAG,
    HINT,
    STUDENT_COPY_KEY,
    MarkerError,
    Region,
    _display,
    _python_source,
    _where,
    assigned_names,
    cell_regions,
    cell_tags,
    enclosing_function,
    find_regions,
    make_scaffold,
    notebook_regions,
    paste_solutions,
    region_code,
    scaffold_source,
    solved_notebook,
    student_notebook,
)
from notebook_runs import ROOT, SERIES_GLOB, series_notebooks

DEFAULT_OUT = ROOT / "build" / "student"
VERDICTS = ("✔", "✘", "…")


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
                       help=("write one row per exercise (student, notebook, exercise, verdict, "
                             "mistake, sandboxed, reason)"))
    check.add_argument("--json", type=Path, default=None, help="write the same as JSON")
    check.add_argument("--timeout", type=float, default=60, help="seconds allowed per cell")
    check.add_argument("--notebook-timeout", type=float, default=600,
                       help="seconds allowed for the whole notebook")
    check.add_argument("--summary", action="store_true",
                       help="print, per exercise, how many passed and the most common mistakes")
    check.add_argument("--no-sandbox", action="store_true",
                       help="run the submissions' kernels without the sandbox (bubblewrap); "
                            "only for code you trust: the report says so")
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
                                options.timeout, options.notebook_timeout, options.instructor,
                                no_sandbox=options.no_sandbox, summary=options.summary)
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
