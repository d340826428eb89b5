"""check_backprop, the capstone's check: right answers pass, each mistake is located at its
lecture step and named only when the check is sure.

Every function below is written the way a student would write the capstone
``backprop(Theta, X, Y, lam)``, each with exactly one mistake; none is taken from the bug zoo.
(tests/corpus holds many more; this file also tests what the check does with junk, errors,
prints and refusals.)
"""

from __future__ import annotations

import numpy as np
import pytest

import nbhelpers as nb
from nbhelpers import backprop_vectorized as bv_alias
from nbhelpers.course import capstone_probes, feedback
from nbhelpers.course.feedback import MISTAKES, VERDICTS, check_backprop, diagnose_backprop


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ---- two correct student answers: a loop and a vectorized one ---------------------------------

def loop_backprop(Theta, X, Y, lam):
    L = len(Theta) + 1
    m = X.shape[0]
    Delta = {l: np.zeros(Theta[l].shape) for l in Theta}
    for i in range(m):
        a = {1: np.concatenate([[1.0], X[i]])}
        z = {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            if l + 1 < L:
                a[l + 1] = np.concatenate([[1.0], sigmoid(z[l + 1])])
            else:
                a[l + 1] = sigmoid(z[l + 1])
        delta = {L: a[L] - Y[i]}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * sigmoid(z[l]) * (1 - sigmoid(z[l]))
        for l in range(1, L):
            Delta[l] = Delta[l] + np.outer(delta[l + 1], a[l])
    D = {}
    for l in Theta:
        D[l] = Delta[l] / m
        D[l][:, 1:] = D[l][:, 1:] + lam / m * Theta[l][:, 1:]
    return D


def vectorized_backprop(Theta, X, Y, lam):
    m, L = len(X), len(Theta) + 1
    A = {1: np.hstack([np.ones((m, 1)), X])}
    for l in range(1, L):
        H = sigmoid(A[l] @ Theta[l].T)
        A[l + 1] = H if l + 1 == L else np.hstack([np.ones((m, 1)), H])
    d = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * A[l][:, 1:] * (1 - A[l][:, 1:])
    D = {}
    for l in range(1, L):
        reg = lam / m * Theta[l]
        reg[:, 0] = 0
        D[l] = d[l + 1].T @ A[l] / m + reg
    return D


def _verdict(fn, capsys) -> tuple[bool, str]:
    ok = check_backprop(fn)
    return ok, capsys.readouterr().out


@pytest.mark.parametrize("fn", [loop_backprop, vectorized_backprop])
def test_a_correct_student_backprop_passes(fn, capsys):
    ok, out = _verdict(fn, capsys)
    assert ok is True
    assert out.startswith("✔") and f"{len(capstone_probes.probes())} problems" in out
    assert VERDICTS[feedback.CAPSTONE] is True and MISTAKES[feedback.CAPSTONE] is None


def test_the_checks_loop_is_the_package_algorithm():
    # the lines of nbhelpers.course.steps, run on every probe, give nb.backprop's D
    for probe in capstone_probes.probes():
        ref = nb.backprop(probe.Theta, probe.X, probe.Y, probe.lam)
        for l in ref:
            np.testing.assert_allclose(probe.trace.D[l], ref[l], rtol=1e-12, atol=1e-15)


def test_the_probes_separate_the_steps():
    probes = capstone_probes.probes()
    assert {p.lam for p in probes} == {0.0, 0.7, 2.5}
    assert {p.m for p in probes} == {1, 3}
    assert {p.L for p in probes} == {2, 3, 4, 5}
    for p in probes:
        if p.network == "lecture":
            continue
        sizes = p.sizes
        shapes = sizes + [s + 1 for s in sizes[:-1]]
        assert len(set(shapes)) == len(shapes), f"a size repeats on {p.title}: {sizes}"
    assert len({tuple(map(tuple, p.X)) for p in probes if p.role == "batch"}) == len(capstone_probes.NETWORKS)


def test_a_seed_draws_other_probes():
    one, other = capstone_probes.probes(1), capstone_probes.probes(2)
    assert not np.array_equal(one[0].Theta[1], other[0].Theta[1])
    assert [p.sizes for p in one] == [p.sizes for p in other]


# ---- each mistake, written as a student would ---------------------------------------------------

def bias_regularized(Theta, X, Y, lam):
    D = loop_backprop(Theta, X, Y, 0.0)
    return {l: D[l] + lam / len(X) * Theta[l] for l in D}           # column 0 too


def lam_as_printed(Theta, X, Y, lam):
    D = loop_backprop(Theta, X, Y, 0.0)
    for l in D:
        D[l][:, 1:] += lam * Theta[l][:, 1:]                         # λΘ, as printed
    return D


def no_one_over_m(Theta, X, Y, lam):
    m, L = len(X), len(Theta) + 1
    A = {1: np.hstack([np.ones((m, 1)), X])}
    for l in range(1, L):
        H = sigmoid(A[l] @ Theta[l].T)
        A[l + 1] = H if l + 1 == L else np.hstack([np.ones((m, 1)), H])
    d = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * A[l][:, 1:] * (1 - A[l][:, 1:])
    D = {}
    for l in range(1, L):
        D[l] = d[l + 1].T @ A[l]                                     # the sum, not the average
        D[l][:, 1:] += lam / m * Theta[l][:, 1:]
    return D


def g_prime_at_a(Theta, X, Y, lam):
    m, L = len(X), len(Theta) + 1
    A = {1: np.hstack([np.ones((m, 1)), X])}
    for l in range(1, L):
        H = sigmoid(A[l] @ Theta[l].T)
        A[l + 1] = H if l + 1 == L else np.hstack([np.ones((m, 1)), H])
    d = {L: A[L] - Y}
    for l in range(L - 1, 1, -1):
        a = A[l][:, 1:]
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * nb.sigmoid_gradient(a)  # g′(a), not g′(z)
    D = {}
    for l in range(1, L):
        D[l] = d[l + 1].T @ A[l] / m
        D[l][:, 1:] += lam / m * Theta[l][:, 1:]
    return D


def g_prime_left_out(Theta, X, Y, lam):
    L = len(Theta) + 1
    m = X.shape[0]
    Delta = {l: np.zeros(Theta[l].shape) for l in Theta}
    for i in range(m):
        a = {1: np.concatenate([[1.0], X[i]])}
        for l in range(1, L):
            h = sigmoid(Theta[l] @ a[l])
            a[l + 1] = h if l + 1 == L else np.concatenate([[1.0], h])
        delta = {L: a[L] - Y[i]}
        for l in range(L - 1, 1, -1):
            delta[l] = Theta[l][:, 1:].T @ delta[l + 1]              # no .* g′(z)
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    return {l: Delta[l] / m + np.hstack([np.zeros((Theta[l].shape[0], 1)),
                                           lam / m * Theta[l][:, 1:]]) for l in Theta}


def sign_reversed(Theta, X, Y, lam):
    m, L = len(X), len(Theta) + 1
    A = {1: np.hstack([np.ones((m, 1)), X])}
    for l in range(1, L):
        H = sigmoid(A[l] @ Theta[l].T)
        A[l + 1] = H if l + 1 == L else np.hstack([np.ones((m, 1)), H])
    d = {L: Y - A[L]}                                                 # y − a
    for l in range(L - 1, 1, -1):
        d[l] = (d[l + 1] @ Theta[l][:, 1:]) * A[l][:, 1:] * (1 - A[l][:, 1:])
    D = {}
    for l in range(1, L):
        D[l] = d[l + 1].T @ A[l] / m
        D[l][:, 1:] += lam / m * Theta[l][:, 1:]
    return D


def delta0_kept(Theta, X, Y, lam):
    L = len(Theta) + 1
    m = X.shape[0]
    Delta = {l: np.zeros(Theta[l].shape) for l in Theta}
    for i in range(m):
        a, z = {1: np.concatenate([[1.0], X[i]])}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            h = sigmoid(z[l + 1])
            a[l + 1] = h if l + 1 == L else np.concatenate([[1.0], h])
        delta = {L: a[L] - Y[i]}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    return {l: Delta[l] / m for l in Delta}


def delta0_kept_with_a(Theta, X, Y, lam):
    # δ₀ kept, and g′ written with the whole a⁽ˡ⁾ (bias included): δ has sₗ + 1 entries
    L = len(Theta) + 1
    m = X.shape[0]
    Delta = {l: np.zeros(Theta[l].shape) for l in Theta}
    for i in range(m):
        a = {1: np.concatenate([[1.0], X[i]])}
        for l in range(1, L):
            h = sigmoid(Theta[l] @ a[l])
            a[l + 1] = h if l + 1 == L else np.concatenate([[1.0], h])
        delta = {L: a[L] - Y[i]}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l].T @ delta[l + 1]) * a[l] * (1 - a[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    return {l: Delta[l] / m for l in Delta}


def outer_transposed(Theta, X, Y, lam):
    L = len(Theta) + 1
    m = X.shape[0]
    Delta = {l: 0 for l in Theta}
    for i in range(m):
        a = {1: np.concatenate([[1.0], X[i]])}
        for l in range(1, L):
            h = sigmoid(Theta[l] @ a[l])
            a[l + 1] = h if l + 1 == L else np.concatenate([[1.0], h])
        delta = {L: a[L] - Y[i]}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * a[l][1:] * (1 - a[l][1:])
        for l in Delta:
            Delta[l] = Delta[l] + np.outer(a[l], delta[l + 1])       # (a)(δ)ᵀ
    return {l: Delta[l] / m for l in Delta}


def outer_transposed_in_place(Theta, X, Y, lam):
    m, L = len(X), len(Theta) + 1
    Delta = {l: np.zeros_like(Theta[l]) for l in Theta}
    for i in range(m):
        a = {1: np.insert(X[i], 0, 1.0)}
        for l in range(1, L):
            h = sigmoid(Theta[l] @ a[l])
            a[l + 1] = h if l + 1 == L else np.insert(h, 0, 1.0)
        delta = {L: a[L] - Y[i]}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * a[l][1:] * (1 - a[l][1:])
        for l in Delta:
            Delta[l] += np.outer(a[l], delta[l + 1])
    return {l: Delta[l] / m for l in Delta}


def bias_missing(Theta, X, Y, lam):
    L = len(Theta) + 1
    m = X.shape[0]
    Delta = {l: np.zeros(Theta[l].shape) for l in Theta}
    for i in range(m):
        a = {1: X[i]}                                                 # no a₀ = 1
        for l in range(1, L):
            a[l + 1] = sigmoid(Theta[l] @ a[l])
        delta = {L: a[L] - Y[i]}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l].T @ delta[l + 1]) * a[l] * (1 - a[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    return {l: Delta[l] / m for l in Delta}


def bias_missing_vectorized(Theta, X, Y, lam):
    m, L = len(X), len(Theta) + 1
    A = {1: X}
    for l in range(1, L):
        H = sigmoid(A[l] @ Theta[l].T)
        A[l + 1] = H if l + 1 == L else np.hstack([np.ones((m, 1)), H])
    return A


def theta_not_transposed(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(Theta[l]) for l in Theta}
    for i in range(m):
        a, z = {1: np.insert(X[i], 0, 1.0)}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            a[l + 1] = sigmoid(z[l + 1]) if l + 1 == L else np.insert(sigmoid(z[l + 1]), 0, 1.0)
        delta = {L: a[L] - Y[i]}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:] @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    return {l: Delta[l] / m for l in Delta}


def g_prime_from_a_with_bias(Theta, X, Y, lam):
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(Theta[l]) for l in Theta}
    for i in range(m):
        a = {1: np.insert(X[i], 0, 1.0)}
        for l in range(1, L):
            h = sigmoid(Theta[l] @ a[l])
            a[l + 1] = h if l + 1 == L else np.insert(h, 0, 1.0)
        delta = {L: a[L] - Y[i]}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * a[l] * (1 - a[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    return {l: Delta[l] / m for l in Delta}


def returns_none(Theta, X, Y, lam):
    D = loop_backprop(Theta, X, Y, lam)
    D = D                                                             # forgot the return


def returns_list(Theta, X, Y, lam):
    D = loop_backprop(Theta, X, Y, lam)
    return [D[l] for l in sorted(D)]


def returns_zero_based(Theta, X, Y, lam):
    D = loop_backprop(Theta, X, Y, lam)
    return {l - 1: D[l] for l in D}


CASES = [
    (bias_regularized, "d_terms", "bias_regularized"),
    (lam_as_printed, "d_terms", "lambda_not_over_m"),
    (no_one_over_m, "d_terms", "missing_1_over_m"),
    (g_prime_at_a, "hidden_delta", "g_prime_at_a"),
    (g_prime_left_out, "hidden_delta", "g_prime_missing"),
    (sign_reversed, "output_delta", "delta_L_sign"),
    (delta0_kept, "hidden_delta", "delta0_kept"),
    (delta0_kept_with_a, "hidden_delta", "delta0_kept"),
    (outer_transposed, "accumulate", "outer_transposed"),
    (outer_transposed_in_place, "accumulate", "outer_transposed"),
    (bias_missing, "forward", "bias_unit_missing"),
    (bias_missing_vectorized, "forward", "bias_unit_missing"),
    (theta_not_transposed, "hidden_delta", "theta_not_transposed"),
    (g_prime_from_a_with_bias, "hidden_delta", "g_prime_with_bias_unit"),
    (returns_none, "return", "wrong_return"),
    (returns_list, "return", "wrong_return"),
    (returns_zero_based, "return", "wrong_return"),
]


@pytest.mark.parametrize(("fn", "step", "mistake"), CASES, ids=[fn.__name__ for fn, *_ in CASES])
def test_each_mistake_is_located_and_named(fn, step, mistake, capsys):
    ok, out = _verdict(fn, capsys)
    assert ok is False and out.startswith("✘")
    assert VERDICTS[feedback.CAPSTONE] is False
    verdict = diagnose_backprop(fn)
    assert (verdict.step, verdict.mistake) == (step, mistake), verdict.message
    assert MISTAKES[feedback.CAPSTONE] == mistake


def test_a_crash_quotes_the_students_line(capsys):
    _, out = _verdict(delta0_kept, capsys)
    assert "`delta[l] = (Theta[l].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])`" in out
    assert "δ₀ kept" in out


def test_a_mistake_that_hides_at_lambda_0_is_located_at_the_d_terms():
    verdict = diagnose_backprop(bias_regularized)
    assert "Right for λ = 0" in verdict.message and "Only its bias column j = 0 is wrong" in verdict.message


def test_two_mistakes_at_once_are_located_but_not_named():
    def both(Theta, X, Y, lam):
        D = loop_backprop(Theta, X, Y, 0.0)
        return {l: D[l] + lam * Theta[l] for l in D}                 # λΘ, bias column too
    verdict = diagnose_backprop(both)
    assert (verdict.step, verdict.mistake) == ("d_terms", None)
    assert "cannot name the mistake" in verdict.message


def test_a_fixed_depth_return_fails_on_another_depth_with_the_key_explained():
    def four_layers_only(Theta, X, Y, lam):
        D = loop_backprop(Theta, X, Y, lam)
        return {1: D[1], 2: D[2], 3: D[3]}
    verdict = diagnose_backprop(four_layers_only)
    assert not verdict.passed and verdict.step == "return"
    assert "KeyError" in verdict.message and "take L from Θ" in verdict.message
    assert "return {1: D[1], 2: D[2], 3: D[3]}" in verdict.message


# ---- never raises, whatever the student's function does --------------------------------------

JUNK = [None, [], 0, "D", np.zeros(3), {1: "x"}, {1: None, 2: 1, 3: 2}, {"1": 0},
        {1: np.zeros((2, 2)), 2: np.zeros((5, 6)), 3: np.zeros((4, 6))},
        {1: np.full((5, 4), np.nan), 2: np.zeros((5, 6)), 3: np.zeros((4, 6))}]


@pytest.mark.parametrize("junk", JUNK, ids=[repr(j)[:20] for j in JUNK])
def test_junk_returns_are_a_cross_never_an_exception(junk, capsys):
    ok, out = _verdict(lambda Theta, X, Y, lam: junk, capsys)
    assert ok is False and out.startswith("✘")
    assert diagnose_backprop(lambda Theta, X, Y, lam: junk).step in ("return", "accumulate", "forward")


@pytest.mark.parametrize("error", [ValueError("x"), TypeError("y"), ZeroDivisionError(),
                                   IndexError("i"), KeyError(7), RuntimeError("r"),
                                   SystemExit(1), RecursionError()])
def test_exceptions_are_quoted_never_raised(error, capsys):
    def raises(Theta, X, Y, lam):
        z = np.zeros(3)  # noqa: F841 (a line before the failing one)
        raise error
    ok, out = _verdict(raises, capsys)
    assert not ok and out.startswith("✘") and "`raise error`" in out
    assert type(error).__name__ in out


def test_wrong_signature_is_explained(capsys):
    def three_args(Theta, X, Y):
        return {}
    ok, out = _verdict(three_args, capsys)
    assert not ok and "four arguments" in out
    assert diagnose_backprop(three_args).step == "return"


def test_not_written_yet(capsys):
    assert check_backprop(...) is False
    assert capsys.readouterr().out.startswith("… backprop is not written yet")

    def todo(Theta, X, Y, lam):
        raise NotImplementedError("write the body of backprop")
    assert check_backprop(todo) is False
    assert capsys.readouterr().out.startswith("… backprop is not written yet")
    assert diagnose_backprop(todo).not_written
    assert check_backprop(3) is False
    assert capsys.readouterr().out.startswith("✘ backprop should be a function")


def test_a_function_that_spoils_its_arguments_fails_and_cannot_spoil_the_check(capsys):
    """Writing into Θ and X is named as the mistake it is; the check's own problems are copies,
    so a right function checked afterwards still passes."""
    def spoils(Theta, X, Y, lam):
        D = loop_backprop(Theta, X, Y, lam)
        for T in Theta.values():
            T[:] = 0.0
        X[:] = 0.0
        return D
    assert check_backprop(spoils) is False
    out = capsys.readouterr().out
    assert "changes its argument Theta[1] in place" in out
    assert (diagnose_backprop(spoils).step, diagnose_backprop(spoils).mistake) == (
        "inputs", "inputs_mutated")
    assert check_backprop(loop_backprop) is True
    capsys.readouterr()


def test_what_the_student_prints_appears_under_the_verdict(capsys):
    def chatty(Theta, X, Y, lam):
        print("debugging…", X.shape)
        return loop_backprop(Theta, X, Y, lam)
    _, out = _verdict(chatty, capsys)
    verdict, printed = out.split("What your code printed", 1)
    assert verdict.startswith("✔") and "debugging" not in verdict
    assert "debugging… (1, 3)" in printed
    assert diagnose_backprop(chatty).printed.startswith("debugging…")


# ---- calling the package's own backpropagation is refused --------------------------------------

def calls_backprop(Theta, X, Y, lam):
    return nb.backprop(Theta, X, Y, lam)


def calls_vectorized_by_alias(Theta, X, Y, lam):
    return bv_alias(Theta, X, Y, lam)


def calls_backprop_example(Theta, X, Y, lam):
    L = len(Theta) + 1
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        bp = nb.backprop_example(Theta, x, y)
        for l in Delta:
            Delta[l] += np.outer(bp.delta[l + 1], bp.a[l])
    return {l: Delta[l] / len(X) for l in range(1, L)}


def hidden_in_a_helper(Theta, X, Y, lam):
    do = {"it": nb.backprop}
    return dict(do["it"](Theta, X, Y, lam))


@pytest.mark.parametrize(("fn", "name"), [
    (calls_backprop, "nb.backprop"), (calls_vectorized_by_alias, "nb.backprop_vectorized"),
    (calls_backprop_example, "nb.backprop_example"), (hidden_in_a_helper, "nb.backprop"),
    (nb.backprop, "nb.backprop")])
def test_calling_the_package_is_refused(fn, name, capsys):
    ok, out = _verdict(fn, capsys)
    assert not ok and out.startswith("✘") and f"calls {name}" in out
    assert "write the algorithm yourself" in out and "nb.sigmoid" in out
    assert diagnose_backprop(fn).step == "package"


def test_g_and_g_prime_may_be_called():
    def with_the_package_sigmoid(Theta, X, Y, lam):
        L, m = len(Theta) + 1, len(X)
        Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
        for x, y in zip(X, Y, strict=True):
            a, z = {1: np.concatenate([[1.0], x])}, {}
            for l in range(1, L):
                z[l + 1] = Theta[l] @ a[l]
                h = nb.sigmoid(z[l + 1])
                a[l + 1] = h if l + 1 == L else np.concatenate([[1.0], h])
            delta = {L: a[L] - y}
            for l in range(L - 1, 1, -1):
                delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid_gradient(z[l])
            for l in Delta:
                Delta[l] += np.outer(delta[l + 1], a[l])
        return {l: Delta[l] / m + lam / m * np.hstack([np.zeros((len(T), 1)), T[:, 1:]])
                for l, T in Theta.items()}
    assert diagnose_backprop(with_the_package_sigmoid).passed


def test_refusal_leaves_no_profiler_behind(capsys):
    import sys
    before = sys.getprofile()
    check_backprop(calls_backprop)
    check_backprop(lambda *a: 1 / 0)
    assert sys.getprofile() is before
    capsys.readouterr()


def backprop_zeroing_the_callers_bias_column(Theta, X, Y, lam):
    """Right D, but the Octave habit of zeroing column 0 writes into the caller's Θ."""
    L, m = len(Theta) + 1, X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for x, y in zip(X, Y, strict=True):
        a, z = {1: np.concatenate([[1.0], x])}, {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            g = 1 / (1 + np.exp(-z[l + 1]))
            a[l + 1] = g if l + 1 == L else np.concatenate([[1.0], g])
        delta = {L: a[L] - y}
        for l in range(L - 1, 1, -1):
            delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * a[l][1:] * (1 - a[l][1:])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], a[l])
    D = {}
    for l, T in Theta.items():
        T[:, 0] = 0                                   # the caller's Θ⁽ˡ⁾ loses its bias weights
        D[l] = Delta[l] / m + lam / m * T
    return D


def test_a_backprop_that_changes_the_callers_theta_fails_even_with_the_right_D(capsys):
    assert check_backprop(backprop_zeroing_the_callers_bias_column) is False
    out = capsys.readouterr().out
    assert out.startswith("✘ backprop changes its argument Theta[1] in place"), out
    assert "copy()" in out


def test_an_error_is_not_reported_as_numbers_no_mistake_gives() -> None:
    """A backprop that stops with an error has no numbers to compare: the verdict says to put
    the error right first, not that no known mistake gives its numbers."""
    def crashing(Theta, X, Y, lam):
        raise KeyError(0)

    verdict = diagnose_backprop(crashing)
    assert not verdict.passed and verdict.mistake is None
    assert "your code stopped with KeyError" in verdict.message
    assert "put this error right first" in verdict.message
    assert "gives exactly your numbers" not in verdict.message
    assert all(line[:1].isupper() or line.startswith("✘") for line in verdict.message.split("\n  "))
