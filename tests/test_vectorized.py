"""The vectorized gradient's shortcuts give the plain formulas' numbers.

``_cost_and_gradient`` never builds A⁽¹⁾ = [1 X] and evaluates J from the same forward pass as
D; ``backprop_vectorized`` skips J altogether; the input checks pass a
float64 array through without copying it. Each shortcut is compared here with the
straightforward computation, including saturated outputs and soft labels.
"""

from __future__ import annotations

import numpy as np
import pytest

import nbhelpers as nb
from nbhelpers.validation import as_float_array, check_finite, check_problem
from nbhelpers.vectorized import _cost_and_gradient


def _problem(sizes: list[int], m: int, scale: float, soft: bool, seed: int) -> nb.Problem:
    rng = np.random.default_rng(seed)
    Theta = {l: scale * rng.normal(size=(sizes[l], sizes[l - 1] + 1)) for l in range(1, len(sizes))}
    X = rng.uniform(-1, 1, (m, sizes[0]))
    K = sizes[-1]
    Y = rng.random((m, K)) if soft else nb.one_hot(rng.integers(0, K, m), K)
    return nb.Problem(Theta, X, Y)


@pytest.mark.parametrize("scale", [0.1, 1.0, 30.0])      # 30: |z⁽ᴸ⁾| in the hundreds, g saturated
@pytest.mark.parametrize("soft", [False, True])
def test_cost_from_the_shared_forward_pass_equals_cost(scale: float, soft: bool) -> None:
    p = _problem([5, 4, 3], 40, scale, soft, seed=int(scale * 10) + soft)
    for lam in (0.0, 2.0):
        J, _ = _cost_and_gradient(p.Theta, p.X, p.Y, lam)
        assert J == pytest.approx(nb.cost(p.Theta, p.X, p.Y, lam), rel=1e-12, abs=1e-300)


def test_cost_of_confident_right_answers_keeps_its_tiny_value() -> None:
    """z⁽ᴸ⁾ = ±40 on the right side: each term is log(1 + e^(−40)) ≈ 4.2e-18, not 0 and not
    a rounding error of z."""
    Theta = {1: np.array([[0.0, 40.0], [0.0, -40.0]])}
    X = np.array([[1.0]])
    Y = np.array([[1.0, 0.0]])
    J, _ = _cost_and_gradient(Theta, X, Y, 0.0)
    assert J == pytest.approx(2 * np.log1p(np.exp(-40.0)), rel=1e-14)
    assert J == pytest.approx(nb.cost(Theta, X, Y), rel=1e-14)


@pytest.mark.parametrize("sizes", [[4, 3], [4, 6, 3], [2, 5, 4, 3, 2]])
@pytest.mark.parametrize("m", [1, 9])
def test_bias_column_of_delta_is_the_column_sum(sizes: list[int], m: int) -> None:
    """Δ⁽ˡ⁾ computed without a column of ones equals the loop's Δ⁽ˡ⁾, column 0 included."""
    p = _problem(sizes, m, 1.0, soft=False, seed=len(sizes) + m)
    loop = nb.backprop(p.Theta, p.X, p.Y, 0.5)
    vec = nb.backprop_vectorized(p.Theta, p.X, p.Y, 0.5)
    _, both = _cost_and_gradient(p.Theta, p.X, p.Y, 0.5)
    for l in p.Theta:
        for D in (vec, both):
            np.testing.assert_allclose(D.Delta[l], loop.Delta[l], rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(D[l], loop[l], rtol=1e-12, atol=1e-14)


def test_input_checks_neither_copy_float_data_nor_change_other_real_arrays() -> None:
    """Checking a large float64 X must not copy it; int and bool arrays become float64."""
    X = np.random.default_rng(0).random((50, 4))
    assert as_float_array(X, "X") is X
    p = nb.lecture_network(m=4)
    _, X_checked, Y_checked, _ = check_problem(p.Theta, p.X, p.Y)
    assert np.shares_memory(X_checked, p.X) and np.shares_memory(Y_checked, p.Y)
    for arr in (np.array([[1, 2], [3, 4]]), np.array([True, False]), np.float32([0.1])):
        out = as_float_array(arr, "a")
        assert out.dtype == np.float64
        np.testing.assert_array_equal(out, np.asarray(arr, dtype=float))


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("where", [(0, 0), (1234, 17), (-1, -1)])
def test_finiteness_check_finds_the_bad_entry_of_a_large_array(order, where) -> None:
    X = np.asarray(np.random.default_rng(1).normal(size=(2000, 40)), order=order)
    check_finite(X, "X")                                   # every entry finite: no error
    check_finite(X[:, ::3], "X")                           # not contiguous
    row, col = range(2000)[where[0]], range(40)[where[1]]
    for bad in (np.nan, np.inf, -np.inf):
        X[where] = bad
        with pytest.raises(ValueError, match=rf"X contains {bad} at example, feature \({row}, {col}\)"):
            check_finite(X, "X", "example, feature")


def test_finiteness_check_accepts_huge_finite_values() -> None:
    X = np.full((100, 100), 1e200)                     # Σ x² would overflow, every x is finite
    check_finite(X, "X")
    X[3, 4] = np.nan
    with pytest.raises(ValueError, match=r"X contains nan at example, feature \(3, 4\)"):
        check_finite(X, "X", "example, feature")
