"""The grader (``tools/grade.py``, the ``check`` command) on a small notebook built here: a
right submission passes, and none of the ways to forge a pass works.

One class run grades most submissions at once (two at a time, as on the course machine);
the attacks that must run one after the other have runs of their own.
"""

from __future__ import annotations

import json
import os
import shutil
import textwrap
import time
from pathlib import Path

import grade
import nbformat
import pytest
import student_copies as sc
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


def spawner(pids: Path) -> nbformat.NotebookNode:
    """Starts a child and a double-forked daemon in a session of its own, noting their ids."""
    code = ("import os, subprocess\n"
            "child = subprocess.Popen(['sleep', '300'])\n"
            "daemon = subprocess.Popen(['sh', '-c', 'setsid sleep 301 >/dev/null 2>&1 & echo $!'], "
            "stdout=subprocess.PIPE, text=True)\n"
            f"with open({str(pids)!r}, 'w') as out:\n"
            "    out.write(f'{child.pid} {daemon.communicate()[0].strip()}')\n"
            + RIGHT_A1)
    return answer(code, "    return 2 * v")


MALFORMED = {
    "empty": (b"", "is empty, not a notebook"),
    "binary": (bytes(range(256)) * 4, "is a binary file, not a notebook"),
    "text": (b"Dear teacher, here is my homework.", "is not a notebook: not valid JSON"),
    "json": (b'{"answer": 42}', "is not a notebook: no list of cells"),
    "truncated": (nbformat.writes(student_copy()).encode()[:300], "is not a notebook: not valid JSON"),
}


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
def graded(course: grade.Course, tmp_path_factory: pytest.TempPathFactory) -> dict[str, grade.Graded]:
    """Every submission above, and the malformed files, graded in one class run."""
    folder = tmp_path_factory.mktemp("submissions")
    for student, make in SUBMISSIONS.items():
        (folder / student).mkdir()
        nbformat.write(make(), folder / student / f"{NAME}.ipynb")
    for student, (content, _) in MALFORMED.items():
        (folder / student).mkdir()
        (folder / student / f"{NAME}.ipynb").write_bytes(content)
    pids = folder / "pids.txt"
    (folder / "spawner").mkdir()
    nbformat.write(spawner(pids), folder / "spawner" / f"{NAME}.ipynb")
    results = grade.grade_class([folder], course, jobs=2, cell_timeout=4, notebook_timeout=60)
    by_student = {g.student: g for g in results}
    by_student["pids"] = pids  # type: ignore[assignment]
    return by_student


def verdicts(g: grade.Graded) -> dict[str, str]:
    return {row.exercise: row.verdict for row in g.rows}


def test_a_right_submission_passes(graded: dict[str, grade.Graded]) -> None:
    g = graded["right"]
    assert g.problem is None and g.passed
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


def test_processes_started_by_the_submission_are_ended(graded: dict[str, grade.Graded]) -> None:
    assert verdicts(graded["spawner"]) == {"98-a1": "pass", "98-double": "pass"}
    pids = [int(p) for p in Path(graded["pids"]).read_text().split()]  # type: ignore[arg-type]
    assert len(pids) == 2
    deadline = time.monotonic() + 5
    alive = pids
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in pids if Path(f"/proc/{pid}").exists()
                 and "Z" not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]]
        time.sleep(0.1)
    assert alive == [], "processes left behind by the submission"


def test_tampering_never_persists(course: grade.Course, tmp_path: Path) -> None:
    """9. A submission rewrites the instructor's package and the grader's copy; the next
    submission, wrong, is graded wrong; the instructor's files are put back."""
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
    first, second = grade.grade_class([tmp_path], course, jobs=1, cell_timeout=10)
    assert verdicts(first) == {"98-a1": "wrong", "98-double": "wrong"}, first.rows
    assert first.problem is not None and "\n" not in first.problem
    assert "it changed the grader's copy of nbhelpers" in first.problem
    assert "the instructor's files" in first.rows[0].reason
    assert verdicts(second) == {"98-a1": "wrong", "98-double": "wrong"}, second.rows
    assert second.problem is None
    assert feedback.read_bytes() == original
    assert not (feedback.parent / "evil.py").exists()


def test_the_notebook_time_limit(course: grade.Course, tmp_path: Path) -> None:
    slow = answer("import time\ntime.sleep(1.5)\n" + RIGHT_A1, "    import time\n    time.sleep(1.5)\n"
                  "    return 2 * v")
    nbformat.write(slow, tmp_path / f"{NAME}.ipynb")
    g = grade.grade_submission(tmp_path / f"{NAME}.ipynb", course, "slow", cell_timeout=30,
                               notebook_timeout=2)
    assert g.problem is not None and "\n" not in g.problem
    assert "the notebook did not finish in 2 s" in g.problem
    assert verdicts(g)["98-double"] in ("timeout", "not run")


def test_check_command_writes_csv_and_json_and_exits_0_only_when_all_pass(
        course: grade.Course, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
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
    assert lines[0] == "student,notebook,exercise,verdict,reason"
    assert lines[1] == f"ann,{NAME},98-a1,pass,✔ a⁽¹⁾ is correct."
    assert [line.split(",")[:4] for line in lines[3:]] == [
        ["ben", NAME, "98-a1", "wrong"], ["ben", NAME, "98-double", "wrong"]]
    assert [g["student"] for g in json.loads(data.read_text(encoding="utf-8"))] == ["ann", "ben"]
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
def series_graded(tmp_path_factory: pytest.TempPathFactory, kernels: None
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
    results = grade.grade_class([folder.parent], grade.Course.load(SERIES), jobs=2)
    by_notebook = {g.notebook: g for g in results}
    assert len(results) == len(SERIES) == len(by_notebook)
    return by_notebook


@pytest.mark.parametrize("path", SERIES, ids=[p.stem for p in SERIES])
def test_the_series_with_its_solutions_passes_the_grader(
        path: Path, series_graded: dict[str, grade.Graded]) -> None:
    """Every exercise passes and no cell stops."""
    result = series_graded[path.stem]
    assert result.passed, grade.format_submission(result)
