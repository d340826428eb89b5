"""An exercise as a record, and the one way every check runs: collect evidence, then judge it.

An :class:`Exercise` says what the student writes — a function (``kind="function"``, called with
the arguments ``names``) or a top-level cell (``kind="cell"``, which assigns the names ``names``
and reads the notebook's names ``reads``) —, which package functions it may call (``allowed``:
anything else of nbhelpers is refused), the problems it is tried on (``probes``) and how the
results are judged (``judge``). The checks of every notebook, the capstone's and the grader's
all go through it:

1. :func:`collect` runs the answer on each probe and records a
   :class:`~nbhelpers.course.evidence.Run` (this part never sees a right answer, so the grader
   runs it in its sandbox);
2. the exercise's ``judge`` turns the runs into a :class:`~nbhelpers.course.verdict.Verdict`.

:func:`diagnose` does both, printing nothing. A cell exercise is judged from the cell's source:
it is run again on the notebook's own values and on other problems, so that an answer is right
because of what it computes, not because of the numbers it happens to give on one problem.

This module is the registry: each exercise module (course/exercises/) registers its exercises
(:func:`register`) and their hints (:func:`register_hints`) when it is imported, and this module
imports none of them. Importing :mod:`nbhelpers.course.exercises` registers them all;
:func:`nbhelpers.course.feedback.diagnose` and :mod:`nbhelpers.course.hints` do that first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from .evidence import Run
from .running import run_cell, run_function
from .verdict import Verdict, not_written

PACKAGE_DIR = Path(__file__).resolve().parents[1]


class ExerciseProbe(Protocol):
    """What an exercise's probe offers: a title, and the arguments (a function exercise) or the
    notebook names (a cell exercise) the answer is run with."""

    title: str

    def args(self) -> tuple[Any, ...]: ...

    def namespace(self) -> dict[str, Any]: ...


Judge = Callable[[Sequence[Run], Sequence[Any]], Verdict]
Probes = Callable[[int | None, Mapping[str, Any] | None], Sequence[Any]]


@dataclass(frozen=True, kw_only=True)
class Exercise:
    """One exercise of the series (see the module's docstring)."""

    id: str
    kind: Literal["function", "cell"]
    name: str
    """What the student writes, as messages call it: ``deltas``, ``z⁽²⁾``."""
    names: tuple[str, ...]
    """A function's argument names, or the names a cell assigns (the first is the answer)."""
    probes: Probes
    """``probes(seed, notebook)``: the problems, the notebook's own values first when given."""
    judge: Judge
    reads: tuple[str, ...] = ()
    """The notebook's names a cell reads (they come from the probes)."""
    allowed: tuple[Callable[..., Any], ...] = ()
    """The package functions the answer may call; any other function of nbhelpers is refused."""
    step: str = ""
    """The lecture step the exercise is about (a verdict's ``step`` when it is wrong there)."""
    fallback: Callable[[Mapping[str, Any]], Any] | None = None
    """What the notebook's later cells use when the answer is wrong, from the notebook's
    variables: the right value, or a right function."""
    short: bool = False
    """The answer is a handful of numbers: a message then shows none of its entries."""
    extra: Mapping[str, Any] = field(default_factory=dict)


EXERCISES: dict[str, Exercise] = {}
"""Every exercise, by id (the ``exercise`` entry of its cells' metadata)."""


def register(exercise: Exercise) -> Exercise:
    """Add an exercise to :data:`EXERCISES` (each notebook's module registers its own)."""
    if exercise.id in EXERCISES and EXERCISES[exercise.id] is not exercise:
        raise ValueError(f"the exercise {exercise.id!r} is registered twice")
    EXERCISES[exercise.id] = exercise
    return exercise


HINTS: dict[str, tuple[str, ...]] = {}
"""The hint tiers of every exercise, by id, tier 1 first (:mod:`nbhelpers.course.hints` shows
them)."""


def register_hints(exercise: str, tiers: Sequence[str]) -> None:
    """Record the hints of one exercise, tier 1 first (one to three tiers: the idea, the shapes,
    a code skeleton)."""
    if not 1 <= len(tiers) <= 3:
        raise ValueError(f"exercise {exercise!r}: give one to three hint tiers, not {len(tiers)}.")
    HINTS[exercise] = tuple(tiers)


def collect(exercise: Exercise, answer: Any, problems: Sequence[ExerciseProbe], *,
            package_dir: Path | str | None = PACKAGE_DIR,
            allowed: Sequence[Callable[..., Any]] | None = None) -> list[Run]:
    """The answer run on every problem, as evidence (nothing here knows the right answers)."""
    allowed = exercise.allowed if allowed is None else tuple(allowed)
    if exercise.kind == "function":
        return [run_function(answer, p.args(), names=exercise.names, package_dir=package_dir,
                             allowed=allowed) for p in problems]
    return [run_cell(answer, p.namespace(), exercise.names, package_dir=package_dir,
                     allowed=allowed) for p in problems]


def diagnose(exercise_id: str, answer: Any, *, notebook: Mapping[str, Any] | None = None,
             seed: int | None = None) -> Verdict:
    """The verdict on ``answer`` (a function, or a cell's source) for an exercise; prints nothing.

    ``notebook`` holds the notebook's own values of the names a cell reads (its first problem);
    ``seed`` draws other probe values (the grader draws one per run)."""
    exercise = exercise_of(exercise_id)
    if answer is None or answer is Ellipsis:
        return not_written(exercise.name, exercise.id)
    if exercise.kind == "function" and not callable(answer):
        return Verdict(passed=False, step="return", message=(
            f"✘ {exercise.name} should be a function, but it is a {type(answer).__name__}."))
    if exercise.kind == "cell" and not isinstance(answer, str):
        return Verdict(passed=False, step=exercise.step or None, message=(
            f"✘ the check needs the code of your exercise cell, not a {type(answer).__name__}."))
    problems = exercise.probes(seed, notebook)
    runs = collect(exercise, answer, problems)
    verdict = exercise.judge(runs, problems)
    if verdict.passed:
        value = answer if exercise.kind == "function" else runs[0].value.get(exercise.names[0])
        return Verdict(passed=True, message=verdict.message, printed=verdict.printed, value=value)
    return verdict


def exercise_of(exercise_id: str) -> Exercise:
    """The registered exercise, or an error that lists the ids there are."""
    if exercise_id not in EXERCISES:
        known = ", ".join(sorted(EXERCISES))
        raise ValueError(f"there is no exercise {exercise_id!r}; the exercises are: {known}.")
    return EXERCISES[exercise_id]


__all__ = [
    "EXERCISES",
    "HINTS",
    "PACKAGE_DIR",
    "Exercise",
    "ExerciseProbe",
    "Judge",
    "Probes",
    "collect",
    "diagnose",
    "exercise_of",
    "register",
    "register_hints",
]
