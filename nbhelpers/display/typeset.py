"""Numbers, vectors and matrices written out for people: plain Unicode text and LaTeX.

Short labels that still tell small values apart: whole numbers as integers ("1", "0"),
|v| ≥ 0.1 with two decimals ("0.58"), smaller values with two significant digits ("0.041",
"0.0083"), tiny and huge ones in powers of ten ("1.2·10⁻⁵"). Big arrays are shortened with ⋯ / ⋮ so
that a 25 × 65 matrix still fits on a slide. :func:`unit_text` is the shorter form written
inside a unit of the network diagrams.
"""

from __future__ import annotations

import numpy as np

from ..validation import sup

MAX_SHOWN = 8
"""Arrays longer than this (per axis) show their first and last entries around an ellipsis."""

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
    text = mantissa if power is None else f"{mantissa}·10{_superscript(power)}"
    return text.replace("-", "−")


def _superscript(power: str) -> str:
    """An exponent in superscript digits ("-6" → "⁻⁶"): the lecture's layer superscript without
    its parentheses, so that there is one table of superscript digits."""
    return sup(power)[1:-1]


def unit_text(value: float) -> str:
    """A value short enough to be written inside a unit of the network diagram.

    Below 1, at most two significant digits and no leading zero: ``0.5812`` → ``".58"``,
    ``-0.00894`` → ``"−.0089"``; from 1 on, three significant digits: ``1.25`` → ``"1.25"``,
    ``12.34`` → ``"12.3"``; whole numbers as integers; below 0.001 and from 1000 on in the
    ``e`` notation of Python: ``-0.00054`` → ``"−5.4e-4"``, ``12345`` → ``"1.2e4"``. Python's
    ``float`` reads every label back (after the true minus "−" is made a "-").
    """
    v = float(value)
    short = f"{v:#.3g}".rstrip(".")             # three significant digits from 1 on
    if v == round(v) and abs(v) < 1e3:
        text = str(round(v))
    elif 1e-3 <= abs(v) < 1:
        text = number_text(v).replace("−", "-").replace("0.", ".", 1)
    elif 1 <= abs(v) < 1e3 and "e" not in short:
        text = short
    else:
        mantissa, power = f"{v:.1e}".split("e")
        if abs(int(power)) >= 10:                     # a two-digit exponent: one digit before it
            mantissa, power = f"{v:.0e}".split("e")
        text = f"{mantissa}e{int(power)}"
    return text.replace("-", "−", 1) if text.startswith("-") else text


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
