"""Notebook 06 (gradient checking): the check and hints of the two-sided difference.

``06-two-sided-difference``: ``two_sided_difference(J, Theta, l, row, col, epsilon)`` estimates
∂J/∂Θ⁽ˡ⁾ᵢⱼ for the one entry ``Theta[l][row, col]`` from J alone, (J(Θ + εE) − J(Θ − εE))/(2ε),
without changing Θ. J is an argument: the function may evaluate it (J is J(Θ) of a training
set, ``nb.cost`` with the data filled in) and calls no other function of the package.

The check runs it on entries of every layer of two networks, with ε from 10⁻⁴ to 10⁻², and
gives one entry to two different J's: an answer that returns the same number for both does
not evaluate J (an analytic or a stored gradient), and one that equals the backpropagation
slope on every problem is not a finite difference — both fail as a wrong method, even where
their numbers are close.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

import numpy as np

from ...cost import cost
from ...examples import lecture_network
from ...validation import Params, as_theta
from ..check_cell import check
from ..evidence import Run
from ..exercise import Exercise, register, register_hints
from ..judging import (
    CallProbe,
    common,
    failure_text,
    first_entry,
    name_mistake,
    printed_of,
    value_problem,
)
from ..steps import evaluate, gradient
from ..verdict import Verdict, same
from .pieces import mistake_text, network

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


def reference_two_sided_difference(J: Callable[[Params], float], Theta: Params, l: int,
                                   row: int, col: int, epsilon: float = 1e-4) -> float:
    """(J(Θ + εE) − J(Θ − εE))/(2ε) for the entry Theta[l][row, col]."""
    return (J(shifted(Theta, l, row, col, epsilon))
            - J(shifted(Theta, l, row, col, -epsilon))) / (2 * epsilon)


ENTRIES = {"lecture": [(1, 0, 0, 1e-2), (2, 3, 2, 1e-2), (3, 1, 4, 1e-3)],
           "small": [(1, 2, 1, 1e-2), (2, 1, 0, 1e-4), (2, 0, 3, 1e-3)]}
"""The entries (l, row, col, ε) asked for: every layer, bias and other columns."""


def probes(seed: int | None, notebook: Mapping[str, Any] | None = None) -> list[CallProbe]:
    """Entries of the lecture's network (m = 3, λ = 1) and of a 3-4-2 network (m = 3, λ = 0.7),
    and one entry of the lecture's Θ with the J of other examples and λ = 0.3. J is
    ``partial(nb.cost, X=…, Y=…, lam=…)``: data the grader can send anywhere."""
    rng = np.random.default_rng(6061 if seed is None else seed)
    if seed is None:
        p, q = lecture_network(3), lecture_network(6)
        Theta = {l: np.array(T, dtype=float) for l, T in p.Theta.items()}
        X, Y, X2, Y2 = p.X, p.Y, q.X[3:], q.Y[3:]
    else:
        Theta, X, Y = network((3, 5, 5, 4), 3, rng)
        _, X2, Y2 = network((3, 5, 5, 4), 3, rng)
    small, Xs, Ys = network((3, 4, 2), 3, rng)
    problems = [("the lecture's network (m = 3, λ = 1)", Theta, X, Y, 1.0, ENTRIES["lecture"]),
                ("a 3-4-2 network (m = 3, λ = 0.7)", small, Xs, Ys, 0.7, ENTRIES["small"]),
                ("the lecture's Θ with the J of three other examples and λ = 0.3", Theta, X2, Y2,
                 0.3, ENTRIES["lecture"][1:2])]
    out: list[CallProbe] = []
    for title, T, XX, YY, lam, entries in problems:
        J = partial(cost, X=np.array(XX, dtype=float), Y=np.array(YY, dtype=float), lam=lam)
        for l, row, col, eps in entries:
            D = gradient(T, XX, YY, lam)[l][row, col]
            out.append(CallProbe(
                title=f"{title}, the entry Theta[{l}][{row}, {col}] with ε = {eps:g}",
                arguments=(J, {k: v.copy() for k, v in T.items()}, l, row, col, eps),
                expected=reference_two_sided_difference(J, T, l, row, col, eps),
                extra={"D": float(D), "entry": (l, row, col, eps)}))
    # the entry that two J's are asked about: the same Θ, l, row, col and ε
    last = out[-1]
    partner = next(k for k, p in enumerate(out[:-1]) if p.extra["entry"] == last.extra["entry"])
    out[-1] = CallProbe(title=last.title, arguments=last.arguments, expected=last.expected,
                        extra={**last.extra, "partner": partner})
    return out


def _number(value: Any) -> float | None:
    try:
        v = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(v) if v.shape == () and np.isfinite(v) else None


def _method(runs: Sequence[Run], probes_: Sequence[CallProbe]) -> str | None:
    """Why the answer is not a finite difference of the J it is given, or None."""
    values = [None if r.failure is not None else _number(r.value) for r in runs]
    for k, p in enumerate(probes_):
        other = p.extra.get("partner")
        if other is None or values[k] is None or values[other] is None:
            continue
        if values[k] == values[other] and not same(p.expected, probes_[other].expected):
            return (f"two_sided_difference gives the very same number for two different J's "
                    f"(on {probes_[other].title}, and with the J of other examples): it does not "
                    "evaluate the J it is given. The estimate must come from J itself, evaluated "
                    "at Θ moved up and down by ε.")
    seen = [(v, p) for v, p in zip(values, probes_, strict=True) if v is not None]
    if seen and len(seen) == len(probes_) and all(same(v, p.extra["D"]) for v, p in seen) and any(
            not same(v, p.expected) for v, p in seen):
        return ("two_sided_difference returns the slope that backpropagation computes (the "
                "analytic D⁽ˡ⁾ᵢⱼ) on every problem, not a finite difference: a gradient check "
                "compares the two, so the estimate must come from J alone, evaluated at Θ moved "
                "up and down by ε.")
    return None


def judge(runs: Sequence[Run], probes_: Sequence[CallProbe]) -> Verdict:
    """The verdict on two_sided_difference from its runs (see the module's docstring)."""
    name_, printed = "two_sided_difference", printed_of(runs)
    early = common(runs, probes_, name=name_, hint_id=TWO_SIDED,
                   task="Evaluate the J you are given at two copies of Θ, one entry moved up "
                        "and down by ε.")
    if early is not None:
        return early
    method = _method(runs, probes_)
    if method is not None:
        return Verdict(passed=False, step="method", printed=printed, message="✘ " + method)
    for r, p in zip(runs, probes_, strict=True):
        if r.failure is not None:
            _, Theta, l, row, col, _ = p.args()
            text = failure_text(name_, r.failure, p, {})
            text += ("\n  Here Theta is a dict keyed by the layer numbers "
                     f"{', '.join(map(str, sorted(Theta)))}, holding arrays of shapes "
                     f"{', '.join(str(T.shape) for _, T in sorted(Theta.items()))}; the entry asked "
                     f"for is Theta[{l}][{row}, {col}] (l = {l}, row = {row}, col = {col}), and "
                     f"J(Theta) is one number.")
            return Verdict(passed=False, step="gradient_check", printed=printed, message=text)
    for r, p in zip(runs, probes_, strict=True):
        problem = value_problem("the estimate", r.value, np.asarray(p.expected), shape_why=(
            "it is one number, the slope of J along one weight"))
        if problem is not None:
            return Verdict(passed=False, step="gradient_check", printed=printed,
                           message=f"✘ On {p.title}: {problem}")
    wrong = [(r, p) for r, p in zip(runs, probes_, strict=True) if not same(r.value, p.expected)]
    if not wrong:
        return Verdict(passed=True, printed=printed, message=(
            f"✔ two_sided_difference is correct on all {len(probes_)} entries it was tried on "
            "(every layer of two networks, ε from 1e-4 to 1e-2), and leaves Θ as it was."))

    def line(mistake: Any, text: str, probe: CallProbe) -> Any:
        J, Theta, l, row, col, eps = probe.args()
        return evaluate(text, J=J, Theta=Theta, epsilon=eps,
                        plus=shifted(Theta, l, row, col, eps),
                        minus=shifted(Theta, l, row, col, -eps))

    mistake = name_mistake("two_sided", runs, probes_, line, value=lambda r: r.value)
    r, p = wrong[0]
    text = [f"✘ On {p.title}, the estimate is a number, but not the two-sided difference of J.",
            mistake_text(mistake)]
    if mistake is None:
        text.append(first_entry("Your estimate", r.value, p.expected) + ".")
    return Verdict(passed=False, step="gradient_check", mistake=mistake.id if mistake else None,
                   printed=printed, message="\n  ".join(text))


register(Exercise(
    id=TWO_SIDED, kind="function", name="two_sided_difference",
    names=("J", "Theta", "l", "row", "col", "epsilon"), probes=probes, judge=judge,
    allowed=(cost,), step="gradient_check",
    fallback=lambda names: reference_two_sided_difference))


def check_two_sided_difference() -> Any:
    """The check cell of 06-two-sided-difference: returns the function the cells below use
    (yours when it is right, otherwise the right one)."""
    return check(TWO_SIDED)


__all__ = ["TWO_SIDED", "check_two_sided_difference", "judge", "plot_epsilon_v", "plot_zoo",
           "probes", "reference_two_sided_difference", "shifted"]


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
