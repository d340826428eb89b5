"""How long grading takes: one notebook against its own run, and a class at once.

:func:`grading_rows` returns the measurements as rows (for ``make bench``):

* ``own run``: the instructor's notebook executed in a fresh kernel (kernel start included),
  as ``tools/execute_notebooks.py`` runs it — the median of ``repeats`` runs;
* ``graded``: ``check`` of a right submission of the same notebook (temporary directory,
  pristine package, the grader's cells, the kernel in its sandbox, ended) — the median of
  ``repeats`` runs;
* ``overhead``: the median of graded minus own run, each pair run in turn (goal: ≤ 2 s);
* ``sandbox``: the median of graded minus the same check with ``--no-sandbox``, each pair run in
  turn (what bubblewrap costs);
* ``class``: ``class_size`` submissions of the notebook (right and wrong alternating) graded
  by one ``check`` of their folder on ``jobs`` processes, in the sandbox (goal: 30 on 2 cores in
  90 s).

Where the sandbox cannot run, everything is measured without it and the rows say so.

    python tools/bench_grading.py [NOTEBOOK] [--class-size 30] [--jobs 2]
"""

from __future__ import annotations

import argparse
import copy
import functools
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import grade
import nbformat
import student_copies as sc
from grading import sandbox
from nbclient import NotebookClient

DEFAULT_NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "01-forward-propagation.ipynb"


def own_run_seconds(nb: Any, cwd: Path) -> float:
    """Seconds to execute ``nb`` top to bottom in a fresh kernel, kernel start included."""
    nb = copy.deepcopy(nb)
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return time.perf_counter() - start


def _wrong(student: Any) -> Any:
    """A submission of the student copy whose every exercise is wrong: each placeholder
    ``name = ...`` becomes ``name = None`` and each ``raise NotImplementedError`` a
    ``raise ValueError``, so every check runs and says ✘."""
    wrong = copy.deepcopy(student)
    for cell in wrong.cells:
        if cell.cell_type == "code" and sc.EXERCISE_TAG in sc.cell_tags(cell):
            cell.source = cell.source.replace(" = ...", " = None").replace(
                "raise NotImplementedError", "raise ValueError")
    return wrong


def grading_rows(notebook: Path = DEFAULT_NOTEBOOK, class_size: int = 30, jobs: int = 2,
                 repeats: int = 3) -> list[dict[str, Any]]:
    """The measurements described in the module docstring, one dict per row:
    ``{"measure", "seconds", "detail"}``."""
    instructor = nbformat.read(notebook, as_version=4)
    name = sc._display(notebook)
    student = sc.student_notebook(instructor, name)
    right = sc.solved_notebook(student, instructor, name)
    course = grade.Course.load([notebook])
    boxed = sandbox.problem() is None
    where = "in the sandbox" if boxed else f"WITHOUT the sandbox ({sandbox.problem()})"
    own, graded, unboxed = [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        folder = Path(tmp)
        submission = folder / "one" / notebook.name
        submission.parent.mkdir()
        nbformat.write(right, submission)
        for _ in range(repeats):  # in turn, so that the machine's load weighs on both alike
            own.append(own_run_seconds(instructor, notebook.parent))
            start = time.perf_counter()
            result = grade.grade_submission(submission, course, "one", sandboxed=boxed)
            graded.append(time.perf_counter() - start)
            start = time.perf_counter()
            grade.grade_submission(submission, course, "one", sandboxed=False)
            unboxed.append(time.perf_counter() - start)
        verdicts = ", ".join(f"{r.exercise} {r.verdict}" for r in result.rows)
        klass = folder / "class"
        for i in range(class_size):
            target = klass / f"student{i:02d}" / notebook.name
            target.parent.mkdir(parents=True)
            nbformat.write(right if i % 2 == 0 else _wrong(student), target)
        start = time.perf_counter()
        results = grade.grade_class([klass], course, jobs=jobs, sandboxed=boxed)
        class_seconds = time.perf_counter() - start
    own_median, graded_median = statistics.median(own), statistics.median(graded)
    passed = sum(g.passed for g in results)
    return [
        {"measure": f"own run of {notebook.name}", "seconds": own_median,
         "detail": f"median of {repeats} fresh-kernel runs: " + ", ".join(f"{s:.1f}" for s in own)},
        {"measure": f"check of one submission of {notebook.name}", "seconds": graded_median,
         "detail": f"median of {repeats} {where}: " + ", ".join(f"{s:.1f}" for s in graded)
         + f" ({verdicts})"},
        {"measure": "grading overhead (goal ≤ 2 s)",
         "seconds": statistics.median(g - o for g, o in zip(graded, own, strict=True)),
         "detail": "median of (check − own run), each pair run in turn"},
        {"measure": "the sandbox's cost per submission",
         "seconds": statistics.median(g - u for g, u in zip(graded, unboxed, strict=True)),
         "detail": "median of (check − check --no-sandbox), each pair run in turn"
                   + ("" if boxed else "; the sandbox cannot run here: both ran without it")},
        {"measure": f"class of {class_size} on {jobs} processes (goal ≤ 90 s)",
         "seconds": class_seconds,
         "detail": f"{where}; {class_seconds / class_size:.2f} s per submission; {passed} of "
                   f"{len(results)} passed every exercise (every other one had every exercise "
                   "wrong)"},
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebook", nargs="?", type=Path, default=DEFAULT_NOTEBOOK)
    parser.add_argument("--class-size", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args(argv)
    print_ = functools.partial(print, flush=True)
    for row in grading_rows(options.notebook, options.class_size, options.jobs, options.repeats):
        print_(f"{row['measure']:<58} {row['seconds']:7.1f} s   {row['detail']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
