"""Data: one-hot labels, the handwritten digits shipped with scikit-learn, and XOR."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .validation import as_float_array

DIGITS_SEED = 0
DIGITS_TEST_FRACTION = 0.25


def one_hot(labels: Any, K: int) -> np.ndarray:
    """The label matrix Y: row i is y⁽ⁱ⁾, all zeros except a 1 in column labels[i] (0…K−1).

    A single label gives a single vector y of length K.
    """
    if isinstance(K, bool) or not isinstance(K, int | np.integer) or K < 1:
        raise ValueError(f"K, the number of classes (output units), must be a whole number ≥ 1, "
                         f"not {K!r}.")
    arr = as_float_array(labels, "labels")
    if arr.ndim > 1:
        raise ValueError(f"labels must be a vector of class numbers, but it has shape {arr.shape}"
                         " (is it one-hot already?).")
    if arr.size and (np.any(arr != np.round(arr)) or arr.min() < 0 or arr.max() > K - 1):
        bad = arr[(arr != np.round(arr)) | (arr < 0) | (arr > K - 1)][0]
        raise ValueError(f"labels must be whole numbers 0…K−1 = 0…{K - 1}, but one is {bad:g}.")
    Y = np.zeros((*arr.shape, K))
    if arr.ndim == 0:
        Y[int(arr)] = 1.0
    else:
        Y[np.arange(arr.size), arr.astype(int)] = 1.0
    return Y


@dataclass(frozen=True)
class Digits:
    """The 8×8 digits, pixels scaled to [0, 1]; train/test split stratified by class."""

    X_train: np.ndarray
    labels_train: np.ndarray
    X_test: np.ndarray
    labels_test: np.ndarray

    @property
    def Y_train(self) -> np.ndarray:
        """One-hot labels of the training set (m × 10)."""
        return one_hot(self.labels_train, 10)

    @property
    def Y_test(self) -> np.ndarray:
        """One-hot labels of the test set."""
        return one_hot(self.labels_test, 10)

    @property
    def X(self) -> np.ndarray:
        """All 1,797 examples, training set first."""
        return np.vstack([self.X_train, self.X_test])

    @property
    def labels(self) -> np.ndarray:
        """All labels, in the order of :attr:`X`."""
        return np.concatenate([self.labels_train, self.labels_test])


def load_digits(test_fraction: float = DIGITS_TEST_FRACTION, seed: int = DIGITS_SEED) -> Digits:
    """The 1,797 handwritten digits (8×8 pixels, labels 0…9) that scikit-learn ships in its
    package: nothing is downloaded.

    Each pixel (0…16 in the file) is divided by 16, so X lies in [0, 1] with 64 columns. The
    split puts ``test_fraction`` of each digit class in the test set, chosen by a numpy
    Generator seeded with ``seed``: the same split on every machine.
    """
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, not {test_fraction}.")
    from sklearn.datasets import load_digits as _sk_load_digits

    raw = _sk_load_digits()
    X = raw.data / 16.0
    labels = raw.target.astype(int)
    rng = np.random.default_rng(seed)
    test = np.zeros(labels.size, dtype=bool)
    for k in range(10):
        members = np.flatnonzero(labels == k)
        chosen = rng.choice(members, size=round(test_fraction * members.size), replace=False)
        test[chosen] = True
    return Digits(X[~test], labels[~test], X[test], labels[test])


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The four XOR examples: X (4 × 2) and Y (4 × 1); y = 1 when exactly one input is 1.

    No single layer can separate them, which makes XOR the smallest problem a hidden
    layer is needed for.
    """
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    Y = np.array([[0], [1], [1], [0]], dtype=float)
    return X, Y
