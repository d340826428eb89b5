"""Exercise feedback: what a student sees for a missing, misshapen, wrong or right answer."""

from __future__ import annotations

import numpy as np
import pytest

from nbhelpers import sigmoid
from nbhelpers.course.feedback import Mistake, check_function, check_value

EXPECTED = np.array([[0.5, 1.0, -2.0], [3.0, 0.25, 4.0]])
FALLBACK = "(The cells below use the reference value.)"


def test_missing_answer_says_what_to_do(capsys) -> None:
    result = check_value("z⁽²⁾", ..., EXPECTED, todo="multiply Θ⁽¹⁾ by a⁽¹⁾")
    out = capsys.readouterr().out
    assert "z⁽²⁾ is not implemented yet" in out
    assert "multiply Θ⁽¹⁾ by a⁽¹⁾" in out and FALLBACK in out
    assert not result.passed and result.value is EXPECTED


def test_wrong_shape_names_the_shape_and_the_reason(capsys) -> None:
    result = check_value("z⁽²⁾", np.zeros((2, 4)), EXPECTED,
                         why_shape="Θ⁽¹⁾ has 2 rows, one per unit of layer 2")
    out = capsys.readouterr().out
    assert "✘ z⁽²⁾ has shape (2, 4), but it should have shape (2, 3)" in out
    assert "Θ⁽¹⁾ has 2 rows, one per unit of layer 2" in out
    assert "one column too many" in out and "bias" in out
    assert not result.passed and result.value is EXPECTED


def test_a_vector_one_entry_too_long_is_told_in_entries(capsys) -> None:
    """a⁽¹⁾ is a vector: the message counts its entries, never columns."""
    check_value("a⁽¹⁾", np.ones(5), np.ones(4), why_shape="s₁ + 1 = 4 entries, a₀ = 1 first")
    out = capsys.readouterr().out
    assert "✘ a⁽¹⁾ has shape (5,), but it should have shape (4,)" in out
    assert "It has one entry too many: did you keep a bias entry?" in out
    assert "column" not in out


def test_a_vector_one_entry_too_short_is_told_in_entries(capsys) -> None:
    check_value("a⁽¹⁾", np.ones(3), np.ones(4))
    out = capsys.readouterr().out
    assert "It has one entry too few: is the bias unit missing?" in out
    assert "column" not in out


def test_a_vector_given_as_a_one_column_matrix(capsys) -> None:
    check_value("a⁽¹⁾", np.ones((4, 1)), np.ones(4))
    out = capsys.readouterr().out
    assert "It is a one-row or one-column matrix: keep it a flat vector of entries." in out
    assert "too many" not in out and "too few" not in out


def test_a_matrix_one_column_too_short_is_told_in_columns(capsys) -> None:
    check_value("Δ⁽¹⁾", np.zeros((2, 2)), EXPECTED)
    out = capsys.readouterr().out
    assert "It has one column too few: is the bias unit missing?" in out
    assert "entry too" not in out


def test_a_matrix_with_other_rows_gets_no_column_hint(capsys) -> None:
    """(3, 4) against (2, 3): the columns differ by one, but so do the rows."""
    check_value("Δ⁽¹⁾", np.zeros((3, 4)), EXPECTED)
    out = capsys.readouterr().out
    assert "column too" not in out and "entry too" not in out


def test_transposed_answer_gets_a_hint(capsys) -> None:
    check_value("z⁽²⁾", EXPECTED.T, EXPECTED, why_shape="one row per example")
    out = capsys.readouterr().out
    assert "has shape (3, 2), but it should have shape (2, 3): one row per example." in out
    assert "transposed" in out


def test_wrong_values_name_the_entries(capsys) -> None:
    answer = EXPECTED.copy()
    answer[1, 2] = 9.0
    answer[0, 0] = 0.0
    result = check_value("a⁽²⁾", answer, EXPECTED, hint="apply g to every entry")
    out = capsys.readouterr().out
    assert "2 of its 6 entries" in out
    assert "entry (0, 0): yours is 0, expected 0.5" in out
    assert "entry (1, 2): yours is 9, expected 4" in out
    assert "entry (0, 1)" not in out
    assert "Hint: apply g to every entry" in out
    assert not result.passed and result.value is EXPECTED


def test_a_listed_mistake_is_named(capsys) -> None:
    forgot_bias = EXPECTED - 0.5
    result = check_value("z⁽²⁾", forgot_bias, EXPECTED, mistakes=[
        Mistake("used Θ⁽¹⁾ᵀ instead of Θ⁽¹⁾", EXPECTED * 2),
        Mistake("forgot to add the bias unit a₀ = 1", forgot_bias)])
    out = capsys.readouterr().out
    assert "exactly what you get if you forgot to add the bias unit a₀ = 1" in out
    assert "Θ⁽¹⁾ᵀ" not in out
    assert not result.passed


def test_a_correct_answer_is_kept(capsys) -> None:
    answer = EXPECTED + 1e-9
    result = check_value("z⁽²⁾", answer, EXPECTED)
    assert capsys.readouterr().out.strip() == "✔ z⁽²⁾ is correct."
    assert result.passed and result.value is answer


def test_a_non_numeric_answer_is_explained(capsys) -> None:
    result = check_value("J", "0.7", 0.7)
    assert "✘ J should be numbers, but it is a str." in capsys.readouterr().out
    assert not result.passed and result.value == 0.7


def _not_yet(z):
    raise NotImplementedError("return 1 / (1 + e^(−z))")


def test_function_not_implemented(capsys) -> None:
    result = check_function("g", _not_yet, sigmoid, [(np.zeros(3),)], todo="write g(z)")
    out = capsys.readouterr().out
    assert "g is not implemented yet" in out and "write g(z)" in out
    assert "reference function" in out
    assert not result.passed and result.value is sigmoid


def test_function_not_implemented_falls_back_to_its_own_hint(capsys) -> None:
    check_function("g", _not_yet, sigmoid, [(np.zeros(3),)])
    assert "return 1 / (1 + e^(−z))" in capsys.readouterr().out


def test_function_that_raises_is_reported_in_words(capsys) -> None:
    def broken(z):
        return {}[z.size]

    result = check_function("g", broken, sigmoid, [(np.zeros((2, 3)),)])
    out = capsys.readouterr().out
    assert "✘ g stopped with KeyError: 6" in out
    assert "It was called with arguments: an array of shape (2, 3)." in out
    assert "Traceback" not in out
    assert not result.passed and result.value is sigmoid


def test_function_that_raises_names_theta_shapes_and_gives_the_hint(capsys) -> None:
    def three_layers_only(Theta, x):
        return Theta[3]

    theta = {1: np.zeros((2, 3)), 2: np.zeros((1, 3))}
    check_function("forward", three_layers_only, lambda T, x: np.zeros(1), [(theta, np.zeros(2))],
                   hint="loop over every layer, l = 1 … len(Theta)")
    out = capsys.readouterr().out
    assert "✘ forward stopped with KeyError: 3" in out
    assert ("arguments: {1: an array of shape (2, 3), 2: an array of shape (1, 3)}; "
            "an array of shape (2,)") in out
    assert "Hint: loop over every layer, l = 1 … len(Theta)" in out


def test_function_with_wrong_values_names_the_mistake(capsys) -> None:
    result = check_function("g", lambda z: np.exp(-z), sigmoid, [(np.array([0.0, 1.0]),)],
                            mistakes=lambda z: [Mistake("returned e^(−z) only", np.exp(-z))])
    out = capsys.readouterr().out
    assert "g(…) has the right shape" in out and "returned e^(−z) only" in out
    assert not result.passed and result.value is sigmoid


@pytest.mark.parametrize("cases", [1, 3])
def test_correct_function_is_kept(capsys, cases) -> None:
    def mine(z):
        return 1 / (1 + np.exp(-z))

    args = [(np.linspace(-3, 3, 7 + k),) for k in range(cases)]
    result = check_function("g", mine, sigmoid, args)
    assert capsys.readouterr().out.strip() == f"✔ g is correct on all {cases} test case(s)."
    assert result.passed and result.value is mine


def test_a_function_right_on_one_case_but_wrong_on_another_fails(capsys) -> None:
    def only_at_zero(z):
        return np.full_like(z, 0.5)

    result = check_function("g", only_at_zero, sigmoid, [(np.zeros(2),), (np.ones(2),)])
    assert "✘" in capsys.readouterr().out
    assert not result.passed and result.value is sigmoid
