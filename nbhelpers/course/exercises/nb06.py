"""Notebook 06 (gradient checking): the check and hints of the two-sided difference."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ...gradcheck import numerical_gradient
from ...validation import Params, as_theta
from ..feedback import USES_REFERENCE_FUNCTION, Mistake, Result, _check_function, report
from ..hints import register_hints

TWO_SIDED = "06-two-sided-difference"

register_hints(TWO_SIDED, [
    "Move only the one weight Θ⁽ˡ⁾ᵢⱼ: once up by ε, once down by ε, everything else unchanged. "
    "The slope is the change in J between the two, divided by the distance between the two "
    "points.",
    "Theta is a dict of arrays keyed 1…L−1; the entry is Theta[l][row, col]. J takes such a "
    "dict and returns one number. The two points are 2ε apart. Work on copies: T.copy() for "
    "every layer, so the Θ you were given does not change.",
    "plus = {k: ___ for k, T in Theta.items()}    # a copy of every layer\n"
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


def _explain_error(exc: BaseException, line: str, args: tuple) -> str:
    if isinstance(exc, AttributeError | TypeError) and ("copy" in str(exc) or "dict" in str(exc)):
        return ("Θ is a dict {1: Θ⁽¹⁾, …} of arrays: copy it layer by layer (a new dict holding "
                "each array's .copy()), then change the one entry Theta[l][row, col].")
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
    result = _check_function("two_sided_difference", function, _reference, cases,
                             mistakes=_mistakes, explain=_explain_error,
                             todo="write the body; hint('06-two-sided-difference') gives the idea.")
    if result.passed:
        mine = {k: T.copy() for k, T in Theta.items()}
        function(J, mine, 2, 3, 2, 1e-2)
        if any(not np.array_equal(mine[k], Theta[k]) for k in Theta):
            result = Result(False, _reference, "✘ two_sided_difference changed the Θ it was "
                            "given: work on copies (T.copy() for every layer)."
                            + USES_REFERENCE_FUNCTION)
    return report(TWO_SIDED, result).value


__all__ = ["TWO_SIDED", "check_two_sided_difference", "plot_epsilon_v", "plot_zoo", "shifted"]


# ---- the notebook's two figures (drawing code kept out of the notebook's cells) -----------------

def plot_epsilon_v(eps_values: Any, two_sided: Any, one_sided: Any) -> Any:
    """The relative difference to D against ε, two-sided and one-sided, with each minimum
    starred and the two arms named (truncation on the right, round-off on the left)."""
    import matplotlib.pyplot as plt

    eps_values, two_sided, one_sided = (np.asarray(v, dtype=float)
                                        for v in (eps_values, two_sided, one_sided))
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.loglog(eps_values, two_sided, "o-", color="#0072B2", label="two-sided (J₊ − J₋)/(2ε)")
    ax.loglog(eps_values, one_sided, "s--", color="#E69F00", label="one-sided (J₊ − J)/ε")
    for errors, colour, dy in [(two_sided, "#0072B2", -48), (one_sided, "#E69F00", 22)]:
        eps, err = eps_values[errors.argmin()], errors.min()
        ax.plot(eps, err, "*", ms=22, color=colour, markeredgecolor="black", zorder=3)
        ax.annotate(f"minimum\nε = {eps:.0e}", (eps, err), textcoords="offset points",
                    xytext=(0, dy), ha="center", fontsize=12)
    ax.set_ylim(two_sided.min() / 100, one_sided.max() * 3)
    ax.text(1e-2, 1e-10, "truncation error\n(Taylor remainder)", fontsize=12, ha="center")
    ax.text(1e-9, 1e-10, "round-off error\n(J in floating point)", fontsize=12, ha="center")
    ax.set_xlabel("ε (step of the finite differences)", fontsize=13)
    ax.set_ylabel("relative difference to D", fontsize=13)
    ax.set_title("Gradient check error against ε", fontsize=14)
    ax.tick_params(labelsize=12)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=12, loc="upper center")
    return fig


def plot_zoo(results: dict[str, float | None], threshold: float) -> Any:
    """One bar per gradient (log scale): its relative difference to finite differences, with
    the threshold dashed; mistakes that stop before producing a D (None) are left out."""
    import matplotlib.pyplot as plt

    checked = {name: diff for name, diff in results.items() if diff is not None}
    names, diffs = list(checked), np.array(list(checked.values()))
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.barh(names, diffs, color=["#D55E00" if d > threshold else "#009E73" for d in diffs])
    ax.set_xscale("log")
    ax.axvline(threshold, color="black", linestyle="--")
    ax.text(threshold, len(names) - 0.4, " caught →", fontsize=12, va="center")
    for y, d in enumerate(diffs):
        ax.text(d, y, f" {d:.0e}", va="center", fontsize=11)
    ax.invert_yaxis()
    ax.set_xlabel("relative difference to finite differences (log scale)", fontsize=13)
    ax.tick_params(labelsize=12)
    ax.set_xlim(diffs.min() / 10, diffs.max() * 1000)
    ax.set_title("Each mistake and the gradient check", fontsize=14)
    return fig
