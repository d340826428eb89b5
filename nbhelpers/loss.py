"""The cost of the output layer's answer, and the output layer's delta term δ⁽ᴸ⁾ that follows.

The lecture's cost is the logistic one; the squared error is the classic alternative. Both sit
on a sigmoid output layer, a⁽ᴸ⁾ = g(z⁽ᴸ⁾), and both get the same regularization term. For one
example and one output unit k the cost term c(h, y) gives δ⁽ᴸ⁾ₖ = ∂c/∂z⁽ᴸ⁾ₖ = ∂c/∂h · g′(z⁽ᴸ⁾ₖ):

* logistic: c = −y log h − (1 − y) log(1 − h), ∂c/∂h = (h − y) / (h(1 − h)), and with
  g′(z) = h(1 − h) the two factors cancel: δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y, the lecture's formula;
* squared:  c = ½(h − y)², ∂c/∂h = h − y, nothing cancels: δ⁽ᴸ⁾ = (a⁽ᴸ⁾ − y) .* g′(z⁽ᴸ⁾).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .validation import choose

Terms = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Loss:
    """One cost function: its terms and the δ⁽ᴸ⁾ it gives.

    ``terms(z, h, Y)`` is the cost of every example and output unit (z = z⁽ᴸ⁾, h = a⁽ᴸ⁾,
    one row per example), so that J(Θ) = (1/m)·Σ terms + λ/(2m)·Σ non-bias Θ².
    ``output_delta(h, Y)`` is δ⁽ᴸ⁾ = ∂c/∂z⁽ᴸ⁾.
    """

    name: str
    terms: Terms
    output_delta: Callable[[np.ndarray, np.ndarray], np.ndarray]


def _logistic_terms(z: np.ndarray, h: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """−y log h − (1 − y) log(1 − h) from z = z⁽ᴸ⁾ as y·log(1 + e^(−z)) + (1 − y)·log(1 + e^z):
    the same number, but never log(0), however saturated h is."""
    return Y * np.logaddexp(0.0, -z) + (1 - Y) * np.logaddexp(0.0, z)


def _squared_terms(z: np.ndarray, h: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """½(h − y)² for every example and output unit."""
    return 0.5 * (h - Y) ** 2


LOGISTIC = Loss("logistic", _logistic_terms,
                lambda h, Y: h - Y)                      # δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y

SQUARED = Loss("squared", _squared_terms,
               lambda h, Y: (h - Y) * (h * (1.0 - h)))   # δ⁽ᴸ⁾ = (a⁽ᴸ⁾ − y) .* g′(z⁽ᴸ⁾)

LOSSES: dict[str, Loss] = {c.name: c for c in (LOGISTIC, SQUARED)}
"""The cost functions by name; "logistic" is the lecture's."""


def loss_named(name: Any) -> Loss:
    """The :class:`Loss` called ``name`` ("logistic" or "squared"), or a clear error."""
    return choose(LOSSES, name, "loss", "the cost J(Θ); 'logistic' is the lecture's")
