"""Backpropagation for all m examples at once: the loop's sums become matrix products."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import expit

from .activation import SIGMOID, Activation
from .cost import _regularization_cost
from .d_terms import Gradient, _d_terms
from .loss import LOGISTIC, Loss
from .validation import Params, check_problem
from .variant import variant


def _forward_rows(Theta: Params, X: np.ndarray, activation: Activation = SIGMOID
                  ) -> tuple[dict[int, np.ndarray], np.ndarray]:
    """Forward propagation with one example per row: the activations g(z⁽ˡ⁾) and z⁽ᴸ⁾.

    ``G[l]`` is A⁽ˡ⁾ without its column of ones (``G[1]`` is X itself). The bias unit enters
    through column 0 of Θ⁽ˡ⁾ instead: A⁽ˡ⁾(Θ⁽ˡ⁾)ᵀ = G⁽ˡ⁾(Θ⁽ˡ⁾ without column 0)ᵀ + column 0,
    the same numbers without copying the (possibly large) data into a matrix with a column
    of ones. The hidden layers use ``activation``'s g, the output layer the sigmoid.
    """
    L = len(Theta) + 1
    G = {1: X}
    for l in range(1, L):
        Z = G[l] @ Theta[l][:, 1:].T                     # z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾a⁽ˡ⁾, row by row:
        Z += Theta[l][:, 0]                              # the bias column, added in place
        g = activation.g if l + 1 < L else expit
        G[l + 1] = g(Z)                                  # a⁽ˡ⁺¹⁾ = g(z⁽ˡ⁺¹⁾), without a₀
    return G, Z


def _Delta_from_rows(delta: np.ndarray, G: np.ndarray) -> np.ndarray:
    """Δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾)ᵀA⁽ˡ⁾ = Σᵢ δ⁽ˡ⁺¹⁾⁽ⁱ⁾(a⁽ˡ⁾⁽ⁱ⁾)ᵀ, with A⁽ˡ⁾ = [1 G]: column 0 (a₀ = 1) is
    the column sum of δ⁽ˡ⁺¹⁾, the other columns are (δ⁽ˡ⁺¹⁾)ᵀG."""
    Delta = np.empty((delta.shape[1], G.shape[1] + 1))
    Delta[:, 0] = delta.sum(axis=0)
    Delta[:, 1:] = (G.T @ delta).T
    return Delta


def _backward_rows(Theta: Params, G: dict[int, np.ndarray], Y: np.ndarray, lam: float,
                   loss: Loss = LOGISTIC, activation: Activation = SIGMOID) -> Gradient:
    """δ⁽ᴸ⁾ = A⁽ᴸ⁾ − Y, δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾Θ⁽ˡ⁾ without column 0) .* g′(z⁽ˡ⁾), Δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾)ᵀA⁽ˡ⁾.

    g′(z⁽ˡ⁾) is taken from a⁽ˡ⁾ = g(z⁽ˡ⁾) (for the sigmoid a⁽ˡ⁾ .* (1 − a⁽ˡ⁾)), the same number
    without evaluating g a second time. δ⁽ᴸ⁾ is the loss's (A⁽ᴸ⁾ − Y for the logistic cost).
    """
    L = len(Theta) + 1
    delta = loss.output_delta(G[L], Y)                   # δ⁽ᴸ⁾ for every example
    Delta = {L - 1: _Delta_from_rows(delta, G[L - 1])}
    slope = activation.times_g_prime
    for l in range(L - 1, 1, -1):
        delta = slope(delta @ Theta[l][:, 1:], G[l])       # δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ .* g′(z⁽ˡ⁾)
        Delta[l - 1] = _Delta_from_rows(delta, G[l - 1])       # Δ⁽ˡ⁻¹⁾ = Σᵢ δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ
    return _d_terms(dict(sorted(Delta.items())), Theta, G[1].shape[0], lam)


def backprop_vectorized_unchecked(Theta: Params, X: np.ndarray, Y: np.ndarray, lam: float,
                                  loss: Loss = LOGISTIC, activation: Activation = SIGMOID
                                  ) -> Gradient:
    """:func:`backprop_vectorized` without input checks, for callers that have run
    ``check_problem`` once (J(Θ) is not needed, so not computed)."""
    G, _ = _forward_rows(Theta, X, activation)
    return _backward_rows(Theta, G, Y, lam, loss, activation)


def _cost_and_gradient(Theta: Params, X: np.ndarray, Y: np.ndarray, lam: float,
                       loss: Loss = LOGISTIC, activation: Activation = SIGMOID
                       ) -> tuple[float, Gradient]:
    """J(Θ) and D from one forward pass, one example per row (what the optimizers call).

    With A⁽ˡ⁾ of shape m × (sₗ + 1) and δ⁽ˡ⁾ of shape m × sₗ, Δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾)ᵀA⁽ˡ⁾. J is
    evaluated from z = z⁽ᴸ⁾ by the loss's own terms, as in :func:`~nbhelpers.cost.cost`.
    """
    G, Z = _forward_rows(Theta, X, activation)
    m = X.shape[0]
    terms = loss.terms(Z, G[len(Theta) + 1], Y)
    J = float(np.sum(terms) / m) + _regularization_cost(Theta, m, lam)
    return J, _backward_rows(Theta, G, Y, lam, loss, activation)


def backprop_vectorized(Theta: Any, X: Any, Y: Any, lam: float = 0.0, *,
                        loss: str = "logistic", activation: str = "sigmoid") -> Gradient:
    """The same D as :func:`backprop`, from whole-batch matrix products instead of a loop.

    Δ⁽ˡ⁾ = Σᵢ δ⁽ˡ⁺¹⁾⁽ⁱ⁾(a⁽ˡ⁾⁽ⁱ⁾)ᵀ is exactly the matrix product (δ⁽ˡ⁺¹⁾)ᵀA⁽ˡ⁾ when the
    examples are stacked as rows; D⁽ˡ⁾ then follows as in the lecture. ``loss`` and
    ``activation`` choose δ⁽ᴸ⁾ and g as in :func:`backprop`.
    """
    chosen = variant(loss, activation)
    return backprop_vectorized_unchecked(*check_problem(Theta, X, Y, lam), *chosen)
