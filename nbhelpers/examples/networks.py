"""Small, fixed networks and data sets that the notebooks and tests share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..network import debug_weights
from ..validation import Params, as_layer_sizes, check_seed, layer_sizes, whole_number
from .data import one_hot

LECTURE_SIZES = (3, 5, 5, 4)
"""The four layers of the lecture's figure: 3 inputs, two hidden layers of 5, 4 outputs."""


LECTURE_CLASSES = (0, 2, 1, 3)
"""The classes of the lecture network's examples 1, 2, 3, 4, 5, …: this order, repeating."""


@dataclass(frozen=True)
class Problem:
    """A network Θ with m training examples X (rows) and their one-hot labels Y."""

    Theta: Params
    X: np.ndarray
    Y: np.ndarray

    @property
    def labels(self) -> np.ndarray:
        """The class of each example, 0…K−1."""
        return np.argmax(self.Y, axis=1)

    @property
    def sizes(self) -> list[int]:
        """[s₁, …, s_L]."""
        return layer_sizes(self.Theta)


def lecture_network(m: int = 3, seed: int = 2021) -> Problem:
    """The lecture's 3-5-5-4 network with hand-sized numbers.

    Every weight and every input has one decimal (drawn from −0.9…0.9 and −1.0…1.0 by a
    Generator seeded with ``seed``), so each step can be followed with pencil and paper.
    Example i is the same pair (x⁽ⁱ⁾, y⁽ⁱ⁾) for every m: the inputs are drawn row by row after Θ,
    and the classes follow :data:`LECTURE_CLASSES`, repeating, so ``lecture_network(m=4)``
    extends ``lecture_network(m=3)`` by one example.
    """
    m = whole_number(m, "m", 1, meaning="the number of training examples")
    rng = np.random.default_rng(check_seed(seed))
    sizes = LECTURE_SIZES
    Theta = {l: rng.integers(-9, 10, size=(sizes[l], sizes[l - 1] + 1)) / 10
             for l in range(1, len(sizes))}
    X = rng.integers(-10, 11, size=(m, sizes[0])) / 10
    labels = np.resize(np.array(LECTURE_CLASSES), m)
    return Problem(Theta, X, one_hot(labels, sizes[-1]))


def debug_problem(layer_sizes: Sequence[int], m: int = 5) -> Problem:
    """A deterministic problem for gradient checks: Θ from :func:`debug_weights`, X likewise,
    and labels cycling through the K classes."""
    sizes = as_layer_sizes(layer_sizes)
    m = whole_number(m, "m", 1, meaning="the number of training examples")
    Theta = {l: debug_weights(sizes[l], sizes[l - 1]) for l in range(1, len(sizes))}
    X = debug_weights(m, sizes[0] - 1)
    return Problem(Theta, X, one_hot(np.arange(m) % sizes[-1], sizes[-1]))
