"""Small tables of computed numbers, shown as Markdown in JupyterLab and as aligned text elsewhere.

The notebooks never type a number into their prose; when a step is best read as a table
(shapes per layer, the cost for several λ, …), the table is computed and displayed with
:func:`number_table`.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NumberTable:
    """A header and rows of already formatted cells; displays itself in a notebook."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def _repr_markdown_(self) -> str:
        return markdown_table(self.header, self.rows, align="r" * len(self.header))

    def __str__(self) -> str:
        widths = [max(len(row[c]) for row in (self.header, *self.rows))
                  for c in range(len(self.header))]
        lines = ["  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True))
                 for row in (self.header, *self.rows)]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]],
                   align: str | None = None) -> str:
    """A GitHub-flavoured markdown table; ``align`` has one letter per column, "l" or "r"
    (by default the first column left, the others, numbers, right)."""
    if any(len(row) != len(header) for row in rows):
        raise ValueError(f"every row needs {len(header)} cells, like the header {list(header)}.")
    align = align or "l" + "r" * (len(header) - 1)
    if len(align) != len(header) or set(align) - {"l", "r"}:
        raise ValueError(f"align needs one letter, l or r, per column, not {align!r}.")
    lines = ["| " + " | ".join(_escaped(h) for h in header) + " |",
             "|" + "|".join(":---" if a == "l" else "---:" for a in align) + "|"]
    lines += ["| " + " | ".join(_escaped(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _escaped(cell: object) -> str:
    """A cell's text with every ``|`` escaped, inside code spans too (as GitHub-flavoured
    Markdown asks): an absolute value ``|a − b|`` would otherwise end the cell early."""
    return str(cell).replace("\\|", "|").replace("|", "\\|")


def _cell(value: Any, fmt: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return format(float(value), fmt)
    if isinstance(value, tuple):
        inner = ", ".join(_cell(v, fmt) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    raise TypeError(f"a table cell must be text, a number or a tuple (e.g. a shape), "
                    f"not a {type(value).__name__}.")


def number_table(header: Sequence[str], rows: Sequence[Sequence[Any]],
                 fmt: str = ".4f") -> NumberTable:
    """A table whose rows hold text, numbers (written with the format ``fmt``) or shapes.

    ``number_table(["l", "shape of Θ⁽ˡ⁾"], [(1, (5, 4)), (2, (5, 6))])`` shows two rows.
    """
    head = tuple(str(h) for h in header)
    if not head:
        raise ValueError("a table needs at least one column in its header.")
    body = []
    for number, row in enumerate(rows, start=1):
        cells = tuple(_cell(v, fmt) for v in row)
        if len(cells) != len(head):
            raise ValueError(f"row {number} has {len(cells)} cells, but the header has "
                             f"{len(head)} columns ({', '.join(head)}).")
        body.append(cells)
    return NumberTable(head, tuple(body))


def difference_text(value: float, noise: float, ceiling: float | None = None) -> str:
    """A (relative) difference written so that it reads the same on every machine.

    Below ``noise`` the difference is rounding: its digits depend on the order in which the
    CPU's BLAS kernel adds, so only the bound is shown, ``"< 1e-9"``; above ``ceiling`` (when
    given) only that bound, ``"> 0.001"``, for a difference whose size itself depends on
    rounding (a finite difference across a kink); in between, two significant digits.

    >>> difference_text(3.2e-11, 1e-9), difference_text(0.0432, 1e-9)
    ('< 1e-9', '0.043')
    """
    value = abs(float(value))
    if value < noise:
        return f"< {_power(noise)}"
    if ceiling is not None and value > ceiling:
        return f"> {_power(ceiling)}"
    return f"{value:.2g}"


def _power(bound: float) -> str:
    mantissa, power = f"{bound:.0e}".split("e")
    return f"{mantissa}e{int(power)}"
