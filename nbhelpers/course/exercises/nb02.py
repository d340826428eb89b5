"""Notebook 02 · the cost J(Θ): the checks and hints of its exercises.

``02-j-unreg``: the unregularized cost in one line from H (one row h_Θ(x⁽ⁱ⁾) per example), Y and m.
``02-reg``: the regularization term λ/(2m) Σₗ Σᵢ Σⱼ₌₁ (Θ⁽ˡ⁾ᵢⱼ)², without the bias column.

Both are top-level cells judged by :func:`nb00.value_cell_judge`: each is run again on the
notebook's values and on networks with other m, K and λ (λ = 0 and λ ≠ 1, m = 1 and m > 1), so
that a number typed in, a value copied from another variable or a forgotten λ cannot pass. The
package's ``nb.cost`` and ``nb.regularization_cost`` compute the answers: they are refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

import nbhelpers as nb

from ...cost import regularization_cost
from ...examples import lecture_network
from ..check_cell import check
from ..exercise import Exercise, register, register_hints
from ..judging import CellProbe
from .nb00 import ValueCell, own_probe, random_problem, value_cell_judge, with_modules

J_UNREG = "02-j-unreg"
REG = "02-reg"

J_UNREG_READS = ("problem", "Theta", "X", "Y", "m", "K", "H", "h_values", "h")
"""The names notebook 02 defines before its first exercise (sections 1–3)."""
REG_READS = (*J_UNREG_READS, "J_unreg", "J_loops", "J_nb", "Theta_zero", "lam")
"""…and before its second (sections 4 and 5)."""


def _names(problem: Any) -> dict[str, Any]:
    """Notebook 02's names before its first exercise, for a problem."""
    Theta, X, Y = problem.Theta, problem.X, problem.Y
    m, K = Y.shape
    return {"problem": problem, "Theta": Theta, "X": X, "Y": Y, "m": m, "K": K,
            "H": nb.forward_propagate(Theta, X).h,
            "h_values": np.array([0.01, 0.1, 0.5, 0.9, 0.99]), "h": np.linspace(0.005, 0.995, 400)}


def unregularized(names: Mapping[str, Any]) -> float:
    """−(1/m) Σᵢ Σₖ [yₖ log hₖ + (1 − yₖ) log(1 − hₖ)], from the names H, Y and m."""
    H, Y = np.asarray(names["H"], dtype=float), np.asarray(names["Y"], dtype=float)
    return float(-np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / names["m"])


def _problems(seed: int | None) -> list[tuple[str, Any]]:
    base = 211 if seed is None else seed
    return [("the lecture's network (m = 3, K = 4)", lecture_network()),
            ("a 3-4-3 network with m = 4 examples", random_problem((3, 4, 3), 4, base)),
            ("a 2-5-2 network with m = 5 examples", random_problem((2, 5, 2), 5, base + 1)),
            ("a 4-3-5 network with m = 1 example", random_problem((4, 3, 5), 1, base + 2))]


def j_unreg_probes(seed: int | None, notebook: Mapping[str, Any] | None) -> list[CellProbe]:
    """The notebook's own names, then networks whose m and K all differ (m = 1 among them)."""
    out = own_probe(notebook, J_UNREG_READS, unregularized)
    for title, problem in _problems(seed):
        names = _names(problem)
        out.append(CellProbe(title=title, values=names, expected=unregularized(names)))
    return with_modules(out, notebook)


def _explain_cost(failure: Any, probe: CellProbe) -> str:
    if failure.type == "ValueError" and "broadcast" in failure.message:
        return ("H and Y are both m × K, one row per example: every operation of the formula "
                "works on two arrays of that shape, entry by entry.")
    return ""


J_UNREG_CELL = ValueCell(
    name="J_unreg", symbol="J(Θ) without regularization", hint_id=J_UNREG, step="cost",
    piece="J_unreg", inputs="H, Y and m", shape_why=lambda probe: "J(Θ) is a single number",
    explain=_explain_cost)

register(Exercise(
    id=J_UNREG, kind="cell", name="J(Θ) without regularization", names=("J_unreg",),
    reads=J_UNREG_READS, probes=j_unreg_probes, judge=value_cell_judge(J_UNREG_CELL),
    step="cost", short=True, fallback=unregularized))


def check_j_unreg() -> Any:
    """The check cell of 02-j-unreg: reads the exercise cell back, prints the verdict and
    returns the J the cells below use (yours when it is right)."""
    return check(J_UNREG)


register_hints(J_UNREG, [
    "Numpy applies log, *, + and − to every entry of a matrix at once. So compute the bracket "
    "[y log h + (1 − y) log(1 − h)] for all m·K entries of H and Y in one expression, add up "
    "every entry, then divide by m (not by m·K) and change the sign.",
    "H and Y are both m × K (here 3 × 4): one row per example (x⁽ⁱ⁾ in row i − 1), one "
    "column per output unit. The "
    "element-wise bracket is m × K as well; its sum over all entries is a single number.",
    "J_unreg = -np.sum(___ * np.log(___) + ___ * np.log(___)) / ___",
])


# ---- 02-reg ---------------------------------------------------------------------------------------

def regularization(names: Mapping[str, Any]) -> float:
    """λ/(2m) times the squared weights of every Θ⁽ˡ⁾ without column 0, from Theta, m and lam."""
    return regularization_cost(names["Theta"], names["m"], names["lam"])


def _reg_names(problem: Any, lam: float) -> dict[str, Any]:
    names = _names(problem)
    J = unregularized(names)
    names.update(J_unreg=J, J_loops=J, J_nb=nb.cost(problem.Theta, problem.X, problem.Y),
                 Theta_zero={l: np.zeros_like(T) for l, T in problem.Theta.items()}, lam=lam)
    return names


def reg_probes(seed: int | None, notebook: Mapping[str, Any] | None) -> list[CellProbe]:
    """The notebook's own names, then λ = 0.7, 0 and 2.5 (never only λ = 1, which hides a
    forgotten λ) on networks whose m and K differ."""
    out = own_probe(notebook, REG_READS, regularization)
    for (title, problem), lam in zip(_problems(seed), (1.0, 0.7, 0.0, 2.5), strict=True):
        names = _reg_names(problem, lam)
        out.append(CellProbe(title=f"{title}, λ = {lam:g}", values=names,
                             expected=regularization(names)))
    return with_modules(out, notebook)


REG_CELL = ValueCell(
    name="reg", symbol="the regularization term", hint_id=REG, step="regularization",
    piece="reg", inputs="Theta, m and lam", shape_why=lambda probe: "it is a single number")

register(Exercise(
    id=REG, kind="cell", name="the regularization term", names=("reg",), reads=REG_READS,
    probes=reg_probes, judge=value_cell_judge(REG_CELL), step="regularization", short=True,
    fallback=regularization))


def check_reg() -> Any:
    """The check cell of 02-reg: reads the exercise cell back, prints the verdict and returns
    the term the cells below use (yours when it is right)."""
    return check(REG)


register_hints(REG, [
    "Three sums in the formula: over the layers l, and over the rows i and the columns j ≥ 1 of "
    "each Θ⁽ˡ⁾. Square every weight outside the bias column, add them all up over every layer, "
    "then multiply by λ/(2m).",
    "Θ⁽ˡ⁾ is s₍ₗ₊₁₎ × (sₗ + 1); without its bias column it is s₍ₗ₊₁₎ × sₗ: here 5 × 3, 5 × 5 "
    "and 4 × 5, so 60 weights are squared. The sum over one layer is a single number; so is "
    "the sum over all layers, and so is the term.",
    "reg = ___ / (2 * ___) * sum(np.sum(___ ** 2) for l in Theta)",
])

__all__ = ["J_UNREG", "REG", "check_j_unreg", "check_reg", "j_unreg_probes", "reg_probes",
           "regularization", "unregularized"]
