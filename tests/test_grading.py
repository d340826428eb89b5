"""The grader (``tools/grade.py``, the ``check`` command) on a small notebook built here: a
right submission passes, and none of the ways to forge a pass works.

One class run grades most submissions at once (two at a time, as on the course machine), in
the grader's sandbox (bubblewrap); the attacks that must run one after the other have runs of
their own. Where bubblewrap cannot run, the tests of the sandbox skip, and fail under CI=true;
the other attacks are then graded without it.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import grade
import nbformat
import pytest
import student_copies as sc
from grading import sandbox
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from notebook_runs import series_notebooks

ROOT = Path(__file__).resolve().parents[1]
NAME = "98-synthetic"
IMPORTS = "import numpy as np\nfrom nbhelpers.course.feedback import check_function, check_value"
EXERCISE_A1 = ("x = np.array([1.0, 2.0])\n### BEGIN SOLUTION\na1 = np.concatenate([[1.0], x])\n"
               "### END SOLUTION")
CHECK_A1 = 'a1 = check_value("a⁽¹⁾", a1, np.array([1.0, 1.0, 2.0]), exercise="98-a1").value'
EXERCISE_DOUBLE = ('def double(v):\n    """Twice v."""\n    ### BEGIN SOLUTION\n    return 2 * v\n'
                   "    ### END SOLUTION")
CHECK_DOUBLE = ('double = check_function("double", double, lambda v: 2 * v, '
                'cases=[(np.arange(3.0),)], exercise="98-double").value')
A1, DOUBLE = 2, 4              # the exercise cells (the check cells follow them)
RIGHT_A1 = "a1 = np.concatenate([[1.0], x])"
WRONG_A1 = "a1 = x"
WRONG_DOUBLE = "    return v + 2"
FORGED = "✔ a⁽¹⁾ is correct.\n"


def _code(source: str, exercise: str | None = None, *tags: str) -> nbformat.NotebookNode:
    metadata: dict = {"tags": list(tags)} if tags else {}
    if exercise:
        metadata["exercise"] = exercise
    return new_code_cell(source, metadata=metadata)


def instructor_notebook() -> nbformat.NotebookNode:
    return new_notebook(cells=[
        new_markdown_cell("# 98 · Synthetic"),
        _code(IMPORTS),
        _code(EXERCISE_A1, "98-a1", "exercise"),
        _code(CHECK_A1, "98-a1", "check"),
        _code(EXERCISE_DOUBLE, "98-double", "exercise"),
        _code(CHECK_DOUBLE, "98-double", "check"),
        _code("print(double(a1))"),
    ])


def student_copy() -> nbformat.NotebookNode:
    return sc.student_notebook(instructor_notebook(), NAME)


def answer(a1: str | None = None, double: str | None = None) -> nbformat.NotebookNode:
    """The student copy with the placeholders replaced (``None`` leaves one as handed out)."""
    nb = student_copy()
    if a1 is not None:
        nb.cells[A1].source = nb.cells[A1].source.replace("a1 = ...", a1)
    if double is not None:
        source = nb.cells[DOUBLE].source
        nb.cells[DOUBLE].source = source[:source.index("    raise NotImplementedError")] + double
    return nb


def wrong() -> nbformat.NotebookNode:
    return answer(WRONG_A1, WRONG_DOUBLE)


def attack_redefine_check() -> nbformat.NotebookNode:
    """1. The exercise cell redefines the check functions the check cell calls."""
    return answer(WRONG_A1 + "\nfrom nbhelpers.course.feedback import Result\n"
                  "check_value = lambda name, answer, *a, **k: Result(True, answer, '✔ ' + name)\n"
                  "check_function = lambda name, f, *a, **k: Result(True, f, '✔ ' + name)",
                  WRONG_DOUBLE)


def attack_patch_feedback() -> nbformat.NotebookNode:
    """2. Monkeypatching the feedback module's internals (and numpy's comparisons), before the
    check and, from inside the student's function, while the check runs."""
    return answer(
        WRONG_A1 + "\nimport nbhelpers.course.feedback as fb, numpy\n"
        "fb._check_value = lambda name, answer, *a, **k: fb.Result(True, answer, '✔ ' + name)\n"
        "fb.report = lambda exercise, result: fb.VERDICTS.update({exercise: True}) or result\n"
        "fb.VERDICTS.update({'98-a1': True, '98-double': True})\n"
        "numpy.allclose = lambda *a, **k: True",
        "    import nbhelpers.course.feedback as fb\n"
        "    fb._check_value = lambda name, answer, *a, **k: fb.Result(True, answer, '✔')\n"
        "    return v + 2")


def attack_print() -> nbformat.NotebookNode:
    """3. ``builtins.print`` replaced so that every line reads ✔."""
    return answer(WRONG_A1 + "\nimport builtins\n_print = builtins.print\n"
                  "builtins.print = lambda *a, **k: _print('✔ correct.')", WRONG_DOUBLE)


def attack_edit_check() -> nbformat.NotebookNode:
    """4. The check cell's source edited to print a verdict."""
    nb = wrong()
    nb.cells[A1 + 1].source = f"a1 = np.array([1.0, 1.0, 2.0])\nprint({FORGED!r})"
    nb.cells[DOUBLE + 1].source = "print('✔ double is correct on all 1 test case(s).')"
    return nb


def attack_skip_and_store() -> nbformat.NotebookNode:
    """5. Check cells tagged ``skip-execution`` with a stored ✔ output."""
    nb = wrong()
    for index in (A1 + 1, DOUBLE + 1):
        cell = nb.cells[index]
        cell.metadata["tags"] = ["check", "skip-execution"]
        cell.execution_count = 1
        cell.outputs = [new_output("stream", name="stdout", text=FORGED)]
    return nb


def attack_moved_tag() -> nbformat.NotebookNode:
    """6. The ``check`` tag (and the exercise id) moved to new cells that print ✔."""
    nb = wrong()
    for index in (DOUBLE + 1, A1 + 1):
        nb.cells[index].metadata = {}
        ident = "98-a1" if index == A1 + 1 else "98-double"
        nb.cells.insert(index, _code(f"print({FORGED!r})", ident, "check"))
    return nb


def attack_other_course() -> nbformat.NotebookNode:
    """7. Another course's notebook: one cell tagged ``check`` that prints ✔."""
    cell = _code("print('✔ done')", None, "check")
    cell.outputs = [new_output("stream", name="stdout", text="✔ done\n")]
    return new_notebook(cells=[cell])


def attack_untag() -> nbformat.NotebookNode:
    """8. The check cell of a wrong exercise untagged (and its metadata removed)."""
    nb = answer(RIGHT_A1, WRONG_DOUBLE)
    nb.cells[DOUBLE + 1].metadata = {}
    return nb


def attack_forged_output() -> nbformat.NotebookNode:
    """A hook that adds a verdict-shaped output after every cell."""
    return answer(WRONG_A1 + "\nfrom IPython.display import display\n"
                  f"verdict = {{{grade.VERDICT_MIME!r}: {{'passed': True, 'exercise': '98-a1', "
                  "'nonce': '0', 'message': '✔', 'tampered': ''}}\n"
                  "get_ipython().events.register('post_run_cell', "
                  "lambda result: display(verdict, raw=True))", WRONG_DOUBLE)


def attack_thread(stubborn: bool) -> nbformat.NotebookNode:
    """A background thread that keeps writing passes into the verdicts, from the exercise
    cell; a stubborn one survives being told to stop."""
    loop = ("while True:\n"
            "    fb = sys.modules.get('nbhelpers.course.feedback')\n"
            "    if fb is not None:\n"
            "        fb.VERDICTS.update({'98-a1': True, '98-double': True})\n"
            "        fb.MESSAGES.update({'98-a1': '✔', '98-double': '✔'})\n"
            "    time.sleep(0.0005)\n")
    if stubborn:
        loop = "while True:\n    try:\n" + textwrap.indent(loop, " " * 8) + \
            "    except BaseException:\n        pass\n"
    return answer("import sys, threading, time\ndef forge():\n" + textwrap.indent(loop, "    ")
                  + "threading.Thread(target=forge, daemon=True).start()\n" + WRONG_A1, WRONG_DOUBLE)


def attack_shadow_package() -> nbformat.NotebookNode:
    """A package named nbhelpers written into the working directory, and the grader's copy
    of the package rewritten so that every check passes."""
    forged = ("import os, pathlib, nbhelpers.course.feedback as fb\n"
              "os.makedirs('nbhelpers/course', exist_ok=True)\n"
              "for name in ('nbhelpers/__init__.py', 'nbhelpers/course/__init__.py'):\n"
              "    pathlib.Path(name).write_text('')\n"
              "FAKE = 'VERDICTS = {}\\nMESSAGES = {}\\n' \\\n"
              "    'def check_value(name, answer, expected, exercise=None, **k):\\n' \\\n"
              "    '    VERDICTS[exercise] = True\\n' \\\n"
              "    '    return type(\"R\", (), {\"value\": answer})()\\n' \\\n"
              "    'check_function = check_value\\n'\n"
              "pathlib.Path('nbhelpers/course/feedback.py').write_text(FAKE)\n"
              "target = pathlib.Path(fb.__file__)\n"
              "for path in (target.parent, target):\n"
              "    os.chmod(path, 0o755)\n"
              "target.write_text(FAKE)\n")
    return answer(WRONG_A1 + "\n" + forged, WRONG_DOUBLE)


def isolation_probe() -> nbformat.NotebookNode:
    """Right answers only where the kernel sees what the grader promises."""
    probe = ("import os, sys, nbhelpers\n"
             "here = os.getcwd()\n"
             "package = os.path.dirname(os.path.dirname(nbhelpers.__file__))\n"
             "isolated = (here.endswith('work')\n"
             "            and os.path.basename(os.path.dirname(here)).startswith('grade-')\n"
             "            and package == os.path.join(os.path.dirname(here), 'pkg')\n"
             "            and sys.path[0] == package and here not in sys.path\n"
             "            and os.stat(nbhelpers.__file__).st_mode & 0o222 == 0\n"
             "            and os.environ['HOME'].startswith(os.path.dirname(here)))\n"
             "a1 = np.concatenate([[1.0], x]) if isolated else x")
    return answer(probe, "    return 2 * v")


def missing_exercise() -> nbformat.NotebookNode:
    nb = answer(RIGHT_A1, "    return 2 * v")
    del nb.cells[DOUBLE]
    return nb


def raising() -> nbformat.NotebookNode:
    return answer("a1 = undefined_name", "    return v.no_such_method()")


def endless() -> nbformat.NotebookNode:
    return answer("while True:\n    pass", "    return 2 * v")


def dead_kernel() -> nbformat.NotebookNode:
    return answer("import os\nos._exit(3)", "    return 2 * v")


SPAWNED = f"{os.getpid()}{time.time_ns() % 10**6}"
"""The fraction of the seconds the spawned processes sleep: how they are found in /proc (their
process ids are the sandbox's own)."""


def spawner() -> nbformat.NotebookNode:
    """Starts a child and a double-forked daemon in a session of its own; right only when both
    started."""
    code = ("import os, subprocess\n"
            f"child = subprocess.Popen(['sleep', '300.{SPAWNED}'])\n"
            f"daemon = subprocess.Popen(['sh', '-c', 'setsid sleep 301.{SPAWNED} >/dev/null 2>&1 "
            "& echo $!'], stdout=subprocess.PIPE, text=True)\n"
            "started = child.poll() is None and daemon.communicate()[0].strip().isdigit()\n"
            "a1 = np.concatenate([[1.0], x]) if started else x")
    return answer(code, "    return 2 * v")


def spawned() -> list[int]:
    """The processes of the machine that the spawner started and that still run."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if SPAWNED.encode() in cmdline and b"sleep" in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def attack_read_instructor(instructor: Path) -> nbformat.NotebookNode:
    """The instructor's notebook found (at its path, or through the cwd of every process in
    /proc, the grader's among them), read, and its solution run: right only if it was seen."""
    code = ("import glob, json, os\n"
            f"places = [{str(instructor)!r}] + glob.glob('/proc/*/cwd/**/{NAME}.ipynb', "
            "recursive=True)\n"
            "for place in places:\n"
            "    try:\n"
            "        cells = json.load(open(place))['cells']\n"
            "    except (OSError, ValueError):\n"
            "        continue\n"
            "    solution = ''.join(cells[2]['source'])\n"
            "    exec(solution.split('### BEGIN SOLUTION')[1].split('### END SOLUTION')[0])\n"
            "    break\n"
            "else:\n"
            "    a1 = x\n")
    return answer(code, WRONG_DOUBLE)


def attack_write_outside(targets: list[Path]) -> nbformat.NotebookNode:
    """Files written outside the submission's folder (each attempt's failure swallowed)."""
    code = ("import pathlib\n"
            f"for target in {[str(p) for p in targets]!r}:\n"
            "    try:\n"
            "        pathlib.Path(target).write_text('written by a submission')\n"
            "    except OSError:\n"
            "        pass\n" + RIGHT_A1)
    return answer(code, "    return 2 * v")


def attack_connect(port: int) -> nbformat.NotebookNode:
    """A TCP connection to a server on this machine's loopback (the answer sent out)."""
    code = ("import socket\n"
            "try:\n"
            f"    socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'a1')\n"
            "except OSError:\n"
            "    pass\n" + RIGHT_A1)
    return answer(code, "    return 2 * v")


MALFORMED = {
    "empty": (b"", "is empty, not a notebook"),
    "binary": (bytes(range(256)) * 4, "is a binary file, not a notebook"),
    "text": (b"Dear teacher, here is my homework.", "is not a notebook: not valid JSON"),
    "json": (b'{"answer": 42}', "is not a notebook: no list of cells"),
    "truncated": (nbformat.writes(student_copy()).encode()[:300], "is not a notebook: not valid JSON"),
}


@pytest.fixture(scope="module")
def loopback() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP server on 127.0.0.1: its port, and what every connection to it sent."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(2)
                try:
                    received.append(connection.recv(100))
                except OSError:
                    received.append(b"")
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join(2)
    server.close()


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory, kernels: None) -> grade.Course:
    """The synthetic notebook as the instructor's, and a copy of nbhelpers as the
    instructor's package (so that tampering can be looked for without touching the real one)."""
    base = tmp_path_factory.mktemp("instructor")
    (base / "notebooks").mkdir()
    path = base / "notebooks" / f"{NAME}.ipynb"
    nbformat.write(instructor_notebook(), path)
    shutil.copytree(ROOT / "nbhelpers", base / "nbhelpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return grade.Course.load([path], package=base / "nbhelpers",
                             protect=[base / "nbhelpers", base / "notebooks"])


SUBMISSIONS = {
    "right": lambda: answer(RIGHT_A1, "    return 2 * v"),
    "untouched": student_copy,
    "wrong": wrong,
    "redefine-check": attack_redefine_check,
    "patch-feedback": attack_patch_feedback,
    "print": attack_print,
    "edit-check": attack_edit_check,
    "skip-and-store": attack_skip_and_store,
    "moved-tag": attack_moved_tag,
    "other-course": attack_other_course,
    "untag": attack_untag,
    "forged-output": attack_forged_output,
    "thread": lambda: attack_thread(stubborn=False),
    "stubborn-thread": lambda: attack_thread(stubborn=True),
    "isolation": isolation_probe,
    "missing": missing_exercise,
    "raising": raising,
    "endless": endless,
    "dead-kernel": dead_kernel,
}


@pytest.fixture(scope="module")
def graded(course: grade.Course, tmp_path_factory: pytest.TempPathFactory, sandboxed: bool,
           loopback: tuple[int, list[bytes]]) -> dict[str, grade.Graded]:
    """Every submission above, and the malformed files, graded in one class run (in the
    sandbox where it runs)."""
    folder = tmp_path_factory.mktemp("submissions")
    instructor = next(iter(course.notebooks.values()))
    instructor_path = next(p for p in course.protected if p.name == "notebooks") / f"{NAME}.ipynb"
    assert instructor_path.exists() and instructor.name == NAME
    outside = [folder / "outside.txt", next(iter(course.protected)) / "outside.txt",
               Path.home() / f"outside-{os.getpid()}.txt", Path("/tmp") / f"outside-{os.getpid()}.txt"]
    attacks = {"read-instructor": attack_read_instructor(instructor_path),
               "write-outside": attack_write_outside(outside),
               "connect": attack_connect(loopback[0])}
    for student, nb in attacks.items():
        (folder / student).mkdir()
        nbformat.write(nb, folder / student / f"{NAME}.ipynb")
    for student, make in SUBMISSIONS.items():
        (folder / student).mkdir()
        nbformat.write(make(), folder / student / f"{NAME}.ipynb")
    for student, (content, _) in MALFORMED.items():
        (folder / student).mkdir()
        (folder / student / f"{NAME}.ipynb").write_bytes(content)
    (folder / "spawner").mkdir()
    nbformat.write(spawner(), folder / "spawner" / f"{NAME}.ipynb")
    results = grade.grade_class([folder], course, jobs=2, cell_timeout=4, notebook_timeout=60,
                                sandboxed=sandboxed)
    by_student = {g.student: g for g in results}
    by_student["outside"] = outside  # type: ignore[assignment]
    return by_student


def verdicts(g: grade.Graded) -> dict[str, str]:
    return {row.exercise: row.verdict for row in g.rows}


def test_a_right_submission_passes(graded: dict[str, grade.Graded]) -> None:
    g = graded["right"]
    assert g.problem is None and g.passed and g.tampering == []
    assert verdicts(g) == {"98-a1": "pass", "98-double": "pass"}
    assert [row.reason for row in g.rows] == [
        "✔ a⁽¹⁾ is correct.", "✔ double is correct on all 1 test case(s)."]


def test_untouched_and_wrong_submissions_say_so(graded: dict[str, grade.Graded]) -> None:
    assert verdicts(graded["untouched"]) == {"98-a1": "not done", "98-double": "not done"}
    g = graded["wrong"]
    assert verdicts(g) == {"98-a1": "wrong", "98-double": "wrong"}
    assert g.rows[0].reason.startswith("✘ a⁽¹⁾ has shape (2,), but it should have shape (3,)")
    assert g.rows[1].reason.startswith("✘ double(…) has the right shape, but 2 of its 3 entries")
    assert not g.passed and g.problem is None


@pytest.mark.parametrize("student", ["redefine-check", "patch-feedback", "print", "edit-check",
                                     "skip-and-store", "moved-tag", "forged-output", "thread",
                                     "stubborn-thread"])
def test_a_forged_pass_never_passes(graded: dict[str, grade.Graded], student: str) -> None:
    g = graded[student]
    assert verdicts(g) == {"98-a1": "wrong", "98-double": "wrong"}, g.rows
    assert not g.passed


def test_the_check_is_the_instructors_whatever_the_submissions_check_cell_says(
        graded: dict[str, grade.Graded]) -> None:
    for student in ("edit-check", "skip-and-store", "moved-tag"):
        assert graded[student].rows[0].reason.startswith("✘ a⁽¹⁾ has shape (2,)"), student


def test_tampering_while_the_check_runs_is_named(graded: dict[str, grade.Graded]) -> None:
    row = graded["patch-feedback"].rows[1]
    assert "tampered with" in row.reason and "_check_value was changed" in row.reason


def test_a_thread_that_outlives_the_check_is_named(graded: dict[str, grade.Graded]) -> None:
    assert all("a thread started by the notebook's code was running" in row.reason
               for row in graded["stubborn-thread"].rows)


def test_an_untagged_check_still_counts(graded: dict[str, grade.Graded]) -> None:
    assert verdicts(graded["untag"]) == {"98-a1": "pass", "98-double": "wrong"}


def test_another_courses_notebook_is_refused_in_one_line(graded: dict[str, grade.Graded]) -> None:
    g = graded["other-course"]
    assert g.problem is not None and "\n" not in g.problem
    assert g.problem.endswith("is not a notebook of this course: no cell carries the exercise id "
                              "of one of the course's exercises")
    assert [row.verdict for row in g.rows] == ["error"] and not g.passed


def test_the_kernel_is_isolated(graded: dict[str, grade.Graded]) -> None:
    assert verdicts(graded["isolation"]) == {"98-a1": "pass", "98-double": "pass"}


def test_a_missing_exercise_is_missing_and_the_rest_is_graded(graded: dict[str, grade.Graded]) -> None:
    g = graded["missing"]
    assert verdicts(g) == {"98-a1": "pass", "98-double": "missing"}
    assert g.problem is None and not g.passed


def test_an_error_in_the_students_code_is_a_wrong_verdict(graded: dict[str, grade.Graded]) -> None:
    g = graded["raising"]
    assert verdicts(g) == {"98-a1": "wrong", "98-double": "wrong"}
    assert "your cell stopped with NameError: name 'undefined_name' is not defined" in g.rows[0].reason
    assert "stopped with AttributeError" in g.rows[1].reason


def test_a_timeout_is_one_line(graded: dict[str, grade.Graded]) -> None:
    g = graded["endless"]
    assert g.problem == f"{g.path}: exercise 98-a1 did not finish in 4 s"
    assert verdicts(g) == {"98-a1": "timeout", "98-double": "not run"}


def test_a_dead_kernel_is_one_line(graded: dict[str, grade.Graded]) -> None:
    g = graded["dead-kernel"]
    assert g.problem == (f"{g.path}: the kernel died while running exercise 98-a1 "
                         "(os._exit, a crash or out of memory)")
    assert verdicts(g) == {"98-a1": "error", "98-double": "not run"}


@pytest.mark.parametrize("student", sorted(MALFORMED))
def test_a_malformed_file_is_one_line(graded: dict[str, grade.Graded], student: str) -> None:
    g = graded[student]
    assert g.problem is not None and "\n" not in g.problem, g.problem
    assert g.problem.startswith(f"{g.path}: {MALFORMED[student][1]}")
    assert not g.passed


def test_a_malformed_json_reason_is_whole(graded: dict[str, grade.Graded]) -> None:
    g = graded["text"]
    assert g.problem == (f"{g.path}: is not a notebook: not valid JSON (Expecting value: line 1 "
                         "column 1 (char 0))")


def test_processes_started_by_the_submission_are_ended(graded: dict[str, grade.Graded]) -> None:
    assert verdicts(graded["spawner"]) == {"98-a1": "pass", "98-double": "pass"}
    deadline = time.monotonic() + 5
    alive = spawned()
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = spawned()
    assert alive == [], "processes left behind by the submission"


def test_a_right_submission_passes_inside_the_sandbox(graded: dict[str, grade.Graded],
                                                        needs_sandbox: None) -> None:
    assert graded["right"].sandboxed and graded["right"].passed
    assert graded["isolation"].sandboxed and graded["isolation"].passed


def test_the_instructors_notebook_is_out_of_reach(graded: dict[str, grade.Graded],
                                                  needs_sandbox: None) -> None:
    """Neither at its path nor through /proc/<pid>/cwd (the sandbox's /proc is its own)."""
    g = graded["read-instructor"]
    assert verdicts(g) == {"98-a1": "wrong", "98-double": "wrong"}, g.rows
    assert g.rows[0].reason.startswith("✘ a⁽¹⁾ has shape (2,), but it should have shape (3,)")


def test_nothing_is_written_outside_the_submissions_folder(graded: dict[str, grade.Graded],
                                                           needs_sandbox: None) -> None:
    assert verdicts(graded["write-outside"]) == {"98-a1": "pass", "98-double": "pass"}
    written = [str(p) for p in graded["outside"] if p.exists()]  # type: ignore[attr-defined]
    assert written == []


def test_no_connection_reaches_a_server_on_the_loopback(graded: dict[str, grade.Graded],
                                                        loopback: tuple[int, list[bytes]],
                                                        needs_sandbox: None) -> None:
    assert verdicts(graded["connect"]) == {"98-a1": "pass", "98-double": "pass"}
    assert loopback[1] == []


def test_the_sandbox_refuses_in_one_line_where_it_cannot_run(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sandbox, "bwrap", lambda: None)
    sandbox.problem.cache_clear()
    try:
        assert sc.main(["check", str(tmp_path)]) == 2
    finally:
        sandbox.problem.cache_clear()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("not graded: bubblewrap (bwrap) is not installed")
    assert "--no-sandbox" in err


def test_tampering_never_persists(course: grade.Course, tmp_path: Path) -> None:
    """9. Without the sandbox (``--no-sandbox``), a submission rewrites the instructor's package
    and the grader's copy; the next submission, wrong, is graded wrong; the instructor's files
    are put back and every change is named."""
    instructor_package = next(iter(course.protected))
    feedback = instructor_package / "course" / "feedback.py"
    original = feedback.read_bytes()
    attack = attack_shadow_package()
    attack.cells[A1].source += (f"\npathlib.Path({str(feedback)!r}).write_text(FAKE)\n"
                                f"pathlib.Path({str(feedback.parent / 'evil.py')!r}).write_text(FAKE)")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    nbformat.write(attack, tmp_path / "a" / f"{NAME}.ipynb")
    nbformat.write(wrong(), tmp_path / "b" / f"{NAME}.ipynb")
    first, second = grade.grade_class([tmp_path], course, jobs=1, cell_timeout=10, sandboxed=False)
    assert verdicts(first) == {"98-a1": "wrong", "98-double": "wrong"}, first.rows
    assert first.problem is not None and "\n" not in first.problem
    assert "it changed the grader's copy of nbhelpers" in first.problem
    assert "the instructor's files" in first.rows[0].reason
    assert f"changed the instructor's files: {feedback} (put back)" in first.tampering
    assert f"changed the instructor's files: {feedback.parent / 'evil.py'} (put back)" in first.tampering
    assert "changed the grader's copy of nbhelpers: nbhelpers/course/feedback.py (put back)" \
        in first.tampering
    assert not first.sandboxed
    assert verdicts(second) == {"98-a1": "wrong", "98-double": "wrong"}, second.rows
    assert second.problem is None
    assert feedback.read_bytes() == original
    assert not (feedback.parent / "evil.py").exists()


def test_in_the_sandbox_the_package_cannot_be_changed(course: grade.Course, tmp_path: Path,
                                                      needs_sandbox: None) -> None:
    """The same attack in the sandbox: neither the instructor's package (not there) nor the
    grader's copy (mounted read-only) changes, and the forged check passes nothing."""
    instructor_package = next(iter(course.protected))
    feedback = instructor_package / "course" / "feedback.py"
    original = feedback.read_bytes()
    attack = attack_shadow_package()
    attack.cells[A1].source += (f"\npathlib.Path({str(feedback)!r}).write_text(FAKE)")
    nbformat.write(attack, tmp_path / f"{NAME}.ipynb")
    g = grade.grade_submission(tmp_path / f"{NAME}.ipynb", course, "shadow", cell_timeout=10)
    assert verdicts(g) == {"98-a1": "wrong", "98-double": "wrong"}, g.rows
    assert "Read-only file system" in g.rows[0].reason or "Permission denied" in g.rows[0].reason
    assert g.tampering == [] and feedback.read_bytes() == original


def test_the_notebook_time_limit(course: grade.Course, tmp_path: Path, sandboxed: bool) -> None:
    slow = answer("import time\ntime.sleep(1.5)\n" + RIGHT_A1, "    import time\n    time.sleep(1.5)\n"
                  "    return 2 * v")
    nbformat.write(slow, tmp_path / f"{NAME}.ipynb")
    g = grade.grade_submission(tmp_path / f"{NAME}.ipynb", course, "slow", cell_timeout=30,
                               notebook_timeout=2, sandboxed=sandboxed)
    assert g.problem is not None and "\n" not in g.problem
    assert "the notebook did not finish in 2 s" in g.problem
    assert verdicts(g)["98-double"] in ("timeout", "not run")


def test_check_command_writes_csv_and_json_and_exits_0_only_when_all_pass(
        course: grade.Course, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        needs_sandbox: None) -> None:
    instructor = next(iter(course.notebooks.values()))
    source = tmp_path / "instructor" / f"{NAME}.ipynb"
    source.parent.mkdir()
    nbformat.write(instructor.nb, source)
    for student, nb in (("ann", answer(RIGHT_A1, "    return 2 * v")), ("ben", wrong())):
        (tmp_path / "class" / student).mkdir(parents=True)
        nbformat.write(nb, tmp_path / "class" / student / f"{NAME}.ipynb")
    right = tmp_path / "class" / "ann" / f"{NAME}.ipynb"
    assert sc.main(["check", str(right), "--instructor", str(source)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"{right} (ann, {NAME}): 2 of 2 exercise(s) right"

    table, data = tmp_path / "grades.csv", tmp_path / "grades.json"
    status = sc.main(["check", str(tmp_path / "class"), "--instructor", str(source),
                      "--csv", str(table), "--json", str(data)])
    assert status == 1
    out = capsys.readouterr().out
    assert "1 of 2 submission(s) pass every exercise" in out
    lines = table.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "student,notebook,exercise,verdict,mistake,sandboxed,reason"
    assert lines[1] == f"ann,{NAME},98-a1,pass,,yes,✔ a⁽¹⁾ is correct."
    assert len(lines) == 5, "a reason is on one line"
    assert [line.split(",")[:6] for line in lines[3:]] == [
        ["ben", NAME, "98-a1", "wrong", "", "yes"], ["ben", NAME, "98-double", "wrong", "", "yes"]]
    assert next(csv.reader(lines[4:]))[6] == (
        "✘ double(…) has the right shape, but 2 of its 3 entries differ from the expected values: "
        "/ entry 0: yours is 2, expected 0 / entry 1: yours is 3, expected 2 / (The cells below "
        "use the reference function.)")
    assert [g["student"] for g in json.loads(data.read_text(encoding="utf-8"))] == ["ann", "ben"]
    assert sc.main(["check", str(tmp_path / "class"), "--instructor", str(source), "--summary"]) == 1
    summary = capsys.readouterr().out.split("\n\n")[-1].splitlines()
    assert summary == ["98-a1        1 of 2   passed   not named ×1",
                       "98-double    1 of 2   passed   not named ×1",
                       "sandbox: every submission ran in the sandbox", "tampering: 0 found"]
    assert sc.main(["check", str(tmp_path / "nowhere.ipynb")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_the_real_package_is_never_the_one_graded_against() -> None:
    """The kernel's path puts the grader's copy first, whatever the editable install says."""
    env = grade._kernel_env(Path("/tmp/x"), Path("/tmp/x/pkg"))
    assert env["PYTHONPATH"] == "/tmp/x/pkg" and env["PYTHONNOUSERSITE"] == "1"
    assert "VIRTUAL_ENV" not in env and env["HOME"] == "/tmp/x/home"
    assert os.environ.get("HOME") != env["HOME"]


SERIES = [p for p in series_notebooks() if sc.notebook_regions(nbformat.read(p, as_version=4), p.name)]


@pytest.fixture(scope="module")
def series_graded(tmp_path_factory: pytest.TempPathFactory, kernels: None, sandboxed: bool
                  ) -> dict[str, grade.Graded]:
    """Each notebook's student copy with the solutions pasted back, all handed in by one
    student and graded in one class run, two at a time. (This is the one run of the
    pasted-back copies; tests/test_student_copies.py checks that pasting back gives the
    instructor's code.)"""
    folder = tmp_path_factory.mktemp("series") / "ann"
    folder.mkdir()
    for path in SERIES:
        instructor = nbformat.read(path, as_version=4)
        solved = sc.solved_notebook(sc.student_notebook(instructor, path.name), instructor,
                                    path.name)
        nbformat.write(solved, folder / path.name)
    results = grade.grade_class([folder.parent], grade.Course.load(SERIES), jobs=2,
                                sandboxed=sandboxed)
    by_notebook = {g.notebook: g for g in results}
    assert len(results) == len(SERIES) == len(by_notebook)
    return by_notebook


@pytest.mark.parametrize("path", SERIES, ids=[p.stem for p in SERIES])
def test_the_series_with_its_solutions_passes_the_grader(
        path: Path, series_graded: dict[str, grade.Graded]) -> None:
    """Every exercise passes and no cell stops."""
    result = series_graded[path.stem]
    assert result.passed, grade.format_submission(result)
