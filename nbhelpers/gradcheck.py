"""Gradient checking: two-sided finite differences against the D terms of backpropagation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np

from .accumulate import backprop
from .activation import RELU
from .cost import _cost, check_problem
from .forward import _forward
from .validation import Params, as_examples, as_theta
from .variant import LECTURE, variant


def numerical_gradient(J: Callable[[Params], float], Theta: Any,
                       epsilon: float = 1e-4) -> Params:
    """∂J/∂Θ⁽ˡ⁾ᵢⱼ ≈ (J(Θ + ε·e) − J(Θ − ε·e)) / (2ε) for every single entry e of every Θ⁽ˡ⁾.

    ``J`` takes the mapping Θ and returns a number. Costs 2 evaluations of J per parameter:
    a check for small networks, never a way to train.
    """
    if not callable(J):
        raise TypeError(f"J must be a function of Θ returning J(Θ), not a {type(J).__name__}.")
    _check_epsilon(epsilon)
    Theta = {l: T.copy() for l, T in as_theta(Theta).items()}
    grad = {}
    for l, T in Theta.items():
        G = np.zeros_like(T)
        for idx in np.ndindex(*T.shape):
            saved = T[idx]
            T[idx] = saved + epsilon
            plus = J(Theta)
            T[idx] = saved - epsilon
            minus = J(Theta)
            T[idx] = saved
            G[idx] = (plus - minus) / (2 * epsilon)
        grad[l] = G
    return grad


def _check_epsilon(epsilon: Any) -> None:
    if not (isinstance(epsilon, int | float) and 0 < epsilon < 1):
        raise ValueError(f"epsilon must be a small positive number such as 1e-4, not {epsilon!r}.")


def relative_difference(A: Mapping[int, Any] | Any, B: Mapping[int, Any] | Any) -> float:
    """‖A − B‖ / ‖A + B‖ over all entries of all layers (0 when both are zero).

    Scale-free: about 1e-9 or less means two gradients agree; 1e-3 or more means a bug.
    """
    a = _flat(A, "A")
    b = _flat(B, "B")
    if a.shape != b.shape:
        raise ValueError(f"the two gradients have {a.size} and {b.size} entries; they must be "
                         "keyed like the same Θ.")
    denom = np.linalg.norm(a + b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def _flat(G: Any, name: str) -> np.ndarray:
    if isinstance(G, Mapping):
        return np.concatenate([np.asarray(G[k], dtype=float).ravel() for k in sorted(G)])
    return np.asarray(G, dtype=float).ravel()


def gradient_check(Theta: Any, X: Any, Y: Any, lam: float = 0.0, *, epsilon: float = 1e-4,
                   gradient: Callable[..., Mapping[int, np.ndarray]] = backprop,
                   loss: str = "logistic", activation: str = "sigmoid") -> float:
    """Relative difference ‖num − D‖/‖num + D‖ between finite differences of J and D.

    ``gradient`` is the backprop to check (default :func:`backprop`); it is called as
    ``gradient(Theta, X, Y, lam)`` and must return D keyed like Θ. ``loss`` and
    ``activation`` choose the J that is differentiated numerically (see :func:`cost`); when
    either differs from the lecture's, ``gradient`` is also given them as keywords,
    ``gradient(Theta, X, Y, lam, loss=..., activation=...)``.
    """
    chosen = variant(loss, activation)
    Theta, X, Y, lam = check_problem(Theta, X, Y, lam)
    numeric = numerical_gradient(lambda T: _cost(T, X, Y, lam, *chosen), Theta, epsilon)
    keywords = {} if chosen == LECTURE else {"loss": loss, "activation": activation}
    return relative_difference(numeric, gradient(Theta, X, Y, lam, **keywords))


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
    _check_epsilon(epsilon)
    Theta = as_theta(Theta)
    X, _ = as_examples(X, Theta[1].shape[1] - 1)
    L = len(Theta) + 1
    if L < 3:
        return KinkClearance(float("inf"), 0.0)          # no hidden layer, no kink
    fp = _forward(Theta, X, RELU)
    distance = min(float(np.abs(fp.z[l]).min()) for l in range(2, L))
    largest_a = max(float(np.abs(fp.a[l]).max()) for l in range(1, L - 1))
    gain = 1.0
    for l in range(2, L - 1):                            # Θ⁽ˡ⁾ from hidden layer l to l + 1
        gain *= max(1.0, float(np.abs(Theta[l][:, 1:]).sum(axis=1).max()))
    return KinkClearance(distance, epsilon * largest_a * gain)
