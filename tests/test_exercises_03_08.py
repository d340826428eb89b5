"""The check cells of notebooks 03–08 as the notebooks run them, in a real IPython shell: the
check cell names no variable, reads the exercise back (the function it defines, or the cell's
source), prints the verdict and hands the cells below the student's answer when it is right and
a right one when it is not; an exercise cell that stopped is explained by its check cell, which
never fails itself.

(tests/corpus and tests/test_feedback_corpus.py hold the student answers and their verdicts;
test_exercises_00_03.py, _04_06.py and _07_09.py test each check's verdicts through the API.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import nbhelpers as nb
from nbhelpers.course import feedback, notebook
from nbhelpers.course.exercises import nb03, nb04, nb05, nb06, nb07, nb08

SETUP = {
    "03": """
import numpy as np
import nbhelpers as nb
from nbhelpers.course.exercises import nb03
p = nb.lecture_network()
Theta, x, y = p.Theta, p.X[0], p.Y[0]
L = len(Theta) + 1
fp = nb.forward_propagate(Theta, x)
""",
    "04": """
import numpy as np
import nbhelpers as nb
from nbhelpers.course.exercises import nb04
p = nb.lecture_network(m=4)
Theta, X, Y = p.Theta, p.X, p.Y
L, m = len(Theta) + 1, X.shape[0]
s = dict(enumerate(p.sizes, start=1))
bp = nb.backprop_example(Theta, X[0], Y[0])
l, i, j = 2, 3, 4
""",
    "05": """
import numpy as np
import nbhelpers as nb
from nbhelpers.course.exercises import nb05
p = nb.lecture_network()
m, lam = p.X.shape[0], 0.3
Delta = nb.accumulate(p.Theta, p.X, p.Y)
""",
    "06": """
import numpy as np
import nbhelpers as nb
from nbhelpers.course.exercises import nb06
p = nb.lecture_network()
Theta, X, Y = p.Theta, p.X, p.Y
lam = 1.0
def J(T):
    return nb.cost(T, X, Y, lam)
D = nb.backprop(Theta, X, Y, lam)
""",
    "07": """
import numpy as np
import nbhelpers as nb
from nbhelpers.course.exercises import nb07
""",
    "08": """
import numpy as np
import nbhelpers as nb
from nbhelpers.course.exercises import nb08
p = nb.lecture_network(m=5)
Theta, X, Y = p.Theta, p.X, p.Y
L = len(Theta) + 1
""",
}

RIGHT = {
    "03": "def deltas(Theta, a, z, y):\n"
          "    L = len(Theta) + 1\n"
          "    delta = {L: a[L] - y}\n"
          "    for l in range(L - 1, 1, -1):\n"
          "        delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])\n"
          "    return delta",
    "04": "Delta = {l: np.zeros_like(T) for l, T in Theta.items()}\n"
          "for i in range(1, m + 1):\n"
          "    bp_i = nb.backprop_example(Theta, X[i - 1], Y[i - 1])\n"
          "    for l in Delta:\n"
          "        Delta[l] += np.outer(bp_i.delta[l + 1], bp_i.a[l])",
    "05": "def d_from_accumulators(Delta_l, Theta_l, m, lam):\n"
          "    D_l = Delta_l / m\n"
          "    D_l[:, 1:] += lam / m * Theta_l[:, 1:]\n"
          "    return D_l",
    "06": "def two_sided_difference(J, Theta, l, row, col, epsilon=1e-4):\n"
          "    plus = {k: T.copy() for k, T in Theta.items()}\n"
          "    minus = {k: T.copy() for k, T in Theta.items()}\n"
          "    plus[l][row, col] += epsilon\n"
          "    minus[l][row, col] -= epsilon\n"
          "    return (J(plus) - J(minus)) / (2 * epsilon)",
    "07": "def gradient_descent(Theta, X, Y, lam, alpha, iterations):\n"
          "    Theta = {l: T.copy() for l, T in Theta.items()}\n"
          "    costs = [nb.cost(Theta, X, Y, lam)]\n"
          "    for _ in range(iterations):\n"
          "        D = nb.backprop(Theta, X, Y, lam)\n"
          "        for l in Theta:\n"
          "            Theta[l] = Theta[l] - alpha * D[l]\n"
          "        costs.append(nb.cost(Theta, X, Y, lam))\n"
          "    return Theta, costs",
    "08": "def stacked_backward(Theta, A, Z, Y):\n"
          "    L = len(Theta) + 1\n"
          "    delta = {L: A[L] - Y}\n"
          "    for l in range(L - 1, 1, -1):\n"
          "        delta[l] = (delta[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])\n"
          "    Delta = {l: delta[l + 1].T @ A[l] for l in range(1, L)}\n"
          "    return delta, Delta",
}

CHECK = {"03": "deltas = nb03.check_deltas()", "04": "Delta = nb04.check_accumulators()",
         "05": "d_from_accumulators = nb05.check_d_from_accumulators()",
         "06": "two_sided_difference = nb06.check_two_sided_difference()",
         "07": "gradient_descent = nb07.check_gradient_descent()",
         "08": "stacked_backward = nb08.check_stacked_backward()"}
NAME = {"03": "deltas", "04": "Delta", "05": "d_from_accumulators", "06": "two_sided_difference",
        "07": "gradient_descent", "08": "stacked_backward"}
EXERCISE = {"03": nb03.DELTAS, "04": nb04.ACCUMULATE, "05": nb05.D_FROM_ACCUMULATORS,
            "06": nb06.TWO_SIDED, "07": nb07.GD, "08": nb08.STACKED}


@pytest.fixture
def shell() -> Iterator[Any]:
    from IPython.core.interactiveshell import InteractiveShell

    sh = InteractiveShell.instance()
    yield sh
    InteractiveShell.clear_instance()


def run(shell: Any, *cells: str, store: bool = True) -> Any:
    result = None
    for cell in cells:
        result = shell.run_cell(cell, store_history=store)
    return result


@pytest.mark.parametrize("book", sorted(SETUP))
def test_a_right_answer_passes_and_is_handed_on_itself(shell, capsys, book):
    run(shell, SETUP[book], RIGHT[book], f"mine = {NAME[book]}")
    capsys.readouterr()
    result = run(shell, CHECK[book])
    out = capsys.readouterr().out
    assert result.error_in_exec is None and out.startswith("✔"), out
    assert feedback.VERDICTS[EXERCISE[book]] is True
    if book == "04":
        ref = nb.accumulate(shell.user_ns["Theta"], shell.user_ns["X"], shell.user_ns["Y"])
        assert all(np.allclose(shell.user_ns["Delta"][l], ref[l]) for l in ref)
    else:
        assert shell.user_ns[NAME[book]] is shell.user_ns["mine"]


WRONG = {
    "03": (RIGHT["03"].replace("a[L] - y", "y - a[L]"), "delta_L_sign", nb03.reference_deltas),
    "05": (RIGHT["05"].replace("lam / m * Theta_l[:, 1:]", "lam * Theta_l[:, 1:]"),
           "lambda_not_over_m", nb05.reference_d_from_accumulators),
    "06": (RIGHT["06"].replace("(2 * epsilon)", "epsilon"), "epsilon_not_doubled",
           nb06.reference_two_sided_difference),
    "07": (RIGHT["07"].replace("- alpha * D[l]", "+ alpha * D[l]"), "gradient_ascent",
           nb07.reference_gradient_descent),
    "08": (RIGHT["08"].replace("A[L] - Y", "Y - A[L]"), "delta_L_sign",
           nb08.reference_stacked_backward),
}


@pytest.mark.parametrize("book", sorted(WRONG))
def test_a_wrong_function_is_named_and_the_cells_below_get_a_right_one(shell, capsys, book):
    source, mistake, reference = WRONG[book]
    run(shell, SETUP[book], source)
    capsys.readouterr()
    result = run(shell, CHECK[book])
    out = capsys.readouterr().out
    assert result.error_in_exec is None and out.startswith("✘"), out
    assert "(The cells below use the right function.)" in out
    assert feedback.MISTAKES[EXERCISE[book]] == mistake
    assert shell.user_ns[NAME[book]] is reference


def test_a_delta_cell_that_stops_is_explained_by_its_check_not_a_name_error(shell, capsys):
    run(shell, SETUP["04"], RIGHT["04"].replace("bp_i.delta[l + 1], bp_i.a[l]",
                                                "bp_i.a[l], bp_i.delta[l + 1]"))
    assert "ValueError" in capsys.readouterr().out, "the exercise cell itself stopped"
    result = run(shell, CHECK["04"])
    out = capsys.readouterr().out
    assert result.error_in_exec is None
    assert out.startswith("✘ your Delta cell stopped with ValueError on the notebook's Θ, X and Y")
    assert "the outer product the wrong way round" in out
    assert "(The cells below use the right value.)" in out
    assert feedback.MISTAKES[nb04.ACCUMULATE] == "outer_transposed"
    ref = nb.accumulate(shell.user_ns["Theta"], shell.user_ns["X"], shell.user_ns["Y"])
    assert all(np.allclose(shell.user_ns["Delta"][l], ref[l]) for l in ref)


def test_the_check_finds_the_exercise_cell_when_the_runner_keeps_no_history(shell, capsys):
    """nbval runs cells without storing them in In: the cells the course records are read."""
    notebook.record_cells(shell)
    run(shell, SETUP["04"], RIGHT["04"], store=False)
    assert not any("Delta" in cell for cell in shell.user_ns.get("In", []))
    capsys.readouterr()
    run(shell, CHECK["04"], store=False)
    assert capsys.readouterr().out.startswith("✔ Δ is correct for every layer, on the notebook's")
    assert notebook.source_of("Delta") == RIGHT["04"]


def test_a_function_cell_with_a_syntax_error_is_explained(shell, capsys):
    run(shell, SETUP["03"], "def deltas(Theta, a, z, y)\n    return {}")
    capsys.readouterr()
    result = run(shell, CHECK["03"])
    out = capsys.readouterr().out
    assert result.error_in_exec is None
    assert "the cell that defines deltas stopped with SyntaxError" in out
    assert shell.user_ns["deltas"] is nb03.reference_deltas


def test_06_a_difference_of_the_notebooks_own_j_fails_as_a_method(shell, capsys):
    """The J it is given must be the one evaluated: the notebook's J (a global) is not it."""
    run(shell, SETUP["06"], RIGHT["06"].replace("(J(plus) - J(minus))", "(cost_of(plus) - cost_of(minus))")
        .replace("def two_sided_difference", "cost_of = J\ndef two_sided_difference"))
    capsys.readouterr()
    run(shell, CHECK["06"])
    out = capsys.readouterr().out
    assert out.startswith("✘ two_sided_difference gives the very same number for two different J's")
    assert feedback.VERDICTS[nb06.TWO_SIDED] is False


def test_08_a_loop_over_the_examples_fails_in_the_notebook_too(shell, capsys):
    loop = RIGHT["08"].replace(
        "    Delta = {l: delta[l + 1].T @ A[l] for l in range(1, L)}",
        "    Delta = {}\n    for l in range(1, L):\n        Delta[l] = np.zeros((Theta[l].shape))\n"
        "        for i in range(len(Y)):\n            Delta[l] += np.outer(delta[l + 1][i], A[l][i])")
    run(shell, SETUP["08"], loop)
    capsys.readouterr()
    run(shell, CHECK["08"])
    out = capsys.readouterr().out
    assert out.startswith("✘ stacked_backward gives the loop's numbers, but it loops over the examples")
    assert feedback.MISTAKES[nb08.STACKED] == "loop_over_examples"


def test_what_a_function_prints_is_shown_under_the_verdict(shell, capsys):
    run(shell, SETUP["05"], RIGHT["05"].replace("    return D_l", "    print('shape', D_l.shape)\n"
                                                "    return D_l"))
    capsys.readouterr()
    run(shell, CHECK["05"])
    out = capsys.readouterr().out
    assert out.startswith("✔") and "What your code printed" in out and "shape (5, 4)" in out


def test_the_handed_out_scaffolds_are_not_written_yet(shell, capsys):
    run(shell, SETUP["07"], "def gradient_descent(Theta, X, Y, lam, alpha, iterations):\n"
                            "    raise NotImplementedError('write the loop')")
    capsys.readouterr()
    run(shell, CHECK["07"])
    out = capsys.readouterr().out
    assert out.startswith("… gradient_descent is not written yet")
    assert shell.user_ns["gradient_descent"] is nb07.reference_gradient_descent


def _arrays(value: Any) -> list[np.ndarray]:
    if isinstance(value, dict):
        return [a for k in sorted(value, key=str) for a in _arrays(value[k])]
    if isinstance(value, tuple | list):
        return [a for v in value for a in _arrays(v)]
    return [value] if isinstance(value, np.ndarray) else []


def _shapes(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _shapes(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return tuple(_shapes(v) for v in value)
    if isinstance(value, np.ndarray):
        return value.shape
    return "a function" if callable(value) else type(value).__name__


@pytest.mark.parametrize("book", sorted(EXERCISE))
def test_a_seed_draws_other_values_of_the_same_shapes_and_the_verdicts_hold(book):
    import corpus

    from nbhelpers.course.exercise import diagnose, exercise_of

    exercise = exercise_of(EXERCISE[book])
    mine, drawn = exercise.probes(None, None), exercise.probes(2027, None)

    def data(p: Any) -> Any:
        return p.args() if exercise.kind == "function" else p.values

    assert [_shapes(data(p)) for p in mine] == [_shapes(data(p)) for p in drawn]
    pairs = [(x, y) for p, q in zip(mine, drawn, strict=True)
             for x, y in zip(_arrays(data(p)), _arrays(data(q)), strict=True)]
    assert sum(not np.array_equal(x, y) for x, y in pairs) > len(pairs) / 2, "other values"
    for entry in [e for e in corpus.entries() if e.exercise == EXERCISE[book]]:
        verdict = diagnose(entry.exercise, entry.answer, seed=2027)
        assert verdict.passed is entry.passes, entry.name
        if not entry.passes:
            assert verdict.step in entry.steps and verdict.mistake in entry.mistakes, entry.name
