"""Backpropagation for all m examples at once: the loop's sums become matrix products."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import expit

from .checks import Params
from .cost import check_problem, regularization_cost
from .d_terms import Gradient, d_terms
from .forward import _with_bias


def _vectorized(Theta: Params, X: np.ndarray, Y: np.ndarray, lam: float) -> Gradient:
    return _cost_and_gradient(Theta, X, Y, lam)[1]


def _cost_and_gradient(Theta: Params, X: np.ndarray, Y: np.ndarray,
                       lam: float) -> tuple[float, Gradient]:
    """One example per row: A⁽ˡ⁾ is m × (sₗ + 1), δ⁽ˡ⁾ is m × sₗ, and Δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾)ᵀ A⁽ˡ⁾.

    g′(z⁽ˡ⁾) is taken as a⁽ˡ⁾ .* (1 − a⁽ˡ⁾), the same number as g(z)(1 − g(z)) without
    evaluating the sigmoid a second time. J(Θ) comes for free from the same forward pass.
    """
    L = len(Theta) + 1
    A = {1: _with_bias(X)}
    for l in range(1, L):
        Z = A[l] @ Theta[l].T                             # z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾a⁽ˡ⁾, row by row
        G = expit(Z)                                      # a⁽ˡ⁺¹⁾ = g(z⁽ˡ⁺¹⁾)
        A[l + 1] = _with_bias(G) if l + 1 < L else G
    delta = A[L] - Y                                       # δ⁽ᴸ⁾ for every example
    Delta = {L - 1: delta.T @ A[L - 1]}
    for l in range(L - 1, 1, -1):
        a = A[l][:, 1:]
        delta = (delta @ Theta[l][:, 1:]) * a * (1.0 - a)  # δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ .* g′(z⁽ˡ⁾)
        Delta[l - 1] = delta.T @ A[l - 1]                  # Δ⁽ˡ⁻¹⁾ = Σᵢ δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ
    m = X.shape[0]
    J = float(np.sum(Y * np.logaddexp(0.0, -Z) + (1 - Y) * np.logaddexp(0.0, Z)) / m)
    J += regularization_cost(Theta, m, lam)                # Z is z⁽ᴸ⁾ here, as in cost()
    return J, d_terms(dict(sorted(Delta.items())), Theta, m, lam)


def backprop_vectorized(Theta: Any, X: Any, Y: Any, lam: float = 0.0) -> Gradient:
    """The same D as :func:`backprop`, from whole-batch matrix products instead of a loop.

    Δ⁽ˡ⁾ = Σᵢ δ⁽ˡ⁺¹⁾⁽ⁱ⁾(a⁽ˡ⁾⁽ⁱ⁾)ᵀ is exactly the matrix product (δ⁽ˡ⁺¹⁾)ᵀA⁽ˡ⁾ when the
    examples are stacked as rows; D⁽ˡ⁾ then follows as in the lecture.
    """
    return _vectorized(*check_problem(Theta, X, Y, lam))
