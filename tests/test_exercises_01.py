"""Notebook 01's checks as the notebook runs them: the check cell names no variable, reads the
exercise cell back from the input history, runs it again on other problems, and explains a cell
that stopped with an error instead of failing with a NameError.

(tests/corpus and tests/test_feedback_corpus.py hold the student answers and their verdicts;
this file tests the way the check cells reach them.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import nbhelpers as nb
from nbhelpers.course import feedback
from nbhelpers.course.exercises import nb01

SETUP = """
import numpy as np
import nbhelpers as nb
from nbhelpers.course.exercises import nb01
problem = nb.lecture_network()
Theta = problem.Theta
s = dict(enumerate(nb.layer_sizes(Theta), start=1))
L = len(s)
def g(z):
    return 1 / (1 + np.exp(-z))
x = problem.X[0]
a1 = np.concatenate(([1.0], x))
"""


@pytest.fixture
def shell() -> Iterator[Any]:
    """A real IPython shell, set up as notebook 01 is when its first exercise comes."""
    from IPython.core.interactiveshell import InteractiveShell

    sh = InteractiveShell.instance()
    sh.run_cell(SETUP, store_history=True)
    yield sh
    InteractiveShell.clear_instance()


def run(shell: Any, *cells: str) -> Any:
    result = None
    for cell in cells:
        result = shell.run_cell(cell, store_history=True)
    return result


def test_a_right_cell_passes_and_hands_on_its_own_value(shell, capsys):
    result = run(shell, "z2 = Theta[1] @ a1", "z2 = nb01.check_z2()")
    assert result.error_in_exec is None
    assert capsys.readouterr().out.startswith("✔ z⁽²⁾ is correct, on the notebook's values")
    np.testing.assert_allclose(shell.user_ns["z2"], nb.forward_propagate(
        shell.user_ns["Theta"], shell.user_ns["x"]).z[2])
    assert feedback.VERDICTS[nb01.Z2] is True


def test_a_cell_that_stopped_is_explained_by_its_check_not_a_name_error(shell, capsys):
    run(shell, "z2 = Theta[1] @ x")
    capsys.readouterr()
    result = run(shell, "z2 = nb01.check_z2()")
    out = capsys.readouterr().out
    assert result.error_in_exec is None, "the check cell itself never fails"
    assert out.startswith("✘ your z2 cell stopped with ValueError on the notebook's Θ and x")
    assert "`z2 = Theta[1] @ x`" in out and "the bias unit missing" in out
    assert "The cells below use the right value" in out
    np.testing.assert_allclose(shell.user_ns["z2"], nb.forward_propagate(
        shell.user_ns["Theta"], shell.user_ns["x"]).z[2])
    assert feedback.MISTAKES[nb01.Z2] == "bias_unit_missing"


def test_numbers_typed_in_from_an_output_do_not_pass(shell, capsys):
    right = np.asarray(shell.user_ns["Theta"][1]) @ shell.user_ns["a1"]
    typed = "z2 = np.array([" + ", ".join(repr(float(v)) for v in right) + "])"
    run(shell, typed, "z2 = nb01.check_z2()")
    out = capsys.readouterr().out
    assert out.startswith("✘") and "not computed from them" in out
    assert feedback.diagnose(nb01.Z2, typed).step == "forward"


def test_the_handed_out_scaffold_is_not_written_yet(shell, capsys):
    run(shell, "z2 = ...  # your code", "z2 = nb01.check_z2()")
    assert capsys.readouterr().out.startswith("… z2 is not written yet")


def test_a_forward_cell_with_a_syntax_error_is_explained(shell, capsys):
    result = run(shell, "def forward(Theta, x):\n    a = x\n    for l in range(1, len(Theta) + 1)\n"
                        "        a = g(Theta[l] @ a)\n    return a",
                 "forward = nb01.check_forward()")
    out = capsys.readouterr().out
    assert result.error_in_exec is None
    assert "the cell that defines forward stopped with SyntaxError" in out
    assert shell.user_ns["forward"] is nb01.reference_forward


def test_a_right_forward_is_handed_on_itself(shell, capsys):
    run(shell, "def forward(Theta, x):\n    a = np.asarray(x, dtype=float)\n"
               "    for l in range(1, len(Theta) + 1):\n"
               "        a = g(Theta[l] @ np.concatenate(([1.0], a)))\n    return a",
        "mine = forward", "forward = nb01.check_forward()")
    assert capsys.readouterr().out.startswith("✔ forward is correct on all 5 problems")
    assert shell.user_ns["forward"] is shell.user_ns["mine"]


def test_what_forward_prints_is_shown_under_the_verdict(shell, capsys):
    run(shell, "def forward(Theta, x):\n    print('layers:', len(Theta))\n"
               "    return nb.sigmoid(Theta[1] @ np.concatenate(([1.0], x)))",
        "forward = nb01.check_forward()")
    out = capsys.readouterr().out
    assert out.startswith("✘") and "What your code printed" in out and "layers: 3" in out


def test_the_probes_of_z2_start_with_the_notebooks_own_values():
    names = {"Theta": nb.lecture_network().Theta, "x": np.array([0.1, -0.2, 0.3])}
    probes = nb01.z2_probes(None, names)
    assert probes[0].own and probes[0].title == "the notebook's Θ and x"
    assert len({p.expected.shape for p in probes}) == 2, "a network of other sizes too"


def test_forward_is_tried_on_networks_of_two_to_five_layers():
    depths = {len(p.args()[0]) + 1 for p in nb01.forward_probes(None, None)}
    assert depths == {2, 3, 4, 5}
