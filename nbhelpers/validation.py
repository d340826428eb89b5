"""Input checks that speak the lecture's language.

Every public function passes its arguments through here once, at its entry, so that a mistake
is reported as "Θ⁽²⁾ must have 26 columns" and never surfaces as a numpy broadcasting error
or, worse, as a silently wrong number. The work behind the entry runs on checked input.
"""

from __future__ import annotations

import datetime
import numbers
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import numpy as np

_SUPERSCRIPT = str.maketrans("0123456789-+L", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ᴸ")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
T = TypeVar("T")

Params = dict[int, np.ndarray]
"""Θ, and everything keyed like it (Δ, D): ``{1: Θ⁽¹⁾, …, L−1: Θ⁽ᴸ⁻¹⁾}``."""


def sup(l: int | str) -> str:
    """The lecture's layer superscript: ``sup(2) == "⁽²⁾"``."""
    return f"⁽{str(l).translate(_SUPERSCRIPT)}⁾"


def sub(l: int) -> str:
    """A subscript for sₗ: ``sub(2) == "₂"``."""
    return str(l).translate(_SUBSCRIPT)


# --- single numbers ----------------------------------------------------------------------------

def whole_number(value: Any, name: str, low: int = 0, high: int | None = None,
                 meaning: str = "") -> int:
    """``value`` as an int from ``low`` to ``high`` (no upper limit when ``high`` is None), or an
    error that says what the number means.

    Python and numpy integers are whole numbers, and so is a float without a fractional part
    (3.0); True/False, text and 2.5 are not.
    """
    span = f"≥ {low}" if high is None else f"from {low} to {high}"
    about = f" ({meaning})" if meaning else ""
    message = f"{name} must be a whole number {span}{about}, but it is {value!r}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{message}, a {type(value).__name__}.")
    if not (isinstance(value, numbers.Integral) or float(value).is_integer()):
        raise ValueError(f"{message}.")
    if value < low or (high is not None and value > high):
        raise ValueError(f"{message}.")
    return int(value)


def real_number(value: Any, name: str, above: float | None = None, below: float | None = None,
                meaning: str = "") -> float:
    """``value`` as a finite float strictly between ``above`` and ``below`` (None: no limit)."""
    limits = " and ".join(part for part in (
        "" if above is None else f"> {above:g}", "" if below is None else f"< {below:g}") if part)
    wanted = f"a finite number{' ' + limits if limits else ''}{f' ({meaning})' if meaning else ''}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {wanted}, but it is {value!r}, a {type(value).__name__}.")
    number = float(value)
    if not np.isfinite(number) or (above is not None and not number > above) or (
            below is not None and not number < below):
        raise ValueError(f"{name} must be {wanted}, but it is {number!r}.")
    return number


def check_lambda(lam: Any) -> float:
    """λ, the regularization strength: a finite number ≥ 0."""
    if isinstance(lam, bool) or not isinstance(lam, numbers.Real):
        raise TypeError(f"lam (λ) must be a number, but it is a {type(lam).__name__}.")
    lam = float(lam)
    if not np.isfinite(lam):
        raise ValueError(f"lam (λ) must be a finite number ≥ 0, but it is {lam}: λ scales the "
                         "penalty on large weights, so J(Θ) and D would be NaN or inf.")
    if lam < 0:
        raise ValueError(f"lam (λ) must be a finite number ≥ 0, but it is {lam}: λ scales the "
                         "penalty on large weights, and a negative λ would reward them.")
    return lam


def check_m(m: Any) -> int:
    """m, the number of training examples that Δ was summed over: a whole number ≥ 1."""
    return whole_number(m, "m", 1, meaning="the number of training examples; D divides Δ by m")


def check_seed(seed: Any, name: str = "seed") -> int:
    """A seed for numpy's random generator: a whole number ≥ 0."""
    return whole_number(seed, name, 0, meaning="the seed of the random generator")


def choose(options: Mapping[str, T], name: Any, what: str, meaning: str) -> T:
    """``options[name]``; a TypeError for a name that is not a string, a ValueError that lists
    the valid names for an unknown one. ``what`` is the argument (``"loss"``), ``meaning`` what
    it selects (``"the cost J(Θ)"``)."""
    if isinstance(name, str) and name in options:
        return options[name]
    valid = ", ".join(repr(key) for key in options)
    if not isinstance(name, str):
        shown = repr(name) if len(repr(name)) <= 40 else repr(name)[:37] + "..."
        raise TypeError(f"{what} must be a name (a string), one of {valid} ({meaning}), but it "
                        f"is {shown} of type {type(name).__name__}.")
    case = " (the names are lower-case)" if name.lower() in options else ""
    raise ValueError(f"unknown {what} {name!r}{case}; choose one of {valid} ({meaning}).")


# --- arrays ------------------------------------------------------------------------------------

def as_float_array(value: Any, name: str, what: str = "an array") -> np.ndarray:
    """``value`` as a float64 array, or a TypeError / ValueError that says why it cannot be one.

    Lists, integer arrays and boolean arrays (False = 0, True = 1) are welcome. Refused: text,
    even text that looks like a number ("0.5": a file read as strings?), dates and times,
    complex numbers, and masked arrays with masked entries (the mask would be ignored).
    """
    if value is None or isinstance(value, str | bytes | Mapping):
        raise TypeError(f"{name} must be {what} of numbers, but it is a {type(value).__name__}.")
    if isinstance(value, np.ma.MaskedArray):
        if np.ma.getmaskarray(value).any():
            raise ValueError(
                f"{name} is a masked array with {int(np.ma.count_masked(value))} masked "
                "entries; the computation would ignore the mask and use the hidden values. "
                f"Drop those examples or fill them in ({name}.filled(...)) first.")
        value = np.ma.getdata(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return np.asarray(value, dtype=float)   # real numbers already: nothing can go wrong
    try:
        raw = np.asarray(value)
    except ValueError:
        raise TypeError(f"{name} must be {what} of numbers, but it cannot be read as one: "
                        "its rows have different lengths.") from None
    reason = _not_numbers(raw)
    if reason is None:
        try:
            return np.asarray(raw, dtype=float)
        except (TypeError, ValueError):
            reason = "some of its entries are not numbers"
    if reason == "complex":
        raise TypeError(f"{name} must be {what} of real numbers, but it holds complex numbers.")
    raise TypeError(f"{name} must be {what} of numbers, but it cannot be read as one: {reason}.")


def _not_numbers(raw: np.ndarray) -> str | None:
    """Why ``raw`` cannot be read as real numbers (None when it can)."""
    kind = raw.dtype.kind
    if kind in "biuf":
        return None
    if kind == "c":
        return "complex"
    if kind in "Mm":
        return f"it holds dates or times ({raw.dtype}), not numbers"
    entries = raw.ravel().tolist() if kind in "US" else list(raw.ravel())
    for entry in entries:
        if isinstance(entry, str | bytes):
            return _text_reason(entries)
        if isinstance(entry, datetime.date | datetime.timedelta | np.datetime64 | np.timedelta64):
            return f"it holds dates or times ({entry!r}), not numbers"
        if isinstance(entry, complex | np.complexfloating):
            return "complex"
    return None


def _text_reason(entries: list[Any]) -> str:
    texts = [e for e in entries if isinstance(e, str | bytes)]
    for text in texts:
        try:
            float(text)
        except ValueError:
            return f"it holds text ({text!r})"
    return (f"it holds numbers written as text ({texts[0]!r}), which are not converted silently "
            "(a file read as strings?); convert them yourself with np.asarray(..., dtype=float)")


def check_finite(arr: np.ndarray, name: str, index_meaning: str = "entry") -> None:
    """Refuse NaN and ±inf: they would flow through every later step unnoticed."""
    if not np.isfinite(arr).all():
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        at = f" at {index_meaning} {where if len(where) > 1 else where[0]}" if where else ""
        raise ValueError(f"{name} contains {arr[where]}{at}; "
                         "every value must be a finite number (check for a division by zero or a "
                         "missing value in the data).")


# --- Θ and what is keyed like it ---------------------------------------------------------------

def as_theta(Theta: Any) -> Params:
    """Θ as ``{1: Θ⁽¹⁾, …, L−1: Θ⁽ᴸ⁻¹⁾}`` of float arrays, each of shape s₍ₗ₊₁₎ × (sₗ + 1).

    Accepts a mapping keyed by the lecture's layer numbers or a plain sequence
    ``[Θ⁽¹⁾, Θ⁽²⁾, …]`` (nested lists too).
    """
    mats = _layer_list(Theta, "Theta", "Θ")
    out: Params = {}
    for l, mat in enumerate(mats, start=1):
        arr = as_float_array(mat, f"Theta[{l}]", "a matrix")
        if arr.ndim != 2:
            raise ValueError(
                f"Theta[{l}] must be a 2-D matrix of shape s{sub(l + 1)} × (s{sub(l)} + 1), "
                f"but it has {arr.ndim} dimension(s) (shape {arr.shape}).")
        if arr.shape[0] == 0 or arr.shape[1] < 2:
            raise ValueError(
                f"Theta[{l}] has shape {arr.shape}: Θ{sup(l)} needs at least one row (one unit "
                f"in layer {l + 1}) and two columns (the bias unit plus at least one unit of "
                f"layer {l}).")
        check_finite(arr, f"Theta[{l}]", "row, column")
        if l > 1:
            s_l = out[l - 1].shape[0]
            if arr.shape[1] != s_l + 1:
                hint = (" It looks like the bias column (column 0, multiplying a₀ = 1) is missing."
                        if arr.shape[1] == s_l else "")
                raise ValueError(
                    f"Theta[{l}] has shape {arr.shape}, but layer {l} has {s_l} units "
                    f"(Θ{sup(l - 1)} has {s_l} rows) plus the bias unit, so Θ{sup(l)} must have "
                    f"{s_l + 1} columns.{hint}")
        out[l] = arr
    return out


def _layer_list(layers: Any, name: str, symbol: str) -> list[Any]:
    """The matrices of a mapping keyed 1…n or of a plain sequence, in layer order."""
    if isinstance(layers, np.ndarray) and layers.ndim == 2:
        raise TypeError(f"{name} must hold one matrix per layer, {{1: {symbol}⁽¹⁾, 2: {symbol}⁽²⁾, "
                        f"…}} or [{symbol}⁽¹⁾, {symbol}⁽²⁾, …], but it is a single 2-D array. For a "
                        f"network with one weight matrix write {{1: {name}1}} or [{name}1].")
    if isinstance(layers, Mapping):
        keys = list(layers)
        if not all(isinstance(k, numbers.Integral) and not isinstance(k, bool) for k in keys):
            raise TypeError(f"{name}'s keys must be the layer numbers 1…L−1, but they are {keys}.")
        expected = list(range(1, len(keys) + 1))
        if sorted(keys) != expected:
            raise ValueError(
                f"{name}'s keys are {sorted(keys)}, but layers are numbered 1…L as in the lecture, "
                f"so a network with {len(keys)} weight matrices needs the keys {expected} "
                f"({symbol}⁽ˡ⁾ belongs to the weights from layer l to layer l+1; there is no "
                f"{symbol}⁽⁰⁾). A plain list [{symbol}⁽¹⁾, {symbol}⁽²⁾, …] is accepted as well.")
        mats = [layers[k] for k in expected]
    elif isinstance(layers, Sequence | np.ndarray) and not isinstance(layers, str | bytes):
        mats = list(layers)
    else:
        raise TypeError(f"{name} must be a mapping {{1: {symbol}⁽¹⁾, …, L−1: {symbol}⁽ᴸ⁻¹⁾}} or a "
                        f"list [{symbol}⁽¹⁾, {symbol}⁽²⁾, …], but it is a {type(layers).__name__}.")
    if not mats:
        raise ValueError(f"{name} is empty: a network needs at least {symbol}⁽¹⁾ (from layer 1 "
                         "to layer 2).")
    return mats


def as_layers(layers: Any, name: str, symbol: str) -> Params:
    """Matrices keyed by layer, 1…n (a mapping or a plain list), as finite float arrays."""
    out = {l: as_float_array(mat, f"{name}[{l}]", "a matrix") for l, mat in
           enumerate(_layer_list(layers, name, symbol), start=1)}
    for l, arr in out.items():
        check_finite(arr, f"{name}[{l}]", "row, column" if arr.ndim == 2 else "entry")
    return out


def as_like_theta(layers: Any, Theta: Params, name: str, symbol: str
                  ) -> Params:
    """Δ, D or any other set of matrices keyed like a checked Θ: the same layers, each matrix of
    the same shape as Θ⁽ˡ⁾, s₍ₗ₊₁₎ × (sₗ + 1)."""
    if isinstance(layers, Mapping) and set(layers) != set(Theta):
        missing = [l for l in Theta if l not in layers]
        extra = sorted((k for k in layers if k not in Theta), key=repr)
        detail = "; ".join(part for part in (
            f"no {', '.join(f'{symbol}{sup(l)}' for l in missing)}" if missing else "",
            f"keys {extra} that Θ does not have" if extra else "") if part)
        raise ValueError(f"{name} must be keyed like Θ, by the layers {list(Theta)}, but it has "
                         f"{detail}: every Θ{sup('l')} needs its own {symbol}{sup('l')}.")
    out = as_layers(layers, name, symbol)
    if len(out) != len(Theta):
        raise ValueError(f"{name} has {len(out)} matrices but Θ has {len(Theta)} "
                         f"(layers {list(Theta)}): every Θ{sup('l')} needs its own "
                         f"{symbol}{sup('l')}.")
    for l, arr in out.items():
        shape = Theta[l].shape
        if arr.shape != shape:
            hint = (f" It looks transposed: {symbol}{sup(l)} is laid out like Θ{sup(l)}, one row "
                    f"per unit of layer {l + 1} and one column per unit of layer {l} "
                    "(bias first)." if arr.shape == shape[::-1] else "")
            raise ValueError(f"{name}[{l}] has shape {arr.shape}, but Θ{sup(l)} has shape "
                             f"{shape} = s{sub(l + 1)} × (s{sub(l)} + 1), and {symbol}{sup(l)} "
                             f"must have the same.{hint}")
    return out


def layer_sizes(Theta: Any) -> list[int]:
    """[s₁, s₂, …, s_L]: the number of units in each layer, bias units not counted."""
    Theta = as_theta(Theta)
    return [Theta[1].shape[1] - 1] + [Theta[l].shape[0] for l in Theta]


def as_layer_sizes(sizes: Any, name: str = "layer_sizes") -> list[int]:
    """[s₁, …, s_L] checked: at least two layers, each a whole number ≥ 1 of units."""
    if isinstance(sizes, str | bytes | Mapping) or not isinstance(sizes, Sequence | np.ndarray):
        raise TypeError(f"{name} must be a list of unit counts [s₁, …, s_L], not {sizes!r}.")
    if len(sizes) < 2:
        raise ValueError(f"{name} must list at least two layers [s₁, …, s_L] (an input and an "
                         f"output layer), but it is {list(sizes)}.")
    return [whole_number(s, f"{name}[{i}] (s{sub(i + 1)})", 1,
                         meaning="the units of a layer, bias unit not counted")
            for i, s in enumerate(sizes)]


# --- examples, labels and the whole problem ------------------------------------------------------

def as_examples(X: Any, n_inputs: int, name: str = "X") -> tuple[np.ndarray, bool]:
    """X as an m × s₁ float matrix (one example per row) and whether one 1-D x was given."""
    arr = as_float_array(X, name)
    single = arr.ndim == 1
    if single:
        arr = arr[np.newaxis, :]
    if arr.ndim != 2:
        raise ValueError(f"{name} must be one example (a 1-D vector of {n_inputs} features) or a "
                         f"batch (an m × {n_inputs} matrix, one example per row), but it has shape "
                         f"{arr.shape}.")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} has no examples (m = 0); J(Θ) and D average over the m "
                         "examples, so at least one is needed.")
    n = arr.shape[1]
    if n != n_inputs:
        if n == n_inputs + 1 and np.all(arr[:, 0] == 1):
            first = ("Its first entry is 1: it looks like" if single else
                     "Its first column is all ones: it looks like every example (row) of")
            hint = (f" {first} {name} already contains the bias unit a₀ = 1, which is added "
                    "for you; pass the features only.")
        elif n == n_inputs + 1:
            hint = (f" If {name} is right, Θ⁽¹⁾ is missing its bias column (column 0, "
                    f"multiplying a₀ = 1): with {n} features it must have {n + 1} columns.")
        else:
            hint = ""
        has, needs = ((f"{_count(n, 'entry')}", f"{name} needs {_count(n_inputs, 'entry')}, one "
                       "per feature") if single else
                      (f"{_count(n, 'feature')} per example",
                       f"each example needs {_count(n_inputs, 'feature')}"))
        raise ValueError(
            f"{name} has {has}, but Θ⁽¹⁾ has {n_inputs + 1} columns (the bias unit plus "
            f"s₁ = {_count(n_inputs, 'input unit')}), so {needs}.{hint}")
    check_finite(arr, name, "example, feature" if not single else "feature")
    return arr, single


def _count(n: int, noun: str) -> str:
    """'1 feature', '3 features', '2 entries'."""
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") else f"{n} {noun}s"


def as_targets(Y: Any, m: int, K: int, name: str = "Y") -> np.ndarray:
    """Y as the m × K label matrix (one-hot rows y⁽ⁱ⁾), checked against X and the output layer."""
    arr = as_float_array(Y, name)
    if arr.ndim == 1:
        if K > 1:
            raise ValueError(
                f"{name} has shape {arr.shape}: it looks like a vector of class labels. In the "
                f"lecture each y⁽ⁱ⁾ is a vector with one entry per output unit (K = {K}), so "
                f"{name} must be the one-hot matrix of shape (m, K) = ({m}, {K}); build it with "
                f"one_hot(labels, {K}).")
        raise ValueError(f"{name} has shape {arr.shape}, but with K = 1 output unit it must be a "
                         f"column of shape (m, 1) = ({m}, 1); use {name}.reshape(-1, 1).")
    if arr.ndim != 2:
        raise ValueError(f"{name} must be an m × K matrix, but it has shape {arr.shape}.")
    if arr.shape[0] != m:
        raise ValueError(f"X has {m} examples but {name} has {arr.shape[0]} rows: every example "
                         f"x⁽ⁱ⁾ needs its own label row y⁽ⁱ⁾, so {name} must have {m} rows.")
    if arr.shape[1] != K:
        raise ValueError(
            f"{name} has {arr.shape[1]} columns, but the output layer L has K = {K} units "
            f"(the last Θ has {K} rows), so each y⁽ⁱ⁾ must have {K} entries.")
    check_finite(arr, name, "example, output")
    if arr.min() < 0 or arr.max() > 1:
        where = tuple(int(i) for i in np.argwhere((arr < 0) | (arr > 1))[0])
        raise ValueError(
            f"{name} holds {arr[where]} at example, output {where}, but every y must lie in "
            f"[0, 1] (the lecture's y is one-hot: 0s and a single 1). If these are class "
            f"labels, use one_hot(labels, {K}).")
    return arr


def as_target(y: Any, K: int) -> np.ndarray:
    """One example's label vector y of length K."""
    if isinstance(y, numbers.Number) and not isinstance(y, bool) and K > 1:
        raise ValueError(f"y is the single number {y}, but the lecture's y is a vector with one "
                         f"entry per output unit (K = {K}); build it with one_hot({y}, {K}).")
    arr = as_float_array(y, "y")
    arr = arr.reshape(-1) if arr.ndim == 0 else arr
    if arr.ndim != 1:
        raise ValueError(f"y is one example's label vector (length K = {K}), but it has shape "
                         f"{arr.shape}; for many examples use backprop(Theta, X, Y).")
    return as_targets(arr[np.newaxis, :], 1, K, "y")[0]


def check_problem(Theta: Any, X: Any, Y: Any, lam: Any = 0.0
                  ) -> tuple[Params, np.ndarray, np.ndarray, float]:
    """Θ, X, Y and λ checked against one another: what J(Θ), every backprop, the gradient
    check, training and the widgets check first, once, at their entry."""
    Theta = as_theta(Theta)
    X, _ = as_examples(X, Theta[1].shape[1] - 1)
    Y = as_targets(Y, X.shape[0], Theta[len(Theta)].shape[0])
    return Theta, X, Y, check_lambda(lam)

def as_labels(labels: Any, n_classes: int, name: str = "labels") -> np.ndarray:
    """Class numbers 0…n_classes−1 as an int array (a vector, or a single number), or an error.

    Labels shifted by one, 1…K as in courses whose language counts from 1, are recognized and
    named: read as 0…K−1 they would silently mean the wrong classes.
    """
    arr = as_float_array(labels, name)
    if arr.ndim > 1:
        raise ValueError(f"{name} must be a vector of class numbers, but it has shape {arr.shape}"
                         " (is it one-hot already?).")
    check_finite(arr, name)
    if arr.size == 0:
        return arr.astype(int)
    top = n_classes - 1
    fractional = arr != np.round(arr)
    if fractional.any():
        raise ValueError(f"{name} must be whole numbers 0…K−1 = 0…{top}, but one is "
                         f"{arr[fractional][0]:g}.")
    if arr.min() >= 1 and arr.max() == n_classes:
        raise ValueError(
            f"{name} run from {arr.min():g} to {arr.max():g}, but the classes are numbered "
            f"0…K−1 = 0…{top} here (output unit k of h_Θ(x) is class k). These look like labels "
            f"counted from 1 (1…{n_classes}); subtract 1 from every label.")
    outside = (arr < 0) | (arr > top)
    if outside.any():
        raise ValueError(f"{name} must be whole numbers 0…K−1 = 0…{top}, but one is "
                         f"{arr[outside][0]:g}.")
    return arr.astype(int)

