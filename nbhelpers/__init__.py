"""nbhelpers: the backpropagation algorithm in the lecture's own notation.

Conventions (the same in every function and every notebook):

* Layers are numbered 1…L as in the lecture; layer 1 is the input, layer L the output.
  sₗ is the number of units in layer l, not counting the bias unit.
* Parameters are a mapping ``Theta = {1: Θ⁽¹⁾, …, L−1: Θ⁽ᴸ⁻¹⁾}``; Θ⁽ˡ⁾ has shape
  s₍ₗ₊₁₎ × (sₗ + 1) and its column 0 multiplies the bias unit a₀ = 1. A plain sequence
  ``[Θ⁽¹⁾, Θ⁽²⁾, …]`` (lists of lists too) is accepted and means the same.
* ``a[l]`` includes the bias unit a₀ = 1 in front for every l < L; ``z[l]`` exists for
  l = 2…L; ``delta[l]`` exists for l = 2…L without a bias entry; there is no ``delta[1]``.
* One example x is a 1-D vector of s₁ features; a batch X is an m × s₁ matrix, one example
  per row, and then a[l], z[l] and delta[l] have one row per example too.
* ``Y`` is the one-hot label matrix (m × K, K = s_L); :func:`one_hot` builds it.
* ``Delta[l]`` (Δ⁽ˡ⁾) and ``D[l]`` (D⁽ˡ⁾) are keyed like Θ, l = 1…L−1.
* Beyond the lecture, the functions of the algorithm take ``loss="logistic"`` (the lecture's
  cost) or ``"squared"``, and ``activation="sigmoid"`` (the lecture's g) or ``"tanh"``,
  ``"relu"`` for the hidden layers; the output layer is always a sigmoid.

Every public function checks its inputs once, at its entry (:mod:`nbhelpers.validation`), and
explains a mistake in these terms; nothing mistyped gives a silently wrong number. The few
``*_unchecked`` functions are the same computations without the checks, for callers that have
checked once and compute many times (a gradient check, an optimizer, a widget).
"""

from .accumulate import accumulate, accumulation_history, backprop
from .activation import relu, relu_gradient, sigmoid, sigmoid_gradient, tanh, tanh_gradient
from .cost import cost, regularization_cost
from .d_terms import Gradient, d_terms, regularization_gradient
from .delta import BackwardPass, backprop_example
from .examples import (
    LECTURE_SIZES,
    Digits,
    Problem,
    debug_problem,
    lecture_network,
    load_digits,
    one_hot,
    xor,
)
from .forward import ForwardPass, forward_propagate
from .gradcheck import (
    KinkClearance,
    gradient_check,
    kink_clearance,
    numerical_gradient,
    relative_difference,
)
from .learning import TrainingResult, accuracy, predict, train
from .network import add_bias, debug_weights, init_weights, roll, unroll
from .validation import layer_sizes
from .vectorized import backprop_vectorized

__all__ = [
    "LECTURE_SIZES", "BackwardPass", "Digits", "ForwardPass", "Gradient", "KinkClearance", "Problem",
    "TrainingResult", "accumulate", "accumulation_history", "accuracy", "add_bias",
    "backprop", "backprop_example", "backprop_vectorized", "cost", "d_terms", "debug_problem",
    "debug_weights", "forward_propagate", "gradient_check", "init_weights", "kink_clearance", "layer_sizes",
    "lecture_network", "load_digits", "numerical_gradient", "one_hot", "predict",
    "regularization_cost", "regularization_gradient", "relative_difference", "relu",
    "relu_gradient", "roll", "sigmoid", "sigmoid_gradient", "tanh", "tanh_gradient",
    "train", "unroll", "xor",
]
