"""Data: the digits shipped with scikit-learn, its split, XOR and one_hot."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_digits as sklearn_digits

import nbhelpers as nb


@pytest.fixture(scope="module")
def digits():
    return nb.load_digits()


def _sorted_rows(X: np.ndarray) -> np.ndarray:
    return X[np.lexsort(X.T[::-1])]


def test_digits_sizes_range_and_labels(digits) -> None:
    assert digits.X.shape == (1797, 64)
    assert digits.X_train.shape[0] + digits.X_test.shape[0] == 1797
    assert digits.X_train.shape[1] == digits.X_test.shape[1] == 64
    assert digits.X.min() == 0.0 and digits.X.max() == 1.0
    np.testing.assert_array_equal(np.unique(digits.labels), np.arange(10))
    assert digits.labels_train.shape == (digits.X_train.shape[0],)
    np.testing.assert_array_equal(digits.Y_train.argmax(axis=1), digits.labels_train)
    assert digits.Y_test.shape == (digits.X_test.shape[0], 10)


def test_digits_are_the_scikit_learn_images_divided_by_16(digits) -> None:
    """Train and test together hold every image exactly once (as a multiset of rows with their
    labels), so the two sets are disjoint and nothing is lost."""
    raw = sklearn_digits()
    ours = np.column_stack([digits.X * 16, digits.labels])
    theirs = np.column_stack([raw.data, raw.target])
    np.testing.assert_array_equal(_sorted_rows(ours), _sorted_rows(theirs))


def test_digits_split_is_stratified(digits) -> None:
    """Each digit has about 180 images; 25 % of each class (rounded) goes to the test set."""
    for k in range(10):
        n_test = np.sum(digits.labels_test == k)
        n_all = np.sum(digits.labels == k)
        assert abs(n_test - 0.25 * n_all) <= 0.5
    assert digits.X_test.shape[0] == pytest.approx(0.25 * 1797, abs=5)


def test_digits_split_depends_on_the_seed_only(digits) -> None:
    again = nb.load_digits()
    np.testing.assert_array_equal(again.X_test, digits.X_test)
    np.testing.assert_array_equal(again.labels_train, digits.labels_train)
    other = nb.load_digits(seed=1)
    assert other.X_test.shape == digits.X_test.shape
    assert not np.array_equal(other.X_test, digits.X_test)
    half = nb.load_digits(test_fraction=0.5)
    assert abs(half.X_test.shape[0] - 1797 / 2) <= 10


def test_xor() -> None:
    X, Y = nb.xor()
    assert X.shape == (4, 2) and Y.shape == (4, 1)
    assert X.dtype == Y.dtype == np.float64
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(Y[:, 0], np.logical_xor(X[:, 0], X[:, 1]))


def test_one_hot_hand_worked() -> None:
    Y = nb.one_hot([2, 0, 1, 2], 3)
    np.testing.assert_array_equal(Y, [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    assert Y.dtype == np.float64
    np.testing.assert_array_equal(nb.one_hot(np.array([1]), 2), [[0, 1]])


def test_one_hot_of_one_label_is_one_vector_y() -> None:
    np.testing.assert_array_equal(nb.one_hot(3, 5), [0, 0, 0, 1, 0])


def test_one_hot_inverts_argmax() -> None:
    labels = np.random.default_rng(0).integers(0, 10, 50)
    Y = nb.one_hot(labels, 10)
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    np.testing.assert_array_equal(Y.argmax(axis=1), labels)
