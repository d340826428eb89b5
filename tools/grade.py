"""Grading students' notebooks against the instructor's: the ``check`` command of
``tools/student_copies.py``.

A submission is never run as it is. From each of its exercise cells (found by the exercise id
in the cell's metadata, never by position or tag) only the student's code is taken and pasted
into a fresh copy of the instructor's notebook whose solutions have been taken out; that copy
runs, with the instructor's check cells, in a kernel of its own:

* in a temporary directory (the kernel's working directory and home), against a fresh,
  read-only copy of ``nbhelpers`` first on the kernel's path (never the editable install);
* before each check cell the grader puts the interpreter back as it was before any student
  code ran (builtins, numpy's namespace, import system, IPython hooks, the notebook's own
  variables) and imports ``nbhelpers`` again from that copy, so the check is the instructor's;
* after each check cell a cell of the grader's own reads the verdict from the freshly imported
  ``nbhelpers.course.feedback`` (``VERDICTS``, ``MESSAGES``) and returns it as an output that
  carries a random number drawn for this run; printed text is never read;
* a per-cell and a whole-notebook time limit; the kernel's process group, and every process
  it left behind, is killed afterwards; the instructor's package and notebooks are compared
  with their state before the run, and restored if a submission changed them.

Every way a submission can fail (not a notebook, another course's notebook, a time limit, a
dead kernel) becomes one line and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import ast
import compileall
import contextlib
import copy
import csv
import ctypes
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import nbformat
import student_copies as sc
from notebook_runs import (
    ROOT,
    kernel_client,
    series_notebooks,
)

PACKAGE = ROOT / "nbhelpers"
MAX_BYTES = 20_000_000
CELL_TIMEOUT = 60
COURSE_CELL_TIMEOUT = 60
STUDENT_ROLES = ("exercise", "check")  # the cells that run the student's code
NOTEBOOK_TIMEOUT = 600
VERDICT_MIME = "application/vnd.backprop-grader.verdict+json"

PASS, WRONG, NOT_DONE, MISSING = "pass", "wrong", "not done", "missing"
TIMEOUT, NOT_RUN, ERROR = "timeout", "not run", "error"
SYMBOLS = {PASS: "✔", WRONG: "✘", NOT_DONE: "…", MISSING: "∅", TIMEOUT: "⏱", NOT_RUN: "-", ERROR: "!"}


class Refused(Exception):
    """A submission that cannot be graded; the message is the one-line report."""


@dataclass(frozen=True)
class Row:
    """One line of the class's CSV: one exercise of one student's notebook."""

    student: str
    notebook: str
    exercise: str
    verdict: str
    reason: str


@dataclass
class Graded:
    """The grading of one submission: a row per exercise and, if it failed, the one-line
    report of the failure (``problem``)."""

    path: str
    student: str
    notebook: str
    rows: list[Row] = field(default_factory=list)
    problem: str | None = None
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.problem is None and bool(self.rows) and all(r.verdict == PASS for r in self.rows)


# ---------------------------------------------------------------------------------------------
# The instructor's side: notebooks, exercises, the pristine package


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


# ---------------------------------------------------------------------------------------------
# The submission's side


def read_submission(path: Path) -> Any:
    """The submission as a notebook, or ``Refused`` with a one-line reason."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise Refused(f"cannot be read ({err.strerror})") from None
    if not path.is_file():
        raise Refused("is not a file")
    if size == 0:
        raise Refused("is empty, not a notebook")
    if size > MAX_BYTES:
        raise Refused(f"is {size / 1e6:.0f} MB, too large for a notebook of this course")
    data = path.read_bytes()
    if b"\x00" in data:
        raise Refused("is a binary file, not a notebook")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("is a binary file, not a notebook") from None
    try:
        raw = json.loads(text)
    except ValueError as err:
        raise Refused(f"is not a notebook: not valid JSON ({str(err).split(':')[0]})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        raise Refused("is not a notebook: no list of cells")
    cells = []
    for cell in raw["cells"]:
        if not isinstance(cell, dict):
            raise Refused("is not a notebook: a cell is not an object")
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise Refused("is not a notebook: a cell's source is not text")
        metadata = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        cells.append(nbformat.from_dict({"cell_type": str(cell.get("cell_type", "")),
                                         "source": source, "metadata": metadata}))
    return cells


def match_notebook(cells: Sequence[Any], course: Course) -> InstructorNotebook:
    """The instructor notebook whose exercise ids the submission's cells carry most."""
    ids = {_exercise_id(cell) for cell in cells} - {None}
    best = max(course.notebooks.values(), key=lambda b: (len(ids & set(b.exercises)), b.name),
               default=None)
    if best is None or not ids & set(best.exercises):
        raise Refused("is not a notebook of this course: no cell carries the exercise id of "
                      "one of the course's exercises")
    return best


def _extract(lines: list[str], chunks: Sequence[Sequence[str]]) -> list[list[str]] | None:
    """The student's code of each region: what lies between the instructor's unchanged
    lines around the regions; None when those lines were changed."""
    def same(a: Sequence[str], b: Sequence[str]) -> bool:
        return [x.rstrip() for x in a] == [x.rstrip() for x in b]

    first, last = chunks[0], chunks[-1]
    if len(lines) < len(first) + len(last) or not same(lines[:len(first)], first):
        return None
    if last and not same(lines[len(lines) - len(last):], last):
        return None
    body = lines[len(first):len(lines) - len(last)]
    regions, start = [], 0
    for chunk in chunks[1:-1]:
        at = next((i for i in range(start, len(body) - len(chunk) + 1)
                   if same(body[i:i + len(chunk)], chunk)), None)
        if at is None:
            return None
        regions.append(body[start:at])
        start = at + len(chunk)
    regions.append(body[start:])
    return regions


def student_code(cells: Sequence[Any], book: InstructorNotebook,
                 exercise: Exercise) -> tuple[str | None, str]:
    """The source to run for one exercise and a note: the instructor's cell with the
    student's code in its regions; the student's cell as written when its lines outside the
    regions were changed; None when the submission has no cell for the exercise."""
    check_sources = {book.nb.cells[i].source.strip() for i in exercise.checks}
    candidates = [c.source for c in cells if c.cell_type == "code"
                  and _exercise_id(c) == exercise.id and c.source.strip() not in check_sources]
    for source in candidates:
        regions = _extract(source.split("\n"), exercise.chunks)
        if regions is not None:
            merged: list[str] = list(exercise.chunks[0])
            for region, chunk in zip(regions, exercise.chunks[1:], strict=True):
                merged += region + list(chunk)
            return "\n".join(merged), ""
    if candidates:
        return candidates[0], "the cell was changed outside its exercise region; graded as written"
    return None, ""


# ---------------------------------------------------------------------------------------------
# The grader's own cells in the kernel

SETUP = '''\
def _grader_setup():
    import builtins, importlib, sys, threading, types
    import numpy
    from IPython import get_ipython
    ip = get_ipython()
    pkg = {pkg!r}
    state = types.ModuleType({state!r})
    sys.meta_path[:] = [f for f in sys.meta_path
                        if not getattr(f, "__module__", "").startswith("__editable__")]
    sys.path_hooks[:] = [h for h in sys.path_hooks
                         if not getattr(h, "__module__", "").startswith("__editable__")]
    sys.path[:] = [pkg] + [p for p in sys.path if p not in ("", ".", pkg, {cwd!r})]
    sys.path_importer_cache.clear()
    importlib.invalidate_caches()
    state.pkg = pkg
    state.builtins_module = builtins
    state.builtins = dict(vars(builtins))
    state.modules = {{m.__name__: (m, dict(vars(m))) for m in (numpy, numpy.linalg, numpy.random,
                     importlib)}}
    state.path = list(sys.path)
    state.meta_path = list(sys.meta_path)
    state.path_hooks = list(sys.path_hooks)
    state.events = {{k: list(v) for k, v in ip.events.callbacks.items()}}
    state.transformers = (list(ip.input_transformers_cleanup), list(ip.input_transformers_post),
                          list(ip.ast_transformers))
    state.displayhook = sys.displayhook
    state.settrace = (sys.settrace, sys.setprofile, threading.settrace, threading.setprofile)
    state.names = {{}}
    state.threads = set(threading.enumerate())

    def foreign_threads():
        """Threads started after the setup that run code of the notebook (not a library's)."""
        library = (sys.prefix, sys.base_prefix, pkg, "<frozen")
        frames = sys._current_frames()
        found = []
        for thread in threading.enumerate():
            if thread in state.threads or thread is threading.current_thread():
                continue
            frame = frames.get(thread.ident)
            while frame is not None:
                if not frame.f_code.co_filename.startswith(library):
                    found.append(thread)
                    break
                frame = frame.f_back
        return found

    state.foreign_threads = foreign_threads
    sys.modules[state.__name__] = state


_grader_setup()
del _grader_setup
'''

KEEP = '''\
def _grader_keep(names):
    import sys
    state = sys.modules[{state!r}]
    ns = get_ipython().user_ns
    state.names = {{k: ns[k] for k in names if k in ns}}


_grader_keep({names!r})
del _grader_keep
'''

RESET = '''\
def _grader_reset():
    import sys
    state = sys.modules[{state!r}]
    builtins = state.builtins_module
    sys.modules["builtins"] = builtins
    for key in [k for k in vars(builtins) if k not in state.builtins]:
        delattr(builtins, key)
    for key, value in state.builtins.items():
        setattr(builtins, key, value)
    for name, (module, saved) in state.modules.items():
        sys.modules[name] = module
        for key, value in saved.items():
            if vars(module).get(key, state) is not value:
                setattr(module, key, value)
    import ctypes
    for thread in state.foreign_threads():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident),
                                                   ctypes.py_object(SystemExit))
    for thread in state.foreign_threads():
        thread.join(0.2)
    settrace, setprofile, thread_settrace, thread_setprofile = state.settrace
    settrace(None)
    setprofile(None)
    thread_settrace(None)
    thread_setprofile(None)
    sys.displayhook = state.displayhook
    sys.path[:] = state.path
    sys.meta_path[:] = state.meta_path
    sys.path_hooks[:] = state.path_hooks
    sys.path_importer_cache.clear()
    ip = get_ipython()
    for key, callbacks in state.events.items():
        ip.events.callbacks[key] = list(callbacks)
    cleanup, post, ast_ = state.transformers
    ip.input_transformers_cleanup[:] = cleanup
    ip.input_transformers_post[:] = post
    ip.ast_transformers[:] = ast_
    ns = ip.user_ns
    ns["__builtins__"] = builtins
    ns.update(state.names)
    for name in [n for n in sys.modules if n == "nbhelpers" or n.startswith("nbhelpers.")]:
        del sys.modules[name]
    import importlib
    importlib.invalidate_caches()
    import nbhelpers.course.feedback as feedback
    import nbhelpers.course.exercises  # noqa: F401
    state.feedback = feedback
    state.verdicts = feedback.VERDICTS
    state.messages = getattr(feedback, "MESSAGES", {{}})
    state.verdicts.clear()
    state.messages.clear()


_grader_reset()
del _grader_reset
{imports}


def _grader_snapshot():
    import sys
    state = sys.modules[{state!r}]
    state.package = {{name: (module, dict(vars(module))) for name, module in sys.modules.items()
                     if name == "nbhelpers" or name.startswith("nbhelpers.")}}


_grader_snapshot()
del _grader_snapshot
'''

READ = '''\
def _grader_read():
    import sys
    state = sys.modules[{state!r}]
    problems = []
    for name, module in list(sys.modules.items()):
        if name == "nbhelpers" or name.startswith("nbhelpers."):
            where = getattr(module, "__file__", None) or ""
            if not where.startswith(state.pkg):
                problems.append(f"{{name}} was not imported from the grader's copy")
    for name, (module, saved) in [*state.modules.items(), *state.package.items()]:
        changed = [k for k, v in saved.items() if vars(module).get(k, state) is not v]
        if changed:
            problems.append(f"{{name}}.{{changed[0]}} was changed while the check ran")
    for thread in state.foreign_threads():
        problems.append(f"a thread started by the notebook's code was running ({{thread.name}})")
    verdict = state.verdicts.get({exercise!r})
    return {{{mime!r}: {{"nonce": {nonce!r}, "exercise": {exercise!r},
             "passed": verdict if isinstance(verdict, bool) else None,
             "message": str(state.messages.get({exercise!r}, "")),
             "tampered": "; ".join(problems)}}}}


from IPython.display import display as _grader_display
_grader_display(_grader_read(), raw=True)
del _grader_read, _grader_display
'''

GRADER = "grader"


def _grader_cell(source: str, role: str, exercise: str = "") -> Any:
    return nbformat.v4.new_code_cell(source, metadata={GRADER: {"role": role, "exercise": exercise}})


def graded_notebook(cells: Sequence[Any], book: InstructorNotebook, pkg: Path, cwd: Path,
                    nonce: str) -> tuple[Any, dict[str, str]]:
    """The instructor's notebook with the student's code in its exercise cells and the
    grader's cells around its check cells; and a note per exercise (missing, edited)."""
    state = f"_grader_state_{nonce}"
    nb = copy.deepcopy(book.nb)
    notes: dict[str, str] = {}
    by_cell = {e.cell: e for e in book.exercises.values()}
    check_of = {i: e for e in book.exercises.values() for i in e.checks}
    out = [_grader_cell(SETUP.format(pkg=str(pkg), state=state, cwd=str(cwd)), "setup")]
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
            out.append(_grader_cell(KEEP.format(state=state, names=keep), "keep", exercise.id))
            cell.source = source
            cell.metadata[GRADER] = {"role": "exercise", "exercise": exercise.id, "index": index}
            out.append(cell)
            continue
        if index in check_of:
            exercise = check_of[index]
            out.append(_grader_cell(RESET.format(state=state, imports=book.imports), "reset",
                                    exercise.id))
            cell.metadata[GRADER] = {"role": "check", "exercise": exercise.id, "index": index}
            out.append(cell)
            out.append(_grader_cell(READ.format(state=state, exercise=exercise.id, nonce=nonce,
                                                mime=VERDICT_MIME), "read", exercise.id))
        else:
            out.append(cell)
        defined |= _bound_names(cell.source)
    nb.cells = out
    return nb, notes


# ---------------------------------------------------------------------------------------------
# Running one submission


def _write_package(course: Course, folder: Path) -> None:
    for rel, (content, mtime) in course.package.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        os.utime(target, ns=(mtime, mtime))
    for path in sorted(folder.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)


def _changed_package(course: Course, folder: Path) -> list[str]:
    """The files of the grader's copy of the package that differ from the pristine ones
    (changed, added or removed); the copy is written afresh when any did."""
    now = {str(p.relative_to(folder)): p for p in folder.rglob("*") if p.is_file()}
    changed = sorted(set(now) ^ set(course.package))
    changed += [rel for rel, path in now.items()
                if rel in course.package and path.read_bytes() != course.package[rel][0]]
    if changed:
        for path in sorted(folder.rglob("*"), reverse=True):
            with contextlib.suppress(OSError):
                path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(folder, ignore_errors=True)
        _write_package(course, folder)
    return changed


def _kernel_env(tmp: Path, pkg: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PWD", "OLDPWD", "PYTHONSTARTUP")
           and not k.startswith(("JPY_", "PYTEST", "COV_"))}
    home = tmp / "home"
    env.update(HOME=str(home), IPYTHONDIR=str(home / ".ipython"),
               MPLCONFIGDIR=str(home / ".matplotlib"), PYTHONPATH=str(pkg),
               PYTHONNOUSERSITE="1", PYTHONDONTWRITEBYTECODE="1", TMPDIR=str(tmp / "tmp"),
               MPLBACKEND="module://matplotlib_inline.backend_inline")
    return env


_REAPER = False


def _set_subreaper() -> None:
    """Orphans of the kernel (double forks, setsid) become children of this process, so
    that they can be found and ended (Linux only; elsewhere the process group must do).
    Called in the grading worker processes only, whose only children are kernels."""
    global _REAPER
    with contextlib.suppress(Exception):
        _REAPER = ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # CHILD_SUBREAPER


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _end_processes(group: int | None) -> None:
    """Kill the kernel's process group, then every process left as our child."""
    if group is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)
    if not _REAPER or not Path("/proc").is_dir():
        return
    for _ in range(50):
        orphans = _children(os.getpid())
        if not orphans:
            return
        for pid in orphans:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        for pid in orphans:
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, 0)


def _first_line(text: object) -> str:
    lines = str(text or "").splitlines()
    return lines[0][:200] if lines else ""


def _errors(cell: Any) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename')}: {_first_line(out.get('evalue'))}"
    return None


def _read_verdict(cell: Any, nonce: str, exercise: str) -> dict[str, Any] | None:
    found = [out["data"][VERDICT_MIME] for out in cell.get("outputs", [])
             if out.get("output_type") == "display_data" and VERDICT_MIME in out.get("data", {})]
    genuine = [v for v in found if isinstance(v, dict) and v.get("nonce") == nonce
               and v.get("exercise") == exercise]
    return genuine[0] if len(found) == 1 and len(genuine) == 1 else None


def _verdicts(nb: Any, book: InstructorNotebook, nonce: str,
              notes: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Each exercise's (verdict, reason) from the grader's own read cells."""
    results: dict[str, list[tuple[str, str]]] = {}
    student_error: dict[str, str] = {}
    check_error: dict[str, str] = {}
    for cell in nb.cells:
        info = cell.metadata.get(GRADER, {})
        role, ident = info.get("role"), info.get("exercise", "")
        if role == "exercise" and _errors(cell):
            student_error[ident] = f"your cell stopped with {_errors(cell)}"
        elif role == "check" and _errors(cell):
            check_error[ident] = f"the check stopped with {_errors(cell)}"
        elif role == "read":
            if cell.get("execution_count") is None:
                continue  # the notebook stopped before it
            got = _read_verdict(cell, nonce, ident)
            if got is None:
                results.setdefault(ident, []).append(
                    (WRONG, "no genuine verdict came back from the check (forged or lost)"))
            elif got.get("tampered"):
                results.setdefault(ident, []).append(
                    (WRONG, f"the check was tampered with: {got['tampered']}"))
            elif got.get("passed") is True:
                results.setdefault(ident, []).append((PASS, got.get("message", "")))
            elif got.get("passed") is False:
                message = got.get("message", "")
                verdict = NOT_DONE if message.startswith("…") else WRONG
                results.setdefault(ident, []).append((verdict, message))
            else:
                reason = student_error.get(ident) or check_error.get(ident) or \
                    "the check reported no verdict under this exercise's id"
                results.setdefault(ident, []).append((WRONG, reason))
    final: dict[str, tuple[str, str]] = {}
    for ident, exercise in book.exercises.items():
        outcome = results.get(ident)
        if notes.get(ident) == MISSING:
            final[ident] = (MISSING, "the submission has no cell for this exercise")
        elif not exercise.checks:
            final[ident] = (ERROR, "the instructor's notebook has no check cell for this exercise")
        elif not outcome:
            continue
        else:
            bad = [o for o in outcome if o[0] != PASS]
            verdict, reason = bad[0] if bad else outcome[-1]
            if verdict != PASS and ident in student_error and student_error[ident] not in reason:
                reason = f"{reason} ({student_error[ident]})"
            note = notes.get(ident)
            final[ident] = (verdict, f"{reason} [{note}]" if note else reason)
    return final


def _cell_label(cell: Any) -> str:
    info = cell.metadata.get(GRADER, {})
    if info.get("exercise"):
        return f"exercise {info['exercise']}"
    return f"cell {info.get('index', '?')}"


def run_graded(nb: Any, tmp: Path, pkg: Path, cell_timeout: float, notebook_timeout: float,
               course: Course | None = None, tampered: list[str] | None = None) -> str | None:
    """Execute the graded notebook in its own kernel; the one-line problem, if any.

    Before each of the grader's reset cells, and at the end, the grader's copy of the
    package is compared with the pristine files (outside the kernel); a change is put right
    and named in ``tampered``."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    work = tmp / "work"
    client = kernel_client(nb, work, cell_timeout, allow_errors=True, interrupt_on_timeout=False,
                           shutdown_kernel="immediate", startup_timeout=60)
    deadline = time.monotonic() + notebook_timeout
    group = None
    problem = None
    try:
        with client.setup_kernel(env=_kernel_env(tmp, pkg), cwd=str(work),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            pid = getattr(client.km.provisioner, "pid", None)
            with contextlib.suppress(OSError, TypeError):
                group = os.getpgid(pid)
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                left = deadline - time.monotonic()
                if left <= 0:
                    return (f"the notebook did not finish in {notebook_timeout:g} s "
                            f"(stopped before {_cell_label(cell)})")
                if (course is not None and tampered is not None
                        and cell.metadata.get(GRADER, {}).get("role") == "reset"):
                    tampered += _changed_package(course, pkg)
                # the limit is for the student's code; the course's own cells (imports, the
                # grader's bookkeeping) get at least COURSE_CELL_TIMEOUT, so a loaded machine
                # does not turn an import into a student's timeout
                role = cell.metadata.get(GRADER, {}).get("role")
                limit = cell_timeout if role in STUDENT_ROLES else max(cell_timeout, COURSE_CELL_TIMEOUT)
                per_cell = min(limit, left)
                client.timeout = max(1, int(per_cell))
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    if per_cell < limit:
                        return (f"the notebook did not finish in {notebook_timeout:g} s "
                                f"(stopped in {_cell_label(cell)})")
                    return f"{_cell_label(cell)} did not finish in {client.timeout} s"
                except DeadKernelError:
                    return (f"the kernel died while running {_cell_label(cell)} "
                            "(os._exit, a crash or out of memory)")
    except Exception as err:  # the kernel did not start, or nbclient failed
        problem = f"the kernel failed: {type(err).__name__}: {_first_line(err)}"
    finally:
        _end_processes(group)
        if course is not None and tampered is not None:
            tampered += _changed_package(course, pkg)
    return problem


def grade_submission(path: Path, course: Course, student: str = "",
                     cell_timeout: float = CELL_TIMEOUT,
                     notebook_timeout: float = NOTEBOOK_TIMEOUT) -> Graded:
    """Grade one submission in a temporary directory of its own (see the module docstring)."""
    start = time.perf_counter()
    student = student or path.parent.name
    graded = Graded(str(path), student, path.stem)
    try:
        cells = read_submission(path)
        book = match_notebook(cells, course)
    except Refused as refused:
        graded.problem = f"{path}: {refused}"
        graded.rows = [Row(student, path.stem, "", ERROR, str(refused))]
        graded.seconds = time.perf_counter() - start
        return graded
    graded.notebook = book.name
    nonce = secrets.token_hex(16)
    tmp = Path(tempfile.mkdtemp(prefix="grade-"))
    try:
        pkg = tmp / "pkg"
        for sub in ("work", "home/.matplotlib", "tmp"):
            (tmp / sub).mkdir(parents=True)
        for name, content in course.mpl_cache.items():
            (tmp / "home/.matplotlib" / name).write_bytes(content)
        _write_package(course, pkg)
        nb, notes = graded_notebook(cells, book, pkg, tmp / "work", nonce)
        tampered: list[str] = []
        problem = run_graded(nb, tmp, pkg, cell_timeout, notebook_timeout, course, tampered)
        verdicts = _verdicts(nb, book, nonce, notes)
    finally:
        for folder in sorted(tmp.rglob("*"), reverse=True):
            with contextlib.suppress(OSError):
                folder.chmod(0o755 if folder.is_dir() and not folder.is_symlink() else 0o644)
        with contextlib.suppress(OSError):
            tmp.chmod(0o755)
        shutil.rmtree(tmp, ignore_errors=True)
    changed = restore_protected(course)
    stopped = False
    for ident in book.exercises:
        if ident in verdicts:
            verdict, reason = verdicts[ident]
        elif problem and not stopped:
            verdict, reason, stopped = (TIMEOUT if "did not finish" in problem else ERROR), problem, True
        else:
            verdict, reason = NOT_RUN, "not run: the notebook stopped earlier" if problem else \
                "the check did not run"
        graded.rows.append(Row(student, book.name, ident, verdict, reason))
    for files, what in ((sorted(set(tampered)), "the grader's copy of nbhelpers"),
                        (changed, "the instructor's files")):
        if files:
            graded.rows = [Row(r.student, r.notebook, r.exercise,
                               WRONG if r.verdict == PASS else r.verdict,
                               f"{r.reason} [the submission changed {what}]") for r in graded.rows]
            problem = problem or f"it changed {what} (put back): {', '.join(files[:3])}"
    graded.problem = f"{path}: {problem}" if problem else None
    graded.seconds = time.perf_counter() - start
    return graded


# ---------------------------------------------------------------------------------------------
# A class at once

_COURSE: Course | None = None


def _worker_init(course: Course) -> None:
    global _COURSE
    _COURSE = course
    _set_subreaper()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker(task: tuple[str, str, float, float]) -> Graded:
    path, student, cell_timeout, notebook_timeout = task
    assert _COURSE is not None
    try:
        return grade_submission(Path(path), _COURSE, student, cell_timeout, notebook_timeout)
    except Exception as err:  # a bug of the grader must not hide the other submissions
        message = f"{path}: the grader failed: {type(err).__name__}: {err}"
        return Graded(path, student, Path(path).stem, [Row(student, Path(path).stem, "", ERROR,
                                                           message)], message)


def submissions(paths: Sequence[Path]) -> list[tuple[Path, str]]:
    """Each notebook to grade with its student: a folder is read as
    ``<folder>/<student>/<notebook>.ipynb``; a notebook directly in the folder given, or a
    file given, belongs to the student its folder is named after."""
    found: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            for nb in sorted(path.rglob("*.ipynb")):
                if ".ipynb_checkpoints" in nb.parts:
                    continue
                rel = nb.relative_to(path)
                found.append((nb, rel.parts[0] if len(rel.parts) > 1 else path.resolve().name))
        else:
            found.append((path, path.parent.name or path.stem))
    return found


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def grade_class(paths: Sequence[Path], course: Course | None = None, jobs: int | None = None,
                cell_timeout: float = CELL_TIMEOUT,
                notebook_timeout: float = NOTEBOOK_TIMEOUT) -> list[Graded]:
    """Grade every submission, in parallel on ``jobs`` processes (default: the cores)."""
    course = course or Course.load()
    tasks = [(str(p), s, cell_timeout, notebook_timeout) for p, s in submissions(paths)]
    if not tasks:
        return []
    jobs = max(1, min(jobs or available_cores(), len(tasks)))
    with ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=_worker_init,
                             initargs=(course,)) as pool:
        return list(pool.map(_worker, tasks))


def write_csv(graded: Sequence[Graded], target: Path) -> None:
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "notebook", "exercise", "verdict", "reason"])
        for g in graded:
            for r in g.rows:
                writer.writerow([r.student, r.notebook, r.exercise, r.verdict, r.reason])


def write_json(graded: Sequence[Graded], target: Path) -> None:
    target.write_text(json.dumps([asdict(g) for g in graded], ensure_ascii=False, indent=1),
                      encoding="utf-8")


def format_submission(g: Graded) -> str:
    """A submission's report: a head line, then one line per exercise."""
    right = sum(r.verdict == PASS for r in g.rows if r.exercise)
    total = sum(1 for r in g.rows if r.exercise)
    lines = [g.problem] if g.problem else []
    if total:
        lines.insert(0, f"{g.path} ({g.student}, {g.notebook}): {right} of {total} exercise(s) right")
        width = max(len(r.exercise) for r in g.rows)
        lines += [f"  {r.exercise:<{width}}  {SYMBOLS.get(r.verdict, '?')} {r.verdict:<8}  "
                  f"{r.reason[2:] if r.reason[:2] in ('✔ ', '✘ ', '… ') else r.reason}"
                  for r in g.rows if r.exercise]
    return "\n".join(lines)


def summary_table(graded: Sequence[Graded]) -> str:
    """One line per submission: right, wrong, not done, missing, other; and a total."""
    heads = ["student", "notebook", "right", "wrong", "not done", "missing", "other", "seconds"]
    rows = []
    for g in graded:
        counts = [sum(r.verdict == v for r in g.rows if r.exercise) for v in (PASS, WRONG, NOT_DONE,
                                                                               MISSING)]
        other = sum(r.verdict not in (PASS, WRONG, NOT_DONE, MISSING) for r in g.rows)
        total = sum(1 for r in g.rows if r.exercise)
        rows.append([g.student, g.notebook, f"{counts[0]}/{total}", *map(str, counts[1:]),
                     str(other), f"{g.seconds:.1f}"])
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(heads)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    passed = sum(g.passed for g in graded)
    return "\n".join([fmt.format(*heads), fmt.format(*("-" * w for w in widths))]
                     + [fmt.format(*r) for r in rows]
                     + [f"{passed} of {len(graded)} submission(s) pass every exercise"])


def check_main(paths: Sequence[Path], jobs: int | None, csv_path: Path | None,
               json_path: Path | None, cell_timeout: float, notebook_timeout: float,
               instructor: Sequence[Path] | None = None) -> int:
    """The ``check`` command: exit status 0 only when every exercise of every submission passes."""
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        print(f"{p}: no such file or folder", file=sys.stderr)
    existing = [p for p in paths if p.exists()]
    if not existing:
        return 2
    course = Course.load(instructor)
    graded = grade_class(existing, course, jobs, cell_timeout, notebook_timeout)
    if not graded:
        print("no notebooks found in " + ", ".join(map(str, existing)), file=sys.stderr)
        return 2
    for g in graded:
        print(format_submission(g))
    if len(graded) > 1:
        print()
        print(summary_table(graded))
    if csv_path:
        write_csv(graded, csv_path)
        print(f"wrote {csv_path}")
    if json_path:
        write_json(graded, json_path)
        print(f"wrote {json_path}")
    return 0 if not missing and all(g.passed for g in graded) else 1
