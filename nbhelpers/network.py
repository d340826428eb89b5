"""The network's parameters Θ: bias units, initial weights and the unrolled vector."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .validation import (
    Params,
    as_float_array,
    as_layer_sizes,
    as_theta,
    check_seed,
    real_number,
    whole_number,
)


def add_bias(a: ArrayLike) -> np.ndarray:
    """Prepend the bias unit a₀ = 1: to a vector, or as column 0 of a batch (one example per row)."""
    a = as_float_array(a, "a")
    if a.ndim not in (1, 2):
        raise ValueError(f"a must be a vector or a batch (a matrix), but it has shape {a.shape}.")
    return _with_bias(a)


def _with_bias(a: np.ndarray) -> np.ndarray:
    """[1, a] on checked input: the bias unit in front of the last axis (one row per example)."""
    out = np.empty((*a.shape[:-1], a.shape[-1] + 1))
    out[..., 0] = 1.0
    out[..., 1:] = a
    return out


def init_weights(layer_sizes: Sequence[int], epsilon_init: float = 0.12,
                 rng: np.random.Generator | int | None = None) -> Params:
    """Random Θ⁽ˡ⁾ of shape s₍ₗ₊₁₎ × (sₗ + 1), each entry uniform in [−ε_init, ε_init].

    Different starting values are what break the symmetry between hidden units: with
    Θ = 0 every unit of a layer computes the same thing and receives the same update.
    Pass an int or a Generator as ``rng`` for repeatable weights.
    """
    sizes = as_layer_sizes(layer_sizes)
    epsilon_init = real_number(epsilon_init, "epsilon_init", above=0,
                               meaning="the half-width of the range")
    if not (rng is None or isinstance(rng, np.random.Generator)):
        rng = check_seed(rng, "rng")
    rng = np.random.default_rng(rng)
    return {l: rng.uniform(-epsilon_init, epsilon_init, size=(sizes[l], sizes[l - 1] + 1))
            for l in range(1, len(sizes))}


def debug_weights(fan_out: int, fan_in: int) -> np.ndarray:
    """A fixed, non-symmetric Θ of shape fan_out × (1 + fan_in): sin(1), sin(2), … divided by 10.

    The same numbers every time, with no random generator involved, so that a gradient check
    is repeatable anywhere.
    """
    fan_out = whole_number(fan_out, "fan_out", 1, meaning="the units of the next layer")
    fan_in = whole_number(fan_in, "fan_in", 1, meaning="the units of this layer, bias not counted")
    return np.sin(np.arange(1, fan_out * (1 + fan_in) + 1)).reshape(fan_out, 1 + fan_in) / 10


def unroll(Theta: Any) -> np.ndarray:
    """All of Θ⁽¹⁾, Θ⁽²⁾, … as one vector (each matrix row by row), as optimizers want it."""
    return _unroll(as_theta(Theta))


def _unroll(Theta: Params) -> np.ndarray:
    return np.concatenate([Theta[l].ravel() for l in Theta])


def roll(vector: ArrayLike, layer_sizes: Sequence[int]) -> Params:
    """The inverse of :func:`unroll`: cut the vector back into Θ⁽ˡ⁾ of shape s₍ₗ₊₁₎ × (sₗ + 1)."""
    sizes = as_layer_sizes(layer_sizes)
    vec = as_float_array(vector, "vector")
    if vec.ndim != 1:
        raise ValueError(f"vector must be 1-D, as unroll gives it, but it has shape {vec.shape}.")
    shapes = [(sizes[l], sizes[l - 1] + 1) for l in range(1, len(sizes))]
    need = sum(r * c for r, c in shapes)
    if vec.size != need:
        raise ValueError(f"the vector has {vec.size} entries, but a network with layer sizes "
                         f"{sizes} has {need} parameters (Θ shapes {shapes}).")
    return _roll(vec, shapes)


def _roll(vec: np.ndarray, shapes: list[tuple[int, ...]]) -> Params:
    """The checked vector cut into matrices of the given shapes, Θ⁽¹⁾ first."""
    out, start = {}, 0
    for l, (r, c) in enumerate(shapes, start=1):
        out[l] = vec[start:start + r * c].reshape(r, c).copy()
        start += r * c
    return out


__all__ = ["add_bias", "debug_weights", "init_weights", "roll", "unroll"]
