"""Gradient checking: numerical_gradient, relative_difference, gradient_check."""

from __future__ import annotations

import numpy as np
import pytest

import nbhelpers as nb


def test_numerical_gradient_is_the_two_sided_difference() -> None:
    """J(Θ) = Σ Θ³ over every entry. Two-sided: ((θ + ε)³ − (θ − ε)³)/(2ε) = (6θ²ε + 2ε³)/(2ε)
    = 3θ² + ε², exactly; a one-sided difference would give 3θ² + 3θε + ε² instead.
    With ε = 0.01 every entry must be 3θ² + 0.0001."""
    Theta = {1: np.array([[1.0, -2.0, 0.5]]), 2: np.array([[3.0, 0.0], [-1.0, 2.0]])}
    grad = nb.numerical_gradient(lambda T: sum(float(np.sum(M ** 3)) for M in T.values()),
                                 Theta, epsilon=0.01)
    assert list(grad) == [1, 2]
    for l in Theta:
        np.testing.assert_allclose(grad[l], 3 * Theta[l] ** 2 + 1e-4, rtol=1e-10, atol=1e-12)


def test_numerical_gradient_leaves_theta_unchanged() -> None:
    Theta = {1: np.array([[1.0, 2.0]])}
    nb.numerical_gradient(lambda T: float(np.sum(T[1] ** 2)), Theta)
    np.testing.assert_array_equal(Theta[1], [[1.0, 2.0]])


def test_relative_difference_hand_worked() -> None:
    """‖A − B‖/‖A + B‖: A = (2), B = (1): 1/3;  A = (1, 0), B = (0, 1): √2/√2 = 1;
    A = B: 0;  both zero: 0 by definition (not 0/0)."""
    assert nb.relative_difference([2.0], [1.0]) == pytest.approx(1 / 3, rel=1e-15)
    assert nb.relative_difference({1: [[1.0, 0.0]]}, {1: [[0.0, 1.0]]}) == pytest.approx(1.0)
    assert nb.relative_difference({1: [1.0, 2.0]}, {1: [1.0, 2.0]}) == 0.0
    assert nb.relative_difference({1: [0.0]}, {1: [0.0]}) == 0.0


def test_relative_difference_pairs_layers_by_number_not_by_order() -> None:
    A = {1: np.ones((2, 3)), 2: np.full((1, 3), 2.0)}
    B = {2: np.full((1, 3), 2.0), 1: np.ones((2, 3))}
    assert nb.relative_difference(A, B) == 0.0


def test_gradient_check_on_the_debug_problem() -> None:
    """Backprop is right when the relative difference is about ε² ≈ 1e-8 or below; for the
    smooth, small debug network it is far below (about 1e-11)."""
    prob = nb.debug_problem([3, 5, 5, 4], m=5)
    assert nb.gradient_check(prob.Theta, prob.X, prob.Y) < 1e-9
    assert nb.gradient_check(prob.Theta, prob.X, prob.Y, lam=3.0) < 1e-9
    assert nb.gradient_check(prob.Theta, prob.X, prob.Y, 3.0,
                             gradient=nb.backprop_vectorized) < 1e-9


def test_gradient_check_compares_with_the_numerical_gradient() -> None:
    prob = nb.debug_problem([2, 3, 2], m=4)
    numeric = nb.numerical_gradient(lambda T: nb.cost(T, prob.X, prob.Y, 0.5), prob.Theta)
    D = nb.backprop(prob.Theta, prob.X, prob.Y, 0.5)
    for l in D:
        np.testing.assert_allclose(numeric[l], D[l], rtol=1e-7, atol=1e-10)


def _forgot_g_prime(Theta, X, Y, lam):
    """A typical bug: δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ without .* g′(z⁽ˡ⁾)."""
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        bp = nb.backprop_example(Theta, x, y)
        delta = {len(Theta) + 1: bp.delta[len(Theta) + 1]}
        for l in range(len(Theta), 1, -1):
            delta[l] = Theta[l][:, 1:].T @ delta[l + 1]
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], bp.a[l])
    return {l: Delta[l] / len(X) + lam / len(X) * np.pad(Theta[l][:, 1:], ((0, 0), (1, 0)))
            for l in Delta}


@pytest.mark.parametrize("wrong", [
    pytest.param(lambda T, X, Y, lam: {l: 2 * D for l, D in nb.backprop(T, X, Y, lam).items()},
                 id="D twice too large"),
    pytest.param(lambda T, X, Y, lam: nb.backprop(T, X, Y, 0.0), id="regularization dropped"),
    pytest.param(_forgot_g_prime, id="g-prime forgotten"),
])
def test_gradient_check_catches_a_wrong_gradient(wrong) -> None:
    prob = nb.debug_problem([3, 5, 5, 4], m=5)
    assert nb.gradient_check(prob.Theta, prob.X, prob.Y, 1.0, gradient=wrong) > 1e-3
