"""Checks for the notebooks' exercises: plain-words feedback instead of tracebacks.

A check compares the student's answer with the reference computed by nbhelpers. It says
whether the answer is missing, has the wrong shape (and which shape is expected, and why),
or has wrong values (which entries, and which common mistake produces exactly those
numbers). It returns the value later cells should use: the student's answer when it is
right, otherwise the reference, saying so, so that the rest of the notebook still runs.

Three kinds: :func:`check_value` (a number or an array), :func:`check_layers` (a dict keyed by
the lecture's layer numbers, such as Δ or D) and :func:`check_function` (the student's function,
run on problems of the check's own through :mod:`nbhelpers.course.student_code`, its result
compared as a value or layer by layer). :func:`check_backprop` checks the capstone.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .student_code import Explain, failing_code, refused, run_student, stopped
from .verdict import Verdict

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
                   hint: str = "", todo: str = "", explain: Explain | None = None,
                   forbidden: Sequence[Callable[..., Any]] = ()) -> Result:
    """Call the student's function and the reference on each argument tuple in ``cases``.

    ``mistakes(*args)`` may return the common mistakes for those arguments. An exception inside
    the student's function is quoted with its line and ``explain(exc, line, args)``; calling one
    of the ``forbidden`` package functions is refused. The returned value is the function later
    cells should use: the student's when every case passes.
    """
    for args in cases:
        # Each call gets its own copy of the arguments: an answer that changes them in place
        # must not change what the reference (or the list of mistakes) is computed from.
        expected = reference(*copy.deepcopy(args))
        run = run_student(function, args, forbidden)
        if run.called:
            msg = refused(name, run.called, "Write the steps yourself.")
            return Result(False, reference, msg + USES_REFERENCE_FUNCTION)
        if isinstance(run.error, NotImplementedError):
            msg = (f"… {name} is not implemented yet — that's fine, here is what to do: "
                   f"{todo or hint or run.error}")
            return Result(False, reference, msg + USES_REFERENCE_FUNCTION)
        if run.error is not None:  # a student's bug: reported in words, not as a traceback
            why = explain(run.error, failing_code(run.error), args) if explain else ""
            msg = stopped(name, run.error, function, f"with {_describe_args(args)}", why)
            msg += f"\n  Hint: {hint}" if hint else ""
            return Result(False, reference, msg + USES_REFERENCE_FUNCTION)
        if _is_missing(run.value):
            msg = f"… {name} does not return anything yet: {todo or hint}"
            return Result(False, reference, msg + USES_REFERENCE_FUNCTION)
        compare = _check_layers if isinstance(expected, Mapping) else _check_value
        outcome = compare(f"{name}(…)", run.value, expected, why_shape=why_shape,
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
        MESSAGES[exercise] = str(result.message)
    return result


VERDICTS: dict[str, bool] = {}
"""The verdict of every check run so far, by exercise id (read by the grader)."""

MESSAGES: dict[str, str] = {}
"""The feedback of every check run so far, whole, by exercise id (the reason the grader writes
next to the verdict, its lines joined on one line)."""


def check_value(name: str, answer: Any, expected: Any, *, exercise: str | None = None,
                **options: Any) -> Result:
    """Check a value exercise and print the feedback; see :func:`_check_value` for options."""
    return report(exercise, _check_value(name, answer, expected, **options))


def check_function(name: str, function: Callable[..., Any], reference: Callable[..., Any],
                   cases: Sequence[tuple], *, exercise: str | None = None, **options: Any) -> Result:
    """Check a function exercise and print the feedback; see :func:`_check_function`."""
    return report(exercise, _check_function(name, function, reference, cases, **options))


# ---- layer-by-layer values (δ, Δ, D): a dict keyed by the lecture's layer numbers -------------

def layer_key_problem(answer: Any, expected: Mapping[int, Any], name: str) -> str | None:
    """What is wrong with the container of a per-layer answer (keyed like ``expected``: 1…L−1
    like Θ, or 2…L like δ), or None when its keys are right."""
    layers = sorted(expected)
    first, last = layers[0], layers[-1]
    like = " like Θ" if first == 1 else ""
    wanted = (f"a dict keyed by the layer numbers {first}…{last}{like} ({name}[{first}] for "
              f"layer {first})")
    if isinstance(answer, list | tuple):
        return (f"✘ {name} is a {type(answer).__name__}; it should be {wanted}. The lecture "
                f"numbers layers from 1, and a list would start at 0.")
    if not isinstance(answer, Mapping):
        return f"✘ {name} is a {type(answer).__name__}; it should be {wanted}."
    keys = list(answer)
    if sorted(keys, key=repr) == sorted([k - 1 for k in layers], key=repr):
        owner = "Θ⁽ˡ⁾" if first == 1 else "layer l"
        return (f"✘ {name} has the 0-based keys {sorted(keys)}; the lecture's layers are "
                f"numbered from 1, so {name}[l] must belong to {owner}: keys {layers}.")
    missing = [k for k in layers if k not in answer]
    extra = [k for k in keys if k not in expected]
    if missing or extra:
        parts = [f"no entry for l = {missing}"] if missing else []
        parts += [f"entries for layers it does not have: {extra}"] if extra else []
        parts += [f"there is no {name}⁽¹⁾: layer 1 is the input x"] if 1 in extra else []
        return f"✘ {name} has keys {keys}: " + ", ".join(parts) + f". It should be {wanted}."
    return None


def as_layers(answer: Mapping[Any, Any]) -> dict[int, np.ndarray] | str:
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


def _check_layers(name: str, answer: Any, expected: Mapping[int, Any], *,
                  mistakes: Sequence[Mistake] = (), why_shape: str | Callable[[int], str] = "",
                  hint: str = "", todo: str = "") -> Result:
    """Compare a per-layer answer (a dict keyed by layer numbers) with the expected one: its
    keys, then whole-dict ``mistakes``, then each layer's shape and values (:func:`_check_value`).
    ``why_shape`` may be a function of the layer l that says why layer l has its shape."""
    tail = "\n  (The cells below use the reference value.)"
    if _is_missing(answer):
        return Result(False, expected, f"… {name} is not implemented yet — that's fine. "
                                       f"{todo or hint}".rstrip() + tail)
    problem = layer_key_problem(answer, expected, name)
    got = as_layers(answer) if problem is None else None
    if isinstance(got, str):
        problem = f"✘ {name}: {got}."
    if problem is not None or not isinstance(got, dict):
        return Result(False, expected, f"{problem}{tail}")
    for mistake in mistakes:
        if all(np.shape(mistake.value[l]) == got[l].shape
               and np.allclose(got[l], mistake.value[l], atol=TOLERANCE, rtol=TOLERANCE)
               for l in expected):
            return Result(False, expected, (
                f"✘ {name} has the right keys and shapes, but its values are exactly what you "
                f"get if you {mistake.description}.") + tail)
    for l in sorted(expected):
        why = why_shape(l) if callable(why_shape) else why_shape
        outcome = _check_value(f"{name}[{l}]", got[l], expected[l], why_shape=why, hint=hint)
        if not outcome.passed:
            return Result(False, expected, outcome.message)
    return Result(True, answer, f"✔ {name}⁽ˡ⁾ is correct for every layer "
                                f"l = {', '.join(map(str, sorted(expected)))}.")


def check_layers(name: str, answer: Any, expected: Mapping[int, Any], *,
                 exercise: str | None = None, **options: Any) -> Result:
    """Check a per-layer answer such as Δ or D (a dict keyed 1…L−1 like Θ) and print feedback;
    see :func:`_check_layers` for the options (``mistakes`` hold whole dicts)."""
    return report(exercise, _check_layers(name, answer, expected, **options))


# ---- the verdicts of the new checks ---------------------------------------------------------------

MISTAKES: dict[str, str | None] = {}
"""The catalogue id of every check run so far that named one, by exercise id."""


def diagnose(exercise_id: str, answer: Any, **options: Any) -> Verdict:
    """The verdict on a student's ``answer`` to an exercise (its function, or its cell's source),
    printing nothing: ``.passed``, ``.step``, ``.mistake``, ``.layer`` and ``.message``. See
    :func:`nbhelpers.course.exercise.diagnose` for the options."""
    from .exercise import diagnose as run

    return run(exercise_id, answer, **options)


def diagnose_backprop(fn: Any, *, seed: int | None = None) -> Verdict:
    """The capstone's verdict on the student's ``backprop(Theta, X, Y, lam)``, printing nothing."""
    from .capstone import diagnose_backprop as run

    return run(fn, seed=seed)


def show(exercise: str, verdict: Verdict) -> Verdict:
    """Print a verdict (and what the student's code printed) and record it under the exercise."""
    print(verdict.report())
    VERDICTS[exercise] = bool(verdict.passed)
    MESSAGES[exercise] = verdict.message
    MISTAKES[exercise] = verdict.mistake
    return verdict


def check(exercise_id: str, answer: Any = None) -> Any:
    """A check cell: judge the student's answer, print the verdict, and return what the cells
    below should use — the student's answer when it is right, otherwise the right one.

    Without ``answer`` the check reads it from the notebook (:mod:`nbhelpers.course.notebook`):
    the exercise cell's source, or the function it defines; an exercise cell that stopped with an
    error is run again here, and its error explained."""
    from . import notebook
    from .exercise import exercise_of
    from .judging import failure_text

    exercise = exercise_of(exercise_id)
    names: dict[str, Any] = {}
    if answer is None:
        answer, names = notebook.answer(exercise.names[0] if exercise.kind == "cell"
                                        else exercise.extra.get("function", exercise.name),
                                        exercise.kind)
    own = notebook.without(names, exercise.names if exercise.kind == "cell" else ())
    if exercise.kind == "function" and isinstance(answer, str):
        from .evidence import run_cell
        function_name = exercise.extra.get("function", exercise.name)
        run = run_cell(answer, own, (function_name,))
        if run.failure is not None:
            verdict = Verdict(passed=False, step=exercise.step or None, message=failure_text(
                f"the cell that defines {exercise.name}", run.failure,
                type("Cell", (), {"title": "its first run"})()))
            show(exercise_id, verdict)
            return _fallback(exercise, own)
        answer = run.value.get(function_name)
    verdict = diagnose(exercise_id, answer, notebook=own or None)
    show(exercise_id, verdict)
    if verdict.passed:
        return verdict.value
    return _fallback(exercise, own)


def _fallback(exercise: Any, names: Any) -> Any:
    if exercise.fallback is None:
        return None
    try:
        value = exercise.fallback(names)
    except Exception:        # the notebook lacks what the reference needs: nothing to hand on
        return None
    print("  (The cells below use the right " + ("function." if exercise.kind == "function"
                                                 else "value.") + ")")
    return value


CAPSTONE = "05-backprop"
"""The exercise id under which :func:`check_backprop` reports its verdict."""


def check_backprop(fn: Any, *, exercise: str = CAPSTONE) -> bool:
    """Check the student's ``backprop(Theta, X, Y, lam)`` (the capstone), print the verdict and
    return whether it passed. See :mod:`nbhelpers.course.capstone` for how it is judged."""
    return show(exercise, diagnose_backprop(fn)).passed
