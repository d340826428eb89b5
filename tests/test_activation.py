"""g (the sigmoid) and g′: exact values, symmetry, finite differences, no overflow."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from nbhelpers import sigmoid, sigmoid_gradient

LN3 = math.log(3.0)


def test_sigmoid_exact_values() -> None:
    """g(0) = 1/(1 + e⁰) = 1/2;  g(ln 3) = 1/(1 + 1/3) = 3/4;  g(−ln 3) = 1/(1 + 3) = 1/4;
    g(ln 2) = 1/(1 + 1/2) = 2/3."""
    got = sigmoid([0.0, LN3, -LN3, math.log(2.0)])
    np.testing.assert_allclose(got, [0.5, 0.75, 0.25, 2 / 3], rtol=1e-15)


def test_sigmoid_gradient_exact_values() -> None:
    """g′(0) = 1/2 · 1/2 = 1/4;  g′(ln 3) = 3/4 · 1/4 = 3/16 = g′(−ln 3) (g′ is even)."""
    got = sigmoid_gradient([0.0, LN3, -LN3])
    np.testing.assert_allclose(got, [0.25, 3 / 16, 3 / 16], rtol=1e-15)


def test_sigmoid_keeps_the_shape_and_accepts_lists_and_integers() -> None:
    z = np.array([[0, 1, -2], [3, -4, 5]])
    assert sigmoid(z).shape == (2, 3)
    assert sigmoid(z).dtype == np.float64
    np.testing.assert_array_equal(sigmoid(z), sigmoid(z.astype(float)))
    np.testing.assert_array_equal(sigmoid(z.tolist()), sigmoid(z.astype(float)))
    assert float(sigmoid(0)) == 0.5


@pytest.mark.parametrize("function", [sigmoid, sigmoid_gradient])
def test_large_z_gives_no_overflow_warning(function) -> None:
    """1/(1 + e^(−z)) written out overflows e^(−z) for z < −709; the package must not."""
    z = np.array([-1e4, -1e3, -710.0, -50.0, 0.0, 50.0, 710.0, 1e3, 1e4])
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="raise"):
        warnings.simplefilter("always")
        out = function(z)
    assert caught == []
    assert np.all(np.isfinite(out))
    if function is sigmoid:
        assert out[0] == 0.0 and out[-1] == 1.0
        assert np.all(np.diff(out) >= 0)          # g is increasing
    else:
        assert out[0] == 0.0 and out[-1] == 0.0
        assert out[4] == 0.25


def test_sigmoid_symmetry() -> None:
    """g(−z) = 1/(1 + e^z), and 1 − g(z) = e^(−z)/(1 + e^(−z)) = 1/(e^z + 1): the same."""
    z = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(sigmoid(-z), 1 - sigmoid(z), rtol=0, atol=1e-15)


def test_sigmoid_gradient_matches_finite_differences() -> None:
    """(g(z + h) − g(z − h)) / 2h differs from g′(z) by about h²/6 · g‴(z) ≈ 1e-11 for h = 1e-5
    (|g‴| ≤ 1/8), plus rounding of about 1e-16/h = 1e-11."""
    z = np.linspace(-8, 8, 161)
    h = 1e-5
    numeric = (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)
    np.testing.assert_allclose(sigmoid_gradient(z), numeric, rtol=0, atol=1e-9)


def test_sigmoid_gradient_is_largest_at_zero() -> None:
    z = np.linspace(-5, 5, 101)
    gp = sigmoid_gradient(z)
    assert gp.argmax() == 50 and gp.max() == 0.25
    np.testing.assert_allclose(gp, sigmoid(z) * (1 - sigmoid(z)), rtol=1e-15)
