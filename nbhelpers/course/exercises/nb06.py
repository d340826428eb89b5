"""Notebook 06 (gradient checking): the check and hints of the two-sided difference."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ...gradcheck import numerical_gradient
from ...validation import Params, as_theta
from ..feedback import (
    USES_REFERENCE_FUNCTION,
    Mistake,
    Result,
    _check_function,
    quoted_exception,
    report,
)
from ..hints import register_hints

TWO_SIDED = "06-two-sided-difference"

register_hints(TWO_SIDED, [
    "Move only the one weight Θ⁽ˡ⁾ᵢⱼ: once up by ε, once down by ε, everything else unchanged. "
    "The slope is the change in J between the two, divided by the distance between the two "
    "points.",
    "Theta is a dict of arrays keyed 1…L−1; the entry is Theta[l][row, col]. J takes such a "
    "dict and returns one number. The two points are 2ε apart. Work on copies: T.copy() for "
    "every layer, so the Θ you were given does not change.",
    "plus = {k: T.copy() for k, T in Theta.items()}\n"
    "minus = ___\n"
    "plus[l][row, col] ___ epsilon\n"
    "minus[l][row, col] ___ epsilon\n"
    "return (J(___) - J(___)) / ___",
])


def shifted(Theta: Any, l: int, row: int, col: int, step: float) -> Params:
    """A copy of Θ with ``step`` added to Theta[l][row, col]."""
    out = {k: T.copy() for k, T in as_theta(Theta).items()}
    out[l][row, col] += step
    return out


def _reference(J: Callable[[Params], float], Theta: Params, l: int, row: int, col: int,
               epsilon: float) -> float:
    return numerical_gradient(J, Theta, epsilon)[l][row, col]


def _mistakes(J: Callable[[Params], float], Theta: Params, l: int, row: int, col: int,
              epsilon: float) -> list[Mistake]:
    right = _reference(J, Theta, l, row, col, epsilon)
    one_sided = (J(shifted(Theta, l, row, col, epsilon)) - J(Theta)) / epsilon
    return [Mistake("used the one-sided difference (J(Θ + εE) − J(Θ))/ε", one_sided),
            Mistake("divided by ε instead of 2ε", 2 * right),
            Mistake("subtracted the wrong way round, J(Θ − εE) − J(Θ + εE)", -right)]


def _explain_error(exc: BaseException) -> str:
    if isinstance(exc, AttributeError | TypeError) and ("copy" in str(exc) or "dict" in str(exc)):
        return ("Θ is a dict {1: Θ⁽¹⁾, …}: copy it layer by layer, {k: T.copy() for k, T in "
                "Theta.items()}, then change the one entry Theta[l][row, col].")
    if isinstance(exc, IndexError | KeyError):
        return ("Θ⁽ˡ⁾ is Theta[l] with l = 1…L−1, and its entry is [row, col] with row < s₍ₗ₊₁₎ "
                "and col ≤ sₗ (column 0 is the bias weight).")
    return ""


def check_two_sided_difference(function: Callable[..., Any], J: Callable[[Params], float],
                               Theta: Any) -> Callable[..., Any]:
    """Check ``two_sided_difference(J, Theta, l, row, col, epsilon)`` on three entries of Θ
    with a large ε (so the one-sided mistake shows), and that it leaves Θ unchanged."""
    Theta = as_theta(Theta)
    cases = [(J, shifted(Theta, l, row, col, 0.0), l, row, col, 1e-2)
             for l, row, col in [(1, 0, 0), (2, 3, 2), (len(Theta), 1, 4)]]
    result = quoted_exception("two_sided_difference", function, _reference, cases,
                              _explain_error) if callable(function) else None
    if result is not None:
        return report(TWO_SIDED, result).value
    result = _check_function("two_sided_difference", function, _reference, cases,
                             mistakes=_mistakes,
                             todo="write the body; hint('06-two-sided-difference') gives the idea.")
    if result.passed:
        mine = {k: T.copy() for k, T in Theta.items()}
        function(J, mine, 2, 3, 2, 1e-2)
        if any(not np.array_equal(mine[k], Theta[k]) for k in Theta):
            result = Result(False, _reference, "✘ two_sided_difference changed the Θ it was "
                            "given: work on copies (T.copy() for every layer)."
                            + USES_REFERENCE_FUNCTION)
    return report(TWO_SIDED, result).value


__all__ = ["TWO_SIDED", "check_two_sided_difference", "shifted"]
