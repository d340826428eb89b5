"""Learning: use the D terms to minimize J(Θ), then predict and measure accuracy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

from .activation import activation_named
from .forward import forward_unchecked
from .network import _roll, _unroll
from .validation import (
    Params,
    as_examples,
    as_float_array,
    as_labels,
    as_targets,
    as_theta,
    check_problem,
    choose,
    real_number,
    whole_number,
)
from .variant import Variant, variant
from .vectorized import _cost_and_gradient

Callback = Callable[[int, Params, float], bool | None]
SCIPY_METHODS = ("L-BFGS-B", "CG", "BFGS")
METHODS = {name: name for name in ("gradient-descent", *SCIPY_METHODS)}


@dataclass
class TrainingResult:
    """The learned Θ, the cost J(Θ) after each iteration (``costs[0]`` is the start)."""

    Theta: Params
    costs: list[float] = field(default_factory=list)
    method: str = "gradient-descent"
    iterations: int = 0


def train(Theta: Any, X: Any, Y: Any, lam: float = 0.0, *, method: str = "L-BFGS-B",
          max_iter: int = 200, learning_rate: float | None = None,
          callback: Callback | None = None, loss: str = "logistic",
          activation: str = "sigmoid") -> TrainingResult:
    """Minimize J(Θ) from the starting Θ, with D = ∂J/∂Θ from vectorized backpropagation.

    ``method="gradient-descent"`` repeats Θ⁽ˡ⁾ := Θ⁽ˡ⁾ − α·D⁽ˡ⁾ (α = ``learning_rate``, 1.0
    unless given); ``"L-BFGS-B"``, ``"CG"`` or ``"BFGS"`` hand J and D to
    scipy.optimize.minimize, which chooses its own steps (so they take no learning rate).
    ``callback(iteration, Theta, J)`` is called after every iteration with a copy of that
    iteration's Θ; returning True stops. ``loss`` and ``activation`` choose J(Θ) and the
    hidden layers' g (see :func:`cost`).
    """
    chosen = variant(loss, activation)
    method = choose(METHODS, method, "method", "how J(Θ) is minimized")
    Theta, X, Y, lam = check_problem(Theta, X, Y, lam)
    max_iter = whole_number(max_iter, "max_iter", 0, meaning="the number of iterations")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function callback(iteration, Theta, J) or None, "
                        f"not a {type(callback).__name__}.")
    if method == "gradient-descent":
        alpha = 1.0 if learning_rate is None else real_number(
            learning_rate, "learning_rate (α)", above=0, meaning="the size of each step")
        return _gradient_descent(Theta, X, Y, lam, max_iter, alpha, callback, chosen)
    if learning_rate is not None:
        raise ValueError(f"learning_rate is the step α of gradient descent, but method={method!r} "
                         "chooses its own steps; leave learning_rate out or use "
                         "method=\"gradient-descent\".")
    return _scipy(Theta, X, Y, lam, method, max_iter, callback, chosen)


def _gradient_descent(Theta: Params, X: np.ndarray, Y: np.ndarray, lam: float, max_iter: int,
                      alpha: float, callback: Callback | None, chosen: Variant) -> TrainingResult:
    Theta = {l: T.copy() for l, T in Theta.items()}
    J, D = _cost_and_gradient(Theta, X, Y, lam, *chosen)
    result = TrainingResult(Theta, [J], "gradient-descent")
    for it in range(1, max_iter + 1):
        for l in Theta:
            Theta[l] -= alpha * D[l]                  # Θ⁽ˡ⁾ := Θ⁽ˡ⁾ − α D⁽ˡ⁾
        J, D = _cost_and_gradient(Theta, X, Y, lam, *chosen)
        result.costs.append(J)
        result.iterations = it
        if callback is not None and callback(it, {l: T.copy() for l, T in Theta.items()}, J):
            break
    return result


def _scipy(Theta: Params, X: np.ndarray, Y: np.ndarray, lam: float, method: str,
           max_iter: int, callback: Callback | None, chosen: Variant) -> TrainingResult:
    shapes = [T.shape for T in Theta.values()]

    def fun(v: np.ndarray) -> tuple[float, np.ndarray]:
        J, D = _cost_and_gradient(_roll(v, shapes), X, Y, lam, *chosen)
        return J, _unroll(D)

    result = TrainingResult(Theta, [fun(_unroll(Theta))[0]], method)

    def on_iteration(intermediate_result: Any) -> None:
        result.iterations += 1
        result.costs.append(float(intermediate_result.fun))
        if callback is not None and callback(result.iterations, _roll(intermediate_result.x, shapes),
                                             float(intermediate_result.fun)):
            raise StopIteration

    # numpy and scipy each bring their own OpenBLAS. Alternating between numpy's products and
    # the optimizer's small BLAS calls, the idle threads of one library spin on the cores the
    # other needs, which made training ten times slower on two cores: one thread each here,
    # whoever calls train (a notebook, a script, a test), restored afterwards.
    with threadpool_limits(limits=1, user_api="blas"):
        opt = minimize(fun, _unroll(Theta), jac=True, method=method, callback=on_iteration,
                       options={"maxiter": max_iter})
    result.Theta = _roll(opt.x, shapes)
    return result


def predict(Theta: Any, X: Any, *, activation: str = "sigmoid") -> np.ndarray:
    """The predicted label of each example: the index k of the largest output h_Θ(x)ₖ
    (for a single output unit, 1 when h_Θ(x) ≥ 0.5 and 0 otherwise). ``activation`` is the
    hidden layers' g the network was trained with."""
    g = activation_named(activation)
    Theta = as_theta(Theta)
    X, single = as_examples(X, Theta[1].shape[1] - 1)
    labels = _predict(Theta, X, g)
    return labels[0] if single else labels


def _predict(Theta: Params, X: np.ndarray, g: Any) -> np.ndarray:
    h = forward_unchecked(Theta, X, g).h
    return (h[:, 0] >= 0.5).astype(int) if h.shape[1] == 1 else np.argmax(h, axis=1)


def accuracy(Theta: Any, X: Any, labels: Any, *, activation: str = "sigmoid") -> float:
    """The fraction of examples whose predicted label equals the true one; ``labels`` are the
    classes 0…K−1 (one per example) or the one-hot Y. ``activation`` as in :func:`predict`."""
    g = activation_named(activation)
    Theta = as_theta(Theta)
    X, _ = as_examples(X, Theta[1].shape[1] - 1)
    K = Theta[len(Theta)].shape[0]
    truth = as_float_array(labels, "labels")
    if truth.ndim == 2 and truth.shape[1] > 1:
        Y = as_targets(truth, X.shape[0], K, "labels")
        if not np.all((Y == 0) | (Y == 1)) or not np.all(Y.sum(axis=1) == 1):
            raise ValueError("labels given as a matrix must be one-hot, a single 1 in each row "
                             "y⁽ⁱ⁾; otherwise give the class of each example, 0…K−1.")
        truth = np.argmax(Y, axis=1)
    else:
        truth = as_labels(truth.reshape(-1) if truth.ndim in (0, 2) else truth, max(K, 2))
    if truth.ndim != 1 or truth.size != X.shape[0]:
        raise ValueError(f"X has {X.shape[0]} examples but labels has {truth.size} entries; "
                         "give one true label per example.")
    return float(np.mean(_predict(Theta, X, g) == truth))
