"""The capstone's check: the student's whole ``backprop(Theta, X, Y, lam)``, located then named.

The check runs the student's function on probe problems built to separate the lecture's steps
(:func:`probes`): networks with no hidden layer, one, two and three, whose layer sizes all differ
(so that a missing transpose cannot fit by accident), one example and several distinct ones,
λ = 0 and two values of λ that are not 1, and one example tried with two labels. Then it decides,
from the numbers alone, which step is wrong (:func:`judge`):

* the arguments changed in place → ``inputs``; a call to the package's gradient → ``package``;
* an exception → the step the failing operation belongs to, read from the values of its operands
  and of the arrays the code held (:mod:`nbhelpers.course.recognize`);
* the returned object is not D → ``return``; a D⁽ˡ⁾ of another shape → the step that shape comes
  from (a transposed share, a kept δ₀, a missing bias column);
* wrong values: with one example and λ = 0 each D⁽ˡ⁾ is δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ, so the student's own a⁽ˡ⁾
  and δ⁽ˡ⁺¹⁾ can be read back from it; the first of them that is wrong is the step. Right with
  one example but wrong with several → the sum over the examples or the 1/m; right for λ = 0 but
  wrong for λ > 0 → the regularization of the D terms.

Only then does it try to name the mistake: a catalogue mistake of that step
(:mod:`nbhelpers.course.mistakes`) is named when running the lecture's loop with its line in
place of the right one (:mod:`nbhelpers.course.steps`) gives the student's D on every probe, or
stops where the student's code stops, on the same probes, with the same kind of operands.
Otherwise the verdict names the step, the layer and the first wrong entry, and says that it
cannot name the mistake.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from ..activation import sigmoid, sigmoid_gradient
from ..examples import lecture_network, one_hot
from ..validation import sub, sup
from . import mistakes as catalogue
from .evidence import Failure, Run, failure_of, run_function
from .exercise import Exercise, register
from .recognize import ORDER, Known, best, identify, library
from .steps import STEPS, StepError, Trace, no_bias, run
from .verdict import CLOSE_ATOL, CLOSE_RTOL, STEP_NAMES, Verdict, off_by, same

CAPSTONE = "05-backprop"
ALLOWED = (sigmoid, sigmoid_gradient)
"""The only package functions the capstone may call: g and g′ (``nb.sigmoid``,
``nb.sigmoid_gradient``)."""
PACKAGE_DIR = Path(__file__).resolve().parents[1]

NETWORKS: dict[str, tuple[int, ...]] = {
    "lecture": (3, 5, 5, 4),
    "three": (3, 5, 2),
    "four": (3, 5, 7, 2),
    "two": (3, 2),
    "five": (3, 5, 7, 9, 2),
}
"""The probe networks. Besides the lecture's, every size differs from every other size and from
each size plus one (a⁽ˡ⁾ with its bias unit), so a shape tells what an array is."""

ROLES = ("one", "other_label", "batch", "small_lambda", "large_lambda", "one_lambda")
"""Per network: one example with λ = 0; the same input with another label; three examples with
λ = 0; the three with λ = 0.7 and λ = 2.5; the one example with λ = 0.7."""
LAMBDAS = {"small_lambda": 0.7, "large_lambda": 2.5, "one_lambda": 0.7}
BATCH = 3


@dataclass(frozen=True, kw_only=True)
class Probe:
    """One problem the student's function is run on."""

    network: str
    role: str
    Theta: dict[int, np.ndarray]
    X: np.ndarray
    Y: np.ndarray
    lam: float

    @property
    def L(self) -> int:
        return len(self.Theta) + 1

    @property
    def m(self) -> int:
        return self.X.shape[0]

    @property
    def sizes(self) -> list[int]:
        return [self.Theta[1].shape[1] - 1] + [self.Theta[l].shape[0] for l in sorted(self.Theta)]

    @property
    def title(self) -> str:
        net = ("the lecture's 3-5-5-4 network" if self.network == "lecture"
               else f"a {len(self.sizes)}-layer {'-'.join(map(str, self.sizes))} network")
        examples = "one example" if self.m == 1 else f"m = {self.m} examples"
        return f"{net}, {examples}, λ = {self.lam:g}"

    def args(self) -> tuple[Any, ...]:
        return ({l: T.copy() for l, T in self.Theta.items()}, self.X.copy(), self.Y.copy(),
                self.lam)

    @cached_property
    def trace(self) -> Trace:
        """The lecture's loop on this probe: every a, z, δ, Δ and the right D."""
        return run(self.Theta, self.X, self.Y, self.lam)

    @cached_property
    def known(self) -> list[Known]:
        return library(self.Theta, self.trace)


def _network(sizes: Sequence[int], rng: np.random.Generator) -> tuple[dict[int, np.ndarray], np.ndarray]:
    Theta = {l: np.round(rng.uniform(-1, 1, size=(sizes[l], sizes[l - 1] + 1)), 2)
             for l in range(1, len(sizes))}
    X = np.round(rng.uniform(-0.95, 0.95, size=(BATCH, sizes[0])), 2)
    return Theta, X


def probes(seed: int | None = None) -> list[Probe]:
    """Every probe problem: six roles (:data:`ROLES`) on each network of :data:`NETWORKS`.

    The lecture's network uses the course's own Θ and examples unless a ``seed`` is given (the
    grader draws one per run, so that no answer can be prepared for the probes)."""
    rng = np.random.default_rng(20261207 if seed is None else seed)
    out = []
    for name, sizes in NETWORKS.items():
        if name == "lecture" and seed is None:
            p = lecture_network(BATCH)
            Theta, X = {l: np.array(T, dtype=float) for l, T in p.Theta.items()}, np.array(p.X)
        else:
            Theta, X = _network(sizes, rng)
        K = sizes[-1]
        labels = np.arange(BATCH) % K if name != "lecture" else np.argmax(
            lecture_network(BATCH).Y, axis=1)
        Y = one_hot(labels, K)
        other = one_hot([(labels[0] + 1) % K], K)
        for role in ROLES:
            one = role in ("one", "other_label", "one_lambda")
            out.append(Probe(network=name, role=role, Theta=Theta,
                             X=X[:1] if one else X, Y=(other if role == "other_label"
                                                        else Y[:1] if one else Y),
                             lam=LAMBDAS.get(role, 0.0)))
    return out


# ---- collecting: running the student's function on every probe -------------------------------

def collect(function: Callable[..., Any], problems: Sequence[Probe] | None = None, *,
            package_dir: Path | str | None = PACKAGE_DIR) -> list[Run]:
    """The student's function run on every probe (on copies), as evidence."""
    return [run_function(function, p.args(), names=("Theta", "X", "Y", "lam"),
                         package_dir=package_dir, allowed=ALLOWED)
            for p in (problems if problems is not None else probes())]


# ---- judging ----------------------------------------------------------------------------------

@dataclass
class Finding:
    """Where the student's result goes wrong, before any mistake is named."""

    step: str
    layer: int | None
    probe: Probe
    facts: list[str] = field(default_factory=list)
    """What the check found, as sentences."""
    entry: str = ""
    """The first wrong entry, by direction and size (for an unnamed mistake)."""
    mistake: str | None = None
    """A mistake the finding itself proves (a wrong form of one operand), to be confirmed."""


def _right_container(value: Any, probe: Probe) -> dict[int, np.ndarray] | None:
    """The student's D as float arrays when it is a dict keyed like Θ, else None."""
    if not isinstance(value, Mapping) or set(value) != set(probe.Theta):
        return None
    out = {}
    for l, v in value.items():
        if isinstance(v, str | bytes):
            return None
        try:
            out[l] = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            return None
    return out


def _right(value: Any, probe: Probe) -> bool:
    D = _right_container(value, probe)
    return D is not None and all(same(D[l], probe.trace.D[l]) for l in D)


def _return_problem(value: Any, probe: Probe) -> str | None:
    """What is wrong with the returned object itself (its type, its keys, its entries)."""
    L = probe.L
    wanted = f"a dict D with D[l] = D⁽ˡ⁾ for l = 1…{L - 1}, keyed by the lecture's layer numbers"
    if value is None:
        return f"it returns None; it must end by returning {wanted}."
    if isinstance(value, tuple) and value and isinstance(value[0], Mapping):
        return f"it returns a tuple of {len(value)} things; return {wanted} alone."
    if isinstance(value, list | tuple):
        return (f"it returns a {type(value).__name__} of {len(value)} entries; return {wanted}. A "
                "list counts from 0, the lecture's layers from 1.")
    if not isinstance(value, Mapping):
        return f"it returns a {type(value).__name__}; it must return {wanted}."
    keys = sorted(value, key=repr)
    if set(value) == {l - 1 for l in probe.Theta}:
        return (f"its D has the keys {keys}, counted from 0; the lecture's D⁽ˡ⁾ belongs to Θ⁽ˡ⁾, so "
                f"the keys are 1…{L - 1}.")
    if set(value) != set(probe.Theta):
        return f"its D has the keys {keys}; it needs exactly the keys 1…{L - 1}, one per Θ⁽ˡ⁾."
    if _right_container(value, probe) is None:
        kinds = {type(v).__name__ for v in value.values()}
        return f"the entries of its D are {', '.join(sorted(kinds))}, not arrays of numbers."
    return None


def _shape_finding(D: Mapping[int, np.ndarray], probe: Probe) -> Finding | None:
    """A D⁽ˡ⁾ whose shape is not Θ⁽ˡ⁾'s, explained by where that shape comes from."""
    s = probe.sizes
    for l in sorted(D):
        got, want = D[l].shape, probe.Theta[l].shape
        if got == want:
            continue
        rows, cols = want
        base = (f"on {probe.title}, D{sup(l)} has shape {got}, but it must have Θ{sup(l)}'s shape "
                f"{want}: s{sub(l + 1)} = {rows} rows, one per unit of layer {l + 1}, and "
                f"s{sub(l)} + 1 = {cols} columns, the bias unit and the units of layer {l}")
        if got == (cols, rows):
            return Finding("accumulate", l, probe, [base + ": it is transposed, so Δ" + sup(l)
                                                    + " was built the wrong way round."],
                           mistake="outer_transposed")
        if got == (rows + 1, cols) and l + 1 < probe.L:
            return Finding("hidden_delta", l + 1, probe, [
                base + f": one row too many, as if δ{sup(l + 1)} kept an entry δ₀ for the bias "
                       "unit."], mistake="delta0_kept")
        if got == (rows + 1, cols):
            return Finding("forward", probe.L, probe, [
                base + f": one row too many, as if the output layer a{sup(probe.L)} had a bias unit."])
        if got == (rows, cols - 1):
            return Finding("accumulate", l, probe, [
                base + ": one column too few: the bias column j = 0 of Δ" + sup(l) + " is missing."])
        del s
        return Finding("accumulate", l, probe, [base + "."])
    return None


# ---- reading a⁽ˡ⁾ and δ⁽ˡ⁺¹⁾ back from one example's D -------------------------------------------

def _rank_one(M: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(u, v) with M = u vᵀ, or None when M is not of rank one (or is zero)."""
    if not np.any(M):
        return None
    U, S, Vt = np.linalg.svd(M, full_matrices=False)
    if S.size > 1 and S[1] > 1e-9 * S[0]:
        return None
    return U[:, 0] * S[0], Vt[0]


@dataclass
class Layer:
    """What one example's D⁽ˡ⁾ (λ = 0) says about the student's a⁽ˡ⁾ and δ⁽ˡ⁺¹⁾."""

    kind: str
    """``shares`` (D⁽ˡ⁾ = δ̃(a⁽ˡ⁾)ᵀ with the right a⁽ˡ⁾), ``other_a`` (a rank-one share with another
    a⁽ˡ⁾, bias unit first), ``bias_last``, ``bias_zero`` (column 0 empty), ``zero`` or ``other``."""
    delta: np.ndarray | None = None
    a: np.ndarray | None = None


def _read_layer(M: np.ndarray, a: np.ndarray) -> Layer:
    """Read one example's D⁽ˡ⁾ (λ = 0) as a share δ̃ ã ᵀ (``a`` is the right a⁽ˡ⁾)."""
    if not np.any(M):
        return Layer("zero")
    u = M @ a / (a @ a)
    if same(np.outer(u, a), M, rtol=1e-8, atol=1e-11):
        return Layer("shares", delta=u)
    pair = _rank_one(M)
    if pair is None:
        return Layer("other")
    u, v = pair
    big = np.abs(v).max()
    if abs(v[-1]) > 1e-9 * big and same(v[:-1] / v[-1], a[1:], rtol=1e-8, atol=1e-11):
        return Layer("bias_last", delta=u * v[-1], a=v / v[-1])
    if abs(v[0]) <= 1e-9 * big:
        return Layer("bias_zero")
    return Layer("other_a", delta=u * v[0], a=v / v[0])


def _decode_one(D: Mapping[int, np.ndarray], probe: Probe, pair: Mapping[int, np.ndarray] | None,
                pair_probe: Probe | None) -> Finding:
    """Locate the first wrong step from one example's D at λ = 0 (see the module docstring)."""
    ex, L = probe.trace.examples[0], probe.L
    layers = {l: _read_layer(D[l], ex.a[l]) for l in D}
    where = f"on {probe.title}"
    if layers[1].kind == "bias_last":
        return Finding("forward", 1, probe, [
            f"{where}, D⁽¹⁾'s last column, not its column 0, holds δ⁽²⁾ alone: your a⁽¹⁾ has the "
            "bias unit at its end."], mistake="bias_unit_last")
    for l in sorted(layers):
        info = layers[l]
        if info.kind == "other_a" and info.a is not None:
            if l == 1:
                return Finding("forward", 1, probe, [
                    f"{where}, D⁽¹⁾ = δ⁽²⁾(a⁽¹⁾)ᵀ was made from another a⁽¹⁾ than (1, x)."])
            units = info.a[1:]
            fact = (f"{where}, D{sup(l)} = δ{sup(l + 1)}(a{sup(l)})ᵀ was made from an a{sup(l)} "
                    f"that is not the forward pass's: " + off_by(f"a{sup(l)}'s unit values", units,
                                                                  ex.a[l][1:]) + ".")
            if same(units, ex.z[l], rtol=1e-8):
                fact += f" They are z{sup(l)} itself: g was not applied."
            return Finding("forward", l, probe, [fact])
    for l in sorted(layers):
        if layers[l].kind == "bias_zero":
            return Finding("accumulate", l, probe, [
                f"{where}, column 0 of D{sup(l)} is zero: the bias weights' share δ{sup(l + 1)}·a₀ "
                f"never reaches Δ{sup(l)} (a₀ = 1, so column 0 of each share is δ{sup(l + 1)} itself)."])
        if layers[l].kind == "other":
            return Finding("accumulate", l, probe, [
                f"{where}, D{sup(l)} is not of the form δ{sup(l + 1)}(a{sup(l)})ᵀ that one example "
                f"adds to Δ{sup(l)}: " + off_by(f"D{sup(l)}", D[l], probe.trace.D[l],
                                                 lecture_indices=True) + "."])
    deltas = {l + 1: (layers[l].delta if layers[l].kind == "shares" else np.zeros_like(ex.delta[l + 1]))
              for l in layers}
    zero = [l for l in layers if layers[l].kind == "zero"]
    wrong = [k for k in range(L, 1, -1) if not same(deltas[k], ex.delta[k], rtol=1e-8, atol=1e-11)]
    if not wrong:
        return Finding("accumulate", None, probe, [f"{where}, D is not what the shares add up to."])
    top = wrong[0]
    below_right = top - 1 >= 2 and same(deltas[top - 1], ex.delta[top - 1], rtol=1e-8, atol=1e-11)
    if top - 1 in zero and (below_right or top - 1 == 1):
        l = top - 1
        rest = (f" although δ{sup(l)}, which is computed from δ{sup(l + 1)}, is right"
                if below_right else "")
        return Finding("accumulate", l, probe, [
            f"{where}, D{sup(l)} is zero{rest}: nothing is added to Δ{sup(l)}."],
            mistake="layer_skipped")
    if below_right:
        return Finding("accumulate", top - 1, probe, [
            f"{where}, D{sup(top - 1)} is not δ{sup(top)}(a{sup(top - 1)})ᵀ of the δ{sup(top)} that "
            f"your δ{sup(top - 1)} was computed from (δ{sup(top - 1)} is right): the share added to "
            f"Δ{sup(top - 1)} is not δ{sup(top)}(a{sup(top - 1)})ᵀ."])
    if top == L:
        facts = [f"{where}, the a⁽ˡ⁾ are right, but δ{sup(L)} (read from D{sup(L - 1)} = "
                 f"δ{sup(L)}(a{sup(L - 1)})ᵀ) is not: "
                 + off_by(f"δ{sup(L)}", deltas[L], ex.delta[L]) + "."]
        if pair is not None and pair_probe is not None:
            other = _read_layer(pair[L - 1], pair_probe.trace.examples[0].a[L - 1])
            y, y2 = ex.y, pair_probe.trace.examples[0].y
            if other.kind == "shares" and other.delta is not None and same(
                    deltas[L] - other.delta, y2 - y, rtol=1e-8, atol=1e-11):
                h = deltas[L] + y
                if same(h, ex.z[L], rtol=1e-8):
                    facts.append(f"Your δ{sup(L)} is z{sup(L)} − y: the output's a{sup(L)} = "
                                 f"g(z{sup(L)}) is missing its g.")
                else:
                    facts.append(f"Your δ{sup(L)} has the form (something) − y, but that something "
                                 f"is not a{sup(L)} = h_Θ(x).")
        return Finding("output_delta", L, probe, facts)
    return Finding("hidden_delta", top, probe, [
        f"{where}, δ{sup(top + 1)} is right (read from D{sup(top)}), but δ{sup(top)} (read from "
        f"D{sup(top - 1)} = δ{sup(top)}(a{sup(top - 1)})ᵀ) is not: "
        + off_by(f"δ{sup(top)}", deltas[top], ex.delta[top]) + "."])


def _decode_batch(D: Mapping[int, np.ndarray], probe: Probe) -> Finding:
    """Right for one example, wrong for several (λ = 0): the sum over the examples or its 1/m."""
    exs, m, L = probe.trace.examples, probe.m, probe.L
    where = f"on {probe.title}"
    for l in sorted(D, reverse=True):
        A = np.array([e.a[l] for e in exs])                       # m × (sₗ + 1)
        W = D[l] @ np.linalg.pinv(A)                               # column i: example i's δ̃/…
        if not same(W @ A, D[l], rtol=1e-7, atol=1e-10):
            continue
        want = np.array([e.delta[l + 1] for e in exs]).T / m
        if same(W, want, rtol=1e-7, atol=1e-10):
            continue
        scale = np.sum(W * want) / np.sum(want * want)
        if same(W, scale * want, rtol=1e-6, atol=1e-10):
            layers_scaled = all(same(D[k], scale * probe.trace.D[k], rtol=1e-6, atol=1e-10)
                                for k in D)
            if layers_scaled:
                return Finding("d_terms", None, probe, [
                    f"{where}, every D⁽ˡ⁾ is {scale:.3g} times the right one, while with one example "
                    "it is right: the examples' shares are added up right, but the sum is not "
                    "divided by m."])
        used = [i for i in range(m) if np.any(np.abs(W[:, i]) > 1e-12)]
        if len(used) < m:
            kept = ", ".join(str(i + 1) for i in used) or "none"
            return Finding("accumulate", l, probe, [
                f"{where}, D{sup(l)} holds the share of example(s) {kept} only, out of {m}: the "
                "other examples' shares never reach Δ" + sup(l) + "."])
        if l == L - 1:
            for i in range(m):
                for j in range(m):
                    if j != i and same(W[:, i] * m, exs[i].a[L] - exs[j].y, rtol=1e-7, atol=1e-10):
                        return Finding("output_delta", L, probe, [
                            f"{where}, δ{sup(L)} of example {i + 1} is computed with the label of "
                            f"example {j + 1}: x⁽ⁱ⁾ and y⁽ⁱ⁾ must come from the same row."])
            return Finding("output_delta", L, probe, [
                f"{where}, with one example everything is right, but the examples' δ{sup(L)} are not "
                "their a⁽ᴸ⁾ − y⁽ⁱ⁾."])
        return Finding("hidden_delta", l + 1, probe, [
            f"{where}, with one example everything is right, but with several the examples' "
            f"δ{sup(l + 1)} are not right: something of another example is used."])
    return Finding("accumulate", None, probe, [
        f"{where}, right with one example, but with {m} examples D is not the average of the "
        "examples' shares δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ."])


# ---- exceptions --------------------------------------------------------------------------------

def _container_step(failure: Failure, probe: Probe) -> tuple[str, int | None, str] | None:
    """The step of a line that stores into a dict of the algorithm's quantities (``delta[l] = …``,
    ``Delta[l] += …``), known by the values that dict already holds; with the layer it was
    storing and a sentence saying so."""
    held = [k for _, array in failure.target for k in identify(array, probe.known) if not k.wrong]
    kinds = {k.identity[0] for k in held}
    key = failure.target_key if isinstance(failure.target_key, int) else None
    if "delta" in kinds:
        what = f"δ{sup(key)}" if key is not None else "a δ"
        note = " (there is no δ⁽¹⁾: layer 1 is the input)" if key == 1 else ""
        return "hidden_delta", key, f"The line was computing {what}{note}."
    if kinds & {"Delta", "share"}:
        return "accumulate", key, f"The line was adding to Δ{sup(key) if key else ''}."
    if kinds & {"a", "a_units", "z"}:
        return "forward", key, "The line was part of the forward pass."
    if "D" in kinds:
        return "d_terms", key, "The line was computing D."
    return None


def _exception_finding(failure: Failure, probe: Probe) -> Finding:
    if failure.type == "TypeError" and not failure.line:
        return Finding("return", None, probe, [
            f"backprop could not be called as backprop(Theta, X, Y, lam): Python says "
            f"{failure.message}. The check calls it with four arguments: Θ (a dict keyed 1…L−1), "
            "X (m × s₁, one example per row), Y (m × K, one-hot rows) and λ."])
    known = probe.known
    operands = [best(identify(o.value, known)) for o in failure.operands
                if isinstance(o.value, np.ndarray)]
    held = [best(identify(array, known)) for _, array in failure.arrays]
    said = f"on {probe.title}, your code stopped with {failure.type}"
    if failure.line:
        said += f" in the line `{failure.line}`"
    if failure.message:
        said += f" (Python says: {failure.message.splitlines()[0][:200]})"
    facts = [said + "."]
    wrong = [k for k in operands + held if k is not None and k.wrong]
    if wrong:
        first = min(wrong, key=lambda k: (ORDER.get(k.step or "", 99), k.layer))
        facts.append(f"At that point your code held {first.label}, which the lecture's algorithm "
                     "never makes.")
        return Finding(first.step or "forward", first.layer, probe, facts, mistake=first.mistake)
    container = _container_step(failure, probe)
    if failure.type == "KeyError" and failure.key is not None:
        facts.append(_key_text(failure.key, probe))
    if container is not None:
        step, layer, sentence = container
        facts.append(sentence)
        return Finding(step, layer, probe, facts)
    recognized = [k for k in operands if k is not None]
    shapes = [o.shape for o in failure.operands if o.shape is not None]
    if failure.operation and shapes:
        names = " and ".join(f"{k.label} {tuple(k.array.shape)}" for k in recognized) or \
            " and ".join(str(s) for s in shapes)
        facts.append(f"The operation `{failure.operation}` was given {names}.")
    steps_seen = [k.step for k in recognized if k.step] + [k.step for k in held if k and k.step]
    if recognized:
        step, layer = _operation_step(recognized)
        return Finding(step, layer, probe, facts)
    return _progress(failure, probe, facts, steps_seen)


def _operation_step(recognized: Sequence[Known]) -> tuple[str, int | None]:
    """The step an operation belongs to, from what its operands are."""
    kinds = {k.identity[0] for k in recognized}
    top = max(recognized, key=lambda k: ORDER.get(k.step or "", -1))
    if kinds & {"share", "Delta"} or ({"delta"} & kinds and {"a", "a_units"} & kinds):
        layer = next((k.layer for k in recognized if k.identity[0] in ("a", "a_units", "share",
                                                                       "Delta")), top.layer)
        return "accumulate", layer
    if kinds & {"delta", "back", "back0", "g_prime"}:
        deltas = [k for k in recognized if k.identity[0] in ("back", "back0", "g_prime")]
        if deltas:
            return "hidden_delta", deltas[0].layer
        d = next(k for k in recognized if k.identity[0] == "delta")
        return ("hidden_delta", d.layer - 1) if d.layer > 2 or "Theta" in str(kinds) else (
            "output_delta", d.layer)
    if "y" in kinds:
        return "output_delta", top.layer
    layer = max((k.layer for k in recognized if k.identity[0] in ("a", "a_units", "z")),
                default=top.layer)
    return "forward", layer + (1 if any(k.identity[0] in ("a", "a_units") for k in recognized) else 0)


def _progress(failure: Failure, probe: Probe, facts: list[str],
              steps_seen: Sequence[str]) -> Finding:
    """The first step whose results the code did not hold yet when it stopped."""
    L = probe.L
    held = [k for _, array in failure.arrays for k in identify(array, probe.known)]
    have = {k.identity for k in held if not k.wrong}
    if all(("D", l) in have for l in probe.Theta):
        facts.append("It had computed every D⁽ˡ⁾ right; it stopped while handing them back.")
        return Finding("return", None, probe, facts, mistake="wrong_return")
    forward_done = all(("a", l) in have or ("a_units", l) in have for l in range(2, L)) and (
        ("a_units", L) in have or ("delta", L) in have)
    if not forward_done:
        facts.append("It had not finished the forward pass yet.")
        return Finding("forward", None, probe, facts)
    if ("delta", L) not in have:
        return Finding("output_delta", L, probe, facts)
    for l in range(L - 1, 1, -1):
        if ("delta", l) not in have:
            facts.append(f"It had the a⁽ˡ⁾ and δ{sup(l + 1)} right, but not δ{sup(l)} yet.")
            return Finding("hidden_delta", l, probe, facts)
    del steps_seen
    facts.append("It had every a⁽ˡ⁾ and δ⁽ˡ⁾ right.")
    return Finding("accumulate", None, probe, facts)


def _key_text(key: Any, probe: Probe) -> str:
    L = probe.L
    return (f"The missing key is {key!r}. On this network L = {L}: Θ has keys 1…{L - 1} (no "
            f"Θ{sup(L)}, no Θ⁽⁰⁾), a⁽ˡ⁾ exists for l = 1…{L}, z⁽ˡ⁾ and δ⁽ˡ⁾ for l = 2…{L} (no "
            "z⁽¹⁾, no δ⁽¹⁾): take L from Θ, so that the function works for any depth.")


# ---- naming ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """What a function did on one probe: its D, or the kind of error it stopped with and the
    step and layer where that happened."""

    D: Mapping[int, np.ndarray] | None
    error: str | None = None
    where: tuple[Any, ...] | None = None


def _where(failure: Failure, probe: Probe) -> tuple[Any, ...]:
    """Where the code stopped: the step and layer, and what the failing operation was given
    (each operand's quantity, the same for a loop and a matrix version; "?" for others)."""
    finding = _exception_finding(failure, probe)
    given: set[tuple[Any, ...]] = set()
    for o in failure.operands:
        k = best(identify(o.value, probe.known)) if isinstance(o.value, np.ndarray) else None
        if k is not None:
            given.add(k.identity)
        elif o.shape:
            given.add(("?", o.shape))
    return finding.step, finding.layer, finding.mistake, frozenset(given)


def _student_outcome(r: Run, probe: Probe) -> Outcome:
    if r.failure is not None:
        return Outcome(None, r.failure.type, _where(r.failure, probe))
    return Outcome(_right_container(r.value, probe))


def _variant_outcome(replace: Mapping[str, str], probe: Probe, extra: Mapping[str, Any]) -> Outcome:
    try:
        D = run(probe.Theta, probe.X, probe.Y, probe.lam, replace, **extra).D
    except StepError as error:
        failure = failure_of(error.error, lambda f: f.startswith("<the line "))
        return Outcome(None, type(error.error).__name__, _where(failure, probe))
    return Outcome({l: np.asarray(v, dtype=float) for l, v in D.items()})


def _matches(student: Outcome, variant: Outcome) -> bool:
    if student.D is None or variant.D is None:
        if student.D is not None or variant.D is not None or student.error != variant.error:
            return False
        assert student.where is not None and variant.where is not None
        *place, given = student.where
        *other, theirs = variant.where
        known = {g for g in given if g[0] != "?"}
        return place == other and (not known or given == theirs)
    return set(student.D) == set(variant.D) and all(
        same(student.D[l], variant.D[l]) for l in variant.D)


def _name(step: str, runs: Sequence[Run], problems: Sequence[Probe], extra: Mapping[str, Any],
          also: str | None = None) -> catalogue.Mistake | None:
    """The one catalogue mistake of ``step`` that reproduces the student wherever it makes a
    difference: on every probe where its line changes the lecture's result, the student's code
    gives that very result (or stops in the same step and layer, on the same kind of operands),
    and it changes at least one. (On the other probes a second mistake may show; it is found
    once this one is mended.)"""
    students = [_student_outcome(r, p) for r, p in zip(runs, problems, strict=True)]
    rights = [Outcome(p.trace.D) for p in problems]
    found = []
    for mistake in catalogue.CATALOGUE:
        if mistake.step != step and mistake.id != also:
            continue
        if mistake.piece not in ("bias", "weigh", "activate", "output", "hidden", "init",
                                 "accumulate", "d"):
            continue
        if mistake.needs and not any(n in extra for n in mistake.needs):
            continue
        for replace in catalogue.replacements(mistake):
            if any(re.search(rf"\b{name}\b", line) and name not in extra
                   for line in replace.values() for name in ("lam_g", "m_g")):
                continue
            matters = 0
            for s_, r_, p in zip(students, rights, problems, strict=True):
                v = _variant_outcome(replace, p, extra)
                if _matches(r_, v):
                    continue
                if not _matches(s_, v):
                    break
                matters += 1
            else:
                if matters:
                    found.append(mistake)
                    break
    ids = {m.id for m in found}
    return found[0] if len(ids) == 1 else None


def _globals(runs: Sequence[Run]) -> dict[str, Any]:
    """The notebook's λ and m, when the student's function reads them (``lam_g``, ``m_g``)."""
    seen = runs[0].globals_read if runs else {}
    out = {}
    for name in ("lam", "lambda_", "lmbda", "reg_lambda"):
        if isinstance(seen.get(name), int | float):
            out["lam_g"] = float(seen[name])
    for name in ("m",):
        if isinstance(seen.get(name), int):
            out["m_g"] = int(seen[name])
    return out


# ---- the verdict -------------------------------------------------------------------------------

def _message(finding: Finding, mistake: catalogue.Mistake | None) -> str:
    step = STEP_NAMES[finding.step]
    where = f" (layer {finding.layer})" if finding.layer else ""
    lines = [f"✘ backprop goes wrong in {step}{where}."]
    lines += finding.facts
    if mistake is not None:
        lines.append(f"The mistake: {mistake.title} — {mistake.explanation}.")
    else:
        lines.append("The check cannot name the mistake: none of the common mistakes it knows "
                     "gives exactly your numbers on every problem it tried.")
        if finding.entry:
            lines.append(finding.entry)
    return "\n  ".join(lines)


def judge(runs: Sequence[Run], problems: Sequence[Probe] | None = None) -> Verdict:
    """The verdict on the student's backprop from its runs on the probes (see the docstring)."""
    problems = list(problems if problems is not None else probes())
    printed = next((r.printed for r in runs if r.printed), "")

    def verdict(**fields: Any) -> Verdict:
        return Verdict(printed=printed, **fields)

    if any(r.not_written for r in runs):
        return verdict(passed=False, not_written=True, message=(
            "… backprop is not written yet — that's fine: write backprop(Theta, X, Y, lam) in the "
            "cell above, then run this cell again; hint('05-backprop') gives the idea.\n"
            "  (The cells below use nb.backprop wherever they need D.)"))
    calls = [c for r in runs for c in r.calls]
    if calls:
        names = ", ".join(dict.fromkeys(calls))
        return verdict(passed=False, step="package", mistake="package_call", message=(
            f"✘ backprop calls {names} from the package. The capstone asks you to write the "
            "algorithm yourself: the forward pass, every δ⁽ˡ⁾, the accumulators Δ⁽ˡ⁾ and D with "
            "regularization. Of the package it may use only g and g′ (nb.sigmoid and "
            "nb.sigmoid_gradient); anything else hands back the package's own numbers."))
    for r, p in zip(runs, problems, strict=True):
        if r.changed:
            return verdict(passed=False, step="inputs", mistake="inputs_mutated", message=(
                f"✘ backprop changes its argument {r.changed[0]} in place (on {p.title}): after "
                "the call the caller's array holds other numbers. `T[:, 0] = 0`, `Theta[l] -= …` "
                "or `X[...] = …` write into the array you were given, and training would go on "
                "from wrong weights. Build new arrays instead, e.g. `T = Theta[l].copy()`."))
    extra = _globals(runs)
    finding = _first_finding(runs, problems)
    if finding is None:
        return verdict(passed=True, value=None, message=(
            f"✔ backprop is correct: every D⁽ˡ⁾ matches on all {len(problems)} problems (networks "
            "of 2 to 5 layers, the lecture's among them, one example and three, λ = 0, 0.7 and "
            "2.5)."))
    if finding.step == "return":
        what = "returns the wrong thing" if finding.mistake else "cannot be called as the check calls it"
        return verdict(passed=False, step="return", mistake=finding.mistake,
                       message=f"✘ backprop {what}: " + " ".join(finding.facts))
    if finding.step == "method":
        return verdict(passed=False, step="method", message="✘ " + " ".join(finding.facts))
    mistake = _name(finding.step, runs, problems, extra, also=finding.mistake)
    if mistake is not None and mistake.step != finding.step and mistake.id != finding.mistake:
        mistake = None
    if mistake is None and finding.mistake == "outer_transposed" and _transposed_everywhere(
            runs, problems):
        mistake = catalogue.BY_ID["outer_transposed"]
    return verdict(passed=False, step=finding.step, layer=finding.layer,
                   mistake=mistake.id if mistake else None, message=_message(finding, mistake))


def _transposed_everywhere(runs: Sequence[Run], problems: Sequence[Probe]) -> bool:
    """Whether, wherever λ = 0, every D⁽ˡ⁾ the student returns is the right D⁽ˡ⁾ transposed: the
    shares were added the wrong way round, and nothing else is wrong in them."""
    seen = False
    for r, p in zip(runs, problems, strict=True):
        if p.lam != 0 or r.failure is not None:
            continue
        D = _right_container(r.value, p)
        if D is None or not all(same(D[l].T, p.trace.D[l]) for l in p.Theta):
            return False
        seen = True
    return seen


def _first_finding(runs: Sequence[Run], problems: Sequence[Probe]) -> Finding | None:
    """Where the student's results first go wrong, or None when they are right everywhere."""
    by_net: dict[str, dict[str, tuple[Run, Probe]]] = {}
    for r, p in zip(runs, problems, strict=True):
        by_net.setdefault(p.network, {})[p.role] = (r, p)
    for r, p in zip(runs, problems, strict=True):
        if r.failure is not None:
            return _exception_finding(r.failure, p)
    for r, p in zip(runs, problems, strict=True):
        problem = _return_problem(r.value, p)
        if problem is not None:
            return Finding("return", None, p, [f"on {p.title}, {problem}"], mistake="wrong_return")
    for r, p in zip(runs, problems, strict=True):
        D = _right_container(r.value, p)
        assert D is not None
        shape = _shape_finding(D, p)
        if shape is not None:
            return shape
        if not all(np.all(np.isfinite(v)) for v in D.values()):
            return Finding("forward", None, p, [f"on {p.title}, D contains NaN or inf."])
    for net, roles in by_net.items():
        D = {role: _right_container(r.value, p) for role, (r, p) in roles.items()}
        wrong = {role for role, (r, p) in roles.items() if not _right(r.value, p)}
        if not wrong:
            continue
        close = all(_close(D[role], roles[role][1]) for role in wrong)
        if close:
            p = roles[sorted(wrong)[0]][1]
            return Finding("method", None, p, [
                f"backprop's D is close to the right one on {p.title} (to about 1e-6) but not "
                "equal to it, as every correct way of computing backpropagation is (to about "
                "1e-15): that is what a finite difference, or a computation in low precision, "
                "gives. Compute D with the lecture's algorithm, in float64."])
        scaled = _scaled(D, roles)
        if scaled is not None:
            return scaled
        extra_reg = _regularized_at_zero(D, roles)
        if extra_reg is not None:
            return extra_reg
        if "one" in wrong:
            pair = roles.get("other_label")
            return _decode_one(D["one"], roles["one"][1], D.get("other_label"),
                               pair[1] if pair else None)
        if "other_label" in wrong:
            return _decode_one(D["other_label"], roles["other_label"][1], None, None)
        if "batch" in wrong:
            return _decode_batch(D["batch"], roles["batch"][1])
        role = sorted(wrong, key=ROLES.index)[0]
        r, p = roles[role]
        got = D[role]
        assert got is not None
        reg = {l: got[l] - roles["batch" if p.m > 1 else "one"][1].trace.D[l] for l in got}
        want = {l: p.trace.D[l] - roles["batch" if p.m > 1 else "one"][1].trace.D[l] for l in got}
        l = next(l for l in sorted(got) if not same(reg[l], want[l]))
        fact = (f"right for λ = 0, but not on {p.title}: the part that λ adds to D⁽ˡ⁾ is wrong — "
                + off_by(f"in D{sup(l)}, it", reg[l], want[l], lecture_indices=True) + ".")
        if same(reg[l][:, 1:], want[l][:, 1:]) and not same(reg[l][:, 0], want[l][:, 0]):
            fact += " Only its bias column j = 0 is wrong."
        del net
        return Finding("d_terms", l, p, [fact])
    return None


def _scaled(D: Mapping[str, Mapping[int, np.ndarray] | None],
            roles: Mapping[str, tuple[Run, Probe]]) -> Finding | None:
    """Every D⁽ˡ⁾ on every problem a multiple of the right one, the factor set by m alone: the
    D terms are scaled wrong (the 1/m), whatever λ is."""
    factors: dict[int, float] = {}
    for role, (_, p) in roles.items():
        got, want = D[role], p.trace.D
        if got is None:
            return None
        num = sum(float(np.sum(got[l] * want[l])) for l in want)
        den = sum(float(np.sum(want[l] * want[l])) for l in want)
        c = num / den if den else 0.0
        if not all(same(got[l], c * want[l], rtol=1e-7, atol=1e-11) for l in want):
            return None
        if p.m in factors and not np.isclose(factors[p.m], c, rtol=1e-7):
            return None
        factors[p.m] = c
    if all(np.isclose(c, 1.0, rtol=1e-9) for c in factors.values()):
        return None
    p = roles["one"][1]
    text = ", ".join(f"{c:.3g} times the right one with m = {m}" for m, c in sorted(factors.items()))
    return Finding("d_terms", None, p, [
        f"every D⁽ˡ⁾ is {text}, whatever λ is: the examples' shares and the regularization are "
        "right, but D is divided by the wrong number."])


def _regularized_at_zero(D: Mapping[str, Mapping[int, np.ndarray] | None],
                         roles: Mapping[str, tuple[Run, Probe]]) -> Finding | None:
    """With λ = 0, D still has a term c·Θ⁽ˡ⁾ (without its bias column, or with it): the
    regularization does not take the λ it is given."""
    for role in ("one", "batch"):
        got, p = D.get(role), roles[role][1]
        if got is None or p.lam != 0:
            continue
        rest = {l: got[l] - p.trace.D[l] for l in got}
        for kind, base in (("j ≠ 0", {l: no_bias(T) for l, T in p.Theta.items()}),
                           ("every column, j = 0 included", p.Theta)):
            num = sum(float(np.sum(rest[l] * base[l])) for l in rest)
            den = sum(float(np.sum(base[l] * base[l])) for l in rest)
            c = num / den if den else 0.0
            if abs(c) > 1e-12 and all(same(rest[l], c * base[l], rtol=1e-7, atol=1e-11)
                                      for l in rest):
                return Finding("d_terms", None, p, [
                    f"on {p.title}, your D is the right one plus {c:.3g}·Θ⁽ˡ⁾ᵢⱼ ({kind}): with "
                    "λ = 0 there is no regularization, so the term does not come from the "
                    "argument `lam`."])
    return None


def _close(D: Mapping[int, np.ndarray] | None, probe: Probe) -> bool:
    return D is not None and all(
        D[l].shape == probe.trace.D[l].shape
        and np.allclose(D[l], probe.trace.D[l], rtol=CLOSE_RTOL, atol=CLOSE_ATOL) for l in D)


def diagnose_backprop(function: Any, *, seed: int | None = None) -> Verdict:
    """The capstone's verdict on ``function``, printing nothing."""
    if function is None or function is Ellipsis:
        return judge([Run(not_written=True)], probes(seed)[:1])
    if not callable(function):
        return Verdict(passed=False, step="return", mistake=None, message=(
            f"✘ backprop should be a function, backprop(Theta, X, Y, lam), but it is a "
            f"{type(function).__name__}."))
    problems = probes(seed)
    verdict = judge(collect(function, problems), problems)
    if verdict.passed:
        return Verdict(passed=True, message=verdict.message, printed=verdict.printed, value=function)
    return verdict


def _probes(seed: int | None, notebook: Mapping[str, Any] | None) -> list[Probe]:
    return probes(seed)


EXERCISE = register(Exercise(
    id=CAPSTONE, kind="function", name="backprop", names=("Theta", "X", "Y", "lam"),
    probes=_probes, judge=judge, allowed=ALLOWED, step="forward"))
"""The capstone as an exercise record (its check runs through the same steps as every other)."""


__all__ = [
    "ALLOWED",
    "CAPSTONE",
    "NETWORKS",
    "ROLES",
    "STEPS",
    "Probe",
    "collect",
    "diagnose_backprop",
    "judge",
    "no_bias",
    "probes",
]
