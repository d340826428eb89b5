"""Input checks that speak the lecture's language.

Every public function passes its arguments through here first, so that a mistake is
reported as "Θ⁽²⁾ must have 26 columns" and never surfaces as a numpy broadcasting error
or, worse, as a silently wrong number.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.exceptions import ComplexWarning

_SUPERSCRIPT = str.maketrans("0123456789-+L", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ᴸ")

Params = dict[int, np.ndarray]


def sup(l: int | str) -> str:
    """The lecture's layer superscript: ``sup(2) == "⁽²⁾"``."""
    return f"⁽{str(l).translate(_SUPERSCRIPT)}⁾"


def as_float_array(value: Any, name: str, what: str = "an array") -> np.ndarray:
    """``value`` as a float64 array (lists and integer arrays welcome), or a TypeError."""
    if value is None or isinstance(value, str | bytes | Mapping):
        raise TypeError(f"{name} must be {what} of numbers, but it is a {type(value).__name__}.")
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return np.asarray(value, dtype=float)   # real numbers already: nothing can go wrong
    try:
        with warnings.catch_warnings():     # complex → float would drop the imaginary part
            warnings.simplefilter("error", ComplexWarning)
            arr = np.asarray(value, dtype=float)
    except ComplexWarning:
        raise TypeError(f"{name} must be {what} of real numbers, but it holds complex "
                        "numbers.") from None
    except (TypeError, ValueError) as exc:
        text = str(exc)
        if "inhomogeneous" in text:
            reason = "its rows have different lengths"
        elif "could not convert string" in text:
            reason = f"it holds text ({text.rsplit(': ', 1)[-1]})"
        else:
            reason = "some of its entries are not numbers"
        raise TypeError(f"{name} must be {what} of numbers, but it cannot be read as one: "
                        f"{reason}.") from None
    return arr


def _first_bad(arr: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])


def _all_finite(arr: np.ndarray) -> bool:
    """Whether every entry is finite, in one pass of BLAS for large contiguous arrays.

    The sum of squares Σ x² is finite only when every x is (a NaN or ±inf entry makes it NaN
    or inf, and squares cannot cancel); if it is not finite, because of a bad entry or an
    overflow of huge values, the entries are tested one by one.
    """
    if arr.size >= 4096 and (arr.flags.c_contiguous or arr.flags.f_contiguous):
        flat = arr.ravel(order="K")                      # a view: no copy
        with np.errstate(over="ignore", invalid="ignore"):
            if np.isfinite(flat @ flat):
                return True
    return bool(np.isfinite(arr).all())


def check_finite(arr: np.ndarray, name: str, index_meaning: str = "entry") -> None:
    """Refuse NaN and ±inf: they would flow through every later step unnoticed."""
    if not _all_finite(arr):
        where = _first_bad(arr)
        bad, at = arr[where], where if len(where) > 1 else where[0]
        raise ValueError(f"{name} contains {bad} at {index_meaning} {at}; "
                         "every value must be a finite number (check for a division by zero or a "
                         "missing value in the data).")


def as_theta(Theta: Any) -> Params:
    """Θ as ``{1: Θ⁽¹⁾, …, L−1: Θ⁽ᴸ⁻¹⁾}`` of float arrays, each of shape s₍ₗ₊₁₎ × (sₗ + 1).

    Accepts a mapping keyed by the lecture's layer numbers or a plain sequence
    ``[Θ⁽¹⁾, Θ⁽²⁾, …]`` (nested lists too).
    """
    if isinstance(Theta, np.ndarray) and Theta.ndim == 2:
        raise TypeError("Theta must hold one matrix per layer, {1: Θ⁽¹⁾, 2: Θ⁽²⁾, …} or "
                        "[Θ⁽¹⁾, Θ⁽²⁾, …], but it is a single 2-D array. For a network with one "
                        "weight matrix write {1: Theta1} or [Theta1].")
    if isinstance(Theta, Mapping):
        items = dict(Theta)
        keys = list(items)
        if not all(isinstance(k, numbers.Integral) and not isinstance(k, bool) for k in keys):
            raise TypeError(f"Theta's keys must be the layer numbers 1…L−1, but they are {keys}.")
        expected = list(range(1, len(keys) + 1))
        if sorted(keys) != expected:
            raise ValueError(
                f"Theta's keys are {sorted(keys)}, but layers are numbered 1…L as in the lecture, "
                f"so a network with {len(keys)} weight matrices needs the keys {expected} "
                f"(Θ⁽ˡ⁾ maps layer l to layer l+1; there is no Θ⁽⁰⁾). A plain list "
                "[Θ⁽¹⁾, Θ⁽²⁾, …] is accepted as well.")
        mats = [items[k] for k in expected]
    elif isinstance(Theta, Sequence | np.ndarray) and not isinstance(Theta, str | bytes):
        mats = list(Theta)
    else:
        raise TypeError("Theta must be a mapping {1: Θ⁽¹⁾, …, L−1: Θ⁽ᴸ⁻¹⁾} or a list "
                        f"[Θ⁽¹⁾, Θ⁽²⁾, …], but it is a {type(Theta).__name__}.")
    if not mats:
        raise ValueError("Theta is empty: a network needs at least Θ⁽¹⁾ (from layer 1 to layer 2).")
    out: Params = {}
    for l, mat in enumerate(mats, start=1):
        arr = as_float_array(mat, f"Theta[{l}]", "a matrix")
        if arr.ndim != 2:
            raise ValueError(
                f"Theta[{l}] must be a 2-D matrix of shape s{_sub(l + 1)} × (s{_sub(l)} + 1), "
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


def _sub(l: int) -> str:
    return str(l).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def layer_sizes(Theta: Any) -> list[int]:
    """[s₁, s₂, …, s_L]: the number of units in each layer, bias units not counted."""
    Theta = as_theta(Theta)
    return [Theta[1].shape[1] - 1] + [Theta[l].shape[0] for l in Theta]


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
            hint = (f" Its first column is all ones: it looks like {name} already contains the "
                    "bias unit a₀ = 1, which is added for you; pass the features only.")
        elif n == n_inputs + 1:
            hint = (f" If {name} is right, Θ⁽¹⁾ is missing its bias column (column 0, "
                    f"multiplying a₀ = 1): with {n} features it must have {n + 1} columns.")
        else:
            hint = ""
        raise ValueError(
            f"{name} has {_count(n, 'feature')} per example, but Θ⁽¹⁾ has {n_inputs + 1} columns "
            f"(the bias unit plus s₁ = {_count(n_inputs, 'input unit')}), so each example needs "
            f"{_count(n_inputs, 'feature')}.{hint}")
    check_finite(arr, name, "example, feature" if not single else "feature")
    return arr, single


def _count(n: int, noun: str) -> str:
    """'1 feature', '3 features'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


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
    arr = as_float_array(y, "y").reshape(-1) if np.ndim(y) == 0 else as_float_array(y, "y")
    if arr.ndim != 1:
        raise ValueError(f"y is one example's label vector (length K = {K}), but it has shape "
                         f"{arr.shape}; for many examples use backprop(Theta, X, Y).")
    return as_targets(arr[np.newaxis, :], 1, K, "y")[0]


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
