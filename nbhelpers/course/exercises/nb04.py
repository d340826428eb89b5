"""Notebook 04 (accumulators Δ⁽ˡ⁾): the derivation's numeric check, the loop's check and hints."""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import backprop_example, cost
from ...accumulate import accumulate
from ...validation import Params, as_theta, sup
from ..feedback import Mistake, check_layers
from ..hints import register_hints
from .nb00 import answer_source, names_used, refuse_package_call

ACCUMULATE = "04-accumulate"
PACKAGE_ACCUMULATORS = ("accumulate", "backprop", "backprop_vectorized", "shares", "_shares")
"""What the exercise asks the student to write, already done: a cell that uses one is refused."""

register_hints(ACCUMULATE, [
    "Δ⁽ˡ⁾ starts at zero for every layer, with Θ⁽ˡ⁾'s shape, in a dict keyed like Θ. Then one "
    "pass over the training set: for each example (x⁽ⁱ⁾, y⁽ⁱ⁾) the steps 1–4 give every a⁽ˡ⁾ "
    "and δ⁽ˡ⁺¹⁾, and step 5 adds that example's share δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ to every Δ⁽ˡ⁾. Two loops: "
    "examples outside, layers inside.",
    "Δ⁽ˡ⁾ is s₍ₗ₊₁₎ × (sₗ + 1), like Θ⁽ˡ⁾. For one example, a⁽ˡ⁾ has sₗ + 1 entries (a₀ = 1 "
    "first) and δ⁽ˡ⁺¹⁾ has s₍ₗ₊₁₎ entries (no bias entry). Of the two orders of the outer "
    "product, only one gives s₍ₗ₊₁₎ rows. Example i (i = 1…m) is row i − 1 of X and Y.",
    "Delta = {l: np.zeros_like(___) for l, T in Theta.items()}\n"
    "for i in range(1, m + 1):                      # example i is row i − 1\n"
    "    bp = nb.backprop_example(Theta, X[___], Y[___])\n"
    "    for l in Delta:\n"
    "        Delta[l] ___ np.outer(___, ___)",
])


def one_example_cost(Theta: Any, x: Any, y: Any) -> float:
    """c, the cost of the single example (x, y): J(Θ) with m = 1 and λ = 0."""
    return cost(Theta, np.atleast_2d(x), np.atleast_2d(y))


def slope_of_c(Theta: Any, x: Any, y: Any, l: int, i: int, j: int, epsilon: float = 1e-5) -> float:
    """∂c/∂Θ⁽ˡ⁾ᵢⱼ by a two-sided difference, with the lecture's i (1…s₍ₗ₊₁₎) and j (0…sₗ)."""
    Theta = as_theta(Theta)
    up = {k: T.copy() for k, T in Theta.items()}
    down = {k: T.copy() for k, T in Theta.items()}
    up[l][i - 1, j] += epsilon
    down[l][i - 1, j] -= epsilon
    return (one_example_cost(up, x, y) - one_example_cost(down, x, y)) / (2 * epsilon)


def largest_gap_to_finite_differences(share: Any, Theta: Any, x: Any, y: Any, l: int) -> float:
    """The largest |share − ∂c/∂Θ⁽ˡ⁾| over every entry of layer l (finite differences of c)."""
    Theta = as_theta(Theta)
    share = np.asarray(share, dtype=float)
    rows, cols = Theta[l].shape
    slopes = np.array([[slope_of_c(Theta, x, y, l, i, j) for j in range(cols)]
                       for i in range(1, rows + 1)])
    return float(np.max(np.abs(share - slopes)))


def _shares(Theta: Params, X: np.ndarray, Y: np.ndarray) -> list[Params]:
    out = []
    for x, y in zip(X, Y, strict=True):
        bp = backprop_example(Theta, x, y)
        out.append({l: np.outer(bp.delta[l + 1], bp.a[l]) for l in Theta})
    return out


def check_accumulators(Delta: Any, Theta: Any, X: Any, Y: Any) -> Any:
    """Check the student's Δ (a dict keyed like Θ) after the loop over all m examples."""
    Theta = as_theta(Theta)
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    reference = accumulate(Theta, X, Y)
    used = names_used(answer_source("Delta"), PACKAGE_ACCUMULATORS)
    if used:
        return refuse_package_call(ACCUMULATE, "Delta", used, reference)
    shares = _shares(Theta, X, Y)
    m = X.shape[0]
    first_layer_only = {l: reference[l] if l == 1 else np.zeros_like(T) for l, T in Theta.items()}
    mistakes = [
        Mistake("replaced Δ with the last example's share (= instead of +=)", shares[-1]),
        Mistake("add the first example's share m times", {l: m * shares[0][l] for l in Theta}),
        Mistake("divide by m (that belongs to the D terms, notebook 05)",
                {l: reference[l] / m for l in Theta}),
        Mistake("update only Δ⁽¹⁾ (step 5 is for every layer l = 1…L−1)", first_layer_only),
        Mistake("leave out the last example (the loop stops one example early)",
                {l: reference[l] - shares[-1][l] for l in Theta}),
    ]
    return check_layers(
        "Δ", Delta, reference, exercise=ACCUMULATE, mistakes=mistakes,
        why_shape=lambda l: (f"Δ{sup(l)} has one entry per weight of Θ{sup(l)}: "
                             f"{Theta[l].shape[0]} rows (the units of layer {l + 1}, from "
                             f"δ{sup(l + 1)}) × {Theta[l].shape[1]} columns (the bias unit and "
                             f"the units of layer {l}, from a{sup(l)})"),
        todo="Write the loop over the examples in the cell above; hint('04-accumulate') gives "
             "the idea.").value


def shares(Theta: Any, X: Any, Y: Any, l: int) -> list[np.ndarray]:
    """Each example's share δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ of layer l, in the order of the examples."""
    Theta = as_theta(Theta)
    return [s[l] for s in _shares(Theta, np.asarray(X, dtype=float), np.asarray(Y, dtype=float))]


def share_ranks(Theta: Any, X: Any, Y: Any, l: int) -> tuple[list[int], int]:
    """The matrix rank of each example's share δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ, and of their sum Δ⁽ˡ⁾."""
    Theta = as_theta(Theta)
    shares = _shares(Theta, np.asarray(X, dtype=float), np.asarray(Y, dtype=float))
    ranks = [int(np.linalg.matrix_rank(s[l])) for s in shares]
    return ranks, int(np.linalg.matrix_rank(sum(s[l] for s in shares)))


__all__ = ["ACCUMULATE", "check_accumulators", "largest_gap_to_finite_differences",
           "one_example_cost", "plot_shares", "share_ranks", "shares", "slope_of_c"]


def plot_shares(Theta: Any, X: Any, Y: Any, l: int) -> Any:
    """One heat map per example's share δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ, then their sum Δ⁽ˡ⁾, on one colour scale,
    each titled with its matrix rank."""
    import matplotlib.pyplot as plt

    parts = shares(Theta, X, Y, l)
    panels = [(f"example {k}", s) for k, s in enumerate(parts, 1)]
    panels.append((f"Δ{sup(l)} = their sum", sum(parts)))
    vmax = max(float(np.abs(M).max()) for _, M in panels)
    rows, cols = parts[0].shape
    fig, axes = plt.subplots(1, len(panels), figsize=(3.3 * len(panels), 3.6), layout="constrained")
    for ax, (title, M) in zip(axes, panels, strict=True):
        im = ax.imshow(M, cmap="RdBu", vmin=-vmax, vmax=vmax)
        ax.set_title(f"{title}\nrank {np.linalg.matrix_rank(M)}", fontsize=12)
        ax.set_xticks(range(cols))
        ax.set_yticks(range(rows), labels=range(1, rows + 1))
    axes[0].set_xlabel(f"unit of layer {l} (0: bias)")
    axes[0].set_ylabel(f"unit of layer {l + 1}")
    fig.colorbar(im, ax=axes, shrink=0.8)
    return fig
