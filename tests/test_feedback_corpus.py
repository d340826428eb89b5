"""The acceptance test of the course's feedback (issue 21): every answer of the corpus of
student answers (tests/corpus) gets the verdict it deserves.

Through the public API of nbhelpers.course.feedback (notes/feedback-spec.md): ``diagnose_backprop``
for the capstone, ``diagnose(exercise_id, answer)`` for every other exercise. A right answer
passes. A wrong one fails, at the lecture step the entry expects, naming exactly the catalogue
id it expects, or none when the corpus records a mistake the catalogue does not list (a check
that names a mistake the answer does not contain fails here); its message is not empty and does
not give away the answer of a short exercise. Nothing is printed. That each entry really is
right or wrong is tests/test_corpus_sanity.py's business, judged by the package alone.

The feedback is imported inside the tests, not here: until ``diagnose`` and
``diagnose_backprop`` exist, the verdict tests fail (that is expected) while the corpus's
coverage tests below still run.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import warnings
from decimal import Decimal
from typing import Any

import corpus
import numpy as np
import pytest
from corpus import problems

import nbhelpers as nb

ENTRIES = corpus.entries()


@functools.cache
def notebook_names(exercise: str) -> dict[str, Any]:
    """The names the notebook's cells define before a top-level exercise cell, its own values."""
    return problems.cell_names(exercise)[0]


def verdict_of(entry: corpus.Entry) -> Any:
    from nbhelpers.course import feedback

    if entry.exercise == corpus.CAPSTONE:
        return feedback.diagnose_backprop(entry.answer)
    return feedback.diagnose(entry.exercise, entry.answer)


# ---- what a message may not show --------------------------------------------------------------

SHORT_ANSWERS = ("00-n-params", "01-z2", "02-j-unreg", "02-reg", "05-predicted-change",
                 "09-delta-l-squared")
"""The top-level exercises whose answer is a handful of numbers: printing them gives it away."""

NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:\.\d+)?(?:[eE][-−+]?\d+)?")


def _values(value: Any) -> list[float]:
    return [float(v) for v in np.ravel(np.asarray(value, dtype=float))]


def _own_values(entry: corpus.Entry, names: dict[str, Any]) -> list[float]:
    """The student's own value on the notebook's names, which a message may quote."""
    scope = {"np": np, "nb": nb, **names}
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), \
            np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            exec(compile(entry.answer, f"<corpus {entry.name}>", "exec"), scope)
            return _values(scope[problems.TARGET[entry.exercise]])
        except Exception:  # the cell stops, or makes no number: nothing of its own to quote
            return []


def _significant(token: str) -> int:
    mantissa = re.split("[eE]", token.lstrip("-−"))[0]
    return len(mantissa.replace(".", "").lstrip("0"))


def given_away(message: str, expected: list[float], own: list[float]) -> list[str]:
    """The numbers of ``message`` that show an entry of the expected answer: in size, equal to it
    when rounded as printed with 3 or more significant digits, or equal to it exactly (the
    lecture network's one-decimal numbers give answers such as −0.25; whole numbers below 10 are
    left out, they are positions and shapes). The student's own values may be quoted: they are no
    news to them."""
    secret = [v for v in expected
              if v != 0 and not any(np.isclose(abs(v), abs(o), rtol=1e-9) for o in own)]
    shown = []
    for token in NUMBER.findall(message):
        number = abs(Decimal(token.replace("−", "-")))
        half_step = Decimal(10) ** number.as_tuple().exponent / 2
        for v in secret:
            size = Decimal(abs(v))
            exact = abs(number - size) <= Decimal("1e-12") * max(1, size) and not (
                float(v).is_integer() and abs(v) < 10)
            rounded = _significant(token) >= 3 and abs(number - size) <= half_step * Decimal("1.000001")
            if exact or rounded:
                shown.append(token)
                break
    return shown


def test_given_away_spots_an_answer_printed_in_any_rounding():
    expected = [-0.14451, 0.06808, 74.0]
    assert given_away("entry 1: yours is 0.1, expected −0.1445", expected, []) == ["−0.1445"]
    assert given_away("expected 0.0681", expected, []) == ["0.0681"]
    assert given_away("74 weights", expected, []) == ["74"]
    assert given_away("entry 0: yours is 0.25, expected -0.25", [-0.25, 0.31], []) == ["0.25", "-0.25"]
    assert given_away("entry 0: yours is 0.25, expected -0.25", [-0.25], [0.25]) == []
    assert given_away("entry 3 of 5", [3.0, 5.0], []) == []
    assert given_away("entry 2 is 0.31 too large; shapes (5, 4)", expected, []) == []
    assert given_away("yours is 0.145", expected, [0.14451]) == []


# ---- the verdicts -----------------------------------------------------------------------------

@pytest.mark.parametrize("entry", [pytest.param(e, id=f"{e.exercise}:{e.name}") for e in ENTRIES])
def test_verdict(entry, capsys):
    verdict = verdict_of(entry)
    assert capsys.readouterr().out == "", "diagnose prints nothing: check_* prints the message"
    assert isinstance(verdict.message, str) and verdict.message.strip(), "a verdict says something"
    if entry.passes:
        assert verdict.passed is True, f"a right answer fails ({entry.note}):\n{verdict.message}"
        assert verdict.step is None and verdict.mistake is None
        return
    assert verdict.passed is False, f"a wrong answer passes ({entry.note})"
    assert verdict.step in entry.steps, (
        f"located at {verdict.step!r}, but the mistake is at {entry.step!r} ({entry.note}):\n"
        f"{verdict.message}")
    assert verdict.mistake in entry.mistakes, (
        f"named {verdict.mistake!r}, but the answer's mistake is {entry.mistake!r} "
        f"({entry.note}):\n{verdict.message}")
    if entry.exercise in SHORT_ANSWERS:
        names = notebook_names(entry.exercise)
        expected = _values(problems.cell_reference(entry.exercise, names))
        shown = given_away(verdict.message, expected, _own_values(entry, names))
        assert not shown, f"the message shows the answer ({shown}):\n{verdict.message}"


# ---- the corpus covers what the feedback must get right -------------------------------------------

def _of(exercise: str) -> list[corpus.Entry]:
    return [e for e in ENTRIES if e.exercise == exercise]


def test_the_corpus_is_large_enough():
    capstone = _of(corpus.CAPSTONE)
    assert len(ENTRIES) >= 60
    assert len(capstone) >= 45
    assert sum(e.passes for e in capstone) >= 10
    assert sum(not e.passes and e.step != "package" for e in capstone) >= 28
    assert sum(e.step == "package" for e in capstone) >= 10
    assert len({e.name for e in ENTRIES}) == len(ENTRIES), "every entry has a name of its own"


def test_every_capstone_mistake_of_the_spec_appears():
    named = [m for e in _of(corpus.CAPSTONE) for m in e.mistakes]
    assert set(corpus.CAPSTONE_MISTAKES) <= set(named), set(corpus.CAPSTONE_MISTAKES) - set(named)
    twice = {m for m in set(named) if named.count(m) >= 2 and m not in (None, "package_call")}
    assert len(twice) >= 8, twice
    assert sum(e.mistake is None for e in _of(corpus.CAPSTONE)) >= 5, "mistakes the catalogue lacks"
    assert {e.hidden_on for e in _of(corpus.CAPSTONE)} >= {"m=1", "lam=0", "lam=1", "L=4"}


def test_every_exercise_has_right_and_wrong_answers():
    for exercise in (*corpus.EXERCISES, corpus.CAPSTONE):
        entries = _of(exercise)
        assert any(e.passes for e in entries), exercise
        assert sum(not e.passes for e in entries) >= 2, exercise
    assert {e.exercise for e in ENTRIES} == {*corpus.EXERCISES, corpus.CAPSTONE}


def test_every_named_mistake_is_one_of_the_spec():
    known = {*corpus.CAPSTONE_MISTAKES, *corpus.EXERCISE_MISTAKES, None}
    for entry in ENTRIES:
        assert set(entry.mistakes) <= known, (entry.name, entry.mistake)


ISSUE_CASES = {
    "02-reg with λ forgotten (passes today: the check uses λ = 1)": "reg_without_lambda",
    "08 with a Python loop over the examples": "sb_loop_over_examples",
    "09's relu_gradient that overwrites the caller's z": "relu_overwrites_z",
    "03's deltas that changes a": "deltas_strips_bias_from_a",
    "03's δ₀ kept in a dict named d": "deltas_named_d_keeps_delta0",
    "06's difference that returns the analytic D": "tsd_backprop_entry",
    "06's difference that calls nb.numerical_gradient": "tsd_numerical_gradient",
    "02 using nb.cost": "j_nb_cost",
    "04 using nb.accumulate": "Delta_nb_accumulate",
    "a top-level cell whose code raises": "z2_from_x",
    "the capstone through nbhelpers.course.capstone.lecture_d": "backprop_from_check_reference",
    "the capstone through nbhelpers.course.bugs.correct": "backprop_from_bug_zoo",
    "the capstone through vectorized.backprop_vectorized_unchecked": "backprop_calls_unchecked_kernel",
    "the capstone through nb.numerical_gradient": "backprop_numerical_gradient",
    "the capstone through finite differences of nb.cost": "backprop_finite_differences_of_cost",
    "the Δ loop skipping Θ⁽¹⁾": "backprop_accumulator_skips_first_layer",
    "g′ taken at z⁽ˡ⁺¹⁾": "backprop_g_prime_of_next_layer",
    "Θ⁽ˡ⁻¹⁾ in the δ step": "backprop_theta_of_layer_below",
    "a (K, 1) column δ⁽ᴸ⁾": "backprop_column_target",
    "outer(δ⁽ˡ⁺¹⁾, a⁽ˡ⁺¹⁾)": "backprop_outer_with_own_layer",
}
"""The answers issue 21 names, each of which the feedback got wrong."""


@pytest.mark.parametrize("case", ISSUE_CASES)
def test_the_answers_the_issue_names_are_in_the_corpus(case):
    assert ISSUE_CASES[case] in {e.name for e in ENTRIES}


def test_top_level_cells_that_raise_are_in_the_corpus():
    raising = []
    for entry in ENTRIES:
        if not entry.is_function and not entry.passes:
            scope = {"np": np, "nb": nb, **notebook_names(entry.exercise)}
            with contextlib.redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
                try:
                    exec(compile(entry.answer, entry.name, "exec"), scope)
                except Exception:
                    raising.append(entry.exercise)
    assert len(set(raising)) >= 4, raising
