"""Notebook 03 · delta terms: the check and hints of its exercise.

``03-deltas``: the student writes ``deltas(Theta, a, z, y)``, every δ⁽ˡ⁾ of one example in a dict
keyed by the lecture's layer numbers: δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y, then δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ .* g′(z⁽ˡ⁾) for
l = L − 1, …, 2, the bias entry δ₀ left out. It may call g and g′ (``nb.sigmoid``,
``nb.sigmoid_gradient``) and no other function of the package.

The check runs the function on one example of networks of two to five layers whose sizes all
differ (so that a missing transpose cannot fit), the lecture's among them, and on one network
whose layers all have three units (where a wrong Θ or a missing transpose runs, so that its
numbers can be compared). It locates the first δ⁽ˡ⁾, from the output back, that is wrong — or
the step where the code stopped, read from the values it was working on — and names a catalogue
mistake only when the loop with that mistake's line gives the student's very δ's (or stops the
same way) on every problem where the line makes a difference.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ...activation import sigmoid, sigmoid_gradient
from ...examples import lecture_network
from ...validation import Params, sub, sup
from ..check_cell import check
from ..evidence import Run
from ..exercise import Exercise, register, register_hints
from ..judging import CallProbe, common, failure_text, printed_of
from ..verdict import Verdict, off_by, same
from .pieces import (
    AFTER_THE_DELTAS,
    LoopProblem,
    locate,
    meanings,
    mistake_text,
    name,
    network,
)

DELTAS = "03-deltas"

NETWORKS: dict[str, tuple[int, ...] | None] = {
    "lecture": None,
    "two": (3, 2),
    "three": (4, 6, 3),
    "five": (3, 5, 7, 9, 2),
    "square": (3, 3, 3, 3, 3),
}
"""The probe networks: the lecture's (two examples), 2, 3 and 5 layers of sizes that differ, and
five layers of 3 units each."""


def reference_deltas(Theta: Params, a: Mapping[int, np.ndarray], z: Mapping[int, np.ndarray],
                     y: Any) -> dict[int, np.ndarray]:
    """Every δ⁽ˡ⁾ of one example, l = L, L − 1, …, 2, keyed by layer number."""
    L = len(Theta) + 1
    delta = {L: np.asarray(a[L], dtype=float) - np.asarray(y, dtype=float)}
    for l in range(L - 1, 1, -1):
        delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * sigmoid_gradient(z[l])
    return delta


class Probe(CallProbe):
    """One example on one network: the arguments (Θ, a, z, y) and the loop's problem."""

    @property
    def problem(self) -> LoopProblem:
        return self.extra["problem"]


def _probe(problem: LoopProblem) -> Probe:
    ex = problem.trace.examples[0]
    a = {l: v.copy() for l, v in ex.a.items()}
    z = {l: v.copy() for l, v in ex.z.items()}
    return Probe(title=problem.title, arguments=(problem.Theta, a, z, ex.y.copy()),
                 expected=dict(ex.delta), extra={"problem": problem})


def probes(seed: int | None, notebook: Mapping[str, Any] | None = None) -> list[Probe]:
    """Examples 1 and 2 of the lecture's network, one example of a 2-, 3- and 5-layer network
    of other sizes, and one of a 5-layer network whose layers all have 3 units."""
    rng = np.random.default_rng(3031 if seed is None else seed)
    out = []
    for key, sizes in NETWORKS.items():
        if sizes is None:
            p = lecture_network(2)
            if seed is None:
                Theta = {l: np.array(T, dtype=float) for l, T in p.Theta.items()}
                X, Y = np.array(p.X, dtype=float), np.array(p.Y, dtype=float)
            else:
                Theta, X, Y = network((3, 5, 5, 4), 2, rng)
            for i in range(2):
                out.append(_probe(LoopProblem(
                    title=f"the lecture's 3-5-5-4 network, example {i + 1}", Theta=Theta,
                    X=X[i:i + 1], Y=Y[i:i + 1])))
            continue
        Theta, X, Y = network(sizes, 1, rng, labels=[1 % sizes[-1]])
        what = ("whose layers all have 3 units" if key == "square"
                else "-".join(map(str, sizes)))
        out.append(_probe(LoopProblem(
            title=f"a {len(sizes)}-layer network {what}", Theta=Theta, X=X, Y=Y)))
    return out


# ---- what the returned dict is --------------------------------------------------------------------

def _return_problem(value: Any, probe: Probe) -> str | None:
    """What is wrong with the returned object itself (its type, keys or entries), or None."""
    L = probe.problem.L
    want = probe.expected
    keys = sorted(want)
    wanted = (f"a dict keyed by the lecture's layer numbers, {{{L}: δ{sup(L)}, …, 2: δ⁽²⁾}}, so "
              "that delta[l] is δ⁽ˡ⁾")
    if value is None:
        return f"deltas returns None: it must end with `return` and {wanted}."
    if not isinstance(value, Mapping):
        kind = type(value).__name__
        article = "an" if kind[:1] in "aeiou" else "a"
        extra = " (a list counts from 0, the lecture's layers from 1)" if isinstance(
            value, list | tuple) else ""
        return f"deltas returns {article} {kind}{extra}; it must return {wanted}."
    got = sorted(value, key=repr)
    if set(value) != set(want):
        if set(value) == {k - 1 for k in want} or set(value) == set(range(len(want))):
            why = (f"its keys are shifted: key l must hold δ⁽ˡ⁾ for the lecture's layer l "
                   f"({keys[0]}…{keys[-1]}), not a position counted from 0")
        elif 1 in value:
            why = ("there is no δ⁽¹⁾: layer 1 is the input x, with no z⁽¹⁾ and nothing to "
                   "correct, so the backward pass stops at l = 2")
        elif set(value) < set(want):
            missing = sorted(set(want) - set(value))
            why = (f"δ is missing for layer(s) {missing}: start with δ{sup(L)} and go down one "
                   "layer at a time to l = 2, both ends included")
        else:
            why = f"on this network (L = {L}) the keys are the layers 2…{L}"
        return f"deltas returns a dict with keys {got}: {why}. The keys should be {keys}."
    for l in sorted(want, reverse=True):
        if value[l] is None:
            return f"delta[{l}] is None: store δ{sup(l)} under the key {l}."
        if isinstance(value[l], str | bytes | Mapping):
            return f"δ{sup(l)} should be numbers, but it is a {type(value[l]).__name__}."
        try:
            np.asarray(value[l], dtype=float)
        except (TypeError, ValueError):
            return f"δ{sup(l)} should be numbers, but it is a {type(value[l]).__name__}."
    return None


def _shape_text(l: int, got: np.ndarray, probe: Probe) -> str | None:
    """What is wrong with the shape of δ⁽ˡ⁾ (None when it is right)."""
    want = probe.expected[l]
    if got.shape == want.shape:
        return None
    s = want.shape[0]
    text = (f"δ{sup(l)} has shape {got.shape}, but it has one entry per unit of layer {l}: "
            f"s{sub(l)} = {s} entries, no bias entry")
    if got.ndim == 2 and 1 in got.shape and got.size == s:
        text += "; it is a one-row or one-column matrix: keep δ a flat vector of entries"
    elif got.ndim == 2:
        text += f"; it is a {got.shape[0]} × {got.shape[1]} matrix"
    elif got.ndim == 1 and got.size == s + 1:
        text += "; it has one entry too many"
    elif got.ndim == 1 and got.size == s - 1:
        text += "; it has one entry too few"
    return text + "."


def _first_wrong(value: Mapping[int, Any], probe: Probe) -> int | None:
    """The first layer, from L down, whose δ is not right (None when every δ is right)."""
    for l in sorted(probe.expected, reverse=True):
        if not same(np.asarray(value[l], dtype=float), probe.expected[l]):
            return l
    return None


def _depth_note(runs: Sequence[Run], probes_: Sequence[Probe], wrong: Probe) -> str:
    """The sentence said when deltas is right on every problem of the lecture's depth but not on
    another depth: the number of layers is written into the code."""
    lecture_L = probes_[0].problem.L
    if wrong.problem.L == lecture_L:
        return ""
    same_depth = [(r, p) for r, p in zip(runs, probes_, strict=True) if p.problem.L == lecture_L]
    if not all(r.failure is None and isinstance(r.value, Mapping) and set(r.value) ==
               set(p.expected) and _first_wrong(r.value, p) is None for r, p in same_depth):
        return ""
    return (f"\n  deltas is right on the lecture's network (L = {lecture_L}) and goes wrong only "
            f"on a network of another depth (L = {wrong.problem.L}): the number of layers seems "
            "to be written into the code. Take L from Theta (len(Theta) is L − 1) and loop over "
            "l = L − 1, …, 2.")


def _value(r: Run) -> Any:
    return r.value


def _trace_value(trace: Any) -> Any:
    return trace.examples[0].delta


def _name(runs: Sequence[Run], probes_: Sequence[Probe], step: str) -> Any:
    return name((step,), runs, [p.problem for p in probes_], trace_value=_trace_value,
                run_value=_value, beyond=AFTER_THE_DELTAS)


def _stop_text(r: Run, p: Probe) -> str:
    """An exception explained: the line, Python's words, what it was given, the network."""
    assert r.failure is not None
    problem = p.problem
    text = failure_text("deltas", r.failure, p, meanings(r.failure, problem))
    text += f"\n  On this network {problem.theta_shapes()}."
    if r.failure.type == "KeyError" and r.failure.key is not None:
        if r.failure.key == r.failure.target_key:
            text += (f"\n  The line reads the entry {r.failure.key!r} of the dict it is storing "
                     "into, before that entry exists: δ⁽ˡ⁾ is made from δ⁽ˡ⁺¹⁾, the entry above "
                     "it.")
        else:
            text += (f"\n  On this network L = {problem.L}: Θ has the keys 1…{problem.L - 1}, a "
                     f"the keys 1…{problem.L}, z and δ the keys 2…{problem.L} (no z⁽¹⁾, no "
                     "δ⁽¹⁾).")
    return text


def judge(runs: Sequence[Run], probes_: Sequence[Probe]) -> Verdict:
    """The verdict on deltas from its runs (see the module's docstring): the first step of the
    backward pass that goes wrong on any problem — a δ⁽ˡ⁾ of the wrong shape or values, or the
    layer where the code stopped — counted from the output back."""
    printed = printed_of(runs)
    early = common(runs, probes_, name="deltas", hint_id=DELTAS,
                   task="Write every δ⁽ˡ⁾ yourself, from Θ, a, z and y.")
    if early is not None:
        return early

    def verdict(**fields: Any) -> Verdict:
        return Verdict(passed=False, printed=printed, **fields)

    for r, p in zip(runs, probes_, strict=True):
        problem_text = None if r.failure is not None else _return_problem(r.value, p)
        if problem_text is not None:
            return verdict(step="return", mistake="wrong_return",
                           message=f"✘ On {p.title}: {problem_text}" + _depth_note(runs, probes_, p))
    # (layers from the output, kind (0: a wrong δ, 1: a stop), problem, layer): the
    # step nearest the output, on the first problem where it shows
    found: list[tuple[int, int, int, int | None]] = []
    for k, (r, p) in enumerate(zip(runs, probes_, strict=True)):
        L = p.problem.L
        if r.failure is not None:
            _, layer = locate(r.failure, p.problem)
            found.append((L - layer if isinstance(layer, int) else L, 1, k, layer))
        else:
            l = _first_wrong(r.value, p)
            if l is not None:
                found.append((L - l, 0, k, l))
    if not found:
        return Verdict(passed=True, printed=printed, message=(
            f"✔ deltas is correct on all {len(probes_)} problems (one example each, on networks "
            "of 2 to 5 layers, the lecture's among them)."))
    _, kind, k, l = min(found, key=lambda f: (f[0], f[2], f[1]))
    r, p = runs[k], probes_[k]
    L = p.problem.L
    if kind == 1:
        assert r.failure is not None
        step = locate(r.failure, p.problem)[0]
        step = step if step in ("output_delta", "hidden_delta") else (
            "output_delta" if l == L or L == 2 else "hidden_delta")
        text = _stop_text(r, p)
        mistake = _name(runs, probes_, step)
        if mistake is not None:
            text += "\n  " + mistake_text(mistake)
        text += _depth_note(runs, probes_, p)
        return verdict(step=step, layer=l, mistake=mistake.id if mistake else None, message=text)
    assert l is not None
    step = "output_delta" if l == L else "hidden_delta"
    got = np.asarray(r.value[l], dtype=float)
    above = f" (δ{sup(l + 1)} above it is right)" if l < L else ""
    shape = _shape_text(l, got, p)
    mistake = _name(runs, probes_, step)
    if shape is not None:
        text = f"✘ On {p.title}, {shape}"
    else:
        text = (f"✘ On {p.title}, δ{sup(l)}{above} has the right shape, but not the right "
                "values.")
    text += "\n  " + mistake_text(mistake)
    if mistake is None and shape is None:
        text += "\n  " + off_by(f"δ{sup(l)}", got, p.expected[l]) + "."
    text += _depth_note(runs, probes_, p)
    return verdict(step=step, layer=l, mistake=mistake.id if mistake else None, message=text)


register(Exercise(
    id=DELTAS, kind="function", name="deltas", names=("Theta", "a", "z", "y"),
    probes=probes, judge=judge, allowed=(sigmoid, sigmoid_gradient), step="hidden_delta",
    fallback=lambda names: reference_deltas))


def check_deltas() -> Any:
    """The check cell of 03-deltas: returns the function the cells below use (yours when it is
    right, otherwise the right one)."""
    return check(DELTAS)


register_hints(DELTAS, [
    "δ⁽ˡ⁾ⱼ is ∂c/∂z⁽ˡ⁾ⱼ. Start at the output, where the derivation gave δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y. Then "
    "go back one layer at a time, l = L − 1, …, 2: send δ⁽ˡ⁺¹⁾ back through the weights that "
    "carried layer l forward (Θ⁽ˡ⁾, transposed), leave out the bias unit's entry, and scale "
    "each unit's entry by g′ at its z⁽ˡ⁾. Store each δ⁽ˡ⁾ under its layer number l; there is no "
    "δ⁽¹⁾.",
    "Θ⁽ˡ⁾ is s₍ₗ₊₁₎ × (sₗ + 1); δ⁽ˡ⁺¹⁾ has s₍ₗ₊₁₎ entries, so (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ has sₗ + 1, "
    "entry 0 coming from column 0 (the bias unit). z⁽ˡ⁾, g′(z⁽ˡ⁾) and δ⁽ˡ⁾ have sₗ entries. "
    "a⁽ˡ⁾ has sₗ + 1 (bias unit first) for l < L, and a⁽ᴸ⁾ has s_L. On the lecture's network: "
    "Θ⁽²⁾ is 5 × 6, Θ⁽³⁾ 4 × 6; δ⁽⁴⁾ has 4 entries, δ⁽³⁾ and δ⁽²⁾ have 5.",
    "L = ___                                # the number of layers, from Theta\n"
    "delta = {L: ___}\n"
    "for l in range(___, ___, -1):          # l = L − 1, …, 2\n"
    "    delta[l] = (Theta[___][:, ___].T @ delta[___]) * ___\n"
    "return delta",
])

__all__ = ["DELTAS", "check_deltas", "judge", "probes", "reference_deltas"]
