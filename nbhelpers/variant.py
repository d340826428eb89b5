"""The two choices beyond the lecture, made by name: which cost J(Θ), which hidden activation g.

Every function of the algorithm takes them as ``loss="logistic"`` (or ``"squared"``) and
``activation="sigmoid"`` (or ``"tanh"``, ``"relu"``); the defaults are the lecture's.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .activation import SIGMOID, Activation, activation_named
from .loss import LOGISTIC, Loss, loss_named


class Variant(NamedTuple):
    """A cost function and the activation of the hidden layers."""

    loss: Loss = LOGISTIC
    activation: Activation = SIGMOID


LECTURE = Variant()
"""The lecture's choice: the logistic cost and sigmoid units everywhere."""


def variant(loss: Any = "logistic", activation: Any = "sigmoid") -> Variant:
    """The :class:`Variant` named by ``loss`` and ``activation``, or an error that names the
    wrong argument and lists its valid values."""
    return Variant(loss_named(loss), activation_named(activation))
