"""What a check cell does: judge the answer, print the verdict, record it, hand on a value.

A notebook's check cell is one line (``z2 = nb01.check_z2()``); each exercise module's check
function calls :func:`check` with its exercise's id. The verdicts are recorded by exercise id
in :data:`VERDICTS`, :data:`MESSAGES` and :data:`MISTAKES`, which the grader reads (through
:mod:`nbhelpers.course.feedback`, the same dictionaries). :func:`check_backprop` is the
capstone's check.

This module sits below the exercise modules (course/exercises/ imports it): it looks an
exercise up among those registered (:func:`nbhelpers.course.exercise.exercise_of`) and imports
none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import notebook
from .capstone import diagnose_backprop
from .exercise import Exercise, diagnose, exercise_of
from .judging import failure_text
from .running import run_cell
from .verdict import Verdict


@dataclass(frozen=True)
class Result:
    """The outcome of a check: ``passed`` and the ``value`` later cells should use."""

    passed: bool
    value: Any
    message: str

    def __repr__(self) -> str:
        return f"Result(passed={self.passed})"


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


MISTAKES: dict[str, str | None] = {}
"""The catalogue id of every check run so far that named one, by exercise id."""


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
    exercise = exercise_of(exercise_id)
    names: dict[str, Any] = {}
    if answer is None:
        answer, names = notebook.answer(exercise.names[0] if exercise.kind == "cell"
                                        else exercise.extra.get("function", exercise.name),
                                        exercise.kind)
    own = notebook.without(names, exercise.names if exercise.kind == "cell" else ())
    if exercise.kind == "function" and isinstance(answer, str):
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


def _fallback(exercise: Exercise, names: Any) -> Any:
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


__all__ = ["CAPSTONE", "MESSAGES", "MISTAKES", "VERDICTS", "Result", "check", "check_backprop",
           "report", "show"]
