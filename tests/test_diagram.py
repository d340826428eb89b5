"""The network diagram: layout, labels, colours and highlights, in matplotlib and in SVG."""

import re
import xml.etree.ElementTree as ET

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
    fill_colour,
    highlighted,
    layout,
    network_svg,
    plot_backward_pass,
    trace_sizes,
    unit_values,
)
from nbhelpers.display.trace import trace_backprop
from nbhelpers.display.typeset import number_text

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
    assert labels == [number_text(v) for v in bp.delta[4]]
    bold = [e for e in ET.fromstring(svg).iter(f"{SVG}line") if "bp-highlight" in e.get("class")]
    assert len(bold) == 4 * 6                                          # Θ⁽³⁾ is 4 × (5 + 1)


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
            assert number_text(v) in texts
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
    assert all(number_text(v) in labels for v in bp.delta[4])
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
    assert labels[1] == "0" and labels[-1] == number_text(63 / 64)


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
