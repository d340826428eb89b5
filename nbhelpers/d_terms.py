"""The D terms: D⁽ˡ⁾ = Δ⁽ˡ⁾/m + (λ/m)Θ⁽ˡ⁾ for j ≠ 0, and Δ⁽ˡ⁾/m for the bias column j = 0."""

from __future__ import annotations

from typing import Any

import numpy as np

from .validation import Params, as_like_theta, as_theta, check_lambda, check_m


class Gradient(dict[int, np.ndarray]):
    """D = ∂J/∂Θ keyed like Θ (``D[1]``, ``D[2]``, …), and what it was made of.

    ``.Delta`` holds the accumulators Δ⁽ˡ⁾ summed over the m examples, ``.m`` and ``.lam``
    the number of examples and λ, ``.regularization`` the (λ/m)Θ term (zero in column 0).
    """

    def __init__(self, D: Params, *, Delta: Params, m: int, lam: float,
                 regularization: Params) -> None:
        super().__init__(D)
        self.Delta = Delta
        self.m = m
        self.lam = lam
        self.regularization = regularization


def d_terms(Delta: Any, Theta: Any, m: Any, lam: Any) -> Gradient:
    """D⁽ˡ⁾ᵢⱼ = (1/m)Δ⁽ˡ⁾ᵢⱼ + (λ/m)Θ⁽ˡ⁾ᵢⱼ if j ≠ 0;  D⁽ˡ⁾ᵢⱼ = (1/m)Δ⁽ˡ⁾ᵢⱼ if j = 0.

    The lecture prints λΘ, but differentiating the cost's λ/(2m)·ΣΘ² gives (λ/m)Θ;
    notebook 05 shows by a gradient check which one is right. Δ must be keyed like Θ, each
    Δ⁽ˡ⁾ of Θ⁽ˡ⁾'s shape; m is the number of examples Δ was summed over.
    """
    Theta = as_theta(Theta)
    Delta = as_like_theta(Delta, Theta, "Delta", "Δ")
    return _d_terms(Delta, Theta, check_m(m), check_lambda(lam))


def _d_terms(Delta: Params, Theta: Params, m: int, lam: float) -> Gradient:
    reg = _regularization_gradient(Theta, m, lam)
    D = {l: Delta[l] / m + reg[l] for l in Delta}
    return Gradient(D, Delta=Delta, m=m, lam=lam, regularization=reg)


def regularization_gradient(Theta: Any, m: Any, lam: Any) -> Params:
    """(λ/m)·Θ⁽ˡ⁾ᵢⱼ for j ≠ 0 and 0 for j = 0: the derivative of λ/(2m)·Σ non-bias Θ²."""
    return _regularization_gradient(as_theta(Theta), check_m(m), check_lambda(lam))


def _regularization_gradient(Theta: Params, m: int, lam: float) -> Params:
    out = {}
    for l, T in Theta.items():
        R = np.zeros_like(T)
        R[:, 1:] = (lam / m) * T[:, 1:]
        out[l] = R
    return out
