"""One example's pass through backpropagation, as a list of small steps to look at one by one.

:func:`trace_backprop` follows the lecture's loop body for one training example (x, y):

* forward:    ``a[1]``, ``z[2]``, ``a[2]``, …, ``z[L]``, ``a[L]``
* backward:   ``delta[L]``, then for l = L−1…2 the explanatory ``g'(z[l])`` and ``delta[l]``
* accumulate: ``Delta[L-1]``, …, ``Delta[1]`` — this example's contribution δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ

:func:`d_steps` adds what happens after the loop over all m examples: ``D[L-1]``, …, ``D[1]``.

Every value comes from :func:`~nbhelpers.backprop_example` (and, for D, from
:func:`~nbhelpers.backprop`); the trace only arranges and writes them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from ..accumulate import backprop
from ..activation import Activation
from ..cost import check_problem
from ..delta import BackwardPass, backprop_example
from ..validation import as_target, as_theta, sup
from ..variant import variant
from .notation import activation_notation, loss_notation
from .style import scale_of
from .typeset import array_latex, array_text, number_latex, number_text

PHASES = ("forward", "backward", "accumulate", "d_terms")


class Operand(NamedTuple):
    """A named array a step uses or produces; ``first`` is the lecture's index of its first
    row and column (a⁽ˡ⁾ with its bias unit counts from 0, Θ's columns count from 0)."""

    name: str
    value: np.ndarray
    first: tuple[int, int] = (1, 1)


BIAS_FIRST = (0, 1)     # a vector that starts with the bias unit a₀
THETA_SHAPED = (1, 0)   # rows i = 1…, columns j = 0… (column 0 belongs to the bias unit)


@dataclass(frozen=True, kw_only=True)
class Step:
    """One computation of the trace.

    ``quantity`` says what it computes (``"a"``, ``"z"``, ``"g'"``, ``"delta"``, ``"Delta"`` or
    ``"D"``) and ``layer`` for which layer; ``symbol`` is the two as one name (``"z[2]"``,
    ``"g'(z[2])"``, ``"delta[4]"``, ``"Delta[1]"``). ``value`` is its result,
    ``title`` says in words what happens, ``equation`` / ``equation_text`` give the lecture's
    formula (LaTeX / plain Unicode) and ``numbers`` / ``numbers_text`` the same with this
    example's numbers. ``layer`` is the layer the step works on, ``units`` its units there
    (the lecture's j, 0 = bias unit); ``highlight`` (``{layer: units}``), ``edges`` (the Θ⁽ˡ⁾
    whose weights take part, or None; ``edge_bias`` False when its column 0 does not),
    ``shown`` (``{layer: vector}``, the values on the
    diagram), ``vmax`` (their colour scale) and ``legend`` (what the colours stand for) are
    what a diagram needs; ``operands`` are the named arrays that go in and come out, for
    tables. Example:

    >>> p = nb.lecture_network()
    >>> step = next(s for s in trace_backprop(p.Theta, p.X[0], p.Y[0]) if s.symbol == "delta[4]")
    >>> step.equation_text, step.value.shape
    ('δ⁽⁴⁾ = a⁽⁴⁾ − y', (4,))
    """

    quantity: str
    value: np.ndarray
    title: str
    equation: str
    equation_text: str
    numbers: str
    numbers_text: str
    layer: int
    units: tuple[int, ...]
    phase: str
    explanation: str = ""
    highlight: dict[int, tuple[int, ...]] = field(default_factory=dict)
    edges: int | None = None
    shown: dict[int, np.ndarray] = field(default_factory=dict)
    vmax: float = 1.0
    operands: tuple[Operand, ...] = ()
    legend: str = ""
    edge_bias: bool = True

    @property
    def symbol(self) -> str:
        """The step's short name: its quantity and layer, e.g. ``"delta[4]"``, ``"g'(z[3])"``."""
        if self.quantity == "g'":
            return f"g'(z[{self.layer}])"
        return f"{self.quantity}[{self.layer}]"

    def __repr__(self) -> str:
        return f"Step({self.symbol}: {self.equation_text})"


def _units(vec: np.ndarray, with_bias: bool) -> tuple[int, ...]:
    """The lecture's unit numbers j of a layer vector (0 first when it holds the bias unit)."""
    return tuple(range(0 if with_bias else 1, vec.size + (0 if with_bias else 1)))


def trace_backprop(Theta: Any, x: Any, y: Any, *, loss: str = "logistic",
                   activation: str = "sigmoid") -> list[Step]:
    """The steps of backpropagation for one training example (x, y), in the lecture's order.

    ``loss="squared"`` and ``activation="tanh"`` or ``"relu"`` (hidden layers) trace the
    variants of :func:`~nbhelpers.backprop_example`, with their δ⁽ᴸ⁾ and g′. Example — print
    what happens, step by step::

        from nbhelpers.display.trace import trace_backprop
        p = nb.lecture_network()
        for step in trace_backprop(p.Theta, p.X[0], p.Y[0]):
            print(step.symbol, "|", step.equation_text, "|", step.numbers_text)
    """
    chosen = variant(loss, activation)
    bp = backprop_example(Theta, x, y, loss=loss, activation=activation)   # checks Θ, x, y
    Theta = as_theta(Theta)
    logistic = chosen.loss.name == "logistic"
    if logistic:
        y = bp.a[bp.L] - bp.delta[bp.L]                      # y exactly as backprop used it
    else:
        y = as_target(y, bp.a[bp.L].size)
    return [*_forward_steps(Theta, bp, chosen.activation.name),
            *_backward_steps(Theta, bp, y, chosen.activation, logistic),
            *_accumulate_steps(bp)]


# --- forward propagation -----------------------------------------------------------------

def _forward_steps(Theta: dict[int, np.ndarray], bp: BackwardPass,
                   activation: str = "sigmoid") -> list[Step]:
    L = bp.L
    vmax = scale_of(*(bp.a[l][1:] if l < L else bp.a[l] for l in bp.a), *bp.z.values())
    a1 = bp.a[1]
    steps = [Step(
        quantity="a",
        value=a1,
        title="Set a⁽¹⁾ to the input x and put the bias unit a₀ = 1 in front",
        equation=r"a^{(1)} = x, \quad a^{(1)}_0 = 1",
        equation_text="a⁽¹⁾ = x, a₀⁽¹⁾ = 1",
        numbers=rf"a^{{(1)}} = {array_latex(a1)}",
        numbers_text=f"a⁽¹⁾ = {array_text(a1)}",
        layer=1,
        units=_units(a1, True),
        phase="forward",
        explanation="The input layer holds the features of this example; the extra unit a₀ = 1 lets "
                    "column 0 of Θ⁽¹⁾ act as a constant term.",
        highlight={1: _units(a1, True)},
        edges=None,
        shown={1: a1},
        vmax=vmax,
        operands=(Operand("a⁽¹⁾", a1, BIAS_FIRST),),
        legend="a⁽¹⁾ = x")]
    for l in range(2, L + 1):
        shown = {k: bp.a[k] for k in range(1, l)}
        steps.append(_z_step(Theta, bp, l, shown, vmax))
        steps.append(_a_step(bp, l, shown, vmax, activation))
    return steps


def _z_step(Theta: dict[int, np.ndarray], bp: BackwardPass, l: int,
            shown: dict[int, np.ndarray], vmax: float) -> Step:
    """z⁽ˡ⁾ = Θ⁽ˡ⁻¹⁾a⁽ˡ⁻¹⁾."""
    T, a, z = Theta[l - 1], bp.a[l - 1], bp.z[l]
    k = l - 1
    return Step(
        quantity="z",
        value=z,
        title=f"Weigh the activations of layer {k}: each unit of layer {l} sums its inputs",
        equation=rf"z^{{({l})}} = \Theta^{{({k})}} a^{{({k})}}",
        equation_text=f"z{sup(l)} = Θ{sup(k)}a{sup(k)}",
        numbers=rf"z^{{({l})}} = {array_latex(T)} {array_latex(a)} = {array_latex(z)}",
        numbers_text=f"z{sup(l)} = {array_text(T)} · {array_text(a)} = {array_text(z)}",
        layer=l,
        units=_units(z, False),
        phase="forward",
        explanation=f"Row i of Θ{sup(k)} holds the weights into unit i of layer {l}; its column 0 "
                    "multiplies the bias unit a₀ = 1.",
        highlight={l: _units(z, False)},
        edges=k,
        shown={**shown, l: z},
        vmax=vmax,
        operands=(Operand(f"Θ{sup(k)}", T, THETA_SHAPED), Operand(f"a{sup(k)}", a, BIAS_FIRST),
                  Operand(f"z{sup(l)}", z)),
        legend=f"a on layers 1…{k}, z{sup(l)} on layer {l}")


def _a_step(bp: BackwardPass, l: int, shown: dict[int, np.ndarray], vmax: float,
            activation: str = "sigmoid") -> Step:
    """a⁽ˡ⁾ = g(z⁽ˡ⁾), with the bias unit a₀ = 1 in front for l < L."""
    L, z, a = bp.L, bp.z[l], bp.a[l]
    g_is = activation_notation(activation)
    g = a[1:] if l < L else a
    if l < L:
        title = f"Apply the {g_is.label} g to z{sup(l)} and add the bias unit a₀ = 1"
        eq, eq_text = (rf"a^{{({l})}} = g(z^{{({l})}}), \quad a^{{({l})}}_0 = 1",
                       f"a{sup(l)} = g(z{sup(l)}), a₀{sup(l)} = 1")
        num = (rf"g\left({array_latex(z)}\right) = {array_latex(g)}, \quad "
               rf"a^{{({l})}} = {array_latex(a)}")
        num_text = f"g({array_text(z)}) = {array_text(g)}, a{sup(l)} = {array_text(a)}"
        why = (f"The {g_is.label} {g_is.effect}; the new bias unit feeds the next "
               "layer.")
    else:
        title = "Apply the sigmoid to the output layer: the hypothesis h_Θ(x)"
        eq = rf"a^{{({l})}} = h_\Theta(x) = g(z^{{({l})}})"
        eq_text = f"a{sup(l)} = h_Θ(x) = g(z{sup(l)})"
        num = rf"a^{{({l})}} = g\left({array_latex(z)}\right) = {array_latex(a)}"
        num_text = f"a{sup(l)} = g({array_text(z)}) = {array_text(a)}"
        why = "The output layer has no bias unit: its activations are the network's answer."
    return Step(
        quantity="a",
        value=a,
        title=title,
        equation=eq,
        equation_text=eq_text,
        numbers=num,
        numbers_text=num_text,
        layer=l,
        units=_units(a, l < L),
        phase="forward",
        explanation=why,
        highlight={l: _units(a, l < L)},
        edges=None,
        shown={**shown, l: a},
        vmax=vmax,
        operands=(Operand(f"z{sup(l)}", z), Operand(f"a{sup(l)}", a, BIAS_FIRST if l < L else (1, 1))),
        legend=f"activations a on layers 1…{l}")


# --- delta terms -------------------------------------------------------------------------

def _backward_steps(Theta: dict[int, np.ndarray], bp: BackwardPass, y: np.ndarray,
                    activation: Activation, logistic: bool = True) -> list[Step]:
    L = bp.L
    gp = {l: activation.g_prime(bp.z[l]) for l in range(2, L)}   # the g′(z⁽ˡ⁾) of delta.py
    vmax = scale_of(*bp.delta.values(), *gp.values())
    dL = bp.delta[L]
    equation, equation_text = loss_notation("logistic").output_delta_at(L)
    steps = [_squared_delta_step(bp, y, vmax) if not logistic else Step(
        quantity="delta",
        value=dL,
        title="Compare the output with the label: the error of each output unit",
        equation=equation,
        equation_text=equation_text,
        numbers=rf"\delta^{{({L})}} = {array_latex(bp.a[L])} - {array_latex(y)} = {array_latex(dL)}",
        numbers_text=f"δ{sup(L)} = {array_text(bp.a[L])} − {array_text(y)} = {array_text(dL)}",
        layer=L,
        units=_units(dL, False),
        phase="backward",
        explanation="A positive δ means the unit's output was too high, a negative one too low.",
        highlight={L: _units(dL, False)},
        edges=None,
        shown={L: dL},
        vmax=vmax,
        operands=(Operand(f"a{sup(L)}", bp.a[L]), Operand("y", y), Operand(f"δ{sup(L)}", dL)),
        legend=f"δ{sup(L)}")]
    for l in range(L - 1, 1, -1):
        shown = {k: bp.delta[k] for k in range(l + 1, L + 1)}
        steps.append(_g_prime_step(bp, l, gp[l], shown, vmax, activation.name))
        steps.append(_delta_step(Theta, bp, l, gp[l], shown, vmax))
    return steps


def _g_prime_step(bp: BackwardPass, l: int, gp: np.ndarray, shown: dict[int, np.ndarray],
                  vmax: float, activation: str = "sigmoid") -> Step:
    """g′(z⁽ˡ⁾) = g(z⁽ˡ⁾) .* (1 − g(z⁽ˡ⁾)), the sigmoid's slope at each unit of layer l."""
    if activation != "sigmoid":
        return _other_g_prime_step(bp, l, gp, shown, vmax, activation)
    g = bp.a[l][1:]
    return Step(
        quantity="g'",
        value=gp,
        title=f"How steep is the sigmoid at each unit of layer {l}?",
        equation=rf"g'(z^{{({l})}}) = g(z^{{({l})}}) \mathbin{{.*}} (1 - g(z^{{({l})}}))",
        equation_text=f"g′(z{sup(l)}) = g(z{sup(l)}) .* (1 − g(z{sup(l)}))",
        numbers=rf"g'(z^{{({l})}}) = {array_latex(g)} \mathbin{{.*}} "
                rf"\left(1 - {array_latex(g)}\right) = {array_latex(gp)}",
        numbers_text=f"g′(z{sup(l)}) = {array_text(g)} .* (1 − {array_text(g)}) = {array_text(gp)}",
        layer=l,
        units=_units(gp, False),
        phase="backward",
        explanation="g(z⁽ˡ⁾) is a⁽ˡ⁾ without its bias unit; a unit near 0 or 1 is saturated and passes "
                    "little error back.".replace("⁽ˡ⁾", sup(l)),
        highlight={l: _units(gp, False)},
        edges=None,
        shown={**shown, l: gp},
        vmax=vmax,
        operands=(Operand(f"z{sup(l)}", bp.z[l]), Operand(f"g′(z{sup(l)})", gp)),
        legend=f"δ on layers {l + 1}…{bp.L}, g′(z{sup(l)}) on layer {l}")


def _other_g_prime_step(bp: BackwardPass, l: int, gp: np.ndarray,
                        shown: dict[int, np.ndarray], vmax: float, activation: str) -> Step:
    """g′(z⁽ˡ⁾) for a hidden activation other than the sigmoid (tanh: 1 − g(z)², ReLU: 0 or 1)."""
    z, g_is = bp.z[l], activation_notation(activation)
    equation, equation_text = g_is.slope_at(l)
    return Step(
        quantity="g'",
        value=gp,
        title=f"How steep is the {g_is.label} at each unit of layer {l}?",
        equation=equation,
        equation_text=equation_text,
        numbers=rf"g'\left({array_latex(z)}\right) = {array_latex(gp)}",
        numbers_text=f"g′({array_text(z)}) = {array_text(gp)}",
        layer=l,
        units=_units(gp, False),
        phase="backward",
        explanation=f"For the {g_is.label} g′ is {g_is.slope_text}; {g_is.saturation}.",
        highlight={l: _units(gp, False)},
        edges=None,
        shown={**shown, l: gp},
        vmax=vmax,
        operands=(Operand(f"z{sup(l)}", z), Operand(f"g′(z{sup(l)})", gp)),
        legend=f"δ on layers {l + 1}…{bp.L}, g′(z{sup(l)}) on layer {l}")


def _squared_delta_step(bp: BackwardPass, y: np.ndarray, vmax: float) -> Step:
    """δ⁽ᴸ⁾ = (a⁽ᴸ⁾ − y) .* g′(z⁽ᴸ⁾) for the squared-error cost, g′ of the output's sigmoid."""
    L, a, dL = bp.L, bp.a[bp.L], bp.delta[bp.L]
    gp = a * (1.0 - a)
    equation, equation_text = loss_notation("squared").output_delta_at(L)
    return Step(
        quantity="delta",
        value=dL,
        title="Compare the output with the label, scaled by the output's slope",
        equation=equation,
        equation_text=equation_text,
        numbers=rf"\delta^{{({L})}} = \left({array_latex(a)} - {array_latex(y)}\right) \mathbin{{.*}} "
                rf"{array_latex(gp)} = {array_latex(dL)}",
        numbers_text=(f"δ{sup(L)} = ({array_text(a)} − {array_text(y)}) .* {array_text(gp)} = "
                      f"{array_text(dL)}"),
        layer=L,
        units=_units(dL, False),
        phase="backward",
        explanation=f"The squared error ½‖a{sup(L)} − y‖² keeps the sigmoid's slope g′(z{sup(L)}) = "
                    f"a{sup(L)}(1 − a{sup(L)}) in δ{sup(L)}: an output unit stuck near 0 or 1 reports "
                    "almost no error, however wrong it is.",
        highlight={L: _units(dL, False)},
        edges=None,
        shown={L: dL},
        vmax=vmax,
        operands=(Operand(f"a{sup(L)}", a), Operand("y", y), Operand(f"g′(z{sup(L)})", gp),
                  Operand(f"δ{sup(L)}", dL)),
        legend=f"δ{sup(L)}")


def _delta_step(Theta: dict[int, np.ndarray], bp: BackwardPass, l: int, gp: np.ndarray,
                shown: dict[int, np.ndarray], vmax: float) -> Step:
    """δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ .* g′(z⁽ˡ⁾), with the bias entry of (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ dropped."""
    Tt = Theta[l][:, 1:].T
    d_next, d = bp.delta[l + 1], bp.delta[l]
    return Step(
        quantity="delta",
        value=d,
        title=f"Send the errors of layer {l + 1} back through Θ{sup(l)} to layer {l}",
        equation=rf"\delta^{{({l})}} = (\Theta^{{({l})}})^T \delta^{{({l + 1})}} \mathbin{{.*}} "
                 rf"g'(z^{{({l})}})",
        equation_text=f"δ{sup(l)} = (Θ{sup(l)})ᵀδ{sup(l + 1)} .* g′(z{sup(l)})",
        numbers=rf"\delta^{{({l})}} = {array_latex(Tt)} {array_latex(d_next)} \mathbin{{.*}} "
                rf"{array_latex(gp)} = {array_latex(d)}",
        numbers_text=f"δ{sup(l)} = {array_text(Tt)} · {array_text(d_next)} .* {array_text(gp)} = "
                     f"{array_text(d)}",
        layer=l,
        units=_units(d, False),
        phase="backward",
        explanation=f"Each unit of layer {l} collects the errors of the units it feeds, weighted by the "
                    f"same weights as on the way forward. The matrix shown is (Θ{sup(l)})ᵀ without the row "
                    "of the bias unit: a₀ = 1 is a constant, so it has no error.",
        highlight={l: _units(d, False)},
        edges=l,
        shown={**shown, l: d},
        vmax=vmax,
        operands=(Operand(f"(Θ{sup(l)})ᵀ, bias row dropped", Tt), Operand(f"δ{sup(l + 1)}", d_next),
                  Operand(f"g′(z{sup(l)})", gp), Operand(f"δ{sup(l)}", d)),
        legend=f"δ on layers {l}…{bp.L}",
        edge_bias=False)


# --- accumulators ------------------------------------------------------------------------

def _accumulate_steps(bp: BackwardPass) -> list[Step]:
    """Δ⁽ˡ⁾ := Δ⁽ˡ⁾ + δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ for l = L−1…1: the product added by this example."""
    steps = []
    for l in range(bp.L - 1, 0, -1):
        a, d = bp.a[l], bp.delta[l + 1]
        contribution = np.outer(d, a)                    # as in accumulate: Δᵢⱼ += a_j δ_i
        steps.append(Step(
            quantity="Delta",
            value=contribution,
            title=f"Add this example's share to the accumulator Δ{sup(l)}",
            equation=rf"\Delta^{{({l})}} := \Delta^{{({l})}} + \delta^{{({l + 1})}} (a^{{({l})}})^T",
            equation_text=f"Δ{sup(l)} := Δ{sup(l)} + δ{sup(l + 1)}(a{sup(l)})ᵀ",
            numbers=rf"\delta^{{({l + 1})}} (a^{{({l})}})^T = {array_latex(d)} "
                    rf"{array_latex(a, column=False)} = {array_latex(contribution)}",
            numbers_text=f"δ{sup(l + 1)}(a{sup(l)})ᵀ = {array_text(d)} · {array_text(a)}ᵀ = "
                         f"{array_text(contribution)}",
            layer=l,
            units=_units(a, True),
            phase="accumulate",
            explanation=f"Entry (i, j) is a{sup(l)}ⱼ·δ{sup(l + 1)}ᵢ: the activation at one end of the "
                        f"weight Θ{sup(l)}ᵢⱼ times the error at the other end. Summed over all m examples "
                        "it becomes Δ.",
            highlight={l: _units(a, True), l + 1: _units(d, False)},
            edges=l,
            shown={l: a, l + 1: d},
            vmax=scale_of(a[1:], d),
            operands=(Operand(f"δ{sup(l + 1)}", d), Operand(f"a{sup(l)}", a, BIAS_FIRST),
                      Operand(f"δ{sup(l + 1)}(a{sup(l)})ᵀ", contribution, THETA_SHAPED)),
            legend=f"a{sup(l)} on layer {l}, δ{sup(l + 1)} on layer {l + 1}"))
    return steps


# --- D terms -----------------------------------------------------------------------------

def d_steps(Theta: Any, X: Any, Y: Any, lam: float = 0.0, m: int | None = None, *,
            loss: str = "logistic", activation: str = "sigmoid") -> list[Step]:
    """The steps after the loop: ``D[L-1]``, …, ``D[1]`` from the first m examples (all if None).

    D⁽ˡ⁾ᵢⱼ = (1/m)Δ⁽ˡ⁾ᵢⱼ + (λ/m)Θ⁽ˡ⁾ᵢⱼ for j ≠ 0 and (1/m)Δ⁽ˡ⁾ᵢⱼ for j = 0 (the lecture prints
    λΘ; the cost's λ/(2m) term gives λ/m). ``loss`` and ``activation`` as in
    :func:`trace_backprop`. Example::

        from nbhelpers.display.trace import d_steps, trace_backprop
        p = nb.lecture_network()
        steps = trace_backprop(p.Theta, p.X[0], p.Y[0]) + d_steps(p.Theta, p.X, p.Y, lam=1.0)
    """
    Theta, X, Y, lam = check_problem(Theta, X, Y, lam)
    m = _check_m(m, X.shape[0])
    D = backprop(Theta, X[:m], Y[:m], lam, loss=loss, activation=activation)
    steps = []
    for l in sorted(D, reverse=True):
        Delta, reg = D.Delta[l], D.regularization[l]
        steps.append(Step(
            quantity="D",
            value=D[l],
            title=f"Average Δ{sup(l)} over the m = {m} examples and add the "
       "regularization term",
            equation=rf"D^{{({l})}}_{{ij}} = \frac{{1}}{{m}}\Delta^{{({l})}}_{{ij}} + "
                     rf"\frac{{\lambda}}{{m}}\Theta^{{({l})}}_{{ij}} \;(j \neq 0), \quad "
                     rf"D^{{({l})}}_{{i0}} = \frac{{1}}{{m}}\Delta^{{({l})}}_{{i0}}",
            equation_text=f"D{sup(l)}ᵢⱼ = (1/m)Δ{sup(l)}ᵢⱼ + (λ/m)Θ{sup(l)}ᵢⱼ (j ≠ 0), "
                          f"D{sup(l)}ᵢ₀ = (1/m)Δ{sup(l)}ᵢ₀",
            numbers=rf"D^{{({l})}} = \frac{{1}}{{{m}}}{array_latex(Delta)} + {array_latex(reg)} = "
                    rf"{array_latex(D[l])} \quad (\lambda = {number_latex(lam)})",
            numbers_text=f"D{sup(l)} = (1/{m})·{array_text(Delta)} + {array_text(reg)} = "
                         f"{array_text(D[l])} (λ = {number_text(lam)})",
            layer=l,
            units=(),
            phase="d_terms",
            explanation=f"The middle matrix is (λ/m)Θ{sup(l)} with its bias column 0 set to zero: the "
                        "bias weights are not regularized. These D are the partial derivatives "
                        f"∂J/∂Θ{sup(l)}ᵢⱼ.",
            highlight={},
            edges=l,
            shown={},
            vmax=1.0,
            operands=(Operand(f"Δ{sup(l)} (sum over {m} examples)", Delta, THETA_SHAPED),
                      Operand(f"(λ/m)Θ{sup(l)}, column 0 zero", reg, THETA_SHAPED),
                      Operand(f"D{sup(l)}", D[l], THETA_SHAPED))))
    return steps


def _check_m(m: Any, available: int) -> int:
    if m is None:
        return available
    if isinstance(m, bool) or not isinstance(m, int | np.integer) or not 1 <= m <= available:
        raise ValueError(f"m must be a whole number of examples from 1 to {available} (the rows "
                         f"of X), but it is {m!r}.")
    return int(m)
