"""The lecture's loop over i = 1…m: accumulate Δ⁽ˡ⁾ := Δ⁽ˡ⁾ + δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ, then form D."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from .activation import SIGMOID, Activation
from .d_terms import Gradient, _d_terms
from .delta import _deltas
from .forward import forward_unchecked
from .loss import LOGISTIC, Loss
from .validation import Params, check_problem
from .variant import variant


def _Delta_after_each_example(Theta: Params, X: np.ndarray, Y: np.ndarray,
                              loss: Loss = LOGISTIC, activation: Activation = SIGMOID
                              ) -> Iterator[Params]:
    """The loop on checked input: yield Δ after each example i = 1…m (one dict, updated in
    place)."""
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}    # Δ⁽ˡ⁾ᵢⱼ = 0 for all l, i, j
    for i in range(X.shape[0]):
        fp = forward_unchecked(Theta, X[i], activation)         # steps 1–2
        delta = _deltas(Theta, fp, Y[i], loss, activation)      # steps 3–4
        for l in Delta:                                         # step 5
            Delta[l] += np.outer(delta[l + 1], fp.a[l])         # Δ⁽ˡ⁾ᵢⱼ += a⁽ˡ⁾ⱼ δ⁽ˡ⁺¹⁾ᵢ
        yield Delta


def _Delta_after_all_examples(Theta: Params, X: np.ndarray, Y: np.ndarray,
                              loss: Loss = LOGISTIC, activation: Activation = SIGMOID) -> Params:
    """The loop on checked input, run to its end: Δ summed over all m examples."""
    Delta: Params = {}
    for Delta in _Delta_after_each_example(Theta, X, Y, loss, activation):  # noqa: B007
        pass                                                    # (one dict, updated in place)
    return Delta


def accumulate(Theta: Any, X: Any, Y: Any, *, loss: str = "logistic",
               activation: str = "sigmoid") -> Params:
    """Δ⁽ˡ⁾ = Σᵢ δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ over the m examples: the lecture's loop, steps 1–5.

    ``loss`` and ``activation`` choose δ⁽ᴸ⁾ and g′ as in :func:`backprop_example`.
    """
    chosen = variant(loss, activation)
    Theta, X, Y, _ = check_problem(Theta, X, Y)
    return _Delta_after_all_examples(Theta, X, Y, *chosen)


def accumulation_history(Theta: Any, X: Any, Y: Any, *, loss: str = "logistic",
                         activation: str = "sigmoid") -> list[Params]:
    """Δ after 0, 1, …, m examples (copies): the accumulators filling up, for pictures."""
    chosen = variant(loss, activation)
    Theta, X, Y, _ = check_problem(Theta, X, Y)
    history = [{l: np.zeros_like(T) for l, T in Theta.items()}]
    history += [{l: D.copy() for l, D in Delta.items()}
                for Delta in _Delta_after_each_example(Theta, X, Y, *chosen)]
    return history


def backprop(Theta: Any, X: Any, Y: Any, lam: float = 0.0, *, loss: str = "logistic",
             activation: str = "sigmoid") -> Gradient:
    """The lecture's backpropagation algorithm, one example at a time.

    Δ⁽ˡ⁾ := 0; for i = 1…m: forward pass, δ⁽ᴸ⁾ … δ⁽²⁾, Δ⁽ˡ⁾ := Δ⁽ˡ⁾ + δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ;
    then D⁽ˡ⁾ = Δ⁽ˡ⁾/m + (λ/m)Θ⁽ˡ⁾ (j ≠ 0) and Δ⁽ˡ⁾/m (j = 0). Returns D keyed like Θ,
    with the accumulators as ``D.Delta``.

    ``loss="squared"`` uses δ⁽ᴸ⁾ = (a⁽ᴸ⁾ − y) .* g′(z⁽ᴸ⁾), the gradient of the squared-error
    cost; ``activation`` ("sigmoid", "tanh" or "relu") is g of the hidden layers.
    """
    chosen = variant(loss, activation)
    Theta, X, Y, lam = check_problem(Theta, X, Y, lam)
    return _d_terms(_Delta_after_all_examples(Theta, X, Y, *chosen), Theta, X.shape[0], lam)
