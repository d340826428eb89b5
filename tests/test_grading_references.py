"""A student who reads the package cannot pass notebook 05 with its numbers: the grader, in its
sandbox, grades a class of notebook-05 submissions whose other exercises are right and whose
capstone (or D-terms exercise) takes its answer from somewhere in nbhelpers."""

from __future__ import annotations

import re

import grade
import nbformat
import pytest
import student_copies as sc
from grading import sandbox
from notebook_runs import series_notebooks

NOTEBOOK = next(p for p in series_notebooks() if p.name.startswith("05-"))
CAPSTONE, D_EXERCISE = "05-backprop", "05-d-from-accumulators"

# the capstone's function, as a student who has read the package might write it
CAPSTONE_CHEATS = {
    "bug-zoo-correct": """
def backprop(Theta, X, Y, lam):
    from nbhelpers.course import bugs
    return dict(bugs.correct(Theta, X, Y, lam))
""",
    "check-reference": """
def backprop(Theta, X, Y, lam):
    from nbhelpers.course import steps
    return dict(steps.gradient(Theta, X, Y, lam))
""",
    "package-backprop": """
def backprop(Theta, X, Y, lam):
    import nbhelpers
    return {l: D.copy() for l, D in nbhelpers.backprop(Theta, X, Y, lam).items()}
""",
    "finite-differences-of-cost": """
def backprop(Theta, X, Y, lam):
    import nbhelpers
    D = {}
    for l, T in Theta.items():
        D[l] = np.zeros_like(T)
        for index in np.ndindex(T.shape):
            up = {k: v.copy() for k, v in Theta.items()}
            down = {k: v.copy() for k, v in Theta.items()}
            up[l][index] += 1e-5
            down[l][index] -= 1e-5
            D[l][index] = (nbhelpers.cost(up, X, Y, lam) - nbhelpers.cost(down, X, Y, lam)) / 2e-5
    return D
""",
    "walks-the-package": """
def backprop(Theta, X, Y, lam):
    import importlib, pkgutil
    import nbhelpers
    for info in pkgutil.walk_packages(nbhelpers.__path__, "nbhelpers."):
        try:
            module = importlib.import_module(info.name)
        except Exception:
            continue
        for name, candidate in sorted(vars(module).items()):
            if "backprop" in name.lower() and callable(candidate):
                try:
                    D = candidate(Theta, X, Y, lam)
                except Exception:
                    continue
                if hasattr(D, "keys") and sorted(D) == sorted(Theta):
                    return {l: np.array(D[l]) for l in D}
    return {}
""",
}
D_CHEAT = """def d_from_accumulators(Delta_l, Theta_l, m, lam):
    import nbhelpers
    return nbhelpers.d_terms({1: Delta_l}, {1: Theta_l}, m, lam)[1].copy()
"""


def _solved() -> nbformat.NotebookNode:
    instructor = nbformat.read(NOTEBOOK, as_version=4)
    return sc.solved_notebook(sc.student_notebook(instructor, NOTEBOOK.name), instructor,
                              NOTEBOOK.name)


def _with(nb: nbformat.NotebookNode, exercise: str, source: str) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.metadata.get("exercise") == exercise and "exercise" in sc.cell_tags(cell):
            cell.source = source
            return nb
    raise AssertionError(f"no exercise cell {exercise} in {NOTEBOOK.name}")


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory, kernels: None,
           sandboxed: bool) -> dict[str, grade.Graded]:
    if not sandboxed:
        pytest.skip(f"the grader's sandbox cannot run here: {sandbox.problem()}")
    folder = tmp_path_factory.mktemp("class")
    students = {"right": _solved(), "d-terms-from-package": _with(_solved(), D_EXERCISE, D_CHEAT)}
    for name, source in CAPSTONE_CHEATS.items():
        students[name] = _with(_solved(), CAPSTONE, source.strip() + "\n")
    for name, nb in students.items():
        (folder / name).mkdir()
        nbformat.write(nb, folder / name / NOTEBOOK.name)
    results = grade.grade_class([folder], grade.Course.load([NOTEBOOK]), jobs=2)
    return {g.student: g for g in results}


def verdicts(g: grade.Graded) -> dict[str, str]:
    return {row.exercise: row.verdict for row in g.rows}


def test_the_right_submission_passes_in_the_sandbox(graded: dict[str, grade.Graded]) -> None:
    g = graded["right"]
    assert g.sandboxed and g.problem is None and g.passed, grade.format_submission(g)


@pytest.mark.parametrize("student", sorted(CAPSTONE_CHEATS))
def test_a_capstone_taken_from_the_package_is_graded_wrong(graded: dict[str, grade.Graded],
                                                          student: str) -> None:
    g = graded[student]
    got = verdicts(g)
    assert got[CAPSTONE] == "wrong", grade.format_submission(g)
    assert all(v == "pass" for e, v in got.items() if e != CAPSTONE), got
    reason = next(row.reason for row in g.rows if row.exercise == CAPSTONE)
    assert re.search(r"nbhelpers|package", reason), reason


def test_the_d_terms_from_nb_d_terms_are_graded_wrong(graded: dict[str, grade.Graded]) -> None:
    g = graded["d-terms-from-package"]
    got = verdicts(g)
    assert got[D_EXERCISE] == "wrong", grade.format_submission(g)
    assert "d_terms" in next(row.reason for row in g.rows if row.exercise == D_EXERCISE)


def test_the_reports_name_no_mistake_for_a_refused_route(graded: dict[str, grade.Graded]) -> None:
    """A refused package call is not a catalogued mistake of the algorithm."""
    for student in CAPSTONE_CHEATS:
        row = next(r for r in graded[student].rows if r.exercise == CAPSTONE)
        assert row.mistake in ("", None, "package_call"), (student, row.mistake)

