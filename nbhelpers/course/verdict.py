"""A check's verdict, and the few ways its message may talk about numbers.

A :class:`Verdict` says whether the answer passed, and when it did not, the lecture step where it
goes wrong (``step``), the layer (``layer``), the catalogue mistake (``mistake``, only when the
check is sure) and what the student reads (``message``).

A message never shows the right answer: :func:`off_by` describes one wrong entry by the direction
and size of its error ("entry 2 is 0.31 too large"), rounded so that the right value cannot be
read back from it to the precision the check asks for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..validation import sup

RTOL, ATOL = 1e-9, 1e-12
"""How close a number must be to count as the same: the lecture's algorithm written any other
right way (loops, matrices, einsum) agrees to about 1e-15; a finite difference does not."""

CLOSE_RTOL, CLOSE_ATOL = 1e-6, 1e-9
"""Closer than this but not the same: a right result computed another way (a finite difference,
single precision)."""

STEP_NAMES: dict[str, str] = {
    "forward": "the forward pass (a⁽¹⁾ = x with a₀ = 1, z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾a⁽ˡ⁾, a⁽ˡ⁺¹⁾ = g(z⁽ˡ⁺¹⁾))",
    "output_delta": "δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y",
    "hidden_delta": "the δ step of the hidden layers, δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ .* g′(z⁽ˡ⁾)",
    "accumulate": "the accumulators, Δ⁽ˡ⁾ := Δ⁽ˡ⁾ + δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ over the m examples",
    "d_terms": "the D terms after the loop, D⁽ˡ⁾ = Δ⁽ˡ⁾/m + (λ/m)Θ⁽ˡ⁾ for j ≠ 0",
    "return": "what the function returns",
    "inputs": "the arguments: the function changes them",
    "package": "the package's own functions: the function calls one",
    "method": "the method",
}
"""The lecture step of a verdict, as a message names it."""


@dataclass(frozen=True, kw_only=True)
class Verdict:
    """The outcome of a check (see the module's docstring)."""

    passed: bool
    message: str
    step: str | None = None
    mistake: str | None = None
    layer: int | None = None
    not_written: bool = False
    """The answer is still the handed-out scaffold: not wrong, just not done."""
    printed: str = ""
    """What the student's code printed while the check ran it (shown under the message)."""
    value: Any = field(default=None, compare=False, repr=False)
    """What later cells should use: the student's answer when it passed."""

    def __bool__(self) -> bool:
        return self.passed

    def report(self) -> str:
        """The message with what the student's code printed below it."""
        if not self.printed.strip():
            return self.message
        shown = "\n".join("    " + line for line in self.printed.rstrip("\n").splitlines())
        return f"{self.message}\n  What your code printed (the check's first run of it):\n{shown}"


def same(got: Any, want: Any, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """Whether two arrays (or numbers) have the same shape and the same values."""
    try:
        g, w = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    except (TypeError, ValueError):
        return False
    return g.shape == w.shape and bool(np.all(np.isfinite(g))) and bool(
        np.allclose(g, w, rtol=rtol, atol=atol))


def same_layers(got: Mapping[int, Any], want: Mapping[int, Any], **tolerance: float) -> bool:
    """Whether two per-layer dicts have the same keys and the same arrays."""
    return set(got) == set(want) and all(same(got[l], want[l], **tolerance) for l in want)


def size_text(value: float) -> str:
    """A size with two significant digits, as an error is described: 0.31, 0.0042, 3.1e-07."""
    return f"{abs(value):.2g}"


def index_text(index: Sequence[int], matrix: bool) -> str:
    """An entry of a vector ("entry 2") or a matrix ("row 1, column 3")."""
    if matrix and len(index) == 2:
        return f"row {index[0]}, column {index[1]}"
    return f"entry {index[0]}" if index else "the value"


def off_by(name: str, got: Any, want: Any, *, lecture_indices: bool = False) -> str:
    """The first entry of ``got`` that differs most from ``want``, by direction and size.

    "D⁽²⁾ at row 1, column 3 is 0.031 too large" — never the expected value itself. With
    ``lecture_indices`` a matrix entry also gets the lecture's (i, j) (rows count units from 1)."""
    g, w = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if g.shape != w.shape or g.size == 0:
        return ""
    gap = np.where(np.isfinite(g), g - w, np.inf)
    index = tuple(int(k) for k in np.unravel_index(int(np.argmax(np.abs(gap))), g.shape))
    error = float(gap[index])
    if not np.isfinite(error):
        return f"{name} at {index_text(index, g.ndim == 2)} is not a finite number"
    direction = "too large" if error > 0 else "too small"
    where = index_text(index, g.ndim == 2)
    if lecture_indices and g.ndim == 2:
        where += f" (the lecture's i = {index[0] + 1}, j = {index[1]})"
    wrong = int(np.sum(~np.isclose(g, w, rtol=RTOL, atol=ATOL)))
    count = f"; {wrong} of its {g.size} entries are wrong" if g.size > 1 else ""
    return f"{name} at {where} is {size_text(error)} {direction}{count}"


def layer_name(symbol: str, l: int) -> str:
    """``δ`` and 3 → ``δ⁽³⁾``."""
    return f"{symbol}{sup(l)}"


def not_written(name: str, hint_id: str) -> Verdict:
    """The verdict for an answer that is still the handed-out scaffold."""
    return Verdict(passed=False, not_written=True, message=(
        f"… {name} is not written yet — that's fine: write it in the cell above, then run this "
        f"cell again. Stuck? hint({hint_id!r}) gives the idea."))


__all__ = ["ATOL", "CLOSE_ATOL", "CLOSE_RTOL", "RTOL", "STEP_NAMES", "Verdict", "index_text",
           "layer_name", "not_written", "off_by", "same", "same_layers", "size_text"]
