"""What the algorithm runs on: the lecture's 3-5-5-4 network with hand-sized numbers, small
deterministic problems for gradient checks, one-hot labels, and the data sets (the digits that
scikit-learn ships, XOR). Not part of the algorithm itself; the package's top level re-exports
these names, so ``nb.lecture_network()`` and ``nb.load_digits()`` work as before."""

from .data import DIGITS_SEED, DIGITS_TEST_FRACTION, Digits, load_digits, one_hot, xor
from .networks import LECTURE_CLASSES, LECTURE_SIZES, Problem, debug_problem, lecture_network

__all__ = ["DIGITS_SEED", "DIGITS_TEST_FRACTION", "LECTURE_CLASSES", "LECTURE_SIZES", "Digits",
           "Problem", "debug_problem", "lecture_network", "load_digits", "one_hot", "xor"]
