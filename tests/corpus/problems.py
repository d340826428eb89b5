"""The problems the corpus's answers are tried on, and the names a notebook's cells define before
each top-level exercise (so that an exercise cell's source can run as it does in the notebook).

The corpus's own tests use these to make sure that every right answer is right and every wrong
one is wrong on at least one problem, whatever the feedback says. The problems vary what hides
mistakes: the depth (L = 2 … 5), layers of different sizes (so that a missing transpose cannot
fit), λ = 0 and λ ≠ 1, and m = 1 and m > 1 with distinct examples.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np

import nbhelpers as nb

Params = dict[int, np.ndarray]


@dataclass(frozen=True)
class Case:
    """One capstone problem: Θ, X, Y and λ."""

    title: str
    Theta: Params
    X: np.ndarray
    Y: np.ndarray
    lam: float

    @property
    def args(self) -> tuple[Params, np.ndarray, np.ndarray, float]:
        """Fresh copies of (Θ, X, Y, λ), as a check would pass them."""
        return ({l: T.copy() for l, T in self.Theta.items()}, self.X.copy(), self.Y.copy(),
                self.lam)


def network(sizes: tuple[int, ...], m: int, seed: int = 0) -> nb.Problem:
    """Θ⁽ˡ⁾ uniform in (−1, 1), m distinct examples in (−1, 1)^s₁, one-hot labels."""
    rng = np.random.default_rng(seed)
    Theta = {l: rng.uniform(-1, 1, size=(sizes[l], sizes[l - 1] + 1)) for l in range(1, len(sizes))}
    X = rng.uniform(-1, 1, size=(m, sizes[0]))
    labels = (np.arange(m) + seed) % sizes[-1]
    return nb.Problem(Theta, X, nb.one_hot(labels, sizes[-1]))


def case(title: str, problem: nb.Problem, lam: float) -> Case:
    return Case(title, {l: np.array(T, dtype=float) for l, T in problem.Theta.items()},
                np.array(problem.X, dtype=float), np.array(problem.Y, dtype=float), lam)


def backprop_cases() -> list[Case]:
    """Problems on which every right capstone answer must give nb.backprop's D."""
    return [
        case("L = 2, 3-2, m = 4, λ = 0.7", network((3, 2), 4, seed=1), 0.7),
        case("L = 3, 4-6-3, m = 1, λ = 0.7", network((4, 6, 3), 1, seed=2), 0.7),
        case("L = 3, 4-6-3, m = 4, λ = 0", network((4, 6, 3), 4, seed=3), 0.0),
        case("the lecture's 3-5-5-4, m = 4, λ = 0.7", nb.lecture_network(4), 0.7),
        case("L = 5, 2-4-3-3-2, m = 4, λ = 0.7", network((2, 4, 3, 3, 2), 4, seed=4), 0.7),
        case("L = 4, 3-3-3-3 (square layers), m = 4, λ = 0.7", network((3, 3, 3, 3), 4, seed=5), 0.7),
    ]


HIDING: dict[str, Case] = {
    "m=1": case("the lecture's network, m = 1, λ = 0.7", nb.lecture_network(1), 0.7),
    "lam=0": case("L = 3, 4-6-3, m = 4, λ = 0", network((4, 6, 3), 4, seed=3), 0.0),
    "lam=1": case("L = 3, 4-6-3, m = 4, λ = 1", network((4, 6, 3), 4, seed=3), 1.0),
    "m=5": case("L = 3, 4-6-3, m = 5, λ = 0.7", network((4, 6, 3), 5, seed=6), 0.7),
    "L=4": case("the lecture's network, m = 4, λ = 0.7", nb.lecture_network(4), 0.7),
}
"""A problem on which a wrong answer gives the right numbers (``Entry.hidden_on``): why one
problem is not enough."""


# ---- the function exercises: their arguments and the reference answer --------------------------

def _small_networks() -> list[tuple[str, nb.Problem]]:
    return [("the lecture's 3-5-5-4", nb.lecture_network(4)),
            ("L = 2, 3-2", network((3, 2), 4, seed=11)),
            ("L = 3, 4-6-3", network((4, 6, 3), 4, seed=12)),
            ("L = 5, 2-4-3-3-2", network((2, 4, 3, 3, 2), 4, seed=13))]


def cost_of(problem: nb.Problem, lam: float) -> Callable[[Params], float]:
    """J(Θ) on the problem's examples, as notebook 06 writes it."""
    def J(T: Params) -> float:
        return nb.cost(T, problem.X, problem.Y, lam)
    return J


def _stacked(Theta: Params, X: np.ndarray) -> tuple[Params, Params]:
    """Notebook 08's stacked forward pass: A⁽ˡ⁾ (column of ones first, none at the output), Z⁽ˡ⁾."""
    L = len(Theta) + 1
    A, Z = {1: nb.add_bias(X)}, {}
    for l in range(1, L):
        Z[l + 1] = A[l] @ Theta[l].T
        G = nb.sigmoid(Z[l + 1])
        A[l + 1] = nb.add_bias(G) if l + 1 < L else G
    return A, Z


def function_cases(exercise: str) -> list[tuple[Any, ...]]:
    """The arguments a function exercise's answers are tried on (the notebook's own first)."""
    nets = _small_networks()
    if exercise == "01-forward":
        return [(p.Theta, p.X[i]) for _, p in nets for i in (0, 1)]
    if exercise == "03-deltas":
        out = []
        for _, p in nets:
            fp = nb.forward_propagate(p.Theta, p.X[1])
            out.append((p.Theta, fp.a, fp.z, p.Y[1]))
        return out
    if exercise == "05-d-from-accumulators":
        q = nb.lecture_network()
        G = nb.backprop(q.Theta, q.X, q.Y, 0.3)
        out = [(G.Delta[l], q.Theta[l], 3, 0.3) for l in G]
        for lam in (0.7, 0.0):
            for p in (network((4, 6, 3), 4, seed=21), network((3, 2), 1, seed=22)):
                G = nb.backprop(p.Theta, p.X, p.Y, lam)
                out += [(G.Delta[l], p.Theta[l], p.X.shape[0], lam) for l in G]
        return out
    if exercise == "06-two-sided-difference":
        q = nb.lecture_network()
        out = [(cost_of(q, 1.0), q.Theta, l, r, c, 1e-2) for l, r, c in [(1, 0, 0), (2, 3, 2), (3, 1, 4)]]
        p = network((3, 4, 2), 3, seed=23)
        out += [(cost_of(p, 0.7), p.Theta, l, r, c, eps)
                for (l, r, c), eps in [((1, 2, 1), 1e-2), ((2, 1, 0), 1e-4), ((2, 0, 3), 1e-3)]]
        return out
    if exercise == "07-gradient-descent":
        p, q = network((3, 4, 2), 4, seed=24), network((2, 3, 3, 2), 3, seed=25)
        return [(p.Theta, p.X, p.Y, 0.7, 0.5, 4), (q.Theta, q.X, q.Y, 0.0, 1.0, 3),
                (p.Theta, p.X, p.Y, 1.0, 2.0, 1)]
    if exercise == "08-stacked-backward":
        out = []
        for p in (nb.lecture_network(5), network((3, 4, 2), 3, seed=26),
                  network((4, 6, 5, 3, 2), 4, seed=27)):
            A, Z = _stacked(p.Theta, p.X)
            out.append((p.Theta, A, Z, p.Y))
        return out
    if exercise == "09-relu-gradient":
        return [(np.array([-2.0, -0.5, 0.0, 0.25, 3.0]),), (np.array([[1.5, -1.0], [0.0, 2.0]]),),
                (np.linspace(-1, 1, 7).reshape(7, 1),)]
    raise KeyError(exercise)


def stacked_reference(Theta: Params, A: Params, Y: np.ndarray) -> tuple[Params, Params]:
    """The stacked δ⁽ˡ⁾ (one row per example, from the loop) and Δ⁽ˡ⁾ (nb.accumulate)."""
    X = np.asarray(A[1])[:, 1:]
    rows = [nb.backprop_example(Theta, x, y).delta for x, y in zip(X, Y, strict=True)]
    delta = {l: np.array([r[l] for r in rows]) for l in rows[0]}
    return delta, dict(nb.accumulate(Theta, X, Y))


def gradient_descent_reference(Theta: Params, X: np.ndarray, Y: np.ndarray, lam: float,
                               alpha: float, iterations: int) -> tuple[Params, list[float]]:
    Theta = {l: np.array(T, dtype=float) for l, T in Theta.items()}
    costs = [nb.cost(Theta, X, Y, lam)]
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y, lam)
        Theta = {l: Theta[l] - alpha * D[l] for l in Theta}
        costs.append(nb.cost(Theta, X, Y, lam))
    return Theta, costs


def function_reference(exercise: str, args: tuple[Any, ...]) -> Any:
    """The right answer of a function exercise for these arguments, from the package."""
    if exercise == "01-forward":
        return nb.forward_propagate(*args).h
    if exercise == "03-deltas":
        Theta, a, _, y = args
        return nb.backprop_example(Theta, a[1][1:], y).delta
    if exercise == "05-d-from-accumulators":
        Delta_l, Theta_l, m, lam = args
        return nb.d_terms({1: Delta_l}, {1: Theta_l}, m, lam)[1]
    if exercise == "06-two-sided-difference":
        J, Theta, l, row, col, epsilon = args
        return nb.numerical_gradient(J, Theta, epsilon)[l][row, col]
    if exercise == "07-gradient-descent":
        return gradient_descent_reference(*args)
    if exercise == "08-stacked-backward":
        Theta, A, _, Y = args
        return stacked_reference(Theta, A, Y)
    if exercise == "09-relu-gradient":
        return nb.relu_gradient(args[0])
    raise KeyError(exercise)


# ---- the top-level exercises: each notebook's names before its exercise cell -------------------

def notebook_g(z: Any) -> np.ndarray:
    """Notebook 01's own g (section 3): g(z) = 1 / (1 + e^(−z))."""
    return 1 / (1 + np.exp(-z))


def _names_00(p: nb.Problem) -> dict[str, Any]:
    s = dict(enumerate(nb.layer_sizes(p.Theta), start=1))
    broken = dict(p.Theta)
    broken[2] = p.Theta[2][:, 1:]
    return {"p": p, "s": s, "L": len(s), "bp": nb.backprop_example(p.Theta, p.X[0], p.Y[0]),
            "broken": broken}


def _names_01(problem: nb.Problem) -> dict[str, Any]:
    Theta = problem.Theta
    s = dict(enumerate(nb.layer_sizes(Theta), start=1))
    x = problem.X[0]
    return {"problem": problem, "Theta": Theta, "s": s, "L": len(s), "g": notebook_g,
            "z_grid": np.linspace(-8, 8, 401), "x": x, "a1": np.concatenate(([1.0], x))}


def _names_02(problem: nb.Problem) -> dict[str, Any]:
    Theta, X, Y = problem.Theta, problem.X, problem.Y
    m, K = Y.shape
    return {"problem": problem, "Theta": Theta, "X": X, "Y": Y, "m": m, "K": K,
            "H": nb.forward_propagate(Theta, X).h, "h_values": np.array([0.01, 0.1, 0.5, 0.9, 0.99]),
            "h": np.linspace(0.005, 0.995, 400)}


def _names_02_reg(problem: nb.Problem, lam: float) -> dict[str, Any]:
    names = _names_02(problem)
    H, Y, m = names["H"], names["Y"], names["m"]
    J_loops = float(-np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / m)
    names.update(J_unreg=J_loops, J_loops=J_loops, J_nb=nb.cost(problem.Theta, problem.X, Y),
                 Theta_zero={l: np.zeros_like(T) for l, T in problem.Theta.items()}, lam=lam)
    return names


def _names_04(p: nb.Problem) -> dict[str, Any]:
    Theta, X, Y = p.Theta, p.X, p.Y
    bp = nb.backprop_example(Theta, X[0], Y[0])
    last = max(Theta)
    return {"p": p, "Theta": Theta, "X": X, "Y": Y, "L": len(Theta) + 1, "m": X.shape[0],
            "s": dict(enumerate(p.sizes, start=1)), "bp": bp, "l": last, "i": 3, "j": 4,
            "share": np.outer(bp.delta[last + 1], bp.a[last])}


def _names_05(p: nb.Problem, lam: float, alpha: float) -> dict[str, Any]:
    m = p.X.shape[0]
    G = nb.backprop(p.Theta, p.X, p.Y, lam)
    D = {l: np.array(G[l]) for l in G}

    def J(Theta: Params) -> float:
        return nb.cost(Theta, p.X, p.Y, lam)

    return {"p": p, "m": m, "lam": lam, "Delta": dict(G.Delta), "G": G, "l": max(G), "D": D,
            "J": J, "PASS": 1e-7, "D_step": D, "ALPHA": alpha, "J_before": J(p.Theta),
            "J_after": J({l: p.Theta[l] - alpha * D[l] for l in p.Theta})}


def _names_07(Theta: Params, X_test: np.ndarray) -> dict[str, Any]:
    h_test = nb.forward_propagate(Theta, X_test).h
    labels = np.argmax(h_test[:, ::-1], axis=1)
    return {"digits": SimpleNamespace(X_test=X_test, labels_test=labels),
            "lbfgs": SimpleNamespace(Theta=Theta), "h_test": h_test, "K": h_test.shape[1]}


def _names_09(p: nb.Problem) -> dict[str, Any]:
    Theta, X, Y = p.Theta, p.X, p.Y
    L = len(Theta) + 1
    x, y = X[0], Y[0]
    fp = nb.forward_propagate(Theta, x)
    return {"p": p, "Theta": Theta, "X": X, "Y": Y, "L": L, "x": x, "y": y, "fp": fp,
            "z": fp.z[L], "h": fp.h}


def _digits_test() -> np.ndarray:
    return nb.load_digits().X_test


def cell_names(exercise: str) -> list[dict[str, Any]]:
    """The names a top-level exercise cell can use: the notebook's own first, then probes (other
    networks, λ, m), each built the way the notebook's earlier cells build them."""
    if exercise == "00-n-params":
        return [_names_00(nb.lecture_network()), _names_00(network((4, 6, 3), 2, seed=31))]
    if exercise == "01-z2":
        return [_names_01(nb.lecture_network()), _names_01(network((4, 3, 2), 2, seed=32))]
    if exercise == "02-j-unreg":
        return [_names_02(nb.lecture_network()), _names_02(network((3, 4, 3), 4, seed=33))]
    if exercise == "02-reg":
        return [_names_02_reg(nb.lecture_network(), 1.0),
                _names_02_reg(network((3, 4, 3), 4, seed=33), 0.7),
                _names_02_reg(network((2, 3, 2), 5, seed=34), 0.0)]
    if exercise == "04-accumulate":
        return [_names_04(nb.lecture_network(4)), _names_04(network((4, 3, 2), 5, seed=35)),
                _names_04(network((2, 4, 3, 3, 2), 3, seed=36))]
    if exercise == "05-predicted-change":
        return [_names_05(nb.lecture_network(), 0.3, 0.1),
                _names_05(network((2, 3, 2), 4, seed=37), 0.7, 0.05)]
    if exercise == "07-predicted":
        X_test = _digits_test()
        return [_names_07(nb.init_weights((64, 25, 10), rng=0), X_test),
                _names_07(nb.init_weights((64, 8, 10), epsilon_init=1.0, rng=1), X_test[:40])]
    if exercise == "09-delta-l-squared":
        return [_names_09(nb.lecture_network()), _names_09(network((3, 4, 2), 2, seed=38))]
    raise KeyError(exercise)


TARGET = {"00-n-params": "n_params", "01-z2": "z2", "02-j-unreg": "J_unreg", "02-reg": "reg",
          "04-accumulate": "Delta", "05-predicted-change": "predicted_change",
          "07-predicted": "predicted", "09-delta-l-squared": "delta_L_squared"}
"""The variable each top-level exercise cell must assign."""


def cell_reference(exercise: str, names: dict[str, Any]) -> Any:
    """The right value of the exercise's variable for these names."""
    n = SimpleNamespace(**names)
    if exercise == "00-n-params":
        return sum(T.size for T in n.p.Theta.values())
    if exercise == "01-z2":
        return n.Theta[1] @ n.a1
    if exercise == "02-j-unreg":
        return float(-np.sum(n.Y * np.log(n.H) + (1 - n.Y) * np.log(1 - n.H)) / n.m)
    if exercise == "02-reg":
        return nb.regularization_cost(n.Theta, n.m, n.lam)
    if exercise == "04-accumulate":
        return dict(nb.accumulate(n.Theta, n.X, n.Y))
    if exercise == "05-predicted-change":
        return -n.ALPHA * sum(float(np.sum(D ** 2)) for D in n.D_step.values())
    if exercise == "07-predicted":
        return np.argmax(n.h_test, axis=1)
    if exercise == "09-delta-l-squared":
        return nb.backprop_example(n.Theta, n.x, n.y, loss="squared").delta[n.L]
    raise KeyError(exercise)


ALLOWED_CALLS: dict[str, frozenset[str]] = {
    "05-backprop": frozenset({"sigmoid", "sigmoid_gradient"}),
    "01-forward": frozenset(),
    "03-deltas": frozenset({"sigmoid", "sigmoid_gradient"}),
    "05-d-from-accumulators": frozenset(),
    "06-two-sided-difference": frozenset(),
    "07-gradient-descent": frozenset({"backprop", "cost"}),
    "08-stacked-backward": frozenset({"sigmoid", "sigmoid_gradient"}),
    "09-relu-gradient": frozenset(),
    "00-n-params": frozenset(),
    "01-z2": frozenset(),
    "02-j-unreg": frozenset(),
    "02-reg": frozenset(),
    "04-accumulate": frozenset({"backprop_example"}),
    "05-predicted-change": frozenset(),
    "07-predicted": frozenset(),
    "09-delta-l-squared": frozenset({"sigmoid", "sigmoid_gradient"}),
}
"""The nbhelpers functions each exercise lets an answer call itself (from its notebook's text):
an answer that calls any other takes the package's numbers."""
