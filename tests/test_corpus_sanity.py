"""The corpus of student answers (tests/corpus) is what it says it is, judged by the package alone.

Every right answer gives the package's numbers (nb.backprop with its λ, the exercises' reference
functions) and, for the capstone, agrees with finite differences (nb.numerical_gradient) on
networks of every depth with layers of different sizes, λ ∈ {0, 0.7}, m ∈ {1, 4}. Every wrong
answer is wrong on at least one of these problems, so that no "wrong" entry is secretly right;
an entry wrong only by changing its arguments, by its return type, by the method it uses or by
calling the package is right in its numbers and wrong in exactly that way. The checks of the
course play no part here: this is the ground truth the feedback is measured against.
"""

from __future__ import annotations

import contextlib
import copy
import io
import sys
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import corpus
import numpy as np
import pytest
from corpus import capstone, exercises, problems

import nbhelpers as nb

NBHELPERS = str(Path(nb.__file__).resolve().parent)
STUDENT_FILES = (str(Path(capstone.__file__).resolve()), str(Path(exercises.__file__).resolve()))
ENTRIES = corpus.entries()


def _by(predicate: Callable[[corpus.Entry], bool]) -> list[Any]:
    return [pytest.param(e, id=e.name) for e in ENTRIES if predicate(e)]


def _students(filename: str) -> bool:
    return filename.startswith("<corpus") or filename in STUDENT_FILES


@dataclass
class Run:
    value: Any
    error: BaseException | None
    given: Any
    calls: set[str]

    def __repr__(self) -> str:
        return f"Run(error={self.error!r}, calls={sorted(self.calls)})"


def _run(call: Callable[[], Any], given: Any) -> Run:
    """Run a student's code: its prints and numpy's warnings hidden, every nbhelpers function it
    calls itself recorded (a call the package makes in turn is not the student's)."""
    calls: set[str] = set()

    def hook(frame: Any, event: str, arg: Any) -> None:
        if (event == "call" and frame.f_code.co_filename.startswith(NBHELPERS)
                and frame.f_back is not None and _students(frame.f_back.f_code.co_filename)):
            calls.add(frame.f_code.co_name)

    value, error = None, None
    previous = sys.getprofile()
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), \
            np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        sys.setprofile(hook)
        try:
            value = call()
        except Exception as exc:  # a student's error is a result here
            error = exc
        finally:
            sys.setprofile(previous)
    return Run(value, error, given, calls)


def run_function(fn: Callable[..., Any], args: tuple[Any, ...]) -> Run:
    given = copy.deepcopy(args)
    return _run(lambda: fn(*given), given)


def run_cell(entry: corpus.Entry, names: dict[str, Any]) -> Run:
    scope = {"np": np, "nb": nb, **copy.deepcopy(names)}
    code = compile(entry.answer, f"<corpus {entry.name}>", "exec")
    run = _run(lambda: exec(code, scope), scope)
    if run.error is None:
        run.value = scope.get(problems.TARGET[entry.exercise], None)
    return run


def same(got: Any, want: Any) -> bool:
    """Equal to rounding: numbers and arrays (same shape), dicts with the same keys, sequences."""
    if isinstance(want, Mapping):
        return (isinstance(got, Mapping) and sorted(got, key=repr) == sorted(want, key=repr)
                and all(same(got[k], want[k]) for k in want))
    if isinstance(want, tuple | list):
        return (isinstance(got, tuple | list) and len(got) == len(want)
                and all(same(a, b) for a, b in zip(got, want, strict=True)))
    try:
        a, b = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-7, atol=1e-10))


def unchanged(before: Any, after: Any) -> bool:
    """Exactly equal, entry by entry (a change in place of any argument shows)."""
    if isinstance(before, Mapping):
        return (isinstance(after, Mapping) and sorted(before, key=repr) == sorted(after, key=repr)
                and all(unchanged(before[k], after[k]) for k in before))
    if isinstance(before, tuple | list):
        return len(before) == len(after) and all(
            unchanged(a, b) for a, b in zip(before, after, strict=True))
    if isinstance(before, np.ndarray):
        return isinstance(after, np.ndarray) and np.array_equal(before, after)
    return True


def right_on(run: Run, want: Any, args: Any) -> bool:
    return run.error is None and same(run.value, want) and unchanged(args, run.given)


# ==== the capstone ==================================================================================

CASES = problems.backprop_cases()
REFERENCE = {c.title: nb.backprop(c.Theta, c.X, c.Y, c.lam) for c in CASES}
ALLOWED = problems.ALLOWED_CALLS


def _capstone(predicate: Callable[[corpus.Entry], bool]) -> list[Any]:
    return _by(lambda e: e.exercise == corpus.CAPSTONE and predicate(e))


def _D(case: problems.Case) -> dict[int, np.ndarray]:
    return {l: np.asarray(D) for l, D in REFERENCE[case.title].items()}


@pytest.mark.parametrize("entry", _capstone(lambda e: e.passes))
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.title)
def test_right_backprop_gives_the_packages_D(entry, case):
    run = run_function(entry.answer, case.args)
    assert run.error is None, run.error
    assert sorted(run.value) == sorted(case.Theta)
    assert same(run.value, _D(case)), {l: np.abs(np.asarray(run.value[l]) - _D(case)[l]).max()
                                       for l in case.Theta}
    assert unchanged(case.args, run.given)
    assert run.calls <= ALLOWED[corpus.CAPSTONE], run.calls


@pytest.fixture(scope="module")
def numeric():
    """Finite differences of J on three of the cases: a check of nb.backprop itself too."""
    chosen = [CASES[1], CASES[3], CASES[4]]
    return {c.title: nb.numerical_gradient(lambda T, c=c: nb.cost(T, c.X, c.Y, c.lam), c.Theta)
            for c in chosen}


@pytest.mark.parametrize("entry", _capstone(lambda e: e.passes))
def test_right_backprop_agrees_with_finite_differences(entry, numeric):
    for case in CASES:
        if case.title in numeric:
            D = entry.answer(*case.args)
            assert nb.relative_difference(numeric[case.title], dict(D)) < 1e-8
            assert nb.relative_difference(numeric[case.title], REFERENCE[case.title]) < 1e-8


@pytest.mark.parametrize("entry", _capstone(lambda e: not e.passes and e.step not in
                                            ("inputs", "return", "package")))
def test_one_mistake_backprop_is_wrong_somewhere(entry):
    outcomes = {c.title: right_on(run_function(entry.answer, c.args), _D(c), c.args) for c in CASES}
    assert not all(outcomes.values()), "right on every problem: not a mistake"
    for case in CASES:
        run = run_function(entry.answer, case.args)
        assert unchanged(case.args, run.given), "changes its arguments as well: two mistakes"
        assert run.calls <= ALLOWED[corpus.CAPSTONE], run.calls


@pytest.mark.parametrize("entry", _capstone(lambda e: e.step == "inputs"))
def test_backprop_that_changes_its_arguments_has_the_right_numbers(entry):
    changed = False
    for case in CASES:
        run = run_function(entry.answer, case.args)
        assert run.error is None and same(run.value, _D(case))
        changed |= not unchanged(case.args, run.given)
    assert changed


@pytest.mark.parametrize("entry", _capstone(lambda e: e.step == "return"))
def test_backprop_with_a_wrong_return_has_the_right_arrays(entry):
    for case in CASES:
        run = run_function(entry.answer, case.args)
        assert run.error is None and unchanged(case.args, run.given)
        got = run.value
        assert not (isinstance(got, Mapping) and sorted(got) == sorted(case.Theta))
        arrays = list(got.values()) if isinstance(got, Mapping) else list(got)
        assert same(arrays, [_D(case)[l] for l in sorted(case.Theta)])


@pytest.mark.parametrize("entry", _capstone(lambda e: e.step == "package"))
def test_cheat_takes_the_packages_numbers(entry):
    case = CASES[3]
    run = run_function(entry.answer, case.args)
    assert run.error is None, f"{run.error!r}: is this route gone? ({entry.note})"
    assert same(run.value, _D(case)) or nb.relative_difference(run.value, _D(case)) < 1e-8
    assert run.calls - ALLOWED[corpus.CAPSTONE], "it calls no package function but g and g′"


@pytest.mark.parametrize("entry", _capstone(lambda e: bool(e.hidden_on)))
def test_hidden_mistake_gives_the_right_D_where_it_hides(entry):
    case = problems.HIDING[entry.hidden_on]
    run = run_function(entry.answer, case.args)
    D = nb.backprop(case.Theta, case.X, case.Y, case.lam)
    assert right_on(run, {l: np.asarray(v) for l, v in D.items()}, case.args), run


# ==== the function exercises ========================================================================

def _functions(predicate: Callable[[corpus.Entry], bool]) -> list[Any]:
    return _by(lambda e: e.exercise in corpus.FUNCTION_EXERCISES and predicate(e))


CALLS = {ex: [(args, problems.function_reference(ex, args)) for args in problems.function_cases(ex)]
         for ex in corpus.FUNCTION_EXERCISES}


@pytest.mark.parametrize("entry", _functions(lambda e: e.passes))
def test_right_function_gives_the_reference_answer(entry):
    for args, want in CALLS[entry.exercise]:
        run = run_function(entry.answer, args)
        assert run.error is None, run.error
        assert same(run.value, want), (run.value, want)
        assert unchanged(args, run.given)
        assert run.calls <= ALLOWED[entry.exercise], run.calls


@pytest.mark.parametrize("entry", _functions(lambda e: not e.passes and e.step not in
                                             ("inputs", "package", "method")))
def test_one_mistake_function_is_wrong_somewhere(entry):
    runs = [(run_function(entry.answer, args), want, args) for args, want in CALLS[entry.exercise]]
    assert not all(right_on(run, want, args) for run, want, args in runs)
    for run, _, args in runs:
        assert run.calls <= ALLOWED[entry.exercise], run.calls
        if "inputs" not in entry.steps:
            assert unchanged(args, run.given), "changes its arguments as well: two mistakes"


@pytest.mark.parametrize("entry", _functions(lambda e: "inputs" in e.steps))
def test_function_that_changes_its_arguments_has_the_right_numbers(entry):
    changed = False
    for args, want in CALLS[entry.exercise]:
        run = run_function(entry.answer, args)
        assert run.error is None and same(run.value, want)
        changed |= not unchanged(args, run.given)
    assert changed


@pytest.mark.parametrize("entry", _functions(lambda e: e.step == "package"))
def test_function_that_calls_the_package(entry):
    args, _ = CALLS[entry.exercise][0]
    run = run_function(entry.answer, args)
    assert run.calls - ALLOWED[entry.exercise], run.calls


def _lines_run(fn: Callable[..., Any], args: tuple[Any, ...]) -> int:
    """How many lines of the student's file run during one call."""
    count = 0

    def local(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename in STUDENT_FILES else None

    given = copy.deepcopy(args)
    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            with contextlib.suppress(Exception):
                fn(*given)
    finally:
        sys.settrace(previous)
    return count


@pytest.mark.parametrize("entry", _functions(lambda e: e.exercise == "08-stacked-backward"))
def test_only_the_loop_over_examples_runs_longer_with_more_examples(entry):
    def args(m: int) -> tuple[Any, ...]:
        p = problems.network((3, 4, 3, 2), m, seed=41)
        A, Z = problems._stacked(p.Theta, p.X)
        return p.Theta, A, Z, p.Y

    grows = _lines_run(entry.answer, args(6)) > _lines_run(entry.answer, args(2))
    assert grows == (entry.mistake == "loop_over_examples")


@pytest.mark.parametrize("entry", _functions(lambda e: e.exercise == "06-two-sided-difference"))
def test_a_finite_difference_evaluates_J(entry):
    evaluations = 0
    J0, Theta, l, row, col, eps = CALLS[entry.exercise][3][0]

    def J(T):
        nonlocal evaluations
        evaluations += 1
        return J0(T)

    run_function(entry.answer, (J, Theta, l, row, col, eps))
    if entry.step == "method":
        assert evaluations == 0
        assert not all(right_on(run_function(entry.answer, args), want, args)
                       for args, want in CALLS[entry.exercise])
    elif entry.step != "package":
        assert evaluations >= 2


# ==== the top-level exercise cells ==================================================================

def _cells(predicate: Callable[[corpus.Entry], bool]) -> list[Any]:
    return _by(lambda e: e.exercise in corpus.TOP_LEVEL_EXERCISES and predicate(e))


NAMES = {ex: problems.cell_names(ex) for ex in corpus.TOP_LEVEL_EXERCISES}


@pytest.mark.parametrize("entry", _cells(lambda e: e.passes))
def test_right_cell_computes_the_right_value(entry):
    for names in NAMES[entry.exercise]:
        run = run_cell(entry, names)
        assert run.error is None, run.error
        assert same(run.value, problems.cell_reference(entry.exercise, names))
        assert run.calls <= ALLOWED[entry.exercise], run.calls


@pytest.mark.parametrize("entry", _cells(lambda e: not e.passes and e.step != "package"))
def test_one_mistake_cell_is_wrong_somewhere(entry):
    outcomes = []
    for names in NAMES[entry.exercise]:
        run = run_cell(entry, names)
        outcomes.append(run.error is None
                        and same(run.value, problems.cell_reference(entry.exercise, names)))
        assert run.calls <= ALLOWED[entry.exercise], run.calls
    assert not all(outcomes)


@pytest.mark.parametrize("entry", _cells(lambda e: e.step == "package"))
def test_cell_that_calls_the_package(entry):
    run = run_cell(entry, NAMES[entry.exercise][0])
    assert run.error is None, run.error
    assert run.calls - ALLOWED[entry.exercise], run.calls


@pytest.mark.parametrize("entry", _cells(lambda e: True))
def test_a_cell_uses_only_the_notebooks_names(entry):
    """Every name an exercise cell reads is one the notebook defines before it (or np, nb, a
    builtin), so that it runs in the notebook as it runs here."""
    import ast
    import builtins

    tree = ast.parse(entry.answer)
    assigned = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    read = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    known = set(NAMES[entry.exercise][0]) | {"np", "nb"} | set(dir(builtins)) | assigned
    assert read <= known, read - known
