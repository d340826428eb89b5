"""The bug zoo: every gradient bug is caught by the gradient check, and is wrong where it says.

Every bug is a record of the mistake catalogue: its key is the record's id, its wrong line the
record's line, its gradient the lecture's loop (course/steps.py) with that line in place of the
right one. The reference is nb.backprop. A bug is "caught" when its relative difference from the
finite-difference gradient of J(Θ) is above 1e-4, while nb.backprop on the same problem stays
below 1e-9. The networks are nb.debug_problem networks with equal hidden and output sizes, so
that the transposed-Θ mistake runs, with λ > 0 and m > 1, so that the λ and 1/m mistakes show.
"""

from __future__ import annotations

import numpy as np
import pytest

import nbhelpers as nb
from nbhelpers.course import mistakes, steps
from nbhelpers.course.bugs import (
    BUGS,
    GRADIENT_BUGS,
    NAMES,
    ZOO_LAMBDA,
    ZOO_SIZES,
    Bug,
    correct,
    hidden_unit_spread,
    right_line,
    wrong_line,
    zoo_problem,
)

SIZES = [ZOO_SIZES, (4, 5, 5), (2, 3, 3, 3, 3)]
LAM = 1.0


def _max_diff(A, B) -> float:
    return max(float(np.max(np.abs(A[l] - B[l]))) for l in A)


@pytest.mark.parametrize("sizes", SIZES)
def test_the_unchanged_loop_is_nb_backprop(sizes):
    # the skeleton every bug edits must itself be the lecture's algorithm
    p = nb.debug_problem(sizes, 5)
    D, ref = correct(p.Theta, p.X, p.Y, LAM), nb.backprop(p.Theta, p.X, p.Y, LAM)
    assert sorted(D) == sorted(ref)
    assert _max_diff(D, ref) < 1e-14


@pytest.mark.parametrize("sizes", SIZES)
@pytest.mark.parametrize("key", list(GRADIENT_BUGS))
def test_gradient_check_catches_each_bug(key, sizes):
    p = nb.debug_problem(sizes, 5)
    assert nb.gradient_check(p.Theta, p.X, p.Y, LAM) < 1e-9
    caught = nb.gradient_check(p.Theta, p.X, p.Y, LAM, gradient=BUGS[key].gradient)
    assert caught > 1e-4


@pytest.mark.parametrize("key", list(GRADIENT_BUGS))
def test_each_bug_returns_d_keyed_and_shaped_like_theta(key):
    p = zoo_problem()
    D = BUGS[key].gradient(p.Theta, p.X, p.Y, ZOO_LAMBDA)
    assert sorted(D) == sorted(p.Theta)
    assert all(D[l].shape == p.Theta[l].shape for l in p.Theta)


def test_zoo_problem_is_the_documented_debug_problem():
    p = zoo_problem()
    assert p.sizes == list(ZOO_SIZES)
    assert p.X.shape[0] > 1
    assert ZOO_LAMBDA > 0


# ---- each mistake changes exactly what its docstring says -----------------------------------

def _reference(lam=LAM, m=5):
    p = nb.debug_problem(ZOO_SIZES, m)
    return p, nb.backprop(p.Theta, p.X, p.Y, lam)


def test_regularize_bias_changes_only_column_0_by_lambda_over_m_theta():
    p, ref = _reference()
    D = BUGS["bias_regularized"].gradient(p.Theta, p.X, p.Y, LAM)
    for l in p.Theta:
        np.testing.assert_allclose(D[l][:, 1:], ref[l][:, 1:], rtol=0, atol=1e-15)
        np.testing.assert_allclose(D[l][:, 0] - ref[l][:, 0], LAM / 5 * p.Theta[l][:, 0],
                                   rtol=0, atol=1e-15)


def test_missing_1_over_m_makes_the_data_term_m_times_too_large():
    p, ref = _reference()
    D = BUGS["missing_1_over_m"].gradient(p.Theta, p.X, p.Y, LAM)
    for l in p.Theta:
        data_term = ref[l] - ref.regularization[l]                 # Δ⁽ˡ⁾/m
        np.testing.assert_allclose(D[l] - ref.regularization[l], 5 * data_term,
                                   rtol=1e-12, atol=1e-16)


def test_lecture_lambda_adds_lambda_theta_outside_the_bias_column():
    p, ref = _reference()
    D = BUGS["lambda_not_over_m"].gradient(p.Theta, p.X, p.Y, LAM)
    for l in p.Theta:
        np.testing.assert_allclose(D[l][:, 0], ref[l][:, 0], rtol=0, atol=1e-15)
        np.testing.assert_allclose(D[l][:, 1:] - ref[l][:, 1:],
                                   (LAM - LAM / 5) * p.Theta[l][:, 1:], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("key", ["off_by_one_slice", "g_prime_at_a", "theta_not_transposed",
                                 "g_prime_missing"])
def test_delta_step_bugs_leave_the_last_layer_right_and_the_earlier_ones_wrong(key):
    # δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y is untouched, so D⁽ᴸ⁻¹⁾ is right; every δ⁽ˡ⁾ below it is wrong
    p, ref = _reference(lam=0.0)
    D = BUGS[key].gradient(p.Theta, p.X, p.Y)
    last = max(p.Theta)
    np.testing.assert_allclose(D[last], ref[last], rtol=0, atol=1e-15)
    for l in range(1, last):
        assert np.max(np.abs(D[l] - ref[l])) > 1e-4


def test_off_by_one_slice_keeps_delta0_and_drops_the_last_unit():
    # one example, three layers: the bug's δ⁽²⁾ is entries 0…s₂−1 of (Θ⁽²⁾)ᵀδ⁽³⁾, where the
    # right δ⁽²⁾ uses entries 1…s₂; entry 0 (δ₀) is not zero, so keeping it changes Δ⁽¹⁾
    p = nb.debug_problem((4, 5, 5), 1)
    bp = nb.backprop_example(p.Theta, p.X[0], p.Y[0])
    full = p.Theta[2].T @ bp.delta[3]
    g_prime = nb.sigmoid_gradient(bp.z[2])
    np.testing.assert_allclose(bp.delta[2], full[1:] * g_prime, rtol=1e-13)
    assert abs(full[0]) > 1e-3
    D = BUGS["off_by_one_slice"].gradient(p.Theta, p.X, p.Y)
    np.testing.assert_allclose(D[1], np.outer(full[:-1] * g_prime, bp.a[1]), rtol=1e-13)


@pytest.mark.parametrize("sizes", [ZOO_SIZES, nb.LECTURE_SIZES, (4, 5, 5), (2, 3, 3, 3, 3)])
def test_keeping_delta0_really_keeps_it_and_stops_with_an_explained_shape_error(sizes):
    p = nb.debug_problem(sizes, 3)
    s = p.sizes
    with pytest.raises(ValueError) as caught:
        BUGS["delta0_kept"].gradient(p.Theta, p.X, p.Y, ZOO_LAMBDA)
    message = str(caught.value)
    # the lecture's terms: δ₀, sₗ + 1 entries against sₗ, Θ⁽ˡ⁾'s shape, and numpy's own words
    assert "δ₀" in message and "bias unit" in message
    assert f"sₗ + 1 = {s[-2] + 1} entries" in message and f"sₗ = {s[-2]}" in message
    assert str(p.Theta[len(s) - 1].shape) in message       # Θ⁽ᴸ⁻¹⁾, the first δ step
    assert "could not be broadcast" in message


def test_keeping_delta0_is_not_a_gradient_bug_but_a_shape_error():
    bug = BUGS["delta0_kept"]
    assert bug.stops and not bug.gradient_bug and "delta0_kept" not in GRADIENT_BUGS
    assert "off_by_one_slice" in GRADIENT_BUGS and not GRADIENT_BUGS["off_by_one_slice"].stops
    assert "shape error" in bug.description and "[:-1]" in wrong_line(GRADIENT_BUGS["off_by_one_slice"])


def test_g_prime_of_a_uses_the_sigmoid_of_the_activation():
    p = nb.debug_problem((4, 5, 5), 1)
    bp = nb.backprop_example(p.Theta, p.X[0], p.Y[0])
    a2 = bp.a[2][1:]
    wrong_delta2 = (p.Theta[2][:, 1:].T @ bp.delta[3]) * nb.sigmoid(a2) * (1 - nb.sigmoid(a2))
    D = BUGS["g_prime_at_a"].gradient(p.Theta, p.X, p.Y)
    np.testing.assert_allclose(D[1], np.outer(wrong_delta2, bp.a[1]), rtol=1e-13)


def test_transposed_theta_uses_rows_instead_of_columns():
    p = nb.debug_problem((4, 5, 5), 1)
    bp = nb.backprop_example(p.Theta, p.X[0], p.Y[0])
    wrong_delta2 = (p.Theta[2][:, 1:] @ bp.delta[3]) * nb.sigmoid_gradient(bp.z[2])
    D = BUGS["theta_not_transposed"].gradient(p.Theta, p.X, p.Y)
    np.testing.assert_allclose(D[1], np.outer(wrong_delta2, bp.a[1]), rtol=1e-13)


# ---- where a bug hides ---------------------------------------------------------------------

@pytest.mark.parametrize("key", ["bias_regularized", "lambda_not_over_m"])
def test_lambda_bugs_hide_when_lambda_is_zero(key):
    p, ref = _reference(lam=0.0)
    D = BUGS[key].gradient(p.Theta, p.X, p.Y, 0.0)
    assert _max_diff(D, ref) == 0.0


@pytest.mark.parametrize("key", ["missing_1_over_m", "lambda_not_over_m"])
def test_m_bugs_hide_when_m_is_one(key):
    p, ref = _reference(m=1)
    D = BUGS[key].gradient(p.Theta, p.X, p.Y, LAM)
    assert _max_diff(D, ref) < 1e-15


def test_transposed_theta_on_unequal_layers_says_it_is_a_shape_error():
    p = nb.debug_problem(nb.LECTURE_SIZES, 3)             # Θ⁽³⁾ maps 5 units to 4
    with pytest.raises(ValueError, match=r"cannot run on this network: .*shape \(4, 6\).*equal sizes"):
        BUGS["theta_not_transposed"].gradient(p.Theta, p.X, p.Y)


def test_bugs_check_their_input_in_the_lecture_terms():
    p = zoo_problem()
    with pytest.raises(ValueError, match="bias unit"):
        BUGS["delta0_kept"].gradient(p.Theta, nb.add_bias(p.X), p.Y)


# ---- zero initialization: the check passes, the symmetry test fails -------------------------

def test_zero_init_is_not_a_gradient_bug_and_passes_the_check():
    bug = BUGS["zero_init"]
    assert not bug.gradient_bug and "zero_init" not in GRADIENT_BUGS
    p = zoo_problem()
    zeros = {l: np.zeros_like(T) for l, T in p.Theta.items()}
    assert nb.gradient_check(zeros, p.X, p.Y, LAM, gradient=bug.gradient) < 1e-9


def test_hidden_unit_spread_by_hand():
    Theta = {1: np.array([[0.0, 1.0, 2.0], [0.5, 1.0, -1.0]]), 2: np.zeros((1, 3))}
    assert hidden_unit_spread(Theta) == {2: 3.0}        # column 2: 2 − (−1)


def test_zero_initialization_keeps_hidden_units_identical_and_random_does_not():
    p = nb.debug_problem((4, 5, 5, 3), 6)
    zeros = {l: np.zeros_like(T) for l, T in p.Theta.items()}
    trained = nb.train(zeros, p.X, p.Y, method="gradient-descent", max_iter=20).Theta
    assert trained[1].any() and trained[2].any()         # the weights did move
    assert hidden_unit_spread(trained) == {2: 0.0, 3: 0.0}
    random = nb.train(nb.init_weights((4, 5, 5, 3), rng=0), p.X, p.Y,
                      method="gradient-descent", max_iter=20).Theta
    assert min(hidden_unit_spread(random).values()) > 1e-3


def test_every_bug_is_described():
    assert len(GRADIENT_BUGS) >= 5
    for key, bug in BUGS.items():
        assert isinstance(bug, Bug) and bug.key == key
        assert bug.title and len(bug.description) > 40
    for bug in GRADIENT_BUGS.values():
        assert "Wrong because" in bug.gradient.__doc__
    with pytest.raises(AttributeError):
        BUGS["delta0_kept"].title = "changed"


def test_every_bug_but_zero_initialization_is_a_record_of_the_catalogue():
    for key, bug in BUGS.items():
        if key == "zero_init":
            continue
        record = mistakes.BY_ID[key]
        assert (bug.title, bug.piece, wrong_line(bug)) == (record.title, record.piece, record.line)
        assert record.explanation[1:] in bug.description
        assert right_line(bug) == steps.RIGHT[record.piece] != wrong_line(bug)
    shown = {m.id for m in mistakes.CATALOGUE if m.zoo}
    assert set(GRADIENT_BUGS) == shown, "the zoo shows exactly the records marked zoo"


@pytest.mark.parametrize("key", list(GRADIENT_BUGS))
def test_a_bug_is_the_loop_with_its_records_line(key):
    p = zoo_problem()
    record = mistakes.BY_ID[key]
    D = BUGS[key].gradient(p.Theta, p.X, p.Y, ZOO_LAMBDA)
    expected = steps.gradient(p.Theta, p.X, p.Y, ZOO_LAMBDA, {record.piece: record.line})
    assert all(np.array_equal(D[l], expected[l]) for l in p.Theta)


@pytest.mark.parametrize(("key", "fragment"), [
    ("delta0_kept", "(Theta_l.T @ delta_next) * g_prime(z_l)"),
    ("off_by_one_slice", "(Theta_l.T @ delta_next)[:-1]"),
    ("g_prime_at_a", "g_prime(a_l[1:])"),
    ("theta_not_transposed", "(Theta_l[:, 1:] @ delta_next)"),
    ("bias_regularized", "lam / m * Theta_l"),
    ("missing_1_over_m", "Delta_l + lam / m"),
    ("lambda_not_over_m", "lam * no_bias(Theta_l)"),
    ("delta_L_sign", "y - a_L"),
])
def test_wrong_line_is_the_line_that_differs_from_the_lecture(key, fragment):
    line = wrong_line(BUGS[key])
    assert fragment in line and fragment not in right_line(BUGS[key])


def test_zero_init_has_no_wrong_line():
    assert wrong_line(BUGS["zero_init"]) == "" == right_line(BUGS["zero_init"])


def test_every_name_in_the_zoos_lines_is_explained():
    """The lines use the names of course/steps.py; NAMES says what each means, so that the
    table of notebook 06 reads on its own."""
    import re

    explained = {name for key in NAMES for name in re.findall(r"[A-Za-z_]+", key)}
    for bug in BUGS.values():
        for line in (wrong_line(bug), right_line(bug)):
            used = set(re.findall(r"[A-Za-z_]+", line))
            assert used <= explained | {"T"}, (bug.key, used - explained)
