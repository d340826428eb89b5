"""Grading students' notebooks against the instructor's: the ``check`` command of
``tools/student_copies.py``.

A submission is never run as it is. From each of its exercise cells (found by the exercise id
in the cell's metadata, never by position or tag) only the student's code is taken and pasted
into a fresh copy of the instructor's notebook whose solutions have been taken out; that copy
runs, with the instructor's check cells, in a kernel of its own:

* in a temporary directory (the kernel's working directory and home), against a fresh,
  read-only copy of ``nbhelpers`` first on the kernel's path (never the editable install);
* in a sandbox (bubblewrap, :mod:`grading.sandbox`): no network, the system read-only, no view
  of the instructor's repository, notebooks or home, a private PID namespace and ``/proc``,
  writes only in that directory, limits on time and memory. Where the sandbox cannot run,
  ``check`` refuses in one line, unless ``--no-sandbox``; the report then says so;
* before each check cell the grader puts the interpreter back as it was before any student
  code ran (builtins, numpy's namespace, import system, IPython hooks, the notebook's own
  variables) and imports ``nbhelpers`` again from that copy, so the check is the instructor's;
* after each check cell a cell of the grader's own reads the verdict from the freshly imported
  ``nbhelpers.course.feedback`` (``VERDICTS``, ``MESSAGES``, ``MISTAKES``) and returns it as an
  output that carries a random number drawn for this run; printed text is never read (the
  grader's cells in the kernel are :mod:`grading.kernel_side`);
* a per-cell and a whole-notebook time limit; the kernel's process group, and every process
  it left behind, is killed afterwards; the instructor's package and notebooks are compared
  with their state before the run, and restored if a submission changed them.

The parts are modules of ``tools/grading/``, one idea each (see its ``__init__``); this module
grades one submission and a class, and is the ``check`` command.

Every way a submission can fail (not a notebook, another course's notebook, a time limit, a
dead kernel) becomes one line and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from grading import sandbox
from grading.cells import graded_notebook, write_kernel_side, write_package
from grading.instructor import (  # noqa: F401 (names the tests and tools use from here)
    Course,
    Exercise,
    InstructorNotebook,
    load_instructor_notebook,
    restore_protected,
)
from grading.kernel import kernel_env, run_graded, set_subreaper
from grading.records import (  # noqa: F401
    CELL_TIMEOUT,
    ERROR,
    MISSING,
    NOT_DONE,
    NOT_RUN,
    NOTEBOOK_TIMEOUT,
    PASS,
    SYMBOLS,
    TIMEOUT,
    VERDICT_MIME,
    WRONG,
    Graded,
    Refused,
    Row,
)
from grading.report import (
    exercise_summary,
    format_submission,
    summary_table,
    write_csv,
    write_json,
)
from grading.submission import match_notebook, read_submission, student_code  # noqa: F401
from grading.verdicts import FORGED
from grading.verdicts import verdicts as read_verdicts

_kernel_env = kernel_env  # the name the tests know


def grade_submission(path: Path, course: Course, student: str = "",
                     cell_timeout: float = CELL_TIMEOUT,
                     notebook_timeout: float = NOTEBOOK_TIMEOUT, sandboxed: bool = True) -> Graded:
    """Grade one submission in a temporary directory of its own (see the module docstring),
    in the sandbox unless ``sandboxed`` is False."""
    start = time.perf_counter()
    student = student or path.parent.name
    graded = Graded(str(path), student, path.stem, sandboxed=sandboxed)
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
    tmp = Path(os.path.realpath(tempfile.mkdtemp(prefix="grade-")))
    try:
        pkg = tmp / "pkg"
        for sub in ("work", "home/.matplotlib", "tmp"):
            (tmp / sub).mkdir(parents=True)
        for name, content in course.mpl_cache.items():
            (tmp / "home/.matplotlib" / name).write_bytes(content)
        write_package(course, pkg)
        kernel_code = write_kernel_side(tmp / "grader")
        nb, notes = graded_notebook(cells, book, pkg, tmp / "work", nonce, kernel_code)
        tampered: list[str] = []
        problem = run_graded(nb, tmp, pkg, cell_timeout, notebook_timeout, course, tampered,
                             sandboxed=sandboxed, read_only=(pkg, tmp / "grader"))
        outcomes = read_verdicts(nb, book, nonce, notes)
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
        mistake = ""
        if ident in outcomes:
            verdict, reason, mistake = outcomes[ident]
            if reason.startswith(FORGED):
                graded.tampering.append(f"exercise {ident}: {reason}")
        elif problem and not stopped:
            verdict, reason, stopped = (TIMEOUT if "did not finish" in problem else ERROR), problem, True
        else:
            verdict, reason = NOT_RUN, "not run: the notebook stopped earlier" if problem else \
                "the check did not run"
        graded.rows.append(Row(student, book.name, ident, verdict, reason, mistake))
    for files, what in ((sorted(set(tampered)), "the grader's copy of nbhelpers"),
                        (changed, "the instructor's files")):
        if files:
            graded.rows = [Row(r.student, r.notebook, r.exercise,
                               WRONG if r.verdict == PASS else r.verdict,
                               f"{r.reason} [the submission changed {what}]", r.mistake)
                           for r in graded.rows]
            graded.tampering += [f"changed {what}: {file} (put back)" for file in files]
            problem = problem or f"it changed {what} (put back): {', '.join(files)}"
    graded.problem = f"{path}: {problem}" if problem else None
    graded.seconds = time.perf_counter() - start
    return graded


# ---------------------------------------------------------------------------------------------
# A class at once

_COURSE: Course | None = None


def _worker_init(course: Course) -> None:
    global _COURSE
    _COURSE = course
    set_subreaper()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker(task: tuple[str, str, float, float, bool]) -> Graded:
    path, student, cell_timeout, notebook_timeout, sandboxed = task
    assert _COURSE is not None
    try:
        return grade_submission(Path(path), _COURSE, student, cell_timeout, notebook_timeout,
                                sandboxed)
    except Exception as err:  # a bug of the grader must not hide the other submissions
        message = f"{path}: the grader failed: {type(err).__name__}: {err}"
        return Graded(path, student, Path(path).stem, [Row(student, Path(path).stem, "", ERROR,
                                                           message)], message,
                      sandboxed=sandboxed)


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
                notebook_timeout: float = NOTEBOOK_TIMEOUT, sandboxed: bool = True) -> list[Graded]:
    """Grade every submission, in parallel on ``jobs`` processes (default: the cores), each in
    the sandbox unless ``sandboxed`` is False."""
    course = course or Course.load()
    tasks = [(str(p), s, cell_timeout, notebook_timeout, sandboxed) for p, s in submissions(paths)]
    if not tasks:
        return []
    jobs = max(1, min(jobs or available_cores(), len(tasks)))
    with ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=_worker_init,
                             initargs=(course,)) as pool:
        return list(pool.map(_worker, tasks))


def check_main(paths: Sequence[Path], jobs: int | None, csv_path: Path | None,
               json_path: Path | None, cell_timeout: float, notebook_timeout: float,
               instructor: Sequence[Path] | None = None, *, no_sandbox: bool = False,
               summary: bool = False) -> int:
    """The ``check`` command: exit status 0 only when every exercise of every submission passes;
    2 when there is nothing to grade or the sandbox cannot run (and ``no_sandbox`` is not set)."""
    if not no_sandbox and (why := sandbox.problem()) is not None:
        print(f"not graded: {why}", file=sys.stderr)
        return 2
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        print(f"{p}: no such file or folder", file=sys.stderr)
    existing = [p for p in paths if p.exists()]
    if not existing:
        return 2
    course = Course.load(instructor)
    graded = grade_class(existing, course, jobs, cell_timeout, notebook_timeout, not no_sandbox)
    if not graded:
        print("no notebooks found in " + ", ".join(map(str, existing)), file=sys.stderr)
        return 2
    for g in graded:
        print(format_submission(g))
    if len(graded) > 1:
        print()
        print(summary_table(graded))
    if no_sandbox:
        print("WARNING: graded WITHOUT the sandbox (--no-sandbox): the submissions' code could "
              "reach the network, this machine's files and the instructor's notebooks")
    if summary:
        print()
        print(exercise_summary(graded))
    if csv_path:
        write_csv(graded, csv_path)
        print(f"wrote {csv_path}")
    if json_path:
        write_json(graded, json_path)
        print(f"wrote {json_path}")
    return 0 if not missing and all(g.passed for g in graded) else 1
