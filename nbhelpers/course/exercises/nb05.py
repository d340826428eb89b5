"""Notebook 05 (the D terms): the checks and hints of its exercises and of the capstone."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from ...accumulate import backprop
from ...d_terms import d_terms
from ...examples import lecture_network
from ...validation import as_theta
from ..evidence import Run
from ..exercise import Exercise, register
from ..feedback import USES_REFERENCE_FUNCTION, Mistake, Result, _check_function, report
from ..feedback import check_backprop as _check_backprop
from ..hints import register_hints
from ..judging import CellProbe
from ..student_code import run_student
from ..verdict import Verdict, same
from .nb00 import (
    ValueCell,
    cell_value,
    cost_function,
    own_probe,
    random_problem,
    value_cell_judge,
    with_modules,
)

D_FROM_ACCUMULATORS = "05-d-from-accumulators"
PREDICTED_CHANGE = "05-predicted-change"
BACKPROP = "05-backprop"                 # the capstone (feedback.CAPSTONE)

register_hints(D_FROM_ACCUMULATORS, [
    "Two pieces: the average of the examples' shares, (1/m)Δ⁽ˡ⁾, in every column; and the "
    "slope of the penalty, (λ/m)Θ⁽ˡ⁾ᵢⱼ, only where j ≠ 0, because the penalty leaves the bias "
    "column out.",
    "Δ⁽ˡ⁾, Θ⁽ˡ⁾ and D⁽ˡ⁾ all have shape s₍ₗ₊₁₎ × (sₗ + 1). Column j = 0 is the slice [:, 0], the "
    "columns j ≠ 0 are [:, 1:]. Start from a new array so Δ⁽ˡ⁾ and Θ⁽ˡ⁾ stay unchanged.",
    "D_l = Delta_l / ___            # a new array\n"
    "D_l[:, ___] += (___ / ___) * Theta_l[:, ___]\n"
    "return D_l",
])

register_hints(PREDICTED_CHANGE, [
    "Moving one weight by a small amount changes J by (its slope) × (the amount), and the "
    "changes of all weights add up. In the step Θ := Θ − αD, by how much does weight Θ⁽ˡ⁾ᵢⱼ "
    "move, and what is its slope? Multiply the two, then add over every weight of every layer.",
    "Each D_step[l] is an array of Θ⁽ˡ⁾'s shape; the result is one number (a float), a sum "
    "over every entry of every layer l in D_step.",
    "movement = {l: ___ for l in D_step}           # how far each weight moves\n"
    "predicted_change = sum(np.sum(___ * ___) for l in D_step)   # slope × movement",
])

register_hints(BACKPROP, [
    "The whole lecture in one function. Δ⁽ˡ⁾ := 0 for every l. For each example: a⁽¹⁾ = x with "
    "a₀ = 1 in front, forward to a⁽ᴸ⁾ (a bias unit on every layer but the last), δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y, "
    "back to δ⁽²⁾ with (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ .* g′(z⁽ˡ⁾) (no δ₀), then Δ⁽ˡ⁾ += δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ for every "
    "l. After the loop, D⁽ˡ⁾ from Δ⁽ˡ⁾ as in exercise 1. Take L from Θ, not from the lecture's "
    "figure: the check uses networks of other depths too.",
    "Θ⁽ˡ⁾: s₍ₗ₊₁₎ × (sₗ + 1); a⁽ˡ⁾: sₗ + 1 entries (a₀ first) for l < L, a⁽ᴸ⁾: s_L; z⁽ˡ⁾, δ⁽ˡ⁾ "
    "and g′(z⁽ˡ⁾): sₗ entries; Δ⁽ˡ⁾ and D⁽ˡ⁾: Θ⁽ˡ⁾'s shape. X is m × s₁ (example i in row "
    "i − 1), Y is m × s_L. Return a dict D with D[l] for l = 1…L−1.",
    "def backprop(Theta, X, Y, lam):\n"
    "    L, m = ___, ___                             # layers (from Theta), examples (from X)\n"
    "    Delta = {l: ___ for l, T in Theta.items()}\n"
    "    for x, y in zip(X, Y):\n"
    "        a, z = {1: np.concatenate([[1.0], ___])}, {}\n"
    "        for l in range(1, L):                     # forward\n"
    "            z[l + 1] = ___\n"
    "            a[l + 1] = ___                        # bias unit in front unless l + 1 == L\n"
    "        delta = {L: ___}\n"
    "        for l in range(L - 1, 1, -1):             # backward, no δ₀\n"
    "            delta[l] = ___\n"
    "        for l in Delta:\n"
    "            Delta[l] += ___\n"
    "    D = {}\n"
    "    for l in Delta:\n"
    "        ___                                       # exercise 1\n"
    "    return D",
])


def _reference_d(Delta_l: Any, Theta_l: Any, m: int, lam: float) -> np.ndarray:
    return d_terms({1: np.asarray(Delta_l, dtype=float)}, {1: np.asarray(Theta_l, dtype=float)},
                   m, lam)[1]


def _d_mistakes(Delta_l: np.ndarray, Theta_l: np.ndarray, m: int, lam: float) -> list[Mistake]:
    weights = np.array(Theta_l, dtype=float)
    weights[:, 0] = 0.0                                    # Θ⁽ˡ⁾ without its bias column
    return [Mistake("regularize the bias column j = 0 too", Delta_l / m + lam / m * Theta_l),
            Mistake("add λΘ, as printed in the lecture, instead of (λ/m)Θ",
                    Delta_l / m + lam * weights),
            Mistake("forget the 1/m in front of Δ⁽ˡ⁾", Delta_l + lam / m * weights),
            Mistake("leave out the regularization term", Delta_l / m),
            Mistake("subtract the regularization term", Delta_l / m - lam / m * weights)]


def _explain_d_error(exc: BaseException, line: str, args: tuple) -> str:
    if isinstance(exc, ValueError) and "broadcast" in str(exc):
        return ("Δ⁽ˡ⁾, Θ⁽ˡ⁾ and D⁽ˡ⁾ all have shape s₍ₗ₊₁₎ × (sₗ + 1). The columns j ≠ 0 are "
                "[:, 1:] (every row, columns 1 on); [1:] alone drops the first row instead. "
                "Both sides of += must be sliced the same way.")
    return ""


ONE_BASED_ENTRY = re.compile(r"entry \((\d+), (\d+)\)")


def _lecture_positions(message: str) -> str:
    """Entry positions of a D⁽ˡ⁾-shaped array in the lecture's numbering: numpy's (r, c) is
    row i = r + 1 (unit i of layer l + 1) and column j = c (j = 0 the bias column)."""
    return ONE_BASED_ENTRY.sub(
        lambda hit: f"row i = {int(hit[1]) + 1}, column j = {hit[2]}", message)


def _changed_in_place(function: Callable[..., Any], cases: list[tuple]) -> str | None:
    """The name of the first argument the student's function changes in place, or None."""
    for Delta_l, Theta_l, m, lam in cases:
        run = run_student(function, (Delta_l, Theta_l, m, lam))
        if run.error is not None:  # a crash is reported by the value check, not here
            return None
        for name, symbol, before, after in (("Delta_l", "Δ⁽ˡ⁾", Delta_l, run.given[0]),
                                            ("Theta_l", "Θ⁽ˡ⁾", Theta_l, run.given[1])):
            if not np.array_equal(before, after):
                return f"{name} ({symbol})"
    return None


def check_d_from_accumulators(function: Callable[..., Any], Delta: Mapping[int, Any],
                              Theta: Mapping[int, Any], m: int, lam: float) -> Callable[..., Any]:
    """Check ``d_from_accumulators(Delta_l, Theta_l, m, lam)`` on every layer of the given
    problem and on the lecture's network with m = 10, λ = 3, and that it leaves Δ⁽ˡ⁾ and Θ⁽ˡ⁾
    unchanged; returns the function to use."""
    q = lecture_network(10)
    G10 = backprop(q.Theta, q.X, q.Y, 3.0)
    cases = [(np.array(Delta[l], dtype=float), np.array(Theta[l], dtype=float), m, lam)
             for l in Delta] + [(G10.Delta[1].copy(), q.Theta[1].copy(), G10.m, G10.lam)]
    result = _check_function(
        "d_from_accumulators", function, _reference_d, cases, explain=_explain_d_error,
        why_shape="D⁽ˡ⁾ has one entry per weight, so it has the shape of Θ⁽ˡ⁾ and Δ⁽ˡ⁾",
        mistakes=_d_mistakes,
        todo="write its body in the cell above, then run this cell again. Stuck? "
             "hint('05-d-from-accumulators') gives the idea.")
    if result.passed:
        changed = _changed_in_place(function, cases)
        if changed is not None:
            result = Result(False, _reference_d, (
                f"✘ d_from_accumulators gives the right D⁽ˡ⁾, but it changes its argument "
                f"{changed} in place: after the call the caller's array holds other numbers. "
                "`x /= m`, `x[:, 1:] += …` or `x[:, 0] = …` write into x itself, while `x / m` "
                "makes a new array. Build D⁽ˡ⁾ in a new array and leave Delta_l and Theta_l as "
                "they were: later steps (and the next layer) still need them.")
                + USES_REFERENCE_FUNCTION)
    else:
        result = Result(False, result.value, _lecture_positions(result.message))
    return report(D_FROM_ACCUMULATORS, result).value


# ---- 05-predicted-change: the first-order prediction −α Σ (D⁽ˡ⁾ᵢⱼ)² of one step's change ----------
# A top-level cell judged by nb00.value_cell_judge: run again on the notebook's values and on
# networks of other depths with other λ and α, so that only the computation passes; the real
# change J(Θ − αD) − J(Θ), whose numbers are close, is refused as another method.

PREDICTED_CHANGE_READS = ("p", "m", "lam", "Delta", "G", "l", "D", "J", "PASS", "D_step", "ALPHA",
                          "J_before", "J_after")
"""The names notebook 05 defines before its predicted-change exercise (sections 1–4)."""


def predicted(names: Mapping[str, Any]) -> float:
    """−α Σₗ Σᵢ Σⱼ (D⁽ˡ⁾ᵢⱼ)², from the names D_step and ALPHA."""
    return -float(names["ALPHA"]) * sum(float(np.sum(np.asarray(D, dtype=float) ** 2))
                                        for D in names["D_step"].values())


def _predicted_change_names(problem: Any, lam: float, alpha: float) -> dict[str, Any]:
    """Notebook 05's names for a problem, λ and α, as its sections 1–4 build them."""
    m = problem.X.shape[0]
    G = backprop(problem.Theta, problem.X, problem.Y, lam)
    D = {l: np.array(G[l]) for l in G}
    J = cost_function(problem.X, problem.Y, lam)
    return {"p": problem, "m": m, "lam": lam, "Delta": dict(G.Delta), "G": G, "l": max(G),
            "D": D, "J": J, "PASS": 1e-7, "D_step": D, "ALPHA": alpha,
            "J_before": J(problem.Theta),
            "J_after": J({l: problem.Theta[l] - alpha * D[l] for l in problem.Theta})}


def predicted_change_probes(seed: int | None,
                            notebook: Mapping[str, Any] | None) -> list[CellProbe]:
    """The notebook's own names, then networks of 2 to 4 layers with other λ (0 among them) and
    α; each probe also knows the real change J(Θ − αD) − J(Θ)."""
    def real(names: Mapping[str, Any]) -> float | None:
        try:
            return float(names["J_after"]) - float(names["J_before"])
        except (KeyError, TypeError, ValueError):
            return None

    out = own_probe(notebook, PREDICTED_CHANGE_READS, predicted)
    if out:
        out = [CellProbe(title=out[0].title, values=out[0].values, own=True,
                         expected=out[0].expected, extra={"real": real(out[0].values)})]
    base = 501 if seed is None else seed
    for title, problem, lam, alpha in [
            ("the lecture's network, λ = 0.3, α = 0.1", lecture_network(), 0.3, 0.1),
            ("a 2-3-2 network, m = 4, λ = 0.7, α = 0.05", random_problem((2, 3, 2), 4, base), 0.7,
             0.05),
            ("a 3-4-4-2 network, m = 3, λ = 0, α = 0.5", random_problem((3, 4, 4, 2), 3, base + 1),
             0.0, 0.5),
            ("a 4-3 network (no hidden layer), m = 5, λ = 2, α = 0.2",
             random_problem((4, 3), 5, base + 2), 2.0, 0.2)]:
        names = _predicted_change_names(problem, lam, alpha)
        out.append(CellProbe(title=title, values=names, expected=predicted(names),
                             extra={"real": real(names)}))
    return with_modules(out, notebook)


def _real_change(runs: Sequence[Run], probes: Sequence[CellProbe]) -> Verdict | None:
    """The real change J(Θ − αD) − J(Θ) instead of its prediction: another method."""
    value = cell_value("predicted_change")
    reals = [p.extra.get("real") for p in probes]
    if None in reals or not all(same(value(r), x) for r, x in zip(runs, reals, strict=True)):
        return None
    return Verdict(passed=False, step="method", message=(
        "✘ predicted_change is the real change J(Θ − αD) − J(Θ) (what J_after − J_before "
        "measures), not its first-order prediction: the two differ by the terms of second order "
        "in α. The exercise asks what the slopes in D_step predict before J is evaluated again: "
        "compute it from D_step and ALPHA alone."))


PREDICTED_CHANGE_CELL = ValueCell(
    name="predicted_change", symbol="predicted_change", hint_id=PREDICTED_CHANGE,
    step="gradient_descent", piece="predicted_change", inputs="D_step and ALPHA",
    shape_why=lambda probe: "it is a single number", method=_real_change)

register(Exercise(
    id=PREDICTED_CHANGE, kind="cell", name="predicted_change", names=("predicted_change",),
    reads=PREDICTED_CHANGE_READS, probes=predicted_change_probes,
    judge=value_cell_judge(PREDICTED_CHANGE_CELL), step="gradient_descent", short=True,
    fallback=predicted))


def check_predicted_change() -> Any:
    """The check cell of 05-predicted-change: reads the exercise cell back, prints the verdict
    and returns the prediction the cells below use (yours when it is right)."""
    from ..feedback import check
    return check(PREDICTED_CHANGE)


# ---- end of 05-predicted-change ------------------------------------------------------------------


def check_backprop(function: Any) -> bool:
    """The capstone's check: :func:`feedback.check_backprop` on the student's
    ``backprop(Theta, X, Y, lam)``, its verdict reported under "05-backprop"."""
    return _check_backprop(function, exercise=BACKPROP)


def printed_d(Theta: Any, X: Any, Y: Any, lam: float = 0.0) -> dict[int, np.ndarray]:
    """The lecture's D as printed: (1/m)Δ⁽ˡ⁾ᵢⱼ + λΘ⁽ˡ⁾ᵢⱼ for j ≠ 0 (where (λ/m)Θ belongs)."""
    Theta = as_theta(Theta)
    out = {l: D.copy() for l, D in backprop(Theta, X, Y, 0.0).items()}    # (1/m)Δ⁽ˡ⁾
    for l, T in Theta.items():
        out[l][:, 1:] += lam * T[:, 1:]
    return out


__all__ = ["BACKPROP", "D_FROM_ACCUMULATORS", "PREDICTED_CHANGE", "check_backprop",
           "check_d_from_accumulators", "check_predicted_change", "plot_two_formulas", "printed_d"]


def plot_two_formulas(ms: Any, curves: Any, lam: float, threshold: float) -> Any:
    """The gradient check of (λ/m)Θ and of the printed λΘ against m (log scale), with the
    pass threshold dotted. ``curves`` has one row (right, printed) per m."""
    import matplotlib.pyplot as plt

    curves = np.asarray(curves, dtype=float)
    fig, ax = plt.subplots(figsize=(9, 5), layout="constrained")
    ax.semilogy(ms, curves[:, 0], "o-", label="(λ/m)Θ, from differentiating J")
    ax.semilogy(ms, curves[:, 1], "s--", label="λΘ, as printed in the lecture")
    ax.axhline(threshold, color="grey", lw=1.5, ls=":", label="PASS threshold")
    ax.set_xlabel("number of training examples m")
    ax.set_ylabel("relative difference to\nfinite differences of J")
    ax.set_title(f"Gradient check of the two D formulas (λ = {lam})")
    ax.set_xticks(list(ms))
    ax.legend(loc="center right")
    return fig
