"""Notebook 01 · forward propagation: the checks and hints of its exercises.

``01-z2``: z⁽²⁾ = Θ⁽¹⁾a⁽¹⁾ for one example, in a top-level cell. ``01-forward``: forward propagation
as a function ``forward(Theta, x)`` returning h_Θ(x) = a⁽ᴸ⁾ for any number of layers.

The cell is run again on other networks and inputs, so that only a computation passes; the
function runs on networks of two to five layers whose sizes all differ. A mistake is named only
when the catalogue's line for it gives the student's very result (or stops the same way) on every
problem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ...activation import sigmoid
from ...examples import lecture_network, one_hot
from ...forward import forward_propagate
from ...validation import Params, layer_sizes, sup
from .. import mistakes as catalogue
from ..check_cell import check
from ..evidence import Run
from ..exercise import Exercise, register, register_hints
from ..judging import (
    CallProbe,
    CellProbe,
    common,
    failure_text,
    first_entry,
    name_mistake,
    printed_of,
    value_problem,
    wrong_values,
)
from ..recognize import best, identify, library
from ..steps import StepError, evaluate, run
from ..verdict import Verdict, same

Z2 = "01-z2"
FORWARD = "01-forward"


def sizes(Theta: Params) -> dict[int, int]:
    """s[l] = sₗ for the layers l = 1…L of Θ (1-based, like the lecture)."""
    return dict(enumerate(layer_sizes(Theta), start=1))


def _random_network(sizes_: Sequence[int], seed: int) -> tuple[Params, np.ndarray]:
    rng = np.random.default_rng(seed)
    Theta = {l: np.round(rng.uniform(-1, 1, size=(sizes_[l], sizes_[l - 1] + 1)), 2)
             for l in range(1, len(sizes_))}
    return Theta, np.round(rng.uniform(-0.95, 0.95, size=sizes_[0]), 2)


# --- exercise 01-z2 ----------------------------------------------------------------------------

def _z2_names(Theta: Params, x: np.ndarray) -> dict[str, Any]:
    """The names notebook 01 has defined when its z⁽²⁾ exercise comes, for Θ and x."""
    s = sizes(Theta)
    return {"Theta": Theta, "x": x, "a1": np.concatenate(([1.0], x)), "s": s, "L": len(s),
            "g": sigmoid}


def z2_probes(seed: int | None, notebook: Mapping[str, Any] | None) -> list[CellProbe]:
    """The notebook's own Θ and x (when given), then the lecture's network with two examples and
    a network of other sizes."""
    out = []
    if notebook and {"Theta", "x"} <= set(notebook):
        names = dict(notebook)
        x = np.asarray(names["x"], dtype=float)
        names.setdefault("a1", np.concatenate(([1.0], x)))
        out.append(CellProbe(title="the notebook's Θ and x", values=names, own=True,
                             expected=np.asarray(names["Theta"][1], dtype=float) @ names["a1"]))
    p = lecture_network(2)
    base = 101 if seed is None else seed
    for title, (Theta, x) in [("the lecture's network, example 1", (p.Theta, p.X[0])),
                              ("the lecture's network, example 2", (p.Theta, p.X[1])),
                              ("a network with 4 inputs and 6 units in layer 2",
                               _random_network((4, 6, 2), base))]:
        names = _z2_names(Theta, np.asarray(x, dtype=float))
        out.append(CellProbe(title=title, values=names, expected=Theta[1] @ names["a1"]))
    return out


def _cell_value(name: str) -> Any:
    def value(r: Run) -> Any:
        return r.value.get(name) if isinstance(r.value, dict) else None
    return value


def _cell_line(mistake: catalogue.Mistake, line: str, probe: CellProbe) -> Any:
    return evaluate(line, **probe.namespace())


def _crash_reproduced(runs: Sequence[Run], probes: Sequence[CellProbe], piece: str,
                      known: Any) -> catalogue.Mistake | None:
    """The one mistake of ``piece`` whose line stops like the student's cell on every probe,
    on operands that are the same quantities."""
    found = []
    for mistake in catalogue.of_piece(piece):
        for line in mistake.lines:
            ok = True
            for r, p in zip(runs, probes, strict=True):
                try:
                    evaluate(line, **p.namespace())
                except Exception as error:
                    if r.failure is None or type(error).__name__ != r.failure.type:
                        ok = False
                    elif _operands(r, p, known) != _variant_operands(line, p, known):
                        ok = False
                else:
                    ok = False
                if not ok:
                    break
            if ok:
                found.append(mistake)
                break
    return found[0] if len({m.id for m in found}) == 1 else None


def _quantities(probe: CellProbe) -> list[tuple[str, np.ndarray]]:
    """The notebook's arrays a cell may combine, by what they are."""
    v = probe.values
    out = [("x", np.asarray(v["x"], dtype=float)), ("a⁽¹⁾", np.asarray(v["a1"], dtype=float))]
    out += [(f"Θ{sup(l)}", np.asarray(T, dtype=float)) for l, T in v["Theta"].items()]
    out += [(f"(Θ{sup(l)})ᵀ", np.asarray(T, dtype=float).T) for l, T in v["Theta"].items()]
    return out


def _what(array: Any, probe: CellProbe) -> str | None:
    if not isinstance(array, np.ndarray):
        return None
    return next((label for label, q in _quantities(probe) if same(array, q)), None)


def _operands(r: Run, p: CellProbe, known: Any) -> frozenset[str | None]:
    assert r.failure is not None
    return frozenset(_what(o.value, p) for o in r.failure.operands)


def _variant_operands(line: str, p: CellProbe, known: Any) -> frozenset[str | None]:
    from ..evidence import failure_of
    try:
        evaluate(line, **p.namespace())
    except Exception as error:
        failure = failure_of(error, lambda f: f.startswith("<the line "))
        return frozenset(_what(o.value, p) for o in failure.operands)
    return frozenset()


def _constant(runs: Sequence[Run], value: Any) -> bool:
    """Whether a cell gives the very same numbers on every problem (they differ from problem to
    problem): typed in, not computed."""
    got = [value(r) for r in runs]
    try:
        arrays = [np.asarray(g, dtype=float) for g in got]
    except (TypeError, ValueError):
        return False
    return len(arrays) > 1 and all(a.shape == arrays[0].shape and np.array_equal(a, arrays[0])
                                   for a in arrays)


def judge_z2(runs: Sequence[Run], probes: Sequence[CellProbe]) -> Verdict:
    """z⁽²⁾ on every probe: stopped, shape, values; a mistake named when its line reproduces."""
    printed = printed_of(runs)
    early = common(runs, probes, name="z2", hint_id=Z2,
                   task="Compute z⁽²⁾ = Θ⁽¹⁾a⁽¹⁾ with numpy, from Theta and a1.")
    if early is not None:
        return early
    value = _cell_value("z2")
    for r, p in zip(runs, probes, strict=True):
        if r.failure is not None:
            text = failure_text("your z2 cell", r.failure, p)
            shapes = [f"{label} has shape {tuple(q.shape)}" for label, q in _quantities(p)[:3]]
            text += "\n  On this problem " + ", ".join(shapes) + "."
            mistake = _crash_reproduced(runs, probes, "z2", None)
            if mistake is not None:
                text += f"\n  The mistake: {mistake.title} — {mistake.explanation}."
            return Verdict(passed=False, step="forward", mistake=mistake.id if mistake else None,
                           message=text, printed=printed)
        if "z2" not in r.value:
            return Verdict(passed=False, step="forward", printed=printed, message=(
                "✘ your cell does not assign z2: write `z2 = …` in the exercise cell."))
    if _constant(runs, value):
        return Verdict(passed=False, step="forward", printed=printed, message=(
            "✘ z2 is the same on every problem the check tried, whatever Θ and x are: it is "
            "not computed from them (typed in?). Compute it from Theta and a1."))
    for r, p in zip(runs, probes, strict=True):
        problem = value_problem("z2", value(r), p.expected, shape_why=(
            f"Θ⁽¹⁾ has {p.expected.shape[0]} rows, one per unit of layer 2, so z⁽²⁾ has "
            f"{p.expected.shape[0]} entries"))
        if problem is not None:
            got, Theta1 = value(r), np.asarray(p.values["Theta"][1], dtype=float)
            if same(got, (Theta1 * p.values["a1"]).sum(axis=0)):
                problem += (" It holds one sum per column of Θ⁽¹⁾ (entry by entry, then summed "
                            "down each column), where z⁽²⁾ has one sum per row.")
            return Verdict(passed=False, step="forward", printed=printed,
                           message=f"✘ on {p.title}: {problem}")
    wrong = [(r, p) for r, p in zip(runs, probes, strict=True) if not same(value(r), p.expected)]
    if not wrong:
        return Verdict(passed=True, printed=printed, message=(
            f"✔ z⁽²⁾ is correct, on the notebook's values and on {len(probes) - 1} other problems."))
    mistake = name_mistake("z2", runs, probes, _cell_line, value=value)
    r, p = wrong[0]
    if mistake is None and len({np.asarray(value(q)).tobytes() for q in runs}) == 1:
        return Verdict(passed=False, step="forward", printed=printed, message=(
            "✘ z⁽²⁾ is the same on every problem the check tried, whatever Θ and x are: it is "
            "not computed from them (typed in?). Compute it from Theta and a1."))
    right_own = same(value(runs[0]), probes[0].expected)
    entry = first_entry("z⁽²⁾", value(r), p.expected)
    text = wrong_values("z⁽²⁾", mistake, f"On {p.title}, {entry}")
    if right_own:
        text += (f"\n  (It is right on {probes[0].title}, but not on {p.title}: the cell must "
                 "compute it from the names, not fit one problem.)")
    return Verdict(passed=False, step="forward", mistake=mistake.id if mistake else None,
                   message=text, printed=printed)


register(Exercise(
    id=Z2, kind="cell", name="z⁽²⁾", names=("z2",), reads=("Theta", "a1", "x"),
    probes=z2_probes, judge=judge_z2, allowed=(sigmoid,), step="forward", short=True,
    fallback=lambda names: forward_propagate(names["Theta"], names["x"]).z[2]))


def check_z2() -> Any:
    """The check cell of 01-z2: reads the exercise cell, prints the verdict, returns z⁽²⁾ for the
    cells below (yours when it is right)."""
    return check(Z2)


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

FORWARD_NETWORKS = {"the lecture's 3-5-5-4 network": None, "a 2-layer 3-2 network": (3, 2),
                    "a 3-layer 3-5-2 network": (3, 5, 2), "a 5-layer 3-5-7-9-2 network":
                    (3, 5, 7, 9, 2)}


def forward_probes(seed: int | None, notebook: Mapping[str, Any] | None) -> list[CallProbe]:
    """The lecture's network (two examples) and networks of 2, 3 and 5 layers of other sizes."""
    out = []
    base = 201 if seed is None else seed
    for k, (title, shape) in enumerate(FORWARD_NETWORKS.items()):
        if shape is None:
            p = lecture_network(2)
            pairs = [(p.Theta, p.X[0]), (p.Theta, p.X[1])]
        else:
            pairs = [_random_network(shape, base + k)]
        for i, (Theta, x) in enumerate(pairs):
            which = f", example {i + 1}" if len(pairs) > 1 else ""
            out.append(CallProbe(title=title + which, arguments=(Theta, x),
                                 expected=forward_propagate(Theta, x).h))
    return out


def _forward_trace(probe: CallProbe, replace: Mapping[str, str] | None = None) -> Any:
    Theta, x = probe.args()
    K = Theta[max(Theta)].shape[0]
    return run(Theta, np.asarray(x, dtype=float)[None, :], one_hot([0], K), 0.0, replace)


def _forward_line(mistake: catalogue.Mistake, line: str, probe: CallProbe) -> Any:
    trace = _forward_trace(probe, {mistake.piece: line})
    return trace.examples[0].a[len(probe.args()[0]) + 1]


def _recognized(value: Any, probe: CallProbe) -> str | None:
    """What a wrong-shaped result is, when it is one of the forward pass's quantities."""
    trace = _forward_trace(probe)
    known = best(identify(np.asarray(value, dtype=float) if isinstance(value, np.ndarray)
                          else value, library(probe.args()[0], trace)))
    return known.label if known is not None else None


def judge_forward(runs: Sequence[Run], probes: Sequence[CallProbe]) -> Verdict:
    """h_Θ(x) on every probe; a forward mistake named when its line reproduces everything."""
    name, printed = "forward", printed_of(runs)
    early = common(runs, probes, name="forward", hint_id=FORWARD,
                   task="Write the two steps of each layer yourself: the bias unit, Θ⁽ˡ⁾ times "
                        "the activations, g.")
    if early is not None:
        return early
    pieces = ("bias", "weigh", "activate")
    for r, p in zip(runs, probes, strict=True):
        if r.failure is not None:
            text = failure_text(name, r.failure, p)
            Theta = p.args()[0]
            text += ("\n  On this network " + ", ".join(
                f"Θ{sup(l)} is {T.shape[0]} × {T.shape[1]}" for l, T in Theta.items())
                + ": Θ⁽ˡ⁾ multiplies a⁽ˡ⁾ with its bias unit a₀ = 1 in front (sₗ + 1 entries).")
            if r.failure.type == "KeyError":
                text += (f"\n  Θ has keys 1…{len(Theta)} here: take the number of layers from "
                         "len(Theta), so that forward works for any depth.")
            mistake = _forward_crash(runs, probes, pieces)
            if mistake is not None:
                text += f"\n  The mistake: {mistake.title} — {mistake.explanation}."
            return Verdict(passed=False, step="forward", mistake=mistake.id if mistake else None,
                           message=text, printed=printed)
    for r, p in zip(runs, probes, strict=True):
        problem = value_problem("forward(Theta, x)", r.value, p.expected, shape_why=(
            f"a⁽ᴸ⁾ has one entry per output unit ({p.expected.shape[0]} here) and no bias unit"))
        if problem is not None:
            what = _recognized(r.value, p)
            if what:
                problem += f" It is {what}"
                problem += (": the loop stops before the last Θ⁽ˡ⁾; it must use every one of "
                            "them, l = 1 … len(Theta)." if "a⁽ᴸ⁾" not in what
                            and "h_Θ" not in what else ".")
            return Verdict(passed=False, step="forward", printed=printed,
                           message=f"✘ on {p.title}: {problem}")
    wrong = [(r, p) for r, p in zip(runs, probes, strict=True) if not same(r.value, p.expected)]
    if not wrong:
        return Verdict(passed=True, printed=printed, message=(
            f"✔ forward is correct on all {len(probes)} problems (networks of 2 to 5 layers)."))
    mistake = name_mistake(pieces, runs, probes, _forward_line, value=lambda r: r.value)
    r, p = wrong[0]
    entry = first_entry("h_Θ(x)", r.value, p.expected)
    text = wrong_values("forward(Theta, x)", mistake, f"On {p.title}, {entry}")
    right = [q.title for q, (rr) in zip(probes, runs, strict=True) if same(rr.value, q.expected)]
    if right:
        text += f"\n  (It is right on {right[0]}: the mistake hides there.)"
    return Verdict(passed=False, step="forward", mistake=mistake.id if mistake else None,
                   message=text, printed=printed)


def _forward_crash(runs: Sequence[Run], probes: Sequence[CallProbe],
                   pieces: Sequence[str]) -> catalogue.Mistake | None:
    """The one forward mistake whose line stops (or runs) like the student's code on every
    probe, stopping in the same layer."""
    found = []
    for mistake in [m for m in catalogue.CATALOGUE if m.piece in pieces]:
        for line in mistake.lines:
            ok = True
            for r, p in zip(runs, probes, strict=True):
                try:
                    got = _forward_line(mistake, line, p)
                except StepError as error:
                    ok = r.failure is not None and type(error.error).__name__ == r.failure.type
                else:
                    ok = r.failure is None and same(r.value, got)
                if not ok:
                    break
            if ok:
                found.append(mistake)
                break
    return found[0] if len({m.id for m in found}) == 1 else None


register(Exercise(
    id=FORWARD, kind="function", name="forward", names=("Theta", "x"),
    probes=forward_probes, judge=judge_forward, allowed=(sigmoid,), step="forward",
    fallback=lambda names: reference_forward))


def reference_forward(Theta: Params, x: Any) -> np.ndarray:
    """h_Θ(x), by the package."""
    return forward_propagate(Theta, x).h


def check_forward() -> Any:
    """The check cell of 01-forward: returns the function the cells below use (yours when it is
    right, otherwise the package's)."""
    return check(FORWARD)


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

__all__ = ["FORWARD", "Z2", "check_forward", "check_z2", "forward_probes", "judge_forward",
           "judge_z2", "reference_forward", "sizes", "z2_probes"]
