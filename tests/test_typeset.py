"""Numbers written out for people: short, signed with a true minus, big arrays shortened."""

import numpy as np
import pytest

from nbhelpers.display.typeset import MAX_SHOWN, array_latex, array_text, number_latex, number_text, scale_of


@pytest.mark.parametrize("value, text, latex", [
    (1.0, "1", "1"),
    (-0.0, "0", "0"),
    (0.5812, "0.58", "0.58"),
    (-0.0412, "−0.041", "-0.041"),
    (0.00834, "0.0083", "0.0083"),
    (-3.2e-6, "−3.2·10⁻⁶", r"-3.2\cdot 10^{-6}"),
    (1.5e7, "1.5·10⁷", r"1.5\cdot 10^{7}"),
])
def test_numbers_keep_small_values_apart(value, text, latex):
    assert number_text(value) == text
    assert number_latex(value) == latex


def test_vectors_and_matrices_in_text():
    assert array_text(np.array([1.0, -0.5])) == "[1, −0.50]"
    assert array_text(np.array([[1.0, 0.0], [0.25, -2.0]])) == "[[1, 0], [0.25, −2]]"


def test_latex_vectors_are_columns_unless_asked():
    assert array_latex(np.array([1.0, -0.5])) == r"\begin{bmatrix}1 \\ -0.50\end{bmatrix}"
    assert array_latex(np.array([1.0, -0.5]), column=False) == r"\begin{bmatrix}1 & -0.50\end{bmatrix}"


def test_big_arrays_are_shortened_but_keep_both_ends():
    v = np.arange(1.0, 31.0)
    text = array_text(v)
    assert text.startswith("[1, 2, 3, 4, 5, ⋯, 29, 30]")
    assert text.count(",") == MAX_SHOWN - 1
    latex = array_latex(np.ones((30, 30)))
    assert latex.count(r"\\") == MAX_SHOWN - 1 and r"\vdots" in latex and r"\cdots" in latex


def test_scale_of_is_the_largest_magnitude_over_all_arrays_and_1_when_all_are_zero() -> None:
    assert scale_of(np.array([0.5, -3.0]), np.array([[2.0]]), np.zeros(0)) == 3.0
    assert scale_of(np.zeros((2, 3))) == 1.0
    assert scale_of(np.zeros(0)) == 1.0
