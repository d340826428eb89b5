"""Notebook 01 · forward propagation: the checks and hints of its exercises.

``01-z2``: z⁽²⁾ = Θ⁽¹⁾a⁽¹⁾ for one example. ``01-forward``: forward propagation as a function
``forward(Theta, x)`` returning h_Θ(x) = a⁽ᴸ⁾ for any number of layers.

The module also holds what the later checks share: :func:`explain_error`, which turns an
exception raised inside a student's function into a sentence in the lecture's terms (which Θ,
which shapes), quoting the student's failing line, and :func:`calls_package`, which spots a
function that hands the work to the package's own implementation.
"""

from __future__ import annotations

import linecache
import re
import traceback
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ...activation import sigmoid
from ...examples import debug_problem, lecture_network
from ...forward import forward_propagate
from ...validation import Params, layer_sizes, sup
from ..feedback import Mistake, Result, check_function, check_value, report
from ..hints import register_hints
from .nb00 import answer_source, refuse_typed_in, typed_in

Z2 = "01-z2"
FORWARD = "01-forward"


def sizes(Theta: Params) -> dict[int, int]:
    """s[l] = sₗ for the layers l = 1…L of Θ (1-based, like the lecture)."""
    return dict(enumerate(layer_sizes(Theta), start=1))


def theta_shapes(Theta: Params) -> str:
    """'Θ⁽¹⁾ is 5 × 4, Θ⁽²⁾ is 5 × 6, …' for a network Θ."""
    return ", ".join(f"Θ{sup(l)} is {T.shape[0]} × {T.shape[1]}" for l, T in Theta.items())


# --- errors raised inside a student's function ------------------------------------------------


def failing_line(exc: BaseException, function: Callable[..., Any]) -> str | None:
    """The line of ``function``'s own code (its cell or file) where ``exc`` was raised."""
    code = getattr(function, "__code__", None)
    if code is None:
        return None
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == code.co_filename:
            text = frame.line or linecache.getline(frame.filename, frame.lineno or 0)
            line = text.strip() or line
    return line


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def _shape_sentence(exc: BaseException, Theta: Params, backward: bool) -> str:
    """What a numpy shape error means for this network, in Θ's terms."""
    message = str(exc)
    rule = (f"Θ⁽ˡ⁾ has shape s₍ₗ₊₁₎ × (sₗ + 1), one row per unit of layer l + 1 and one column per "
            f"unit of layer l plus column 0 for the bias unit; here {theta_shapes(Theta)}.")
    if "broadcast" in message:
        found = re.findall(r"\(([\d, ]*)\)", message)
        lengths = [_numbers(f) for f in found]
        flat = [n[0] for n in lengths if len(n) == 1]
        if backward and len(flat) == 2 and abs(flat[0] - flat[1]) == 1:
            big, small = max(flat), min(flat)
            return (f"Two vectors of different lengths were multiplied entry by entry: one has "
                    f"{big} entries, the other {small}. The extra entry is the bias unit's "
                    f"(entry 0): (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ computed with every column of Θ⁽ˡ⁾ has sₗ + 1 "
                    f"entries, entry 0 being δ₀, and so has a⁽ˡ⁾, while z⁽ˡ⁾, g′(z⁽ˡ⁾) and "
                    f"δ⁽ˡ⁾ have sₗ. The bias unit a₀ = 1 is a constant, not g of any z, so it "
                    f"has no δ₀: keeping δ₀ (or taking g′ of a⁽ˡ⁾ with its bias entry) gives "
                    f"this error. {rule}")
        return (f"Two arrays of different shapes were combined entry by entry ({message}). "
                f"{rule}")
    if "matmul" in message or "not aligned" in message or "mismatch" in message:
        if backward:
            return (f"A matrix product whose inner sizes do not agree. {rule} Going back, "
                    f"(Θ⁽ˡ⁾)ᵀ has s₍ₗ₊₁₎ columns, so it multiplies δ⁽ˡ⁺¹⁾ (s₍ₗ₊₁₎ entries), the δ "
                    f"of the layer that Θ⁽ˡ⁾ feeds: check the layer number of Θ (Θ⁽ˡ⁾, not "
                    f"Θ⁽ˡ⁻¹⁾), that it is transposed, and that δ⁽ˡ⁺¹⁾ is on its right.")
        return (f"A matrix product whose inner sizes do not agree. {rule} So Θ⁽ˡ⁾ multiplies "
                f"a⁽ˡ⁾ with its bias unit in front (sₗ + 1 entries): check that a₀ = 1 is "
                f"there before each product, and that Θ⁽ˡ⁾ is not transposed.")
    return f"{message}. {rule}"


def explain_error(exc: BaseException, function: Callable[..., Any], Theta: Params,
                  *, backward: bool = False) -> str:
    """A plain explanation of ``exc``, raised inside the student's ``function`` on network Θ.

    Quotes the student's failing line, then says what the error means in the lecture's terms:
    a shape error in terms of Θ⁽ˡ⁾'s shape s₍ₗ₊₁₎ × (sₗ + 1), a missing key in terms of the
    layer numbers each dict holds. ``backward`` selects the explanations of the backward pass.
    """
    s = sizes(Theta)
    L = len(s)
    line = failing_line(exc, function)
    quoted = f"in your line   {line}\n  " if line else ""
    if isinstance(exc, KeyError):
        key = exc.args[0] if exc.args else "?"
        meaning = (f"a dict has no entry {key!r}. The dicts are keyed by the lecture's layer "
                   f"numbers: Theta has 1…{L - 1} (there is no Θ⁽ᴸ⁾), a has 1…{L}, z has 2…{L}")
        meaning += (f", and delta gets {L} first, then {L - 1}, …, 2 (there is no δ⁽¹⁾): "
                    f"read δ⁽ˡ⁺¹⁾ only after it is stored." if backward else
                    f". This network has L = {L} layers: a loop over l = 1…len(Theta) works "
                    f"for any number of layers, fixed layer numbers do not.")
    elif isinstance(exc, IndexError):
        meaning = (f"an index past the end of an array ({exc}). In a⁽ˡ⁾ the bias unit is entry "
                   f"0 and the units are entries 1…sₗ; z⁽ˡ⁾ and δ⁽ˡ⁾ have entries 0…sₗ − 1.")
    elif isinstance(exc, ValueError) and re.search("broadcast|matmul|aligned|mismatch", str(exc)):
        meaning = _shape_sentence(exc, Theta, backward)
    else:
        meaning = f"{type(exc).__name__}: {exc}"
    return f"{quoted}What it means: {meaning}"


def explained(function: Callable[..., Any], *, backward: bool = False) -> Callable[..., Any]:
    """``function`` wrapped so that an exception it raises carries :func:`explain_error`'s text
    (same exception name, so the check's "stopped with ValueError: …" stays true)."""

    def wrapper(Theta: Params, *args: Any) -> Any:
        try:
            return function(Theta, *args)
        except NotImplementedError:
            raise
        except Exception as exc:  # a student's bug: the check prints it in words
            kind = type(type(exc).__name__, (Exception,), {})
            raise kind(f"{exc}\n  {explain_error(exc, function, Theta, backward=backward)}") \
                from None

    return wrapper


def calls_package(function: Callable[..., Any], names: Iterable[str]) -> str | None:
    """The first of ``names`` that ``function``'s code refers to (a call handing the work to the
    package's own implementation), or None."""
    code = getattr(function, "__code__", None)
    if code is None:
        return None
    used = set(code.co_names)
    for const in code.co_consts:             # nested functions and comprehensions
        if hasattr(const, "co_names"):
            used |= set(const.co_names)
    return next((name for name in names if name in used), None)


def refuse(exercise: str, name: str, used: str, reference: Any) -> Any:
    """The ✘ verdict for a function that calls the package's ``used`` instead of doing the
    work; returns the reference for the cells below."""
    message = (f"✘ {name} calls nb.{used}, the package's own version of what this exercise "
               f"asks you to write. Write the steps yourself; the check compares your numbers "
               f"with nb.{used}'s.\n  (The cells below use the reference function.)")
    return report(exercise, Result(False, reference, message)).value


# --- exercise 01-z2 ----------------------------------------------------------------------------


def check_z2(z2: Any, Theta: Params, x: Any) -> Any:
    """Check z⁽²⁾ = Θ⁽¹⁾a⁽¹⁾ for the example x; returns the value the cells below use."""
    x = np.asarray(x, dtype=float)
    s = sizes(Theta)
    a1 = np.concatenate(([1.0], x))
    if typed_in(answer_source("z2"), "z2"):
        return refuse_typed_in(Z2, "z2", "Θ⁽¹⁾ and a⁽¹⁾", forward_propagate(Theta, x).z[2])
    return check_value(
        "z⁽²⁾", z2, forward_propagate(Theta, x).z[2],
        why_shape=f"Θ⁽¹⁾ has s₂ = {s[2]} rows, one per unit of layer 2, so z⁽²⁾ has {s[2]} entries",
        mistakes=[
            Mistake("forgot the bias unit (multiplied only columns 1… of Θ⁽¹⁾ by x)",
                    Theta[1][:, 1:] @ x),
            Mistake("put the bias unit at the end of a⁽¹⁾ instead of in front",
                    Theta[1] @ np.append(x, 1.0)),
            Mistake("applied g already: that is a⁽²⁾ (without its bias unit), not z⁽²⁾",
                    sigmoid(Theta[1] @ a1)),
            Mistake("multiplied entry by entry and summed every column: z⁽²⁾ needs one sum per "
                    "row of Θ⁽¹⁾", np.full(s[2], np.sum(Theta[1] * a1))),
        ],
        hint="entry i of z⁽²⁾ is row i of Θ⁽¹⁾ times the whole of a⁽¹⁾ = [1, x₁, x₂, x₃]",
        todo=f'write z2 in the cell above; hint("{Z2}") gives the idea', exercise=Z2).value


register_hints(Z2, [
    "Unit i of layer 2 adds up what it receives: Θ⁽¹⁾ᵢ₀·1 + Θ⁽¹⁾ᵢ₁x₁ + Θ⁽¹⁾ᵢ₂x₂ + Θ⁽¹⁾ᵢ₃x₃. "
    "That is row i of Θ⁽¹⁾ times a⁽¹⁾, the input with the bias unit 1 in front — for every row "
    "at once, it is one matrix–vector product.",
    "Θ⁽¹⁾ is s₂ × (s₁ + 1) = 5 × 4; a⁽¹⁾ has s₁ + 1 = 4 entries, the bias unit first. z⁽²⁾ "
    "has one entry per row of Θ⁽¹⁾, s₂ = 5 in all, and each entry combines the 4 entries of a "
    "row with the 4 entries of a⁽¹⁾.",
    "z2 = ___ @ ___        # (5 × 4 matrix) @ (4 entries) → 5 entries",
])


# --- exercise 01-forward -----------------------------------------------------------------------

THREE_LAYERS = debug_problem([2, 3, 2], m=2)
FIVE_LAYERS = debug_problem([4, 3, 3, 3, 2], m=2)


def _forward_mistakes(Theta: Params, x: np.ndarray) -> list[Mistake]:
    ref = forward_propagate(Theta, x)
    return [Mistake("returned z⁽ᴸ⁾: g is missing at the output layer", ref.z[ref.L]),
            Mistake("applied g twice at the output layer", sigmoid(ref.h))]


def _stops_early(forward: Callable[..., Any], Theta: Params, x: np.ndarray) -> str | None:
    """The ✘ message when ``forward`` returns the activations of a layer before the output
    (the loop left out the last Θ⁽ˡ⁾), or None."""
    ref = forward_propagate(Theta, x)
    try:
        got = np.asarray(forward({l: T.copy() for l, T in Theta.items()}, x.copy()), dtype=float)
    except Exception:  # errors are reported by the full check
        return None
    for l in range(ref.L - 1, 0, -1):
        for value, what in ((ref.a[l][1:], "without"), (ref.a[l], "with")):
            if got.shape == value.shape != ref.h.shape and np.allclose(got, value):
                return (f"✘ forward returned a{sup(l)} ({what} its bias unit), the activations of "
                        f"layer {l}, not a⁽ᴸ⁾ = a{sup(ref.L)}: the loop must use every Θ⁽ˡ⁾, "
                        f"l = 1 … len(Theta) = {ref.L - 1}.\n  (The cells below use the reference "
                        f"function.)")
    return None


def reference_forward(Theta: Params, x: Any) -> np.ndarray:
    """h_Θ(x), by the package."""
    return forward_propagate(Theta, x).h


def check_forward(forward: Any) -> Any:
    """Check ``forward(Theta, x)`` on the lecture's network and on networks of 3 and 5 layers;
    returns the function the cells below use (yours when it is right)."""
    if forward is None or forward is Ellipsis or not callable(forward):
        return check_function("forward", lambda *a: ..., reference_forward, [()],
                              todo="define forward(Theta, x) in the cell above",
                              exercise=FORWARD).value
    used = calls_package(forward, ("forward_propagate", "backprop_example", "backprop"))
    if used:
        return refuse(FORWARD, "forward", used, reference_forward)
    p = lecture_network()
    early = _stops_early(forward, p.Theta, p.X[0])
    if early:
        return report(FORWARD, Result(False, reference_forward, early)).value
    result = check_function(
        "forward", explained(forward), reference_forward,
        cases=[(p.Theta, p.X[0]), (p.Theta, p.X[1]), (THREE_LAYERS.Theta, THREE_LAYERS.X[0]),
               (FIVE_LAYERS.Theta, FIVE_LAYERS.X[1])],
        why_shape="a⁽ᴸ⁾ has one entry per output unit and no bias unit",
        mistakes=_forward_mistakes,
        hint=f'hint("{FORWARD}") recalls the two steps repeated for every layer',
        todo=f'write the body of forward; hint("{FORWARD}") gives the idea', exercise=FORWARD)
    return forward if result.passed else reference_forward


register_hints(FORWARD, [
    "Repeat the two steps of the hand computation once per Θ⁽ˡ⁾, l = 1, …, L − 1: put the bias "
    "unit 1 in front of the current activations, multiply by Θ⁽ˡ⁾, apply g. The activations you "
    "end with are a⁽ᴸ⁾; the output layer gets no bias unit because nothing comes after it. "
    "`len(Theta)` is L − 1, so the loop adapts to any depth.",
    "At step l the activations without the bias unit have sₗ entries; with it, sₗ + 1, which "
    "is the number of columns of Θ⁽ˡ⁾. The product has s₍ₗ₊₁₎ entries, the units of the next "
    "layer. The returned vector has s_L entries.",
    "a = ___                                # start from the input x\n"
    "for l in range(1, ___):\n"
    "    a = g(___ @ np.concatenate((___, a)))\n"
    "return ___",
])
