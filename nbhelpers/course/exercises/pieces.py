"""Judging the exercises that are pieces of the lecture's loop: notebook 03's δ of one example,
04's accumulators Δ and 08's stacked δ and Δ.

Their problems are run through the lecture's loop (:func:`nbhelpers.course.steps.run`), which
gives every a⁽ˡ⁾, z⁽ˡ⁾, δ⁽ˡ⁾ and Δ⁽ˡ⁾ the student's answer should reproduce, and the quantities
(:mod:`nbhelpers.course.recognize`) that tell, by value and shape alone, what an array in the
student's code is. Three things are shared here:

* :func:`locate`: the step (and layer) where a student's code stopped, read from the values of
  what the failing operation was given and of the container its line stored into — never from
  variable names;
* :func:`name`: the one catalogue mistake (:mod:`nbhelpers.course.mistakes`) whose line, put in
  place of the loop's own, reproduces the student wherever it makes a difference: the same
  numbers, or a stop in the same step with the same kind of operands;
* :func:`network` and :class:`LoopProblem`: probe problems whose layer sizes all differ, so that
  a missing transpose cannot fit by accident.

(These helpers serve the checks of several notebooks; they belong with
:mod:`nbhelpers.course.judging` once the other checks are migrated.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ...examples import one_hot
from ...validation import sup
from .. import mistakes as catalogue
from ..evidence import Failure, Operand, Run, failure_of
from ..recognize import ORDER, Known, best, identify, library
from ..steps import StepError, Trace, run
from ..verdict import same

LOOP_PIECES = ("bias", "weigh", "activate", "output", "hidden", "init", "accumulate", "d")
"""The pieces of the lecture's loop (:data:`nbhelpers.course.steps.RIGHT`)."""


def network(sizes: Sequence[int], m: int, rng: np.random.Generator,
            labels: Sequence[int] | None = None) -> tuple[dict[int, np.ndarray], np.ndarray,
                                                          np.ndarray]:
    """Θ with two-decimal weights in (−1, 1), m distinct examples in (−0.95, 0.95) and one-hot
    labels (cycling through the classes unless given)."""
    Theta = {l: np.round(rng.uniform(-1, 1, size=(sizes[l], sizes[l - 1] + 1)), 2)
             for l in range(1, len(sizes))}
    X = np.round(rng.uniform(-0.95, 0.95, size=(m, sizes[0])), 2)
    K = sizes[-1]
    chosen = np.arange(m) % K if labels is None else np.asarray(labels)
    return Theta, X, one_hot(chosen, K).reshape(m, K)


@dataclass(frozen=True, kw_only=True)
class LoopProblem:
    """One problem of the loop: Θ, the m examples X and Y, λ, and what the loop makes of them."""

    title: str
    Theta: dict[int, np.ndarray]
    X: np.ndarray
    Y: np.ndarray
    lam: float = 0.0
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def L(self) -> int:
        return len(self.Theta) + 1

    @property
    def m(self) -> int:
        return int(self.X.shape[0])

    @property
    def sizes(self) -> list[int]:
        return [self.Theta[1].shape[1] - 1] + [self.Theta[l].shape[0] for l in sorted(self.Theta)]

    @cached_property
    def trace(self) -> Trace:
        """The lecture's loop on this problem: every a, z, δ, Δ and D."""
        return run(self.Theta, self.X, self.Y, self.lam)

    @cached_property
    def known(self) -> list[Known]:
        """The loop's quantities on this problem, right and wrong forms, one example's and
        stacked."""
        return library(self.Theta, self.trace)

    def theta_shapes(self) -> str:
        """"Θ⁽¹⁾ is 5 × 4, Θ⁽²⁾ is 5 × 6, …"."""
        return ", ".join(f"Θ{sup(l)} is {T.shape[0]} × {T.shape[1]}"
                         for l, T in sorted(self.Theta.items()))


# ---- what an array is, and where the code stopped ------------------------------------------------

def known_as(value: Any, problem: LoopProblem) -> Known | None:
    """The most telling quantity of the loop that ``value`` equals, or None."""
    if not isinstance(value, np.ndarray):
        return None
    return best(identify(value, problem.known))


def identities(operands: Iterable[Operand], problem: LoopProblem) -> frozenset[tuple[Any, ...]]:
    """What each operand of a failing operation is: a quantity's identity (the same for one
    example's vector and its stacked form), or ("?", shape) when it is none of them."""
    out: set[tuple[Any, ...]] = set()
    for o in operands:
        k = known_as(o.value, problem)
        if k is not None:
            out.add(k.identity)
        elif o.shape:
            out.add(("?", tuple(o.shape)))
    return frozenset(out)


def meanings(failure: Failure, problem: LoopProblem) -> dict[str, str]:
    """For :func:`nbhelpers.course.judging.failure_text`: each operand's code → what it is."""
    out = {}
    for o in failure.operands:
        k = known_as(o.value, problem)
        if k is not None:
            out[o.code] = k.label
    return out


def locate(failure: Failure, problem: LoopProblem) -> tuple[str | None, int | None]:
    """The step and layer the failing line belonged to, by what it was given: a wrong form that
    only a mistake makes, else the container it stored into (a dict of δ's, of Δ's), else the
    kind of its operands; (None, None) when none of these tells."""
    L = problem.L
    ops = [known_as(o.value, problem) for o in failure.operands]
    recognized = [k for k in ops if k is not None]
    wrong = [k for k in recognized if k.wrong and k.step]
    if wrong:
        k = min(wrong, key=lambda k: (ORDER.get(k.step or "", 99), -k.layer))
        return k.step, k.layer
    held = [k for _, array in failure.target for k in identify(array, problem.known)
            if not k.wrong]
    kinds = {k.identity[0] for k in held}
    key = failure.target_key if isinstance(failure.target_key, int) else None
    if "delta" in kinds:
        return ("output_delta" if key == L else "hidden_delta"), key
    if kinds & {"Delta", "share"}:
        return "accumulate", key
    kinds = {k.identity[0] for k in recognized}
    if kinds & {"share", "Delta"} or ("delta" in kinds and kinds & {"a", "a_units"}):
        layer = next((k.layer for k in recognized if k.identity[0] in ("a", "share", "Delta")),
                     None)
        return "accumulate", layer
    if kinds & {"back", "back0", "g_prime"}:
        return "hidden_delta", next(k.layer for k in recognized
                                    if k.identity[0] in ("back", "back0", "g_prime"))
    if "delta" in kinds and kinds & {"Theta", "Theta_units"}:
        d = next(k for k in recognized if k.identity[0] == "delta")
        return "hidden_delta", d.layer - 1
    if "y" in kinds:
        return "output_delta", L
    return None, key


# ---- outcomes: what the student's code and a mistake's line did on one problem -------------------

@dataclass(frozen=True)
class Outcome:
    """A result to compare (``value``), or the kind of error it stopped with, where (step,
    layer) and on what (:func:`identities`)."""

    value: Any = None
    error: str | None = None
    where: tuple[str | None, int | None] = (None, None)
    given: frozenset[tuple[Any, ...]] = frozenset()


def student_outcome(r: Run, problem: LoopProblem, value: Callable[[Run], Any]) -> Outcome:
    if r.failure is not None:
        return Outcome(error=r.failure.type, where=locate(r.failure, problem),
                       given=identities(r.failure.operands, problem))
    return Outcome(value=value(r))


AFTER_THE_DELTAS = {"accumulate": "Delta_l", "d": "Delta_l"}
"""The pieces after the δ step, made to do nothing: for an exercise that ends with the δ's."""
AFTER_THE_ACCUMULATORS = {"d": "Delta_l"}
"""The D step made to do nothing: for an exercise that ends with the accumulators."""


def variant_outcome(problem: LoopProblem, replace: Mapping[str, str],
                    value: Callable[[Trace], Any],
                    beyond: Mapping[str, str] = AFTER_THE_ACCUMULATORS) -> Outcome:
    """The loop on the problem with the pieces in ``replace`` written otherwise; the pieces
    in ``beyond``, which come after what the exercise computes, do nothing (a δ or Δ of
    another shape must not stop the loop in a step the exercise does not have)."""
    try:
        trace = run(problem.Theta, problem.X, problem.Y, problem.lam, {**beyond, **replace})
    except StepError as error:
        failure = failure_of(error.error, lambda f: f.startswith("<the line "))
        return Outcome(error=type(error.error).__name__, where=(error.step, error.layer),
                       given=identities(failure.operands, problem))
    return Outcome(value=value(trace))


def equal(got: Any, want: Any) -> bool:
    """Dicts, tuples and arrays with the same keys, lengths, shapes and values."""
    if isinstance(want, Mapping):
        return isinstance(got, Mapping) and set(got) == set(want) and all(
            equal(got[k], want[k]) for k in want)
    if isinstance(want, tuple | list):
        return (isinstance(got, tuple | list) and len(got) == len(want)
                and all(equal(g, w) for g, w in zip(got, want, strict=True)))
    return same(got, want)


def matches(student: Outcome, variant: Outcome) -> bool:
    """Whether the student's code did what the mistake's line does: the same values, or a stop
    with the same kind of error on the same quantities (in the same step)."""
    if student.error is None and variant.error is None:
        return equal(student.value, variant.value)
    if student.error != variant.error:
        return False
    ks = {g for g in student.given if g[0] != "?"}
    kv = {g for g in variant.given if g[0] != "?"}
    if ks or kv:
        return ks == kv and student.where[0] in (None, variant.where[0])
    return student.where == variant.where


def name(steps: Iterable[str], runs: Sequence[Run], problems: Sequence[LoopProblem], *,
         trace_value: Callable[[Trace], Any], run_value: Callable[[Run], Any],
         extra: Mapping[str, Any] | None = None,
         beyond: Mapping[str, str] = AFTER_THE_ACCUMULATORS) -> catalogue.Mistake | None:
    """The one catalogue mistake of the loop's pieces, in one of ``steps``, that reproduces the
    student wherever it makes a difference: on every problem where its line changes the loop's
    result (``trace_value``), the student's result (``run_value``) is that very result, or
    stops as that line stops; and it changes at least one. None when no mistake or several
    different ones do."""
    wanted = set(steps)
    students = [student_outcome(r, p, run_value) for r, p in zip(runs, problems, strict=True)]
    rights = [trace_value(p.trace) for p in problems]
    found: list[catalogue.Mistake] = []
    for mistake in catalogue.CATALOGUE:
        if mistake.step not in wanted or mistake.piece not in LOOP_PIECES:
            continue
        if mistake.needs and not (extra and any(n in extra for n in mistake.needs)):
            continue
        for replace in catalogue.replacements(mistake):
            matters = 0
            for s, right, p in zip(students, rights, problems, strict=True):
                v = variant_outcome(p, replace, trace_value, beyond)
                if v.error is None and equal(v.value, right):
                    continue
                if not matches(s, v):
                    break
                matters += 1
            else:
                if matters:
                    found.append(mistake)
                    break
    return found[0] if len({m.id for m in found}) == 1 else None


def mistake_text(mistake: catalogue.Mistake | None) -> str:
    """The sentence that names a mistake, or says that the check cannot name it."""
    if mistake is not None:
        return f"The mistake: {mistake.title} — {mistake.explanation}."
    return ("The check cannot name the mistake: none of the common mistakes it knows gives "
            "exactly your results on every problem it tried.")


__all__ = ["AFTER_THE_ACCUMULATORS", "AFTER_THE_DELTAS", "LOOP_PIECES", "LoopProblem", "Outcome",
           "equal", "identities", "known_as", "locate", "matches", "meanings", "mistake_text", "name",
           "network", "student_outcome", "variant_outcome"]
