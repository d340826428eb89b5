"""Notebook 01 · forward propagation: the checks and hints of its exercises.

``01-z2``: z⁽²⁾ = Θ⁽¹⁾a⁽¹⁾ for one example. ``01-forward``: forward propagation as a function
``forward(Theta, x)`` returning h_Θ(x) = a⁽ᴸ⁾ for any number of layers.

An exception inside ``forward`` is quoted and explained with Θ's shapes; a ``forward`` that
calls the package's own forward propagation is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ...accumulate import backprop
from ...activation import sigmoid
from ...delta import backprop_example
from ...examples import debug_problem, lecture_network
from ...forward import forward_propagate
from ...validation import Params, layer_sizes, sup
from ..feedback import Mistake, Result, check_function, check_value, report
from ..hints import register_hints
from ..student_code import in_thetas_terms, run_student
from .nb00 import answer_source, refuse_typed_in, typed_in

Z2 = "01-z2"
FORWARD = "01-forward"


def sizes(Theta: Params) -> dict[int, int]:
    """s[l] = sₗ for the layers l = 1…L of Θ (1-based, like the lecture)."""
    return dict(enumerate(layer_sizes(Theta), start=1))


def _in_thetas_terms(exc: BaseException, line: str, args: tuple) -> str:
    """A student's exception explained with the shapes of the network it ran on (args[0])."""
    return in_thetas_terms(exc, line, args[0])


# --- exercise 01-z2 ----------------------------------------------------------------------------


def check_z2(z2: Any, Theta: Params, x: Any) -> Any:
    """Check z⁽²⁾ = Θ⁽¹⁾a⁽¹⁾ for the example x; returns the value the cells below use."""
    x = np.asarray(x, dtype=float)
    s = sizes(Theta)
    a1 = np.concatenate(([1.0], x))
    if typed_in(answer_source("z2"), "z2"):
        return refuse_typed_in(Z2, "z2", "Θ⁽¹⁾ and a⁽¹⁾", forward_propagate(Theta, x).z[2])
    return check_value(
        "z⁽²⁾", z2, forward_propagate(Theta, x).z[2],
        why_shape=f"Θ⁽¹⁾ has s₂ = {s[2]} rows, one per unit of layer 2, so z⁽²⁾ has {s[2]} entries",
        mistakes=[
            Mistake("forgot the bias unit (multiplied only columns 1… of Θ⁽¹⁾ by x)",
                    Theta[1][:, 1:] @ x),
            Mistake("put the bias unit at the end of a⁽¹⁾ instead of in front",
                    Theta[1] @ np.append(x, 1.0)),
            Mistake("applied g already: that is a⁽²⁾ (without its bias unit), not z⁽²⁾",
                    sigmoid(Theta[1] @ a1)),
            Mistake("multiplied entry by entry and summed every column: z⁽²⁾ needs one sum per "
                    "row of Θ⁽¹⁾", np.full(s[2], np.sum(Theta[1] * a1))),
        ],
        hint="entry i of z⁽²⁾ is row i of Θ⁽¹⁾ times the whole of a⁽¹⁾ = [1, x₁, x₂, x₃]",
        todo=f'write z2 in the cell above; hint("{Z2}") gives the idea', exercise=Z2).value


register_hints(Z2, [
    "Unit i of layer 2 adds up what it receives: Θ⁽¹⁾ᵢ₀·1 + Θ⁽¹⁾ᵢ₁x₁ + Θ⁽¹⁾ᵢ₂x₂ + Θ⁽¹⁾ᵢ₃x₃. "
    "That is row i of Θ⁽¹⁾ times a⁽¹⁾, the input with the bias unit 1 in front — for every row "
    "at once, it is one matrix–vector product.",
    "Θ⁽¹⁾ is s₂ × (s₁ + 1) = 5 × 4; a⁽¹⁾ has s₁ + 1 = 4 entries, the bias unit first. z⁽²⁾ "
    "has one entry per row of Θ⁽¹⁾, s₂ = 5 in all, and each entry combines the 4 entries of a "
    "row with the 4 entries of a⁽¹⁾.",
    "z2 = ___ @ ___        # (5 × 4 matrix) @ (4 entries) → 5 entries",
])


# --- exercise 01-forward -----------------------------------------------------------------------

THREE_LAYERS = debug_problem([2, 3, 2], m=2)
FIVE_LAYERS = debug_problem([4, 3, 3, 3, 2], m=2)


def _forward_mistakes(Theta: Params, x: np.ndarray) -> list[Mistake]:
    ref = forward_propagate(Theta, x)
    return [Mistake("returned z⁽ᴸ⁾: g is missing at the output layer", ref.z[ref.L]),
            Mistake("applied g twice at the output layer", sigmoid(ref.h))]


def _stops_early(forward: Callable[..., Any], Theta: Params, x: np.ndarray) -> str | None:
    """The ✘ message when ``forward`` returns the activations of a layer before the output
    (the loop left out the last Θ⁽ˡ⁾), or None."""
    ref = forward_propagate(Theta, x)
    run = run_student(forward, (Theta, x))
    try:
        got = np.asarray(run.value, dtype=float)
    except (TypeError, ValueError):  # errors and junk are reported by the full check
        return None
    for l in range(ref.L - 1, 0, -1):
        for value, what in ((ref.a[l][1:], "without"), (ref.a[l], "with")):
            if got.shape == value.shape != ref.h.shape and np.allclose(got, value):
                return (f"✘ forward returned a{sup(l)} ({what} its bias unit), the activations of "
                        f"layer {l}, not a⁽ᴸ⁾ = a{sup(ref.L)}: the loop must use every Θ⁽ˡ⁾, "
                        f"l = 1 … len(Theta) = {ref.L - 1}.\n  (The cells below use the reference "
                        f"function.)")
    return None


def reference_forward(Theta: Params, x: Any) -> np.ndarray:
    """h_Θ(x), by the package."""
    return forward_propagate(Theta, x).h


def check_forward(forward: Any) -> Any:
    """Check ``forward(Theta, x)`` on the lecture's network and on networks of 3 and 5 layers;
    returns the function the cells below use (yours when it is right)."""
    if forward is None or forward is Ellipsis or not callable(forward):
        return check_function("forward", lambda *a: ..., reference_forward, [()],
                              todo="define forward(Theta, x) in the cell above",
                              exercise=FORWARD).value
    p = lecture_network()
    early = _stops_early(forward, p.Theta, p.X[0])
    if early:
        return report(FORWARD, Result(False, reference_forward, early)).value
    result = check_function(
        "forward", forward, reference_forward,
        cases=[(p.Theta, p.X[0]), (p.Theta, p.X[1]), (THREE_LAYERS.Theta, THREE_LAYERS.X[0]),
               (FIVE_LAYERS.Theta, FIVE_LAYERS.X[1])],
        why_shape="a⁽ᴸ⁾ has one entry per output unit and no bias unit",
        mistakes=_forward_mistakes,
        hint=f'hint("{FORWARD}") recalls the two steps repeated for every layer',
        todo=f'write the body of forward; hint("{FORWARD}") gives the idea', exercise=FORWARD,
        explain=_in_thetas_terms, forbidden=(forward_propagate, backprop_example, backprop))
    return forward if result.passed else reference_forward


register_hints(FORWARD, [
    "Repeat the two steps of the hand computation once per Θ⁽ˡ⁾, l = 1, …, L − 1: put the bias "
    "unit 1 in front of the current activations, multiply by Θ⁽ˡ⁾, apply g. The activations you "
    "end with are a⁽ᴸ⁾; the output layer gets no bias unit because nothing comes after it. "
    "`len(Theta)` is L − 1, so the loop adapts to any depth.",
    "At step l the activations without the bias unit have sₗ entries; with it, sₗ + 1, which "
    "is the number of columns of Θ⁽ˡ⁾. The product has s₍ₗ₊₁₎ entries, the units of the next "
    "layer. The returned vector has s_L entries.",
    "a = ___                                # start from the input x\n"
    "for l in range(1, ___):\n"
    "    a = g(___ @ np.concatenate((___, a)))\n"
    "return ___",
])
