"""Numbers, vectors and matrices written out for people: plain Unicode text and LaTeX.

Short labels that still tell small values apart: whole numbers as integers ("1", "0"),
|v| ≥ 0.1 with two decimals ("0.58"), smaller values with two significant digits ("0.041",
"0.0083"), tiny and huge ones in powers of ten ("1.2·10⁻⁵"). Big arrays are shortened with ⋯ / ⋮ so
that a 25 × 65 matrix still fits on a slide.
"""

from __future__ import annotations

import numpy as np

MAX_SHOWN = 8
"""Arrays longer than this (per axis) show their first and last entries around an ellipsis."""

_SUPER = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _parts(value: float) -> tuple[str, str | None]:
    """Mantissa text (ASCII minus) and power of ten (or None)."""
    v = float(value)
    if v == 0 or 1e-3 <= abs(v) < 1e4:
        if v == round(v):
            return str(round(v)), None
        return (f"{v:.2f}" if abs(v) >= 0.0995 else f"{v:#.2g}"), None
    mantissa, power = f"{v:.1e}".split("e")
    return mantissa, str(int(power))


def number_text(value: float) -> str:
    """``-0.0412`` → ``"−0.041"``; ``3e-6`` → ``"3.0·10⁻⁶"`` (true minus signs)."""
    mantissa, power = _parts(value)
    text = mantissa if power is None else f"{mantissa}·10{power.translate(_SUPER)}"
    return text.replace("-", "−")


def number_latex(value: float) -> str:
    """The same number for LaTeX: ``3e-6`` → ``"3.0\\cdot 10^{-6}"``."""
    mantissa, power = _parts(value)
    return mantissa if power is None else f"{mantissa}\\cdot 10^{{{power}}}"


def shown_indices(n: int) -> list[int | None]:
    """Indices to show along an axis of length n; None marks the ellipsis."""
    if n <= MAX_SHOWN:
        return list(range(n))
    head = MAX_SHOWN - 3
    return [*range(head), None, n - 2, n - 1]


def scale_of(*arrays: np.ndarray) -> float:
    """The largest |entry| over all the arrays (1 when all are zero): the darkest colour."""
    biggest = max((float(np.max(np.abs(a))) for a in arrays if np.size(a)), default=0.0)
    return biggest if biggest > 0 else 1.0


def array_text(arr: np.ndarray) -> str:
    """A vector as ``[0.5, −0.2, 1]``, a matrix as ``[[…], […]]``, shortened with ⋯."""
    arr = np.asarray(arr, dtype=float)
    if arr.ndim == 0:
        return number_text(float(arr))
    if arr.ndim == 1:
        return "[" + ", ".join("⋯" if k is None else number_text(arr[k])
                               for k in shown_indices(arr.size)) + "]"
    rows = ["⋮" if i is None else array_text(arr[i]) for i in shown_indices(arr.shape[0])]
    return "[" + ", ".join(rows) + "]"


def array_latex(arr: np.ndarray, column: bool = True) -> str:
    """A bmatrix: a vector as a column (or a row with ``column=False``), a matrix as itself."""
    arr = np.asarray(arr, dtype=float)
    if arr.ndim == 0:
        return number_latex(float(arr))
    if arr.ndim == 1:
        arr = arr[:, np.newaxis] if column else arr[np.newaxis, :]
    rows = []
    for i in shown_indices(arr.shape[0]):
        if i is None:
            rows.append(" & ".join(r"\vdots" for _ in shown_indices(arr.shape[1])))
        else:
            rows.append(" & ".join(r"\cdots" if j is None else number_latex(arr[i, j])
                                   for j in shown_indices(arr.shape[1])))
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"
