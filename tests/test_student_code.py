"""Running a student's function: every exception becomes a verdict, the failing line is quoted,
calls into the package's own implementation are seen at run time, and dict results are compared
layer by layer."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import nbhelpers as nb
from nbhelpers import backprop as bp_alias
from nbhelpers.course.feedback import Mistake, _check_function
from nbhelpers.course.student_code import failing_line, in_thetas_terms, run_student

P = nb.lecture_network(2)


def test_even_system_exit_is_caught_and_the_line_quoted() -> None:
    def quits(x):
        y = x + 1  # noqa: F841
        sys.exit(3)
    run = run_student(quits, (1,))
    assert isinstance(run.error, SystemExit) and run.value is None
    assert failing_line(run.error, quits) == "in your line   sys.exit(3)   (line 3 of your function)"


def test_keyboard_interrupt_is_not_swallowed() -> None:
    def interrupted():
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        run_student(interrupted, ())


def test_prints_are_hidden_and_the_arguments_are_copies(capsys) -> None:
    Theta = {l: T.copy() for l, T in P.Theta.items()}

    def spoils(Theta):
        print("debugging")
        Theta[1][:] = 0.0
        return 7
    run = run_student(spoils, (Theta,))
    assert run.value == 7 and capsys.readouterr().out == ""
    np.testing.assert_array_equal(Theta[1], P.Theta[1])          # the caller's Θ is untouched
    assert not run.given[0][1].any()                            # the copy shows what it did


def test_a_forbidden_call_is_seen_through_an_alias() -> None:
    def through_alias(Theta, X, Y):
        return bp_alias(Theta, X, Y)
    before = sys.getprofile()
    run = run_student(through_alias, (P.Theta, P.X, P.Y), (nb.backprop, nb.accumulate))
    assert run.called == ("nb.backprop",)
    assert run.error is None and sys.getprofile() is before


def packaged_step(Theta, X, Y):
    """Stands for a package function that calls another forbidden one in turn."""
    return nb.backprop(Theta, X, Y)


def test_only_the_students_own_forbidden_calls_are_named() -> None:
    def student(Theta, X, Y):
        return packaged_step(Theta, X, Y)
    run = run_student(student, (P.Theta, P.X, P.Y), (packaged_step, nb.backprop))
    assert run.called == ("nb.packaged_step",)   # nb.backprop was called by it, not by the student


def test_an_allowed_package_call_is_not_refused() -> None:
    def uses_the_sigmoid(z):
        return nb.sigmoid(z)
    run = run_student(uses_the_sigmoid, (np.zeros(2),), (nb.backprop, nb.forward_propagate))
    assert run.called == () and np.allclose(run.value, 0.5)


def test_a_missing_bias_unit_is_explained_with_thetas_shapes() -> None:
    def forward(Theta, x):
        return nb.sigmoid(Theta[1] @ x)
    run = run_student(forward, (P.Theta, P.X[0]))
    text = in_thetas_terms(run.error, "a2 = g(Theta[1] @ x)", P.Theta)
    assert "Θ⁽¹⁾ is 5 × 4" in text and "bias unit missing in the forward pass" in text


def test_a_key_error_names_the_layers_of_this_network() -> None:
    text = in_thetas_terms(KeyError(4), "return Theta[4] @ a", P.Theta)
    assert "L = 4" in text and "Θ has keys 1…3" in text and "take L from Θ" in text


def _doubled(Theta):
    return {l: 2 * T for l, T in Theta.items()}


@pytest.mark.parametrize(("answer", "said"), [
    (_doubled, "✔ twice is correct on all 1 test case(s)."),
    (lambda Theta: {l: 3 * T for l, T in Theta.items()}, "exactly what you get if you tripled"),
    (lambda Theta: [2 * T for T in Theta.values()], "is a list"),
    (lambda Theta: {l - 1: 2 * T for l, T in Theta.items()}, "0-based keys"),
    (lambda Theta: {l: 2 * T.T for l, T in Theta.items()}, "twice(…)[1] has shape (4, 5)"),
])
def test_check_function_compares_dict_results_layer_by_layer(answer, said) -> None:
    result = _check_function("twice", answer, _doubled, [(P.Theta,)],
                             mistakes=lambda Theta: [Mistake("tripled", {l: 3 * T for l, T
                                                                         in Theta.items()})])
    assert said in result.message, result.message
    assert result.passed is said.startswith("✔")
