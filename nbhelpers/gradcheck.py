"""Gradient checking: two-sided finite differences against the D terms of backpropagation."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np

from .accumulate import backprop
from .activation import RELU
from .cost import cost_unchecked
from .forward import forward_unchecked
from .network import _unroll
from .validation import (
    Params,
    as_examples,
    as_float_array,
    as_layers,
    as_like_theta,
    as_theta,
    check_finite,
    check_problem,
    real_number,
    sup,
)
from .variant import LECTURE, variant


def numerical_gradient(J: Callable[[Params], float], Theta: Any,
                       epsilon: float = 1e-4) -> Params:
    """∂J/∂Θ⁽ˡ⁾ᵢⱼ ≈ (J(Θ + ε·e) − J(Θ − ε·e)) / (2ε) for every single entry e of every Θ⁽ˡ⁾.

    ``J`` takes the mapping Θ and returns a number. Costs 2 evaluations of J per parameter:
    a check for small networks, never a way to train.
    """
    if not callable(J):
        raise TypeError(f"J must be a function of Θ returning J(Θ), not a {type(J).__name__}.")
    return _numerical_gradient(J, as_theta(Theta), _check_epsilon(epsilon))


def _numerical_gradient(J: Callable[[Params], float], Theta: Params, epsilon: float) -> Params:
    """The finite differences on a checked Θ (which is copied, never changed)."""
    Theta = {l: T.copy() for l, T in Theta.items()}
    grad = {}
    for l, T in Theta.items():
        G = np.zeros_like(T)
        for idx in np.ndindex(*T.shape):
            saved = T[idx]
            T[idx] = saved + epsilon
            plus = _number(J(Theta), l, idx, "+")
            T[idx] = saved - epsilon
            minus = _number(J(Theta), l, idx, "−")
            T[idx] = saved
            G[idx] = (plus - minus) / (2 * epsilon)
        grad[l] = G
    return grad


def _number(value: Any, l: int, idx: tuple[int, ...], sign: str) -> float:
    """J's value as a finite float, or an error that says where J went wrong."""
    where = f"with Θ{sup(l)}{idx} moved by {sign}ε"
    if isinstance(value, bool) or not isinstance(value, numbers.Real | np.ndarray) or (
            np.ndim(value) != 0):
        raise TypeError(f"J must return a single number J(Θ), but {where} it returned "
                        f"{type(value).__name__} {np.shape(value) or ''}".rstrip() + ".")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"J returned {number} {where}; a finite difference needs finite costs.")
    return number


def _check_epsilon(epsilon: Any) -> float:
    return real_number(epsilon, "epsilon", above=0, below=1,
                       meaning="the step of the finite differences, such as 1e-4")


def relative_difference(A: Mapping[int, Any] | Any, B: Mapping[int, Any] | Any) -> float:
    """‖A − B‖ / ‖A + B‖ over all entries of all layers (0 when both are zero).

    Scale-free: about 1e-9 or less means two gradients agree; 1e-3 or more means a bug.
    A and B are both keyed like Θ (the same layers, each pair of the same shape) or both
    plain arrays of the same shape.
    """
    if isinstance(A, Mapping) != isinstance(B, Mapping):
        raise TypeError(f"A and B must both be keyed by layer like Θ ({{1: …, 2: …}}) or both be "
                        f"arrays, but A is a {type(A).__name__} and B a {type(B).__name__}; "
                        "use unroll() on both to compare flat vectors.")
    if isinstance(A, Mapping):
        first = as_layers(A, "A", "D")
        second = as_like_theta(B, first, "B", "D")
        a, b = _unroll(first), _unroll(second)
    else:
        a, b = as_float_array(A, "A"), as_float_array(B, "B")
        if a.shape != b.shape:
            raise ValueError(f"A has shape {a.shape} but B has shape {b.shape}; the two gradients "
                             "must be laid out alike (a transposed matrix would pair the wrong "
                             "weights).")
        check_finite(a, "A")
        check_finite(b, "B")
    return _relative_difference(a, b)


def _relative_difference(a: np.ndarray, b: np.ndarray) -> float:
    denom = np.linalg.norm(a + b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def gradient_check(Theta: Any, X: Any, Y: Any, lam: float = 0.0, *, epsilon: float = 1e-4,
                   gradient: Callable[..., Mapping[int, np.ndarray]] = backprop,
                   loss: str = "logistic", activation: str = "sigmoid") -> float:
    """Relative difference ‖num − D‖/‖num + D‖ between finite differences of J and D.

    ``gradient`` is the backprop to check (default :func:`backprop`); it is called as
    ``gradient(Theta, X, Y, lam)`` and must return D keyed like Θ, each D⁽ˡ⁾ of Θ⁽ˡ⁾'s shape.
    ``loss`` and ``activation`` choose the J that is differentiated numerically (see
    :func:`cost`); when either differs from the lecture's, ``gradient`` is also given them as
    keywords, ``gradient(Theta, X, Y, lam, loss=..., activation=...)``.
    """
    chosen = variant(loss, activation)
    epsilon = _check_epsilon(epsilon)
    if not callable(gradient):
        raise TypeError(f"gradient must be a backprop function, called as gradient(Theta, X, Y, "
                        f"lam), not a {type(gradient).__name__}.")
    Theta, X, Y, lam = check_problem(Theta, X, Y, lam)
    numeric = _numerical_gradient(lambda T: cost_unchecked(T, X, Y, lam, *chosen), Theta, epsilon)
    keywords = {} if chosen == LECTURE else {"loss": loss, "activation": activation}
    D = gradient(Theta, X, Y, lam, **keywords)
    if not isinstance(D, Mapping):
        raise TypeError(f"gradient returned a {type(D).__name__}, but it must return D keyed "
                        f"like Θ, {{1: D⁽¹⁾, …, {len(Theta)}: D{sup(len(Theta))}}}.")
    D = as_like_theta(D, Theta, "D", "D")
    return _relative_difference(_unroll(numeric), _unroll(D))


class KinkClearance(NamedTuple):
    """How far ReLU's kink is from a gradient check: ``distance`` is the smallest |z⁽ˡ⁾| over
    all hidden units and examples, ``reach`` the furthest a finite difference can move any of
    them; ``clear`` says that no hidden z can cross 0 during the check."""

    distance: float
    reach: float

    @property
    def clear(self) -> bool:
        """reach < distance: every finite difference stays on one side of every kink."""
        return self.reach < self.distance


def kink_clearance(Theta: Any, X: Any, epsilon: float = 1e-4) -> KinkClearance:
    """Whether a gradient check with ReLU hidden units (g′(0) chosen as 0) can be trusted.

    Moving one weight Θ⁽ᵏ⁾ᵢⱼ by ±ε moves z⁽ᵏ⁺¹⁾ᵢ by at most ε·|a⁽ᵏ⁾ⱼ| and leaves earlier layers
    alone; ReLU moves no activation further than its z moved, and each later layer l + 1
    multiplies the move by at most ‖Θ⁽ˡ⁾ without column 0‖∞ (its largest row sum of |Θ|). So
    no hidden z moves further than reach = ε·max|a|·Πₗ max(1, ‖Θ⁽ˡ⁾‖∞). When that is below
    the smallest |z|, J is smooth on every segment the finite differences sample, and they
    measure the slope backpropagation computes.
    """
    epsilon = _check_epsilon(epsilon)
    Theta = as_theta(Theta)
    X, _ = as_examples(X, Theta[1].shape[1] - 1)
    L = len(Theta) + 1
    if L < 3:
        return KinkClearance(float("inf"), 0.0)          # no hidden layer, no kink
    fp = forward_unchecked(Theta, X, RELU)
    distance = min(float(np.abs(fp.z[l]).min()) for l in range(2, L))
    largest_a = max(float(np.abs(fp.a[l]).max()) for l in range(1, L - 1))
    gain = 1.0
    for l in range(2, L - 1):                            # Θ⁽ˡ⁾ from hidden layer l to l + 1
        gain *= max(1.0, float(np.abs(Theta[l][:, 1:]).sum(axis=1).max()))
    return KinkClearance(distance, epsilon * largest_a * gain)
