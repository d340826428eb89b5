"""The evidence counts how many lines of the student's own code ran (Run.lines_run): a loop over
the examples makes the count grow with m, a matrix form does not, and the package's code never
counts. Notebook 08's check reads "without a loop over the examples" from this number."""

from __future__ import annotations

import numpy as np
import pytest

import nbhelpers as nb
from nbhelpers.course.evidence import from_data, to_data
from nbhelpers.course.running import run_cell, run_function


def stacked_sum(A):
    return A.T @ A


def loop_sum(A):
    total = np.zeros((A.shape[1], A.shape[1]))
    for i in range(A.shape[0]):
        total += np.outer(A[i], A[i])
    return total


def generator_sum(A):
    return sum(np.outer(A[i], A[i]) for i in range(A.shape[0]))


def comprehension_rows(A):
    return np.array([row * 2 for row in A])


def layers_only(A):
    return {l: A.T @ A * l for l in range(1, 4)}


def calls_the_package(A):
    p = nb.lecture_network(A.shape[0])
    return nb.backprop(p.Theta, p.X, p.Y)


def _lines(function, m: int) -> int:
    A = np.arange(3.0 * m).reshape(m, 3) / (3 * m)
    run = run_function(function, (A,))
    assert run.failure is None
    return run.lines_run


@pytest.mark.parametrize("function", [loop_sum, generator_sum, comprehension_rows])
def test_a_loop_over_the_rows_runs_more_lines_with_more_rows(function):
    counts = [_lines(function, m) for m in (1, 2, 5)]
    assert counts[0] < counts[1] < counts[2], counts
    assert counts[2] - counts[1] == 3 * (counts[1] - counts[0]), "the same lines per pass"


@pytest.mark.parametrize("function", [stacked_sum, layers_only])
def test_a_matrix_form_runs_the_same_lines_whatever_m_is(function):
    counts = {_lines(function, m) for m in (1, 2, 5, 40)}
    assert len(counts) == 1 and counts.pop() >= 1


def test_the_packages_own_lines_do_not_count():
    # nb.backprop loops over the examples in Python; none of its lines are the student's
    counts = {_lines(calls_the_package, m) for m in (1, 4, 9)}
    assert counts == {_lines(calls_the_package, 1)}
    assert _lines(calls_the_package, 1) <= 4


def test_the_count_is_exact_for_a_small_function():
    def two_lines(A):
        B = A * 2
        return B

    assert _lines(two_lines, 3) == 3          # the call, then its two lines


def test_the_count_survives_the_trip_as_data():
    run = run_function(loop_sum, (np.ones((4, 2)),))
    back = from_data(to_data(run))
    assert back.lines_run == run.lines_run > 0


def test_a_cell_run_keeps_its_count_at_zero_and_a_failing_function_counts_up_to_the_failure():
    assert run_cell("x = 1\ny = 2", {}, ("x",)).lines_run == 0

    def fails(A):
        B = A * 2
        return B @ np.ones(7)

    run = run_function(fails, (np.ones((2, 3)),))
    assert run.failure is not None and run.lines_run == 3
