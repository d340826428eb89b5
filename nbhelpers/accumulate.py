"""The lecture's loop over i = 1…m: accumulate Δ⁽ˡ⁾ := Δ⁽ˡ⁾ + δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ, then form D."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from .checks import Params
from .cost import check_problem
from .d_terms import Gradient, d_terms
from .delta import _deltas
from .forward import _forward


def _accumulation(Theta: Params, X: np.ndarray, Y: np.ndarray) -> Iterator[Params]:
    """Yield Δ after each example i = 1…m (the same dict, updated in place)."""
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}    # Δ⁽ˡ⁾ᵢⱼ = 0 for all l, i, j
    for i in range(X.shape[0]):
        fp = _forward(Theta, X[i])                              # steps 1–2
        delta = _deltas(Theta, fp, Y[i])                        # steps 3–4
        for l in Delta:                                         # step 5
            Delta[l] += np.outer(delta[l + 1], fp.a[l])         # Δ⁽ˡ⁾ᵢⱼ += a⁽ˡ⁾ⱼ δ⁽ˡ⁺¹⁾ᵢ
        yield Delta


def accumulate(Theta: Any, X: Any, Y: Any) -> Params:
    """Δ⁽ˡ⁾ = Σᵢ δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ over the m examples: the lecture's loop, steps 1–5."""
    Theta, X, Y, _ = check_problem(Theta, X, Y)
    return _accumulated(Theta, X, Y)


def _accumulated(Theta: Params, X: np.ndarray, Y: np.ndarray) -> Params:
    """Δ after all m examples."""
    Delta: Params = {}
    for Delta in _accumulation(Theta, X, Y):  # noqa: B007 (each step updates Δ in place)
        pass
    return Delta


def accumulation_history(Theta: Any, X: Any, Y: Any) -> list[Params]:
    """Δ after 0, 1, …, m examples (copies): the accumulators filling up, for pictures."""
    Theta, X, Y, _ = check_problem(Theta, X, Y)
    history = [{l: np.zeros_like(T) for l, T in Theta.items()}]
    history += [{l: D.copy() for l, D in Delta.items()} for Delta in _accumulation(Theta, X, Y)]
    return history


def backprop(Theta: Any, X: Any, Y: Any, lam: float = 0.0) -> Gradient:
    """The lecture's backpropagation algorithm, one example at a time.

    Δ⁽ˡ⁾ := 0; for i = 1…m: forward pass, δ⁽ᴸ⁾ … δ⁽²⁾, Δ⁽ˡ⁾ := Δ⁽ˡ⁾ + δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ;
    then D⁽ˡ⁾ = Δ⁽ˡ⁾/m + (λ/m)Θ⁽ˡ⁾ (j ≠ 0) and Δ⁽ˡ⁾/m (j = 0). Returns D keyed like Θ,
    with the accumulators as ``D.Delta``.
    """
    Theta, X, Y, lam = check_problem(Theta, X, Y, lam)
    return d_terms(_accumulated(Theta, X, Y), Theta, X.shape[0], lam)
