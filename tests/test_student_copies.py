"""Student copies: the generator on small notebooks built here, then on the real series.

The series tests execute every student copy once, each in a fresh kernel (two at a time, in a
module fixture the tests share); the copies with the solutions pasted back are run once, by
the grader (tests/test_grading.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import student_copies as sc
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from notebook_runs import NOTEBOOKS, run_notebooks, series_notebooks

ROOT = Path(__file__).resolve().parents[1]

NOTEBOOK = "notebooks/99-synthetic.ipynb"

SETUP = "import numpy as np\nfrom nbhelpers.course.feedback import check_function, check_value"
TOP_LEVEL = """\
x = np.array([1.0, 2.0])
# Hint: put the bias unit a₀ = 1 in front of x
### BEGIN SOLUTION
a1 = np.concatenate([[1.0], x])
### END SOLUTION"""
FUNCTION = """\
def double(v):
    \"\"\"Twice v.\"\"\"
    # Hint: multiply by 2
    ### BEGIN SOLUTION
    result = 2 * v
    return result
    ### END SOLUTION"""
CHECK_TOP = ('a1 = check_value("a⁽¹⁾", a1, np.array([1.0, 1.0, 2.0]), '
             'todo="add the bias unit").value')
CHECK_FUNCTION = ('double = check_function("double", double, lambda v: 2 * v, '
                  'cases=[(np.arange(3.0),)], todo="return 2·v").value')


def _code(source: str, *tags: str, output: str | None = None) -> nbformat.NotebookNode:
    cell = new_code_cell(source, metadata={"tags": list(tags)} if tags else {})
    if output is not None:
        cell.execution_count = 3
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output)]
    return cell


def _notebook(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return new_notebook(cells=[new_markdown_cell("# 99 · Synthetic"), *cells])


def _synthetic() -> nbformat.NotebookNode:
    return _notebook(
        _code(SETUP, output=""),
        _code(TOP_LEVEL, "exercise", output="[1. 1. 2.]\n"),
        _code(CHECK_TOP, "check", output="✔ a⁽¹⁾ is correct.\n"),
        new_markdown_cell("Now a function."),
        _code(FUNCTION, "exercise"),
        _code(CHECK_FUNCTION, "check", output="✔ double is correct on all 1 test case(s).\n"),
        _code("print(double(a1))", output="[2. 2. 4.]\n"),
    )


def _regions_error(source: str) -> str:
    with pytest.raises(sc.MarkerError) as info:
        sc.student_notebook(_notebook(_code(source, "exercise")), NOTEBOOK)
    return str(info.value)


# --- the generator on synthetic notebooks -----------------------------------------------------


def test_top_level_region_becomes_name_placeholders_and_hint_stays() -> None:
    student = sc.student_notebook(_synthetic(), NOTEBOOK)
    assert student.cells[2].source == (
        "x = np.array([1.0, 2.0])\n# Hint: put the bias unit a₀ = 1 in front of x\na1 = ...")


def test_function_region_becomes_raise_with_the_hint_keeping_indentation() -> None:
    student = sc.student_notebook(_synthetic(), NOTEBOOK)
    assert student.cells[5].source == (
        'def double(v):\n    """Twice v."""\n    # Hint: multiply by 2\n'
        '    raise NotImplementedError("multiply by 2")')


def test_function_region_without_hint_gets_a_generic_one_at_its_own_depth() -> None:
    source = ("class Net:\n    def cost(self):\n        ### BEGIN SOLUTION\n"
              "        return 1\n        ### END SOLUTION\n    size = 3")
    student = sc.student_notebook(_notebook(_code(source, "exercise")), NOTEBOOK)
    assert student.cells[1].source == (
        'class Net:\n    def cost(self):\n'
        '        raise NotImplementedError("write the body of cost")\n    size = 3')


def test_several_names_are_each_given_a_placeholder_in_order_of_assignment() -> None:
    source = ("### BEGIN SOLUTION\nz2, a2 = 1, 2\nz2 += 1\nfor i in range(2):\n"
              "    h = [k for k in range(i)]\n(d3, *rest) = (1, 2, 3)\nTheta[1] = 0\n"
              "def g(t):\n    inner = t\n    return inner\n### END SOLUTION")
    student = sc.student_notebook(_notebook(_code(source, "exercise")), NOTEBOOK)
    assert student.cells[1].source.split("\n") == [
        "z2 = ...", "a2 = ...", "d3 = ...", "rest = ...", "g = ..."]


def test_working_variables_of_a_loop_get_no_placeholder_unless_nothing_else_is_assigned() -> None:
    assert sc.assigned_names("Delta1 = 0\nfor x in X:\n    bp = f(x)\n    Delta1 += bp\n"
                             "else:\n    done = True") == ["Delta1", "done"]
    assert sc.assigned_names("while n:\n    n, total = n - 1, total + n") == ["n", "total"]
    assert sc.assigned_names("if ok:\n    h = 1\nelse:\n    h = 2\ntry:\n    k = 3\n"
                             "except ValueError:\n    k = 4") == ["h", "k"]


def test_indented_top_level_region_keeps_its_indentation() -> None:
    source = "if True:\n    ### BEGIN SOLUTION\n    y = 2\n    ### END SOLUTION\nprint(y)"
    student = sc.student_notebook(_notebook(_code(source, "exercise")), NOTEBOOK)
    assert student.cells[1].source == "if True:\n    y = ...\nprint(y)"


def test_outputs_of_exercise_and_check_cells_are_cleared_and_the_rest_kept() -> None:
    instructor = _synthetic()
    student = sc.student_notebook(instructor, NOTEBOOK)
    assert len(student.cells) == len(instructor.cells)
    for index in (2, 3, 5, 6):
        assert student.cells[index].outputs == []
        assert student.cells[index].execution_count is None
    for index in (0, 1, 4, 7):
        assert student.cells[index] == instructor.cells[index]
    assert instructor.cells[2].outputs, "the instructor's notebook must be left unchanged"


def test_copy_is_marked_as_a_student_copy_and_has_no_markers() -> None:
    student = sc.student_notebook(_synthetic(), NOTEBOOK)
    assert student.metadata[sc.STUDENT_COPY_KEY] == {
        "instructor_notebook": "99-synthetic.ipynb", "solution_regions": 2}
    text = nbformat.writes(student)
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    assert "result = 2 * v" not in text and "np.concatenate" not in text


def test_pasting_the_solutions_back_restores_the_instructors_code() -> None:
    instructor = _synthetic()
    solved = sc.solved_notebook(sc.student_notebook(instructor, NOTEBOOK), instructor, NOTEBOOK)
    assert solved.cells[2].source == TOP_LEVEL.replace(
        "### BEGIN SOLUTION\n", "").replace("\n### END SOLUTION", "")
    assert solved.cells[5].source == FUNCTION.replace(
        "    ### BEGIN SOLUTION\n", "").replace("\n    ### END SOLUTION", "")


def test_pasting_into_an_edited_cell_names_notebook_and_cell() -> None:
    instructor = _synthetic()
    student = sc.student_notebook(instructor, NOTEBOOK)
    student.cells[5].source = "def double(v):\n    return v + v"
    with pytest.raises(ValueError, match=r"99-synthetic\.ipynb, cell 5: .*region 1"):
        sc.solved_notebook(student, instructor, NOTEBOOK)


def test_unpaired_begin_is_refused_naming_notebook_cell_and_line() -> None:
    message = _regions_error("x = 1\n### BEGIN SOLUTION\ny = 2")
    assert message.startswith(f"{NOTEBOOK}, cell 1, line 2: unpaired marker")
    assert "without an '### END SOLUTION'" in message


def test_unpaired_end_is_refused_naming_notebook_cell_and_line() -> None:
    message = _regions_error("x = 1\n### END SOLUTION")
    assert message.startswith(f"{NOTEBOOK}, cell 1, line 2: unpaired marker")
    assert "without a '### BEGIN SOLUTION'" in message


def test_nested_markers_are_refused() -> None:
    message = _regions_error("### BEGIN SOLUTION\nx = 1\n### BEGIN SOLUTION\ny = 2\n"
                             "### END SOLUTION\n### END SOLUTION")
    assert message.startswith(f"{NOTEBOOK}, cell 1, line 3: nested markers")
    assert "opened on line 1" in message


def test_region_that_does_not_parse_is_refused_with_its_line() -> None:
    message = _regions_error("x = 1\n### BEGIN SOLUTION\ny = 2\nz = (y +\n### END SOLUTION")
    assert message.startswith(f"{NOTEBOOK}, cell 1, line 4: the solution region does not parse")


def test_almost_markers_and_markers_at_different_depths_are_refused() -> None:
    assert "looks like a solution marker" in _regions_error("## BEGIN SOLUTION\nx = 1")
    assert "not indented like" in _regions_error(
        "def f():\n    ### BEGIN SOLUTION\n    return 1\n### END SOLUTION")
    assert "indented less than" in _regions_error(
        "if True:\n    ### BEGIN SOLUTION\n    y = 1\nz = 2\n    ### END SOLUTION")


def test_top_level_region_that_assigns_no_name_is_refused() -> None:
    assert "assigns no name" in _regions_error("### BEGIN SOLUTION\nprint(1)\n### END SOLUTION")


def test_build_command_writes_copies_with_the_same_names(tmp_path: Path, capsys) -> None:
    source = tmp_path / "03-example.ipynb"
    nbformat.write(_synthetic(), source)
    out = tmp_path / "student"
    assert sc.main(["build", "--out", str(out), str(source)]) == 0
    written = nbformat.read(out / "03-example.ipynb", as_version=4)
    assert written.cells[2].source.endswith("a1 = ...")
    assert "2 solution region(s)" in capsys.readouterr().out


def test_build_command_refuses_and_writes_nothing(tmp_path: Path, capsys) -> None:
    good, bad = tmp_path / "01-good.ipynb", tmp_path / "02-bad.ipynb"
    nbformat.write(_synthetic(), good)
    nbformat.write(_notebook(_code("y = 1\n### END SOLUTION", "exercise")), bad)
    out = tmp_path / "student"
    assert sc.main(["build", "--out", str(out), str(good), str(bad)]) == 1
    assert "02-bad.ipynb, cell 1, line 2: unpaired marker" in capsys.readouterr().err
    assert not out.exists()


# --- leaks: a solution line anywhere else in the copy stops the build ------------------------


def _with_exercise_id(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb.cells[2].metadata["exercise"] = "99-a1"
    nb.cells[5].metadata["exercise"] = "99-double"
    return nb


LEAKS = {
    "markdown": lambda nb: nb.cells.insert(4, new_markdown_cell(
        "Remember: `a1 = np.concatenate([[1.0], x])` puts the bias first.")),
    "hint comment": lambda nb: setattr(nb.cells[2], "source", nb.cells[2].source.replace(
        "# Hint: put the bias unit a₀ = 1 in front of x", "# Hint: np.concatenate([[1.0], x])")),
    "output": lambda nb: nb.cells[7].outputs.append(nbformat.v4.new_output(
        "stream", name="stdout", text="expected np.concatenate([[1.0],x])\n")),
    "other code cell": lambda nb: setattr(nb.cells[7], "source",
                                          "print(double(np.concatenate([[1.0],  x])))"),
}


@pytest.mark.parametrize("where", sorted(LEAKS))
def test_build_fails_naming_the_exercise_when_a_solution_line_leaks(
        where: str, tmp_path: Path, capsys) -> None:
    nb = _with_exercise_id(_synthetic())
    LEAKS[where](nb)
    source = tmp_path / "99-leaky.ipynb"
    nbformat.write(nb, source)
    out = tmp_path / "student"
    assert sc.main(["build", "--out", str(out), str(source)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("student copies not written: ")
    assert "exercise 99-a1: the solution line" in err
    assert "np.concatenate([[1.0], x])" in err and "appears outside its region" in err
    assert "99-double" not in err
    assert not out.exists()


def test_the_same_notebook_without_the_leak_builds(tmp_path: Path) -> None:
    source = tmp_path / "99-clean.ipynb"
    nbformat.write(_with_exercise_id(_synthetic()), source)
    assert sc.main(["build", "--out", str(tmp_path / "student"), str(source)]) == 0


def test_a_leak_in_an_exercise_modules_hints_is_found(tmp_path: Path) -> None:
    module = tmp_path / "nb99.py"
    module.write_text('register_hints("99-double", ["doubling", "same shape as v", '
                      '"result = 2 * v; return result"])\n', encoding="utf-8")
    nb = _with_exercise_id(_synthetic())
    leaks = sc.find_leaks(nb, sc.student_notebook(nb, NOTEBOOK), NOTEBOOK, sc.module_strings(tmp_path))
    assert len(leaks) == 1
    assert leaks[0].startswith(f"{NOTEBOOK}: exercise 99-double: the solution line 'result = 2 * v'")
    assert leaks[0].endswith("nb99.py, line 1")


def test_solution_fragments_are_lines_and_right_hand_sides_not_trivia() -> None:
    fragments = sc.solution_fragments(
        "z2 = Theta[1] @ a1  # the product\nfor l in range(L - 1, 1, -1):\n    d = z2\nreturn d\n"
        "# a comment line that is long\npass")
    assert sorted(fragments.values()) == ["Theta[1] @ a1", "z2 = Theta[1] @ a1"]


def test_make_student_finds_no_leak_in_the_series(tmp_path: Path) -> None:
    assert sc.main(["build", "--out", str(tmp_path / "student")]) == 0


# --- the real series --------------------------------------------------------------------------


def _has_exercises(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    return any(sc.EXERCISE_TAG in sc.cell_tags(cell) or sc.BEGIN in cell.source
               for cell in nb.cells if cell.cell_type == "code")


SERIES = [path for path in series_notebooks() if _has_exercises(path)]
IDS = [path.stem for path in SERIES]


def _copies(path: Path) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    instructor = nbformat.read(path, as_version=4)
    name = f"notebooks/{path.name}"
    return instructor, sc.student_notebook(instructor, name)


@pytest.fixture(scope="module")
def executed_student_copies(kernels: None) -> dict[str, nbformat.NotebookNode]:
    """Every student copy as handed out, each executed in a fresh kernel (working directory
    notebooks/), two at a time."""
    copies = [(_copies(path)[1], NOTEBOOKS) for path in SERIES]
    return dict(zip(IDS, run_notebooks(copies, at_once=2, allow_errors=True), strict=True))


def _errors(nb: nbformat.NotebookNode) -> list[str]:
    return [f"cell {v.cell}: {v.message}" for v in sc.check_verdicts(nb)
            if v.message.startswith("the cell stopped")]


def _check_outputs(nb: nbformat.NotebookNode) -> dict[int, str]:
    return {i: sc.stdout_text(cell) for i, cell in enumerate(nb.cells)
            if cell.cell_type == "code" and sc.CHECK_TAG in sc.cell_tags(cell)}


def _solution_only_lines(nb: nbformat.NotebookNode) -> set[str]:
    """Stripped lines that occur in solution regions and nowhere else in the notebook."""
    inside, outside = set(), set()
    regions = sc.notebook_regions(nb, "instructor")
    for index, cell in enumerate(nb.cells):
        lines = cell.source.split("\n")
        spans = [(r.begin, r.end) for r in regions.get(index, [])]
        for k, line in enumerate(lines):
            inside_region = any(begin < k < end for begin, end in spans)
            (inside if inside_region else outside).add(line.strip())
    return {line for line in inside - outside if line}


@pytest.mark.parametrize("path", SERIES, ids=IDS)
def test_no_solution_line_appears_in_the_student_copy(path: Path) -> None:
    instructor, student = _copies(path)
    secret = _solution_only_lines(instructor)
    assert secret, "an exercise notebook without a solution region"
    for index, cell in enumerate(student.cells):
        leaked = secret & {line.strip() for line in cell.source.split("\n")}
        assert not leaked, f"cell {index} shows solution lines {sorted(leaked)}"
        if {sc.EXERCISE_TAG, sc.CHECK_TAG} & set(sc.cell_tags(cell)):
            assert cell.outputs == [], f"cell {index}: outputs of an exercise or check cell"
    assert not re.search(r"(BEGIN|END) SOLUTION", nbformat.writes(student))


@pytest.mark.parametrize("path", SERIES, ids=IDS)
def test_student_copy_runs_and_every_check_says_not_implemented(
        path: Path, executed_student_copies: dict[str, nbformat.NotebookNode]) -> None:
    nb = executed_student_copies[path.stem]
    assert _errors(nb) == []
    outputs = _check_outputs(nb)
    assert outputs, "no check cell"
    for index, text in outputs.items():
        verdicts = [line for line in text.splitlines() if line.startswith(sc.VERDICTS)]
        assert verdicts and all(v.startswith("…") for v in verdicts), (
            f"cell {index} should say 'not implemented yet' but printed:\n{text}")
        assert ("not implemented yet" in text or "does not return anything yet" in text
                or "is not written yet" in text)
        assert "The cells below use " in text, "later cells say what they use"


@pytest.mark.parametrize("path", SERIES, ids=IDS)
def test_solutions_pasted_back_give_the_instructors_notebook(path: Path) -> None:
    """Pasting the solutions back into the student copy gives the instructor's code, cell by
    cell. That copy is run once, by the grader (tests/test_grading.py,
    test_the_series_with_its_solutions_passes_the_grader), where every check must pass."""
    instructor, student = _copies(path)
    solved = sc.solved_notebook(student, instructor, f"notebooks/{path.name}")
    def code(source: str) -> str:            # the solution markers are not code
        return "\n".join(line for line in source.split("\n")
                         if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
    assert [code(c.source) for c in solved.cells] == [code(c.source) for c in instructor.cells]
    assert [c.cell_type for c in solved.cells] == [c.cell_type for c in instructor.cells]


def test_the_series_has_at_least_eight_marked_exercises() -> None:
    count = 0
    for path in series_notebooks():
        nb = nbformat.read(path, as_version=4)
        regions = sc.notebook_regions(nb, f"notebooks/{path.name}")
        count += sum(sc.EXERCISE_TAG in sc.cell_tags(nb.cells[i]) for i in regions)
    assert count >= 8, f"only {count} exercise cells with a solution region in the series"


@pytest.mark.parametrize("line", ["return delta", "return Theta, costs", "delta, Delta", "return D_l"])
def test_names_alone_are_not_a_solution_line(line):
    """A line that only returns or lists names gives nothing away; a skeleton may show it."""
    assert sc.solution_fragments(line) == {}


def test_a_synthesis_exercise_may_reuse_what_its_notebook_teaches(tmp_path):
    """The capstone reuses the notebook's own code (Δ/m): no leak there, but the same piece in
    a hint string still is one."""
    teach = nbformat.v4.new_code_cell("D = {l: Delta[l] / m for l in Delta}")
    exercise = nbformat.v4.new_code_cell(
        "def backprop(Theta, X, Y, lam):\n    ### BEGIN SOLUTION\n    D = {}\n    for l in Delta:\n"
        "        D[l] = Delta[l] / m\n    return D\n    ### END SOLUTION",
        metadata={"tags": ["exercise"], "exercise": "05-backprop", "synthesis": True})
    nb = nbformat.v4.new_notebook(cells=[teach, exercise])
    student = sc.student_notebook(nb, "05-d-terms.ipynb")
    assert sc.find_leaks(nb, student, "05-d-terms.ipynb") == []
    leaks = sc.find_leaks(nb, student, "05-d-terms.ipynb", {"nb05.py, line 3": "hint: Delta[l] / m"})
    assert len(leaks) == 1 and "05-backprop" in leaks[0] and "nb05.py" in leaks[0]
    exercise.metadata.pop("synthesis")
    assert any("cell 0" in leak for leak in sc.find_leaks(nb, student, "05-d-terms.ipynb"))
