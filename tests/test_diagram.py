"""The network diagram: layout, labels, colours and highlights, in matplotlib and in SVG."""

import re
import xml.etree.ElementTree as ET
from functools import cache

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.collections import PatchCollection
from matplotlib.colors import to_rgb

import nbhelpers as nb
from nbhelpers.display.diagram import (
    draw_network,
    draw_trace,
    highlighted,
    layout,
    network_svg,
    plot_backward_pass,
    trace_sizes,
    unit_values,
)
from nbhelpers.display.style import fill_colour
from nbhelpers.display.trace import trace_backprop
from nbhelpers.display.typeset import unit_text

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def example():
    p = nb.lecture_network()
    return p, nb.backprop_example(p.Theta, p.X[0], p.Y[0])


def _groups(svg: str, cls: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [g for g in root.iter(f"{SVG}g") if cls in g.get("class", "").split()]


def test_layout_puts_layers_in_columns_and_bias_units_on_top():
    lay = layout([3, 5, 5, 4])
    assert [len(lay.layer(l)) for l in (1, 2, 3, 4)] == [4, 6, 6, 4]   # bias in layers 1…3
    assert [u.j for u in lay.layer(2)] == [0, 1, 2, 3, 4, 5]
    assert {u.x for u in lay.layer(3)} == {2.0}
    assert lay.layer(2)[0].is_bias and lay.layer(2)[0].y == 0.0       # the tallest layer
    assert lay.layer(1)[0].y == 1.0                                   # centred: (6 − 4) / 2
    assert not any(u.is_bias for u in lay.layer(4))                   # the output has none
    assert not any(u.is_bias for u in layout([3, 5, 4], show_bias=False).units)


def test_unit_values_number_units_as_the_lecture_does(example):
    p, bp = example
    a = unit_values(p.sizes, bp.a)
    assert a[(2, 0)] == 1.0 and a[(2, 1)] == bp.a[2][1]               # a⁽²⁾ starts with a₀
    d = unit_values(p.sizes, bp.delta)
    assert d[(2, 1)] == bp.delta[2][0] and (2, 0) not in d            # δ⁽²⁾ has no bias entry
    assert d[(4, 4)] == bp.delta[4][3]


@pytest.mark.parametrize("values, message", [
    ({2: np.zeros(3)}, "layer 2 has s⁽²⁾ = 5 units, so its vector must have length 5 or 6"),
    ({4: np.zeros(5)}, "must have length 4"),
    ({5: np.zeros(4)}, "numbered 1…4"),
    ({2: np.zeros((2, 5))}, "for a batch pick one example's row"),
])
def test_unit_values_explain_a_wrong_vector(values, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        unit_values([3, 5, 5, 4], values)


def test_highlight_a_layer_or_chosen_units():
    assert highlighted([3, 5, 4], 3) == {(3, 1), (3, 2), (3, 3), (3, 4)}
    assert highlighted([3, 5, 4], {2: [0, 5]}) == {(2, 0), (2, 5)}
    assert (1, 0) in highlighted([3, 5, 4], {1: None})
    with pytest.raises(ValueError, match="unit 6 of layer 2"):
        highlighted([3, 5, 4], {2: [6]})
    with pytest.raises(ValueError, match="numbered 1…3"):
        highlighted([3, 5, 4], 0)


def test_colours_diverge_by_sign_and_labels_use_a_true_minus():
    red, _, blue = to_rgb(fill_colour(-0.8, 1.0))
    assert red > blue                                                 # negative: red side
    red, _, blue = to_rgb(fill_colour(0.8, 1.0))
    assert blue > red                                                 # positive: blue side
    assert to_rgb(fill_colour(0.0, 1.0)) == pytest.approx((0.97, 0.97, 0.97), abs=0.03)
    assert fill_colour(5.0, 1.0) == fill_colour(1.0, 1.0)             # clipped at vmax


def test_svg_marks_layers_units_and_values(example):
    p, bp = example
    svg = network_svg(p.sizes, bp.delta, highlight=4, edges=3)
    layers = _groups(svg, "bp-layer")
    assert [g.get("data-layer") for g in layers] == ["1", "2", "3", "4"]
    assert [g.get("data-layer") for g in _groups(svg, "bp-highlight")
            if "bp-layer" in g.get("class")] == ["4"]
    marked_units = [(u.get("data-layer"), u.get("data-unit")) for u in _groups(svg, "bp-unit")
                    if "bp-highlight" in u.get("class")]
    assert marked_units == [("4", "1"), ("4", "2"), ("4", "3"), ("4", "4")]
    labels = [t.text for u in _groups(svg, "bp-unit") if u.get("data-layer") == "4"
              for t in u.iter(f"{SVG}text")]
    assert labels == [unit_text(v) for v in bp.delta[4]]
    bold = [e for e in ET.fromstring(svg).iter(f"{SVG}line") if "bp-highlight" in e.get("class")]
    assert len(bold) == 4 * 6                                          # Θ⁽³⁾ is 4 × (5 + 1)


def test_each_colour_bar_has_a_gradient_id_of_its_own_and_uses_it(example):
    """Two pictures on one page (a stepper keeps one per step) must not share an id: url(#id)
    would find the first picture's gradient, hidden with its picture, and draw nothing."""
    p, bp = example
    ids = []
    for _ in range(3):
        svg = network_svg(p.sizes, bp.delta, highlight=4)
        root = ET.fromstring(svg)
        gradients = [g.get("id") for g in root.iter(f"{SVG}linearGradient")]
        assert len(gradients) == 1 and gradients[0].startswith("bp-cbar-")
        fills = [r.get("fill") for r in root.iter(f"{SVG}rect") if "url(" in (r.get("fill") or "")]
        assert fills == [f"url(#{gradients[0]})"]
        ids += gradients
    assert len(set(ids)) == 3


def test_svg_without_values_shows_bias_units_only():
    svg = network_svg([2, 3, 1])
    texts = [t.text for u in _groups(svg, "bp-unit") for t in u.iter(f"{SVG}text")]
    assert texts.count("+1") == 2 and set(texts) == {"+1", None}
    assert "bp-legend" not in svg


def test_draw_network_labels_every_unit_and_outlines_the_highlight(example):
    p, bp = example
    ax = draw_network(p.sizes, bp.a, highlight={3: [1]}, title="activations")
    texts = [t.get_text() for t in ax.texts]
    for l in (1, 2, 3, 4):
        for v in bp.a[l]:
            assert unit_text(v) in texts
    assert "Layer 4\n(output)" in texts and ax.get_title() == "activations"
    circles, squares = (c for c in ax.collections if isinstance(c, PatchCollection))
    widths = sorted([*circles.get_linewidths(), *squares.get_linewidths()])
    assert len(widths) == 4 + 6 + 6 + 4                                # every unit, bias too
    assert widths[-1] == 3.0 and widths[-2] == 1.0                     # exactly one outlined
    assert list(squares.get_linestyles()) != list(circles.get_linestyles())  # bias: dashed
    plt.close(ax.figure)


def test_draw_network_into_given_axes_for_a_grid():
    fig, axes = plt.subplots(1, 2)
    out = draw_network([2, 2, 1], {3: [0.3]}, ax=axes[1], colorbar=False)
    assert out is axes[1] and not axes[0].collections
    plt.close(fig)


def test_draw_trace_draws_every_step_with_its_equation(example):
    p, bp = example
    steps = trace_backprop(p.Theta, p.X[0], p.Y[0])
    fig = draw_trace(steps, ncols=4)
    drawn = [ax for ax in fig.axes if ax.collections]
    assert len(drawn) == len(steps) == 15 and len(fig.axes) == 16     # one empty panel
    for k, (ax, step) in enumerate(zip(drawn, steps, strict=True)):
        assert ax.get_title().startswith(f"{k + 1}. ")
        assert ax.get_title().endswith(step.equation_text)
    delta4 = drawn[[s.symbol for s in steps].index("delta[4]")]
    labels = [t.get_text() for t in delta4.texts]
    assert all(unit_text(v) in labels for v in bp.delta[4])
    plt.close(fig)


def test_trace_sizes_and_backward_pass_phases(example):
    p, _ = example
    assert trace_sizes(trace_backprop(p.Theta, p.X[0], p.Y[0])) == [3, 5, 5, 4]
    fig = plot_backward_pass(p.Theta, p.X[0], p.Y[0], phases=["backward"])
    titles = [ax.get_title() for ax in fig.axes if ax.collections]
    assert len(titles) == 5 and titles[0].endswith("δ⁽⁴⁾ = a⁽⁴⁾ − y")
    plt.close(fig)
    with pytest.raises(ValueError, match="unknown phase"):
        plot_backward_pass(p.Theta, p.X[0], p.Y[0], phases=["sideways"])


def test_long_layers_are_shortened_with_a_gap():
    lay = layout([64, 25, 10])
    assert [u.j for u in lay.layer(1)] == [0, 1, 2, 3, 4, 5, 6, 63, 64]
    assert [u.j for u in lay.layer(2)] == [0, 1, 2, 3, 4, 5, 6, 24, 25]
    assert len(lay.layer(3)) == 10 and [gx for gx, _ in lay.gaps] == [0.0, 1.0]
    svg = network_svg([64, 25, 10], {1: np.arange(64.0) / 64}, highlight={1: [64]})
    assert "(input, 64 units)" in svg and svg.count('class="bp-gap"') == 2
    marked = [u.get("data-unit") for u in _groups(svg, "bp-highlight") if "bp-unit" in u.get("class")]
    assert marked == ["64"]
    labels = [t.text for u in _groups(svg, "bp-unit") if u.get("data-layer") == "1"
              for t in u.iter(f"{SVG}text")]
    assert labels[1] == "0" and labels[-1] == unit_text(63 / 64)


def test_delta_step_leaves_the_bias_units_weights_thin() -> None:
    """δ⁽ˡ⁾ uses Θ⁽ˡ⁾ without column 0, so the bias unit's outgoing weights are not highlighted;
    z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾a⁽ˡ⁾ uses them, so there they are."""
    p = nb.lecture_network()
    steps = {s.symbol: s for s in trace_backprop(p.Theta, p.X[0], p.Y[0])}
    for symbol, bias_bold in (("delta[3]", False), ("z[4]", True)):
        s = steps[symbol]
        svg = network_svg(p.sizes, s.shown, s.highlight, edges=s.edges, edge_bias=s.edge_bias)
        bold = re.findall(r'<line class="bp-edge bp-highlight" x1="([\d.]+)" y1="([\d.]+)"', svg)
        starts = {(float(x), float(y)) for x, y in bold}
        n_units = p.sizes[2] + (1 if bias_bold else 0)       # layer 3's units sending weights
        assert len(starts) == n_units
        assert len(bold) == n_units * p.sizes[3]


# --- every label fits inside its unit ------------------------------------------------------

EXTREMES = [-1.5e20, -12345.0, -999.6, -123.4, -9.996, -0.5812, -0.0412, -0.00894, -5.4e-4,
            -3.2e-6, -1e-12, 0.0, 1e-12, 7.5e-4, 0.0995, 1.25, 99.96, 12345.0, 3e20]


def _extreme_values() -> dict[int, np.ndarray]:
    """Tiny, huge and negative values on every unit of a 4-7-6 network, bias units included."""
    v = np.array(EXTREMES)
    return {1: v[:5], 2: v[5:13], 3: v[13:]}


def _mpl_labels_fit(ax) -> list[float]:
    """Assert that every value label of a drawn network lies inside its unit (its window extent,
    the line's height included, within the unit's outline); return the labels' font sizes."""
    renderer = ax.figure.canvas.get_renderer()
    units = {}
    for coll in ax.collections:
        if not isinstance(coll, PatchCollection) or not coll.get_paths():
            continue
        square = coll.get_linestyles()[0][1] is not None          # bias units: dashed squares
        for path, width in zip(coll.get_paths(), np.broadcast_to(coll.get_linewidths(),
                                                              len(coll.get_paths())),
                               strict=True):
            box = ax.transData.transform_path(path).get_extents()
            units[(round(box.x0 + box.width / 2), round(box.y0 + box.height / 2))] = (
                box, square, renderer.points_to_pixels(width))
    sizes = []
    for text in ax.texts:
        cx, cy = ax.transData.transform(text.get_position())
        on = [u for (x, y), u in units.items() if abs(x - cx) <= 1 and abs(y - cy) <= 1]
        if not on:
            continue                                           # captions, ⋮
        (box, square, line), = on
        tb = text.get_window_extent(renderer)
        inner = box.width / 2 - line / 2
        dx = max(abs(tb.x0 - cx), abs(tb.x1 - cx))
        dy = max(abs(tb.y0 - cy), abs(tb.y1 - cy))
        if square:
            assert dx <= inner and dy <= inner, (text.get_text(), dx, dy, inner)
        else:
            assert np.hypot(dx, dy) <= inner, (text.get_text(), dx, dy, inner)
        sizes.append(text.get_fontsize())
    return sizes


@cache
def _ink_box(text: str, size: float) -> tuple[float, float, float, float, float]:
    """Advance width and ink (x0, y0, x1, y1, y up) of a text in DejaVu Sans at ``size``."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath, text_to_path

    font = FontProperties(family="DejaVu Sans", size=size)
    advance = text_to_path.get_text_width_height_descent(text, font, ismath=False)[0]
    ink = TextPath((0, 0), text, size=size, prop=font).get_extents()
    return advance, ink.x0, ink.y0, ink.x1, ink.y1


def _svg_labels_fit(svg: str) -> list[float]:
    """Assert that the ink of every unit's label (DejaVu Sans, the SVG's first font, wider than
    its fallback Arial) lies inside the unit's outline; return the labels' font sizes."""
    sizes = []
    for g in _groups(svg, "bp-unit"):
        text = g.find(f"{SVG}text")
        if not text.text:
            continue
        size = float(text.get("font-size"))
        advance, x0, y0, x1, y1 = _ink_box(text.text, size)
        start, baseline = float(text.get("x")) - advance / 2, float(text.get("y"))
        left, right = start + x0, start + x1
        top, bottom = baseline - y1, baseline - y0
        circle, rect = g.find(f"{SVG}circle"), g.find(f"{SVG}rect")
        shape = circle if circle is not None else rect
        line = float(shape.get("stroke-width")) / 2
        if circle is not None:
            cx, cy, r = (float(circle.get(k)) for k in ("cx", "cy", "r"))
            corners = [(x - cx, y - cy) for x in (left, right) for y in (top, bottom)]
            assert max(np.hypot(*c) for c in corners) <= r - line, (text.text, size)
        else:
            x, y, w, h = (float(rect.get(k)) for k in ("x", "y", "width", "height"))
            assert x + line <= left and right <= x + w - line, (text.text, size)
            assert y + line <= top and bottom <= y + h - line, (text.text, size)
        sizes.append(size)
    return sizes


def _steps_of(p, examples: int) -> list:
    return [s for i in range(examples) for s in trace_backprop(p.Theta, p.X[i], p.Y[i])]


def _svg_of(sizes, step) -> str:
    return network_svg(sizes, step.shown, step.highlight, edges=step.edges,
                       edge_bias=step.edge_bias, vmax=step.vmax)


@pytest.mark.parametrize("network", ["lecture", "digits"])
def test_svg_labels_of_every_step_fit_at_full_size(network) -> None:
    """The stepper's diagrams: every step of the lecture's network (3 examples) and of the
    demo's digits network (10 examples); no label is written smaller than the others."""
    if network == "lecture":
        p = nb.lecture_network()
        steps = _steps_of(p, 3)
    else:
        digits = nb.load_digits()
        p = nb.Problem(nb.init_weights([64, 25, 10], rng=0), digits.X_train, digits.Y_train)
        steps = _steps_of(p, 10)
    sizes = [size for s in steps for size in _svg_labels_fit(_svg_of(p.sizes, s))]
    assert len(sizes) > 100 and set(sizes) == {13.0}


def test_svg_labels_of_extreme_values_fit() -> None:
    for highlight in (None, {1: None, 2: None, 3: None}):
        svg = network_svg([4, 7, 6], _extreme_values(), highlight)
        sizes = _svg_labels_fit(svg)
        assert len(sizes) == len(EXTREMES)
        circles = [float(t.get("font-size")) for g in _groups(svg, "bp-unit")
                   if g.find(f"{SVG}circle") is not None for t in g.iter(f"{SVG}text")]
        assert set(circles) == {13.0}           # every short form fits a unit at full size
        assert min(sizes) >= 8                  # a long value on a bias square: smaller


@pytest.mark.parametrize("fontsize", [11, 13, 15])
def test_matplotlib_labels_fit_in_a_new_figure_at_every_font_size(fontsize) -> None:
    """The notebooks draw with fontsize 11 to 15; a new figure is made large enough."""
    p = nb.lecture_network()
    bp = nb.backprop_example(p.Theta, p.X[0], p.Y[0])
    for values in (bp.delta, bp.a, nb.forward_propagate(p.Theta, p.X[0]).z):
        ax = draw_network(p.sizes, values, highlight=4, fontsize=fontsize, title="δ⁽ˡ⁾")
        ax.figure.canvas.draw()
        assert set(_mpl_labels_fit(ax)) == {fontsize}
        plt.close(ax.figure)
    ax = draw_network([4, 7, 6], _extreme_values(), fontsize=fontsize)
    ax.figure.canvas.draw()
    sizes = _mpl_labels_fit(ax)
    assert len(sizes) == len(EXTREMES) and sizes.count(fontsize) >= 13
    plt.close(ax.figure)


def test_matplotlib_labels_fit_in_given_axes_and_in_the_trace() -> None:
    """Notebook 01 draws two networks side by side at fontsize 13; 03 and 09 draw traces;
    a label that would stick out of a small figure is written smaller instead."""
    p = nb.lecture_network()
    fp = nb.forward_propagate(p.Theta, p.X[0])
    fig, (ax_z, ax_a) = plt.subplots(1, 2, figsize=(15, 6.5))
    draw_network(p.sizes, fp.z, ax=ax_z, fontsize=13, show_bias=False)
    draw_network(p.sizes, fp.a, ax=ax_a, fontsize=13)
    fig.canvas.draw()
    assert _mpl_labels_fit(ax_z) and _mpl_labels_fit(ax_a)
    plt.close(fig)
    fig = draw_trace(trace_backprop(p.Theta, p.X[0], p.Y[0]))
    fig.canvas.draw()
    assert {size for ax in fig.axes if ax.collections for size in _mpl_labels_fit(ax)} == {11}
    plt.close(fig)
    digits = nb.load_digits()
    Theta = nb.init_weights([64, 25, 10], rng=0)
    steps = trace_backprop(Theta, digits.X_train[0], digits.Y_train[0])
    fig = draw_trace([s for s in steps if s.phase == "backward"], [64, 25, 10])
    fig.canvas.draw()
    assert {size for ax in fig.axes if ax.collections for size in _mpl_labels_fit(ax)} == {11}
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(3, 2))                        # far too small: shrink
    draw_network([4, 7, 6], _extreme_values(), ax=ax, fontsize=13)
    fig.canvas.draw()
    assert min(_mpl_labels_fit(ax)) < 13
    plt.close(fig)


# --- legible on a dark page -----------------------------------------------------------------

def test_svg_has_its_own_background_and_every_text_contrasts_with_what_is_under_it(example):
    """In a dark theme the page behind the SVG is near black: the diagram brings its own white
    background, and no text inherits the page's colour."""
    from nbhelpers.display.style import BACKGROUND, contrast_ratio

    p, _ = example
    for step in trace_backprop(p.Theta, p.X[0], p.Y[0]):
        svg = network_svg(p.sizes, step.shown, step.highlight, edges=step.edges, legend="δ")
        root = ET.fromstring(svg)
        background = next(e for e in root if e.tag == f"{SVG}rect")
        assert "bp-background" in background.get("class")
        assert (background.get("x"), background.get("y")) == ("0", "0")
        assert background.get("width") == root.get("width")
        assert background.get("height") == root.get("height")
        assert background.get("fill") == BACKGROUND
        for g in _groups(svg, "bp-unit"):
            fill = next(e for e in g if e.tag in (f"{SVG}circle", f"{SVG}rect")).get("fill")
            ink = g.find(f"{SVG}text").get("fill")
            assert contrast_ratio(ink, fill) >= 4.5, (ink, fill)
        for text in root.iter(f"{SVG}text"):
            assert text.get("fill") is not None, ET.tostring(text)
        for g in (*_groups(svg, "bp-layer"), *_groups(svg, "bp-legend")):
            for text in g.findall(f"{SVG}text"):
                assert contrast_ratio(text.get("fill"), BACKGROUND) >= 4.5


def test_network_figures_have_an_opaque_white_background(example):
    from matplotlib.colors import to_rgba

    p, bp = example
    with matplotlib.rc_context({"figure.facecolor": "none"}):
        figures = [draw_network(p.sizes, bp.delta).figure,
                   draw_trace(trace_backprop(p.Theta, p.X[0], p.Y[0])[:2], p.sizes)]
        for fig in figures:
            assert to_rgba(fig.get_facecolor()) == (1.0, 1.0, 1.0, 1.0)
            plt.close(fig)
