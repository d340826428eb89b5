"""Shared fixtures: the hand-worked 2-2-2 network, one BLAS thread per test process, and
``kernels``, which a test that starts a Jupyter kernel asks for (the top-level conftest.py
says what each test starts and how the tests are shared out between workers)."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

LN3 = math.log(3.0)


@pytest.fixture(scope="session", autouse=True)
def _one_blas_thread():
    """The matrices here are tiny; several BLAS threads on a shared 2-core machine only fight
    over the cores (training on the digits becomes many times slower), so use one."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture
def hand():
    """A 2-2-2 network small enough to follow on paper, and two examples.

    Θ⁽¹⁾ = [[0,   2, −1  ],      Θ⁽²⁾ = [[−4, 2,  4],
            [ln 3, 1, −1/2]]             [ 1, 1, −2]]

    x⁽¹⁾ = (1, 2), y⁽¹⁾ = (1, 0);   x⁽²⁾ = (0, 0), y⁽²⁾ = (1, 0).

    The weights are chosen so that z⁽²⁾ = (0, ln 3) for both examples (2·x₁ − x₂ = 0 and
    x₁ − x₂/2 = 0 for both), where g(0) = 1/2 and g(ln 3) = 1/(1 + 1/3) = 3/4, and then
    z⁽³⁾ = (0, 0). The bias column holds the only non-"nice" numbers (ln 3, −4, 1), so a
    regularization that wrongly includes it changes the results.
    """
    Theta = {1: np.array([[0.0, 2.0, -1.0], [LN3, 1.0, -0.5]]),
             2: np.array([[-4.0, 2.0, 4.0], [1.0, 1.0, -2.0]])}
    X = np.array([[1.0, 2.0], [0.0, 0.0]])
    Y = np.array([[1.0, 0.0], [1.0, 0.0]])
    return Theta, X, Y


@pytest.fixture(scope="session")
def kernels() -> None:
    """Asked for by every test, or fixture, that starts a Jupyter kernel of its own (nbclient,
    the grader, nbgrader). It does nothing itself: asking for it marks the test ``kernel``
    (see the top-level conftest.py), so that ``make check`` leaves it out, and lets it start
    kernels past the guard there."""


@pytest.fixture
def notebook_shell():
    """Start a real IPython shell that has run ``setup`` (a notebook's cells before an
    exercise, stored in its history as a notebook stores them); cleared after the test."""
    from IPython.core.interactiveshell import InteractiveShell

    def start(setup: str):
        sh = InteractiveShell.instance()
        result = sh.run_cell(setup, store_history=True)
        assert result.error_in_exec is None, result.error_in_exec
        return sh

    yield start
    InteractiveShell.clear_instance()


# --------------------------------------------------------------------------- the grader's sandbox

@pytest.fixture(scope="session")
def sandboxed() -> bool:
    """Whether the grader's sandbox runs here: False on a machine without bubblewrap (the
    tests of the sandbox then skip), a failure under CI=true."""
    from grading import sandbox

    why = sandbox.problem()
    if why is not None and os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{why} (CI=true: the grader's sandbox must be tested)", pytrace=False)
    return why is None


@pytest.fixture
def needs_sandbox(sandboxed: bool) -> None:
    from grading import sandbox

    if not sandboxed:
        pytest.skip(f"the grader's sandbox cannot run here: {sandbox.problem()}")
