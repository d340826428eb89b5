"""The cost J(Θ): logistic cost over K outputs, averaged over m, plus regularization.

The squared error ½‖h_Θ(x) − y‖² can replace the logistic cost (``loss="squared"``); the
regularization term stays the same."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .activation import SIGMOID, Activation
from .forward import forward_unchecked
from .loss import LOGISTIC, Loss
from .validation import Params, as_theta, check_lambda, check_m, check_problem
from .variant import variant


def cost(Theta: Any, X: Any, Y: Any, lam: float = 0.0, *, loss: str = "logistic",
         activation: str = "sigmoid") -> float:
    """J(Θ) = −(1/m) Σᵢ Σₖ [yₖ⁽ⁱ⁾ log h_Θ(x⁽ⁱ⁾)ₖ + (1 − yₖ⁽ⁱ⁾) log(1 − h_Θ(x⁽ⁱ⁾)ₖ)]
    + λ/(2m) Σₗ Σᵢ Σⱼ≥₁ (Θ⁽ˡ⁾ᵢⱼ)².

    ``loss="squared"`` takes J(Θ) = (1/m) Σᵢ ½‖h_Θ(x⁽ⁱ⁾) − y⁽ⁱ⁾‖² + the same regularization;
    ``activation`` ("sigmoid", "tanh" or "relu") is g for the hidden layers.
    """
    chosen = variant(loss, activation)
    return cost_unchecked(*check_problem(Theta, X, Y, lam), *chosen)


def cost_unchecked(Theta: Params, X: np.ndarray, Y: np.ndarray, lam: float,
                   loss: Loss = LOGISTIC, activation: Activation = SIGMOID) -> float:
    """J(Θ) without input checks, for callers that have run ``check_problem`` once and evaluate
    J many times (a gradient check moves one weight at a time).

    The logistic term −y log h − (1 − y) log(1 − h) is evaluated from z⁽ᴸ⁾ as
    y·log(1 + e^(−z)) + (1 − y)·log(1 + e^z), which is the same number but never takes log(0).
    """
    m = X.shape[0]
    fp = forward_unchecked(Theta, X, activation)
    data = np.sum(loss.terms(fp.z[fp.L], fp.h, Y)) / m
    return float(data) + _regularization_cost(Theta, m, lam)


def regularization_cost(Theta: Any, m: Any, lam: Any) -> float:
    """λ/(2m) · Σₗ Σᵢ Σⱼ≥₁ (Θ⁽ˡ⁾ᵢⱼ)²: every weight except the bias column j = 0."""
    return _regularization_cost(as_theta(Theta), check_m(m), check_lambda(lam))


def _regularization_cost(Theta: Params, m: int, lam: float) -> float:
    return lam / (2 * m) * math.fsum(float(np.sum(T[:, 1:] ** 2)) for T in Theta.values())

