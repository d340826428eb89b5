"""Learning: use the D terms to minimize J(Θ), then predict and measure accuracy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

from .cost import check_problem
from .forward import _forward
from .network import roll, unroll
from .validation import Params, as_examples, as_float_array, as_theta, layer_sizes
from .variant import Variant, variant
from .vectorized import _cost_and_gradient

Callback = Callable[[int, Params, float], bool | None]
SCIPY_METHODS = ("L-BFGS-B", "CG", "BFGS")


@dataclass
class TrainingResult:
    """The learned Θ, the cost J(Θ) after each iteration (``costs[0]`` is the start)."""

    Theta: Params
    costs: list[float] = field(default_factory=list)
    method: str = "gradient-descent"
    iterations: int = 0


def train(Theta: Any, X: Any, Y: Any, lam: float = 0.0, *, method: str = "L-BFGS-B",
          max_iter: int = 200, learning_rate: float = 1.0,
          callback: Callback | None = None, loss: str = "logistic",
          activation: str = "sigmoid") -> TrainingResult:
    """Minimize J(Θ) from the starting Θ, with D = ∂J/∂Θ from vectorized backpropagation.

    ``method="gradient-descent"`` repeats Θ⁽ˡ⁾ := Θ⁽ˡ⁾ − α·D⁽ˡ⁾ (α = ``learning_rate``);
    ``"L-BFGS-B"``, ``"CG"`` or ``"BFGS"`` hand J and D to scipy.optimize.minimize.
    ``callback(iteration, Theta, J)`` is called after every iteration; returning True stops.
    ``loss`` and ``activation`` choose J(Θ) and the hidden layers' g (see :func:`cost`).
    """
    chosen = variant(loss, activation)
    Theta, X, Y, lam = check_problem(Theta, X, Y, lam)
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 0:
        raise ValueError(f"max_iter must be a whole number ≥ 0, not {max_iter!r}.")
    if method == "gradient-descent":
        if not learning_rate > 0:
            raise ValueError(f"learning_rate (α) must be > 0, not {learning_rate}.")
        return _gradient_descent(Theta, X, Y, lam, max_iter, learning_rate, callback, chosen)
    if method in SCIPY_METHODS:
        return _scipy(Theta, X, Y, lam, method, max_iter, callback, chosen)
    raise ValueError(f"unknown method {method!r}; choose one of "
                     f"{['gradient-descent', *SCIPY_METHODS]}.")


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
        if callback is not None and callback(it, Theta, J):
            break
    return result


def _scipy(Theta: Params, X: np.ndarray, Y: np.ndarray, lam: float, method: str,
           max_iter: int, callback: Callback | None, chosen: Variant) -> TrainingResult:
    sizes = layer_sizes(Theta)

    def fun(v: np.ndarray) -> tuple[float, np.ndarray]:
        J, D = _cost_and_gradient(roll(v, sizes), X, Y, lam, *chosen)
        return J, unroll(D)

    result = TrainingResult(Theta, [fun(unroll(Theta))[0]], method)

    def on_iteration(intermediate_result: Any) -> None:
        result.iterations += 1
        result.costs.append(float(intermediate_result.fun))
        if callback is not None and callback(result.iterations, roll(intermediate_result.x, sizes),
                                             float(intermediate_result.fun)):
            raise StopIteration

    # numpy and scipy each bring their own OpenBLAS. Alternating between numpy's products and
    # the optimizer's small BLAS calls, the idle threads of one library spin on the cores the
    # other needs, which made training ten times slower on two cores: one thread each here.
    with threadpool_limits(limits=1, user_api="blas"):
        opt = minimize(fun, unroll(Theta), jac=True, method=method, callback=on_iteration,
                       options={"maxiter": max_iter})
    result.Theta = roll(opt.x, sizes)
    return result


def predict(Theta: Any, X: Any, *, activation: str = "sigmoid") -> np.ndarray:
    """The predicted label of each example: the index k of the largest output h_Θ(x)ₖ
    (for a single output unit, 1 when h_Θ(x) ≥ 0.5 and 0 otherwise). ``activation`` is the
    hidden layers' g the network was trained with."""
    g = variant(activation=activation).activation
    Theta = as_theta(Theta)
    X, single = as_examples(X, Theta[1].shape[1] - 1)
    h = _forward(Theta, X, g).h
    labels = (h[:, 0] >= 0.5).astype(int) if h.shape[1] == 1 else np.argmax(h, axis=1)
    return labels[0] if single else labels


def accuracy(Theta: Any, X: Any, labels: Any, *, activation: str = "sigmoid") -> float:
    """The fraction of examples whose predicted label equals the true one (labels or one-hot Y);
    ``activation`` as in :func:`predict`."""
    predicted = np.atleast_1d(predict(Theta, X, activation=activation))
    truth = as_float_array(labels, "labels")
    if truth.ndim == 2 and truth.shape[1] > 1:
        truth = np.argmax(truth, axis=1)
    truth = truth.reshape(-1)
    if truth.shape != predicted.shape:
        raise ValueError(f"X has {predicted.size} examples but labels has {truth.size} entries; "
                         "give one true label per example.")
    return float(np.mean(predicted == truth))
