"""The activation function g and its derivative g′: the lecture's sigmoid, and tanh and ReLU
as alternatives for the hidden layers (the output layer always uses the sigmoid)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import expit

from .validation import as_float_array, choose

Elementwise = Callable[[np.ndarray], np.ndarray]


def sigmoid(z: ArrayLike) -> np.ndarray:
    """g(z) = 1 / (1 + e^(−z)), element-wise.

    Computed without overflow for any finite z (|z| of 1e4 and beyond gives exactly 0 or 1,
    with no warning), where the textbook formula would overflow e^(−z) for z < −709.
    """
    return expit(as_float_array(z, "z"))


def sigmoid_gradient(z: ArrayLike) -> np.ndarray:
    """g′(z) = g(z) .* (1 − g(z)), the derivative of the sigmoid, element-wise."""
    g = sigmoid(z)
    return g * (1.0 - g)


def tanh(z: ArrayLike) -> np.ndarray:
    """g(z) = tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)) = 2·sigmoid(2z) − 1, element-wise.

    An S-curve like the sigmoid, but from −1 to 1 and through g(0) = 0.
    """
    return np.tanh(as_float_array(z, "z"))


def tanh_gradient(z: ArrayLike) -> np.ndarray:
    """g′(z) = 1 − tanh²(z) = 1 − g(z)², element-wise; g′(0) = 1, four times the sigmoid's."""
    return _tanh_slope(as_float_array(z, "z"))


def relu(z: ArrayLike) -> np.ndarray:
    """g(z) = max(0, z), element-wise: the rectified linear unit (ReLU)."""
    return _relu(as_float_array(z, "z"))


def relu_gradient(z: ArrayLike) -> np.ndarray:
    """g′(z) = 1 for z > 0 and 0 for z < 0, element-wise.

    At the kink z = 0, max(0, z) has no derivative (its slope is 0 on the left and 1 on the
    right); we take g′(0) = 0, as most libraries do. A finite difference that straddles z = 0
    measures neither slope, so a gradient check must keep every z away from 0.
    """
    return _relu_slope(as_float_array(z, "z"))


def _sigmoid_slope(z: np.ndarray) -> np.ndarray:
    """g′(z) = g(z) .* (1 − g(z)), evaluated exactly as the lecture's loop always has."""
    return expit(z) * (1.0 - expit(z))


def _tanh_slope(z: np.ndarray) -> np.ndarray:
    """g′(z) = 1 − tanh²(z)."""
    g = np.tanh(z)
    return 1.0 - g * g


def _relu(z: np.ndarray) -> np.ndarray:
    """g(z) = max(0, z)."""
    return np.maximum(z, 0.0)


def _relu_slope(z: np.ndarray) -> np.ndarray:
    """g′(z) = 1 for z > 0, else 0 (the choice g′(0) = 0)."""
    return (z > 0.0).astype(float)


@dataclass(frozen=True)
class Activation:
    """One choice of g for the hidden layers, with what forward and backward propagation need.

    ``g`` and ``g_prime`` work on checked float arrays. ``times_g_prime(s, a)`` is s .* g′(z)
    computed from a = g(z), which a forward pass has already stored, so that the backward pass
    evaluates no g a second time.
    """

    name: str
    g: Elementwise
    g_prime: Elementwise
    times_g_prime: Callable[[np.ndarray, np.ndarray], np.ndarray]


SIGMOID = Activation("sigmoid", expit, _sigmoid_slope,
                     lambda s, a: s * a * (1.0 - a))     # s .* g′(z) = s .* a .* (1 − a)

TANH = Activation("tanh", np.tanh, _tanh_slope,
                  lambda s, a: s * (1.0 - a * a))        # s .* g′(z) = s .* (1 − a²)

RELU = Activation("relu", _relu, _relu_slope,
                  lambda s, a: s * (a > 0.0))            # a > 0 exactly when z > 0

ACTIVATIONS: dict[str, Activation] = {a.name: a for a in (SIGMOID, TANH, RELU)}
"""The activations the hidden layers may use, by name; "sigmoid" is the lecture's g."""


def activation_named(name: Any) -> Activation:
    """The :class:`Activation` called ``name`` ("sigmoid", "tanh" or "relu"), or a clear error."""
    return choose(ACTIVATIONS, name, "activation",
                  "g of the hidden layers; the output layer is always a sigmoid")
