"""Contracts: what each public function promises about its input, one test per case.

A mistyped input gets a TypeError or ValueError that says, in the lecture's terms, what was
expected; it never gives a silently wrong number and never fails inside numpy. The last
section: every module imports, and no layer imports another's private names (the layers
themselves and the absence of import cycles are import-linter's contracts, tests/test_imports.py).
"""

from __future__ import annotations

import ast
import datetime
import importlib
import itertools
import pkgutil
from pathlib import Path

import numpy as np
import pytest
from test_bad_input import RAW_NUMPY, clear_error

import nbhelpers as nb
from nbhelpers.validation import whole_number

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def net():
    """The lecture's 3-5-5-4 network with m = 4 examples (classes 0, 2, 1, 3)."""
    return nb.lecture_network(m=4)


@pytest.fixture
def wide():
    """A 2-4-3 network: Θ⁽¹⁾ is 4 × 3 and Θ⁽²⁾ 3 × 5, so a transposed matrix has another shape."""
    return nb.debug_problem([2, 4, 3], m=5)


# --- accuracy and labels ------------------------------------------------------------------------

def test_accuracy_refuses_labels_counted_from_one(net) -> None:
    """1…K read as 0…K−1 would score the wrong classes without a word."""
    with clear_error(ValueError, "labels run from 1 to 4", "numbered 0…K−1 = 0…3",
                     "counted from 1", "subtract 1"):
        nb.accuracy(net.Theta, net.X, net.labels + 1)


def test_accuracy_with_labels_counted_from_one_on_the_digits() -> None:
    """The issue's case: 1-based digit labels 1…10 on the digits network."""
    digits = nb.load_digits()
    Theta = nb.init_weights([64, 10], rng=0)
    with clear_error(ValueError, "labels run from 1 to 10", "0…9", "subtract 1"):
        nb.accuracy(Theta, digits.X_test, np.where(digits.labels_test == 0, 10, digits.labels_test))


def test_accuracy_refuses_nan_labels(net) -> None:
    with clear_error(ValueError, "labels contains nan at entry 2", "finite"):
        nb.accuracy(net.Theta, net.X, [0, 2, np.nan, 3])


def test_accuracy_refuses_fractional_labels(net) -> None:
    with clear_error(ValueError, "labels must be whole numbers 0…K−1 = 0…3, but one is 1.5"):
        nb.accuracy(net.Theta, net.X, [0, 2, 1.5, 3])


def test_accuracy_refuses_labels_out_of_range(net) -> None:
    with clear_error(ValueError, "labels must be whole numbers 0…K−1 = 0…3, but one is 7"):
        nb.accuracy(net.Theta, net.X, [0, 7, 1, 3])


def test_accuracy_refuses_a_label_matrix_that_is_not_one_hot(net) -> None:
    with clear_error(ValueError, "must be one-hot", "a single 1 in each row"):
        nb.accuracy(net.Theta, net.X, net.Y * 0.5)


def test_accuracy_of_labels_and_of_one_hot_y_agree(net) -> None:
    expected = np.mean(nb.predict(net.Theta, net.X) == net.labels)
    assert nb.accuracy(net.Theta, net.X, net.labels) == expected
    assert nb.accuracy(net.Theta, net.X, net.Y) == expected


def test_one_hot_refuses_labels_counted_from_one() -> None:
    with clear_error(ValueError, "labels run from 1 to 3", "counted from 1"):
        nb.one_hot([1, 2, 3], 3)


def test_one_hot_takes_a_numpy_integer_k_and_refuses_a_bool() -> None:
    np.testing.assert_array_equal(nb.one_hot([2], np.int64(3)), [[0, 0, 1]])
    with clear_error(TypeError, "K must be a whole number ≥ 1", "bool"):
        nb.one_hot([0], True)


# --- d_terms and the regularization terms -----------------------------------------------------------

def _Delta(net) -> dict[int, np.ndarray]:
    return nb.accumulate(net.Theta, net.X, net.Y)


def test_d_terms_with_m_zero(net) -> None:
    with clear_error(ValueError, "m must be a whole number ≥ 1", "number of training examples",
                     "but it is 0"):
        nb.d_terms(_Delta(net), net.Theta, 0, 1.0)


def test_d_terms_with_a_fractional_m(net) -> None:
    with clear_error(ValueError, "m must be a whole number ≥ 1", "but it is 2.5"):
        nb.d_terms(_Delta(net), net.Theta, 2.5, 1.0)


def test_d_terms_with_m_as_text(net) -> None:
    with clear_error(TypeError, "m must be a whole number ≥ 1", "'4', a str"):
        nb.d_terms(_Delta(net), net.Theta, "4", 1.0)


def test_d_terms_with_a_negative_lambda(net) -> None:
    with clear_error(ValueError, "lam (λ) must be a finite number ≥ 0, but it is -1.0"):
        nb.d_terms(_Delta(net), net.Theta, 4, -1.0)


def test_d_terms_with_a_nan_lambda(net) -> None:
    with clear_error(ValueError, "lam (λ) must be a finite number ≥ 0, but it is nan"):
        nb.d_terms(_Delta(net), net.Theta, 4, float("nan"))


def test_d_terms_with_a_missing_delta_layer(net) -> None:
    Delta = _Delta(net)
    del Delta[2]
    with clear_error(ValueError, "Delta must be keyed like Θ, by the layers [1, 2, 3]",
                     "no Δ⁽²⁾"):
        nb.d_terms(Delta, net.Theta, 4, 1.0)


def test_d_terms_with_delta_keys_counted_from_zero(net) -> None:
    Delta = _Delta(net)
    with clear_error(ValueError, "Delta must be keyed like Θ", "no Δ⁽³⁾", "keys [0]"):
        nb.d_terms({l - 1: D for l, D in Delta.items()}, net.Theta, 4, 1.0)


def test_d_terms_with_a_transposed_delta(wide) -> None:
    Delta = nb.accumulate(wide.Theta, wide.X, wide.Y)
    with clear_error(ValueError, "Delta[1] has shape (3, 4), but Θ⁽¹⁾ has shape (4, 3)",
                     "looks transposed"):
        nb.d_terms({1: Delta[1].T, 2: Delta[2]}, wide.Theta, 5, 0.0)


def test_d_terms_with_a_single_matrix_for_delta(wide) -> None:
    with clear_error(TypeError, "Delta must hold one matrix per layer"):
        nb.d_terms(np.zeros((4, 3)), wide.Theta, 5, 0.0)


def test_d_terms_takes_theta_and_delta_as_lists_like_every_function(net) -> None:
    """A plain list [Θ⁽¹⁾, Θ⁽²⁾, …] means the same as the mapping, here as everywhere."""
    Delta = _Delta(net)
    as_dicts = nb.d_terms(Delta, net.Theta, 4, 1.0)
    as_lists = nb.d_terms(list(Delta.values()), list(net.Theta.values()), np.int64(4), 1)
    for l in net.Theta:
        np.testing.assert_array_equal(as_lists[l], as_dicts[l])


def test_d_terms_with_theta_of_the_wrong_type(net) -> None:
    with clear_error(TypeError, "Theta must be a mapping {1: Θ⁽¹⁾, …, L−1: Θ⁽ᴸ⁻¹⁾} or a list",
                     "float"):
        nb.d_terms(_Delta(net), 0.5, 4, 1.0)


@pytest.mark.parametrize("function", [nb.regularization_cost, nb.regularization_gradient])
def test_regularization_with_m_zero(net, function) -> None:
    with clear_error(ValueError, "m must be a whole number ≥ 1", "but it is 0"):
        function(net.Theta, 0, 1.0)


@pytest.mark.parametrize("function", [nb.regularization_cost, nb.regularization_gradient])
def test_regularization_with_a_fractional_m(net, function) -> None:
    with clear_error(ValueError, "m must be a whole number ≥ 1", "but it is 0.5"):
        function(net.Theta, 0.5, 1.0)


@pytest.mark.parametrize("function", [nb.regularization_cost, nb.regularization_gradient])
def test_regularization_with_a_negative_lambda(net, function) -> None:
    with clear_error(ValueError, "lam (λ) must be a finite number ≥ 0", "reward them"):
        function(net.Theta, 4, -0.5)


@pytest.mark.parametrize("function", [nb.regularization_cost, nb.regularization_gradient])
def test_regularization_with_a_nan_lambda(net, function) -> None:
    with clear_error(ValueError, "lam (λ) must be a finite number ≥ 0, but it is nan"):
        function(net.Theta, 4, float("nan"))


@pytest.mark.parametrize("function", [nb.regularization_cost, nb.regularization_gradient])
def test_regularization_with_theta_as_a_single_matrix(net, function) -> None:
    with clear_error(TypeError, "single 2-D array", "{1: Theta1}"):
        function(net.Theta[1], 4, 1.0)


def test_regularization_terms_take_theta_as_a_list(net) -> None:
    as_list = list(net.Theta.values())
    assert nb.regularization_cost(as_list, 4, 2.0) == nb.regularization_cost(net.Theta, 4, 2.0)
    R = nb.regularization_gradient(as_list, 4, 2.0)
    np.testing.assert_array_equal(R[3][:, 1:], 0.5 * net.Theta[3][:, 1:])
    np.testing.assert_array_equal(R[3][:, 0], 0.0)


# --- train ------------------------------------------------------------------------------------

@pytest.mark.parametrize("rate", [np.inf, -np.inf])
def test_train_with_an_infinite_learning_rate(net, rate) -> None:
    with clear_error(ValueError, "learning_rate (α) must be a finite number > 0", f"{rate}"):
        nb.train(net.Theta, net.X, net.Y, method="gradient-descent", learning_rate=rate)


def test_train_with_a_nan_learning_rate(net) -> None:
    with clear_error(ValueError, "learning_rate (α) must be a finite number > 0", "nan"):
        nb.train(net.Theta, net.X, net.Y, method="gradient-descent", learning_rate=float("nan"))


def test_train_with_a_negative_learning_rate(net) -> None:
    with clear_error(ValueError, "learning_rate (α) must be a finite number > 0", "-0.5"):
        nb.train(net.Theta, net.X, net.Y, method="gradient-descent", learning_rate=-0.5)


def test_train_with_a_learning_rate_as_text(net) -> None:
    with clear_error(TypeError, "learning_rate (α) must be a finite number > 0", "'0.5', a str"):
        nb.train(net.Theta, net.X, net.Y, method="gradient-descent", learning_rate="0.5")


def test_train_with_a_learning_rate_that_the_optimizer_would_ignore(net) -> None:
    with clear_error(ValueError, "learning_rate is the step α of gradient descent",
                     "'L-BFGS-B' chooses its own steps"):
        nb.train(net.Theta, net.X, net.Y, method="L-BFGS-B", learning_rate=0.5)


@pytest.mark.parametrize("method", ["gradient-descent", "L-BFGS-B"])
def test_train_takes_a_numpy_integer_max_iter(net, method) -> None:
    result = nb.train(net.Theta, net.X, net.Y, method=method, max_iter=np.int64(3))
    assert result.iterations == 3
    assert len(result.costs) == 4


@pytest.mark.parametrize(("max_iter", "error", "shown"), [(2.5, ValueError, "2.5"),
                                                          ("3", TypeError, "'3', a str"),
                                                          (-1, ValueError, "-1"),
                                                          (True, TypeError, "True, a bool")])
def test_train_with_a_bad_max_iter(net, max_iter, error, shown) -> None:
    with clear_error(error, "max_iter must be a whole number ≥ 0 (the number of iterations)", shown):
        nb.train(net.Theta, net.X, net.Y, max_iter=max_iter)


def test_train_with_a_method_that_is_not_a_name(net) -> None:
    with clear_error(TypeError, "method must be a name", "'gradient-descent'"):
        nb.train(net.Theta, net.X, net.Y, method=None)


def test_train_with_a_callback_that_is_not_a_function(net) -> None:
    with clear_error(TypeError, "callback must be a function callback(iteration, Theta, J)"):
        nb.train(net.Theta, net.X, net.Y, max_iter=1, callback=[])


def test_gradient_descent_hands_the_callback_a_snapshot_of_each_iteration(net) -> None:
    """Saved Θs show the weights of their own iteration: Θ after k steps of Θ := Θ − αD."""
    snapshots: list[dict[int, np.ndarray]] = []
    result = nb.train(net.Theta, net.X, net.Y, 0.5, method="gradient-descent", max_iter=4,
                      learning_rate=0.8, callback=lambda it, Theta, J: snapshots.append(Theta))
    Theta = {l: T.copy() for l, T in net.Theta.items()}
    for snapshot in snapshots:
        D = nb.backprop_vectorized(Theta, net.X, net.Y, 0.5)
        Theta = {l: Theta[l] - 0.8 * D[l] for l in Theta}
        for l in Theta:
            np.testing.assert_allclose(snapshot[l], Theta[l], rtol=1e-12, atol=1e-15)
    assert len(snapshots) == 4
    for before, after in itertools.pairwise(snapshots):
        assert not np.array_equal(before[1], after[1])
    np.testing.assert_array_equal(snapshots[-1][1], result.Theta[1])


def test_a_callback_that_changes_its_snapshot_does_not_change_the_training(net) -> None:
    def vandal(it, Theta, J) -> None:
        for T in Theta.values():
            T[:] = 0.0

    spoiled = nb.train(net.Theta, net.X, net.Y, method="gradient-descent", max_iter=3,
                       callback=vandal)
    plain = nb.train(net.Theta, net.X, net.Y, method="gradient-descent", max_iter=3)
    assert spoiled.costs == plain.costs


# --- seeds and the example networks -------------------------------------------------------------

def test_lecture_network_with_a_seed_as_text() -> None:
    with clear_error(TypeError, "seed must be a whole number ≥ 0", "'2021', a str"):
        nb.lecture_network(seed="2021")


@pytest.mark.parametrize(("m", "error"), [(-1, ValueError), (0, ValueError), (2.5, ValueError),
                                          ("3", TypeError)])
def test_lecture_network_with_a_bad_m(m, error) -> None:
    with clear_error(error, "m must be a whole number ≥ 1 (the number of training examples)",
                     repr(m)):
        nb.lecture_network(m=m)


def test_lecture_network_takes_a_numpy_integer_m() -> None:
    np.testing.assert_array_equal(nb.lecture_network(m=np.int64(4)).X, nb.lecture_network(m=4).X)


def test_init_weights_with_a_seed_as_text() -> None:
    with clear_error(TypeError, "rng must be a whole number ≥ 0", "'0', a str"):
        nb.init_weights([2, 3, 1], rng="0")


def test_init_weights_with_a_layer_of_no_units() -> None:
    with clear_error(ValueError, "layer_sizes[1] (s₂) must be a whole number ≥ 1", "but it is 0"):
        nb.init_weights([2, 0, 1])


def test_init_weights_with_text_for_epsilon() -> None:
    with clear_error(TypeError, "epsilon_init must be a finite number > 0", "a str"):
        nb.init_weights([2, 3, 1], epsilon_init="0.1")


def test_debug_problem_with_a_fractional_m() -> None:
    with clear_error(ValueError, "m must be a whole number ≥ 1", "1.5"):
        nb.debug_problem([2, 3], m=1.5)


def test_load_digits_with_a_seed_as_text() -> None:
    with clear_error(TypeError, "seed must be a whole number ≥ 0", "a str"):
        nb.load_digits(seed="0")


def test_load_digits_with_a_test_fraction_as_text() -> None:
    with clear_error(TypeError, "test_fraction must be a finite number > 0 and < 1", "a str"):
        nb.load_digits(test_fraction="0.25")


# --- gradient checking --------------------------------------------------------------------------

def test_relative_difference_with_layer_keys_that_differ(wide) -> None:
    D = nb.backprop(wide.Theta, wide.X, wide.Y)
    with clear_error(ValueError, "B must be keyed like Θ, by the layers [1, 2]", "keys [0]"):
        nb.relative_difference(D, {0: D[1], 1: D[2]})


def test_relative_difference_with_a_missing_layer(wide) -> None:
    D = nb.backprop(wide.Theta, wide.X, wide.Y)
    with clear_error(ValueError, "B must be keyed like Θ", "no D⁽²⁾"):
        nb.relative_difference(D, {1: D[1]})


def test_relative_difference_with_a_transposed_layer(wide) -> None:
    D = nb.backprop(wide.Theta, wide.X, wide.Y)
    with clear_error(ValueError, "B[1] has shape (3, 4), but Θ⁽¹⁾ has shape (4, 3)",
                     "looks transposed"):
        nb.relative_difference(D, {1: D[1].T, 2: D[2]})


def test_relative_difference_with_transposed_arrays(wide) -> None:
    D = nb.backprop(wide.Theta, wide.X, wide.Y)
    with clear_error(ValueError, "A has shape (4, 3) but B has shape (3, 4)", "transposed"):
        nb.relative_difference(D[1], D[1].T)


def test_relative_difference_of_a_mapping_and_an_array(wide) -> None:
    D = nb.backprop(wide.Theta, wide.X, wide.Y)
    with clear_error(TypeError, "A and B must both be keyed by layer", "unroll()"):
        nb.relative_difference(D, nb.unroll(D))


def test_relative_difference_with_keys_that_are_not_layers(wide) -> None:
    D = nb.backprop(wide.Theta, wide.X, wide.Y)
    with clear_error(TypeError, "A's keys must be the layer numbers 1…L−1", "['a', 'b']"):
        nb.relative_difference({"a": D[1], "b": D[2]}, D)


def test_relative_difference_with_nan(wide) -> None:
    D = nb.backprop(wide.Theta, wide.X, wide.Y)
    bad = {1: D[1].copy(), 2: D[2]}
    bad[1][0, 0] = np.nan
    with clear_error(ValueError, "B[1] contains nan at row, column (0, 0)"):
        nb.relative_difference(D, bad)


def test_gradient_check_of_a_backprop_with_keys_counted_from_zero(wide) -> None:
    def zero_based(Theta, X, Y, lam):
        D = nb.backprop(Theta, X, Y, lam)
        return {l - 1: D[l] for l in D}

    with clear_error(ValueError, "D must be keyed like Θ, by the layers [1, 2]", "keys [0]"):
        nb.gradient_check(wide.Theta, wide.X, wide.Y, gradient=zero_based)


def test_gradient_check_of_a_backprop_that_transposes_d(wide) -> None:
    def transposed(Theta, X, Y, lam):
        return {l: D.T for l, D in nb.backprop(Theta, X, Y, lam).items()}

    with clear_error(ValueError, "D[1] has shape (3, 4), but Θ⁽¹⁾ has shape (4, 3)",
                     "looks transposed"):
        nb.gradient_check(wide.Theta, wide.X, wide.Y, gradient=transposed)


def test_gradient_check_of_a_backprop_that_returns_a_list(wide) -> None:
    def as_list(Theta, X, Y, lam):
        return list(nb.backprop(Theta, X, Y, lam).values())

    with clear_error(TypeError, "gradient returned a list", "keyed like Θ, {1: D⁽¹⁾, …, 2: D⁽²⁾}"):
        nb.gradient_check(wide.Theta, wide.X, wide.Y, gradient=as_list)


def test_gradient_check_with_a_gradient_that_is_not_a_function(wide) -> None:
    with clear_error(TypeError, "gradient must be a backprop function", "Gradient"):
        nb.gradient_check(wide.Theta, wide.X, wide.Y, gradient=nb.backprop(wide.Theta, wide.X, wide.Y))


def test_gradient_check_with_epsilon_as_text(wide) -> None:
    with clear_error(TypeError, "epsilon must be a finite number > 0 and < 1", "a str"):
        nb.gradient_check(wide.Theta, wide.X, wide.Y, epsilon="1e-4")


def test_numerical_gradient_of_a_j_that_returns_an_array(wide) -> None:
    with clear_error(TypeError, "J must return a single number J(Θ)", "Θ⁽¹⁾(0, 0) moved by +ε",
                     "ndarray (2,)"):
        nb.numerical_gradient(lambda T: np.array([1.0, 2.0]), wide.Theta)


def test_numerical_gradient_of_a_j_that_returns_nan(wide) -> None:
    with clear_error(ValueError, "J returned nan with Θ⁽¹⁾(0, 0) moved by +ε", "finite costs"):
        nb.numerical_gradient(lambda T: float("nan"), wide.Theta)


def test_numerical_gradient_leaves_theta_alone(wide) -> None:
    before = {l: T.copy() for l, T in wide.Theta.items()}
    nb.numerical_gradient(lambda T: float(np.sum(T[1] ** 2)), wide.Theta)
    for l in before:
        np.testing.assert_array_equal(wide.Theta[l], before[l])


# --- X in forms that would be read wrongly -----------------------------------------------------------

def test_x_of_dates(net) -> None:
    dates = np.array([["2024-01-01", "2024-01-02", "2024-01-03"]] * 4, dtype="datetime64[D]")
    with clear_error(TypeError, "X must be an array of numbers", "dates or times",
                     "datetime64[D]"):
        nb.cost(net.Theta, dates, net.Y)


def test_x_of_date_objects(net) -> None:
    day = datetime.date(2024, 1, 1)
    with clear_error(TypeError, "x must be an array of numbers", "dates or times",
                     "datetime.date(2024, 1, 1)"):
        nb.forward_propagate(net.Theta, [day, day, day])


def test_x_of_numbers_written_as_text(net) -> None:
    with clear_error(TypeError, "X must be an array of numbers", "numbers written as text ('0.5')",
                     "dtype=float"):
        nb.backprop(net.Theta, [["0.5", "1", "0"]] * 4, net.Y)


def test_y_of_numbers_written_as_text(net) -> None:
    with clear_error(TypeError, "Y must be an array of numbers", "numbers written as text"):
        nb.cost(net.Theta, net.X, net.Y.astype(str))


def test_x_as_a_masked_array_with_masked_entries(net) -> None:
    X = np.ma.masked_array(net.X, mask=np.zeros_like(net.X, dtype=bool))
    X[1, 2] = np.ma.masked
    with clear_error(ValueError, "X is a masked array with 1 masked entries",
                     "would ignore the mask", "filled"):
        nb.cost(net.Theta, X, net.Y)


def test_x_as_a_masked_array_with_nothing_masked_is_its_data(net) -> None:
    X = np.ma.masked_array(net.X, mask=False)
    assert nb.cost(net.Theta, X, net.Y) == nb.cost(net.Theta, net.X, net.Y)


def test_x_of_booleans_is_read_as_zeros_and_ones() -> None:
    """True/False features are unambiguous: False = 0, True = 1 (XOR written as a truth table)."""
    X, Y = nb.xor()
    Theta = nb.init_weights([2, 3, 1], rng=0)
    assert nb.cost(Theta, X.astype(bool), Y) == nb.cost(Theta, X, Y)


def test_theta_of_numbers_written_as_text(net) -> None:
    with clear_error(TypeError, "Theta[1] must be a matrix of numbers", "numbers written as text"):
        nb.cost([net.Theta[1].astype(str), net.Theta[2], net.Theta[3]], net.X, net.Y)


# --- one whole-number rule ------------------------------------------------------------------------

@pytest.mark.parametrize("value", [3, np.int64(3), np.uint8(3), 3.0, np.float32(3.0)])
def test_whole_number_accepts_python_and_numpy_integers_and_whole_floats(value) -> None:
    out = whole_number(value, "k", 1, 5, "a count")
    assert out == 3 and type(out) is int


@pytest.mark.parametrize(("value", "error"), [(True, TypeError), ("3", TypeError), (None, TypeError),
                                              (2.5, ValueError), (float("nan"), ValueError),
                                              (float("inf"), ValueError), (0, ValueError),
                                              (6, ValueError), (np.array([3]), TypeError)])
def test_whole_number_refuses_the_rest_and_says_what_the_number_means(value, error) -> None:
    with clear_error(error, "k must be a whole number from 1 to 5 (a count), but it is"):
        whole_number(value, "k", 1, 5, "a count")


# --- no public function fails inside numpy ----------------------------------------------------------

JUNK = ["text", None, float("nan"), [[1, 2], [3]], {"a": 1}, -1, True, np.zeros((2, 2, 2)),
        np.array(["2024-01-01"], dtype="datetime64[D]"), 1j]


def _good_calls() -> dict[str, tuple]:
    p = nb.lecture_network(m=3)
    T, X, Y = p.Theta, p.X, p.Y
    Delta = nb.accumulate(T, X, Y)
    return {
        "forward_propagate": (nb.forward_propagate, (T, X[0])),
        "cost": (nb.cost, (T, X, Y, 0.5)),
        "backprop_example": (nb.backprop_example, (T, X[0], Y[0])),
        "accumulate": (nb.accumulate, (T, X, Y)),
        "accumulation_history": (nb.accumulation_history, (T, X, Y)),
        "backprop": (nb.backprop, (T, X, Y, 0.5)),
        "backprop_vectorized": (nb.backprop_vectorized, (T, X, Y, 0.5)),
        "d_terms": (nb.d_terms, (Delta, T, 3, 0.5)),
        "regularization_cost": (nb.regularization_cost, (T, 3, 0.5)),
        "regularization_gradient": (nb.regularization_gradient, (T, 3, 0.5)),
        "numerical_gradient": (nb.numerical_gradient, (lambda Th: 0.0, T, 1e-4)),
        "relative_difference": (nb.relative_difference, (Delta, Delta)),
        "gradient_check": (nb.gradient_check, (T, X, Y, 0.5)),
        "kink_clearance": (nb.kink_clearance, (T, X, 1e-4)),
        "train": (nb.train, (T, X, Y, 0.5)),
        "predict": (nb.predict, (T, X)),
        "accuracy": (nb.accuracy, (T, X, p.labels)),
        "one_hot": (nb.one_hot, ([0, 1], 2)),
        "add_bias": (nb.add_bias, (X,)),
        "init_weights": (nb.init_weights, ([3, 5, 4], 0.12, 0)),
        "debug_weights": (nb.debug_weights, (3, 2)),
        "debug_problem": (nb.debug_problem, ([3, 2], 4)),
        "lecture_network": (nb.lecture_network, (3, 2021)),
        "unroll": (nb.unroll, (T,)),
        "roll": (nb.roll, (nb.unroll(T), [3, 5, 5, 4])),
        "layer_sizes": (nb.layer_sizes, (T,)),
        "sigmoid": (nb.sigmoid, (X,)),
        "sigmoid_gradient": (nb.sigmoid_gradient, (X,)),
        "tanh": (nb.tanh, (X,)),
        "tanh_gradient": (nb.tanh_gradient, (X,)),
        "relu": (nb.relu, (X,)),
        "relu_gradient": (nb.relu_gradient, (X,)),
        "load_digits": (nb.load_digits, (0.25, 0)),
    }


def test_every_public_function_of_the_algorithm_is_swept() -> None:
    functions = {name for name in nb.__all__ if callable(getattr(nb, name))
                 and not isinstance(getattr(nb, name), type)} - {"xor"}     # xor takes nothing
    assert functions == set(_good_calls())


@pytest.mark.parametrize("name", sorted(_good_calls()))
def test_junk_in_any_argument_gives_a_clear_error_or_a_checked_answer(name) -> None:
    """Each argument of a good call replaced by each kind of junk: either the call still works
    (the junk is a valid value there, such as −1 for a z) or it raises a TypeError/ValueError
    in the package's words, never numpy's and never another exception."""
    function, args = _good_calls()[name]
    for position in range(len(args)):
        for junk in JUNK:
            bad = (*args[:position], junk, *args[position + 1:])
            try:
                function(*bad)
            except (TypeError, ValueError) as error:
                message = str(error)
                assert not any(raw in message for raw in RAW_NUMPY), (name, position, junk, message)
                assert "Traceback" not in message and len(message) > 20, (name, position, junk)


# --- the package's modules and their private names -------------------------------------------

CORE = sorted(m.name for m in pkgutil.iter_modules(nb.__path__) if not m.ispkg)
ALL_MODULES = sorted(m.name for m in pkgutil.walk_packages(nb.__path__, "nbhelpers."))


def _imports(path: Path, module: str) -> list[tuple[str, list[str]]]:
    """(module imported, names imported) for every import statement of the file of ``module``
    (``"nbhelpers.display.trace"``; a package's own file is ``"nbhelpers.__init__"``)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[:-node.level]        # the package the dots point to
                out.append((".".join(base + ([node.module] if node.module else [])),
                            [alias.name for alias in node.names]))
            else:
                out.append((node.module or "", [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            out += [(alias.name, []) for alias in node.names]
    return out


def test_relative_imports_are_resolved_against_the_right_package() -> None:
    imports = dict((name, names) for name, names in _imports(_source("nbhelpers.cost"), "nbhelpers.cost"))
    assert imports["nbhelpers.forward"] == ["forward_unchecked"]
    inits = dict(_imports(_source("nbhelpers"), "nbhelpers.__init__"))
    assert "backprop" in inits["nbhelpers.accumulate"]


def _source(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    return Path(spec.origin)


@pytest.mark.parametrize("module", ALL_MODULES)
def test_every_module_imports(module) -> None:
    importlib.import_module(module)


def _outside_files() -> list[tuple[Path, str]]:
    """The files of the display and course layers and of tools/, with their module names."""
    files = [(path, "nbhelpers." + ".".join(path.relative_to(ROOT / "nbhelpers").with_suffix("").parts))
             for sub in ("display", "course") for path in sorted((ROOT / "nbhelpers" / sub).rglob("*.py"))]
    return files + [(path, "tools." + ".".join(path.relative_to(ROOT / "tools").with_suffix("").parts))
                    for path in sorted((ROOT / "tools").rglob("*.py"))]


@pytest.mark.parametrize(("path", "module"), _outside_files(),
                         ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else "")
def test_no_private_name_of_the_algorithm_is_imported_from_outside(path, module) -> None:
    for imported, names in _imports(path, module):
        if imported.startswith("nbhelpers.") and imported.split(".")[1] in CORE:
            private = [n for n in names if n.startswith("_")]
            assert not private, f"{path.name} imports {private} from {imported}"


@pytest.mark.parametrize("module", [m for m in CORE if m != "__init__"])
def test_a_module_of_the_algorithm_exports_only_its_own_names(module) -> None:
    mod = importlib.import_module(f"nbhelpers.{module}")
    for name in getattr(mod, "__all__", []):
        value = getattr(mod, name)
        if callable(value) and hasattr(value, "__module__") and not isinstance(value, type(dict[int, int])):
            assert value.__module__ == mod.__name__, f"{module} re-exports {name} of {value.__module__}"
