"""Numbers written out for people: short, signed with a true minus, big arrays shortened."""

import numpy as np
import pytest

from nbhelpers.display.style import scale_of
from nbhelpers.display.typeset import MAX_SHOWN, array_latex, array_text, number_latex, number_text, unit_text


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


@pytest.mark.parametrize("value, text", [
    (0.0, "0"), (1.0, "1"), (-3.0, "−3"), (0.5812, ".58"), (-0.5812, "−.58"),
    (-0.0412, "−.041"), (-0.00894, "−.0089"), (0.0995, ".10"), (1.25, "1.25"),
    (-9.996, "−10.0"), (12.34, "12.3"), (123.4, "123"), (-999.6, "−1.0e3"),
    (12345.0, "1.2e4"), (-5.4e-4, "−5.4e-4"), (3.2e-6, "3.2e-6"),
])
def test_unit_text_is_short_and_reads_back_as_the_value(value, text):
    assert unit_text(value) == text
    assert len(text) <= 7
    assert float(text.replace("−", "-")) == pytest.approx(value, rel=0.05)   # 2 digits at least


def test_unit_text_keeps_one_digit_before_a_two_digit_exponent():
    assert unit_text(-1.5e20) == "−2e20" and unit_text(1.04e-12) == "1e-12"


def test_powers_of_ten_use_the_lectures_superscript_digits():
    from nbhelpers.validation import sup
    assert number_text(-2.5e-12) == f"−2.5·10{sup(-12)[1:-1]}" == "−2.5·10⁻¹²"
