"""Vectors and matrices as small HTML tables: each number as text on a colour of its sign.

The widgets show the arrays a step works with this way: the numbers stay readable (and a
browser test can read them), and the diverging colours of :mod:`.style` (those of the diagram)
show sign and size at a glance. A vector is drawn as a column, as in the lecture's equations.
Each value cell sets its own fill and text colour; everything else (captions, headers,
borders, the ⋯ cells) takes JupyterLab's theme colours, with light-theme fallbacks elsewhere,
so that the tables read as well in the dark theme as in the light one.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import numpy as np

from .style import colours, scale_of
from .typeset import number_text, shown_indices

TABLE_CSS = """
<style>
.bp-table {border-collapse: collapse; font-size: 15px; font-variant-numeric: tabular-nums;
           color: var(--jp-content-font-color0, #000000);
           background: var(--jp-layout-color0, #FFFFFF);}
.bp-table caption {font-weight: bold; padding: 2px 4px; caption-side: top; white-space: nowrap;
                   color: var(--jp-content-font-color0, #000000);}
.bp-table td {padding: 2px 7px; text-align: right;
              border: 1px solid var(--jp-border-color1, #BDBDBD);}
.bp-table th {padding: 0 4px; font-weight: normal; font-size: 12px;
              color: var(--jp-content-font-color1, #1A1A1A);}
.bp-tables {display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start;}
</style>
"""
"""The style of the tables; include it once in the HTML that holds them."""


def html_table(arr: np.ndarray, caption: str, vmax: float | None = None, *,
               index_from: tuple[int, int] = (1, 1), css_class: str = "bp-table") -> str:
    """One array as a ``<table>``; colours on the scale −vmax…vmax (its own largest |entry|
    if None). Row and column headers count from ``index_from`` (the lecture's i and j: use
    (1, 0) for a Θ-shaped matrix, whose column 0 is the bias column).
    """
    arr = np.asarray(arr, dtype=float)
    mat = arr[:, np.newaxis] if arr.ndim == 1 else arr
    scale = scale_of(mat) if vmax is None else vmax
    cols = shown_indices(mat.shape[1])
    i0, j0 = index_from
    out = [f'<table class="{css_class}"><caption>{html.escape(caption)}</caption>']
    if arr.ndim == 2:
        out.append("<tr><th></th>" + "".join(
            "<th>⋯</th>" if j is None else f"<th>{j + j0}</th>" for j in cols) + "</tr>")
    for i in shown_indices(mat.shape[0]):
        head = f"<th>{'⋮' if i is None else i + i0}</th>"
        cells = [_cell(None if i is None or j is None else mat[i, j], scale) for j in cols]
        out.append(f"<tr>{head}{''.join(cells)}</tr>")
    out.append("</table>")
    return "".join(out)


def _cell(value: float | None, scale: float) -> str:
    if value is None:
        return "<td>⋯</td>"
    fill, ink = colours(value, scale)
    return (f'<td style="background:{fill};color:{ink}" title="{float(value)!r}">'
            f"{number_text(value)}</td>")


def html_tables(operands: Iterable[tuple[str, np.ndarray, tuple[int, int]]],
                vmax: float | None = None) -> str:
    """Several tables side by side (wrapping on narrow screens), with the style.

    ``operands`` are (caption, array, index of the first row and column) triples, such as a
    step's :class:`~nbhelpers.trace.Operand` list.
    """
    body = "".join(html_table(arr, name, vmax, index_from=first) for name, arr, first in operands)
    return f'{TABLE_CSS}<div class="bp-tables">{body}</div>'
