"""The capstone's check: the student's whole ``backprop(Theta, X, Y, lam)``, located then named.

The check runs the student's function on probe problems built to separate the lecture's steps
(:mod:`nbhelpers.course.capstone_probes`): networks with no hidden layer, one, two and three,
whose layer sizes all differ (so that a missing transpose cannot fit by accident), one example
and several distinct ones, λ = 0 and two values of λ that are not 1, and one example tried with
two labels. Then it decides, from the numbers alone, which step is wrong
(:mod:`nbhelpers.course.capstone_locate`):

* the arguments changed in place → ``inputs``; a call to the package's gradient → ``package``;
* an exception → the step the failing operation belongs to, read from the values of its operands
  and of the arrays the code held (:mod:`nbhelpers.course.recognize`);
* the returned object is not D → ``return``; a D⁽ˡ⁾ of another shape → the step that shape comes
  from (a transposed share, a kept δ₀, a missing bias column);
* wrong values: with one example and λ = 0 each D⁽ˡ⁾ is δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ, so the student's own a⁽ˡ⁾
  and δ⁽ˡ⁺¹⁾ can be read back from it; the first of them that is wrong is the step. Right with
  one example but wrong with several → the sum over the examples or the 1/m; right for λ = 0 but
  wrong for λ > 0 → the regularization of the D terms.

Only then does it try to name the mistake: a catalogue mistake of that step
(:mod:`nbhelpers.course.mistakes`) is named when running the lecture's loop with its line in
place of the right one (:mod:`nbhelpers.course.steps`) gives the student's D on every probe, or
stops where the student's code stops, on the same probes, with the same kind of operands.
Otherwise the verdict names the step, the layer and the first wrong entry, and says that it
cannot name the mistake.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import mistakes as catalogue
from .capstone_locate import (
    Finding,
    exception_finding,
    first_finding,
    right_container,
    transposed_everywhere,
)
from .capstone_probes import ALLOWED, CAPSTONE, Probe, collect, probes
from .evidence import Failure, Run, failure_of
from .exercise import Exercise, register
from .recognize import best, identify
from .steps import StepError, run
from .verdict import STEP_NAMES, Verdict, same

# ---- naming ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """What a function did on one probe: its D, or the kind of error it stopped with and the
    step and layer where that happened."""

    D: Mapping[int, np.ndarray] | None
    error: str | None = None
    where: tuple[Any, ...] | None = None


def _where(failure: Failure, probe: Probe) -> tuple[Any, ...]:
    """Where the code stopped: the step and layer, and what the failing operation was given
    (each operand's quantity, the same for a loop and a matrix version; "?" for others)."""
    finding = exception_finding(failure, probe)
    given: set[tuple[Any, ...]] = set()
    for o in failure.operands:
        k = best(identify(o.value, probe.known)) if isinstance(o.value, np.ndarray) else None
        if k is not None:
            given.add(k.identity)
        elif o.shape:
            given.add(("?", o.shape))
    return finding.step, finding.layer, finding.mistake, frozenset(given)


def _student_outcome(r: Run, probe: Probe) -> Outcome:
    if r.failure is not None:
        return Outcome(None, r.failure.type, _where(r.failure, probe))
    return Outcome(right_container(r.value, probe))


def _variant_outcome(replace: Mapping[str, str], probe: Probe, extra: Mapping[str, Any]) -> Outcome:
    try:
        D = run(probe.Theta, probe.X, probe.Y, probe.lam, replace, **extra).D
    except StepError as error:
        failure = failure_of(error.error, lambda f: f.startswith("<the line "))
        return Outcome(None, type(error.error).__name__, _where(failure, probe))
    return Outcome({l: np.asarray(v, dtype=float) for l, v in D.items()})


def _matches(student: Outcome, variant: Outcome) -> bool:
    if student.D is None or variant.D is None:
        if student.D is not None or variant.D is not None or student.error != variant.error:
            return False
        assert student.where is not None and variant.where is not None
        *place, given = student.where
        *other, theirs = variant.where
        known = {g for g in given if g[0] != "?"}
        return place == other and (not known or given == theirs)
    return set(student.D) == set(variant.D) and all(
        same(student.D[l], variant.D[l]) for l in variant.D)


def _name(step: str, runs: Sequence[Run], problems: Sequence[Probe], extra: Mapping[str, Any],
          also: str | None = None) -> catalogue.Mistake | None:
    """The one catalogue mistake of ``step`` that reproduces the student wherever it makes a
    difference: on every probe where its line changes the lecture's result, the student's code
    gives that very result (or stops in the same step and layer, on the same kind of operands),
    and it changes at least one. (On the other probes a second mistake may show; it is found
    once this one is mended.)"""
    students = [_student_outcome(r, p) for r, p in zip(runs, problems, strict=True)]
    rights = [Outcome(p.trace.D) for p in problems]
    found = []
    for mistake in catalogue.CATALOGUE:
        if mistake.step != step and mistake.id != also:
            continue
        if mistake.piece not in ("bias", "weigh", "activate", "output", "hidden", "init",
                                 "accumulate", "d"):
            continue
        if mistake.needs and not any(n in extra for n in mistake.needs):
            continue
        for replace in catalogue.replacements(mistake):
            if any(re.search(rf"\b{name}\b", line) and name not in extra
                   for line in replace.values() for name in ("lam_g", "m_g")):
                continue
            matters = 0
            for s_, r_, p in zip(students, rights, problems, strict=True):
                v = _variant_outcome(replace, p, extra)
                if _matches(r_, v):
                    continue
                if not _matches(s_, v):
                    break
                matters += 1
            else:
                if matters:
                    found.append(mistake)
                    break
    ids = {m.id for m in found}
    return found[0] if len(ids) == 1 else None


def _globals(runs: Sequence[Run]) -> dict[str, Any]:
    """The notebook's λ and m, when the student's function reads them (``lam_g``, ``m_g``)."""
    seen = runs[0].globals_read if runs else {}
    out = {}
    for name in ("lam", "lambda_", "lmbda", "reg_lambda"):
        if isinstance(seen.get(name), int | float):
            out["lam_g"] = float(seen[name])
    for name in ("m",):
        if isinstance(seen.get(name), int):
            out["m_g"] = int(seen[name])
    return out


# ---- the verdict -------------------------------------------------------------------------------

def _message(finding: Finding, mistake: catalogue.Mistake | None) -> str:
    step = STEP_NAMES[finding.step]
    where = f" (layer {finding.layer})" if finding.layer else ""
    lines = [f"✘ backprop goes wrong in {step}{where}."]
    lines += [fact[:1].upper() + fact[1:] for fact in finding.facts]
    if mistake is not None:
        lines.append(f"The mistake: {mistake.title} — {mistake.explanation}.")
    elif any("your code stopped with" in fact for fact in finding.facts):
        lines.append("The check names a mistake only from your numbers: put this error right "
                     "first, then run the check again.")
    else:
        lines.append("The check cannot name the mistake: none of the common mistakes it knows "
                     "gives exactly your numbers on every problem it tried.")
        if finding.entry:
            lines.append(finding.entry)
    return "\n  ".join(lines)


def judge(runs: Sequence[Run], problems: Sequence[Probe] | None = None) -> Verdict:
    """The verdict on the student's backprop from its runs on the probes (see the docstring)."""
    problems = list(problems if problems is not None else probes())
    printed = next((r.printed for r in runs if r.printed), "")

    def verdict(**fields: Any) -> Verdict:
        return Verdict(printed=printed, **fields)

    if any(r.not_written for r in runs):
        return verdict(passed=False, not_written=True, message=(
            "… backprop is not written yet — that's fine: write backprop(Theta, X, Y, lam) in the "
            "cell above, then run this cell again; hint('05-backprop') gives the idea.\n"
            "  (The cells below use nb.backprop wherever they need D.)"))
    calls = [c for r in runs for c in r.calls]
    if calls:
        names = ", ".join(dict.fromkeys(calls))
        return verdict(passed=False, step="package", mistake="package_call", message=(
            f"✘ backprop calls {names} from the package. The capstone asks you to write the "
            "algorithm yourself: the forward pass, every δ⁽ˡ⁾, the accumulators Δ⁽ˡ⁾ and D with "
            "regularization. Of the package it may use only g and g′ (nb.sigmoid and "
            "nb.sigmoid_gradient); anything else hands back the package's own numbers."))
    for r, p in zip(runs, problems, strict=True):
        if r.changed:
            return verdict(passed=False, step="inputs", mistake="inputs_mutated", message=(
                f"✘ backprop changes its argument {r.changed[0]} in place (on {p.title}): after "
                "the call the caller's array holds other numbers. `T[:, 0] = 0`, `Theta[l] -= …` "
                "or `X[...] = …` write into the array you were given, and training would go on "
                "from wrong weights. Build new arrays instead, e.g. `T = Theta[l].copy()`."))
    extra = _globals(runs)
    finding = first_finding(runs, problems)
    if finding is None:
        return verdict(passed=True, value=None, message=(
            f"✔ backprop is correct: every D⁽ˡ⁾ matches on all {len(problems)} problems (networks "
            "of 2 to 5 layers, the lecture's among them, one example and three, λ = 0, 0.7 and "
            "2.5)."))
    if finding.step == "return":
        what = "returns the wrong thing" if finding.mistake else "cannot be called as the check calls it"
        return verdict(passed=False, step="return", mistake=finding.mistake,
                       message=f"✘ backprop {what}: " + " ".join(finding.facts))
    if finding.step == "method":
        return verdict(passed=False, step="method", message="✘ " + " ".join(finding.facts))
    mistake = _name(finding.step, runs, problems, extra, also=finding.mistake)
    if mistake is not None and mistake.step != finding.step and mistake.id != finding.mistake:
        mistake = None
    if mistake is None and finding.mistake == "outer_transposed" and transposed_everywhere(
            runs, problems):
        mistake = catalogue.BY_ID["outer_transposed"]
    return verdict(passed=False, step=finding.step, layer=finding.layer,
                   mistake=mistake.id if mistake else None, message=_message(finding, mistake))



def diagnose_backprop(function: Any, *, seed: int | None = None) -> Verdict:
    """The capstone's verdict on ``function``, printing nothing."""
    if function is None or function is Ellipsis:
        return judge([Run(not_written=True)], probes(seed)[:1])
    if not callable(function):
        return Verdict(passed=False, step="return", mistake=None, message=(
            f"✘ backprop should be a function, backprop(Theta, X, Y, lam), but it is a "
            f"{type(function).__name__}."))
    problems = probes(seed)
    verdict = judge(collect(function, problems), problems)
    if verdict.passed:
        return Verdict(passed=True, message=verdict.message, printed=verdict.printed, value=function)
    return verdict


def _probes(seed: int | None, notebook: Mapping[str, Any] | None) -> list[Probe]:
    return probes(seed)


EXERCISE = register(Exercise(
    id=CAPSTONE, kind="function", name="backprop", names=("Theta", "X", "Y", "lam"),
    probes=_probes, judge=judge, allowed=ALLOWED, step="forward"))
"""The capstone as an exercise record (its check runs through the same steps as every other)."""


__all__ = ["EXERCISE", "Outcome", "diagnose_backprop", "judge"]
