"""The capstone's first question: where does the student's backprop go wrong?

From the numbers alone, before any mistake is named (:func:`first_finding`): an exception, a
returned object that is not D, a D⁽ˡ⁾ of another shape, or wrong values, read back step by step
(with one example and λ = 0 each D⁽ˡ⁾ is δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ, so the student's own a⁽ˡ⁾ and δ⁽ˡ⁺¹⁾
come out of it). :mod:`nbhelpers.course.capstone` then names the mistake and words the verdict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..validation import sub, sup
from .capstone_probes import ROLES, Probe
from .evidence import Failure, Run
from .recognize import ORDER, Known, best, identify
from .steps import no_bias
from .verdict import CLOSE_ATOL, CLOSE_RTOL, off_by, same


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


def right_container(value: Any, probe: Probe) -> dict[int, np.ndarray] | None:
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
    D = right_container(value, probe)
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
    if right_container(value, probe) is None:
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


def exception_finding(failure: Failure, probe: Probe) -> Finding:
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



def transposed_everywhere(runs: Sequence[Run], problems: Sequence[Probe]) -> bool:
    """Whether, wherever λ = 0, every D⁽ˡ⁾ the student returns is the right D⁽ˡ⁾ transposed: the
    shares were added the wrong way round, and nothing else is wrong in them."""
    seen = False
    for r, p in zip(runs, problems, strict=True):
        if p.lam != 0 or r.failure is not None:
            continue
        D = right_container(r.value, p)
        if D is None or not all(same(D[l].T, p.trace.D[l]) for l in p.Theta):
            return False
        seen = True
    return seen


def first_finding(runs: Sequence[Run], problems: Sequence[Probe]) -> Finding | None:
    """Where the student's results first go wrong, or None when they are right everywhere."""
    by_net: dict[str, dict[str, tuple[Run, Probe]]] = {}
    for r, p in zip(runs, problems, strict=True):
        by_net.setdefault(p.network, {})[p.role] = (r, p)
    for r, p in zip(runs, problems, strict=True):
        if r.failure is not None:
            return exception_finding(r.failure, p)
    for r, p in zip(runs, problems, strict=True):
        problem = _return_problem(r.value, p)
        if problem is not None:
            return Finding("return", None, p, [f"on {p.title}, {problem}"], mistake="wrong_return")
    for r, p in zip(runs, problems, strict=True):
        D = right_container(r.value, p)
        assert D is not None
        shape = _shape_finding(D, p)
        if shape is not None:
            return shape
        if not all(np.all(np.isfinite(v)) for v in D.values()):
            return Finding("forward", None, p, [f"on {p.title}, D contains NaN or inf."])
    for net, roles in by_net.items():
        D = {role: right_container(r.value, p) for role, (r, p) in roles.items()}
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
                + off_by(f"in D{sup(l)}, that part", reg[l], want[l], lecture_indices=True) + ".")
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



__all__ = ["Finding", "Layer", "exception_finding", "first_finding", "right_container",
           "transposed_everywhere"]
