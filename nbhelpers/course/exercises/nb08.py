"""Notebook 08 (vectorized backprop): the check and hints of its exercise, and small helpers.

``stacked_backward = nb08.check_stacked_backward()`` checks the student's
``stacked_backward(Theta, A, Z, Y)``: the delta terms of all m examples at once, one row per
example (δ⁽ˡ⁾ for l = L…2), and the accumulators Δ⁽ˡ⁾ (l = 1…L−1), without a loop over the
examples. It may call g and g′ (``nb.sigmoid``, ``nb.sigmoid_gradient``), no other function of
the package.

The function runs on networks of two to five layers whose sizes all differ, the lecture's among
them, with one to five examples; twice, each network is given more examples and fewer. Every
row is compared with the lecture's loop, example by example (:func:`nbhelpers.course.steps.run`):
the first wrong δ⁽ˡ⁾ from the output back, then the first wrong Δ⁽ˡ⁾, is the step, and a
catalogue mistake is named when the loop with its line — the same mistake, made in each
example — gives the student's very matrices (or stops the same way). Whether the code loops over
the examples is read from what it does: the number of its own lines that run
(:attr:`nbhelpers.course.evidence.Run.lines_run`) grows with m only when it does.
Importing the module registers the hints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

import nbhelpers as nb
from nbhelpers.course.exercise import register_hints
from nbhelpers.validation import sub, sup

from .. import mistakes as catalogue
from ..check_cell import check
from ..evidence import Run
from ..exercise import Exercise, register
from ..judging import CallProbe, common, failure_text, printed_of
from ..steps import Trace
from ..verdict import Verdict, off_by, same
from .pieces import LoopProblem, locate, meanings, mistake_text, name, network

STACKED = "08-stacked-backward"

register_hints(STACKED, [
    "Go backwards, one layer at a time, exactly as notebook 03 did for one example, but with "
    "one row per example: δ⁽ᴸ⁾ is the output minus the labels; each hidden δ⁽ˡ⁾ sends δ⁽ˡ⁺¹⁾ back "
    "through Θ⁽ˡ⁾ without its bias column and multiplies by g′(z⁽ˡ⁾) entry by entry, for "
    "l = L−1 down to 2 (no δ⁽¹⁾). Then every accumulator Δ⁽ˡ⁾, l = 1…L−1, is one product of the "
    "stacked δ⁽ˡ⁺¹⁾ with the stacked A⁽ˡ⁾: the sum over the m examples is the inner dimension.",
    "δ⁽ˡ⁺¹⁾ is m × s₍ₗ₊₁₎ and Θ⁽ˡ⁾ without column 0 is s₍ₗ₊₁₎ × sₗ, so their product is m × sₗ, "
    "the shape of g′(Z⁽ˡ⁾) and of δ⁽ˡ⁾. Δ⁽ˡ⁾ must have the shape of Θ⁽ˡ⁾, s₍ₗ₊₁₎ × (sₗ + 1): "
    "(s₍ₗ₊₁₎ × m) times (m × (sₗ + 1)), A⁽ˡ⁾ with its column of ones.",
    "delta = {L: ___ - Y}\n"
    "for l in range(L - 1, 1, -1):\n"
    "    delta[l] = (delta[___] @ Theta[l][:, ___]) * nb.sigmoid_gradient(___)\n"
    "Delta = {l: delta[___].T @ ___ for l in range(1, L)}\n"
    "return ___, ___",
])

PROBLEMS = (("lecture", (3, 5, 5, 4), 5), ("lecture", (3, 5, 5, 4), 2),
            ("three", (3, 5, 2), 3), ("three", (3, 5, 2), 1),
            ("four", (2, 4, 7, 3), 4), ("five", (3, 5, 7, 9, 2), 3), ("two", (3, 2), 3))
"""(network, sizes, m): the lecture's network and a 3-5-2 network each with more examples and
fewer (the same Θ), and networks of 4, 5 and 2 layers."""


def stacked(trace: Trace) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray],
                                   dict[int, np.ndarray], dict[int, np.ndarray]]:
    """A⁽ˡ⁾, Z⁽ˡ⁾ and δ⁽ˡ⁾ of the loop's examples as the rows of matrices, and Δ⁽ˡ⁾."""
    exs = trace.examples
    L = max(exs[0].a)
    A = {l: np.array([e.a[l] for e in exs]) for l in range(1, L + 1)}
    Z = {l: np.array([e.z[l] for e in exs]) for l in range(2, L + 1)}
    delta = {l: np.array([e.delta[l] for e in exs]) for l in range(L, 1, -1)}
    return A, Z, delta, {l: np.array(D) for l, D in trace.Delta.items()}


def stacked_reference(Theta: Mapping[int, np.ndarray], X: np.ndarray, Y: np.ndarray
                      ) -> tuple[dict, dict, dict, dict]:
    """A, Z, δ (one row per example) and Δ, from the lecture's loop over the examples."""
    from ..steps import run
    return stacked(run({l: np.asarray(T, dtype=float) for l, T in Theta.items()},
                       np.asarray(X, dtype=float), np.asarray(Y, dtype=float), 0.0))


def reference_stacked_backward(Theta: Mapping[int, np.ndarray], A: Mapping[int, np.ndarray],
                               Z: Mapping[int, np.ndarray], Y: np.ndarray) -> tuple[dict, dict]:
    """The right answer: the stacked δ (l = L…2) and Δ (l = 1…L−1) of the loop, from A and Y."""
    X = np.asarray(A[1])[:, 1:]
    _, _, delta, Delta = stacked_reference(Theta, X, np.asarray(Y, dtype=float))
    return delta, Delta


def _trace_value(trace: Trace) -> tuple[dict, dict]:
    _, _, delta, Delta = stacked(trace)
    return delta, Delta


def probes(seed: int | None, notebook: Mapping[str, Any] | None = None) -> list[CallProbe]:
    """The problems of :data:`PROBLEMS`: (Θ, A, Z, Y) stacked from the lecture's loop."""
    rng = np.random.default_rng(8081 if seed is None else seed)
    nets: dict[str, tuple[dict, np.ndarray, np.ndarray]] = {}
    out = []
    for key, sizes, m in PROBLEMS:
        if key not in nets:
            if key == "lecture" and seed is None:
                p = nb.lecture_network(5)
                nets[key] = ({l: np.array(T, dtype=float) for l, T in p.Theta.items()},
                             np.array(p.X, dtype=float), np.array(p.Y, dtype=float))
            else:
                nets[key] = network(sizes, 5, rng)
        Theta, X, Y = nets[key]
        what = ("the lecture's 3-5-5-4 network" if key == "lecture"
                else f"a {len(sizes)}-layer {'-'.join(map(str, sizes))} network")
        problem = LoopProblem(title=f"{what}, m = {m}", Theta=Theta, X=X[:m], Y=Y[:m],
                              extra={"network": key})
        A, Z, delta, Delta = stacked(problem.trace)
        out.append(CallProbe(title=problem.title, arguments=(Theta, A, Z, Y[:m].copy()),
                             expected=(delta, Delta), extra={"problem": problem}))
    return out


def _problem(probe: CallProbe) -> LoopProblem:
    return probe.extra["problem"]


def _value(r: Run) -> Any:
    return r.value


def _keys_problem(got: Any, want: Mapping[int, Any], symbol: str) -> str | None:
    keys = sorted(want)
    if not isinstance(got, Mapping):
        return (f"{symbol} should be a dict keyed by the layer numbers {keys}, but it is a "
                f"{type(got).__name__}.")
    if set(got) == set(want):
        return None
    found = sorted(got, key=repr)
    if set(got) == {k - 1 for k in want}:
        return (f"{symbol} has the 0-based keys {found}; keep the lecture's layer numbers: "
                f"{keys}.")
    if 1 in got and symbol == "δ":
        return (f"δ has the keys {found}: there is no δ⁽¹⁾ (layer 1 is the input, with nothing "
                f"to correct), so the keys are {keys}.")
    return f"{symbol} has the keys {found}, but it needs exactly the keys {keys}."


def _return_problem(value: Any, probe: CallProbe, part: int) -> str | None:
    """What is wrong with the returned pair itself and its δ (``part`` 0) or its Δ (1)."""
    if not isinstance(value, tuple | list) or len(value) != 2:
        kind = "None" if value is None else f"a {type(value).__name__}"
        return f"stacked_backward returns {kind}; it must return two dicts: delta, Delta."
    for got, want, symbol in ((value[part], probe.expected[part], "δΔ"[part]),):
        problem = _keys_problem(got, want, symbol)
        if problem is not None:
            return problem
        for l in sorted(want):
            v = got[l]
            try:
                if v is None or isinstance(v, str | bytes | Mapping):
                    raise TypeError
                np.asarray(v, dtype=float)
            except (TypeError, ValueError):
                return f"{symbol}{sup(l)} should be an array of numbers, but it is a {type(v).__name__}."
    return None


def _delta_shape(l: int, got: np.ndarray, probe: CallProbe) -> str | None:
    want = probe.expected[0][l]
    if got.shape == want.shape:
        return None
    m, s = want.shape
    text = (f"δ{sup(l)} has shape {got.shape}, but it has one row per example (m = {m}) and one "
            f"column per unit of layer {l} (s{sub(l)} = {s}), no bias column: {want.shape}")
    if got.shape == want.shape[::-1]:
        text += "; it is transposed, its rows are the units"
    elif got.shape == (m, s + 1):
        text += "; it has one column too many"
    return text + "."


def _Delta_shape(l: int, got: np.ndarray, probe: CallProbe) -> str | None:
    want = probe.expected[1][l]
    if got.shape == want.shape:
        return None
    rows, cols = want.shape
    text = (f"Δ{sup(l)} has shape {got.shape}, but it has Θ{sup(l)}'s shape {want.shape}: one row "
            f"per unit of layer {l + 1}, one column per unit of layer {l} plus the bias unit")
    if got.shape == (cols, rows):
        text += "; it is transposed: its rows are the columns it should have"
    elif got.shape == (rows, cols - 1) and same(got, want[:, 1:]):
        text += ("; its columns are those of Δ" + sup(l) + " without column 0, the bias weights' "
                 "share, which comes from the column of ones of A" + sup(l))
    elif got.shape == (rows, cols - 1):
        text += "; it has one column too few"
    return text + "."


def _rows_text(got: np.ndarray, want: np.ndarray) -> str:
    """Which examples' rows of a stacked δ are wrong, when not all of them are."""
    wrong = [i + 1 for i in range(want.shape[0]) if not same(got[i], want[i])]
    if 0 < len(wrong) < want.shape[0]:
        return f" Only the rows of examples i = {wrong} are wrong."
    return ""


def _loops_over_examples(runs: Sequence[Run], probes_: Sequence[CallProbe]) -> tuple[int, int] | None:
    """(m, m′) of a network where the code ran more of its own lines with more examples, when
    it did so on every network it was given twice; None when it did not."""
    by_net: dict[str, list[tuple[int, int]]] = {}
    for r, p in zip(runs, probes_, strict=True):
        if r.failure is None:
            by_net.setdefault(_problem(p).extra["network"], []).append((_problem(p).m, r.lines_run))
    pairs = [sorted(v) for v in by_net.values() if len({m for m, _ in v}) > 1]
    if not pairs or not all(v[-1][1] > v[0][1] for v in pairs):
        return None
    v = pairs[0]
    return v[0][0], v[-1][0]


def _scale_text(got: Mapping[int, np.ndarray], want: Mapping[int, np.ndarray], m: int) -> str:
    """When every Δ⁽ˡ⁾ is the same multiple of the right one: which."""
    num = sum(float(np.sum(got[l] * want[l])) for l in want)
    den = sum(float(np.sum(want[l] * want[l])) for l in want)
    c = num / den if den else 0.0
    if c == 0 or not all(same(got[l], c * want[l], rtol=1e-8, atol=1e-12) for l in want):
        return ""
    text = f" Every Δ⁽ˡ⁾ is {c:.3g} times the loop's sum over the examples"
    if np.isclose(c, 1 / m, rtol=1e-9):
        text += f" (1/m, with m = {m}): Δ⁽ˡ⁾ is the plain sum, the 1/m belongs to D⁽ˡ⁾"
    return text + "."


def judge(runs: Sequence[Run], probes_: Sequence[CallProbe]) -> Verdict:
    """The verdict on stacked_backward from its runs (see the module's docstring)."""
    printed = printed_of(runs)
    early = common(runs, probes_, name="stacked_backward", hint_id=STACKED,
                   task="Write the matrix form yourself, from Theta, A, Z and Y.")
    if early is not None:
        return early
    problems = [_problem(p) for p in probes_]

    def verdict(**fields: Any) -> Verdict:
        return Verdict(passed=False, printed=printed, **fields)

    def named(steps: Sequence[str]) -> catalogue.Mistake | None:
        return name(steps, runs, problems, trace_value=_trace_value, run_value=_value)

    for r, p in zip(runs, probes_, strict=True):
        problem_text = None if r.failure is not None else _return_problem(r.value, p, 0)
        if problem_text is not None:
            return verdict(step="return", mistake="wrong_return",
                           message=f"✘ On {p.title}: {problem_text}")
    # the first step from the output back that goes wrong: a δ⁽ˡ⁾ (its layers from the output),
    # then a Δ⁽ˡ⁾ (after every δ); a stop counts where it happened; the first problem breaks ties
    found: list[tuple[int, int, int, str, int | None]] = []
    for k, (r, p) in enumerate(zip(runs, probes_, strict=True)):
        L = _problem(p).L
        if r.failure is not None:
            step, layer = locate(r.failure, _problem(p))
            order = (2 * L + (layer or 0) if step == "accumulate" else
                     L - layer if isinstance(layer, int) else L)
            found.append((order, k, 1, step or "", layer))
            continue
        wrong = [l for l in sorted(p.expected[0], reverse=True)
                 if not same(np.asarray(r.value[0][l], dtype=float), p.expected[0][l])]
        if wrong:
            found.append((L - wrong[0], k, 0, "delta", wrong[0]))
    stops = [f for f in found if f[2] == 1]
    if found and (stops or min(found)[3] == "delta"):
        order, k, kind, step, l = min(found)
        r, p = runs[k], probes_[k]
        if kind == 1:
            assert r.failure is not None
            problem = _problem(p)
            text = failure_text("stacked_backward", r.failure, p, meanings(r.failure, problem))
            text += (f"\n  On this network {problem.theta_shapes()}; with m = {problem.m}, A⁽ˡ⁾ "
                     "is m × (sₗ + 1) (the column of ones first, none at the output), Z⁽ˡ⁾ and "
                     "δ⁽ˡ⁾ are m × sₗ.")
            if r.failure.type == "KeyError" and r.failure.key is not None:
                text += (f"\n  On this network A has the layers 1…{problem.L}, Z and δ only "
                         f"2…{problem.L} (no δ⁽¹⁾), Θ and Δ 1…{problem.L - 1}.")
            step = step if step in ("output_delta", "hidden_delta", "accumulate") else (
                "output_delta" if l == problem.L else "hidden_delta")
            mistake = named((step,))
            if mistake is not None:
                text += "\n  " + mistake_text(mistake)
            return verdict(step=step, layer=l, mistake=mistake.id if mistake else None,
                           message=text)
        assert l is not None
        L = _problem(p).L
        step = "output_delta" if l == L else "hidden_delta"
        got = np.asarray(r.value[0][l], dtype=float)
        want = p.expected[0][l]
        shape = _delta_shape(l, got, p)
        above = f" (δ{sup(l + 1)} above it is right)" if l < L else ""
        text = [f"✘ On {p.title}, {shape}" if shape else
                f"✘ On {p.title}, δ{sup(l)}{above} has the right shape, but not the loop's "
                "values." + _rows_text(got, want)]
        mistake = named((step,))
        text.append(mistake_text(mistake))
        if mistake is None and not shape:
            text.append(off_by(f"δ{sup(l)}", got, want) + " (row i − 1 is example i).")
        return verdict(step=step, layer=l, mistake=mistake.id if mistake else None,
                       message="\n  ".join(text))
    for r, p in zip(runs, probes_, strict=True):
        problem_text = _return_problem(r.value, p, 1)
        if problem_text is not None:
            return verdict(step="return", mistake="wrong_return",
                           message=f"✘ Every δ⁽ˡ⁾ is right, but on {p.title}: {problem_text}")
    for r, p in zip(runs, probes_, strict=True):
        want = p.expected[1]
        got = {l: np.asarray(v, dtype=float) for l, v in r.value[1].items()}
        wrong = [l for l in sorted(want) if not same(got[l], want[l])]
        if not wrong:
            continue
        l = wrong[0]
        shape = _Delta_shape(l, got[l], p)
        text = ["✘ Every δ⁽ˡ⁾ is right, but " + (f"on {p.title}, {shape}" if shape else
                f"on {p.title}, Δ{sup(l)} has the right shape and not the loop's values."
                + _scale_text(got, want, _problem(p).m))]
        mistake = named(("accumulate",))
        text.append(mistake_text(mistake))
        if mistake is None and not shape:
            text.append(off_by(f"Δ{sup(l)}", got[l], want[l], lecture_indices=True) + ".")
        return verdict(step="accumulate", layer=l, mistake=mistake.id if mistake else None,
                       message="\n  ".join(text))
    loop = _loops_over_examples(runs, probes_)
    if loop is not None:
        mistake = catalogue.BY_ID["loop_over_examples"]
        return verdict(step="method", mistake=mistake.id, message=(
            "✘ stacked_backward gives the loop's numbers, but it loops over the examples: with "
            f"m = {loop[1]} examples more of its lines run than with m = {loop[0]} on the same "
            f"network. The exercise is the matrix form.\n  The mistake: {mistake.title} — "
            f"{mistake.explanation}."))
    return Verdict(passed=True, printed=printed, message=(
        f"✔ stacked_backward is correct on all {len(probes_)} problems (networks of 2 to 5 "
        "layers, 1 to 5 examples): row i of every δ⁽ˡ⁾ is example i's, every Δ⁽ˡ⁾ is the loop's "
        "sum over the m examples, and no line runs once per example."))


register(Exercise(
    id=STACKED, kind="function", name="stacked_backward", names=("Theta", "A", "Z", "Y"),
    probes=probes, judge=judge, allowed=(nb.sigmoid, nb.sigmoid_gradient), step="hidden_delta",
    fallback=lambda names: reference_stacked_backward))


def check_stacked_backward() -> Any:
    """The check cell of 08-stacked-backward: returns the function the cells below use (yours
    when it is right, otherwise the right one)."""
    return check(STACKED)


def largest_difference(D_a: Mapping[int, Any], D_b: Mapping[int, Any]) -> float:
    """The largest |difference| over every entry of every layer of two gradients keyed by l."""
    if sorted(D_a) != sorted(D_b):
        raise ValueError(f"the two gradients have different layers: {sorted(D_a)} and {sorted(D_b)}.")
    return max(float(np.max(np.abs(np.asarray(D_a[l]) - np.asarray(D_b[l])))) for l in D_b)


__all__ = ["STACKED", "check_stacked_backward", "judge", "largest_difference", "probes",
           "reference_stacked_backward", "stacked", "stacked_reference"]
