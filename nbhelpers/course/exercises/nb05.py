"""Notebook 05 (the D terms): the checks and hints of its exercises and of the capstone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ...accumulate import backprop
from ...examples import lecture_network
from ...validation import as_theta, sup
from ..check_cell import check
from ..check_cell import check_backprop as _check_backprop
from ..evidence import Run
from ..exercise import Exercise, register, register_hints
from ..judging import CallProbe, CellProbe, common, failure_text, name_mistake, printed_of, value_problem
from ..steps import evaluate, run
from ..verdict import Verdict, off_by, same
from .nb00 import (
    ValueCell,
    cell_value,
    cost_function,
    own_probe,
    random_problem,
    value_cell_judge,
    with_modules,
)
from .pieces import mistake_text, network

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


# ---- exercise 1: D⁽ˡ⁾ from the accumulator Δ⁽ˡ⁾ --------------------------------------------------

D_NETWORKS = (("lecture", (3, 5, 5, 4), 3, 0.3), ("three", (4, 6, 3), 4, 0.7),
              ("two", (3, 2), 1, 0.7), ("three", (4, 6, 3), 4, 0.0),
              ("lecture", (3, 5, 5, 4), 10, 2.5))
"""The problems whose Δ⁽ˡ⁾ the check hands to d_from_accumulators: (network, sizes, m, λ) —
λ = 0 and two values that are not 1, m = 1 and m > 1, layers of sizes that all differ."""


def reference_d_from_accumulators(Delta_l: Any, Theta_l: Any, m: int, lam: float) -> np.ndarray:
    """D⁽ˡ⁾ = Δ⁽ˡ⁾/m + (λ/m)Θ⁽ˡ⁾ for j ≠ 0, Δ⁽ˡ⁾/m for j = 0: a new array."""
    D_l = np.array(Delta_l, dtype=float) / m
    D_l[:, 1:] += lam / m * np.asarray(Theta_l, dtype=float)[:, 1:]
    return D_l


def d_probes(seed: int | None, notebook: Mapping[str, Any] | None = None) -> list[CallProbe]:
    """Every layer of each problem of :data:`D_NETWORKS`: its Δ⁽ˡ⁾ from the lecture's loop, its
    Θ⁽ˡ⁾, m and λ."""
    rng = np.random.default_rng(5051 if seed is None else seed)
    out = []
    for key, sizes, m, lam in D_NETWORKS:
        if key == "lecture" and seed is None:
            p = lecture_network(m)
            Theta = {l: np.array(T, dtype=float) for l, T in p.Theta.items()}
            X, Y = np.array(p.X, dtype=float), np.array(p.Y, dtype=float)
        else:
            Theta, X, Y = network(sizes, m, rng)
        Delta = run(Theta, X, Y, lam).Delta
        net = ("the lecture's network" if key == "lecture"
               else f"a {'-'.join(map(str, sizes))} network")
        for l in sorted(Theta):
            out.append(CallProbe(
                title=f"Δ{sup(l)} of {net} with m = {m}, λ = {lam:g}",
                arguments=(Delta[l].copy(), Theta[l].copy(), m, lam),
                expected=reference_d_from_accumulators(Delta[l], Theta[l], m, lam)))
    return out


def _d_globals(runs: Sequence[Run]) -> dict[str, Any]:
    """The notebook's λ and m, when the function reads them instead of its arguments."""
    seen = runs[0].globals_read if runs else {}
    out: dict[str, Any] = {}
    for key in ("lam", "lambda_", "lmbda"):
        if isinstance(seen.get(key), int | float):
            out["lam_g"] = float(seen[key])
    if isinstance(seen.get("m"), int):
        out["m_g"] = int(seen["m"])
    return out


def _slices_text(failure: Any, probe: CallProbe) -> str:
    """What the operands of a failing operation are, by their shapes next to Θ⁽ˡ⁾'s."""
    rows, cols = probe.expected.shape
    said = []
    for o in failure.operands:
        if o.shape == (rows - 1, cols):
            said.append(f"`{o.code}` has every column but one row fewer than Θ⁽ˡ⁾ ({rows} × "
                        f"{cols} here): a slice [1:] drops the first row, unit 1")
        elif o.shape == (rows, cols - 1):
            said.append(f"`{o.code}` has every row and the columns j = 1…{cols - 1}, those that "
                        "the regularization covers")
    if not said:
        return ""
    return ("\n  " + "; ".join(said) + ". Both sides of the operation must be the same slice "
            "of the s₍ₗ₊₁₎ × (sₗ + 1) matrix: the columns j ≠ 0 are [:, 1:].")


def judge_d(runs: Sequence[Run], probes_: Sequence[CallProbe]) -> Verdict:
    """The verdict on d_from_accumulators from its runs."""
    name_, printed = "d_from_accumulators", printed_of(runs)
    early = common(runs, probes_, name=name_, hint_id=D_FROM_ACCUMULATORS,
                   task="Compute D⁽ˡ⁾ from Delta_l, Theta_l, m and lam with numpy.")
    if early is not None:
        if early.step == "inputs":
            return Verdict(passed=False, step="inputs", mistake="inputs_mutated", printed=printed,
                           message=early.message + " (`x /= m`, `x[:, 1:] += …` or "
                           "`x[:, 0] = …` write into x itself; `x / m` makes a new array.)")
        return early
    for r, p in zip(runs, probes_, strict=True):
        if r.failure is not None:
            text = failure_text(name_, r.failure, p, {}) + _slices_text(r.failure, p)
            return Verdict(passed=False, step="d_terms", printed=printed, message=text)
    for r, p in zip(runs, probes_, strict=True):
        problem = value_problem("D⁽ˡ⁾", r.value, p.expected, shape_why=(
            "D⁽ˡ⁾ has one entry per weight, the shape of Θ⁽ˡ⁾ and Δ⁽ˡ⁾"))
        if problem is not None:
            numbers = isinstance(r.value, np.ndarray | int | float | list | tuple)
            return Verdict(passed=False, step="d_terms" if numbers else "return",
                           mistake=None if numbers else "wrong_return", printed=printed,
                           message=f"✘ On {p.title}: {problem}")
    wrong = [(r, p) for r, p in zip(runs, probes_, strict=True) if not same(r.value, p.expected)]
    if not wrong:
        return Verdict(passed=True, printed=printed, message=(
            f"✔ d_from_accumulators is correct on all {len(probes_)} layers it was given (m = 1 "
            "to 10, λ = 0, 0.3, 0.7 and 2.5)."))
    extra = _d_globals(runs)

    def line(mistake: Any, text: str, probe: CallProbe) -> Any:
        Delta_l, Theta_l, m, lam = probe.args()
        return evaluate(text, Delta_l=Delta_l, Theta_l=Theta_l, m=m, lam=lam, **extra)

    mistake = name_mistake("d", runs, probes_, line, value=lambda r: r.value)
    r, p = wrong[0]
    got = np.asarray(r.value, dtype=float)
    text = [f"✘ On {p.title}, D⁽ˡ⁾ has the right shape, but not the right values."]
    if same(got[:, 0], p.expected[:, 0]) and not same(got[:, 1:], p.expected[:, 1:]):
        text.append("Its bias column j = 0 is right; the columns j ≠ 0 are not.")
    elif same(got[:, 1:], p.expected[:, 1:]):
        text.append("Only its bias column j = 0 is wrong.")
    text.append(mistake_text(mistake))
    if mistake is None:
        text.append(off_by("D⁽ˡ⁾", got, p.expected, lecture_indices=True) + ".")
    return Verdict(passed=False, step="d_terms", mistake=mistake.id if mistake else None,
                   printed=printed, message="\n  ".join(text))


register(Exercise(
    id=D_FROM_ACCUMULATORS, kind="function", name="d_from_accumulators",
    names=("Delta_l", "Theta_l", "m", "lam"), probes=d_probes, judge=judge_d, allowed=(),
    step="d_terms", fallback=lambda names: reference_d_from_accumulators))


def check_d_from_accumulators() -> Any:
    """The check cell of 05-d-from-accumulators: returns the function the cells below use
    (yours when it is right, otherwise the right one)."""
    return check(D_FROM_ACCUMULATORS)



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
    return check(PREDICTED_CHANGE)


# ---- end of 05-predicted-change ------------------------------------------------------------------


def check_backprop(function: Any) -> bool:
    """The capstone's check: :func:`feedback.check_backprop` on the student's
    ``backprop(Theta, X, Y, lam)``, its verdict reported under "05-backprop"."""
    return _check_backprop(function, exercise=BACKPROP)


def capstone_rules() -> str:
    """What the capstone's check allows and runs the student's ``backprop`` on, in two lines,
    read from the check's own data (never its problems' answers)."""
    from ..capstone_probes import ALLOWED, probes

    problems = probes()
    sizes = sorted({"-".join(map(str, q.sizes)) for q in problems}, key=lambda s: (s.count("-"), s))
    ms = ", ".join(str(m) for m in sorted({q.m for q in problems}))
    lams = ", ".join(f"{lam:g}" for lam in sorted({q.lam for q in problems}))
    return (f"package functions backprop may call: {', '.join(f'nb.{f.__name__}' for f in ALLOWED)}\n"
            f"the check runs it on {len(problems)} problems: layer sizes {', '.join(sizes)}; "
            f"m = {ms}; λ = {lams}")


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
