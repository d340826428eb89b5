"""Checks for the notebooks' exercises: plain-words feedback instead of tracebacks.

A check compares the student's answer with the reference computed by nbhelpers. It says
whether the answer is missing, has the wrong shape (and which shape is expected, and why),
or has wrong values (which entries, and which common mistake produces exactly those
numbers). It returns the value later cells should use: the student's answer when it is
right, otherwise the reference, saying so, so that the rest of the notebook still runs.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

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
    for mistake in mistakes:
        m_val = np.asarray(mistake.value, dtype=float)
        if m_val.shape == got.shape and np.allclose(got, m_val, atol=TOLERANCE, rtol=TOLERANCE):
            return (f"✘ {name} has the right shape, but its values are exactly what you get "
                    f"if you {mistake.description}.")
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
