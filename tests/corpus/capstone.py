"""The capstone of notebook 05, ``backprop(Theta, X, Y, lam)``, as students write it.

Each function is one student's whole answer, written from the notebook's instructions: right
ones in unusual styles, ones with exactly one mistake, and ones that take the package's numbers
instead of computing them (the capstone allows g and g′ only: ``nb.sigmoid`` and
``nb.sigmoid_gradient``). ``lam`` and ``m`` below stand for the notebook's global λ and m, which a
student's function reads when it forgets its own.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import numpy as np

import nbhelpers
import nbhelpers as nb

from . import CAPSTONE, Entry

lam = 1.0   # the notebook's λ, a global of the notebook
m = 5       # the notebook's m, a global of the notebook

ENTRIES: list[Entry] = []


def _register(passes: bool, step: str | tuple[str, ...] | None, mistake: str | None, note: str,
              hidden_on: str = "") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def add(fn: Callable[..., Any]) -> Callable[..., Any]:
        ENTRIES.append(Entry(fn.__name__, CAPSTONE, fn, passes, step, mistake, note, hidden_on))
        return fn
    return add


def right(note: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return _register(True, None, None, note)


def wrong(step: str | tuple[str, ...], mistake: str | None, note: str,
          hidden_on: str = "") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return _register(False, step, mistake, note, hidden_on)


def cheat(note: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return _register(False, "package", "package_call", note)


# ==== right answers, each in a style of its own ====================================================

@right("vectorized: the examples as rows, np.hstack puts the column of ones in front, and each "
       "Δ⁽ˡ⁾ is one product (δ⁽ˡ⁺¹⁾)ᵀA⁽ˡ⁾")
def backprop_matrices_hstack(Theta, X, Y, lam):
    m = X.shape[0]
    L = len(Theta) + 1
    A = {1: np.hstack([np.ones((m, 1)), X])}
    Z = {}
    for l in range(1, L):
        Z[l + 1] = A[l] @ Theta[l].T
        G = nb.sigmoid(Z[l + 1])
        A[l + 1] = G if l + 1 == L else np.hstack([np.ones((m, 1)), G])
    d = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    D = {}
    for l in range(1, L):
        D[l] = d[l + 1].T @ A[l] / m
        D[l][:, 1:] += lam / m * Theta[l][:, 1:]
    return D


@right("einsum for every product, np.insert for the bias column, and the backward pass fused "
       "with the D step in one loop from the output down")
def backprop_einsum(Theta, X, Y, lam):
    m, L = len(X), len(Theta) + 1
    a = {1: np.insert(X, 0, 1.0, axis=1)}
    for l in range(1, L):
        z = np.einsum("ij,mj->mi", Theta[l], a[l])
        a[l + 1] = nb.sigmoid(z) if l + 1 == L else np.insert(nb.sigmoid(z), 0, 1.0, axis=1)
    delta = a[L] - Y
    D = {}
    for l in range(L - 1, 0, -1):
        D[l] = np.einsum("mi,mj->ij", delta, a[l]) / m
        reg = lam / m * Theta[l]
        reg[:, 0] = 0.0          # reg is a new array: Theta keeps its bias column
        D[l] += reg
        if l > 1:
            s = a[l][:, 1:]
            delta = np.einsum("mi,ij->mj", delta, Theta[l][:, 1:]) * s * (1 - s)
    return D


@right("column vectors as in the lecture's Octave: x reshaped to (s₁, 1), np.vstack for a₀, "
       "Δ += δ @ aᵀ, and the regularization from a copy of Θ with a zero bias column")
def backprop_column_vectors(Theta, X, Y, lam):
    L = len(Theta) + 1
    m = X.shape[0]
    Delta = {l: np.zeros(T.shape) for l, T in Theta.items()}
    for i in range(m):
        a = {1: np.vstack([[1.0], X[i].reshape(-1, 1)])}
        z = {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1])
            if l + 1 < L:
                a[l + 1] = np.vstack([[1.0], a[l + 1]])
        d = {L: a[L] - Y[i].reshape(-1, 1)}
        for l in range(L - 1, 1, -1):
            d[l] = Theta[l][:, 1:].T @ d[l + 1] * nb.sigmoid_gradient(z[l])
        for l in range(1, L):
            Delta[l] = Delta[l] + d[l + 1] @ a[l].T
    D = {}
    for l in Delta:
        no_bias = np.hstack([np.zeros((Theta[l].shape[0], 1)), Theta[l][:, 1:]])
        D[l] = (Delta[l] + lam * no_bias) / m
    return D


def _forward_lists(thetas, x):
    """acts[k] is a⁽ᵏ⁺¹⁾ and zs[k] is z⁽ᵏ⁺²⁾: Python lists count from 0."""
    acts, zs = [np.concatenate(([1.0], x))], []
    for k, T in enumerate(thetas):
        zs.append(T @ acts[-1])
        g = 1.0 / (1.0 + np.exp(-zs[-1]))
        acts.append(g if k == len(thetas) - 1 else np.concatenate(([1.0], g)))
    return acts, zs


@right("a helper for the forward pass and Θ copied into a 0-based list, every index shifted "
       "with care (thetas[k] is Θ⁽ᵏ⁺¹⁾), one δ at a time going down")
def backprop_lists_and_helper(Theta, X, Y, lam):
    thetas = [Theta[l] for l in sorted(Theta)]
    grads = [np.zeros_like(T) for T in thetas]
    for x, y in zip(X, Y, strict=True):
        acts, zs = _forward_lists(thetas, x)
        d = acts[-1] - y
        for k in range(len(thetas) - 1, -1, -1):
            grads[k] += np.outer(d, acts[k])
            if k > 0:
                d = (thetas[k][:, 1:].T @ d) * nb.sigmoid_gradient(zs[k - 1])
    D = {}
    for k, T in enumerate(thetas):
        D[k + 1] = grads[k] / len(X)
        D[k + 1][:, 1:] += lam / len(X) * T[:, 1:]
    return D


@right("regularization first: the accumulators start at λΘ⁽ˡ⁾ with a zero bias column, so "
       "after the loop D is Δ⁽ˡ⁾/m and nothing else")
def backprop_regularization_first(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {}
    for l, T in Theta.items():
        Delta[l] = lam * T
        Delta[l][:, 0] = 0.0
    for x, y in zip(X, Y, strict=True):
        a = {1: np.append(1.0, x)}
        z = {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.append(1.0, nb.sigmoid(z[l + 1]))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = Theta[l][:, 1:].T @ delta[l + 1] * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    return {l: Delta[l] / m for l in Delta}


@right("1/m inside the loop: each example adds its share divided by m, np.r_ for the bias unit, "
       "g′ written a .* (1 − a) from the stored activations")
def backprop_average_inside_loop(Theta, X, Y, lam):
    L, m = len(Theta) + 1, len(X)
    D = {l: np.zeros_like(T) for l, T in Theta.items()}
    for i in range(m):
        a = {1: np.r_[1.0, X[i]]}
        for l in range(1, L):
            out = nb.sigmoid(Theta[l] @ a[l])
            a[l + 1] = out if l == L - 1 else np.r_[1.0, out]
        delta = {L: a[L] - Y[i]}
        for l in range(L - 1, 1, -1):
            delta[l] = Theta[l][:, 1:].T @ delta[l + 1] * a[l][1:] * (1 - a[l][1:])
        for l in D:
            D[l] += np.outer(delta[l + 1], a[l]) / m
    for l in D:
        D[l][:, 1:] += (lam / m) * Theta[l][:, 1:]
    return D


@right("regularization folded into the loop: every example brings its 1/m of the share and "
       "1/m of the (λ/m)Θ term, so the sum over the m examples is D itself")
def backprop_regularization_in_loop(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    penalty = {l: np.where(np.arange(T.shape[1]) == 0, 0.0, lam / m * T) for l, T in Theta.items()}
    D = {l: np.zeros(T.shape) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a = {1: np.concatenate([[1.0], x])}
        z = {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1])
            if l < L - 1:
                a[l + 1] = np.concatenate([[1.0], a[l + 1]])
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in D:
            D[l] += (np.outer(delta[l + 1], a[l]) + penalty[l]) / m
    return D


@right("no column of ones at all: the bias column of Θ is added to every row (broadcast), and "
       "Δ's column 0 is the column sum of δ, the other columns (δ)ᵀ times the activations")
def backprop_bias_separately(Theta, X, Y, lam):
    m, L = X.shape[0], len(Theta) + 1
    acts = {1: X}
    for l in range(1, L):
        acts[l + 1] = nb.sigmoid(acts[l] @ Theta[l][:, 1:].T + Theta[l][:, 0])
    err = acts[L] - Y
    grads = {}
    for l in range(L - 1, 0, -1):
        W = Theta[l][:, 1:]
        grads[l] = np.column_stack([err.sum(axis=0), err.T @ acts[l]]) / m
        grads[l][:, 1:] += lam * W / m
        err = (err @ W) * acts[l] * (1 - acts[l])
    return grads


@right("keeps each example's outer products in a list and takes np.mean over them, which is "
       "Δ⁽ˡ⁾/m; g′ computed by hand from z with np.exp")
def backprop_mean_of_shares(Theta, X, Y, lam):
    L = len(Theta) + 1
    shares = {l: [] for l in Theta}
    for x, y in zip(X, Y, strict=True):
        a = {1: np.hstack(([1.0], x))}
        z = {}
        for l in range(1, L):
            z[l + 1] = np.dot(Theta[l], a[l])
            h = 1 / (1 + np.exp(-z[l + 1]))
            a[l + 1] = h if l + 1 == L else np.hstack(([1.0], h))
        delta = {L: a[L] - y}
        for l in reversed(range(2, L)):
            gz = 1 / (1 + np.exp(-z[l]))
            delta[l] = np.dot(Theta[l][:, 1:].T, delta[l + 1]) * gz * (1 - gz)
        for l in Theta:
            shares[l].append(np.outer(delta[l + 1], a[l]))
    D = {l: np.mean(shares[l], axis=0) for l in Theta}
    for l, T in Theta.items():
        D[l][:, 1:] = D[l][:, 1:] + lam / len(X) * T[:, 1:]
    return D


@right("recursive: each layer runs the rest of the network forward, gets δ back from the layer "
       "above and fills its own D⁽ˡ⁾ (np.c_ for the column of ones)")
def backprop_recursive(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    D = {}

    def layer(l, A):
        Z = A @ Theta[l].T
        G = nb.sigmoid(Z)
        if l == L - 1:
            d_next = G - Y
        else:
            d_after = layer(l + 1, np.c_[np.ones(m), G])
            d_next = (d_after @ Theta[l + 1][:, 1:]) * G * (1 - G)
        D[l] = d_next.T @ A / m
        D[l][:, 1:] += lam / m * Theta[l][:, 1:]
        return d_next

    layer(1, np.c_[np.ones(m), X])
    return D


@right("the notebook's loop with the student's debugging prints left in, .dot methods, and a mask "
       "that keeps the bias column out of the regularization")
def backprop_with_prints(Theta, X, Y, lam):
    L = len(Theta) + 1
    m = len(Y)
    print("L =", L, "m =", m, "shapes:", [T.shape for T in Theta.values()])
    Delta = {l: np.zeros_like(Theta[l]) for l in Theta}
    for i, (x, y) in enumerate(zip(X, Y, strict=True)):
        a = {1: np.concatenate(([1.0], x))}
        z = {}
        for l in range(1, L):
            z[l + 1] = Theta[l].dot(a[l])
            a[l + 1] = nb.sigmoid(z[l + 1]) if l == L - 1 else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        print("example", i + 1, "delta L =", delta[L])
        for l in range(L - 1, 1, -1):
            delta[l] = Theta[l][:, 1:].T.dot(delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l in Delta:
        mask = np.ones_like(Theta[l])
        mask[:, 0] = 0
        D[l] = Delta[l] / m + lam / m * Theta[l] * mask
    return D


@right("the outer product by broadcasting, δ[:, None] * a[None, :], and the examples taken in "
       "reverse order (a sum does not care)")
def backprop_broadcast_outer(Theta, X, Y, lam):
    L = len(Theta) + 1
    m = X.shape[0]
    acc = {l: 0.0 * Theta[l] for l in Theta}
    for i in range(m - 1, -1, -1):
        a = {1: np.append([1.0], X[i])}
        z = {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = np.append([1.0], nb.sigmoid(z[l + 1])) if l < L - 1 else nb.sigmoid(z[l + 1])
        delta = {L: a[L] - Y[i]}
        for l in range(L - 1, 1, -1):
            delta[l] = (delta[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(z[l])
        for l in acc:
            acc[l] = acc[l] + delta[l + 1][:, None] * a[l][None, :]
    D = {}
    for l in acc:
        D[l] = acc[l] / m
        D[l][:, 1:] = D[l][:, 1:] + lam * Theta[l][:, 1:] / m
    return D


# ==== one mistake each: the forward pass ============================================================

@wrong("forward", "bias_unit_missing",
       "forgot a₀ = 1: a⁽¹⁾ is x itself, so Θ⁽¹⁾a⁽¹⁾ does not fit (numpy stops at the first product)")
def backprop_no_bias_unit(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: x}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1])
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("forward", "bias_unit_missing",
       "vectorized; the column of ones is put in front of X but forgotten for the hidden layers, "
       "so the next product does not fit (right only without a hidden layer)")
def backprop_vectorized_no_hidden_bias(Theta, X, Y, lam):
    m, L = X.shape[0], len(Theta) + 1
    A, Z = {1: np.hstack([np.ones((m, 1)), X])}, {}
    for l in range(1, L):
        Z[l + 1] = A[l] @ Theta[l].T
        A[l + 1] = nb.sigmoid(Z[l + 1])
    d = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    D = {}
    for l in range(1, L):
        D[l] = d[l + 1].T @ A[l] / m
        D[l][:, 1:] += lam / m * Theta[l][:, 1:]
    return D


@wrong("forward", "bias_unit_last",
       "the bias unit appended at the end (np.append(x, 1)) instead of in front, everywhere; the "
       "rest follows the lecture")
def backprop_bias_at_the_end(Theta, X, Y, lam):
    L, m = len(Theta) + 1, len(X)
    Delta = {l: np.zeros(Theta[l].shape) for l in Theta}
    for i in range(m):
        a, z = {1: np.append(X[i], 1.0)}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.append(nb.sigmoid(z[l + 1]), 1.0)
        delta = {L: a[L] - Y[i]}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l in Delta:
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * Theta[l][:, 1:]
    return D


@wrong(("output_delta", "forward"), "no_sigmoid_at_output",
       "g applied to the hidden layers only; the output a⁽ᴸ⁾ is left as z⁽ᴸ⁾. a⁽ᴸ⁾ is seen only "
       "through δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y, so the spec accepts output_delta or forward")
def backprop_output_is_z(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            if l + 1 < L:
                a[l + 1] = np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
            else:
                a[l + 1] = z[l + 1]
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong(("output_delta", "forward"), "no_sigmoid_at_output",
       "vectorized: the column of ones is added for l + 1 < L and g only there too, so A⁽ᴸ⁾ is Z⁽ᴸ⁾; "
       "seen through δ⁽ᴸ⁾ only, hence either step")
def backprop_vectorized_output_is_z(Theta, X, Y, lam):
    m, L = X.shape[0], len(Theta) + 1
    A, Z = {1: np.column_stack([np.ones(m), X])}, {}
    for l in range(1, L):
        Z[l + 1] = A[l] @ Theta[l].T
        A[l + 1] = np.column_stack([np.ones(m), nb.sigmoid(Z[l + 1])]) if l + 1 < L else Z[l + 1]
    d = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    D = {}
    for l in range(1, L):
        D[l] = d[l + 1].T @ A[l] / m
        D[l][:, 1:] += lam / m * Theta[l][:, 1:]
    return D


@wrong("forward", "no_sigmoid_hidden",
       "g only at the output: the hidden activations are [1, z]; g′(z) in the δ step is still the "
       "sigmoid's, as the notebook says")
def backprop_linear_hidden_layers(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], z[l + 1]))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("forward", "theta_transposed_forward",
       "vectorized forward pass as A⁽ˡ⁾Θ⁽ˡ⁾, without the transpose notebook 01 explains: the "
       "shapes only fit when s₍ₗ₊₁₎ = sₗ + 1")
def backprop_vectorized_theta_not_transposed_forward(Theta, X, Y, lam):
    m, L = X.shape[0], len(Theta) + 1
    A, Z = {1: np.hstack([np.ones((m, 1)), X])}, {}
    for l in range(1, L):
        Z[l + 1] = A[l] @ Theta[l]
        A[l + 1] = nb.sigmoid(Z[l + 1]) if l + 1 == L else np.hstack([np.ones((m, 1)), nb.sigmoid(Z[l + 1])])
    d = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    D = {}
    for l in range(1, L):
        D[l] = d[l + 1].T @ A[l] / m
        D[l][:, 1:] += lam / m * Theta[l][:, 1:]
    return D


# ==== one mistake each: δ⁽ᴸ⁾ =========================================================================

@wrong("output_delta", "delta_L_sign",
       "δ⁽ᴸ⁾ = y − a⁽ᴸ⁾, 'target minus output' as an error is usually written")
def backprop_target_minus_output(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: y - a[L]}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("output_delta", "g_prime_at_output",
       "vectorized; every δ gets a factor g′, the output's too, as the squared error would have it")
def backprop_vectorized_g_prime_at_output(Theta, X, Y, lam):
    m, L = X.shape[0], len(Theta) + 1
    A, Z = {1: np.hstack([np.ones((m, 1)), X])}, {}
    for l in range(1, L):
        Z[l + 1] = A[l] @ Theta[l].T
        A[l + 1] = nb.sigmoid(Z[l + 1]) if l + 1 == L else np.hstack([np.ones((m, 1)), nb.sigmoid(Z[l + 1])])
    d = {L: (A[L] - Y) * nb.sigmoid_gradient(Z[L])}
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    D = {}
    for l in range(1, L):
        D[l] = d[l + 1].T @ A[l] / m
        D[l][:, 1:] += lam / m * Theta[l][:, 1:]
    return D


# ==== one mistake each: the hidden δ⁽ˡ⁾ ==============================================================

@wrong("hidden_delta", "g_prime_at_a",
       "nb.sigmoid_gradient given the activations a⁽ˡ⁾ (without a₀) instead of z⁽ˡ⁾: 'g′ of the "
       "layer's output'")
def backprop_g_prime_of_activations(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(a[l][1:])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("hidden_delta", "g_prime_at_a",
       "vectorized: g′ of the stored activations A⁽ˡ⁾ without the column of ones, because Z was "
       "not kept")
def backprop_vectorized_g_prime_of_A(Theta, X, Y, lam):
    m, L = X.shape[0], len(Theta) + 1
    A = {1: np.hstack([np.ones((m, 1)), X])}
    for l in range(1, L):
        G = nb.sigmoid(A[l] @ Theta[l].T)
        A[l + 1] = G if l + 1 == L else np.hstack([np.ones((m, 1)), G])
    d = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(A[l][:, 1:])
    D = {}
    for l in range(1, L):
        D[l] = d[l + 1].T @ A[l] / m
        D[l][:, 1:] += lam / m * Theta[l][:, 1:]
    return D


@wrong("hidden_delta", "g_prime_missing",
       "δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ without the factor .* g′(z⁽ˡ⁾): the student thinks g′ cancels in every "
       "layer, as it did at the output")
def backprop_without_g_prime(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a = {1: np.concatenate(([1.0], x))}
        for l in range(1, L):
            g = nb.sigmoid(Theta[l] @ a[l])
            a[l + 1] = g if l + 1 == L else np.concatenate(([1.0], g))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = Theta[l][:, 1:].T @ delta[l + 1]
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("hidden_delta", "g_instead_of_g_prime",
       "multiplies by the activation a⁽ˡ⁾ = g(z⁽ˡ⁾) itself, 'the unit's output', instead of its slope")
def backprop_times_activation(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a = {1: np.concatenate(([1.0], x))}
        for l in range(1, L):
            g = nb.sigmoid(Theta[l] @ a[l])
            a[l + 1] = g if l + 1 == L else np.concatenate(([1.0], g))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * a[l][1:]
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("hidden_delta", "delta0_kept",
       "(Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ with every column of Θ⁽ˡ⁾, so δ₀ is kept; numpy refuses to multiply its sₗ + 1 "
       "entries by the sₗ of g′(z⁽ˡ⁾)")
def backprop_keeps_delta0(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("hidden_delta", "delta0_kept",
       "δ₀ kept, but g′ is a⁽ˡ⁾ .* (1 − a⁽ˡ⁾) with a⁽ˡ⁾'s bias unit, which has sₗ + 1 entries too: "
       "the δ step runs (δ₀ = 0) and numpy stops later, at the accumulator or the next layer")
def backprop_keeps_delta0_quietly(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a = {1: np.concatenate(([1.0], x))}
        for l in range(1, L):
            g = nb.sigmoid(Theta[l] @ a[l])
            a[l + 1] = g if l + 1 == L else np.concatenate(([1.0], g))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l].T @ delta[l + 1]) * a[l] * (1 - a[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("hidden_delta", "theta_not_transposed",
       "Θ⁽ˡ⁾δ⁽ˡ⁺¹⁾ with the bias column dropped but no transpose: it runs where the layers l and "
       "l + 1 have as many units, and stops on the others")
def backprop_theta_not_transposed(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:] @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("hidden_delta", "theta_wrong_layer",
       "Θ⁽ˡ⁻¹⁾ in the δ step ('the weights that lead into layer l'): it fits only where layers "
       "l − 1, l and l + 1 have equal sizes")
def backprop_theta_of_layer_below(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l - 1][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("hidden_delta", "off_by_one_slice",
       "drops δ₀ after the product, but takes [:-1], 'the extra entry at the end', instead of [1:]")
def backprop_drops_last_entry(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l].T @ delta[l + 1])[:-1] * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


# ==== one mistake each: the accumulators Δ⁽ˡ⁾ =========================================================

@wrong("accumulate", "outer_transposed",
       "np.outer(a⁽ˡ⁾, δ⁽ˡ⁺¹⁾), in the order of the lecture's a⁽ˡ⁾ⱼδ⁽ˡ⁺¹⁾ᵢ: the share comes out "
       "transposed and numpy refuses to add it to Δ⁽ˡ⁾")
def backprop_outer_in_lecture_order(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(a[l], delta[l + 1])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("accumulate", "outer_transposed",
       "vectorized Δ⁽ˡ⁾ = (A⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾, the factors the wrong way round: Δ has the transposed shape "
       "and the regularization line no longer fits")
def backprop_vectorized_transposed_Delta(Theta, X, Y, lam):
    m, L = X.shape[0], len(Theta) + 1
    A, Z = {1: np.hstack([np.ones((m, 1)), X])}, {}
    for l in range(1, L):
        Z[l + 1] = A[l] @ Theta[l].T
        A[l + 1] = nb.sigmoid(Z[l + 1]) if l + 1 == L else np.hstack([np.ones((m, 1)), nb.sigmoid(Z[l + 1])])
    d = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    D = {}
    for l in range(1, L):
        D[l] = A[l].T @ d[l + 1] / m
        D[l][:, 1:] += lam / m * Theta[l][:, 1:]
    return D


@wrong("accumulate", "delta_overwritten",
       "Δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ with = instead of +=: only the last example is left in Δ",
       hidden_on="m=1")
def backprop_accumulator_overwritten(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] = np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("accumulate", "delta_overwritten",
       "lists and a forward helper; grads[k] = … instead of grads[k] += … in the backward loop",
       hidden_on="m=1")
def backprop_lists_overwritten(Theta, X, Y, lam):
    thetas = [Theta[l] for l in sorted(Theta)]
    grads = [np.zeros_like(T) for T in thetas]
    for x, y in zip(X, Y, strict=True):
        acts, zs = _forward_lists(thetas, x)
        d = acts[-1] - y
        for k in range(len(thetas) - 1, -1, -1):
            grads[k] = np.outer(d, acts[k])
            if k > 0:
                d = (thetas[k][:, 1:].T @ d) * nb.sigmoid_gradient(zs[k - 1])
    D = {}
    for k, T in enumerate(thetas):
        D[k + 1] = grads[k] / len(X)
        D[k + 1][:, 1:] += lam / len(X) * T[:, 1:]
    return D


@wrong("accumulate", "layer_skipped",
       "the Δ loop is range(2, L), copied from the δ loop's 'no layer 1': Δ⁽¹⁾ stays zero")
def backprop_accumulator_skips_first_layer(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in range(2, L):
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("accumulate", "layer_skipped",
       "0-based lists; the accumulation loop runs k = 0 … len − 2 and never adds the last layer's "
       "share, so Δ⁽ᴸ⁻¹⁾ stays zero")
def backprop_lists_skip_last_layer(Theta, X, Y, lam):
    thetas = [Theta[l] for l in sorted(Theta)]
    grads = [np.zeros_like(T) for T in thetas]
    for x, y in zip(X, Y, strict=True):
        acts, zs = _forward_lists(thetas, x)
        ds = [None] * len(thetas)
        ds[-1] = acts[-1] - y
        for k in range(len(thetas) - 2, -1, -1):
            ds[k] = (thetas[k + 1][:, 1:].T @ ds[k + 1]) * nb.sigmoid_gradient(zs[k])
        for k in range(len(thetas) - 1):
            grads[k] += np.outer(ds[k], acts[k])
    D = {}
    for k, T in enumerate(thetas):
        D[k + 1] = grads[k] / len(X)
        D[k + 1][:, 1:] += lam / len(X) * T[:, 1:]
    return D


# ==== one mistake each: the D terms ==================================================================

@wrong("d_terms", "bias_regularized",
       "D⁽ˡ⁾ = Δ⁽ˡ⁾/m + (λ/m)Θ⁽ˡ⁾ over every column, bias column included", hidden_on="lam=0")
def backprop_regularizes_bias(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    return {l: Delta[l] / m + lam / m * Theta[l] for l in Theta}


@wrong("d_terms", "bias_regularized",
       "vectorized; (λ/m)Θ⁽ˡ⁾ added to the whole matrix in one line", hidden_on="lam=0")
def backprop_vectorized_regularizes_bias(Theta, X, Y, lam):
    m, L = X.shape[0], len(Theta) + 1
    A, Z = {1: np.hstack([np.ones((m, 1)), X])}, {}
    for l in range(1, L):
        Z[l + 1] = A[l] @ Theta[l].T
        A[l + 1] = nb.sigmoid(Z[l + 1]) if l + 1 == L else np.hstack([np.ones((m, 1)), nb.sigmoid(Z[l + 1])])
    d = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    return {l: (d[l + 1].T @ A[l] + lam * Theta[l]) / m for l in range(1, L)}


@wrong("d_terms", "lambda_not_over_m",
       "λΘ⁽ˡ⁾ᵢⱼ exactly as the lecture prints it", hidden_on="m=1")
def backprop_lecture_lambda(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam * T[:, 1:]
    return D


@wrong("d_terms", "lambda_not_over_m",
       "regularization folded into the loop: each example adds (share + λΘ)/m, so the m examples "
       "add λΘ in all, not (λ/m)Θ", hidden_on="m=1")
def backprop_regularization_in_loop_lambda(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    no_bias = {l: np.hstack([np.zeros((T.shape[0], 1)), T[:, 1:]]) for l, T in Theta.items()}
    D = {l: np.zeros(T.shape) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate([[1.0], x])}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate([[1.0], nb.sigmoid(z[l + 1])])
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in D:
            D[l] += (np.outer(delta[l + 1], a[l]) + lam * no_bias[l]) / m
    return D


@wrong("d_terms", "lambda_over_2m",
       "λ/(2m) copied from the cost's penalty into its derivative", hidden_on="lam=0")
def backprop_lambda_over_2m(Theta, X, Y, lam):
    m, L = X.shape[0], len(Theta) + 1
    A, Z = {1: np.hstack([np.ones((m, 1)), X])}, {}
    for l in range(1, L):
        Z[l + 1] = A[l] @ Theta[l].T
        A[l + 1] = nb.sigmoid(Z[l + 1]) if l + 1 == L else np.hstack([np.ones((m, 1)), nb.sigmoid(Z[l + 1])])
    d = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    D = {}
    for l in range(1, L):
        D[l] = d[l + 1].T @ A[l] / m
        D[l][:, 1:] += lam / (2 * m) * Theta[l][:, 1:]
    return D


@wrong("d_terms", "missing_1_over_m",
       "D⁽ˡ⁾ starts from Δ⁽ˡ⁾ itself: the 1/m in front of Δ is forgotten, the (λ/m)Θ term is right",
       hidden_on="m=1")
def backprop_sum_not_average(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l].copy()
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("d_terms", "missing_1_over_m",
       "einsum over the examples gives the sum Δ⁽ˡ⁾, and the student takes it for the average",
       hidden_on="m=1")
def backprop_einsum_sum_not_average(Theta, X, Y, lam):
    m, L = len(X), len(Theta) + 1
    a = {1: np.insert(X, 0, 1.0, axis=1)}
    z = {}
    for l in range(1, L):
        z[l + 1] = np.einsum("ij,mj->mi", Theta[l], a[l])
        a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.insert(nb.sigmoid(z[l + 1]), 0, 1.0, axis=1)
    delta = {L: a[L] - Y}
    for l in range(L - 1, 1, -1):
        delta[l] = np.einsum("mi,ij->mj", delta[l + 1], Theta[l][:, 1:]) * nb.sigmoid_gradient(z[l])
    D = {}
    for l in range(1, L):
        D[l] = np.einsum("mi,mj->ij", delta[l + 1], a[l])
        D[l][:, 1:] += lam / m * Theta[l][:, 1:]
    return D


@wrong("d_terms", "regularization_missing",
       "D⁽ˡ⁾ = Δ⁽ˡ⁾/m: λ is taken as an argument and never used", hidden_on="lam=0")
def backprop_forgets_regularization(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    return {l: Delta[l] / m for l in Delta}


@wrong("d_terms", "regularization_sign",
       "−(λ/m)Θ: 'regularization pulls the weights down'", hidden_on="lam=0")
def backprop_subtracts_regularization(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] -= lam / m * T[:, 1:]
    return D


@wrong("d_terms", "uses_globals",
       "the argument is called lmbda (lambda is a keyword), but the body says lam: the notebook's "
       "global λ is used", hidden_on="lam=1")
def backprop_global_lambda(Theta, X, Y, lmbda):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("d_terms", "uses_globals",
       "vectorized; m is never defined in the function, so D uses the notebook's m", hidden_on="m=5")
def backprop_global_m(Theta, X, Y, lam):
    L = len(Theta) + 1
    A, Z = {1: np.hstack([np.ones((X.shape[0], 1)), X])}, {}
    for l in range(1, L):
        Z[l + 1] = A[l] @ Theta[l].T
        G = nb.sigmoid(Z[l + 1])
        A[l + 1] = G if l + 1 == L else np.hstack([np.ones((G.shape[0], 1)), G])
    d = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    D = {}
    for l in range(1, L):
        D[l] = d[l + 1].T @ A[l] / m
        D[l][:, 1:] += lam / m * Theta[l][:, 1:]
    return D


# ==== one mistake each: what is returned, and the arguments =========================================

@wrong("return", "wrong_return",
       "returns the D⁽ˡ⁾ as a list [D⁽¹⁾, D⁽²⁾, …]; every array is right")
def backprop_returns_list(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = []
    for l in sorted(Theta):
        D_l = Delta[l] / m
        D_l[:, 1:] += lam / m * Theta[l][:, 1:]
        D.append(D_l)
    return D


@wrong("return", "wrong_return",
       "0-based lists all through, and D returned as dict(enumerate(grads)), keyed 0 … L − 2")
def backprop_returns_zero_based(Theta, X, Y, lam):
    thetas = [Theta[l] for l in sorted(Theta)]
    grads = [np.zeros_like(T) for T in thetas]
    for x, y in zip(X, Y, strict=True):
        acts, zs = _forward_lists(thetas, x)
        d = acts[-1] - y
        for k in range(len(thetas) - 1, -1, -1):
            grads[k] += np.outer(d, acts[k])
            if k > 0:
                d = (thetas[k][:, 1:].T @ d) * nb.sigmoid_gradient(zs[k - 1])
    for k, T in enumerate(thetas):
        grads[k] = grads[k] / len(X)
        grads[k][:, 1:] += lam / len(X) * T[:, 1:]
    return dict(enumerate(grads))


@wrong("inputs", "inputs_mutated",
       "T = Theta[l] then T[:, 0] = 0 to leave the bias out of the regularization: this zeroes the "
       "caller's bias weights; the D it returns is right")
def backprop_zeroes_callers_bias(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l in Delta:
        T = Theta[l]
        T[:, 0] = 0
        D[l] = Delta[l] / m + lam / m * T
    return D


@wrong("inputs", "inputs_mutated",
       "vectorized; scales the caller's Θ in place (Theta[l] *= λ/m) to get the regularization part "
       "after the backward pass is done; D is right, Θ is not Θ any more")
def backprop_scales_callers_theta(Theta, X, Y, lam):
    m, L = X.shape[0], len(Theta) + 1
    A, Z = {1: np.hstack([np.ones((m, 1)), X])}, {}
    for l in range(1, L):
        Z[l + 1] = A[l] @ Theta[l].T
        A[l + 1] = nb.sigmoid(Z[l + 1]) if l + 1 == L else np.hstack([np.ones((m, 1)), nb.sigmoid(Z[l + 1])])
    d = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    D = {}
    for l in range(1, L):
        Theta[l] *= lam / m
        D[l] = d[l + 1].T @ A[l] / m
        D[l][:, 1:] += Theta[l][:, 1:]
    return D


# ==== one mistake each, of a kind the catalogue does not list ========================================

@wrong("hidden_delta", "g_prime_wrong_layer",
       "g′ taken at z⁽ˡ⁺¹⁾, the layer the error comes from, instead of z⁽ˡ⁾: it only runs where "
       "sₗ = s₍ₗ₊₁₎")
def backprop_g_prime_of_next_layer(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l + 1])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("output_delta", None,
       "y reshaped to a (K, 1) column 'as in Octave' while a⁽ᴸ⁾ stays flat: a⁽ᴸ⁾ − y broadcasts to "
       "a K × K matrix")
def backprop_column_target(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y.reshape(-1, 1)}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("accumulate", "outer_with_a_next",
       "np.outer(δ⁽ˡ⁺¹⁾, a⁽ˡ⁺¹⁾): the error paired with the activations of its own layer; it fits "
       "only where sₗ = s₍ₗ₊₁₎, never at the output")
def backprop_outer_with_own_layer(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l + 1])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("hidden_delta", None,
       "g′ written z .* (1 − z): the form a .* (1 − a) with z where a belongs")
def backprop_g_prime_from_z_formula(Theta, X, Y, lam):
    m, L = X.shape[0], len(Theta) + 1
    A, Z = {1: np.hstack([np.ones((m, 1)), X])}, {}
    for l in range(1, L):
        Z[l + 1] = A[l] @ Theta[l].T
        A[l + 1] = nb.sigmoid(Z[l + 1]) if l + 1 == L else np.hstack([np.ones((m, 1)), nb.sigmoid(Z[l + 1])])
    d = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * Z[l] * (1 - Z[l])
    D = {}
    for l in range(1, L):
        D[l] = d[l + 1].T @ A[l] / m
        D[l][:, 1:] += lam / m * Theta[l][:, 1:]
    return D


@wrong("d_terms", None,
       "the regularization part written Θ/m, λ left out: right only when λ = 1. Its numbers are "
       "those of the global λ = 1 above, but it reads no global: only its code tells it from "
       "backprop_global_lambda", hidden_on="lam=1")
def backprop_forgets_lambda(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += T[:, 1:] / m
    return D


@wrong("hidden_delta", None,
       "the lecture's two formulas, δ⁽ᴸ⁻¹⁾ and δ⁽ᴸ⁻²⁾, written out one after the other: right for "
       "L = 4 only", hidden_on="L=4")
def backprop_two_hidden_deltas_written_out(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        delta[L - 1] = (Theta[L - 1][:, 1:].T @ delta[L]) * nb.sigmoid_gradient(z[L - 1])
        delta[L - 2] = (Theta[L - 2][:, 1:].T @ delta[L - 1]) * nb.sigmoid_gradient(z[L - 2])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("forward", None,
       "the output layer recognised as layer 4, the lecture's L: right for L = 4 only",
       hidden_on="L=4")
def backprop_output_layer_is_four(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == 4 else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("output_delta", None,
       "x⁽ⁱ⁾ is X[i] but y⁽ⁱ⁾ is Y[i − 1], half-converted from the lecture's i = 1…m: each δ⁽ᴸ⁾ "
       "uses the previous example's label", hidden_on="m=1")
def backprop_label_of_previous_example(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for i in range(m):
        a, z = {1: np.concatenate(([1.0], X[i]))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - Y[i - 1]}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@wrong("accumulate", None,
       "'the bias weights get no gradient': only the columns j ≥ 1 of Δ⁽ˡ⁾ are accumulated, from "
       "a⁽ˡ⁾ without a₀, so column 0 of D stays zero")
def backprop_bias_column_not_accumulated(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = nb.sigmoid(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], nb.sigmoid(z[l + 1])))
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l][:, 1:] += np.outer(delta[l + 1], a[l][1:])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


# ==== the package's numbers instead of the student's own ============================================

def _package_function(name: str, module: str) -> Callable[..., Any]:
    """The function ``name`` of the package, looked up when called: in ``module`` first, then in
    whichever module of nbhelpers holds it now (modules get renamed)."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        pass
    for info in pkgutil.walk_packages(nbhelpers.__path__, "nbhelpers."):
        try:
            found = getattr(importlib.import_module(info.name), name, None)
        except Exception:  # a module that does not import is not a route
            continue
        if callable(found):
            return found
    raise LookupError(f"no function {name} in nbhelpers any more: this route is gone")


def _plain(D):
    return {l: np.array(D[l], dtype=float) for l in sorted(D)}


@cheat("route: nbhelpers.backprop, called directly under the package's full name")
def backprop_calls_package(Theta, X, Y, lam):
    return nbhelpers.backprop(Theta, X, Y, lam)


@cheat("route: nb.backprop_vectorized, its Gradient copied into a plain dict of new arrays")
def backprop_calls_vectorized(Theta, X, Y, lam):
    D = nb.backprop_vectorized(Theta, X, Y, lam)
    return {l: D[l].copy() for l in D}


@cheat("route: nbhelpers.vectorized.backprop_vectorized_unchecked, the private kernel without "
       "input checks, looked up with importlib and getattr (wherever it lives now)")
def backprop_calls_unchecked_kernel(Theta, X, Y, lam):
    kernel = _package_function("backprop_vectorized_unchecked", "nbhelpers.vectorized")
    return _plain(kernel(Theta, X, Y, lam))


@cheat("route: nb.numerical_gradient of J(Θ) = nb.cost(Θ, X, Y, λ): finite differences from the "
       "package")
def backprop_numerical_gradient(Theta, X, Y, lam):
    return nb.numerical_gradient(lambda T: nb.cost(T, X, Y, lam), Theta)


@cheat("route: the student's own two-sided differences of nb.cost, one weight at a time")
def backprop_finite_differences_of_cost(Theta, X, Y, lam):
    eps = 1e-5
    D = {}
    for l, T in Theta.items():
        D[l] = np.zeros_like(T)
        for i in range(T.shape[0]):
            for j in range(T.shape[1]):
                up = {k: U.copy() for k, U in Theta.items()}
                down = {k: U.copy() for k, U in Theta.items()}
                up[l][i, j] += eps
                down[l][i, j] -= eps
                D[l][i, j] = (nb.cost(up, X, Y, lam) - nb.cost(down, X, Y, lam)) / (2 * eps)
    return D


@cheat("route: nbhelpers.course.bugs.correct, the bug zoo's reference, looked up by importlib and "
       "getattr (wherever it lives now)")
def backprop_from_bug_zoo(Theta, X, Y, lam):
    correct = _package_function("correct", "nbhelpers.course.bugs")
    return _plain(correct(Theta, X, Y, lam))


@cheat("route: nbhelpers.course.steps.gradient, the lecture's loop that the capstone check judges "
       "with (it was nbhelpers.course.capstone.lecture_d), looked up by importlib and getattr")
def backprop_from_check_reference(Theta, X, Y, lam):
    reference = _package_function("gradient", "nbhelpers.course.steps")
    return _plain(reference(Theta, np.asarray(X, dtype=float), np.asarray(Y, dtype=float), lam))


@cheat("route: walks every module of nbhelpers with pkgutil and calls the first function with "
       "'backprop' in its name that returns a D keyed like Θ")
def backprop_found_by_walking_package(Theta, X, Y, lam):
    for info in pkgutil.walk_packages(nbhelpers.__path__, "nbhelpers."):
        try:
            module = importlib.import_module(info.name)
        except Exception:  # skip what does not import
            continue
        for name, candidate in sorted(vars(module).items()):
            if "backprop" not in name.lower() or not callable(candidate):
                continue
            try:
                D = candidate(Theta, X, Y, lam)
            except Exception:  # not this one
                continue
            if isinstance(D, dict) and sorted(D) == sorted(Theta):
                return _plain(D)
    raise LookupError("no backprop-like function in nbhelpers any more: this route is gone")


_gradient = nb.backprop


@cheat("route: an alias, _gradient = nb.backprop made at import (as `gradient = nb.backprop` in a "
       "cell above), called under its new name")
def backprop_through_alias(Theta, X, Y, lam):
    return {l: D_l + 0.0 for l, D_l in _gradient(Theta, X, Y, lam).items()}


def _my_gradient(*args):
    return nb.backprop_vectorized(*args)


@cheat("route: a wrapper of the student's own, _my_gradient(*args), around nb.backprop_vectorized "
       "(through functools.partial)")
def backprop_through_wrapper(Theta, X, Y, lam):
    gradient = functools.partial(_my_gradient, Theta)
    return _plain(gradient(X, Y, lam))


@cheat("route: nb.forward_propagate for the forward pass; δ, Δ and D are the student's own. The "
       "capstone allows g and g′ only")
def backprop_with_package_forward(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        fp = nb.forward_propagate(Theta, x)
        delta = {L: fp.a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(fp.z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], fp.a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@cheat("route: nb.backprop_example for steps 1–4 of each example, as notebook 04's exercise "
       "allowed; the Δ and D steps are the student's own")
def backprop_with_backprop_example(Theta, X, Y, lam):
    m = X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        bp = nb.backprop_example(Theta, x, y)
        for l in Delta:
            Delta[l] += np.outer(bp.delta[l + 1], bp.a[l])
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@cheat("route: nb.accumulate for the Δ⁽ˡ⁾ (notebook 04's reference); only the D step is the "
       "student's own")
def backprop_with_package_accumulators(Theta, X, Y, lam):
    m = X.shape[0]
    Delta = nb.accumulate(Theta, X, Y)
    D = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += lam / m * T[:, 1:]
    return D


@cheat("route: nb.d_terms for the D step; the forward pass, δ and Δ are the student's own")
def backprop_with_package_d_terms(Theta, X, Y, lam):
    m, L = X.shape[0], len(Theta) + 1
    A, Z = {1: np.hstack([np.ones((m, 1)), X])}, {}
    for l in range(1, L):
        Z[l + 1] = A[l] @ Theta[l].T
        A[l + 1] = nb.sigmoid(Z[l + 1]) if l + 1 == L else np.hstack([np.ones((m, 1)), nb.sigmoid(Z[l + 1])])
    d = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    Delta = {l: d[l + 1].T @ A[l] for l in range(1, L)}
    return _plain(nb.d_terms(Delta, Theta, m, lam))


@cheat("route: nb.add_bias (from notebook 08) for the column of ones, everything else the "
       "student's own: the capstone allows g and g′ only, so it is refused all the same")
def backprop_with_add_bias(Theta, X, Y, lam):
    m, L = X.shape[0], len(Theta) + 1
    A, Z = {1: nb.add_bias(X)}, {}
    for l in range(1, L):
        Z[l + 1] = A[l] @ Theta[l].T
        A[l + 1] = nb.sigmoid(Z[l + 1]) if l + 1 == L else nb.add_bias(nb.sigmoid(Z[l + 1]))
    d = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(Z[l])
    D = {}
    for l in range(1, L):
        D[l] = d[l + 1].T @ A[l] / m
        D[l][:, 1:] += lam / m * Theta[l][:, 1:]
    return D
