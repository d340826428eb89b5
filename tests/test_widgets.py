"""The widgets driven headless: set values, click buttons, call the API; check what is shown."""

import re
import xml.etree.ElementTree as ET

import ipywidgets as w
import matplotlib
import numpy as np
import pytest

import nbhelpers as nb
from nbhelpers.course.bugs import BUGS, zoo_problem
from nbhelpers.display.diagram import colours
from nbhelpers.display.typeset import array_text, number_text
from nbhelpers.display.widgets import (
    AccumulatorExplorer,
    BackpropStepper,
    GradientCheckExplorer,
    plot_accumulation,
    plot_gradient_check,
    time_per_step,
)
from nbhelpers.gradcheck import numerical_gradient

matplotlib.use("Agg")
SVG = "{http://www.w3.org/2000/svg}"
CELL = re.compile(r'<td style="background:(#[0-9a-f]{6});color:#[0-9A-F]{6}" '
                  r'title="([^"]+)">([^<]+)</td>')


def find(widget: w.Widget, css_class: str) -> w.Widget:
    """The one widget in the tree carrying ``css_class`` (the stable DOM hook)."""
    found = []

    def walk(x: w.Widget) -> None:
        if css_class in getattr(x, "_dom_classes", ()):
            found.append(x)
        for child in getattr(x, "children", ()):
            walk(child)

    walk(widget)
    assert len(found) == 1, f"{len(found)} widgets with class {css_class}"
    return found[0]


def highlighted_layers(svg: str) -> list[int]:
    root = ET.fromstring(svg)
    return [int(g.get("data-layer")) for g in root.iter(f"{SVG}g")
            if g.get("class", "").split()[:1] == ["bp-layer"] and "bp-highlight" in g.get("class")]


def unit_labels(svg: str, layer: int) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text for g in root.iter(f"{SVG}g") if "bp-unit" in g.get("class", "")
            and g.get("data-layer") == str(layer) and g.get("data-unit") != "0"
            for t in g.iter(f"{SVG}text")]


def cells(html: str) -> list[tuple[str, float, str]]:
    """(background, full value, shown text) of every table cell, in order."""
    return [(bg, float(v), text) for bg, v, text in CELL.findall(html)]


@pytest.fixture
def problem():
    return nb.lecture_network(m=3)


@pytest.fixture
def stepper(problem):
    return BackpropStepper(problem.Theta, problem.X, problem.Y, lam=1.0)


# --- the stepper ---------------------------------------------------------------------------

def test_stepper_starts_at_a1(stepper, problem):
    ui = stepper.widget
    assert "bp-stepper" in ui._dom_classes
    assert stepper.step == 0 and stepper.current.symbol == "a[1]"
    assert find(ui, "bp-counter").value == f"step 1 of {len(stepper.steps)}"
    assert find(ui, "bp-title").value == stepper.steps[0].title.replace("&", "&amp;")
    assert find(ui, "bp-prev").disabled and not find(ui, "bp-next").disabled
    assert highlighted_layers(find(ui, "bp-diagram").value) == [1]


def test_clicking_next_walks_to_delta_L_and_prev_goes_back(stepper, problem):
    ui = stepper.widget
    bp = nb.backprop_example(problem.Theta, problem.X[0], problem.Y[0])
    while stepper.current.symbol != "delta[4]":
        find(ui, "bp-next").click()
    k = stepper.step
    assert find(ui, "bp-title").value.startswith("Compare the output with the label")
    assert find(ui, "bp-equation-text").value == "δ⁽⁴⁾ = a⁽⁴⁾ − y"
    assert find(ui, "bp-equation").value == r"$$\delta^{(4)} = a^{(4)} - y$$"
    assert find(ui, "bp-numbers-text").value == (
        f"δ⁽⁴⁾ = {array_text(bp.a[4])} − {array_text(problem.Y[0])} = {array_text(bp.delta[4])}")
    assert "\\begin{bmatrix}" in find(ui, "bp-numbers").value
    svg = find(ui, "bp-diagram").value
    assert highlighted_layers(svg) == [4]
    assert unit_labels(svg, 4) == [number_text(v) for v in bp.delta[4]]
    np.testing.assert_array_equal(stepper.current.value, bp.delta[4])
    assert "colour: δ⁽⁴⁾</text>" in svg
    assert find(ui, "bp-counter").value == f"step {k + 1} of {len(stepper.steps)}"
    find(ui, "bp-prev").click()
    assert stepper.step == k - 1 and stepper.current.symbol == "a[4]"
    assert highlighted_layers(find(ui, "bp-diagram").value) == [4]
    assert find(ui, "bp-equation-text").value == "a⁽⁴⁾ = h_Θ(x) = g(z⁽⁴⁾)"


def test_backward_steps_show_deltas_forward_steps_activations(stepper, problem):
    bp = nb.backprop_example(problem.Theta, problem.X[0], problem.Y[0])
    stepper.step = [s.symbol for s in stepper.steps].index("delta[2]")
    svg = find(stepper.widget, "bp-diagram").value
    assert highlighted_layers(svg) == [2]
    for l in (2, 3, 4):
        assert unit_labels(svg, l) == [number_text(v) for v in bp.delta[l]]
    assert unit_labels(svg, 1) == [None] * 3                   # no δ⁽¹⁾: empty units
    stepper.step = [s.symbol for s in stepper.steps].index("a[3]")
    svg = find(stepper.widget, "bp-diagram").value
    for l in (1, 2, 3):
        assert unit_labels(svg, l) == [number_text(v) for v in bp.a[l][1:]]


def test_value_tables_show_the_steps_arrays(stepper, problem):
    stepper.step = [s.symbol for s in stepper.steps].index("z[2]")
    shown = cells(find(stepper.widget, "bp-values").value)
    values = [v for _, v, _ in shown]
    expected = np.concatenate([problem.Theta[1].ravel(), stepper.current.operands[1].value,
                               stepper.current.value])
    np.testing.assert_allclose(values, expected)
    assert all(text == number_text(v) for _, v, text in shown)


def test_reset_and_the_ends(stepper):
    ui = stepper.widget
    n = len(stepper.steps)
    stepper.step = n - 1
    assert find(ui, "bp-next").disabled
    assert stepper.next().symbol == "D[1]" and stepper.step == n - 1   # stays on the last
    find(ui, "bp-reset").click()
    assert stepper.step == 0 and stepper.prev().symbol == "a[1]"


def test_the_slider_is_the_step_so_play_moves_it(stepper):
    ui = stepper.widget
    slider, play = find(ui, "bp-slider"), find(ui, "bp-play")
    assert isinstance(play, w.Play) and (play.min, play.max) == (slider.min, slider.max)
    slider.value = 5                      # what the linked Play does in the browser
    assert stepper.step == 5 and find(ui, "bp-counter").value.startswith("step 6 of")


def test_example_chooser_changes_the_numbers(stepper, problem):
    ui = stepper.widget
    stepper.step = [s.symbol for s in stepper.steps].index("delta[3]")
    before = find(ui, "bp-numbers-text").value
    find(ui, "bp-example").value = 3
    assert stepper.example == 3 and stepper.current.symbol == "delta[3]"
    after = find(ui, "bp-numbers-text").value
    assert after != before
    bp = nb.backprop_example(problem.Theta, problem.X[2], problem.Y[2])
    np.testing.assert_array_equal(stepper.current.value, bp.delta[3])
    assert after.endswith(array_text(bp.delta[3]))
    stepper.example = 1
    assert find(ui, "bp-numbers-text").value == before


def test_lambda_and_m_turn_delta_into_d(stepper, problem):
    ui = stepper.widget
    lam_w, m_w = find(ui, "bp-lambda"), find(ui, "bp-m")
    assert stepper.current.phase == "forward"
    assert find(ui, "bp-d-controls").layout.display == "none"           # hidden off the D steps
    stepper.step = [s.symbol for s in stepper.steps].index("D[2]")
    assert find(ui, "bp-d-controls").layout.display is None
    for lam, m in [(1.0, 3), (0.0, 3), (2.5, 2), (2.5, 1)]:
        lam_w.value, m_w.value = lam, m
        Delta = nb.accumulate(problem.Theta, problem.X[:m], problem.Y[:m])
        D = nb.d_terms(Delta, problem.Theta, m, lam)
        np.testing.assert_allclose(stepper.current.value, D[2], atol=1e-15)
        assert (stepper.lam, stepper.m) == (lam, m)
        assert f"(1/{m})·" in find(ui, "bp-numbers-text").value
    stepper.lam, stepper.m = 0.5, 3
    assert (lam_w.value, m_w.value) == (0.5, 3)


def test_two_steppers_are_independent(problem):
    one = BackpropStepper(problem.Theta, problem.X, problem.Y)
    two = BackpropStepper(problem.Theta, problem.X, problem.Y)
    one.step, one.example = 8, 2
    assert (two.step, two.example) == (0, 1)
    assert find(two.widget, "bp-counter").value.startswith("step 1 of")
    find(two.widget, "bp-next").click()
    assert (one.step, two.step) == (8, 1)
    one.close()
    assert two.next().symbol == "a[2]"


def test_stepper_rejects_bad_values_in_plain_words(stepper):
    with pytest.raises(ValueError, match="step must be a whole number from 0 to 17"):
        stepper.step = 18
    with pytest.raises(ValueError, match=r"example must be a whole number from 1 to 3 \(the "):
        stepper.example = 0
    with pytest.raises(ValueError, match="λ"):
        stepper.lam = -1.0
    with pytest.raises(ValueError, match="Theta"):
        BackpropStepper({0: np.zeros((2, 3))}, [[1, 2]], [[1, 0]])


def test_time_per_step_visits_every_step_and_restores(stepper):
    stepper.step = 4
    visited = []
    find(stepper.widget, "bp-slider").observe(lambda c: visited.append(c["new"]), "value")
    seconds = time_per_step(stepper, repeats=2)
    n = len(stepper.steps)
    assert isinstance(seconds, float) and seconds > 0
    assert sorted(visited) == sorted(list(range(n)) * 2) and stepper.step == 4


def test_a_cell_ending_in_a_widget_displays_its_tree(stepper, problem, monkeypatch):
    import nbhelpers.display.explorers
    import nbhelpers.display.stepper
    shown = []
    for module in (nbhelpers.display.stepper, nbhelpers.display.explorers):
        monkeypatch.setattr(module, "_display", shown.append)
    acc = AccumulatorExplorer(problem.Theta, problem.X, problem.Y)
    gc = GradientCheckExplorer(problem.Theta, problem.X, problem.Y)
    for widget in (stepper, acc, gc):
        widget._ipython_display_()
    assert shown == [stepper.widget, acc.widget, gc.widget]


# --- the accumulator explorer --------------------------------------------------------------

def test_accumulator_shows_delta_after_i_examples(problem):
    acc = AccumulatorExplorer(problem.Theta, problem.X, problem.Y, lam=1.0)
    history = nb.accumulation_history(problem.Theta, problem.X, problem.Y)
    scale = {l: np.max(np.abs([h[l] for h in history])) for l in (1, 2, 3)}   # all i
    slider, shown = find(acc.widget, "bp-acc-slider"), find(acc.widget, "bp-acc-delta")
    assert (slider.min, slider.max, acc.i) == (0, 3, 3)
    for i in (0, 1, 2, 3):
        slider.value = i
        for l in (1, 2, 3):
            np.testing.assert_array_equal(acc.Delta[l], history[i][l])
        tables = cells(shown.value)
        n_delta = sum(h.size for h in history[i].values())
        expected = []                      # per layer: Δ after i, then what example i added
        for l in (1, 2, 3):
            expected.append(history[i][l].ravel())
            if i > 0:
                expected.append((history[i][l] - history[i - 1][l]).ravel())
        np.testing.assert_allclose([v for _, v, _ in tables], np.concatenate(expected),
                                   atol=1e-15)
        # one fixed colour scale per layer, whatever i is
        for bg, v, _ in tables[:history[i][1].size]:
            assert bg == colours(v, scale[1])[0]
        assert len(tables) == (2 if i else 1) * n_delta


def test_accumulator_shows_d_split_at_the_end(problem):
    acc = AccumulatorExplorer(problem.Theta, problem.X, problem.Y, lam=2.0)
    D = nb.backprop(problem.Theta, problem.X, problem.Y, 2.0)
    d_box = find(acc.widget, "bp-acc-d")
    values = [v for _, v, _ in cells(d_box.value)]
    expected = np.concatenate([np.concatenate([(D.Delta[l] / 3).ravel(),
                                               D.regularization[l].ravel(), D[l].ravel()])
                               for l in (1, 2, 3)])
    np.testing.assert_allclose(values, expected, atol=1e-15)
    acc.i = 1
    assert not cells(d_box.value) and "move i to 3" in d_box.value
    assert "After example i = 1 of m = 3" in find(acc.widget, "bp-acc-title").value
    acc.i = 0
    assert "Before the loop" in find(acc.widget, "bp-acc-title").value
    with pytest.raises(ValueError, match="i must be a whole number from 0 to 3"):
        acc.i = 4


# --- the gradient-check explorer -----------------------------------------------------------

@pytest.fixture(scope="module")
def zoo():
    return zoo_problem(m=4)


def test_gradient_check_matches_finite_differences(zoo):
    gc = GradientCheckExplorer(zoo.Theta, zoo.X, zoo.Y, lam=1.0)
    assert gc.epsilon == pytest.approx(1e-4) and gc.bug is None
    assert gc.relative_difference == pytest.approx(
        nb.gradient_check(zoo.Theta, zoo.X, zoo.Y, 1.0, epsilon=gc.epsilon), rel=1e-12)
    assert gc.relative_difference < 1e-7
    readout = find(gc.widget, "bp-reldiff").value
    assert number_text(gc.relative_difference) in readout and "agree" in readout
    eps_w = find(gc.widget, "bp-eps")
    eps_w.value = 1e-7
    J = lambda T: nb.cost(T, zoo.X, zoo.Y, 1.0)  # noqa: E731
    expected = numerical_gradient(J, zoo.Theta, 1e-7)
    for l in expected:
        np.testing.assert_allclose(gc.numeric[l], expected[l], rtol=1e-12, atol=1e-15)
    assert number_text(gc.relative_difference) in find(gc.widget, "bp-reldiff").value
    shown = cells(find(gc.widget, "bp-gc-values").value)
    n = expected[1].size
    np.testing.assert_allclose([v for _, v, _ in shown[:n]], expected[1].ravel(), atol=1e-15)
    # numeric, D and their difference share one colour scale: a tiny difference looks pale
    diff = shown[2 * n:3 * n]
    np.testing.assert_allclose([v for _, v, _ in diff], (expected[1] - gc.analytic[1]).ravel(),
                               atol=1e-15)
    scale = max(np.max(np.abs(expected[1])), np.max(np.abs(gc.analytic[1])))
    assert all(bg == colours(v, scale)[0] for bg, v, _ in diff)
    assert {bg for bg, _, _ in diff} == {colours(0.0, 1.0)[0]}


def test_an_injected_bug_is_caught(zoo):
    gc = GradientCheckExplorer(zoo.Theta, zoo.X, zoo.Y, lam=1.0)
    assert set(gc.bugs) == {k for k, b in BUGS.items() if b.gradient_bug}
    chooser = find(gc.widget, "bp-bug")
    chooser.value = "missing_1_over_m"
    D = BUGS["missing_1_over_m"].gradient(zoo.Theta, zoo.X, zoo.Y, 1.0)
    for l in D:
        np.testing.assert_array_equal(gc.analytic[l], D[l])
    assert gc.relative_difference > 1e-3
    assert "a bug" in find(gc.widget, "bp-reldiff").value
    assert "average" in find(gc.widget, "bp-bug-description").value
    gc.bug = None
    assert gc.relative_difference < 1e-7


def test_bugs_that_cannot_run_are_not_offered(problem):
    gc = GradientCheckExplorer(problem.Theta, problem.X, problem.Y)
    assert "transposed_theta" not in gc.bugs
    with pytest.raises(ValueError, match="bug must be None or one of"):
        gc.bug = "transposed_theta"
    with pytest.raises(ValueError, match=re.escape("epsilon must be a number from 1e-10 to 0.1")):
        gc.epsilon = 0.5


# --- the static figures --------------------------------------------------------------------

def test_plot_accumulation_draws_the_history(problem):
    fig = plot_accumulation(problem.Theta, problem.X, problem.Y, lam=1.0, after=[1, 3])
    history = nb.accumulation_history(problem.Theta, problem.X, problem.Y)
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert len(images) == 3 * 3                         # 3 layers × (2 Δ columns + D)
    np.testing.assert_array_equal(images[0].get_array(), history[1][1])
    np.testing.assert_array_equal(images[1].get_array(), history[3][1])
    biggest = np.max(np.abs([h[1] for h in history]))   # over every i, not just those drawn
    assert images[0].get_clim() == images[1].get_clim() == (-biggest, biggest)
    matplotlib.pyplot.close(fig)


def test_plot_gradient_check_draws_relative_differences(zoo):
    eps = [1e-6, 1e-4]
    fig = plot_gradient_check(zoo.Theta, zoo.X, zoo.Y, 1.0, epsilons=eps,
                              bugs=["missing_1_over_m"])
    lines = fig.axes[0].get_lines()
    assert [ln.get_label() for ln in lines] == ["the lecture's algorithm", "a missing 1/m"]
    expected = [nb.gradient_check(zoo.Theta, zoo.X, zoo.Y, 1.0, epsilon=e) for e in eps]
    np.testing.assert_allclose(lines[0].get_ydata(), expected, rtol=1e-9)
    assert min(lines[1].get_ydata()) > 1e-3
    matplotlib.pyplot.close(fig)
