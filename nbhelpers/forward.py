"""Forward propagation: a⁽¹⁾ = x, z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾a⁽ˡ⁾, a⁽ˡ⁺¹⁾ = g(z⁽ˡ⁺¹⁾), h_Θ(x) = a⁽ᴸ⁾.

g is the lecture's sigmoid unless another activation is chosen for the hidden layers; the
output layer always uses the sigmoid, so h_Θ(x) stays in (0, 1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import expit

from .activation import SIGMOID, Activation, activation_named
from .network import _with_bias
from .validation import Params, as_examples, as_theta


@dataclass(frozen=True)
class ForwardPass:
    """The activations of one example (vectors) or of a batch (one row per example).

    ``a[l]`` for l = 1…L, with the bias unit a₀ = 1 in front for every l < L;
    ``z[l]`` for l = 2…L; ``h`` is a⁽ᴸ⁾ = h_Θ(x).
    """

    a: dict[int, np.ndarray]
    z: dict[int, np.ndarray]

    @property
    def L(self) -> int:
        """The number of layers."""
        return max(self.a)

    @property
    def h(self) -> np.ndarray:
        """The hypothesis h_Θ(x) = a⁽ᴸ⁾."""
        return self.a[self.L]


def forward_unchecked(Theta: Params, X: np.ndarray, activation: Activation = SIGMOID
                      ) -> ForwardPass:
    """The lecture's forward pass itself, without input checks: for callers that have checked
    Θ and X once (with :func:`~nbhelpers.validation.check_problem` or ``as_theta`` and
    ``as_examples``) and run many passes. X is one example (1-D) or a batch (rows).

    ``activation`` is the g of the hidden layers 2…L−1; the output layer L uses the sigmoid.
    """
    L = len(Theta) + 1
    a = {1: _with_bias(X)}                       # a⁽¹⁾ = x, with a₀⁽¹⁾ = 1
    z: dict[int, np.ndarray] = {}
    for l in range(1, L):
        z[l + 1] = a[l] @ Theta[l].T             # z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾ a⁽ˡ⁾ (row-wise for a batch)
        if l + 1 < L:
            a[l + 1] = _with_bias(activation.g(z[l + 1]))   # a⁽ˡ⁺¹⁾ = g(z⁽ˡ⁺¹⁾), a₀ = 1
        else:
            a[l + 1] = expit(z[l + 1])                      # h_Θ(x) = a⁽ᴸ⁾ = sigmoid(z⁽ᴸ⁾)
    return ForwardPass(a=a, z=z)


def forward_propagate(Theta: Any, x: Any, *, activation: str = "sigmoid") -> ForwardPass:
    """Forward propagation for one example x (a 1-D vector) or a batch X (m × s₁, one per row).

    a⁽¹⁾ = x;  z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾ a⁽ˡ⁾;  a⁽ˡ⁺¹⁾ = g(z⁽ˡ⁺¹⁾) (plus the bias unit a₀ = 1 for l + 1 < L);
    h_Θ(x) = a⁽ᴸ⁾. Returns a :class:`ForwardPass` with ``.a``, ``.z`` and ``.h``.

    ``activation`` ("sigmoid", "tanh" or "relu") is g for the hidden layers; the output layer
    is always a sigmoid. The cost function plays no part here: only J(Θ) and δ⁽ᴸ⁾ depend on it.
    """
    g = activation_named(activation)
    Theta = as_theta(Theta)
    X, single = as_examples(x, Theta[1].shape[1] - 1, name="x")
    return forward_unchecked(Theta, X[0] if single else X, g)
