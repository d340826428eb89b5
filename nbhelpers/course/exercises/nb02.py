"""Notebook 02 · the cost J(Θ): the checks and hints of its exercises.

``02-j-unreg``: the unregularized cost in one line from H (one row h_Θ(x⁽ⁱ⁾) per example) and Y.
``02-reg``: the regularization term λ/(2m) Σₗ Σᵢ Σⱼ₌₁ (Θ⁽ˡ⁾ᵢⱼ)², without the bias column.

Each check reads the student's cell back (:func:`nb00.answer_source`): an answer that only
copies another variable, types in a number, or calls the package's own function is refused.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...cost import regularization_cost
from ...validation import Params
from ..feedback import Mistake, Result, check_value, report
from ..hints import register_hints
from .nb00 import (
    answer_source,
    copied_from,
    names_used,
    refuse_package_call,
    refuse_typed_in,
    typed_in,
)

J_UNREG = "02-j-unreg"
REG = "02-reg"


def check_j_unreg(J_unreg: Any, H: Any, Y: Any) -> Any:
    """Check −(1/m) Σᵢ Σₖ [yₖ log hₖ + (1 − yₖ) log(1 − hₖ)]; returns the value to use below."""
    H, Y = np.asarray(H, dtype=float), np.asarray(Y, dtype=float)
    m = Y.shape[0]
    terms = Y * np.log(H) + (1 - Y) * np.log(1 - H)
    expected = 0.0
    for i in range(m):                       # the formula's double sum, as written
        for k in range(Y.shape[1]):
            expected -= terms[i, k] / m
    source = answer_source("J_unreg")
    used = names_used(source, ("cost", "regularization_cost"))
    if used:
        return refuse_package_call(J_UNREG, "J_unreg", used, expected)
    if typed_in(source, "J_unreg"):
        return refuse_typed_in(J_UNREG, "J_unreg", "H, Y and m", expected)
    copy = copied_from(J_unreg, "J_unreg") or names_used(source, ("J_loops", "J_nb"))
    if copy:
        return report(J_UNREG, Result(False, expected, (
            f"✘ J_unreg is a copy of {copy}, not a computation of its own. Write the formula "
            f"in one line from H, Y and m.\n  (The cells below use the reference value.)"))).value
    return check_value(
        "J(Θ) without regularization", J_unreg, expected, why_shape="J(Θ) is a single number",
        mistakes=[
            Mistake("forgot the 1/m average (summed over the examples but did not divide by m)",
                    -np.sum(terms)),
            Mistake("averaged over all m·K entries (np.mean divides by m·K, but J divides by m "
                    "only)", -np.mean(terms)),
            Mistake("left out the minus sign in front of the sum", np.sum(terms) / m),
            Mistake("left out the (1 − y) log(1 − h) term, so outputs that should be 0 cost "
                    "nothing", -np.sum(Y * np.log(H)) / m),
            Mistake("swapped log h and log(1 − h)",
                    -np.sum(Y * np.log(1 - H) + (1 - Y) * np.log(H)) / m),
            Mistake("used log₁₀ instead of the natural log",
                    -np.sum(Y * np.log10(H) + (1 - Y) * np.log10(1 - H)) / m),
        ],
        hint="the formula's double sum runs over every entry of H and Y; J divides by m only",
        todo=f'write J_unreg in the cell above; hint("{J_UNREG}") gives the idea',
        exercise=J_UNREG).value


register_hints(J_UNREG, [
    "Numpy applies log, *, + and − to every entry of a matrix at once. So compute the bracket "
    "[y log h + (1 − y) log(1 − h)] for all m·K entries of H and Y in one expression, add up "
    "every entry, then divide by m (not by m·K) and change the sign.",
    "H and Y are both m × K (here 3 × 4): one row per example (x⁽ⁱ⁾ in row i − 1), one "
    "column per output unit. The "
    "element-wise bracket is m × K as well; its sum over all entries is a single number.",
    "J_unreg = -np.sum(___ * np.log(___) + ___ * np.log(___)) / ___",
])


def check_reg(reg: Any, Theta: Params, m: int, lam: float) -> Any:
    """Check λ/(2m) times the squared weights of every Θ⁽ˡ⁾ without column 0."""
    squares = sum(np.sum(T[:, 1:] ** 2) for T in Theta.values())
    source = answer_source("reg")
    used = names_used(source, ("cost", "regularization_cost"))
    if used:
        return refuse_package_call(REG, "reg", used, regularization_cost(Theta, m, lam))
    if typed_in(source, "reg"):
        return refuse_typed_in(REG, "reg", "Theta, lam and m", regularization_cost(Theta, m, lam))
    return check_value(
        "the regularization term", reg, regularization_cost(Theta, m, lam),
        why_shape="it is a single number",
        mistakes=[
            Mistake("included the bias column j = 0 in the sum",
                    lam / (2 * m) * sum(np.sum(T ** 2) for T in Theta.values())),
            Mistake("left out row 0 instead of column 0 (the bias weights are column 0)",
                    lam / (2 * m) * sum(np.sum(T[1:, :] ** 2) for T in Theta.values())),
            Mistake("used λ/m instead of λ/(2m)", lam / m * squares),
            Mistake("forgot to divide by m (used λ/2 instead of λ/(2m))", lam / 2 * squares),
            Mistake("added up the weights without squaring them",
                    lam / (2 * m) * sum(np.sum(T[:, 1:]) for T in Theta.values())),
            Mistake("regularized only Θ⁽¹⁾ (the sum runs over every layer l = 1…L − 1)",
                    lam / (2 * m) * np.sum(Theta[1][:, 1:] ** 2)),
        ],
        hint="square every weight outside column 0 of every Θ⁽ˡ⁾, add them up, then scale",
        todo=f'write reg in the cell above; hint("{REG}") gives the idea', exercise=REG).value


register_hints(REG, [
    "Three sums in the formula: over the layers l, and over the rows i and the columns j ≥ 1 of "
    "each Θ⁽ˡ⁾. Square every weight outside the bias column, add them all up over every layer, "
    "then multiply by λ/(2m).",
    "Θ⁽ˡ⁾ is s₍ₗ₊₁₎ × (sₗ + 1); without its bias column it is s₍ₗ₊₁₎ × sₗ: here 5 × 3, 5 × 5 "
    "and 4 × 5, so 60 weights are squared. The sum over one layer is a single number; so is "
    "the sum over all layers, and so is the term.",
    "reg = ___ / (2 * ___) * sum(np.sum(___ ** 2) for l in Theta)",
])
