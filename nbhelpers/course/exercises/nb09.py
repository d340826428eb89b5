"""Notebook 09 (beyond the lecture): the checks and hints of its exercises.

``delta_L_squared = nb09.check_delta_L_squared(delta_L_squared, Theta, x, y)`` and
``relu_gradient = nb09.check_relu_gradient(relu_gradient)``. Importing the module registers the
hints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

import nbhelpers as nb
from nbhelpers.course.feedback import Mistake, check_function, check_value
from nbhelpers.course.hints import register_hints

DELTA_L_SQUARED = "09-delta-l-squared"
RELU_GRADIENT = "09-relu-gradient"

register_hints(DELTA_L_SQUARED, [
    "Follow the chain rule above: δ⁽ᴸ⁾ = ∂c/∂h · g′(z⁽ᴸ⁾). First differentiate ½(h − y)² with "
    "respect to h. Then ask what is left to multiply: with the squared error nothing cancels "
    "the output's slope g′(z⁽ᴸ⁾). The exercise wants h and y alone, so write that slope with the "
    "sigmoid's output, as section 1 (and notebook 03) did.",
    "h, y and δ⁽ᴸ⁾ are vectors with one entry per output unit (K = 4 here); ∂c/∂h and g′(z⁽ᴸ⁾) "
    "have that shape too. Every operation is entry by entry (numpy's *), no matrix product (@): "
    "δ⁽ᴸ⁾ₖ depends only on hₖ and yₖ.",
    "dc_dh = ___                 # ∂c/∂h for c = ½(h − y)², from h and y\n"
    "g_prime = ___               # g′(z⁽ᴸ⁾) written with h alone\n"
    "delta_L_squared = ___ * ___       # chain rule: ∂c/∂h times g′(z⁽ᴸ⁾), entry by entry",
])

register_hints(RELU_GRADIENT, [
    "ReLU is a straight line of slope 0 left of the origin and of slope 1 right of it; at 0 "
    "we choose 0. So g′ only has to ask, entry by entry, on which side of 0 each z lies.",
    "z can have any shape: the check passes a vector of 5 entries and a 2 × 2 matrix. The "
    "result must have exactly z's shape, one slope per entry, as floats (numbers, not "
    "True/False). A Python `if` looks at one number at a time, so it cannot decide for a whole "
    "array.",
    "def relu_gradient(z):\n"
    "    slope = ___        # 1.0 where z is on one side of 0, 0.0 elsewhere, z's shape\n"
    "    return ___",
])


def check_delta_L_squared(delta_L_squared: Any, Theta: Mapping[int, np.ndarray], x: Any,
                          y: Any) -> Any:
    """Check the squared error's δ⁽ᴸ⁾ for the example (x, y); return the value to use."""
    h = nb.forward_propagate(Theta, x).h
    y = np.asarray(y, dtype=float)
    L = len(Theta) + 1
    return check_value(
        "δ⁽ᴸ⁾ (squared error)", delta_L_squared,
        nb.backprop_example(Theta, x, y, loss="squared").delta[L], exercise=DELTA_L_SQUARED,
        why_shape=f"δ⁽ᴸ⁾ has one entry per output unit (K = {len(y)})",
        mistakes=[Mistake("leave out g′(z⁽ᴸ⁾): that is the logistic cost's δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y", h - y),
                  Mistake("evaluate g′ at h = a⁽ᴸ⁾ instead of at z⁽ᴸ⁾ (g′(h) applies the "
                          "sigmoid twice)", (h - y) * nb.sigmoid_gradient(h)),
                  Mistake("take y − a⁽ᴸ⁾: the sign tells gradient descent which way to go",
                          (y - h) * h * (1 - h)),
                  Mistake("multiply by g(z⁽ᴸ⁾) = h instead of its slope h(1 − h)", (h - y) * h),
                  Mistake("multiply by (1 − h) only, forgetting the factor h of the slope",
                          (h - y) * (1 - h))],
        hint=f"hint({DELTA_L_SQUARED!r}) gives the idea.",
        todo=f"compute it in the cell above (one entry per output unit), then run this cell "
             f"again. Stuck? hint({DELTA_L_SQUARED!r}) gives the idea.",
    ).value


def _relu_mistakes(z: np.ndarray) -> list[Mistake]:
    z = np.asarray(z, dtype=float)
    return [Mistake("use z ≥ 0, which gives g′(0) = 1 instead of the chosen g′(0) = 0",
                    (z >= 0).astype(float)),
            Mistake("return g(z) = max(0, z) instead of its slope", np.maximum(z, 0.0)),
            Mistake("return the sign of z, which is −1 (not 0) for negative z", np.sign(z)),
            Mistake("return the sigmoid's slope g(z)(1 − g(z)) instead of ReLU's",
                    nb.sigmoid_gradient(z))]


def check_relu_gradient(function: Any) -> Callable[..., Any]:
    """Check the student's ``relu_gradient(z)``; return the function later cells should use."""
    return check_function(
        "relu_gradient", function, nb.relu_gradient,
        cases=[(np.array([-2.0, -0.5, 0.0, 0.25, 3.0]),), (np.array([[1.5, -1.0], [0.0, 2.0]]),)],
        exercise=RELU_GRADIENT,
        why_shape="g′ is taken entry by entry, so it has the shape of z",
        mistakes=_relu_mistakes,
        hint=f"1.0 on one side of 0, 0.0 on the other and at 0 itself; hint({RELU_GRADIENT!r}) "
             "gives the idea.",
        todo=f"write its body in the cell above, then run this cell again. Stuck? "
             f"hint({RELU_GRADIENT!r}) gives the idea.",
    ).value
