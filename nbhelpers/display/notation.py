"""How the drawings write the choices of g and of the cost: words, LaTeX and plain Unicode.

The algorithm's :class:`~nbhelpers.activation.Activation` and :class:`~nbhelpers.loss.Loss`
carry only their name and their functions; what a reader sees of them lives here, looked up by
that name (:func:`activation_notation`, :func:`loss_notation`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from ..validation import sup


@dataclass(frozen=True, kw_only=True)
class ActivationNotation:
    """One hidden-layer activation g as the reader sees it.

    ``formula`` and ``slope`` are g(z) and g′(z) in LaTeX, ``formula_text`` and ``slope_text``
    the same in plain Unicode; ``label`` names g in a sentence, ``effect`` says what it does
    to z and ``saturation`` where its slope vanishes.
    """

    label: str
    formula: str
    formula_text: str
    slope: str
    slope_text: str
    effect: str
    saturation: str

    def slope_at(self, l: int) -> tuple[str, str]:
        """g′(z⁽ˡ⁾) = … for layer l, as (LaTeX, plain Unicode)."""
        return (rf"g'(z^{{({l})}}) = " + self.slope.replace("z", f"z^{{({l})}}"),
                f"g′(z{sup(l)}) = " + self.slope_text.replace("z", f"z{sup(l)}"))


@dataclass(frozen=True, kw_only=True)
class LossNotation:
    """One cost function as the reader sees it: the cost of one example and the δ⁽ᴸ⁾ it gives,
    in LaTeX and in plain Unicode (``L`` stands for the output layer's number)."""

    label: str
    cost: str
    cost_text: str
    output_delta: str
    output_delta_text: str

    def output_delta_at(self, L: int) -> tuple[str, str]:
        """δ⁽ᴸ⁾ = … with the output layer's number L written in, as (LaTeX, plain Unicode)."""
        return (self.output_delta.replace("(L)", f"({L})"),
                self.output_delta_text.replace("⁽ᴸ⁾", sup(L)))


T = TypeVar("T")


ACTIVATION_NOTATION: dict[str, ActivationNotation] = {
    "sigmoid": ActivationNotation(
        label="sigmoid",
        formula=r"\frac{1}{1 + e^{-z}}",
        formula_text="1 / (1 + e^(−z))",
        slope=r"g(z)\,(1 - g(z))",
        slope_text="g(z)(1 − g(z))",
        effect="squeezes every z into (0, 1)",
        saturation="a unit near 0 or 1 is saturated and passes little error back"),
    "tanh": ActivationNotation(
        label="tanh",
        formula=r"\tanh(z)",
        formula_text="tanh(z)",
        slope=r"1 - g(z)^2",
        slope_text="1 − g(z)²",
        effect="squeezes every z into (−1, 1)",
        saturation="a unit near −1 or 1 is saturated and passes little error back"),
    "relu": ActivationNotation(
        label="ReLU",
        formula=r"\max(0, z)",
        formula_text="max(0, z)",
        slope=r"\begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}",
        slope_text="1 if z > 0, else 0",
        effect="keeps every positive z and turns every negative z into 0",
        saturation="a unit with z ≤ 0 passes no error back, a unit with z > 0 passes all of it"),
}
"""The notation of each activation, by the activation's ``name``."""

LOSS_NOTATION: dict[str, LossNotation] = {
    "logistic": LossNotation(
        label="logistic cost",
        cost=r"-y \log h_\Theta(x) - (1 - y) \log(1 - h_\Theta(x))",
        cost_text="−y log h_Θ(x) − (1 − y) log(1 − h_Θ(x))",
        output_delta=r"\delta^{(L)} = a^{(L)} - y",
        output_delta_text="δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y"),
    "squared": LossNotation(
        label="squared error",
        cost=r"\tfrac{1}{2}\,\lVert h_\Theta(x) - y \rVert^2",
        cost_text="½‖h_Θ(x) − y‖²",
        output_delta=r"\delta^{(L)} = (a^{(L)} - y) \mathbin{.*} g'(z^{(L)})",
        output_delta_text="δ⁽ᴸ⁾ = (a⁽ᴸ⁾ − y) .* g′(z⁽ᴸ⁾)"),
}
"""The notation of each cost function, by the loss's ``name``."""


def activation_notation(name: str) -> ActivationNotation:
    """The notation of the activation called ``name`` (an :class:`Activation`'s ``name``)."""
    return _look_up(ACTIVATION_NOTATION, name, "activation")


def loss_notation(name: str) -> LossNotation:
    """The notation of the cost function called ``name`` (a :class:`Loss`'s ``name``)."""
    return _look_up(LOSS_NOTATION, name, "loss")


def _look_up(table: dict[str, T], name: str, what: str) -> T:
    try:
        return table[name]
    except KeyError:
        raise KeyError(f"there is no notation for the {what} {name!r}; the drawings know "
                       f"{', '.join(map(repr, table))}.") from None
