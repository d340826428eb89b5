"""Checks for the notebooks' exercises: plain-words feedback instead of tracebacks.

A check compares the student's answer with the reference computed by nbhelpers. It says
whether the answer is missing, has the wrong shape (and which shape is expected, and why),
or has wrong values (which entries, and which common mistake produces exactly those
numbers). It returns the value later cells should use: the student's answer when it is
right, otherwise the reference, saying so, so that the rest of the notebook still runs.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..validation import sup

TOLERANCE = 1e-6
USES_REFERENCE_FUNCTION = "\n  (The cells below use the reference function.)"


@dataclass(frozen=True)
class Mistake:
    """A common mistake and the exact value it produces."""

    description: str
    value: Any


@dataclass(frozen=True)
class Result:
    """The outcome of a check: ``passed`` and the ``value`` later cells should use."""

    passed: bool
    value: Any
    message: str

    def __repr__(self) -> str:
        return f"Result(passed={self.passed})"


def _is_missing(answer: Any) -> bool:
    return answer is Ellipsis or answer is None


def _describe(value: Any) -> str:
    """A short description of one argument: Θ as its shapes per layer, arrays by shape."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_describe(v)}" for k, v in value.items()) + "}"
    if np.ndim(value) == 0:
        return repr(value)
    return f"an array of shape {np.shape(value)}"


def _describe_args(args: Sequence[Any]) -> str:
    return ("arguments: " + "; ".join(_describe(a) for a in args)) if args else "no arguments"


def _shape_message(name: str, got: tuple, want: tuple, why: str) -> str:
    msg = f"✘ {name} has shape {got}, but it should have shape {want}"
    msg += f": {why}." if why else "."
    if got == want[::-1] and got != want:
        msg += " It looks transposed (rows and columns swapped)."
    elif len(got) == len(want) and got[-1:] == (want[-1] + 1,):
        msg += " It has one column too many: did you keep a bias entry?"
    elif len(got) == len(want) and got[-1:] == (want[-1] - 1,):
        msg += " It has one column too few: is the bias unit missing?"
    return msg


def _value_message(name: str, got: np.ndarray, want: np.ndarray,
                   mistakes: Sequence[Mistake], hint: str) -> str:
    scalar = got.shape == ()
    for mistake in mistakes:
        m_val = np.asarray(mistake.value, dtype=float)
        if m_val.shape == got.shape and np.allclose(got, m_val, atol=TOLERANCE, rtol=TOLERANCE):
            if scalar:
                return (f"✘ {name} is a number, as it should be, but it is exactly what you get "
                        f"if you {mistake.description}.")
            return (f"✘ {name} has the right shape, but its values are exactly what you get "
                    f"if you {mistake.description}.")
    if scalar:        # a single number: saying the expected value would give the answer away
        side = "too large" if float(got) > float(want) else "too small"
        lines = [f"✘ {name} is a number, as it should be, but not the right one: yours, "
                 f"{float(got):.6g}, is {side}, and no common mistake gives exactly this number."]
        if hint:
            lines.append(f"  Hint: {hint}")
        return "\n".join(lines)
    wrong = np.argwhere(~np.isclose(got, want, atol=TOLERANCE, rtol=TOLERANCE))
    verb = "differs" if len(wrong) == 1 else "differ"
    lines = [f"✘ {name} has the right shape, but {len(wrong)} of its {got.size} entries "
             f"{verb} from the expected values:"]
    for idx in wrong[:4]:
        i = tuple(int(k) for k in idx)
        key = i if len(i) != 1 else i[0]
        where = f"entry {key}" if i else "the value"
        lines.append(f"    {where}: yours is {got[i]:.6g}, expected {want[i]:.6g}")
    if len(wrong) > 4:
        lines.append(f"    … and {len(wrong) - 4} more")
    if hint:
        lines.append(f"  Hint: {hint}")
    return "\n".join(lines)


def _check_value(name: str, answer: Any, expected: Any, *, why_shape: str = "",
                mistakes: Sequence[Mistake] = (), hint: str = "", todo: str = "") -> Result:
    """Compare an answer (a number or an array) with the expected value, and explain.

    ``why_shape`` says why the expected shape is what it is; ``mistakes`` lists common
    mistakes with the value each produces; ``todo`` says what to write when nothing is there.
    """
    want = np.asarray(expected, dtype=float)
    if _is_missing(answer):
        msg = f"… {name} is not implemented yet — that's fine, here is what to do: {todo or hint}"
        return Result(False, expected, msg + "\n  (The cells below use the reference value.)")
    try:
        if isinstance(answer, str | bytes):     # "0.5" would convert, but is not a number
            raise TypeError
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        msg = f"✘ {name} should be numbers, but it is a {type(answer).__name__}."
        return Result(False, expected, msg + "\n  (The cells below use the reference value.)")
    if got.shape != want.shape:
        msg = _shape_message(name, got.shape, want.shape, why_shape)
    elif not np.all(np.isfinite(got)):
        msg = f"✘ {name} contains NaN or inf: look for a log of 0 or a division by 0."
    elif np.allclose(got, want, atol=TOLERANCE, rtol=TOLERANCE):
        return Result(True, answer, f"✔ {name} is correct.")
    else:
        msg = _value_message(name, got, want, mistakes, hint)
    return Result(False, expected, msg + "\n  (The cells below use the reference value.)")


def _check_function(name: str, function: Callable[..., Any], reference: Callable[..., Any],
                   cases: Sequence[tuple], *, why_shape: str = "",
                   mistakes: Callable[..., Sequence[Mistake]] | None = None,
                   hint: str = "", todo: str = "") -> Result:
    """Call the student's function and the reference on each argument tuple in ``cases``.

    ``mistakes(*args)`` may return the common mistakes for those arguments. The returned
    value is the function later cells should use: the student's when every case passes.
    """
    for args in cases:
        # Each call gets its own copy of the arguments: an answer that changes them in place
        # must not change what the reference (or the list of mistakes) is computed from.
        expected = reference(*copy.deepcopy(args))
        try:
            got = function(*copy.deepcopy(args))
        except NotImplementedError as exc:
            msg = (f"… {name} is not implemented yet — that's fine, here is what to do: "
                   f"{todo or hint or exc}")
            return Result(False, reference, msg + USES_REFERENCE_FUNCTION)
        except Exception as exc:  # a student's bug: report it in words, not as a traceback
            msg = (f"✘ {name} stopped with {type(exc).__name__}: {exc}\n"
                   f"  It was called with {_describe_args(args)}." + (f"\n  Hint: {hint}" if hint else ""))
            return Result(False, reference, msg + USES_REFERENCE_FUNCTION)
        if _is_missing(got):
            msg = f"… {name} does not return anything yet: {todo or hint}"
            return Result(False, reference, msg + USES_REFERENCE_FUNCTION)
        outcome = _check_value(f"{name}(…)", got, expected, why_shape=why_shape,
                              mistakes=mistakes(*args) if mistakes else (), hint=hint)
        if not outcome.passed:
            return Result(False, reference, outcome.message.replace(
                "reference value", "reference function"))
    return Result(True, function, f"✔ {name} is correct on all {len(cases)} test case(s).")


def report(exercise: str | None, result: Result) -> Result:
    """Print the feedback of one check and hand its verdict, under the exercise's id (the
    ``exercise`` entry of the cells' metadata), to whoever grades the notebook.

    The grader reads :data:`VERDICTS` and :data:`MESSAGES` itself, from a copy of this
    package it imported after the student's code ran, never the printed text."""
    print(result.message)
    if exercise is not None:
        VERDICTS[exercise] = bool(result.passed)
        MESSAGES[exercise] = str(result.message).split("\n", 1)[0]
    return result


VERDICTS: dict[str, bool] = {}
"""The verdict of every check run so far, by exercise id (read by the grader)."""

MESSAGES: dict[str, str] = {}
"""The first line of the feedback of every check run so far, by exercise id (the reason the
grader writes next to the verdict)."""


def check_value(name: str, answer: Any, expected: Any, *, exercise: str | None = None,
                **options: Any) -> Result:
    """Check a value exercise and print the feedback; see :func:`_check_value` for options."""
    return report(exercise, _check_value(name, answer, expected, **options))


def check_function(name: str, function: Callable[..., Any], reference: Callable[..., Any],
                   cases: Sequence[tuple], *, exercise: str | None = None, **options: Any) -> Result:
    """Check a function exercise and print the feedback; see :func:`_check_function`."""
    return report(exercise, _check_function(name, function, reference, cases, **options))


# ---- layer-by-layer values (Δ, D): a dict keyed like Θ ----------------------------------------

def _layer_key_problem(answer: Any, expected: Mapping[int, Any], name: str) -> str | None:
    """What is wrong with the container of a per-layer answer, or None when its keys are right."""
    layers = sorted(expected)
    wanted = f"a dict keyed by the layer numbers {layers[0]}…{layers[-1]} like Θ ({name}[1] for layer 1)"
    if isinstance(answer, list | tuple):
        return (f"✘ {name} is a {type(answer).__name__}; it should be {wanted}. The lecture "
                f"numbers layers from 1, and a list would start at 0.")
    if not isinstance(answer, Mapping):
        return f"✘ {name} is a {type(answer).__name__}; it should be {wanted}."
    keys = list(answer)
    if sorted(keys, key=repr) == sorted([k - 1 for k in layers], key=repr):
        return (f"✘ {name} has the 0-based keys {sorted(keys)}; the lecture's layers are "
                f"numbered from 1, so {name}[l] must belong to Θ⁽ˡ⁾: keys {layers}.")
    missing = [k for k in layers if k not in answer]
    extra = [k for k in keys if k not in expected]
    if missing or extra:
        parts = [f"no entry for l = {missing}"] if missing else []
        parts += [f"entries Θ does not have: {extra}"] if extra else []
        return f"✘ {name} has keys {keys}: " + ", ".join(parts) + f". It should be {wanted}."
    return None


def _as_layers(answer: Mapping[Any, Any]) -> dict[int, np.ndarray] | str:
    """The answer's entries as float arrays, or a message when one of them is not numbers."""
    out = {}
    for k, v in answer.items():
        try:
            if isinstance(v, str | bytes):
                raise TypeError
            out[k] = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            return f"entry {k!r} is a {type(v).__name__}, not an array of numbers"
    return out


def check_layers(name: str, answer: Any, expected: Mapping[int, Any], *,
                 exercise: str | None = None, mistakes: Sequence[Mistake] = (),
                 why_shape: str | Callable[[int], str] = "", todo: str = "") -> Result:
    """Check a per-layer answer such as Δ or D (a dict keyed 1…L−1 like Θ) and print feedback.

    ``mistakes`` hold whole dicts (the value each mistake gives for every layer); the first
    one that matches the answer on every layer is named. ``why_shape`` may be a function of
    the layer l that says why D⁽ˡ⁾ (or Δ⁽ˡ⁾) has its shape.
    """
    symbol = name + "⁽ˡ⁾"
    tail = "\n  (The cells below use the reference value.)"
    if _is_missing(answer):
        return report(exercise, Result(False, expected, f"… {name} is not implemented yet — "
                                                       f"that's fine. {todo}".rstrip() + tail))
    problem = _layer_key_problem(answer, expected, name)
    if problem is None:
        got = _as_layers(answer)
        if isinstance(got, str):
            problem = f"✘ {name}: {got}."
    if problem is not None:
        return report(exercise, Result(False, expected, problem + tail))
    assert isinstance(got, dict)
    for mistake in mistakes:
        if all(np.shape(mistake.value[l]) == got[l].shape
               and np.allclose(got[l], mistake.value[l], atol=TOLERANCE, rtol=TOLERANCE)
               for l in expected):
            return report(exercise, Result(False, expected, (
                f"✘ {name} has the right keys and shapes, but its values are exactly what you "
                f"get if you {mistake.description}.") + tail))
    for l in sorted(expected):
        why = why_shape(l) if callable(why_shape) else why_shape
        outcome = _check_value(f"{name}[{l}]", got[l], expected[l], why_shape=why)
        if not outcome.passed:
            return report(exercise, Result(False, expected, outcome.message))
    return report(exercise, Result(True, answer, f"✔ {symbol} is correct for every layer "
                                                 f"l = {', '.join(map(str, sorted(expected)))}."))


# ---- the capstone: the student's whole backprop(Theta, X, Y, lam) -----------------------------
#
# check_backprop runs the student's function on problems of its own and compares every D⁽ˡ⁾
# with an implementation of the lecture's algorithm written here, independently of the rest of
# the package. When D is wrong it recomputes D with each common mistake made on purpose (and
# with each pair of them) and names the one that gives the student's numbers. An exception
# becomes a verdict that quotes the student's failing line and explains it.

CAPSTONE = "05-backprop"
"""The exercise id under which :func:`check_backprop` reports its verdict."""

_SUBSCRIPT = str.maketrans("0123456789+-", "₀₁₂₃₄₅₆₇₈₉₊₋")


def _sub(text: Any) -> str:
    return str(text).translate(_SUBSCRIPT)


@dataclass(frozen=True)
class _Case:
    """One test problem of the capstone check."""

    title: str
    Theta: dict[int, np.ndarray]
    X: np.ndarray
    Y: np.ndarray
    lam: float

    @property
    def sizes(self) -> list[int]:
        return [self.Theta[1].shape[1] - 1] + [self.Theta[l].shape[0] for l in sorted(self.Theta)]

    @property
    def L(self) -> int:
        return len(self.Theta) + 1

    @property
    def m(self) -> int:
        return self.X.shape[0]


def _capstone_cases() -> list[_Case]:
    """The lecture's network with m = 1 and m = 3, λ = 0 and λ > 0, then a 3- and a 5-layer net."""
    from ..examples import debug_problem, lecture_network

    def case(problem: Any, lam: float, what: str) -> _Case:
        sizes = "-".join(str(s) for s in problem.sizes)
        title = f"{what} {sizes} network with m = {problem.X.shape[0]}, λ = {lam:g}"
        return _Case(title, {l: np.array(T, dtype=float) for l, T in problem.Theta.items()},
                     np.array(problem.X, dtype=float), np.array(problem.Y, dtype=float), lam)

    one, three = lecture_network(1), lecture_network(3)
    return [case(one, 0.0, "the lecture's"), case(three, 0.0, "the lecture's"),
            case(one, 1.0, "the lecture's"), case(three, 1.0, "the lecture's"),
            case(debug_problem((4, 6, 3), 5), 0.7, "a three-layer"),
            case(debug_problem((2, 4, 3, 3, 2), 6), 0.5, "a five-layer")]


def _g(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


CAPSTONE_MISTAKES: dict[str, str] = {
    "reg_bias": (
        "the bias column regularized: (λ/m)Θ⁽ˡ⁾ was added to column j = 0 of D⁽ˡ⁾ too. The "
        "cost's penalty leaves the bias weights out (its sum starts at j = 1), so the bias "
        "column of D is (1/m)Δ⁽ˡ⁾ alone"),
    "lam_not_over_m": (
        "λ where λ/m belongs: the regularization part is λΘ⁽ˡ⁾ᵢⱼ, as the lecture prints it, but "
        "the derivative of the cost's penalty (λ/2m)ΣΘ² is (λ/m)Θ⁽ˡ⁾ᵢⱼ"),
    "no_1_over_m": (
        "a missing 1/m: D⁽ˡ⁾ uses the sum Δ⁽ˡ⁾ where the average (1/m)Δ⁽ˡ⁾ belongs (J averages "
        "the cost of the m examples)"),
    "no_1_over_m_all": (
        "a missing 1/m: both Δ⁽ˡ⁾ and the regularization part λΘ⁽ˡ⁾ are used without dividing "
        "by m, which makes D exactly m times too large"),
    "no_reg": (
        "the regularization left out: D⁽ˡ⁾ = (1/m)Δ⁽ˡ⁾ everywhere, without the (λ/m)Θ⁽ˡ⁾ᵢⱼ "
        "of the columns j ≠ 0"),
    "reg_minus": (
        "the regularization subtracted: −(λ/m)Θ⁽ˡ⁾ᵢⱼ where the derivative of the penalty is "
        "+(λ/m)Θ⁽ˡ⁾ᵢⱼ"),
    "g_prime_at_a": (
        "g′ evaluated at a: the δ step multiplies by g′(a⁽ˡ⁾) = g(a⁽ˡ⁾)(1 − g(a⁽ˡ⁾)), which "
        "applies the sigmoid twice. The factor is g′(z⁽ˡ⁾), and g′(z⁽ˡ⁾) = a⁽ˡ⁾ .* (1 − a⁽ˡ⁾): "
        "the sigmoid's slope at z, or the same number written with a — not both at once"),
    "g_prime_z_as_a": (
        "g′(z⁽ˡ⁾) written as z⁽ˡ⁾ .* (1 − z⁽ˡ⁾): the form a .* (1 − a) needs the activation "
        "a⁽ˡ⁾ = g(z⁽ˡ⁾), not z⁽ˡ⁾"),
    "no_g_prime": (
        "g′ left out: δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ without the factor .* g′(z⁽ˡ⁾), the slope of unit "
        "j's sigmoid that the error passes through on its way back"),
    "sign": (
        "δ⁽ᴸ⁾ with the sign reversed: y − a⁽ᴸ⁾ where the lecture has δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y. Every δ and "
        "every data term of D then points the other way, so gradient descent would climb"),
    "off_by_one": (
        "δ₀ kept and the last unit's error cut off: (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ has sₗ + 1 entries with δ₀, "
        "the bias unit's, first; dropping the last entry instead of δ₀ shifts every δ⁽ˡ⁾ⱼ by "
        "one unit"),
    "transposed_theta": (
        "Θ⁽ˡ⁾ not transposed in the δ step: Θ⁽ˡ⁾δ⁽ˡ⁺¹⁾ where (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ belongs (the error "
        "of unit j comes back along column j, the weights that leave it)"),
}
"""Every mistake :func:`check_backprop` recomputes and recognises by its numbers, in the
lecture's terms. Shape mistakes (δ₀ kept, the bias unit missing, Δ's outer product transposed)
and wrong returns are recognised by their shapes, keys and types instead."""

_DELTA_STEP = ("off_by_one", "transposed_theta")
_G_PRIME = ("g_prime_at_a", "g_prime_z_as_a", "no_g_prime")
_D_STEP = ("reg_bias", "lam_not_over_m", "no_1_over_m", "no_1_over_m_all", "no_reg", "reg_minus")


def _lecture_d(Theta: Mapping[int, np.ndarray], X: np.ndarray, Y: np.ndarray, lam: float,
               mistakes: frozenset[str] = frozenset()) -> dict[int, np.ndarray] | None:
    """The lecture's loop, one example at a time, with the named ``mistakes`` made on purpose.

    None when a mistake cannot run on this network (a Θ⁽ˡ⁾ not transposed needs s₍ₗ₊₁₎ = sₗ).
    """
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}          # Δ⁽ˡ⁾ᵢⱼ = 0
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate(([1.0], x))}, {}                   # a⁽¹⁾ = x, with a₀ = 1
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = _g(z[l + 1]) if l + 1 == L else np.concatenate(([1.0], _g(z[l + 1])))
        delta = {L: y - a[L] if "sign" in mistakes else a[L] - y}
        for l in range(L - 1, 1, -1):
            if "transposed_theta" in mistakes:
                if Theta[l].shape[0] != Theta[l].shape[1] - 1:
                    return None
                back = Theta[l][:, 1:] @ delta[l + 1]
            elif "off_by_one" in mistakes:
                back = (Theta[l].T @ delta[l + 1])[:-1]
            else:
                back = Theta[l][:, 1:].T @ delta[l + 1]
            if "no_g_prime" in mistakes:
                g_prime: Any = 1.0
            elif "g_prime_at_a" in mistakes:
                g_prime = _g(a[l][1:]) * (1 - _g(a[l][1:]))
            elif "g_prime_z_as_a" in mistakes:
                g_prime = z[l] * (1 - z[l])
            else:
                g_prime = a[l][1:] * (1 - a[l][1:])                  # g′(z⁽ˡ⁾)
            delta[l] = back * g_prime
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])                 # Δ⁽ˡ⁾ += δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ
    D = {}
    for l, T in Theta.items():
        unscaled = {"no_1_over_m", "no_1_over_m_all"} & mistakes
        data = Delta[l] if unscaled else Delta[l] / m
        scale = lam if {"lam_not_over_m", "no_1_over_m_all"} & mistakes else lam / m
        R = (0.0 if "no_reg" in mistakes else scale) * T
        if "reg_bias" not in mistakes:
            R[:, 0] = 0.0
        D[l] = data - R if "reg_minus" in mistakes else data + R
    return D


def _same(got: Mapping[int, np.ndarray], want: Mapping[int, np.ndarray]) -> bool:
    return all(got[l].shape == want[l].shape
               and np.allclose(got[l], want[l], atol=TOLERANCE, rtol=TOLERANCE) for l in want)


def _recognise(got: Mapping[int, np.ndarray], case: _Case, right: Mapping[int, np.ndarray],
               others: Sequence[tuple[_Case, Mapping[int, np.ndarray]]] = ()) -> list[str]:
    """The mistake (or pair of mistakes) whose D equals ``got`` on this case and the student's
    D on every one of the ``others`` (so that a mistake hidden on one problem is told apart
    from another that gives the same numbers there), or []."""
    singles = list(CAPSTONE_MISTAKES)
    pairs = [(a, b) for i, a in enumerate(singles) for b in singles[i + 1:]
             if not ({a, b} <= set(_G_PRIME) or {a, b} <= set(_DELTA_STEP)
                     or {a, b} <= set(_D_STEP))]
    pairs += [("no_1_over_m", "reg_bias"), ("no_1_over_m", "lam_not_over_m"),
              ("lam_not_over_m", "reg_bias"), ("no_1_over_m_all", "reg_bias")]

    def fits(combo: tuple[str, ...], c: _Case, theirs: Mapping[int, np.ndarray]) -> bool:
        D = _lecture_d(c.Theta, c.X, c.Y, c.lam, frozenset(combo))
        return D is None or _same(theirs, D)

    for combo in [(k,) for k in singles] + pairs:
        D = _lecture_d(case.Theta, case.X, case.Y, case.lam, frozenset(combo))
        if (D is not None and not _same(D, right) and _same(got, D)
                and all(fits(combo, c, theirs) for c, theirs in others)):
            return list(combo)
    return []


def _shape_story(l: int, got: tuple[int, ...], want: tuple[int, ...]) -> str:
    """Why D⁽ˡ⁾ has the shape ``got`` instead of Θ⁽ˡ⁾'s ``want``, in the lecture's terms."""
    s_next, cols = want
    text = (f"D{sup(l)} has shape {got}, but it must have Θ{sup(l)}'s shape {want}: "
            f"s{_sub(l + 1)} = {s_next} rows (the units of layer {l + 1}) × s{_sub(l)} + 1 = {cols} "
            f"columns (the bias unit and the units of layer {l}).")
    if got == (cols, s_next):
        return text + (" It is transposed: Δ's outer product is the wrong way round. Each "
                       f"example adds δ{sup(l + 1)} as a column times (a{sup(l)})ᵀ as a row, "
                       "which has Θ's shape; (a)(δ)ᵀ gives its transpose.")
    if got == (s_next + 1, cols):
        return text + (f" One row too many: δ₀ kept. δ{sup(l + 1)} has an entry for the bias "
                       f"unit of layer {l + 1}, but a₀ has no incoming weights, so no error: "
                       f"δ{sup(l + 1)} has only the s{_sub(l + 1)} entries of its units.")
    if got == (s_next, cols - 1):
        return text + (f" One column too few: the bias unit missing in the forward pass. "
                       f"a{sup(l)} needs a₀ = 1 in front (Θ{sup(l)}'s column 0 multiplies it), "
                       "and Δ's column 0 accumulates the bias weights' share.")
    if len(got) == 2 and got[1:] == want[1:] and got[0] not in (s_next, s_next + 1):
        return text + (" The number of rows is off: is it the number of examples m? D is summed "
                       "over the examples and averaged, one entry per weight.")
    return text


def _wrong_values_story(got: Mapping[int, np.ndarray], case: _Case,
                        right: Mapping[int, np.ndarray]) -> str:
    """Where the wrong values are, when no known mistake produces them."""
    wrong = [l for l in right if not np.allclose(got[l], right[l], atol=TOLERANCE, rtol=TOLERANCE)]
    lines = [f"D⁽ˡ⁾ is wrong for l = {', '.join(map(str, wrong))} "
             f"(right for the others), and it is not one of the mistakes the check knows."]
    L = case.L
    if L - 1 not in wrong:
        lines.append(f"D{sup(L - 1)} is right, so δ⁽ᴸ⁾ and the Δ and D steps work: look at the "
                     "δ step of the hidden layers, δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ .* g′(z⁽ˡ⁾).")
    elif all(np.allclose(got[l][:, 1:], right[l][:, 1:], atol=TOLERANCE, rtol=TOLERANCE)
             for l in wrong):
        lines.append("Only column j = 0 (the bias column) is wrong: look at how D treats j = 0.")
    l = wrong[0]
    idx = tuple(int(k) for k in np.unravel_index(
        np.argmax(np.abs(got[l] - right[l])), right[l].shape))
    lines.append(f"For example D{sup(l)}[{idx[0]}, {idx[1]}] (the lecture's i = {idx[0] + 1}, "
                 f"j = {idx[1]}): yours is {got[l][idx]:.6g}, expected {right[l][idx]:.6g}.")
    return "\n  ".join(lines)


def _judge(got: Any, case: _Case,
           others: Sequence[tuple[_Case, Mapping[int, np.ndarray]]] = ()) -> str | None:
    """None when ``got`` is the right D for this case, else what is wrong, in the lecture's terms.

    ``others`` are the student's D on the other problems (those of the right shapes), which a
    recognised mistake must explain as well."""
    right = _lecture_d(case.Theta, case.X, case.Y, case.lam)
    assert right is not None
    if got is None:
        return ("a wrong return: your function returned None. It has to end by returning D, a dict with "
                "D[l] = D⁽ˡ⁾ for l = 1…L−1.")
    problem = _layer_key_problem(got, right, "D")
    if problem is not None:
        problem = problem.removeprefix("✘ ")
        entries = (list(got) if isinstance(got, list | tuple)
                   else [got[k] for k in sorted(got)] if isinstance(got, Mapping) else None)
        if entries is not None and len(entries) == len(right):
            try:
                if all(np.allclose(np.asarray(e, dtype=float), right[l], atol=TOLERANCE,
                                   rtol=TOLERANCE) for e, l in zip(entries, sorted(right),
                                                                    strict=True)):
                    problem += " (The arrays themselves are right: only the keys are wrong.)"
            except (TypeError, ValueError):
                pass
        return "a wrong return: " + problem
    arrays = _as_layers(got)
    if isinstance(arrays, str):
        return f"a wrong return: D's {arrays}."
    for l in sorted(right):
        if arrays[l].shape != right[l].shape:
            return _shape_story(l, arrays[l].shape, right[l].shape)
    for l in sorted(right):
        if not np.all(np.isfinite(arrays[l])):
            return f"D{sup(l)} contains NaN or inf: look for a log of 0 or a division by 0."
    if _same(arrays, right):
        return None
    combo = _recognise(arrays, case, right, others)
    if len(combo) == 1:
        return "the values are exactly those of this mistake — " + CAPSTONE_MISTAKES[combo[0]] + "."
    if combo:
        return ("the values are exactly those of two mistakes together:\n    1. "
                + CAPSTONE_MISTAKES[combo[0]] + ";\n    2. " + CAPSTONE_MISTAKES[combo[1]] + ".")
    return _wrong_values_story(arrays, case, right)


# -- exceptions inside the student's function --

def _library_dirs() -> tuple[str, ...]:
    import sysconfig
    from pathlib import Path

    paths = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    paths.add(str(Path(__file__).resolve().parents[1]))              # nbhelpers itself
    return tuple(str(Path(p).resolve()) for p in paths)


def _student_frame(exc: BaseException) -> Any:
    """The last traceback frame in the student's own code (not numpy's, not the package's)."""
    import traceback
    from pathlib import Path

    library = _library_dirs()
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames
            if f.filename.startswith("<") or not str(Path(f.filename).resolve()).startswith(library)]
    return mine[-1] if mine else None


def _size_glossary(numbers: Sequence[int], case: _Case) -> str:
    """What each size means on this network: sₗ, sₗ + 1 or m."""
    s = case.sizes
    parts = []
    for n in dict.fromkeys(numbers):
        meaning = [f"s{_sub(l)} (the units of layer {l}: z{sup(l)}, δ{sup(l)}, g′(z{sup(l)}))"
                   for l in range(2, case.L + 1) if s[l - 1] == n]
        meaning += [f"s{_sub(l)} + 1 (a{sup(l)} with its bias unit, the columns of Θ{sup(l)})"
                    for l in range(1, case.L) if s[l - 1] + 1 == n]
        meaning += [f"s{_sub(1)} (the inputs x, without the bias unit)"] if s[0] == n else []
        meaning += ["m (the number of examples)"] if case.m == n and n > 1 else []
        if meaning:
            parts.append(f"{n} = " + " or ".join(meaning))
    return "; ".join(parts)


def _explain_shape_error(message: str, line: str, case: _Case) -> str:
    """A numpy shape error explained with Θ's shapes, from the sizes in its message."""
    import re

    shapes = [tuple(int(k) for k in g.split(",") if k.strip())
              for g in re.findall(r"\((\d+(?:,\s*\d+)*),?\)", message)]
    sizes = [int(k) for pair in re.findall(r"size (\d+) is different from (\d+)", message)
             for k in pair]
    numbers = sizes or [k for sh in shapes for k in sh]
    theta = ", ".join(f"Θ{sup(l)} is {T.shape[0]} × {T.shape[1]}" for l, T in case.Theta.items())
    lines = [f"On this network {theta}: Θ⁽ˡ⁾ is s₍ₗ₊₁₎ × (sₗ + 1), one column more than layer "
             "l has units, for the bias unit a₀ = 1."]
    glossary = _size_glossary(numbers, case)
    if glossary:
        lines.append(f"The sizes in numpy's message: {glossary}.")
    two_d = [sh for sh in shapes if len(sh) == 2]
    transposed = any(a == b[::-1] and a != b for a in two_d for b in two_d)
    pairs = list(zip(numbers[::2], numbers[1::2], strict=False))
    off_by_one = any(abs(a - b) == 1 for a, b in pairs) or any(
        abs(a[0] - b[0]) == 1 or abs(a[1] - b[1]) == 1 for a in two_d for b in two_d)
    rows_differ = any(abs(a[0] - b[0]) == 1 and a[1] == b[1] for a in two_d for b in two_d)
    cols_differ = any(abs(a[1] - b[1]) == 1 and a[0] == b[0] for a in two_d for b in two_d)
    accumulating = "Delta" in line or "outer" in line
    delta_line = "delta" in line or "δ" in line or re.search(r"\bd\w*\s*=", line) is not None
    untransposed = re.search(r"Theta\[[^\]]*\](\[[^\]]*\])?\s*@\s*delta", line) is not None
    dropped_column = "[:, 1:]" in line or "[:,1:]" in line
    if untransposed and delta_line:
        lines.append("In the δ step Θ⁽ˡ⁾ is not transposed: Θ⁽ˡ⁾ maps layer l to layer l+1 "
                     "(s₍ₗ₊₁₎ × (sₗ + 1)), so the error δ⁽ˡ⁺¹⁾, with its s₍ₗ₊₁₎ entries, goes "
                     "back through (Θ⁽ˡ⁾)ᵀ: (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾, the error of unit j collected along "
                     "column j, the weights that leave it.")
    elif transposed:
        lines.append("Two shapes are each other's transpose: Δ's outer product the wrong way "
                     "round? Δ⁽ˡ⁾ has Θ⁽ˡ⁾'s shape, so each example adds δ⁽ˡ⁺¹⁾ (a column of "
                     "s₍ₗ₊₁₎ entries) times (a⁽ˡ⁾)ᵀ (a row of sₗ + 1 entries), not (a)(δ)ᵀ.")
    elif off_by_one and accumulating and (rows_differ or not cols_differ) and "delta" in line:
        lines.append("The sizes differ by one, in the rows of Δ: δ₀ kept? The δ you add has "
                     "an entry for the bias unit, but a₀ has no incoming weights and so no "
                     "error: δ⁽ˡ⁺¹⁾ has only the s₍ₗ₊₁₎ entries of its units.")
    elif off_by_one and accumulating:
        lines.append("The sizes differ by one, in the columns of Δ: the bias unit missing in "
                     "the forward pass? a⁽ˡ⁾ needs a₀ = 1 in front, because column 0 of Θ⁽ˡ⁾ "
                     "and of Δ⁽ˡ⁾ belongs to the bias unit.")
    elif off_by_one and delta_line and dropped_column:
        lines.append("The sizes differ by one, and in the δ step that is the bias unit. "
                     "(Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ without column 0 has the sₗ entries of the units, so the "
                     "other factor has sₗ + 1: g′ computed from a⁽ˡ⁾ with its bias unit a₀. "
                     "g′(z⁽ˡ⁾) = a⁽ˡ⁾ .* (1 − a⁽ˡ⁾) uses the units' activations only, not a₀.")
    elif off_by_one and delta_line:
        lines.append("The sizes differ by one, and in the δ step that is the bias unit: δ₀ "
                     "kept. (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ taken over all columns of Θ⁽ˡ⁾ has sₗ + 1 entries, "
                     "the first, δ₀, for the bias unit; a₀ has no incoming weights and so no "
                     "error, and g′(z⁽ˡ⁾) has only sₗ entries. Leave Θ⁽ˡ⁾'s column 0 out. (If "
                     "you wrote g′ as a⁽ˡ⁾ .* (1 − a⁽ˡ⁾), that a⁽ˡ⁾ must not include a₀ either.)")
    elif off_by_one:
        lines.append("The sizes differ by one, and in the forward pass that means the bias "
                     "unit missing in the forward pass: Θ⁽ˡ⁾ has sₗ + 1 columns, the first "
                     "for a₀ = 1, so put the bias unit in front of a⁽ˡ⁾ (in front of x for "
                     "l = 1) before multiplying.")
    else:
        lines.append("Write the shape of each operand of that line next to it, in terms of "
                     "sₗ and m, and compare with the lecture's formula.")
    return "\n  ".join(lines)


def _explain_exception(exc: BaseException, fn: Callable[..., Any], case: _Case) -> str:
    """A ✘ message for an exception in the student's function: the failing line, explained."""
    frame = _student_frame(exc)
    text = f"{type(exc).__name__}: {exc}".strip()
    if frame is None:
        return (f"✘ backprop could not be called as backprop(Theta, X, Y, lam) — Python says "
                f"{text}\n  The check calls it with four arguments: Θ (a dict keyed 1…L−1), X "
                "(m × s₁, one example per row), Y (m × K, one-hot rows) and λ.")
    line = (frame.line or "").strip()
    head = (f"✘ backprop stopped with an error on {case.title}.\n"
            f"  {failing_line(exc, fn)}\n  Python says: {text}")
    if isinstance(exc, ValueError) and re.search(r"shape|size|dimension|broadcast", str(exc)):
        return head + "\n  " + _explain_shape_error(str(exc), line, case)
    if isinstance(exc, KeyError):
        L = case.L
        return head + (f"\n  There is no such key. On this network L = {L}: Θ has keys "
                       f"1…{L - 1}, a⁽ˡ⁾ exists for l = 1…{L}, z⁽ˡ⁾ and δ⁽ˡ⁾ for l = 2…{L} "
                       "(there is no δ⁽¹⁾). A loop written for a fixed number of layers breaks "
                       "on a network of another depth: take L from Θ.")
    if isinstance(exc, IndexError):
        return head + (f"\n  An index beyond the end of an array. On this network the sizes are "
                       f"{case.sizes} and m = {case.m}: example i is row i − 1 of X and Y, "
                       "unit j of a⁽ˡ⁾ is entry j (entry 0 is the bias unit), and δ⁽ˡ⁾ has no "
                       "bias entry.")
    if isinstance(exc, NameError):
        return head + ("\n  A name your function uses is not defined where it runs: define it "
                       "inside the function or import it (np, a sigmoid, …).")
    return head + ("\n  Read the line above with the shapes in mind: Θ⁽ˡ⁾ is s₍ₗ₊₁₎ × (sₗ + 1), "
                   "a⁽ˡ⁾ has sₗ + 1 entries with a₀ = 1, z⁽ˡ⁾ and δ⁽ˡ⁾ have sₗ.")


# -- refusing the package's own backpropagation --

def _package_backprop_codes() -> dict[Any, str]:
    """The code objects of the package's functions that compute Δ or D for the student."""
    from ..accumulate import accumulate, accumulation_history, backprop
    from ..delta import backprop_example
    from ..vectorized import backprop_vectorized

    functions = {"nb.backprop": backprop, "nb.accumulate": accumulate,
                 "nb.accumulation_history": accumulation_history,
                 "nb.backprop_vectorized": backprop_vectorized,
                 "nb.backprop_example": backprop_example}
    return {f.__code__: name for name, f in functions.items()}


def _call_watched(fn: Callable[..., Any], case: _Case) -> tuple[Any, BaseException | None, list[str]]:
    """Call fn on copies of the case's arrays; return (result, exception, package functions it
    called). The calls are watched at run time, so an alias or a wrapper is seen as well."""
    import contextlib
    import io
    import sys
    import warnings

    codes = _package_backprop_codes()
    called: list[str] = []

    def watch(frame: Any, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code in codes and codes[frame.f_code] not in called:
            called.append(codes[frame.f_code])

    args = ({l: T.copy() for l, T in case.Theta.items()}, case.X.copy(), case.Y.copy(), case.lam)
    previous = sys.getprofile()
    result: Any = None
    error: BaseException | None = None
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), \
            np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        sys.setprofile(watch)
        try:
            result = fn(*args)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # the student's bug (even sys.exit): explained, not raised
            error = exc
        finally:
            sys.setprofile(previous)
    return result, error, called


NOT_WRITTEN_YET = (
    "… backprop is not written yet — that's fine, it is simply not implemented yet. Write "
    "backprop(Theta, X, Y, lam) in the cell above and run this check again; hint('05-backprop') "
    "gives the idea.\n  (The cells below use the reference nb.backprop wherever they need D.)")


def _check_backprop(fn: Any) -> Result:
    cases = _capstone_cases()
    if _is_missing(fn):
        return Result(False, None, NOT_WRITTEN_YET)
    if not callable(fn):
        return Result(False, None, f"✘ backprop should be a function, backprop(Theta, X, Y, "
                                   f"lam), but it is a {type(fn).__name__}.")
    runs = []
    for case in cases:
        got, error, called = _call_watched(fn, case)
        if called:
            return Result(False, None, (
                f"✘ your backprop calls the package's own {' and '.join(called)}. The "
                "capstone asks you to write the algorithm yourself: the forward pass, every "
                "δ⁽ˡ⁾, the accumulators Δ⁽ˡ⁾ and D with regularization."))
        if isinstance(error, NotImplementedError):
            return Result(False, None, NOT_WRITTEN_YET)
        runs.append((case, got, error))
    shaped = []                        # the student's D wherever it has Θ's keys and shapes
    for case, got, error in runs:
        arrays = (_as_layers(got) if error is None and isinstance(got, Mapping)
                  and sorted(got, key=repr) == sorted(case.Theta, key=repr) else None)
        if isinstance(arrays, dict) and all(arrays[l].shape == T.shape
                                            for l, T in case.Theta.items()):
            shaped.append((case, arrays))
    passed: list[str] = []
    for case, got, error in runs:
        if error is not None:
            return Result(False, None, _explain_exception(error, fn, case))
        verdict = _judge(got, case, [(c, a) for c, a in shaped if c is not case])
        if verdict is not None:
            msg = f"✘ backprop gives a wrong D on {case.title}: {verdict}"
            if passed:
                msg += "\n  (It was right on " + "; ".join(passed) + ": the mistake hides there.)"
            return Result(False, None, msg)
        passed.append(case.title)
    return Result(True, fn, f"✔ backprop is correct: every D⁽ˡ⁾ matches on all {len(cases)} "
                            "problems (the lecture's 3-5-5-4 network with m = 1 and 3, λ = 0 and "
                            "1, and networks of three and five layers).")


def check_backprop(fn: Any, *, exercise: str = CAPSTONE) -> bool:
    """Check the student's ``backprop(Theta, X, Y, lam)`` (the capstone) and print ✔ or ✘.

    Runs ``fn`` on problems of its own (the lecture's network with λ = 0 and λ > 0, m = 1 and
    m > 1, networks of three and five layers) and returns True only when every D⁽ˡ⁾ matches.
    On ✘ it names the mistake in the lecture's terms; an exception inside ``fn`` is quoted and
    explained, never raised; a function that calls the package's own backpropagation is
    refused. The verdict is reported under ``exercise``.
    """
    return report(exercise, _check_backprop(fn)).passed


# ---- function exercises: an exception quotes the student's failing line ------------------------

def failing_line(exc: BaseException, function: Callable[..., Any]) -> str:
    """Where in the student's code ``exc`` was raised, as 'line N of your function:' plus the
    line itself, or "" when no frame of the traceback is the student's."""
    frame = _student_frame(exc)
    if frame is None:
        return ""
    code = getattr(function, "__code__", None)
    inside = code is not None and frame.filename == code.co_filename and (
        frame.name == code.co_name          # or a comprehension or lambda inside the function
        or (frame.name.startswith("<") and (frame.lineno or 0) >= code.co_firstlineno))
    if inside:
        where = f"line {frame.lineno - code.co_firstlineno + 1} of your function"
    else:
        where = f"your function {frame.name}, line {frame.lineno}"
    return f"In {where}:\n      {(frame.line or '').strip()}"


def quoted_exception(name: str, function: Callable[..., Any], reference: Callable[..., Any],
                     cases: Sequence[tuple],
                     explain: Callable[[BaseException], str] | None = None) -> Result | None:
    """Run the student's function on each case; when it raises (other than
    NotImplementedError), a ✘ Result quoting the failing line, else None."""
    for args in cases:
        try:
            function(*copy.deepcopy(args))
        except NotImplementedError:
            return None                            # check_function says "not implemented yet"
        except Exception as exc:  # the student's bug: quoted and explained, not raised
            where = failing_line(exc, function)
            msg = f"✘ {name} stopped with {type(exc).__name__}: {str(exc).strip()}"
            msg += f"\n  {where}" if where else ""
            msg += f"\n  It was called with {_describe_args(args)}."
            extra = explain(exc) if explain else ""
            msg += f"\n  {extra}" if extra else ""
            return Result(False, reference, msg + USES_REFERENCE_FUNCTION)
    return None


def check_function_quoted(name: str, function: Callable[..., Any], reference: Callable[..., Any],
                          cases: Sequence[tuple], *, exercise: str | None = None,
                          explain: Callable[[BaseException], str] | None = None,
                          **options: Any) -> Result:
    """:func:`check_function`, but an exception inside the student's function is reported with
    the student's failing line quoted (and ``explain(exc)``, if given, in the lecture's terms)."""
    if callable(function):
        failed = quoted_exception(name, function, reference, cases, explain)
        if failed is not None:
            return report(exercise, failed)
    return check_function(name, function, reference, cases, exercise=exercise, **options)
