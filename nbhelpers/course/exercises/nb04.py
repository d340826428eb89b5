"""Notebook 04 · accumulators Δ⁽ˡ⁾: the derivation's numeric check, the check of the loop over
the examples, and hints.

``04-accumulate``: a top-level cell fills ``Delta``, one accumulator per layer keyed like Θ, with
the lecture's loop: Δ⁽ˡ⁾ := 0, then for each example steps 1–4 (``nb.backprop_example``, which
the cell may call; no other function of the package) and step 5, Δ⁽ˡ⁾ := Δ⁽ˡ⁾ + δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ
for every layer.

The cell is run again on the notebook's own Θ, X and Y and on networks of two to four layers
whose sizes differ, with three to five distinct examples. A wrong Δ is located at its first
wrong layer and described by the examples' shares it is made of (δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ of each
example, with the weight it got); a catalogue mistake is named only when the loop with its
line gives the student's very Δ (or stops the same way) on every problem where it makes a
difference.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import FunctionType, ModuleType
from typing import Any

import numpy as np

from ... import cost
from ...accumulate import accumulate
from ...delta import backprop_example
from ...examples import Problem, lecture_network
from ...validation import Params, as_theta, sup
from ..check_cell import check
from ..evidence import Run
from ..exercise import Exercise, register, register_hints
from ..judging import CellProbe, common, failure_text, printed_of
from ..verdict import Verdict, off_by, same
from .pieces import LoopProblem, locate, meanings, mistake_text, name, network

ACCUMULATE = "04-accumulate"
NAMES = ("p", "Theta", "X", "Y", "L", "m", "s", "bp", "l", "i", "j", "share", "product",
         "slope", "gap")
"""The notebook's names an exercise cell may read (defined by the cells before it)."""

register_hints(ACCUMULATE, [
    "Δ⁽ˡ⁾ starts at zero for every layer, with Θ⁽ˡ⁾'s shape, in a dict keyed like Θ. Then one "
    "pass over the training set: for each example (x⁽ⁱ⁾, y⁽ⁱ⁾) the steps 1–4 give every a⁽ˡ⁾ "
    "and δ⁽ˡ⁺¹⁾, and step 5 adds that example's share δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ to every Δ⁽ˡ⁾. Two loops: "
    "examples outside, layers inside.",
    "Δ⁽ˡ⁾ is s₍ₗ₊₁₎ × (sₗ + 1), like Θ⁽ˡ⁾. For one example, a⁽ˡ⁾ has sₗ + 1 entries (a₀ = 1 "
    "first) and δ⁽ˡ⁺¹⁾ has s₍ₗ₊₁₎ entries (no bias entry). Of the two orders of the outer "
    "product, only one gives s₍ₗ₊₁₎ rows. Example i (i = 1…m) is row i − 1 of X and Y.",
    "Delta = {l: np.zeros_like(___) for l, T in Theta.items()}\n"
    "for i in range(1, m + 1):                      # example i is row i − 1\n"
    "    bp = nb.backprop_example(Theta, X[___], Y[___])\n"
    "    for l in Delta:\n"
    "        Delta[l] ___ np.outer(___, ___)",
])


# ---- the check of the loop ------------------------------------------------------------------------

def _names(problem: LoopProblem) -> dict[str, Any]:
    """The names notebook 04 has defined when its exercise comes, for a problem."""
    Theta, X, Y = problem.Theta, problem.X, problem.Y
    bp = backprop_example(Theta, X[0], Y[0])
    last = max(Theta)
    return {"p": Problem(Theta, X, Y), "Theta": Theta, "X": X, "Y": Y, "L": problem.L,
            "m": problem.m, "s": dict(enumerate(problem.sizes, start=1)), "bp": bp, "l": last,
            "i": 3, "j": 4, "share": np.outer(bp.delta[last + 1], bp.a[last])}


def _probe(problem: LoopProblem, values: Mapping[str, Any] | None = None, *,
           own: bool = False) -> CellProbe:
    return CellProbe(title=problem.title, values=dict(values or _names(problem)), own=own,
                     expected=dict(problem.trace.Delta), extra={"problem": problem})


def probes(seed: int | None, notebook: Mapping[str, Any] | None) -> list[CellProbe]:
    """The notebook's own Θ, X and Y (when given), then the lecture's network with four
    examples and networks of 2 and 4 layers of other sizes with five and three examples."""
    out = []
    # the notebook's modules and functions (nb04, a helper of the student's, …) reach every
    # problem as they are; of its data only the names the cells before the exercise define
    code = {k: v for k, v in (notebook or {}).items()
            if isinstance(v, ModuleType | FunctionType) and not k.startswith("_")}
    if notebook and {"Theta", "X", "Y"} <= set(notebook):
        Theta = {l: np.array(T, dtype=float) for l, T in as_theta(notebook["Theta"]).items()}
        problem = LoopProblem(title="the notebook's Θ, X and Y", Theta=Theta,
                              X=np.array(notebook["X"], dtype=float),
                              Y=np.array(notebook["Y"], dtype=float))
        values = {**_names(problem), **{k: notebook[k] for k in NAMES if k in notebook}}
        out.append(_probe(problem, {**code, **values}, own=True))
    rng = np.random.default_rng(4041 if seed is None else seed)
    if not out:
        p = lecture_network(4)
        Theta, X, Y = (({l: np.array(T, dtype=float) for l, T in p.Theta.items()}, p.X, p.Y)
                       if seed is None else network((3, 5, 5, 4), 4, rng))
        out.append(_probe(LoopProblem(title="the lecture's network with m = 4 examples",
                                      Theta=Theta, X=np.array(X, dtype=float),
                                      Y=np.array(Y, dtype=float))))
    for sizes, m in (((4, 3, 2), 5), ((2, 5, 7, 3), 3), ((3, 2), 4)):
        Theta, X, Y = network(sizes, m, rng)
        problem = LoopProblem(
            title=f"a {len(sizes)}-layer {'-'.join(map(str, sizes))} network with m = {m} "
                  "examples", Theta=Theta, X=X, Y=Y)
        out.append(_probe(problem, {**code, **_names(problem)}))
    return out


def _problem(probe: CellProbe) -> LoopProblem:
    return probe.extra["problem"]


def _delta_of(r: Run) -> Any:
    return r.value.get("Delta") if isinstance(r.value, dict) else None


def _trace_value(trace: Any) -> Any:
    return trace.Delta


def _container_problem(value: Any, probe: CellProbe) -> str | None:
    """What is wrong with Delta as a container (its type, keys or entries), or None."""
    want = probe.expected
    keys = sorted(want)
    wanted = f"a dict keyed like Θ, with Delta[l] = Δ⁽ˡ⁾ for l = {keys[0]}…{keys[-1]}"
    if not isinstance(value, Mapping):
        kind = type(value).__name__
        extra = " (a list counts from 0, the lecture's layers from 1)" if isinstance(
            value, list | tuple) else ""
        return f"Delta is a {kind}{extra}; it must be {wanted}."
    got = sorted(value, key=repr)
    if set(value) == {k - 1 for k in want}:
        return (f"Delta has the keys {got}, counted from 0; Δ⁽ˡ⁾ belongs to Θ⁽ˡ⁾, so the keys are "
                f"the lecture's {keys}.")
    if set(value) != set(want):
        return f"Delta has the keys {got}; it needs exactly the keys of Θ, {keys}."
    for l in keys:
        v = value[l]
        if v is None or isinstance(v, str | bytes | Mapping):
            return f"Delta[{l}] is a {type(v).__name__}, not an array of numbers."
        try:
            arr = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            return f"Delta[{l}] is a {type(v).__name__}, not an array of numbers."
        rows, cols = want[l].shape
        if arr.shape != want[l].shape:
            text = (f"Δ{sup(l)} has shape {arr.shape}, but it has one entry per weight of "
                    f"Θ{sup(l)}: {rows} rows (the units of layer {l + 1}, from δ{sup(l + 1)}) × "
                    f"{cols} columns (the bias unit and the units of layer {l}, from a{sup(l)})")
            if arr.shape == (cols, rows):
                text += "; it is transposed: its rows are the columns it should have"
            elif arr.shape == (rows, cols - 1) and same(arr, want[l][:, 1:]):
                text += ("; its columns are those of Δ" + sup(l) + " without column 0, the bias "
                         "weights' share (a₀ = 1 times δ" + sup(l + 1) + ")")
            elif arr.shape == (rows, cols - 1):
                text += "; it has one column too few"
            elif arr.shape == ():
                text += "; it is a single number"
            return text + "."
        if not np.all(np.isfinite(arr)):
            return f"Δ{sup(l)} contains NaN or inf."
    return None


def _shares_fact(value: Mapping[int, Any], problem: LoopProblem) -> str:
    """How a wrong Δ is made of the examples' shares δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ, for its first wrong layer:
    which examples it holds and how many times (each should be there once); "" when it is no
    combination of them."""
    exs = problem.trace.examples
    for l in sorted(problem.Theta):
        got = np.asarray(value[l], dtype=float)
        if same(got, problem.trace.Delta[l]):
            continue
        if not np.any(got):
            return f"Δ{sup(l)} is all zeros: nothing was added to it."
        S = np.array([np.outer(e.delta[l + 1], e.a[l]).ravel() for e in exs]).T
        c = np.linalg.lstsq(S, got.ravel(), rcond=None)[0]
        if not same(S @ c, got.ravel(), rtol=1e-8, atol=1e-11):
            return ""
        c = np.where(np.abs(c) < 1e-9, 0.0, c)
        used = [k + 1 for k in range(len(c)) if c[k] != 0]
        if np.allclose(c, c[0], rtol=1e-8) and c[0] != 0:
            return (f"Δ{sup(l)} is {c[0]:.3g} times the sum of the {len(c)} examples' shares "
                    f"δ{sup(l + 1)}(a{sup(l)})ᵀ, which it should hold once each.")
        weights = ", ".join(f"{v:.3g}" for v in c)
        if len(used) == 1:
            k = used[0]
            times = "once" if np.isclose(c[k - 1], 1.0) else f"{c[k - 1]:.3g} times"
            return (f"Δ{sup(l)} holds the share δ{sup(l + 1)}(a{sup(l)})ᵀ of example {k} only "
                    f"({times}), out of the {len(c)} examples.")
        return (f"Δ{sup(l)} is a sum of the examples' shares δ{sup(l + 1)}(a{sup(l)})ᵀ with the "
                f"weights ({weights}) for examples 1…{len(c)}, where each should count once.")
    return ""


def _constant(runs: Sequence[Run]) -> bool:
    """Whether the cell leaves the very same Δ on every problem, whatever Θ, X and Y are."""
    found = [_delta_of(r) for r in runs]
    first = found[0]
    if len(found) < 2 or not isinstance(first, Mapping):
        return False
    try:
        return all(isinstance(D, Mapping) and set(D) == set(first)
                   and all(np.array_equal(np.asarray(D[l], dtype=float),
                                          np.asarray(first[l], dtype=float)) for l in first)
                   for D in found[1:])
    except (TypeError, ValueError):
        return False


def judge(runs: Sequence[Run], probes_: Sequence[CellProbe]) -> Verdict:
    """The verdict on the Delta cell from its runs (see the module's docstring)."""
    printed = printed_of(runs)
    early = common(runs, probes_, name="your Delta cell", hint_id=ACCUMULATE,
                   task="The loop is the exercise: start every Δ⁽ˡ⁾ at zero, and for each "
                        "example run steps 1–4 with nb.backprop_example, then add its share "
                        "to every Δ⁽ˡ⁾ yourself.")
    if early is not None:
        return early
    problems = [_problem(p) for p in probes_]

    def verdict(**fields: Any) -> Verdict:
        return Verdict(passed=False, printed=printed, step="accumulate", **fields)

    for r, p in zip(runs, probes_, strict=True):
        if r.failure is None:
            continue
        problem = _problem(p)
        _, layer = locate(r.failure, problem)
        text = failure_text("your Delta cell", r.failure, p, meanings(r.failure, problem))
        text += f"\n  On this problem {problem.theta_shapes()}, and m = {problem.m}."
        if r.failure.type == "KeyError" and r.failure.key is not None:
            text += (f"\n  The missing key is {r.failure.key!r}. backprop_example's .a has the "
                     f"layers 1…{problem.L}, its .z and .delta only 2…{problem.L} (there is no "
                     "δ⁽¹⁾); Θ and Δ have the layers "
                     f"1…{problem.L - 1}.")
        mistake = name(("accumulate",), runs, problems, trace_value=_trace_value,
                       run_value=_delta_of)
        if mistake is not None:
            text += "\n  " + mistake_text(mistake)
        return verdict(layer=layer, mistake=mistake.id if mistake else None, message=text)
    if any("Delta" not in r.value for r in runs):
        return verdict(message="✘ your cell does not assign Delta: the loop must leave the "
                               "accumulators in a dict named Delta.")
    if _constant(runs):
        return verdict(message=(
            "✘ Δ is the same on every problem the check tried, whatever Θ, X and Y are: it is "
            "not computed from them (typed in?). Compute it with the loop over the examples."))
    for r, p in zip(runs, probes_, strict=True):
        problem_text = _container_problem(_delta_of(r), p)
        if problem_text is not None:
            text = f"✘ On {p.title}: {problem_text}"
            mistake = None
            if problem_text.startswith("Δ"):          # the dict is right, one Δ⁽ˡ⁾'s shape is not
                mistake = name(("accumulate",), runs, problems, trace_value=_trace_value,
                               run_value=_delta_of)
                if mistake is not None:
                    text += "\n  " + mistake_text(mistake)
            return verdict(mistake=mistake.id if mistake else None, message=text)
    wrong = [(r, p) for r, p in zip(runs, probes_, strict=True)
             if not all(same(_delta_of(r)[l], p.expected[l]) for l in p.expected)]
    if not wrong:
        others = len(probes_) - (1 if probes_[0].own else 0)
        start = "on the notebook's values and " if probes_[0].own else ""
        return Verdict(passed=True, printed=printed, message=(
            f"✔ Δ is correct for every layer, {start}on {others} other problems (networks of 2 "
            "to 4 layers, 3 to 5 examples)."))
    r, p = wrong[0]
    D = _delta_of(r)
    problem = _problem(p)
    l = next(l for l in sorted(p.expected) if not same(D[l], p.expected[l]))
    mistake = name(("accumulate",), runs, problems, trace_value=_trace_value,
                   run_value=_delta_of)
    text = [f"✘ On {p.title}, Δ{sup(l)} has the right shape, but not the right values."]
    fact = _shares_fact(D, problem)
    if fact:
        text.append(fact)
    text.append(mistake_text(mistake))
    if mistake is None and not fact:
        text.append(off_by(f"Δ{sup(l)}", D[l], p.expected[l], lecture_indices=True) + ".")
    right_own = probes_[0].own and all(same(_delta_of(runs[0])[k], probes_[0].expected[k])
                                       for k in probes_[0].expected)
    if right_own:
        text.append(f"(It is right on {probes_[0].title}, but not on {p.title}: the cell must "
                    "compute Δ from Θ, X and Y, not fit one problem.)")
    return verdict(layer=l, mistake=mistake.id if mistake else None, message="\n  ".join(text))


register(Exercise(
    id=ACCUMULATE, kind="cell", name="Δ", names=("Delta",), reads=("Theta", "X", "Y", "m"),
    probes=probes, judge=judge, allowed=(backprop_example,), step="accumulate",
    fallback=lambda names: dict(accumulate(names["Theta"], names["X"], names["Y"]))))


def check_accumulators() -> Any:
    """The check cell of 04-accumulate: reads the exercise cell, prints the verdict, returns Δ
    for the cells below (yours when it is right)."""
    return check(ACCUMULATE)


# ---- the derivation of step 5, checked with numbers ------------------------------------------------

def one_example_cost(Theta: Any, x: Any, y: Any) -> float:
    """c, the cost of the single example (x, y): J(Θ) with m = 1 and λ = 0."""
    return cost(Theta, np.atleast_2d(x), np.atleast_2d(y))


def slope_of_c(Theta: Any, x: Any, y: Any, l: int, i: int, j: int, epsilon: float = 1e-5) -> float:
    """∂c/∂Θ⁽ˡ⁾ᵢⱼ by a two-sided difference, with the lecture's i (1…s₍ₗ₊₁₎) and j (0…sₗ)."""
    Theta = as_theta(Theta)
    up = {k: T.copy() for k, T in Theta.items()}
    down = {k: T.copy() for k, T in Theta.items()}
    up[l][i - 1, j] += epsilon
    down[l][i - 1, j] -= epsilon
    return (one_example_cost(up, x, y) - one_example_cost(down, x, y)) / (2 * epsilon)


def largest_gap_to_finite_differences(share: Any, Theta: Any, x: Any, y: Any, l: int) -> float:
    """The largest |share − ∂c/∂Θ⁽ˡ⁾| over every entry of layer l (finite differences of c)."""
    Theta = as_theta(Theta)
    share = np.asarray(share, dtype=float)
    rows, cols = Theta[l].shape
    slopes = np.array([[slope_of_c(Theta, x, y, l, i, j) for j in range(cols)]
                       for i in range(1, rows + 1)])
    return float(np.max(np.abs(share - slopes)))


def _shares(Theta: Params, X: np.ndarray, Y: np.ndarray) -> list[Params]:
    out = []
    for x, y in zip(X, Y, strict=True):
        bp = backprop_example(Theta, x, y)
        out.append({l: np.outer(bp.delta[l + 1], bp.a[l]) for l in Theta})
    return out


def shares(Theta: Any, X: Any, Y: Any, l: int) -> list[np.ndarray]:
    """Each example's share δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ of layer l, in the order of the examples."""
    Theta = as_theta(Theta)
    return [s[l] for s in _shares(Theta, np.asarray(X, dtype=float), np.asarray(Y, dtype=float))]


def share_ranks(Theta: Any, X: Any, Y: Any, l: int) -> tuple[list[int], int]:
    """The matrix rank of each example's share δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ, and of their sum Δ⁽ˡ⁾."""
    Theta = as_theta(Theta)
    shares = _shares(Theta, np.asarray(X, dtype=float), np.asarray(Y, dtype=float))
    ranks = [int(np.linalg.matrix_rank(s[l])) for s in shares]
    return ranks, int(np.linalg.matrix_rank(sum(s[l] for s in shares)))


__all__ = ["ACCUMULATE", "check_accumulators", "judge", "largest_gap_to_finite_differences",
           "one_example_cost", "plot_shares", "probes", "share_ranks", "shares", "slope_of_c"]


def plot_shares(Theta: Any, X: Any, Y: Any, l: int) -> Any:
    """One heat map per example's share δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ, then their sum Δ⁽ˡ⁾, on one colour scale,
    each titled with its matrix rank."""
    import matplotlib.pyplot as plt

    parts = shares(Theta, X, Y, l)
    panels = [(f"example {k}", s) for k, s in enumerate(parts, 1)]
    panels.append((f"Δ{sup(l)} = their sum", sum(parts)))
    vmax = max(float(np.abs(M).max()) for _, M in panels)
    rows, cols = parts[0].shape
    fig, axes = plt.subplots(1, len(panels), figsize=(3.3 * len(panels), 3.6), layout="constrained")
    for ax, (title, M) in zip(axes, panels, strict=True):
        im = ax.imshow(M, cmap="RdBu", vmin=-vmax, vmax=vmax)
        ax.set_title(f"{title}\nrank {np.linalg.matrix_rank(M)}", fontsize=12)
        ax.set_xticks(range(cols))
        ax.set_yticks(range(rows), labels=range(1, rows + 1))
    axes[0].set_xlabel(f"unit of layer {l} (0: bias)")
    axes[0].set_ylabel(f"unit of layer {l + 1}")
    fig.colorbar(im, ax=axes, shrink=0.8)
    return fig
