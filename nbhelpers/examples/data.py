"""Data: one-hot labels, the handwritten digits shipped with scikit-learn, and XOR."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..validation import as_labels, check_seed, real_number, whole_number

DIGITS_SEED = 0
DIGITS_TEST_FRACTION = 0.25


def one_hot(labels: Any, K: int) -> np.ndarray:
    """The label matrix Y: row i is y⁽ⁱ⁾, all zeros except a 1 in column labels[i] (0…K−1).

    A single label gives a single vector y of length K.
    """
    K = whole_number(K, "K", 1, meaning="the number of classes, one output unit each")
    arr = as_labels(labels, K)
    Y = np.zeros((*arr.shape, K))
    if arr.ndim == 0:
        Y[int(arr)] = 1.0
    else:
        Y[np.arange(arr.size), arr] = 1.0
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
    test_fraction = real_number(test_fraction, "test_fraction", above=0, below=1,
                                meaning="the share of each class held out for testing")
    seed = check_seed(seed)
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
