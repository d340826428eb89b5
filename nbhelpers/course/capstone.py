"""The capstone's check: the student's whole ``backprop(Theta, X, Y, lam)``.

:func:`judge_backprop` runs the student's function on problems of its own and compares every
D⁽ˡ⁾ with an implementation of the lecture's algorithm written here, independently of the rest
of the package (:func:`lecture_d`). When D is wrong it recomputes D with each common mistake made
on purpose (and with each pair of them) and names the one that gives the student's numbers. An
exception becomes a verdict that quotes the student's failing line and explains it; a function
that calls the package's own backpropagation is refused. The notebooks call it through
:func:`nbhelpers.course.feedback.check_backprop`, which reports the verdict.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..accumulate import accumulate, accumulation_history, backprop
from ..delta import backprop_example
from ..examples import debug_problem, lecture_network
from ..validation import sub, sup
from ..vectorized import backprop_vectorized
from .feedback import TOLERANCE, Result, as_layers, layer_key_problem
from .student_code import in_thetas_terms, refused, run_student, stopped, student_frame


@dataclass(frozen=True)
class Problem:
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


def problems() -> list[Problem]:
    """The lecture's network with m = 1 and m = 3, λ = 0 and λ > 0, then a 3- and a 5-layer net."""
    def case(problem: Any, lam: float, what: str) -> Problem:
        sizes = "-".join(str(s) for s in problem.sizes)
        title = f"{what} {sizes} network with m = {problem.X.shape[0]}, λ = {lam:g}"
        return Problem(title, {l: np.array(T, dtype=float) for l, T in problem.Theta.items()},
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


def lecture_d(Theta: Mapping[int, np.ndarray], X: np.ndarray, Y: np.ndarray, lam: float,
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


def _recognise(got: Mapping[int, np.ndarray], case: Problem, right: Mapping[int, np.ndarray],
               others: Sequence[tuple[Problem, Mapping[int, np.ndarray]]] = ()) -> list[str]:
    """The mistake (or pair of mistakes) whose D equals ``got`` on this case and the student's
    D on every one of the ``others`` (so that a mistake hidden on one problem is told apart
    from another that gives the same numbers there), or []."""
    singles = list(CAPSTONE_MISTAKES)
    pairs = [(a, b) for i, a in enumerate(singles) for b in singles[i + 1:]
             if not ({a, b} <= set(_G_PRIME) or {a, b} <= set(_DELTA_STEP)
                     or {a, b} <= set(_D_STEP))]
    pairs += [("no_1_over_m", "reg_bias"), ("no_1_over_m", "lam_not_over_m"),
              ("lam_not_over_m", "reg_bias"), ("no_1_over_m_all", "reg_bias")]

    def fits(combo: tuple[str, ...], c: Problem, theirs: Mapping[int, np.ndarray]) -> bool:
        D = lecture_d(c.Theta, c.X, c.Y, c.lam, frozenset(combo))
        return D is None or _same(theirs, D)

    for combo in [(k,) for k in singles] + pairs:
        D = lecture_d(case.Theta, case.X, case.Y, case.lam, frozenset(combo))
        if (D is not None and not _same(D, right) and _same(got, D)
                and all(fits(combo, c, theirs) for c, theirs in others)):
            return list(combo)
    return []


def _shape_story(l: int, got: tuple[int, ...], want: tuple[int, ...]) -> str:
    """Why D⁽ˡ⁾ has the shape ``got`` instead of Θ⁽ˡ⁾'s ``want``, in the lecture's terms."""
    s_next, cols = want
    text = (f"D{sup(l)} has shape {got}, but it must have Θ{sup(l)}'s shape {want}: "
            f"s{sub(l + 1)} = {s_next} rows (the units of layer {l + 1}) × s{sub(l)} + 1 = {cols} "
            f"columns (the bias unit and the units of layer {l}).")
    if got == (cols, s_next):
        return text + (" It is transposed: Δ's outer product is the wrong way round. Each "
                       f"example adds δ{sup(l + 1)} as a column times (a{sup(l)})ᵀ as a row, "
                       "which has Θ's shape; (a)(δ)ᵀ gives its transpose.")
    if got == (s_next + 1, cols):
        return text + (f" One row too many: δ₀ kept. δ{sup(l + 1)} has an entry for the bias "
                       f"unit of layer {l + 1}, but a₀ has no incoming weights, so no error: "
                       f"δ{sup(l + 1)} has only the s{sub(l + 1)} entries of its units.")
    if got == (s_next, cols - 1):
        return text + (f" One column too few: the bias unit missing in the forward pass. "
                       f"a{sup(l)} needs a₀ = 1 in front (Θ{sup(l)}'s column 0 multiplies it), "
                       "and Δ's column 0 accumulates the bias weights' share.")
    if len(got) == 2 and got[1:] == want[1:] and got[0] not in (s_next, s_next + 1):
        return text + (" The number of rows is off: is it the number of examples m? D is summed "
                       "over the examples and averaged, one entry per weight.")
    return text


def _wrong_values_story(got: Mapping[int, np.ndarray], case: Problem,
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


def _judge(got: Any, case: Problem,
           others: Sequence[tuple[Problem, Mapping[int, np.ndarray]]] = ()) -> str | None:
    """None when ``got`` is the right D for this case, else what is wrong, in the lecture's terms.

    ``others`` are the student's D on the other problems (those of the right shapes), which a
    recognised mistake must explain as well."""
    right = lecture_d(case.Theta, case.X, case.Y, case.lam)
    assert right is not None
    if got is None:
        return ("a wrong return: your function returned None. It has to end by returning D, a dict with "
                "D[l] = D⁽ˡ⁾ for l = 1…L−1.")
    problem = layer_key_problem(got, right, "D")
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
    arrays = as_layers(got)
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



# ---- running the student's function ------------------------------------------------------------

PACKAGE_BACKPROP = (backprop, accumulate, accumulation_history, backprop_vectorized,
                    backprop_example)
"""The package's functions that compute Δ or D: the capstone refuses a function that calls one."""

NOT_WRITTEN_YET = (
    "… backprop is not implemented yet: write backprop(Theta, X, Y, lam) in the cell above, then "
    "run this cell again; hint('05-backprop') gives the idea.\n"
    "  (The cells below use the reference nb.backprop wherever they need D.)")

WRITE_IT_YOURSELF = ("The capstone asks you to write the algorithm yourself: the forward pass, "
                     "every δ⁽ˡ⁾, the accumulators Δ⁽ˡ⁾ and D with regularization.")


def _explain_exception(exc: BaseException, fn: Callable[..., Any], problem: Problem) -> str:
    """The ✘ message for an exception in the student's function: the failing line, explained."""
    frame = student_frame(exc)
    if frame is None and isinstance(exc, TypeError):
        return (f"✘ backprop could not be called as backprop(Theta, X, Y, lam) — Python says "
                f"{type(exc).__name__}: {exc}\n  The check calls it with four arguments: Θ (a "
                "dict keyed 1…L−1), X (m × s₁, one example per row), Y (m × K, one-hot rows) "
                "and λ.")
    line = (frame.line or "").strip() if frame is not None else ""
    explanation = in_thetas_terms(exc, line, problem.Theta, problem.m) or (
        "Read the line above with the shapes in mind: Θ⁽ˡ⁾ is s₍ₗ₊₁₎ × (sₗ + 1), a⁽ˡ⁾ has "
        "sₗ + 1 entries with a₀ = 1, z⁽ˡ⁾ and δ⁽ˡ⁾ have sₗ.")
    return stopped("backprop", exc, fn, f"on {problem.title}", explanation)


def _args(problem: Problem) -> tuple[Any, ...]:
    return problem.Theta, problem.X, problem.Y, problem.lam


def _changed_in_place(problem: Problem, given: tuple[Any, ...]) -> str | None:
    """Which argument the student's function wrote into (Θ⁽ˡ⁾, X or Y), or None."""
    Theta, X, Y = given[:3]
    for l, T in problem.Theta.items():
        if not np.array_equal(np.asarray(Theta[l]), T):
            return f"Θ{sup(l)} (Theta[{l}])"
    for name, mine, theirs in (("X", X, problem.X), ("Y", Y, problem.Y)):
        if not np.array_equal(np.asarray(mine), theirs):
            return name
    return None


def judge_backprop(fn: Any) -> Result:
    """The verdict on the student's ``backprop(Theta, X, Y, lam)`` over every problem."""
    cases = problems()
    if fn is None or fn is Ellipsis:
        return Result(False, None, NOT_WRITTEN_YET)
    if not callable(fn):
        return Result(False, None, f"✘ backprop should be a function, backprop(Theta, X, Y, "
                                   f"lam), but it is a {type(fn).__name__}.")
    runs = []
    given: dict[int, tuple[Any, ...]] = {}       # the arguments as the function left them
    for case in cases:
        run = run_student(fn, _args(case), PACKAGE_BACKPROP)
        if run.called:
            return Result(False, None, refused("backprop", run.called, WRITE_IT_YOURSELF))
        if isinstance(run.error, NotImplementedError):
            return Result(False, None, NOT_WRITTEN_YET)
        runs.append((case, run.value, run.error))
        given[id(case)] = run.given
    shaped = []                        # the student's D wherever it has Θ's keys and shapes
    for case, got, error in runs:
        arrays = (as_layers(got) if error is None and isinstance(got, Mapping)
                  and sorted(got, key=repr) == sorted(case.Theta, key=repr) else None)
        if isinstance(arrays, dict) and all(arrays[l].shape == T.shape
                                            for l, T in case.Theta.items()):
            shaped.append((case, arrays))
    passed: list[str] = []
    for case, got, error in runs:
        if error is not None:
            return Result(False, None, _explain_exception(error, fn, case))
        changed = _changed_in_place(case, given[id(case)])
        if changed is not None:
            return Result(False, None, (
                f"✘ backprop changes the caller's {changed} in place (on {case.title}): after the "
                "call it holds other numbers. `T[:, 0] = 0`, `Theta[l] -= …` or `X[...] = …` write "
                "into the array you were given, and training would then go on from wrong weights. "
                "Build new arrays instead, e.g. `T = Theta[l].copy()` before zeroing its column 0."))
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
