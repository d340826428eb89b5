"""The widgets driven headless: set values, click buttons, call the API; check what is shown."""

import re
import xml.etree.ElementTree as ET
from html import escape

import ipywidgets as w
import matplotlib
import numpy as np
import pytest

import nbhelpers as nb
from nbhelpers.course.bugs import BUGS, GRADIENT_BUGS, zoo_problem
from nbhelpers.display.style import colours
from nbhelpers.display.typeset import array_text, number_text, unit_text
from nbhelpers.display.widgets import (
    AccumulatorExplorer,
    BackpropStepper,
    GradientCheckExplorer,
    plot_accumulation,
    plot_gradient_check,
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
        if css_class in getattr(x, "_dom_classes", ()) and not any(x is f for f in found):
            found.append(x)                # a widget shown in several places counts once
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

def shown_part(stepper, css_class: str) -> str:
    """The text inside the element of class ``css_class`` in the picture the stepper shows."""
    return part(html_of(stepper.shown), css_class)


def diagram(stepper) -> str:
    """The SVG of the diagram the stepper shows."""
    return shown_part(stepper, "bp-diagram bp-figure")


def html_of(widget: w.Widget) -> str:
    """All HTML of the HTML widgets in a tree, in order."""
    own = [widget.value] if isinstance(widget, w.HTML | w.HTMLMath) else []
    return "".join(own + [html_of(c) for c in getattr(widget, "children", ())])


def part(html: str, css_class: str) -> str:
    """The content of the first <div>/<span> whose class is exactly ``css_class`` (nested
    elements of the same tag included)."""
    found = re.search(rf'<(div|span) class="{css_class}">', html)
    assert found, f"no element of class {css_class}"
    tag, depth = found.group(1), 1
    for m in re.compile(rf"<(/?){tag}\b[^>]*>").finditer(html, found.end()):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return html[found.end():m.start()]
    raise AssertionError(f"element of class {css_class} is not closed")


# The link a front end with a live kernel answers (nbhelpers/display/kernel_only.py)
PING = ("bp-kernel-ping", "value", "bp-kernel-ping", "value")


def links(stepper_or_explorer) -> set[tuple[str, str, str, str]]:
    """The jslinks of a widget as (source class, trait, target class, trait)."""
    def name(x):
        return next(c for c in (*x._dom_classes, type(x).__name__) if c)
    return {(name(l.source[0]), l.source[1], name(l.target[0]), l.target[1])
            for l in stepper_or_explorer._links}


def test_stepper_starts_at_a1(stepper, problem):
    ui = stepper.widget
    assert "bp-stepper" in ui._dom_classes and "bp-size-normal" in ui._dom_classes
    assert stepper.step == 0 and stepper.current.symbol == "a[1]"
    assert shown_part(stepper, "bp-counter") == f"step 1 of {len(stepper.steps)}"
    assert shown_part(stepper, "bp-title") == stepper.steps[0].title.replace("&", "&amp;")
    assert find(ui, "bp-prev").disabled and not find(ui, "bp-next").disabled
    assert highlighted_layers(diagram(stepper)) == [1]


def test_every_step_is_rendered_once_and_linked_in_the_browser(stepper):
    """The stack holds one picture per step, each already filled; the slider picks it in
    the browser (jslink), and Play drives the slider."""
    stack = find(stepper.widget, "bp-stack")
    n = len(stepper.steps)
    # a Tab with its bar hidden: the browser keeps every picture's view and only hides them
    assert isinstance(stack, w.Tab) and len(stack.children) == n
    for k, (picture, step) in enumerate(zip(stack.children, stepper.steps, strict=True)):
        html = html_of(picture)
        assert part(html, "bp-counter") == f"step {k + 1} of {n}"
        assert part(html, "bp-equation-text") == step.equation_text.replace("&", "&amp;")
        assert f"$${step.equation}$$" in html
    assert links(stepper) == {("bp-play", "value", "bp-slider", "value"),
                              ("bp-slider", "value", "bp-stack", "selected_index"), PING}
    values_before = [html_of(c) for c in stack.children]
    stepper.step = 7                   # from Python: both the slider and the stack move
    assert stack.selected_index == 7 and stepper.shown is stack.children[7]
    assert [html_of(c) for c in stack.children] == values_before      # nothing re-rendered


def test_next_and_prev_are_handled_in_the_browser_with_the_kernel_as_fallback(stepper):
    style = html_of(stepper.widget.children[0])
    # the script that catches Next/Prev clicks and moves this stepper's slider by one
    assert 'class="bp-front-end"' in style and "onerror=" in style
    for hook in (".bp-next", ".bp-prev", ".bp-slider .noUi-handle", "ArrowRight",
                 "ArrowLeft", "stopPropagation"):
        assert hook in style
    assert "<script" not in style          # innerHTML does not run scripts
    # without the script the click reaches the kernel: the same step results
    find(stepper.widget, "bp-next").click()
    assert stepper.step == 1 and find(stepper.widget, "bp-stack").selected_index == 1


def test_the_page_script_also_sets_prev_and_next_at_the_ends_and_resets_with_play(stepper):
    """Without a kernel (the website) nothing else would enable Prev after the first Next:
    the script enables and disables both buttons from the slider's handle whenever it moves,
    and Reset presses the Play widget's stop button (back to its minimum, playing or not)."""
    style = html_of(stepper.widget.children[0])
    for hook in ("aria-valuenow", "aria-valuemin", "aria-valuemax", "MutationObserver",
                 ".bp-reset", ".bp-play .fa-stop", "button.bp-prev", "button.bp-next"):
        assert hook in style
    # the kernel's answer agrees with the script's: Prev off at the first step, Next at the last
    assert find(stepper.widget, "bp-prev").disabled
    stepper.step = len(stepper.steps) - 1
    assert find(stepper.widget, "bp-next").disabled and not find(stepper.widget, "bp-prev").disabled


def test_no_two_pictures_of_a_stepper_share_an_id(stepper):
    pictures = [html_of(p) for p in find(stepper.widget, "bp-stack").children]
    ids = [i for html in pictures for i in re.findall(r'\bid="([^"]+)"', html)]
    with_bar = sum('class="bp-legend"' in html for html in pictures)
    assert with_bar >= len(pictures) // 2 and len(ids) == with_bar   # one gradient per colour bar
    assert len(set(ids)) == len(ids)


def test_clicking_next_walks_to_delta_L_and_prev_goes_back(stepper, problem):
    ui = stepper.widget
    bp = nb.backprop_example(problem.Theta, problem.X[0], problem.Y[0])
    while stepper.current.symbol != "delta[4]":
        find(ui, "bp-next").click()
    k = stepper.step
    assert shown_part(stepper, "bp-title").startswith("Compare the output with the label")
    assert shown_part(stepper, "bp-equation-text") == "δ⁽⁴⁾ = a⁽⁴⁾ − y"
    assert shown_part(stepper, "bp-equation") == r"$$\delta^{(4)} = a^{(4)} - y$$"
    assert shown_part(stepper, "bp-numbers-text") == (
        f"δ⁽⁴⁾ = {array_text(bp.a[4])} − {array_text(problem.Y[0])} = {array_text(bp.delta[4])}")
    assert "\\begin{bmatrix}" in shown_part(stepper, "bp-numbers")
    svg = diagram(stepper)
    assert highlighted_layers(svg) == [4]
    assert unit_labels(svg, 4) == [unit_text(v) for v in bp.delta[4]]
    np.testing.assert_array_equal(stepper.current.value, bp.delta[4])
    assert "colour: δ⁽⁴⁾</text>" in svg
    assert shown_part(stepper, "bp-counter") == f"step {k + 1} of {len(stepper.steps)}"
    find(ui, "bp-prev").click()
    assert stepper.step == k - 1 and stepper.current.symbol == "a[4]"
    assert highlighted_layers(diagram(stepper)) == [4]
    assert shown_part(stepper, "bp-equation-text") == "a⁽⁴⁾ = h_Θ(x) = g(z⁽⁴⁾)"


def test_backward_steps_show_deltas_forward_steps_activations(stepper, problem):
    bp = nb.backprop_example(problem.Theta, problem.X[0], problem.Y[0])
    stepper.step = [s.symbol for s in stepper.steps].index("delta[2]")
    svg = diagram(stepper)
    assert highlighted_layers(svg) == [2]
    for l in (2, 3, 4):
        assert unit_labels(svg, l) == [unit_text(v) for v in bp.delta[l]]
    assert unit_labels(svg, 1) == [None] * 3                   # no δ⁽¹⁾: empty units
    stepper.step = [s.symbol for s in stepper.steps].index("a[3]")
    svg = diagram(stepper)
    for l in (1, 2, 3):
        assert unit_labels(svg, l) == [unit_text(v) for v in bp.a[l][1:]]


def test_value_tables_show_the_steps_arrays(stepper, problem):
    stepper.step = [s.symbol for s in stepper.steps].index("z[2]")
    shown = cells(shown_part(stepper, "bp-values"))
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
    assert find(ui, "bp-stack").selected_index == 0


def test_the_slider_is_the_step_so_play_moves_it(stepper):
    ui = stepper.widget
    slider, play = find(ui, "bp-slider"), find(ui, "bp-play")
    assert isinstance(play, w.Play) and (play.min, play.max) == (slider.min, slider.max)
    slider.value = 5                      # what the linked Play does in the browser
    assert stepper.step == 5 and part(html_of(stepper.shown), "bp-counter").startswith(
        "step 6 of")
    assert not find(ui, "bp-prev").disabled           # the kernel follows the slider


def test_example_chooser_changes_the_numbers(stepper, problem):
    ui = stepper.widget
    stepper.step = [s.symbol for s in stepper.steps].index("delta[3]")
    before = shown_part(stepper, "bp-numbers-text")
    d_before = html_of(find(ui, "bp-stack").children[-1])
    find(ui, "bp-example").value = 3
    assert stepper.example == 3 and stepper.current.symbol == "delta[3]"
    after = shown_part(stepper, "bp-numbers-text")
    assert after != before
    bp = nb.backprop_example(problem.Theta, problem.X[2], problem.Y[2])
    np.testing.assert_array_equal(stepper.current.value, bp.delta[3])
    assert after.endswith(array_text(bp.delta[3]))
    # every picture of the trace was re-rendered for example 3, the D steps kept theirs
    first = find(ui, "bp-stack").children[0]
    assert part(html_of(first), "bp-numbers-text") == (
        f"a⁽¹⁾ = {array_text(np.r_[1.0, problem.X[2]])}")
    assert html_of(find(ui, "bp-stack").children[-1]) == d_before
    stepper.example = 1
    assert shown_part(stepper, "bp-numbers-text") == before


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
        assert f"(1/{m})·" in shown_part(stepper, "bp-numbers-text")
    stepper.lam, stepper.m = 0.5, 3
    assert (lam_w.value, m_w.value) == (0.5, 3)


def test_two_steppers_are_independent(problem):
    one = BackpropStepper(problem.Theta, problem.X, problem.Y)
    two = BackpropStepper(problem.Theta, problem.X, problem.Y)
    one.step, one.example = 8, 2
    assert (two.step, two.example) == (0, 1)
    assert shown_part(two, "bp-counter").startswith("step 1 of")
    find(two.widget, "bp-next").click()
    assert (one.step, two.step) == (8, 1)
    one.close()
    assert two.next().symbol == "a[2]"


def test_closing_closes_every_picture(problem):
    s = BackpropStepper(problem.Theta, problem.X, problem.Y)
    pictures = list(find(s.widget, "bp-stack").children)
    s.close()
    assert all(p.comm is None for p in pictures) and s.widget.comm is None


def test_stepper_rejects_bad_values_in_plain_words(stepper):
    with pytest.raises(ValueError, match="step must be a whole number from 0 to 17"):
        stepper.step = 18
    with pytest.raises(ValueError, match=r"example must be a whole number from 1 to 3 \(the "):
        stepper.example = 0
    with pytest.raises(ValueError, match="λ"):
        stepper.lam = -1.0
    with pytest.raises(ValueError, match="Theta"):
        BackpropStepper({0: np.zeros((2, 3))}, [[1, 2]], [[1, 0]])
    with pytest.raises(ValueError, match="size must be one of 'normal', 'projector'"):
        BackpropStepper({1: np.zeros((2, 3))}, [[1, 2]], [[1, 0]], size="huge")


def font_px(css: str, selector: str) -> int:
    """The font-size (px) of the rule whose (last) selector is ``selector``."""
    found = re.search(rf"{re.escape(selector)}\s*{{[^}}]*?font-size:\s*(\d+)px", css)
    assert found, f"no font-size for {selector}"
    return int(found.group(1))


@pytest.mark.parametrize("size", ["normal", "projector"])
def test_the_numbers_line_is_as_large_as_body_text_and_in_full_contrast(problem, size):
    s = BackpropStepper(problem.Theta, problem.X, problem.Y, size=size)
    css = html_of(s.widget.children[0])
    body = font_px(css, ".bp-stepper")
    numbers = font_px(css, f".bp-size-{size} .bp-numbers-text")
    assert numbers >= body
    rule = re.search(rf"\.bp-size-{size} \.bp-numbers-text \{{([^}}]*)}}", css).group(1)
    assert "color: var(--jp-content-font-color0, #000000)" in rule      # theme ink, no grey
    assert "#555" not in css and "#333" not in css
    # text colours come from JupyterLab's theme variables; the diagram has its own paper
    assert "var(--jp-content-font-color0" in css
    assert '<div class="bp-diagram bp-figure"><svg' in s.shown.value
    assert ".bp-stepper .bp-figure {background: #FFFFFF" in css


def test_projector_size_is_larger_and_folds_the_tables(problem):
    normal = BackpropStepper(problem.Theta, problem.X, problem.Y)
    big = BackpropStepper(problem.Theta, problem.X, problem.Y, size="projector")
    assert big.size == "projector" and "bp-size-projector" in big.widget._dom_classes
    css_n, css_p = html_of(normal.widget.children[0]), html_of(big.widget.children[0])
    assert font_px(css_p, ".bp-stepper") > font_px(css_n, ".bp-stepper")
    for rule in (".bp-numbers-text", ".bp-title", ".bp-numbers"):
        assert font_px(css_p, f".bp-size-projector {rule}") > font_px(
            css_n, f".bp-size-normal {rule}"), rule
    big.step = normal.step = 1
    assert ("<details><summary>the numbers as matrices, the values as tables</summary>"
            in big.shown.value)
    assert "<details>" not in normal.shown.value
    # the same numbers in both
    assert cells(shown_part(big, "bp-values")) == cells(shown_part(normal, "bp-values"))


def test_a_cell_ending_in_a_widget_displays_its_tree(stepper, problem, monkeypatch):
    import IPython.display
    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
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
    slider = find(acc.widget, "bp-acc-slider")
    assert (slider.min, slider.max, acc.i) == (0, 3, 3)
    for i in (0, 1, 2, 3):
        slider.value = i
        for l in (1, 2, 3):
            np.testing.assert_array_equal(acc.Delta[l], history[i][l])
        tables = cells(part(find(acc.widget, "bp-stack").children[i].value, "bp-acc-delta"))
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


def test_accumulator_pictures_are_rendered_once_and_linked(problem):
    acc = AccumulatorExplorer(problem.Theta, problem.X, problem.Y)
    stack = find(acc.widget, "bp-stack")
    assert len(stack.children) == acc.m + 1 and stack.selected_index == acc.m
    assert links(acc) == {("bp-acc-play", "value", "bp-acc-slider", "value"),
                          ("bp-acc-slider", "value", "bp-stack", "selected_index")}
    titles = [part(c.value, "bp-explorer-title bp-acc-title") for c in stack.children]
    assert titles[0].startswith("Before the loop")
    assert [t.split(":")[0] for t in titles[1:]] == [
        f"After example i = {i} of m = 3" for i in (1, 2, 3)]
    acc.i = 1
    assert stack.selected_index == 1 and acc.shown is stack.children[1]


def test_what_an_example_adds_is_its_outer_product(problem):
    """added(i) comes from the accumulators' history; it equals δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ of example i,
    found in the trace by each step's layer number (no symbol parsing)."""
    from nbhelpers.display.trace import trace_backprop
    acc = AccumulatorExplorer(problem.Theta, problem.X, problem.Y)
    for i in (1, 2, 3):
        bp = nb.backprop_example(problem.Theta, problem.X[i - 1], problem.Y[i - 1])
        shares = {s.layer: s.value for s in
                  trace_backprop(problem.Theta, problem.X[i - 1], problem.Y[i - 1])
                  if s.phase == "accumulate"}
        added = acc.added(i)
        assert sorted(added) == sorted(shares) == [1, 2, 3]
        for l in added:
            np.testing.assert_allclose(added[l], np.outer(bp.delta[l + 1], bp.a[l]),
                                       rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(added[l], shares[l], rtol=1e-12, atol=1e-15)


def test_accumulator_shows_d_split_at_the_end(problem):
    acc = AccumulatorExplorer(problem.Theta, problem.X, problem.Y, lam=2.0)
    D = nb.backprop(problem.Theta, problem.X, problem.Y, 2.0)
    d_box = part(acc.shown.value, "bp-acc-d")
    values = [v for _, v, _ in cells(d_box)]
    expected = np.concatenate([np.concatenate([(D.Delta[l] / 3).ravel(),
                                               D.regularization[l].ravel(), D[l].ravel()])
                               for l in (1, 2, 3)])
    np.testing.assert_allclose(values, expected, atol=1e-15)
    acc.i = 1
    d_box = part(acc.shown.value, "bp-acc-d")
    assert not cells(d_box) and "move i to 3" in d_box
    assert "After example i = 1 of m = 3" in acc.shown.value
    acc.i = 0
    assert "Before the loop" in acc.shown.value
    with pytest.raises(ValueError, match="i must be a whole number from 0 to 3"):
        acc.i = 4


def test_a_long_accumulator_is_rendered_by_the_kernel(problem):
    from nbhelpers.display.explorers import FRONT_END_LIMIT
    p = nb.lecture_network(m=FRONT_END_LIMIT)
    acc = AccumulatorExplorer(p.Theta, p.X, p.Y)
    stack = find(acc.widget, "bp-stack")
    assert len(stack.children) == 1     # Play ↔ slider, and the kernel's controls enabled
    assert links(acc) == {("bp-acc-play", "value", "bp-acc-slider", "value"), PING}
    acc.i = 2
    history = nb.accumulation_history(p.Theta, p.X, p.Y)
    shown = cells(part(acc.shown.value, "bp-acc-delta"))
    np.testing.assert_allclose(shown[0][1], history[2][1][0, 0], atol=1e-15)
    assert "After example i = 2 of m = " in acc.shown.value


# --- the gradient-check explorer -----------------------------------------------------------

@pytest.fixture(scope="module")
def zoo():
    return zoo_problem(m=4)


def test_gradient_check_matches_finite_differences(zoo):
    gc = GradientCheckExplorer(zoo.Theta, zoo.X, zoo.Y, lam=1.0, bugs=GRADIENT_BUGS)
    assert gc.epsilon == pytest.approx(1e-4) and gc.bug is None
    assert gc.relative_difference == pytest.approx(
        nb.gradient_check(zoo.Theta, zoo.X, zoo.Y, 1.0, epsilon=gc.epsilon), rel=1e-12)
    assert gc.relative_difference < 1e-7
    readout = part(gc.shown.value, "bp-reldiff")
    assert number_text(gc.relative_difference) in readout and "agree" in readout
    eps_w = find(gc.widget, "bp-eps")
    eps_w.value = 1e-7
    J = lambda T: nb.cost(T, zoo.X, zoo.Y, 1.0)  # noqa: E731
    expected = numerical_gradient(J, zoo.Theta, 1e-7)
    for l in expected:
        np.testing.assert_allclose(gc.numeric[l], expected[l], rtol=1e-12, atol=1e-15)
    assert number_text(gc.relative_difference) in part(gc.shown.value, "bp-reldiff")
    shown = cells(gc.shown.value)
    n = expected[1].size
    np.testing.assert_allclose([v for _, v, _ in shown[:n]], expected[1].ravel(), atol=1e-15)
    # numeric, D and their difference share one colour scale: a tiny difference looks pale
    diff = shown[2 * n:3 * n]
    np.testing.assert_allclose([v for _, v, _ in diff], (expected[1] - gc.analytic[1]).ravel(),
                               atol=1e-15)
    scale = max(np.max(np.abs(expected[1])), np.max(np.abs(gc.analytic[1])))
    assert all(bg == colours(v, scale)[0] for bg, v, _ in diff)
    assert {bg for bg, _, _ in diff} == {colours(0.0, 1.0)[0]}


def test_every_epsilon_is_rendered_once_and_linked(zoo):
    from nbhelpers.display.explorers import EPSILONS
    gc = GradientCheckExplorer(zoo.Theta, zoo.X, zoo.Y, lam=1.0, bugs=GRADIENT_BUGS)
    stack, eps_w = find(gc.widget, "bp-stack"), find(gc.widget, "bp-eps")
    assert isinstance(eps_w, w.SelectionSlider) and list(eps_w.options[k][1] for k in
                                                         range(len(EPSILONS))) == list(EPSILONS)
    assert links(gc) == {("bp-eps", "index", "bp-stack", "selected_index"), PING}
    assert len(stack.children) == len(EPSILONS) == 19 and EPSILONS[0] == 1e-10
    J = lambda T: nb.cost(T, zoo.X, zoo.Y, 1.0)  # noqa: E731
    for k in (0, 9, 18):               # each page shows its own ε's relative difference
        r = nb.relative_difference(numerical_gradient(J, zoo.Theta, EPSILONS[k]), gc.analytic)
        assert number_text(r) in part(stack.children[k].value, "bp-reldiff")
    gc.epsilon = 3e-6
    assert stack.selected_index == EPSILONS.index(3e-6) and gc.shown is stack.children[9]
    assert eps_w.label == "3e-6"


def test_an_injected_bug_is_caught(zoo):
    gc = GradientCheckExplorer(zoo.Theta, zoo.X, zoo.Y, lam=1.0, bugs=GRADIENT_BUGS)
    runs, stops = set(), set()
    for key, bug in BUGS.items():
        if bug.gradient_bug:
            try:
                bug.gradient(zoo.Theta, zoo.X, zoo.Y, 1.0)
                runs.add(key)
            except ValueError:
                stops.add(key)
    assert (set(gc.bugs), set(gc.stopping_bugs)) == (runs, stops)
    # the lecture's algorithm is "" in the menu (gc.bug says None)
    assert {value for _, value in find(gc.widget, "bp-bug").options} == {"", *runs, *stops}
    chooser = find(gc.widget, "bp-bug")
    chooser.value = "missing_1_over_m"
    D = BUGS["missing_1_over_m"].gradient(zoo.Theta, zoo.X, zoo.Y, 1.0)
    for l in D:
        np.testing.assert_array_equal(gc.analytic[l], D[l])
    assert gc.relative_difference > 1e-3
    assert "a bug" in part(gc.shown.value, "bp-reldiff")
    assert "average" in part(gc.shown.value, "bp-bug-description")
    # the pages of the other ε were re-rendered for the bug too
    assert all("a bug" in part(page.value, "bp-reldiff")
               for page in find(gc.widget, "bp-stack").children)
    gc.bug = None
    assert gc.relative_difference < 1e-7


def test_a_bug_that_stops_with_an_error_is_shown_explained(problem):
    """On the lecture's network a transposed Θ does not fit: the explorer offers it and
    shows the error instead of tables, and stays usable."""
    gc = GradientCheckExplorer(problem.Theta, problem.X, problem.Y, bugs=GRADIENT_BUGS)
    assert "theta_not_transposed" in gc.stopping_bugs and "theta_not_transposed" not in gc.bugs
    with pytest.raises(ValueError) as raised:
        BUGS["theta_not_transposed"].gradient(problem.Theta, problem.X, problem.Y, 0.0)
    gc.bug = "theta_not_transposed"
    assert gc.error == str(raised.value) and np.isnan(gc.relative_difference)
    page = gc.shown.value
    assert "computes no D" in part(page, "bp-reldiff") and not cells(page)
    assert part(page, "bp-error") == escape(str(raised.value))
    with pytest.raises(ValueError, match=r"theta_not_transposed.*computes no D"):
        _ = gc.analytic
    gc.bug = None
    assert gc.error is None and gc.relative_difference < 1e-7


def test_any_error_of_a_bug_is_shown_not_raised(problem):
    from nbhelpers.course import bugs

    def broken(Theta, X, Y, lam=0.0):
        return {1: Theta[1][:, 1:]}[2]          # a KeyError, as a slip in a bug could give

    zoo = {**bugs.GRADIENT_BUGS, "broken": bugs.Bug(
        key="broken",
        title="a broken bug",
        description="breaks",
        gradient=broken)}
    gc = GradientCheckExplorer(problem.Theta, problem.X, problem.Y, bugs=zoo)
    gc.bug = "broken"
    assert gc.error == "2" and "computes no D" in gc.shown.value
    empty = bugs.Bug(
        key="empty",
        title="no message",
        description="",
        gradient=lambda *a, **k: (_ for _ in ()).throw(
RuntimeError()))
    gc = GradientCheckExplorer(problem.Theta, problem.X, problem.Y, bugs={"empty": empty})
    gc.bug = "empty"
    assert gc.error == "RuntimeError"


def test_without_bugs_the_explorer_offers_the_lecture_s_algorithm_alone(problem):
    gc = GradientCheckExplorer(problem.Theta, problem.X, problem.Y)
    assert gc.bugs == gc.stopping_bugs == []
    assert find(gc.widget, "bp-bug").options == (("no bug: the lecture's algorithm", ""),)
    assert gc.bug is None
    fig = plot_gradient_check(problem.Theta, problem.X, problem.Y, epsilons=[1e-4])
    assert [ln.get_label() for ln in fig.axes[0].get_lines()] == ["the lecture's algorithm"]
    matplotlib.pyplot.close(fig)


def test_gradient_check_rejects_bad_values(problem):
    gc = GradientCheckExplorer(problem.Theta, problem.X, problem.Y, bugs=GRADIENT_BUGS)
    with pytest.raises(ValueError, match="bug must be None or one of"):
        gc.bug = "no_such_bug"
    for bad in (0.5, 2e-4, "1e-4", True):
        with pytest.raises(ValueError, match=re.escape("epsilon must be one of 1e-10, 3e-10")):
            gc.epsilon = bad
    assert gc.epsilon == 1e-4


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
                              bugs={"missing_1_over_m": GRADIENT_BUGS["missing_1_over_m"]})
    lines = fig.axes[0].get_lines()
    assert [ln.get_label() for ln in lines] == ["the lecture's algorithm", "the 1/m missing"]
    expected = [nb.gradient_check(zoo.Theta, zoo.X, zoo.Y, 1.0, epsilon=e) for e in eps]
    np.testing.assert_allclose(lines[0].get_ydata(), expected, rtol=1e-9)
    assert min(lines[1].get_ydata()) > 1e-3
    matplotlib.pyplot.close(fig)


def test_controls_computed_by_the_kernel_are_marked_and_those_linked_in_the_browser_are_not(problem):
    """The website disables what needs a kernel (widgetkit.NEEDS_KERNEL); a control that moves
    the picture in the browser (a jslink to the stack) must stay live there."""
    from nbhelpers.display.explorers import FRONT_END_LIMIT
    from nbhelpers.display.widgetkit import NEEDS_KERNEL

    def marked(tree) -> set[str]:
        found = set()

        def walk(x):
            classes = set(getattr(x, "_dom_classes", ()))
            if NEEDS_KERNEL in classes:
                found.update(c for c in classes if c != NEEDS_KERNEL)
            for child in getattr(x, "children", ()):
                walk(child)
        walk(tree.widget)
        return found

    stepper = BackpropStepper(problem.Theta, problem.X, problem.Y, lam=1.0)
    assert marked(stepper) == {"bp-example", "bp-lambda", "bp-m"}
    zoo = zoo_problem()
    assert marked(GradientCheckExplorer(zoo.Theta, zoo.X, zoo.Y, bugs=GRADIENT_BUGS)) == {"bp-bug"}
    assert marked(AccumulatorExplorer(problem.Theta, problem.X, problem.Y)) == set()
    long = nb.lecture_network(m=FRONT_END_LIMIT)
    assert marked(AccumulatorExplorer(long.Theta, long.X, long.Y)) == {"bp-acc-slider", "bp-acc-play"}


def test_the_bug_menu_shows_the_lecture_algorithm_at_the_start_and_after_a_bug():
    """The first option's value is "" (a Dropdown given value=None shows no option at all), and
    ``gc.bug`` is None for it: the menu always names what the tables show."""
    zoo = zoo_problem()
    gc = GradientCheckExplorer(zoo.Theta, zoo.X, zoo.Y, bugs=GRADIENT_BUGS)
    menu = find(gc.widget, "bp-bug")
    assert (menu.index, menu.label, gc.bug) == (0, "no bug: the lecture's algorithm", None)
    gc.bug = "missing_1_over_m"
    assert menu.label == BUGS["missing_1_over_m"].title and gc.relative_difference > 1e-3
    gc.bug = None
    assert (menu.index, menu.label, gc.bug) == (0, "no bug: the lecture's algorithm", None)
    assert gc.relative_difference < 1e-7 and "they agree" in gc.shown.value
