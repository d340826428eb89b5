"""Notebook 08 (vectorized backprop): the check and hints of its exercise, and small helpers.

``stacked_backward = nb08.check_stacked_backward(stacked_backward)`` runs the student's function
(the stacked delta terms, one row per example, and the accumulators) on three networks, compares
with the lecture's loop layer by layer, and names the mistake. Importing the module registers the hints.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

import nbhelpers as nb
from nbhelpers.course.feedback import Mistake, Result, layer_key_problem, report
from nbhelpers.course.hints import register_hints
from nbhelpers.course.student_code import did_not_return, run_student
from nbhelpers.validation import sup

STACKED = "08-stacked-backward"
TOLERANCE = 1e-9
REFERENCE_NOTE = "\n  (The cells below use the reference values.)"
PACKAGE_BACKWARD = (nb.backprop_vectorized, nb.backprop_example, nb.backprop, nb.forward_propagate,
                    nb.accumulate)
"""The package's functions that compute the delta terms: stacked_backward may not call them."""

register_hints(STACKED, [
    "Go backwards, one layer at a time, exactly as notebook 03 did for one example, but with "
    "one row per example: δ⁽ᴸ⁾ is the output minus the labels; each hidden δ⁽ˡ⁾ sends δ⁽ˡ⁺¹⁾ back "
    "through Θ⁽ˡ⁾ without its bias column and multiplies by g′(z⁽ˡ⁾) entry by entry, for "
    "l = L−1 down to 2 (no δ⁽¹⁾). Then every accumulator Δ⁽ˡ⁾, l = 1…L−1, is one product of the "
    "stacked δ⁽ˡ⁺¹⁾ with the stacked A⁽ˡ⁾: the sum over the m examples is the inner dimension.",
    "δ⁽ˡ⁺¹⁾ is m × s₍ₗ₊₁₎ and Θ⁽ˡ⁾ without column 0 is s₍ₗ₊₁₎ × sₗ, so their product is m × sₗ, "
    "the shape of g′(Z⁽ˡ⁾) and of δ⁽ˡ⁾. Δ⁽ˡ⁾ must have the shape of Θ⁽ˡ⁾, s₍ₗ₊₁₎ × (sₗ + 1): "
    "(s₍ₗ₊₁₎ × m) times (m × (sₗ + 1)), A⁽ˡ⁾ with its column of ones.",
    "delta = {L: ___ - Y}\n"
    "for l in range(L - 1, 1, -1):\n"
    "    delta[l] = (delta[___] @ Theta[l][:, ___]) * nb.sigmoid_gradient(___)\n"
    "Delta = {l: delta[___].T @ ___ for l in range(1, L)}\n"
    "return ___, ___",
])


def stacked_reference(Theta: Mapping[int, np.ndarray], X: np.ndarray, Y: np.ndarray
                      ) -> tuple[dict, dict, dict, dict]:
    """A, Z, δ and Δ with one row per example, built from the lecture's loop (example by
    example with nb.backprop_example), so that the check compares with the loop's numbers."""
    passes = [nb.backprop_example(Theta, X[i], Y[i]) for i in range(len(X))]
    L = len(Theta) + 1
    A = {l: np.array([bp.a[l] for bp in passes]) for l in range(1, L + 1)}
    Z = {l: np.array([bp.z[l] for bp in passes]) for l in range(2, L + 1)}
    delta = {l: np.array([bp.delta[l] for bp in passes]) for l in range(L, 1, -1)}
    Delta = dict(nb.backprop(Theta, X, Y).Delta)
    return A, Z, delta, Delta


def _delta_mistakes(l: int, L: int, Theta: Mapping[int, np.ndarray], A: dict, Z: dict,
                    delta: dict, Y: np.ndarray) -> list[Mistake]:
    if l == L:
        return [Mistake("take Y − A⁽ᴸ⁾: the lecture's δ⁽ᴸ⁾ is the output minus the label, and "
                        "the sign tells gradient descent which way to go", Y - A[L]),
                Mistake("multiply by g′(z⁽ᴸ⁾): with the logistic cost it cancels, δ⁽ᴸ⁾ is the "
                        "plain difference", (A[L] - Y) * nb.sigmoid_gradient(Z[L]))]
    back = delta[l + 1] @ Theta[l][:, 1:]
    return [Mistake(f"evaluate g′ at the activations a{sup(l)} instead of at z{sup(l)} (g′(a) applies "
                    f"the sigmoid twice; the form a .* (1 − a) is g′(z) already)",
                    back * nb.sigmoid_gradient(A[l][:, 1:])),
            Mistake(f"leave out g′(z{sup(l)})", back),
            Mistake(f"multiply by g(z{sup(l)}) = a{sup(l)} instead of its slope g′(z{sup(l)})",
                    back * A[l][:, 1:]),
            Mistake(f"drop the last column of the product instead of the bias entry (the "
                    f"bias is column 0 of Θ{sup(l)})",
                    (delta[l + 1] @ Theta[l])[:, :-1] * nb.sigmoid_gradient(Z[l]))]


def _Delta_mistakes(l: int, A: dict, Z: dict, delta: dict, m: int) -> list[Mistake]:
    mistakes = [Mistake(f"divide by m: that is the first part of D{sup(l)}, not the accumulator "
                        f"Δ{sup(l)}, a plain sum", delta[l + 1].T @ A[l] / m)]
    if (delta[l + 1].T @ A[l + 1]).shape == (delta[l + 1].shape[1], A[l].shape[1]):
        mistakes.append(Mistake(f"pair δ{sup(l + 1)} with A{sup(l + 1)}, the activations of its own "
                                f"layer, instead of A{sup(l)}", delta[l + 1].T @ A[l + 1]))
    if l in Z:
        mistakes.append(Mistake(f"use Z{sup(l)}, the input of the sigmoid, in place of the "
                                f"activations A{sup(l)}", delta[l + 1].T @ nb.add_bias(Z[l])))
    return mistakes


def _one(name: str, got: Any, want: np.ndarray, why: str, mistakes: list[Mistake],
         hint_name: str) -> str | None:
    """None when ``got`` is ``want``; else a message that names the mistake."""
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"✘ {name} should be an array of numbers, but it is a {type(got).__name__}."
    if arr.shape != want.shape:
        msg = f"✘ {name} has shape {arr.shape}, but it should have shape {want.shape}: {why}."
        if arr.shape == want.shape[::-1]:
            msg += " It looks transposed (rows and columns swapped): check which factor carries the ᵀ."
        elif arr.ndim == 2 and arr.shape[0] == want.shape[0] and arr.shape[1] == want.shape[1] + 1:
            msg += (" One column too many: " + ("the bias entry δ₀ is kept — drop column 0 of Θ⁽ˡ⁾ "
                    "before the product." if hint_name == "delta" else "is a bias column counted twice?"))
        elif arr.ndim == 2 and arr.shape[0] == want.shape[0] and arr.shape[1] == want.shape[1] - 1:
            msg += " One column too few: is the column of ones (the bias unit a₀ = 1) of A⁽ˡ⁾ missing?"
        return msg
    if not np.all(np.isfinite(arr)):
        return f"✘ {name} contains NaN or inf."
    if np.allclose(arr, want, rtol=TOLERANCE, atol=TOLERANCE):
        return None
    for mistake in mistakes:
        value = np.asarray(mistake.value, dtype=float)
        if value.shape == arr.shape and np.allclose(arr, value, rtol=TOLERANCE, atol=TOLERANCE):
            return (f"✘ {name} has the right shape, but its values are exactly what you get "
                    f"if you {mistake.description}.")
    worst = float(np.max(np.abs(arr - want)))
    wrong = np.argwhere(~np.isclose(arr, want, rtol=TOLERANCE, atol=TOLERANCE))
    rows = np.unique(wrong[:, 0])
    if hint_name == "Delta":           # Θ⁽ˡ⁾'s shape: the lecture's row i (unit i) and column j
        first = ", ".join(f"row i = {int(r) + 1}, column j = {int(c)}" for r, c in wrong[:3])
        where = f" (among them {first})" if len(wrong) < arr.size else ""
    else:                              # one row per example: row r is example i = r + 1
        where = (f" in the rows of examples i = {[int(r) + 1 for r in rows]}"
                 if arr.ndim == 2 and len(rows) < arr.shape[0] else "")
    return (f"✘ {name} has the right shape, but its values differ from the loop's by up to "
            f"{worst:.3g}{where}. Stuck? hint({STACKED!r}) gives the idea.")


def _verdict(delta: Any, Delta: Any, Theta: Mapping[int, np.ndarray], X: np.ndarray,
             Y: np.ndarray, case: str) -> str | None:
    """None when the stacked δ and Δ of one problem are right, else the message."""
    A, Z, want_delta, want_Delta = stacked_reference(Theta, X, Y)
    L, m = len(Theta) + 1, len(X)
    s = dict(enumerate(nb.layer_sizes(Theta), start=1))      # s[l] = sₗ, 1-based
    if delta is None or delta is Ellipsis:
        return "✘ delta is missing: return delta, Delta."
    problem = layer_key_problem(delta, want_delta, "δ")
    if problem:
        return problem
    for l in sorted(want_delta, reverse=True):                 # backwards: the first wrong layer
        msg = _one(f"δ{sup(l)}", delta[l], want_delta[l],
                   f"one row per example (m = {m}) and one column per unit of layer {l} "
                   f"({s[l]} units), no bias entry",
                   _delta_mistakes(l, L, Theta, A, Z, want_delta, Y), "delta")
        if msg:
            return f"{msg}\n  (On {case}.)"
    if Delta is None or Delta is Ellipsis:
        return "✔ every δ⁽ˡ⁾ is right, but Delta is missing: return delta, Delta."
    problem = layer_key_problem(Delta, want_Delta, "Δ")
    if problem:
        return "✔ every δ⁽ˡ⁾ is right.\n" + problem
    for l in range(1, L):
        msg = _one(f"Δ{sup(l)}", Delta[l], want_Delta[l],
                   f"Δ{sup(l)} has the shape of Θ{sup(l)}: one row per unit of layer {l + 1} "
                   f"({s[l + 1]} units), one column per unit of layer {l} plus the bias unit "
                   f"({s[l] + 1} columns)", _Delta_mistakes(l, A, Z, want_delta, m), "Delta")
        if msg:
            return f"✔ every δ⁽ˡ⁾ is right.\n{msg}\n  (On {case}.)"
    return None


def _cases() -> list[tuple[str, Any]]:
    lecture = nb.lecture_network(m=5)
    deep = nb.debug_problem([4, 6, 5, 3, 2], m=4)
    shallow = nb.debug_problem([3, 4, 2], m=3)
    return [("the lecture's 3-5-5-4 network, m = 5", lecture),
            ("a 3-4-2 network (L = 3), m = 3", shallow),
            ("a 4-6-5-3-2 network (L = 5), m = 4", deep)]


def _explain(exc: BaseException) -> str:
    if isinstance(exc, ValueError) and "matmul" in str(exc):
        return ("A matrix product whose inner dimensions do not match. The stacked δ⁽ˡ⁺¹⁾ is "
                "m × s₍ₗ₊₁₎, Θ⁽ˡ⁾ is s₍ₗ₊₁₎ × (sₗ + 1) and A⁽ˡ⁾ is m × (sₗ + 1). Keeping the bias "
                "column of Θ⁽ˡ⁾ gives a δ⁽ˡ⁾ with sₗ + 1 columns (δ₀ kept), and the next product "
                "back then fails exactly like this.")
    if isinstance(exc, ValueError) and "broadcast" in str(exc):
        return ("Two arrays of different shapes multiplied entry by entry: the product that "
                "sends δ⁽ˡ⁺¹⁾ back must have the shape of g′(Z⁽ˡ⁾), m × sₗ, without a bias column.")
    if isinstance(exc, KeyError):
        return ("A layer that does not exist: A has l = 1…L, Z has l = 2…L, Θ has l = 1…L−1 "
                "and δ only l = 2…L (no δ⁽¹⁾).")
    return ""


def _check_stacked_backward(function: Any) -> Result:
    if function is Ellipsis or function is None or not callable(function):
        return Result(False, reference_stacked_backward,
                      "… stacked_backward is not a function yet: write def stacked_backward(...) "
                      "in the cell above, then run this cell again." + REFERENCE_NOTE)
    for case, p in _cases():
        A, Z, _, _ = stacked_reference(p.Theta, p.X, p.Y)
        run = run_student(function, (p.Theta, A, Z, p.Y), PACKAGE_BACKWARD)
        problem = did_not_return("stacked_backward", run, function, task="It computes the delta "
                                 "terms for you (or one example at a time): write the matrix form "
                                 "yourself from Theta, A, Z and Y.", hint_id=STACKED, case=case,
                                 explain=_explain)
        if problem is not None:
            return Result(False, reference_stacked_backward, problem + REFERENCE_NOTE)
        out = run.value
        if out is None or out is Ellipsis:
            return Result(False, reference_stacked_backward, "… stacked_backward returns nothing "
                          "yet: it must return delta, Delta." + REFERENCE_NOTE)
        if not isinstance(out, tuple | list) or len(out) != 2:
            return Result(False, reference_stacked_backward, "✘ stacked_backward must return two "
                          f"dicts, delta and Delta, not a {type(out).__name__}." + REFERENCE_NOTE)
        msg = _verdict(out[0], out[1], p.Theta, p.X, p.Y, case)
        if msg:
            return Result(False, reference_stacked_backward, msg + REFERENCE_NOTE)
    return Result(True, function, f"✔ stacked_backward is correct on all {len(_cases())} networks "
                  "(L = 3, 4 and 5): row i of every δ⁽ˡ⁾ is example i's, and every Δ⁽ˡ⁾ is the "
                  "loop's sum over the m examples.")


def reference_stacked_backward(Theta: Mapping[int, np.ndarray], A: Mapping[int, np.ndarray],
                               Z: Mapping[int, np.ndarray], Y: np.ndarray) -> tuple[dict, dict]:
    """The reference: the stacked δ (l = L…2) and Δ (l = 1…L−1) of the loop, from A and Y."""
    X = np.asarray(A[1])[:, 1:]
    _, _, delta, Delta = stacked_reference(Theta, X, np.asarray(Y, dtype=float))
    return delta, Delta


def check_stacked_backward(function: Any) -> Any:
    """Check the student's ``stacked_backward(Theta, A, Z, Y)`` on three networks against the
    lecture's loop; return the function later cells should use."""
    return report(STACKED, _check_stacked_backward(function)).value


def largest_difference(D_a: Mapping[int, Any], D_b: Mapping[int, Any]) -> float:
    """The largest |difference| over every entry of every layer of two gradients keyed by l."""
    if sorted(D_a) != sorted(D_b):
        raise ValueError(f"the two gradients have different layers: {sorted(D_a)} and {sorted(D_b)}.")
    return max(float(np.max(np.abs(np.asarray(D_a[l]) - np.asarray(D_b[l])))) for l in D_b)
