"""The colours every drawing shares: one colour map for signed values, one colour scale, one
rule for the text written on a coloured fill, and one background.

* Signed values (a⁽ˡ⁾, δ⁽ˡ⁾, Θ⁽ˡ⁾, Δ⁽ˡ⁾, D⁽ˡ⁾) are coloured by the diverging map :data:`CMAP`
  (``RdBu``, readable with the common colour-vision deficiencies): red negative, white zero,
  blue positive, on the scale −vmax…vmax where vmax is :func:`scale_of` the arrays shown.
* Text on a fill is black or white, whichever contrasts more with the fill (:func:`ink_on`).
* Figures and diagrams carry their own opaque, light :data:`BACKGROUND`, so that they stay
  legible on a dark page (JupyterLab's dark theme, a dark editor, a projector's dark slide).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

CMAP = "RdBu"
"""The diverging colour map for signed values (red negative, white zero, blue positive)."""

BACKGROUND = "#FFFFFF"
"""The opaque background of every figure and diagram."""

INK = "#000000"
"""Text and lines on :data:`BACKGROUND`."""

BLACK, WHITE = "#000000", "#FFFFFF"


def scale_of(*arrays: Any) -> float:
    """The largest |entry| over all the arrays (1 when all are zero): the darkest colour."""
    biggest = max((float(np.max(np.abs(a))) for a in arrays if np.size(a)), default=0.0)
    return biggest if biggest > 0 else 1.0


def relative_luminance(colour: Any) -> float:
    """The WCAG 2 relative luminance of a colour: 0 for black, 1 for white."""
    rgb = np.array(mpl.colors.to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast_ratio(first: Any, second: Any) -> float:
    """The WCAG 2 contrast ratio of two colours, from 1 (equal) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ink_on(fill: Any) -> str:
    """Black or white text, whichever has the larger contrast ratio with ``fill``.

    The two ratios are equal at the relative luminance √(1.05 · 0.05) − 0.05 ≈ 0.18, so the
    rule is "black on fills lighter than 0.18"; the text then has a contrast ratio of at
    least 4.58 on any fill, above the 4.5 that WCAG asks of normal text.
    """
    return BLACK if contrast_ratio(fill, BLACK) >= contrast_ratio(fill, WHITE) else WHITE


@cache
def _palette() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The colour map sampled at 257 points once, with the text colour for each."""
    fills = tuple(mpl.colors.to_hex(c) for c in mpl.colormaps[CMAP](np.linspace(0, 1, 257)))
    return fills, tuple(ink_on(f) for f in fills)


def colours(value: float, vmax: float) -> tuple[str, str]:
    """(fill, text colour) of ``value`` on the scale −vmax…vmax, as ``#rrggbb`` strings."""
    t = 0.5 + 0.5 * float(np.clip(value / vmax, -1.0, 1.0))
    k = round(256 * t)
    fills, inks = _palette()
    return fills[k], inks[k]


def fill_colour(value: float, vmax: float) -> str:
    """The diverging colour of ``value`` on the scale −vmax…vmax, as ``#rrggbb``."""
    return colours(value, vmax)[0]


def opaque(fig: Figure) -> Figure:
    """Give a figure the opaque :data:`BACKGROUND` (also when saved or shown inline)."""
    fig.patch.set_facecolor(BACKGROUND)
    fig.patch.set_alpha(1.0)
    return fig
