"""Pictures of the network: layers 1…L left to right, bias units a₀ = 1, values on the units.

One layout, two renderers: :func:`draw_network` draws into a matplotlib Axes (for figures in
the notebooks), :func:`network_svg` returns the same picture as an SVG string (for the live
widgets, where a crisp, cheap-to-update picture matters).

``values`` maps a layer number to a vector, exactly as :class:`~nbhelpers.ForwardPass` ``.a``
or :class:`~nbhelpers.BackwardPass` ``.delta`` hold them: a vector of length sₗ + 1 starts
with the bias unit a₀ (as a⁽ˡ⁾ does for l < L), a vector of length sₗ has none (as z⁽ˡ⁾ and
δ⁽ˡ⁾). Each labelled unit is filled by the diverging colour map of :mod:`.style` (red for
negative, blue for positive, white for zero), its value written on it in the short form of
:func:`~nbhelpers.display.typeset.unit_text` (".58", "−.0089", "−5.4e-4"), black or white
for contrast. A label always fits inside its unit: the units are sized for the longest short
form, and a label that would still stick out (in a figure drawn small) is written smaller.
Both renderers draw on their own opaque white background, legible on a dark page too.

``highlight`` picks what is outlined: a layer number (all its units), or a mapping
``{layer: units}`` with the lecture's unit numbers j (0 is the bias unit; ``None`` means the
whole layer). ``edges=l`` additionally draws the weights Θ⁽ˡ⁾ (from layer l to l + 1) bold;
with ``edge_bias=False`` the bias unit's weights (column 0 of Θ⁽ˡ⁾) stay thin, as in a δ step.
"""

from __future__ import annotations

import html
import itertools
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, FancyBboxPatch
from matplotlib.text import Text
from matplotlib.textpath import TextPath
from matplotlib.transforms import Bbox

from ..validation import as_layer_sizes as _check_sizes
from ..validation import layer_sizes, sup
from .style import BACKGROUND, CMAP, INK, colours, fill_colour, opaque, scale_of
from .trace import Step, trace_backprop
from .typeset import number_text, unit_text

HIGHLIGHT = "#E69F00"
"""Okabe–Ito orange: the outline of highlighted units and weights."""

BIAS_FILL = "#D9D9D9"
XSCALE = 1.8   # matplotlib: horizontal distance between layers, in unit rows
RADIUS_ROWS = 0.4   # matplotlib: the radius of a unit, in unit rows
BIAS_HALF = 0.85    # a bias unit is a square of half-side BIAS_HALF · radius
EDGE = "#B0B0B0"


@dataclass(frozen=True)
class Unit:
    """One drawn unit: layer l, the lecture's unit number j (0 = bias a₀), and its position."""

    layer: int
    j: int
    x: float
    y: float

    @property
    def is_bias(self) -> bool:
        """Whether this is the bias unit a₀ = 1 of its layer."""
        return self.j == 0


@dataclass(frozen=True, kw_only=True)
class Layout:
    """Where every unit sits, in grid units (one column per layer, one row per unit)."""

    sizes: tuple[int, ...]
    units: tuple[Unit, ...]
    width: float
    height: float
    gaps: tuple[tuple[float, float], ...] = ()

    @property
    def L(self) -> int:
        """The number of layers."""
        return len(self.sizes)

    def layer(self, l: int) -> list[Unit]:
        """The units of layer l, bias first."""
        return [u for u in self.units if u.layer == l]


MAX_UNITS = 10
"""A layer with more units than this is drawn shortened: its first units, ⋮, its last two."""


def _drawn(js: list[int]) -> list[int | None]:
    """The unit numbers to draw, None marking the ⋮ gap of a long layer."""
    if len(js) <= MAX_UNITS:
        return list(js)
    return [*js[:MAX_UNITS - 3], None, *js[-2:]]


def layout(sizes: Sequence[int], show_bias: bool = True) -> Layout:
    """Positions: layer l in column l − 1, its units stacked and centred, the bias unit on top.

    Every layer but the output has a bias unit a₀ = 1 (when ``show_bias``). A layer of more
    than :data:`MAX_UNITS` units shows its first ones, a gap (in ``Layout.gaps``) and its last
    two, so that a 64-unit input layer still fits on a slide.
    """
    sizes = tuple(_check_sizes(sizes))
    L = len(sizes)
    columns = [_drawn(list(range(0 if show_bias and l < L else 1, s + 1)))
               for l, s in enumerate(sizes, start=1)]
    rows = max(len(c) for c in columns)
    units, gaps = [], []
    for l, column in enumerate(columns, start=1):
        top = (rows - len(column)) / 2
        for k, j in enumerate(column):
            if j is None:
                gaps.append((float(l - 1), top + k))
            else:
                units.append(Unit(l, j, float(l - 1), top + k))
    return Layout(
        sizes=sizes,
        units=tuple(units),
        width=float(L - 1),
        height=float(rows - 1),
        gaps=tuple(gaps))


def unit_values(sizes: Sequence[int], values: Mapping[int, Any] | None) -> dict[tuple[int, int], float]:
    """``{(l, j): value}`` from a mapping layer → vector (with or without the bias entry)."""
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise TypeError("values must map a layer number to a vector, e.g. fp.a or bp.delta, "
                        f"but it is a {type(values).__name__}.")
    L = len(sizes)
    out = {}
    for l, vec in values.items():
        if not (isinstance(l, int | np.integer) and 1 <= l <= L):
            raise ValueError(f"values has the key {l!r}, but the layers are numbered 1…{L}.")
        v = np.asarray(vec, dtype=float)
        s = sizes[l - 1]
        allowed = (s, s + 1) if l < L else (s,)
        if v.ndim != 1 or v.size not in allowed:
            lengths = " or ".join(str(n) for n in allowed)
            raise ValueError(f"values[{l}] has shape {v.shape}, but layer {l} has s{sup(l)} = "
                             f"{s} units, so its vector must have length {lengths} "
                             "(one value per unit, the bias unit a₀ first if included); "
                             "for a batch pick one example's row.")
        first_j = 1 if v.size == s else 0
        out.update({(l, first_j + k): float(x) for k, x in enumerate(v)})
    return out


def highlighted(sizes: Sequence[int], highlight: Any) -> set[tuple[int, int]]:
    """The outlined units as ``{(l, j)}``, from a layer number or ``{layer: units or None}``."""
    if highlight is None:
        return set()
    L = len(sizes)
    spec = {highlight: None} if isinstance(highlight, int | np.integer) else highlight
    if not isinstance(spec, Mapping):
        raise TypeError("highlight must be a layer number or a mapping {layer: units}, "
                        f"not a {type(highlight).__name__}.")
    out = set()
    for l, units in spec.items():
        if not (isinstance(l, int | np.integer) and 1 <= l <= L):
            raise ValueError(f"highlight names layer {l!r}, but the layers are numbered 1…{L}.")
        everyone = range(0 if l < L else 1, sizes[l - 1] + 1)
        chosen = everyone if units is None else [int(j) for j in _iterable(units)]
        for j in chosen:
            if j not in everyone:
                raise ValueError(f"highlight names unit {j} of layer {l}, which has units "
                                 f"{everyone.start}…{everyone.stop - 1} (0 is the bias unit).")
        out.update((int(l), j) for j in chosen)
    return out


def _iterable(units: Any) -> Iterable[Any]:
    return [units] if isinstance(units, int | np.integer) else units


def colour_scale(vals: Mapping[tuple[int, int], float], vmax: float | None = None) -> float:
    """The |value| that gets the darkest colour: ``vmax`` or the largest |value| (not biases)."""
    if vmax is not None:
        if not vmax > 0:
            raise ValueError(f"vmax must be a positive number, not {vmax}.")
        return float(vmax)
    return scale_of([v for (_, j), v in vals.items() if j != 0])


def _unit_colours(u: Unit, value: float | None, scale: float) -> tuple[str, str]:
    """Grey for a bias unit, white for a unit without a value, else the value's colour."""
    if u.is_bias:
        return BIAS_FILL, INK
    return (BACKGROUND, INK) if value is None else colours(value, scale)


def _label(u: Unit, value: float | None) -> str:
    """What is written on a unit: its value in short, "+1" on a bias unit without a value."""
    if value is None:
        return "+1" if u.is_bias else ""
    return unit_text(value)


# --- labels that fit ----------------------------------------------------------------------

LABEL_FONT = FontProperties(family="DejaVu Sans")
"""The font the labels are measured in (the SVG asks for it first; Arial, its fallback, is
narrower)."""


@cache
def label_ink(text: str) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1): the ink of ``text`` at font size 1 in :data:`LABEL_FONT`, from its
    start on the baseline, y upwards."""
    if not text:
        return 0.0, 0.0, 0.0, 0.0
    box = TextPath((0, 0), text, size=1, prop=LABEL_FONT).get_extents()
    return box.x0, box.y0, box.x1, box.y1


def fitting_size(width: float, height: float, size: float, room: float, bias: bool) -> float:
    """The largest font size up to ``size`` at which a centred text of ``width`` × ``height``
    (at font size 1) fits in a unit: a circle of radius ``room``, or for a bias unit a square of
    half-side ``room``."""
    if width <= 0 or room <= 0:
        return size
    limit = 2 * room / (max(width, height) if bias else float(np.hypot(width, height)))
    return min(size, limit)


def _caption(lay: Layout, l: int) -> tuple[str, str]:
    """("Layer l", "(role)") — with the number of units when the layer is drawn shortened."""
    role = "input" if l == 1 else "output" if l == lay.L else "hidden"
    if any(gx == l - 1 for gx, _ in lay.gaps):
        role += f", {lay.sizes[l - 1]} units"
    return f"Layer {l}", f"({role})"


def _edges(lay: Layout) -> list[tuple[Unit, Unit]]:
    """Every weight Θ⁽ˡ⁾ᵢⱼ: from unit j of layer l (bias included) to unit i ≥ 1 of layer l+1."""
    return [(u, v) for l in range(1, lay.L) for u in lay.layer(l)
            for v in lay.layer(l + 1) if not v.is_bias]


def _bold(u: Unit, edges: int | None, edge_bias: bool) -> bool:
    """Whether the weight leaving unit u is one of the Θ⁽ˡ⁾ taking part in the current step."""
    return edges is not None and u.layer == edges and (edge_bias or not u.is_bias)


def draw_network(sizes: Sequence[int], values: Mapping[int, Any] | None = None,
                 highlight: Any = None, *, ax: Axes | None = None, title: str | None = None,
                 show_bias: bool = True, edges: int | None = None, vmax: float | None = None,
                 fontsize: float = 11, colorbar: bool = True, edge_bias: bool = True) -> Axes:
    """Draw the network into ``ax`` (a new figure if None) and return the Axes.

    A new figure is sized for ``fontsize``: every label fits inside its unit at that size.
    Example — the lecture's network with the activations of one example::

        p = nb.lecture_network()
        fp = nb.forward_propagate(p.Theta, p.X[0])
        draw_network(p.sizes, fp.a, highlight=4, title="a⁽ˡ⁾ for x⁽¹⁾")
    """
    import matplotlib.pyplot as plt

    sizes = _check_sizes(sizes)
    lay = layout(sizes, show_bias)
    vals = unit_values(sizes, values)
    marked = highlighted(sizes, highlight)
    scale = colour_scale(vals, vmax)
    if ax is None:
        inch = inches_per_row(fontsize)
        bar = 1.3 if vals and colorbar else 0.0
        _, ax = plt.subplots(figsize=(inch * (XSCALE * lay.width + 1.4) + bar,
                                      inch * (lay.height + 2.1) + (0.4 if title else 0.0)),
                             layout="constrained")
    opaque(ax.figure)
    r = RADIUS_ROWS
    lines = [[(XSCALE * u.x, -u.y), (XSCALE * v.x, -v.y)] for u, v in _edges(lay)]
    bold = [_bold(u, edges, edge_bias) for u, _ in _edges(lay)]
    ax.add_collection(LineCollection(lines, colors=[HIGHLIGHT if b else EDGE for b in bold],
                                     linewidths=[1.6 if b else 0.6 for b in bold], zorder=1))
    labels = []
    for bias in (False, True):
        units = [u for u in lay.units if u.is_bias == bias]
        patches = _unit_patches(units, vals, marked, scale, r, bias)
        ax.add_collection(patches)
        for u, width in zip(units, patches.get_linewidths(), strict=True):
            text = _label_unit(ax, u, vals.get((u.layer, u.j)), scale, fontsize)
            if text is not None:
                labels.append((text, bias, float(width)))
    ax.add_artist(_LabelFitter(labels, fontsize, r))
    for gx, gy in lay.gaps:
        ax.text(XSCALE * gx, -gy, "⋮", ha="center", va="center", fontsize=fontsize * 1.8,
                color=INK)
    for l in range(1, lay.L + 1):
        ax.text(XSCALE * (l - 1), 0.6, "\n".join(_caption(lay, l)),
                ha="center", va="bottom", color=INK,
                fontsize=fontsize, fontweight="bold" if any(m[0] == l for m in marked) else None)
    if vals and colorbar:
        sm = mpl.cm.ScalarMappable(mpl.colors.Normalize(-scale, scale), CMAP)
        bar = ax.figure.colorbar(sm, ax=ax, fraction=0.035, shrink=0.7, pad=0.02)
        bar.ax.tick_params(labelsize=fontsize)
    ax.set_xlim(-0.7, XSCALE * lay.width + 0.7)
    ax.set_ylim(-lay.height - 0.5, 1.6)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=fontsize + 1)
    return ax


def inches_per_row(fontsize: float) -> float:
    """How many inches a new figure gives one row of units, so that the longest short label
    (such as "−5.4e-4") fits inside a unit at ``fontsize`` points."""
    return max(0.8, fontsize / 12)


def _unit_patches(units: list[Unit], vals: Mapping[tuple[int, int], float],
                  marked: set[tuple[int, int]], scale: float, r: float,
                  bias: bool) -> PatchCollection:
    """The units as one collection (fast to add): circles, or dashed grey squares for the bias
    units; highlighted ones outlined thick in orange."""
    if bias:
        h = BIAS_HALF * r
        shapes = [FancyBboxPatch((XSCALE * u.x - h, -u.y - h), 2 * h, 2 * h,
                                 boxstyle="round,pad=0,rounding_size=0.05") for u in units]
    else:
        shapes = [Circle((XSCALE * u.x, -u.y), r) for u in units]
    on = [(u.layer, u.j) in marked for u in units]
    return PatchCollection(
        shapes, zorder=2, linestyles="--" if bias else "-",
        facecolors=[_unit_colours(u, vals.get((u.layer, u.j)), scale)[0] for u in units],
        edgecolors=[HIGHLIGHT if m else "#404040" for m in on],
        linewidths=[3.0 if m else 1.0 for m in on])


def _label_unit(ax: Axes, u: Unit, value: float | None, scale: float,
                fontsize: float) -> Text | None:
    """A unit's value written on it ("+1" on a bias unit without a value)."""
    label = _label(u, value)
    if not label:
        return None
    ink = _unit_colours(u, value, scale)[1]
    return ax.text(XSCALE * u.x, -u.y, label, ha="center", va="center", fontsize=fontsize,
                   color=ink, zorder=3)


class _LabelFitter(Artist):
    """Drawn just before the labels, once the figure's layout is known: writes each label at
    the requested size, or smaller where it would stick out of its unit."""

    zorder = 0

    def __init__(self, labels: list[tuple[Text, bool, float]], fontsize: float,
                 radius: float) -> None:
        super().__init__()
        self._labels, self._fontsize, self._radius = labels, fontsize, radius
        self.set_in_layout(False)

    def draw(self, renderer: RendererBase) -> None:
        ax = self.axes
        if ax is None:
            return
        x0, _ = ax.transData.transform((0.0, 0.0))
        x1, _ = ax.transData.transform((self._radius, 0.0))
        radius = abs(x1 - x0)                                       # in pixels
        for text, bias, line_width in self._labels:
            room = (BIAS_HALF if bias else 1.0) * radius - renderer.points_to_pixels(
                line_width / 2 + 0.75)
            size = self._fontsize
            for _ in range(3):      # a glyph box does not scale exactly with the font size
                text.set_fontsize(size)
                box = text.get_window_extent(renderer)
                fitted = fitting_size(box.width / size, box.height / size, size, room, bias)
                if fitted >= size:
                    break
                size = fitted * 0.99
            text.set_fontsize(size)

    def get_window_extent(self, renderer: RendererBase | None = None) -> Bbox:
        return Bbox.null()


# --- the whole trace in one figure ---------------------------------------------------------

def trace_sizes(steps: Sequence[Step]) -> list[int]:
    """[s₁, …, s_L] read off a trace's ``a[l]`` steps (a⁽ˡ⁾ holds the bias unit for l < L)."""
    a = {s.layer: s.value.size for s in steps if s.quantity == "a"}
    L = max((s.layer + (1 if s.quantity in ("Delta", "D") else 0) for s in steps), default=0)
    if set(a) != set(range(1, L + 1)):
        raise ValueError("these steps do not hold an a[l] step for every layer, so the layer "
                         "sizes are unknown; pass sizes=[s₁, …, s_L].")
    return [a[l] - (1 if l < L else 0) for l in range(1, L + 1)]


def draw_trace(steps: Sequence[Step], sizes: Sequence[int] | None = None, *,
               ncols: int = 3) -> Figure:
    """Every step of a trace as a small diagram with its title and equation, in one figure.

    The static companion of the stepper, for notebooks read without a kernel. Each panel
    outlines the units the step works on and writes the values known at that point (the
    colour scale is shared within the forward and within the backward steps). Example::

        from nbhelpers.display.diagram import draw_trace
        from nbhelpers.display.trace import trace_backprop
        p = nb.lecture_network()
        steps = trace_backprop(p.Theta, p.X[0], p.Y[0])
        draw_trace([s for s in steps if s.phase == "backward"], p.sizes)
    """
    import matplotlib.pyplot as plt

    steps = list(steps)
    if not steps:
        raise ValueError("there are no steps to draw.")
    sizes = trace_sizes(steps) if sizes is None else _check_sizes(sizes)
    ncols = max(1, min(ncols, len(steps)))
    nrows = -(-len(steps) // ncols)
    lay = layout(sizes)
    inch = inches_per_row(11)
    fig, axes = plt.subplots(nrows, ncols, squeeze=False, layout="constrained",
                             figsize=(ncols * max(inch * (XSCALE * lay.width + 1.4), 4.4),
                                      nrows * (inch * (lay.height + 2.1) + 0.8)))
    opaque(fig)
    for k, (ax, step) in enumerate(zip(axes.flat, steps, strict=False)):
        title = textwrap.fill(f"{k + 1}. {step.title}", 44) + f"\n{step.equation_text}"
        draw_network(sizes, step.shown, step.highlight, ax=ax, edges=step.edges,
                     edge_bias=step.edge_bias, vmax=step.vmax, colorbar=False, title=title)
    for ax in axes.flat[len(steps):]:
        ax.axis("off")
    return fig


def plot_backward_pass(Theta: Any, x: Any, y: Any, phases: Sequence[str] | None = None,
                       *, ncols: int = 3) -> Figure:
    """:func:`draw_trace` of :func:`~nbhelpers.trace_backprop` for one example (x, y),
    optionally only the given phases ("forward", "backward", "accumulate")."""
    steps = trace_backprop(Theta, x, y)
    if phases is not None:
        unknown = set(phases) - {"forward", "backward", "accumulate"}
        if unknown:
            raise ValueError(f"unknown phase(s) {sorted(unknown)}; the phases of a trace are "
                             "'forward', 'backward' and 'accumulate'.")
        steps = [s for s in steps if s.phase in phases]
    return draw_trace(steps, layer_sizes(Theta), ncols=ncols)


# --- SVG ---------------------------------------------------------------------------------

COLUMN = 170
ROW = 68
RADIUS = 30
LABEL_SIZE = 13   # px: "−5.4e-4", the longest short label, fits in a highlighted unit
MARGIN_X = 80
TOP = 86


def _px(u: Unit) -> tuple[float, float]:
    return MARGIN_X + COLUMN * u.x, TOP + ROW * u.y


def network_svg(sizes: Sequence[int], values: Mapping[int, Any] | None = None,
                highlight: Any = None, *, title: str | None = None, show_bias: bool = True,
                edges: int | None = None, vmax: float | None = None,
                legend: str | None = None, edge_bias: bool = True) -> str:
    """The same picture as :func:`draw_network`, as a standalone SVG string.

    ``legend`` says under the colour bar what the colours stand for (e.g. "δ⁽⁴⁾").

    Each layer is a ``<g class="bp-layer" data-layer="l">``, each unit a
    ``<g class="bp-unit" data-layer="l" data-unit="j">`` holding its value as text;
    highlighted layers and units also carry the class ``bp-highlight``, bold weights
    ``<line class="bp-edge bp-highlight">``. Example::

        from nbhelpers.display.diagram import network_svg
        p = nb.lecture_network()
        bp = nb.backprop_example(p.Theta, p.X[0], p.Y[0])
        svg = network_svg([3, 5, 5, 4], bp.delta, highlight=4)
    """
    sizes = _check_sizes(sizes)
    lay = layout(sizes, show_bias)
    vals = unit_values(sizes, values)
    marked = highlighted(sizes, highlight)
    scale = colour_scale(vals, vmax)
    width = 2 * MARGIN_X + COLUMN * lay.width
    height = TOP + ROW * lay.height + (95 + (22 if legend else 0) if vals else 50)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="bp-network" '
             f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
             'font-family="DejaVu Sans, Arial, sans-serif" role="img">']
    parts.append(f"<title>{html.escape(title or 'The network, layers 1 to ' + str(lay.L))}</title>")
    parts.append(f'<rect class="bp-background" x="0" y="0" width="{width:.0f}" '
                 f'height="{height:.0f}" rx="6" fill="{BACKGROUND}"/>')
    parts.append(_svg_edges(lay, edges, edge_bias))
    for l in range(1, lay.L + 1):
        parts.append(_svg_layer(lay, l, vals, marked, scale))
    if vals:
        parts.append(_svg_legend(scale, width / 2, TOP + ROW * lay.height + 50, legend))
    parts.append("</svg>")
    return "\n".join(parts)


def _svg_edges(lay: Layout, edges: int | None, edge_bias: bool = True) -> str:
    out = ['<g class="bp-edges">']
    for u, v in _edges(lay):
        (x1, y1), (x2, y2) = _px(u), _px(v)
        bold = _bold(u, edges, edge_bias)
        cls = "bp-edge bp-highlight" if bold else "bp-edge"
        colour, w = (HIGHLIGHT, 2.2) if bold else (EDGE, 1)
        out.append(f'<line class="{cls}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" '
                   f'y2="{y2:.1f}" stroke="{colour}" stroke-width="{w}"/>')
    out.append("</g>")
    return "\n".join(out)


def _svg_layer(lay: Layout, l: int, vals: Mapping[tuple[int, int], float],
               marked: set[tuple[int, int]], scale: float) -> str:
    on = any(m[0] == l for m in marked)
    x = MARGIN_X + COLUMN * (l - 1)
    head, role = _caption(lay, l)
    out = [f'<g class="bp-layer{" bp-highlight" if on else ""}" data-layer="{l}">',
           f'<text x="{x}" y="{TOP - 58}" text-anchor="middle" font-size="17" '
           f'font-weight="{"bold" if on else "normal"}" fill="{INK}">{head}'
           f'<tspan x="{x}" dy="20">{role}</tspan></text>']
    out += [_svg_unit(u, vals.get((l, u.j)), (l, u.j) in marked, scale) for u in lay.layer(l)]
    out += [f'<text class="bp-gap" x="{x}" y="{TOP + ROW * gy + 10:.1f}" text-anchor="middle" '
            f'font-size="30" fill="#404040">⋮</text>' for gx, gy in lay.gaps if gx == l - 1]
    out.append("</g>")
    return "\n".join(out)


def _svg_unit(u: Unit, value: float | None, marked: bool, scale: float) -> str:
    cx, cy = _px(u)
    fill, ink = _unit_colours(u, value, scale)
    stroke, sw = (HIGHLIGHT, 5) if marked else ("#404040", 1.2)
    cls = "bp-unit bp-highlight" if marked else "bp-unit"
    if u.is_bias:
        s = RADIUS * BIAS_HALF
        shape = (f'<rect x="{cx - s:.1f}" y="{cy - s:.1f}" width="{2 * s:.1f}" '
                 f'height="{2 * s:.1f}" rx="4" fill="{fill}" stroke="{stroke}" '
                 f'stroke-width="{sw}" stroke-dasharray="5 3"/>')
    else:
        shape = (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{RADIUS}" fill="{fill}" '
                 f'stroke="{stroke}" stroke-width="{sw}"/>')
    label = _label(u, value)
    x0, y0, x1, y1 = label_ink(label)
    room = (BIAS_HALF if u.is_bias else 1.0) * RADIUS - sw / 2 - 1
    size = round(fitting_size(x1 - x0, y1 - y0, LABEL_SIZE, room, u.is_bias), 1)
    baseline = cy + size * (y0 + y1) / 2                 # the ink centred on the unit
    name = f"a{sup(u.layer)} bias unit a₀ = 1" if u.is_bias else f"unit {u.j} of layer {u.layer}"
    if value is not None:
        name += f": {number_text(value)}"
    return (f'<g class="{cls}" data-layer="{u.layer}" data-unit="{u.j}">'
            f"<title>{name}</title>{shape}"
            f'<text x="{cx:.1f}" y="{baseline:.1f}" text-anchor="middle" font-size="{size:g}" '
            f'fill="{ink}">{label}</text></g>')


_GRADIENT_IDS = itertools.count(1)
"""Numbers for the colour bars' gradients: every picture gets an id of its own. A page that
shows many pictures (a stepper keeps one per step, all but one hidden) would otherwise have
one id many times, and ``url(#…)`` would find the gradient of a hidden picture, which is not
drawn: a blank colour bar."""


def _svg_legend(scale: float, cx: float, y: float, label: str | None) -> str:
    """A colour bar from −scale to +scale under the network, saying what it measures."""
    w, h = 240, 14
    gradient = f"bp-cbar-{next(_GRADIENT_IDS)}"
    stops = "".join(f'<stop offset="{t:.2f}" stop-color="{fill_colour((2 * t - 1) * scale, scale)}"/>'
                    for t in np.linspace(0, 1, 11))
    left = cx - w / 2
    return (f'<g class="bp-legend"><defs><linearGradient id="{gradient}">{stops}</linearGradient>'
            f'</defs><rect x="{left:.1f}" y="{y:.1f}" width="{w}" height="{h}" '
            f'fill="url(#{gradient})" stroke="#404040" stroke-width="0.8"/>'
            f'<text x="{left - 8:.1f}" y="{y + 12:.1f}" text-anchor="end" font-size="14" '
            f'fill="{INK}">{number_text(-scale)}</text>'
            f'<text x="{cx:.1f}" y="{y + h + 17:.1f}" text-anchor="middle" font-size="14" '
            f'fill="{INK}">0</text>'
            f'<text x="{left + w + 8:.1f}" y="{y + 12:.1f}" font-size="14" fill="{INK}">'
            f"{number_text(scale)}</text>"
            + (f'<text class="bp-legend-label" x="{cx:.1f}" y="{y + h + 40:.1f}" '
               f'text-anchor="middle" font-size="15" fill="{INK}">colour: '
               f"{html.escape(label)}</text>" if label else "") + "</g>")
