"""The cost J(Θ): logistic cost over K outputs, averaged over m, plus regularization."""

from __future__ import annotations

from typing import Any

import numpy as np

from .checks import Params, as_examples, as_targets, as_theta, check_lambda
from .forward import _forward


def regularization_cost(Theta: Params, m: int, lam: float) -> float:
    """λ/(2m) · Σₗ Σᵢ Σⱼ≥₁ (Θ⁽ˡ⁾ᵢⱼ)²: every weight except the bias column j = 0."""
    return lam / (2 * m) * sum(float(np.sum(T[:, 1:] ** 2)) for T in Theta.values())


def _cost(Theta: Params, X: np.ndarray, Y: np.ndarray, lam: float) -> float:
    """J(Θ) on checked inputs.

    −y log h − (1 − y) log(1 − h) is evaluated from z⁽ᴸ⁾ as y·log(1 + e^(−z)) +
    (1 − y)·log(1 + e^z), which is the same number but never takes log(0).
    """
    m = X.shape[0]
    zL = _forward(Theta, X).z[len(Theta) + 1]
    data = np.sum(Y * np.logaddexp(0.0, -zL) + (1 - Y) * np.logaddexp(0.0, zL)) / m
    return float(data) + regularization_cost(Theta, m, lam)


def cost(Theta: Any, X: Any, Y: Any, lam: float = 0.0) -> float:
    """J(Θ) = −(1/m) Σᵢ Σₖ [yₖ⁽ⁱ⁾ log h_Θ(x⁽ⁱ⁾)ₖ + (1 − yₖ⁽ⁱ⁾) log(1 − h_Θ(x⁽ⁱ⁾)ₖ)]
    + λ/(2m) Σₗ Σᵢ Σⱼ≥₁ (Θ⁽ˡ⁾ᵢⱼ)².
    """
    Theta, X, Y, lam = check_problem(Theta, X, Y, lam)
    return _cost(Theta, X, Y, lam)


def check_problem(Theta: Any, X: Any, Y: Any, lam: Any = 0.0
                  ) -> tuple[Params, np.ndarray, np.ndarray, float]:
    """Θ, X, Y and λ checked against one another (shared by cost and every backprop)."""
    Theta = as_theta(Theta)
    X, _ = as_examples(X, Theta[1].shape[1] - 1)
    Y = as_targets(Y, X.shape[0], Theta[len(Theta)].shape[0])
    return Theta, X, Y, check_lambda(lam)
