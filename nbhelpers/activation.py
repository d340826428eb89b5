"""The activation function g and its derivative g′ (the lecture's sigmoid)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import expit

from .checks import as_float_array


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
