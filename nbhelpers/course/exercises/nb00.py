"""Notebook 00 · start here: the check and hints of its exercise.

``00-n-params``: the number of parameters of the lecture's network, computed from Θ.
"""

from __future__ import annotations

from typing import Any

from ...validation import Params, layer_sizes
from ..feedback import Mistake, check_value
from ..hints import register_hints

N_PARAMS = "00-n-params"


def check_n_params(n_params: Any, Theta: Params) -> Any:
    """Check the number of entries of all the Θ⁽ˡ⁾ together; returns the value to use below."""
    s = dict(enumerate(layer_sizes(Theta), start=1))          # s[l] = sₗ
    L = len(s)
    weights = sum(s[l + 1] * (s[l] + 1) for l in range(1, L))
    return check_value(
        "n_params", n_params, weights, why_shape="it is a single number",
        mistakes=[
            Mistake("left out the bias columns (column 0 of each Θ⁽ˡ⁾)",
                    sum(s[l + 1] * s[l] for l in range(1, L))),
            Mistake("counted the units of the layers instead of the weights", sum(s.values())),
            Mistake("counted the matrices Θ⁽ˡ⁾ instead of their entries", L - 1),
            Mistake("counted only Θ⁽¹⁾", s[2] * (s[1] + 1)),
            Mistake("counted a bias row instead of a bias column: (s₍ₗ₊₁₎ + 1) × sₗ",
                    sum((s[l + 1] + 1) * s[l] for l in range(1, L))),
        ],
        todo=f'write n_params in the cell above; hint("{N_PARAMS}") gives the idea',
        exercise=N_PARAMS).value


register_hints(N_PARAMS, [
    "Every parameter is one entry of one of the matrices Θ⁽¹⁾, …, Θ⁽ᴸ⁻¹⁾. Count the entries of "
    "each matrix, then add the counts up. Let the arrays count for you rather than typing the "
    "shapes.",
    "Θ⁽ˡ⁾ has s₍ₗ₊₁₎ × (sₗ + 1) entries (the + 1 is the bias column). The lecture's network "
    "has three matrices, Θ⁽¹⁾, Θ⁽²⁾ and Θ⁽³⁾, of shapes 5 × 4, 5 × 6 and 4 × 6: the answer is "
    "one number, the sum of three products rows × columns.",
    "n_params = sum(___ for T in p.Theta.___())",
])
