"""The delta terms: δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y, then δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ .* g′(z⁽ˡ⁾) back to l = 2.

With the squared-error cost δ⁽ᴸ⁾ = (a⁽ᴸ⁾ − y) .* g′(z⁽ᴸ⁾) instead (see :mod:`nbhelpers.loss`);
with another hidden activation, g′ in δ⁽ˡ⁾ is that activation's derivative."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .activation import SIGMOID, Activation
from .forward import ForwardPass, forward_unchecked
from .loss import LOGISTIC, Loss
from .validation import Params, as_examples, as_target, as_theta
from .variant import variant


@dataclass(frozen=True)
class BackwardPass(ForwardPass):
    """A forward pass plus ``delta[l]`` for l = 2…L (no bias entry, and no δ⁽¹⁾)."""

    delta: dict[int, np.ndarray]


def _deltas(Theta: Params, fp: ForwardPass, Y: np.ndarray, loss: Loss = LOGISTIC,
            activation: Activation = SIGMOID) -> dict[int, np.ndarray]:
    """The lecture's steps 3 and 4 on checked inputs (one example, or a batch row by row)."""
    L = fp.L
    delta = {L: loss.output_delta(fp.a[L], Y)}                 # δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y (logistic)
    for l in range(L - 1, 1, -1):
        g_prime = activation.g_prime(fp.z[l])                  # g′(z⁽ˡ⁾)
        # (Θ⁽ˡ⁾)ᵀ δ⁽ˡ⁺¹⁾ without its entry 0: the bias unit a₀ has no incoming weights,
        # so it has no error to pass back. Using Θ⁽ˡ⁾ without column 0 skips that entry.
        delta[l] = (delta[l + 1] @ Theta[l][:, 1:]) * g_prime
    return dict(sorted(delta.items()))


def backprop_example(Theta: Any, x: Any, y: Any, *, loss: str = "logistic",
                     activation: str = "sigmoid") -> BackwardPass:
    """Steps 1–4 of the lecture's loop for one training example (x, y).

    1. a⁽¹⁾ = x;  2. forward propagation to a⁽ᴸ⁾;  3. δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y;
    4. δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀ δ⁽ˡ⁺¹⁾ .* g′(z⁽ˡ⁾) for l = L−1, …, 2 (the bias entry dropped).

    ``loss="squared"`` makes step 3 δ⁽ᴸ⁾ = (a⁽ᴸ⁾ − y) .* g′(z⁽ᴸ⁾); ``activation`` ("sigmoid",
    "tanh" or "relu") is g of the hidden layers, and its derivative is the g′ of step 4.
    """
    chosen = variant(loss, activation)
    Theta = as_theta(Theta)
    X, single = as_examples(x, Theta[1].shape[1] - 1, name="x")
    if not single:
        raise ValueError(f"x must be one example (a 1-D vector), but it has shape {X.shape}; "
                         "for m examples use backprop(Theta, X, Y).")
    y = as_target(y, Theta[len(Theta)].shape[0])
    fp = forward_unchecked(Theta, X[0], chosen.activation)
    return BackwardPass(a=fp.a, z=fp.z, delta=_deltas(Theta, fp, y, *chosen))
