"""Bad input: one test per mistake, asserting the exception type and what the message says.

Every message must name the lecture's object and what was expected, and no raw numpy message
may come through instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest

import nbhelpers as nb

RAW_NUMPY = ("broadcast", "operands", "matmul", "inhomogeneous", "could not convert",
             "setting an array element", "gufunc", "index", "ComplexWarning")


@contextmanager
def clear_error(kind: type[Exception], first: str, *more: str) -> Iterator[None]:
    """Expect ``kind`` whose message contains ``first`` and every one of ``more``."""
    with pytest.raises(kind, match=re.escape(first)) as info:
        yield
    message = str(info.value)
    for phrase in more:
        assert phrase in message, f"{phrase!r} missing from: {message}"
    for raw in RAW_NUMPY:
        assert raw not in message, f"raw numpy wording {raw!r} in: {message}"


@pytest.fixture
def net():
    """A 2-2-2 network (Θ⁽¹⁾ and Θ⁽²⁾ both 2 × 3) with m = 3 good examples."""
    Theta = {1: np.full((2, 3), 0.1), 2: np.full((2, 3), -0.2)}
    X = np.array([[0.5, 2.0], [1.0, -1.0], [0.0, 3.0]])
    Y = nb.one_hot([0, 1, 0], 2)
    return Theta, X, Y


# --- Θ ---------------------------------------------------------------------------------------

def test_theta_without_its_bias_column(net) -> None:
    Theta, X, Y = net
    with clear_error(ValueError, "Θ⁽²⁾ must have 3 columns", "Theta[2] has shape (2, 2)",
                     "layer 2 has 2 units", "bias column"):
        nb.backprop({1: Theta[1], 2: Theta[2][:, 1:]}, X, Y)


def test_theta_1_without_its_bias_column(net) -> None:
    Theta, X, Y = net
    with clear_error(ValueError, "X has 2 features per example, but Θ⁽¹⁾ has 2 columns",
                     "Θ⁽¹⁾ is missing its bias column", "must have 3 columns"):
        nb.cost({1: Theta[1][:, 1:], 2: Theta[2]}, X, Y)


def test_theta_with_the_wrong_width(net) -> None:
    Theta, X, Y = net
    with clear_error(ValueError, "Theta[2] has shape (2, 5)", "plus the bias unit",
                     "Θ⁽²⁾ must have 3 columns"):
        nb.cost({1: Theta[1], 2: np.zeros((2, 5))}, X, Y)


def test_theta_keys_counted_from_zero(net) -> None:
    Theta, X, Y = net
    with clear_error(ValueError, "Theta's keys are [0, 1]", "numbered 1…L",
                     "needs the keys [1, 2]", "there is no Θ⁽⁰⁾"):
        nb.backprop({0: Theta[1], 1: Theta[2]}, X, Y)


def test_theta_keys_that_are_not_numbers(net) -> None:
    Theta, X, _ = net
    with clear_error(TypeError, "Theta's keys must be the layer numbers 1…L−1"):
        nb.forward_propagate({"1": Theta[1], "2": Theta[2]}, X)


def test_theta_as_a_single_matrix(net) -> None:
    _, X, Y = net
    with clear_error(TypeError, "single 2-D array", "one matrix per layer", "{1: Theta1}"):
        nb.cost(np.zeros((2, 3)), X, Y)


def test_nan_in_theta(net) -> None:
    Theta, X, Y = net
    bad = Theta[1].copy()
    bad[0, 1] = np.nan
    with clear_error(ValueError, "Theta[1] contains nan at row, column (0, 1)", "finite"):
        nb.backprop({1: bad, 2: Theta[2]}, X, Y)


def test_ragged_theta(net) -> None:
    _, X, Y = net
    with clear_error(TypeError, "Theta[1] must be a matrix of numbers",
                     "its rows have different lengths"):
        nb.cost([[[0, 0, 0], [0, 0]], [[0, 0, 0], [0, 0, 0]]], X, Y)


# --- X -----------------------------------------------------------------------------------------

def test_x_and_y_with_different_numbers_of_rows(net) -> None:
    Theta, X, Y = net
    with clear_error(ValueError, "X has 3 examples but Y has 2 rows", "its own label row"):
        nb.backprop(Theta, X, Y[:2])


def test_x_with_the_wrong_number_of_features(net) -> None:
    Theta, _, Y = net
    with clear_error(ValueError, "X has 3 features per example",
                     "s₁ = 2 input units", "needs 2 features"):
        nb.cost(Theta, np.full((3, 3), 0.5), Y)


def test_x_that_already_has_the_bias_column(net) -> None:
    Theta, X, Y = net
    with clear_error(ValueError, "Its first column is all ones",
                     "every example (row) of X already contains the bias unit a₀ = 1",
                     "pass the features only"):
        nb.backprop_vectorized(Theta, nb.add_bias(X), Y)


def test_one_x_that_already_has_the_bias_unit(net) -> None:
    """A single example is a vector: the message speaks of its first entry, not of a column."""
    Theta, X, _ = net
    with pytest.raises(ValueError) as caught:
        nb.forward_propagate(Theta, nb.add_bias(X[0]))
    message = str(caught.value)
    assert message.startswith("x has 3 entries, but Θ⁽¹⁾ has 3 columns"), message
    assert "so x needs 2 entries, one per feature" in message
    assert "Its first entry is 1: it looks like x already contains the bias unit a₀ = 1" in message
    assert "first column" not in message and "per example" not in message


def test_x_with_the_wrong_number_of_entries(net) -> None:
    Theta, _, _ = net
    with clear_error(ValueError, "x has 1 entry, but Θ⁽¹⁾ has 3 columns",
                     "so x needs 2 entries, one per feature"):
        nb.forward_propagate(Theta, np.array([0.5]))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_x_that_is_not_finite(net, bad) -> None:
    Theta, X, Y = net
    X = X.copy()
    X[2, 1] = bad
    with clear_error(ValueError, f"X contains {bad} at example, feature (2, 1)",
                     "must be a finite number"):
        nb.cost(Theta, X, Y)


def test_empty_x(net) -> None:
    Theta, _, _ = net
    with clear_error(ValueError, "X has no examples (m = 0)", "at least one"):
        nb.backprop(Theta, np.zeros((0, 2)), np.zeros((0, 2)))


def test_ragged_x(net) -> None:
    Theta, _, Y = net
    with clear_error(TypeError, "X must be an array of numbers",
                     "its rows have different lengths"):
        nb.cost(Theta, [[1, 2], [3], [4, 5]], Y)


def test_x_as_a_string(net) -> None:
    Theta, _, Y = net
    with clear_error(TypeError, "X must be an array of numbers, but it is a str"):
        nb.cost(Theta, "1, 2", Y)


def test_x_holding_text(net) -> None:
    Theta, _, Y = net
    with clear_error(TypeError, "X must be an array of numbers", "it holds text ('b')"):
        nb.backprop(Theta, [["1", "b"], ["0", "0"], ["0", "0"]], Y)


def test_x_holding_other_objects(net) -> None:
    Theta, _, Y = net
    with clear_error(TypeError, "X must be an array of numbers",
                     "some of its entries are not numbers"):
        nb.cost(Theta, [[{}, 1], [0, 0], [0, 0]], Y)


def test_x_holding_complex_numbers(net) -> None:
    Theta, X, Y = net
    with clear_error(TypeError, "X must be an array of real numbers", "complex"):
        nb.cost(Theta, X + 1j, Y)


def test_x_with_too_many_dimensions(net) -> None:
    Theta, X, Y = net
    with clear_error(ValueError, "X must be one example", "an m × 2 matrix",
                     "shape (3, 2, 1)"):
        nb.cost(Theta, X[:, :, None], Y)


# --- Y -----------------------------------------------------------------------------------------

def test_y_given_as_labels(net) -> None:
    Theta, X, _ = net
    with clear_error(ValueError, "looks like a vector of class labels", "K = 2",
                     "one-hot matrix of shape (m, K) = (3, 2)", "one_hot(labels, 2)"):
        nb.backprop(Theta, X, [0, 1, 0])


def test_y_given_as_a_vector_for_one_output_unit(net) -> None:
    Theta, X, _ = net
    with clear_error(ValueError, "K = 1 output unit", "column of shape (m, 1) = (3, 1)"):
        nb.cost({1: Theta[1], 2: np.zeros((1, 3))}, X, [0, 1, 1])


def test_y_with_the_wrong_k(net) -> None:
    Theta, X, _ = net
    with clear_error(ValueError, "Y has 3 columns", "output layer L has K = 2 units",
                     "must have 2 entries"):
        nb.cost(Theta, X, nb.one_hot([0, 1, 2], 3))


def test_y_outside_zero_one(net) -> None:
    Theta, X, Y = net
    with clear_error(ValueError, "Y holds 2.0 at example, output (0, 0)", "lie in [0, 1]",
                     "one_hot(labels, 2)"):
        nb.backprop(Theta, X, Y * 2)


def test_nan_in_y(net) -> None:
    Theta, X, Y = net
    Y = Y.copy()
    Y[0, 0] = np.nan
    with clear_error(ValueError, "Y contains nan at example, output (0, 0)"):
        nb.cost(Theta, X, Y)


# --- λ -----------------------------------------------------------------------------------------

def test_negative_lambda(net) -> None:
    with clear_error(ValueError, "lam (λ) must be a finite number ≥ 0, but it is -1.0",
                     "penalty on large weights"):
        nb.cost(*net, lam=-1)


def test_lambda_that_is_not_a_number(net) -> None:
    with clear_error(TypeError, "lam (λ) must be a number, but it is a str"):
        nb.backprop(*net, lam="0.1")


def test_lambda_that_is_nan(net) -> None:
    with clear_error(ValueError, "lam (λ) must be a finite number ≥ 0, but it is nan"):
        nb.gradient_check(*net, lam=float("nan"))


# --- single examples, labels, vectors, training --------------------------------------------------

def test_backprop_example_given_a_batch(net) -> None:
    Theta, X, Y = net
    with clear_error(ValueError, "x must be one example (a 1-D vector)", "shape (3, 2)",
                     "backprop(Theta, X, Y)"):
        nb.backprop_example(Theta, X, Y[0])


def test_backprop_example_given_a_scalar_y(net) -> None:
    Theta, X, _ = net
    with clear_error(ValueError, "y is the single number 1", "K = 2", "one_hot(1, 2)"):
        nb.backprop_example(Theta, X[0], 1)


@pytest.mark.parametrize(("labels", "shown"), [([0, 3], "3"), ([-1], "-1"), ([0.5], "0.5")])
def test_one_hot_with_bad_labels(labels, shown) -> None:
    with clear_error(ValueError, f"labels must be whole numbers 0…K−1 = 0…2, but one is {shown}"):
        nb.one_hot(labels, 3)


def test_one_hot_given_one_hot_labels() -> None:
    with clear_error(ValueError, "labels must be a vector", "is it one-hot already?"):
        nb.one_hot(nb.one_hot([0, 1], 2), 2)


def test_roll_with_the_wrong_length() -> None:
    with clear_error(ValueError, "the vector has 5 entries", "layer sizes [2, 2, 2]",
                     "12 parameters", "(2, 3)"):
        nb.roll(np.zeros(5), [2, 2, 2])


def test_train_with_an_unknown_method(net) -> None:
    with clear_error(ValueError, "unknown method 'adam'", "gradient-descent", "L-BFGS-B"):
        nb.train(*net, method="adam")


def test_accuracy_with_the_wrong_number_of_labels(net) -> None:
    Theta, X, _ = net
    with clear_error(ValueError, "X has 3 examples but labels has 2 entries"):
        nb.accuracy(Theta, X, [0, 1])


# --- every public function checks, and good input in other forms is welcome ------------------------

WITH_Y = [nb.cost, nb.backprop, nb.backprop_vectorized, nb.accumulate,
          nb.accumulation_history, nb.gradient_check, nb.train]


@pytest.mark.parametrize("function", WITH_Y, ids=lambda f: f.__name__)
def test_every_function_refuses_mismatched_x_and_y(net, function) -> None:
    Theta, X, Y = net
    with clear_error(ValueError, "X has 3 examples but Y has 1 rows"):
        function(Theta, X, Y[:1])


@pytest.mark.parametrize("function", [nb.forward_propagate, nb.predict, nb.cost,
                                      nb.backprop, nb.backprop_vectorized],
                         ids=lambda f: f.__name__)
def test_every_function_refuses_the_wrong_number_of_features(net, function) -> None:
    Theta, _, Y = net
    args = (Theta, np.full((3, 4), 0.5)) + ((Y,) if function in WITH_Y else ())
    with clear_error(ValueError, "has 4 features per example", "needs 2 features"):
        function(*args)


def test_integer_arrays_and_lists_are_accepted(net) -> None:
    """Integers and nested lists are read as floating point and give the float result."""
    Theta = {1: np.array([[1, -1, 2], [0, 1, -2]]), 2: np.array([[2, 1, -1], [-1, 0, 1]])}
    X = np.array([[1, 0], [0, 2], [3, 1]])
    Y = np.array([[1, 0], [0, 1], [1, 0]])
    as_float = ({l: T.astype(float) for l, T in Theta.items()}, X.astype(float),
                Y.astype(float))
    as_lists = ([T.tolist() for T in Theta.values()], X.tolist(), Y.tolist())
    for args in ((Theta, X, Y), as_lists):
        assert nb.cost(*args, lam=1) == nb.cost(*as_float, lam=1.0)
        D, D_float = nb.backprop(*args, 1), nb.backprop(*as_float, 1.0)
        for l in D_float:
            assert D[l].dtype == np.float64
            np.testing.assert_array_equal(D[l], D_float[l])
        np.testing.assert_array_equal(nb.predict(args[0], args[1]),
                                      nb.predict(as_float[0], as_float[1]))
