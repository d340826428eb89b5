"""Notebook 03 · delta terms: the check and hints of its exercise.

``03-deltas``: the student writes ``deltas(Theta, a, z, y)``, every δ⁽ˡ⁾ of one example in a dict
keyed by the lecture's layer numbers: δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y, then δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ .* g′(z⁽ˡ⁾) for
l = L − 1, …, 2, the bias entry δ₀ left out.

The check runs the function on the lecture's network and on a network of another depth. At the
first layer (from L down) whose δ is wrong it names the mistake, trying the common ones on the
student's own (right) δ⁽ˡ⁺¹⁾; an exception becomes a ✘ verdict that quotes the failing line and
explains it in Θ's terms. When the code stops on a shape error, it is also run on a network
whose layers all have the same size, where wrong Θ indices and missing transposes still fit,
so that the mistake behind the error can be named.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ...accumulate import accumulate, backprop
from ...activation import sigmoid_gradient
from ...delta import backprop_example
from ...examples import debug_problem, lecture_network
from ...forward import forward_propagate
from ...validation import Params, sub, sup
from ...vectorized import backprop_vectorized
from ..feedback import TOLERANCE, USES_REFERENCE_FUNCTION, Mistake, Result, report
from ..hints import register_hints
from ..student_code import failing_code, in_thetas_terms, refused, run_student, stopped
from .nb01 import sizes

DELTAS = "03-deltas"
PACKAGE_BACKPROP = (backprop_example, backprop, backprop_vectorized, accumulate)
"""The package's functions that compute δ: ``deltas`` is refused when it calls one."""


def reference_deltas(Theta: Params, a: dict[int, np.ndarray], z: dict[int, np.ndarray],
                     y: Any) -> dict[int, np.ndarray]:
    """Every δ⁽ˡ⁾ of one example, l = L, L − 1, …, 2, keyed by layer number."""
    L = len(Theta) + 1
    delta = {L: a[L] - np.asarray(y, dtype=float)}
    for l in range(L - 1, 1, -1):
        delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * sigmoid_gradient(z[l])
    return delta


def local_mistakes(Theta: Params, a: dict[int, np.ndarray], z: dict[int, np.ndarray],
                   y: np.ndarray, l: int, delta_next: np.ndarray | None) -> list[Mistake]:
    """The common mistakes in the step that computes δ⁽ˡ⁾, each with the δ⁽ˡ⁾ it gives when
    δ⁽ˡ⁺¹⁾ (``delta_next``) is right. Mistakes whose shapes do not fit this network are left
    out (on it they raise an error instead)."""
    L = len(Theta) + 1
    if l == L:
        return [
            Mistake("reversed the sign: δ⁽ᴸ⁾ = y − a⁽ᴸ⁾ instead of a⁽ᴸ⁾ − y (δ is ∂c/∂z, which is "
                    "positive where the output is too large)", y - a[L]),
            Mistake("multiplied δ⁽ᴸ⁾ by g′(z⁽ᴸ⁾): that is the δ⁽ᴸ⁾ of the squared-error cost; "
                    "with the logistic cost c, g′ cancels and δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y",
                    (a[L] - y) * sigmoid_gradient(z[L])),
            Mistake("used z⁽ᴸ⁾ instead of a⁽ᴸ⁾ = g(z⁽ᴸ⁾)", z[L] - y),
        ]
    assert delta_next is not None
    candidates: list[tuple[str, Callable[[], np.ndarray]]] = [
        ("evaluated g′ at a⁽ˡ⁾ instead of at z⁽ˡ⁾: g′(a⁽ˡ⁾) = g(a)(1 − g(a)) is another number; "
         "the lecture's a⁽ˡ⁾ .* (1 − a⁽ˡ⁾) is g′(z⁽ˡ⁾), because a⁽ˡ⁾ = g(z⁽ˡ⁾)",
         lambda: (Theta[l][:, 1:].T @ delta_next) * sigmoid_gradient(a[l][1:])),
        ("left out the factor .* g′(z⁽ˡ⁾)", lambda: Theta[l][:, 1:].T @ delta_next),
        ("multiplied by g(z⁽ˡ⁾) = a⁽ˡ⁾ instead of by g′(z⁽ˡ⁾)",
         lambda: (Theta[l][:, 1:].T @ delta_next) * a[l][1:]),
        ("reversed the sign of the step (a minus sign in front of (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾)",
         lambda: -(Theta[l][:, 1:].T @ delta_next) * sigmoid_gradient(z[l])),
        (f"used Θ{sup(l - 1)} instead of Θ{sup(l)}: δ{sup(l + 1)} came forward through Θ{sup(l)} "
         f"(layer {l} → {l + 1}), so it goes back through Θ{sup(l)}",
         lambda: (Theta[l - 1][:, 1:].T @ delta_next) * sigmoid_gradient(z[l])),
        (f"did not transpose Θ{sup(l)}: Θ{sup(l)} carries layer {l} forward to layer {l + 1}; "
         f"carrying δ{sup(l + 1)} back needs (Θ{sup(l)})ᵀ",
         lambda: (Theta[l][:, 1:] @ delta_next) * sigmoid_gradient(z[l])),
        ("dropped the last entry of (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ instead of entry 0: the bias unit's δ₀ is "
         "entry 0 (column 0 of Θ⁽ˡ⁾)",
         lambda: (Theta[l].T @ delta_next)[:-1] * sigmoid_gradient(z[l])),
    ]
    mistakes = []
    for description, compute in candidates:
        try:
            with np.errstate(all="ignore"):
                value = compute()
        except (ValueError, KeyError, IndexError):
            continue
        if np.shape(value) == np.shape(z[l]):
            mistakes.append(Mistake(description, value))
    return mistakes


# --- the problems the check runs ---------------------------------------------------------------


class Case:
    """One example on one network, with its forward pass and reference δ."""

    def __init__(self, name: str, Theta: Params, x: np.ndarray, y: np.ndarray) -> None:
        self.name, self.Theta, self.y = name, Theta, np.asarray(y, dtype=float)
        fp = forward_propagate(Theta, x)
        self.a, self.z = fp.a, fp.z
        self.L = fp.L
        self.s = sizes(Theta)
        self.want = reference_deltas(Theta, self.a, self.z, self.y)

    def args(self) -> tuple[Any, ...]:
        """(Theta, a, z, y), the arguments of ``deltas`` (the check runs it on copies)."""
        return self.Theta, self.a, self.z, self.y


def _cases() -> list[Case]:
    p = lecture_network()
    deep = debug_problem([4, 3, 3, 3, 2], m=2)
    return [Case("the lecture's 3-5-5-4 network, example 1", p.Theta, p.X[0], p.Y[0]),
            Case("the lecture's network, example 2", p.Theta, p.X[1], p.Y[1]),
            Case("a 5-layer 4-3-3-3-2 network", deep.Theta, deep.X[1], deep.Y[1])]


def _square_case() -> Case:
    """Four layers of 3 units with one-decimal weights, different in every Θ⁽ˡ⁾."""
    rng = np.random.default_rng(3)
    Theta = {l: rng.integers(-9, 10, size=(3, 4)) / 10 for l in (1, 2, 3, 4)}
    x = rng.integers(-10, 11, size=3) / 10
    return Case("a 5-layer network whose layers all have 3 units", Theta, x,
                np.array([0.0, 1.0, 0.0]))


# --- comparing a returned dict with the reference -----------------------------------------------


def _close(got: np.ndarray, want: np.ndarray) -> bool:
    return got.shape == want.shape and bool(np.allclose(got, want, atol=TOLERANCE, rtol=TOLERANCE))


def _as_vector(value: Any) -> np.ndarray | None:
    try:
        if isinstance(value, str | bytes):
            return None
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


def compare(got: Any, case: Case) -> tuple[str | None, Mistake | None]:
    """Why ``got`` (what the student's function returned on ``case``) is wrong, and the named
    mistake if one explains it; (None, None) when it is right."""
    L, s, want = case.L, case.s, case.want
    expected_keys = sorted(want)
    if not isinstance(got, dict):
        kind = type(got).__name__
        article = "an" if kind[:1] in "aeiou" else "a"
        return (f"deltas returned {article} {kind}, not a dict. Return δ keyed by the lecture's layer "
                f"numbers, {{2: δ⁽²⁾, …, {L}: δ{sup(L)}}}, so that delta[l] is δ⁽ˡ⁾ for "
                f"l = 2…L.", None)
    keys = sorted(got, key=repr)
    if set(got) != set(want):
        if set(got) == {k - 1 for k in want} or set(got) == set(range(len(want))):
            why = ("its keys are shifted by one: key l must hold δ⁽ˡ⁾ for the lecture's layer l "
                   f"(2…{L}), not a 0-based position")
        elif 1 in got:
            why = ("it has a key 1, but there is no δ⁽¹⁾: layer 1 is the input x, with no z⁽¹⁾ "
                   "and nothing to correct, so the loop stops at l = 2")
        elif set(got) < set(want):
            missing = sorted(set(want) - set(got))
            why = (f"δ is missing for layer(s) {missing}: start with δ⁽ᴸ⁾ and go down one layer "
                   f"at a time to l = 2, both ends included")
        else:
            why = f"the keys should be the layers 2…{L}"
        return (f"deltas returned a dict with keys {keys}, but {why}. Expected keys: "
                f"{expected_keys}.", None)
    for l in range(L, 1, -1):
        if got[l] is None:
            return (f"delta[{l}] is None: store δ{sup(l)} under key {l}, for every layer "
                    f"2…{L}.", None)
        vec = _as_vector(got[l])
        if vec is None:
            return f"δ{sup(l)} should be numbers, but it is a {type(got[l]).__name__}.", None
        if vec.shape != want[l].shape:
            msg = (f"δ{sup(l)} has shape {vec.shape}, but it should have shape {want[l].shape}: "
                   f"one entry per unit of layer {l} (s{sub(l)} = {s[l]}), no bias entry.")
            if vec.shape == (s[l] + 1,) and l < L:
                msg += (f" It has one entry too many: it kept δ₀, the entry that (Θ{sup(l)})ᵀ"
                        f"δ{sup(l + 1)} gets from column 0 of Θ{sup(l)}, the bias unit's "
                        f"weights. The bias unit a₀ = 1 is a constant, not g of any z, so it has "
                        f"no δ.")
            elif vec.ndim == 2 and 1 in vec.shape:
                msg += " It is a matrix with one row or column: keep δ as a flat vector."
            return msg, None
        if not np.all(np.isfinite(vec)):
            return f"δ{sup(l)} contains NaN or inf.", None
        if _close(vec, want[l]):
            continue
        delta_next = want[l + 1] if l < L else None
        for mistake in local_mistakes(case.Theta, case.a, case.z, case.y, l, delta_next):
            if _close(vec, np.asarray(mistake.value, dtype=float)):
                where = f"δ{sup(l)}" + (f" (δ{sup(l + 1)} above it is right)" if l < L else "")
                return (f"{where} has the right shape, but its values are exactly what you get "
                        f"if you {mistake.description}.", mistake)
        wrong = np.argwhere(~np.isclose(vec, want[l], atol=TOLERANCE, rtol=TOLERANCE)).ravel()
        above = f" (δ{sup(l + 1)} above it is right)" if l < L else ""
        lines = [f"δ{sup(l)}{above} has the right shape, but {len(wrong)} of its {vec.size} "
                 f"entries differ from the expected values:"]
        lines += [f"    entry {int(j)}: yours is {vec[j]:.6g}, expected {want[l][j]:.6g}"
                  for j in wrong[:4]]
        lines.append(f'  No common mistake gives exactly these numbers; hint("{DELTAS}") '
                     "recalls the idea.")
        return "\n".join(lines), None
    return None, None


def _diagnose(deltas: Callable[..., Any]) -> str:
    """After an error: the mistake the same code shows on a network where every shape fits."""
    case = _square_case()
    run = run_student(deltas, case.args())
    if run.error is not None or run.value is None:
        return ""
    _, mistake = compare(run.value, case)
    if mistake is None:
        return ""
    return (f"\n  On {case.name}, where these shapes happen to fit, the same code runs and gives "
            f"exactly what you get if you {mistake.description}.")


def _fixed_depth(case: Case, lecture: Case) -> str:
    """The sentence said when deltas worked on the lecture's network but fails on ``case``,
    a network of another depth: the number of layers is written into the code."""
    if case.L == lecture.L:
        return ""
    return (f"\n  deltas gave the right δ on the lecture's network (L = {lecture.L}) and fails "
            f"only on this one (L = {case.L}): the number of layers is probably written into "
            f"your code as a fixed number. "
            f"Compute L from Theta (len(Theta) is L − 1) and loop over l = L − 1, …, 2, so "
            f"that the function works for any number of layers.")


def _verdict(passed: bool, message: str, deltas: Callable[..., Any]) -> Callable[..., Any]:
    if not passed:
        message += USES_REFERENCE_FUNCTION
    return report(DELTAS, Result(passed, deltas if passed else reference_deltas, message)).value


def check_deltas(deltas: Any) -> Callable[..., Any]:
    """Check ``deltas(Theta, a, z, y)``; returns the function the cells below use (yours when it
    is right, otherwise the reference)."""
    todo = (f'write the body of deltas in the cell above; hint("{DELTAS}") gives the idea, '
            f'hint("{DELTAS}", 2) the shapes, hint("{DELTAS}", 3) a code skeleton.')
    if deltas is None or deltas is Ellipsis or not callable(deltas):
        return _verdict(False, f"… deltas is not implemented yet — that's fine: {todo}",
                        reference_deltas)
    cases = _cases()
    for case in cases:
        run = run_student(deltas, case.args(), PACKAGE_BACKPROP)
        if run.called:
            return _verdict(False, refused("deltas", run.called, "Write every δ⁽ˡ⁾ yourself."),
                            deltas)
        if isinstance(run.error, NotImplementedError):
            return _verdict(False, f"… deltas is not implemented yet — that's fine: {todo}",
                            reference_deltas)
        depth = _fixed_depth(case, cases[0])
        if run.error is not None:
            explanation = (in_thetas_terms(run.error, failing_code(run.error), case.Theta,
                                           depth=False)
                           + _diagnose(deltas) + depth).lstrip("\n ")
            return _verdict(False, stopped("deltas", run.error, deltas, f"on {case.name}",
                                           explanation), deltas)
        got = run.value
        if got is None or got is Ellipsis:
            return _verdict(False, f"… deltas does not return anything yet: {todo}",
                            reference_deltas)
        problem, _ = compare(got, case)
        if problem is not None:
            return _verdict(False, f"✘ On {case.name}: {problem}{depth}", deltas)
    return _verdict(True, f"✔ deltas is correct on all {len(cases)} test cases (the lecture's "
                          f"network and a network of another depth).", deltas)


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

__all__ = ["DELTAS", "check_deltas", "compare", "local_mistakes", "reference_deltas"]
