"""The parts every exercise's judge shares: the verdicts that do not depend on the exercise
(not written yet, a refused package call, arguments changed in place), an exception explained
with the shapes it was given, a value compared without giving it away, and a mistake named only
when the catalogue's line reproduces the student's results on every probe.

Each exercise module under ``nbhelpers.course.exercises`` writes its ``judge`` from these, with
its own probes and its own pieces of the catalogue (:mod:`nbhelpers.course.mistakes`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import mistakes as catalogue
from .evidence import Failure, Run
from .verdict import Verdict, not_written, off_by, same

_MISSING = object()


@dataclass(frozen=True, kw_only=True)
class CellProbe:
    """A problem for a top-level exercise cell: the notebook names the cell reads, with values."""

    title: str
    values: Mapping[str, Any]
    own: bool = False
    """The notebook's own values (messages then say "on the notebook's values")."""
    expected: Any = None
    """The right value of the cell's answer on these values."""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def namespace(self) -> dict[str, Any]:
        import nbhelpers

        return {"np": np, "nb": nbhelpers, **self.values}

    def args(self) -> tuple[Any, ...]:
        raise TypeError("a cell probe has names, not arguments")


@dataclass(frozen=True, kw_only=True)
class CallProbe:
    """A problem for a function exercise: its arguments, and the right result on them."""

    title: str
    arguments: tuple[Any, ...]
    expected: Any = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def args(self) -> tuple[Any, ...]:
        return self.arguments

    def namespace(self) -> dict[str, Any]:
        raise TypeError("a function probe has arguments, not names")


def printed_of(runs: Sequence[Run]) -> str:
    return next((r.printed for r in runs if r.printed), "")


def common(runs: Sequence[Run], probes: Sequence[Any], *, name: str, hint_id: str,
           task: str) -> Verdict | None:
    """The verdict when the answer is not written yet, calls a refused package function or
    changes its arguments; None when none of these holds. ``task`` says what to write instead
    of the package's call."""
    printed = printed_of(runs)
    if any(r.not_written for r in runs):
        v = not_written(name, hint_id)
        return Verdict(passed=False, not_written=True, message=v.message, printed=printed)
    calls = list(dict.fromkeys(c for r in runs for c in r.calls))
    public = [c for c in calls if c.startswith("nb.")]
    calls = public or calls[:1]
    if calls:
        return Verdict(passed=False, step="package", mistake="package_call", printed=printed,
                       message=(f"✘ {name} calls {', '.join(calls)} from the package. {task} "
                                "The package's function hands back the package's own numbers, "
                                "the very ones the check compares with: yours must come from "
                                "your own code."))
    for r, p in zip(runs, probes, strict=True):
        if r.changed:
            return Verdict(passed=False, step="inputs", mistake="inputs_mutated", printed=printed,
                           message=(f"✘ {name} changes {r.changed[0]} in place (on {p.title}): "
                                    "after it ran, the caller's array holds other numbers. Work "
                                    "on a copy (`.copy()`) or build a new array, and leave what "
                                    "you were given as it was."))
    return None


def failure_text(name: str, failure: Failure, probe: Any, meanings: Mapping[str, str] = {}) -> str:
    """An exception explained in words: the line, what Python said, and the shapes the failing
    operation was given (``meanings`` maps an operand's code to what it is, e.g. ``Theta[1]`` →
    ``Θ⁽¹⁾``)."""
    lines = [f"✘ {name} stopped with {failure.type} on {probe.title}"
             + (f", in the line `{failure.line}`" if failure.line else "")
             + (f" (line {failure.lineno})" if failure.lineno and failure.where != "<cell>" else "")
             + "."]
    if failure.type == "KeyError":
        lines.append(f"Python says: there is no key {failure.message.splitlines()[0][:80]} in "
                     "that dict.")
    elif failure.message:
        lines.append(f"Python says: {failure.message.splitlines()[0][:240]}")
    shaped = [o for o in failure.operands if o.shape is not None]
    if failure.operation and shaped:
        parts = []
        for o in shaped:
            what = meanings.get(o.code, "")
            shape = " × ".join(map(str, o.shape)) if len(o.shape) > 1 else (
                f"{o.shape[0]} entries" if o.shape else "a number")
            parts.append(f"`{o.code}`" + (f" ({what})" if what else "") + f" is {shape}")
        lines.append(f"The operation `{failure.operation}` was given: " + "; ".join(parts) + ".")
    return "\n  ".join(lines)


def value_problem(name: str, got: Any, want: np.ndarray, *, shape_why: str = "") -> str | None:
    """What is wrong with the kind or shape of a returned value (None when it is numbers of the
    right shape): a vector's entries, a matrix's rows and columns."""
    if got is None:
        return f"{name} is None: the code computes nothing, or does not return it."
    if isinstance(got, str | bytes) or (isinstance(got, Mapping) and not isinstance(want, Mapping)):
        return f"{name} is a {type(got).__name__}, not numbers."
    try:
        g = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"{name} is a {type(got).__name__}, not numbers."
    if g.shape != want.shape:
        text = f"{name} has shape {g.shape}, but it should have shape {want.shape}"
        text += f": {shape_why}." if shape_why else "."
        if want.ndim == 1 and g.ndim == 2 and 1 in g.shape and g.size == want.size:
            text += " It is a one-row or one-column matrix: keep it a flat vector of entries."
        elif want.ndim == 1 and g.ndim == 1 and g.size == want.size + 1:
            text += " It has one entry too many."
        elif want.ndim == 1 and g.ndim == 1 and g.size == want.size - 1:
            text += " It has one entry too few."
        elif want.ndim == 2 and g.shape == want.shape[::-1]:
            text += " It is transposed: its rows are the columns it should have."
        return text
    if not np.all(np.isfinite(g)):
        return f"{name} contains NaN or inf: look for a log of 0 or a division by 0."
    return None


def reproduces(runs: Sequence[Run], probes: Sequence[Any],
               wrong: Callable[[Any], Any], *, value: Callable[[Run], Any]) -> bool:
    """Whether ``wrong(probe)`` (a mistake's result on each probe) equals the student's result
    ``value(run)`` on every probe where the student's code returned one."""
    seen = False
    for r, p in zip(runs, probes, strict=True):
        if r.failure is not None:
            return False
        try:
            expected = wrong(p)
        except Exception:
            return False
        got = value(r)
        if expected is None or not _equal(got, expected):
            return False
        seen = True
    return seen


def _equal(got: Any, want: Any) -> bool:
    if isinstance(want, Mapping):
        return isinstance(got, Mapping) and set(got) == set(want) and all(
            _equal(got[k], want[k]) for k in want)
    if isinstance(want, tuple | list) and not isinstance(want, np.ndarray):
        return (isinstance(got, tuple | list) and len(got) == len(want)
                and all(_equal(g, w) for g, w in zip(got, want, strict=True)))
    return same(got, want)


def name_mistake(piece: str | Sequence[str], runs: Sequence[Run], probes: Sequence[Any],
                 wrong: Callable[[catalogue.Mistake, str, Any], Any], *,
                 value: Callable[[Run], Any]) -> catalogue.Mistake | None:
    """The one catalogue mistake of ``piece`` whose line, computed by ``wrong(mistake, line,
    probe)``, reproduces the student on every probe; None when none does or several do."""
    pieces = {piece} if isinstance(piece, str) else set(piece)
    found = []
    for mistake in catalogue.CATALOGUE:
        if mistake.piece not in pieces:
            continue
        for line in mistake.lines:
            if reproduces(runs, probes, lambda p, line=line, m=mistake: wrong(m, line, p),
                          value=value):
                found.append(mistake)
                break
    return found[0] if len({m.id for m in found}) == 1 else None


def wrong_values(name: str, mistake: catalogue.Mistake | None, entry: str, *,
                 short: bool = False) -> str:
    """The ✘ message for right-shaped but wrong values: the mistake when it is known, else the
    first wrong entry by direction and size (``short`` answers get no entry at all, only the
    mistake or the admission that the check cannot name it)."""
    if mistake is not None:
        return (f"✘ {name} has the right shape, but its values are exactly what you get with "
                f"{mistake.title}: {mistake.explanation}.")
    text = (f"✘ {name} has the right shape, but not the right values, and none of the common "
            "mistakes the check knows gives exactly them.")
    if entry and not short:
        text += f"\n  {entry}."
    elif entry:
        text += f"\n  {entry}."
    return text


def first_entry(name: str, got: Any, want: Any, **options: Any) -> str:
    """``off_by`` for a value (a number gets 'too large/too small by' with two digits)."""
    g, w = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if g.shape == () and w.shape == ():
        error = float(g - w)
        return f"{name} is {abs(error):.2g} too {'large' if error > 0 else 'small'}"
    return off_by(name, g, w, **options)


__all__ = ["CallProbe", "CellProbe", "common", "failure_text", "first_entry", "name_mistake",
           "printed_of", "reproduces", "value_problem", "wrong_values"]
