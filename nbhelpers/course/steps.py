"""The lecture's algorithm as a row of one-line steps, each of which a mistake may replace.

Every line of the lecture's loop is written here once, as a short expression in the names a
student would use (``Theta_l``, ``a_l``, ``delta_next``, ``Delta_l``, …):

=============  ===============================================  ==========================
piece          the line                                         lecture step
=============  ===============================================  ==========================
``bias``       ``np.concatenate(([1.0], v))``                   forward: a₀ = 1 in front
``weigh``      ``Theta_l @ a_l``                                forward: z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾a⁽ˡ⁾
``activate``   ``g(z_next)``                                    forward: a⁽ˡ⁺¹⁾ = g(z⁽ˡ⁺¹⁾)
``output``     ``a_L - y``                                      δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y
``hidden``     ``(Theta_l[:, 1:].T @ delta_next) * g_prime(z_l)``  δ⁽ˡ⁾, l = L − 1 … 2
``init``       ``np.zeros_like(Theta_l)``                       Δ⁽ˡ⁾ := 0
``accumulate`` ``Delta_l + np.outer(delta_next, a_l)``          Δ⁽ˡ⁾ := Δ⁽ˡ⁾ + δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ
``d``          ``Delta_l / m + lam / m * no_bias(Theta_l)``     D⁽ˡ⁾ after the loop
=============  ===============================================  ==========================

A mistake of :mod:`nbhelpers.course.mistakes` is one of these lines written otherwise; :func:`run`
runs the loop with any of them replaced, which is how the checks find out which mistake gives
a student's numbers, and how the bug zoo of notebook 06 makes its wrong gradients.
"""

from __future__ import annotations

import linecache
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import CodeType
from typing import Any

import numpy as np

from ..activation import sigmoid, sigmoid_gradient

RIGHT: dict[str, str] = {
    "bias": "np.concatenate(([1.0], v))",
    "weigh": "Theta_l @ a_l",
    "activate": "g(z_next)",
    "output": "a_L - y",
    "hidden": "(Theta_l[:, 1:].T @ delta_next) * g_prime(z_l)",
    "init": "np.zeros_like(Theta_l)",
    "accumulate": "Delta_l + np.outer(delta_next, a_l)",
    "d": "Delta_l / m + lam / m * no_bias(Theta_l)",
}
"""Each piece of the lecture's loop, as the one line that computes it."""

STEP_OF_PIECE: dict[str, str] = {
    "bias": "forward", "weigh": "forward", "activate": "forward", "output": "output_delta",
    "hidden": "hidden_delta", "init": "accumulate", "accumulate": "accumulate", "d": "d_terms",
}
"""The lecture step (a verdict's ``step``) that each piece belongs to."""

STEPS = ("forward", "output_delta", "hidden_delta", "accumulate", "d_terms")
"""The lecture's steps in the order the algorithm takes them."""


def no_bias(T: np.ndarray) -> np.ndarray:
    """A copy of Θ⁽ˡ⁾ with its bias column j = 0 set to zero: the weights the penalty covers."""
    out = np.array(T, dtype=float)
    out[:, 0] = 0.0
    return out


NAMES: dict[str, Any] = {"np": np, "g": sigmoid, "g_prime": sigmoid_gradient, "no_bias": no_bias}
"""What every line may use besides its own variables."""


LINE_FILE = "<the line {!r}>"
"""How the lines are named as code: a traceback through one of them can be read back."""


@cache
def _compiled(line: str) -> CodeType:
    name = LINE_FILE.format(line)
    linecache.cache[name] = (len(line), None, [line + "\n"], name)
    return compile(line, name, "eval")


def evaluate(line: str, **variables: Any) -> Any:
    """The value of one line of the loop, with ``variables`` (and :data:`NAMES`) in scope."""
    return eval(_compiled(line), {"__builtins__": __builtins__, **NAMES}, variables)


class StepError(Exception):
    """A line of the loop stopped with an error: which step, which layer, and the error."""

    def __init__(self, step: str, layer: int | None, error: BaseException) -> None:
        super().__init__(f"{step} (layer {layer}): {type(error).__name__}: {error}")
        self.step, self.layer, self.error = step, layer, error


@dataclass(kw_only=True)
class Example:
    """One example's trip through the loop: a⁽ˡ⁾ (with a₀ for l < L), z⁽ˡ⁾ and δ⁽ˡ⁾."""

    x: np.ndarray
    y: np.ndarray
    a: dict[int, np.ndarray] = field(default_factory=dict)
    z: dict[int, np.ndarray] = field(default_factory=dict)
    delta: dict[int, np.ndarray] = field(default_factory=dict)


@dataclass
class Trace:
    """Everything one run of the loop computed: each example's pass, Δ and D."""

    examples: list[Example]
    Delta: dict[int, np.ndarray]
    D: dict[int, np.ndarray]


def run(Theta: Mapping[int, np.ndarray], X: np.ndarray, Y: np.ndarray, lam: float,
        replace: Mapping[str, str] | None = None, **extra: Any) -> Trace:
    """The lecture's loop on Θ, the m examples X, Y and λ, with the pieces in ``replace``
    (piece name → line) written otherwise; ``extra`` names more variables the lines may use
    (a student's global ``lam_g`` or ``m_g``). A line that stops raises :class:`StepError`."""
    lines = {**RIGHT, **(replace or {})}
    L, m = len(Theta) + 1, len(X)

    def do(piece: str, layer: int | None, **variables: Any) -> Any:
        try:
            with np.errstate(all="ignore"):
                return evaluate(lines[piece], **extra, **variables)
        except Exception as error:
            raise StepError(STEP_OF_PIECE[piece], layer, error) from error

    Delta = {l: do("init", l, Theta_l=T, l=l) for l, T in Theta.items()}
    examples = []
    for x, y in zip(np.asarray(X, dtype=float), np.asarray(Y, dtype=float), strict=True):
        ex = Example(
            x=x,
            y=y)
        ex.a[1] = do("bias", 1, v=x, l=1)
        for l in range(1, L):
            ex.z[l + 1] = do("weigh", l + 1, Theta_l=Theta[l], a_l=ex.a[l], l=l)
            values = do("activate", l + 1, z_next=ex.z[l + 1], last=l + 1 == L, l=l)
            ex.a[l + 1] = values if l + 1 == L else do("bias", l + 1, v=values, l=l + 1)
        ex.delta[L] = do("output", L, a_L=ex.a[L], y=y, z_L=ex.z[L])
        for l in range(L - 1, 1, -1):
            ex.delta[l] = do("hidden", l, Theta=Theta, l=l, Theta_l=Theta[l],
                             delta_next=ex.delta[l + 1], z_l=ex.z[l], a_l=ex.a[l],
                             z_next=ex.z[l + 1])
        for l in Delta:
            Delta[l] = do("accumulate", l, Delta_l=Delta[l], delta_next=ex.delta[l + 1],
                          a_l=ex.a[l], a_next=ex.a[l + 1], l=l, L=L)
        examples.append(ex)
    D = {l: do("d", l, Delta_l=Delta[l], Theta_l=Theta[l], m=m, lam=lam, l=l) for l in Delta}
    return Trace(examples, Delta, D)


def gradient(Theta: Mapping[int, np.ndarray], X: np.ndarray, Y: np.ndarray, lam: float,
             replace: Mapping[str, str] | None = None, **extra: Any) -> dict[int, np.ndarray]:
    """D from :func:`run`: the lecture's D, or the D that the replaced lines give."""
    return run(Theta, X, Y, lam, replace, **extra).D


__all__ = ["NAMES", "RIGHT", "STEPS", "STEP_OF_PIECE", "Example", "StepError", "Trace",
           "evaluate", "gradient", "no_bias", "run"]
