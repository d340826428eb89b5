"""The backprop stepper of notebook 03, clicked in a real JupyterLab.

Next, Prev, Reset, the example chooser and Play are pressed in Chromium. Next, Prev, Play and
the slider change the picture in the page itself (every step is rendered once, when the
stepper is made); the example chooser asks the kernel to render the steps of another example.
What appears is compared with values computed here,
in the test process, for the network the notebook steps through (``nb.lecture_network()``):
the trace of :func:`nbhelpers.trace_backprop` for titles and numbers, and
:func:`nbhelpers.backprop_example` for δ⁽ᴸ⁾ itself.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from labdriver import APP_KERNEL_STATUS, NotebookPage, table_values

import nbhelpers as nb
from nbhelpers.display.trace import Step, trace_backprop
from nbhelpers.validation import sup

PROBLEM = nb.lecture_network()  # what notebook 03 hands to BackpropStepper
L = len(PROBLEM.Theta) + 1
DELTA_L = f"delta[{L}]"
SCREENSHOT = "stepper-delta-L.png"


def trace(i: int) -> list[Step]:
    """The trace of example i (the lecture's 1…m)."""
    return trace_backprop(PROBLEM.Theta, PROBLEM.X[i - 1], PROBLEM.Y[i - 1])


def position(symbol: str) -> int:
    """Where a step is in the trace (0-based; the counter shows it plus one)."""
    return [s.symbol for s in trace(1)].index(symbol)


def delta_L(i: int) -> np.ndarray:
    """δ⁽ᴸ⁾ of example i, from backprop_example (not from the trace)."""
    return nb.backprop_example(PROBLEM.Theta, PROBLEM.X[i - 1], PROBLEM.Y[i - 1]).delta[L]


@dataclass
class Stepper:
    """The first stepper on the page, and ways to read and press it."""

    page: NotebookPage
    root: Any  # Locator of .bp-stepper
    expect: Any
    n: int  # the number of steps, from its counter

    def part(self, css_class: str) -> Any:
        """The element of this class in the controls or in the picture shown (the pictures of
        the other steps are in the page too, hidden)."""
        return self.root.locator(f".{css_class}").filter(visible=True).first

    def click_and_wait(self, button: str, k: int) -> None:
        """Press a button (bp-next, bp-prev, bp-reset); wait until the counter shows step k."""
        self.part(button).click()
        self.expect(self.part("bp-counter")).to_have_text(f"step {k} of {self.n}")

    def expect_step(self, step: Step) -> None:
        """Wait until title, equation and numbers are those of `step`."""
        self.expect(self.part("bp-title")).to_have_text(step.title)
        self.expect(self.part("bp-equation-text")).to_have_text(step.equation_text)
        self.expect(self.part("bp-numbers-text")).to_have_text(step.numbers_text)

    def highlighted_layers(self) -> set[str]:
        return set(self.part("bp-diagram").locator(".bp-highlight[data-layer]").evaluate_all(
            "els => els.map(e => e.dataset.layer)"))

    def highlighted_units(self, layer: int) -> list[str]:
        return self.part("bp-diagram").locator(
            f'.bp-unit.bp-highlight[data-layer="{layer}"]').evaluate_all(
            "els => els.map(e => e.dataset.unit)")

    def unit_labels(self, layer: int) -> list[str]:
        """The numbers written on the units of a layer (SVG <text>, so no innerText)."""
        return self.part("bp-diagram").locator(f'.bp-unit[data-layer="{layer}"] text'
                                               ).evaluate_all(
            "els => els.map(e => e.textContent.trim())")

    def values(self, caption: str, expected: np.ndarray) -> np.ndarray:
        """The table `caption` among the step's values, once it shows `expected` (or time's up)."""
        found = table_values(self.part("bp-values"), caption, expected)
        assert found is not None, f"no table {caption!r} among the stepper's values"
        return found


@pytest.fixture
def stepper(delta_terms: NotebookPage, expect: Any) -> Stepper:
    """The stepper of notebook 03 on example i = 1 at its first step."""
    root = delta_terms.page.locator(".bp-stepper").first
    expect(root).to_be_visible()
    counter = root.locator(".bp-counter").filter(visible=True).first.inner_text().strip()
    match = re.fullmatch(r"step \d+ of (\d+)", counter)
    assert match, "the counter does not read 'step k of n'"
    s = Stepper(delta_terms, root, expect, int(match.group(1)))
    # saved disabled under a note (nbhelpers/display/kernel_only.py); the live kernel enables it
    expect(s.part("bp-example").locator("select")).to_be_enabled()
    expect(root.locator(".bp-kernel-note").filter(visible=True)).to_have_count(0)
    s.part("bp-example").locator("select").select_option("i = 1")
    s.click_and_wait("bp-reset", 1)
    s.expect_step(trace(1)[0])
    return s


def test_next_reaches_delta_L_shows_it_and_prev_goes_back(stepper: Stepper) -> None:
    # the trace of the example, then one D step per Θ⁽ˡ⁾
    assert stepper.n == len(trace(1)) + len(PROBLEM.Theta)
    k = position(DELTA_L)
    for target in range(2, k + 2):
        stepper.click_and_wait("bp-next", target)
    step = trace(1)[k]
    stepper.expect_step(step)
    # the lecture's equation, written out here rather than taken from the trace
    assert stepper.part("bp-equation-text").inner_text().strip() == (
        f"δ{sup(L)} = a{sup(L)} − y")
    stepper.expect(stepper.part("bp-equation").locator("mjx-container").first).to_be_visible()
    shown = stepper.values(f"δ{sup(L)}", delta_L(1)).ravel()
    np.testing.assert_allclose(shown, delta_L(1), rtol=1e-12)
    # the output layer, and all of its units (it has no bias unit), are highlighted ...
    assert stepper.highlighted_layers() == {str(L)}
    K = PROBLEM.Y.shape[1]
    assert stepper.highlighted_units(L) == [str(j) for j in range(1, K + 1)]
    # ... each labelled with its δ (rounded for the diagram)
    labels = [float(t.replace("−", "-")) for t in stepper.unit_labels(L)]
    np.testing.assert_allclose(labels, delta_L(1), atol=0.006)

    shot = stepper.page.screenshot(stepper.root, SCREENSHOT)
    assert shot.stat().st_size > 10_000

    stepper.click_and_wait("bp-prev", k)
    stepper.expect_step(trace(1)[k - 1])
    assert trace(1)[k - 1].symbol == f"a[{L}]"
    assert stepper.page.errors == []


def test_example_chooser_changes_the_numbers(stepper: Stepper) -> None:
    k = position(DELTA_L)
    for target in range(2, k + 2):
        stepper.click_and_wait("bp-next", target)
    stepper.expect_step(trace(1)[k])
    before = stepper.part("bp-numbers-text").inner_text()

    stepper.part("bp-example").locator("select").select_option("i = 2")
    stepper.expect_step(trace(2)[k])  # same step, the second example's numbers
    assert stepper.part("bp-numbers-text").inner_text() != before
    assert stepper.part("bp-counter").inner_text() == f"step {k + 1} of {stepper.n}"
    shown = stepper.values(f"δ{sup(L)}", delta_L(2)).ravel()
    np.testing.assert_allclose(shown, delta_L(2), rtol=1e-12)
    assert not np.allclose(shown, delta_L(1))
    assert stepper.page.errors == []


def test_play_advances_the_steps_on_its_own(stepper: Stepper) -> None:
    titles = [s.title for s in trace(1)]
    play = stepper.part("bp-play").locator("button").filter(
        has=stepper.root.page.locator("i.fa-play"))
    play.click()
    # two steps on, with a title that belongs to the step the counter shows
    stepper.root.page.wait_for_function(
        """([root, titles]) => {
             const shown = [...root.querySelectorAll('.bp-step')]
                 .find(e => e.getClientRects().length > 0);
             if (!shown) return false;
             const k = Number((shown.querySelector('.bp-counter').textContent
                               .match(/step (\\d+) of/) || [0, 0])[1]);
             return k >= 3 && shown.querySelector('.bp-title').textContent.trim()
                              === titles[k - 1];
           }""", arg=[stepper.root.element_handle(), titles])
    stepper.part("bp-play").locator("button").filter(
        has=stepper.root.page.locator("i.fa-stop")).click()
    stepper.click_and_wait("bp-reset", 1)
    assert stepper.page.errors == []


# In the page, in one go: the shown counter, a click on the button, the shown counter again.
# JavaScript runs to the end before any message from the kernel is handled, so a change seen
# here was made by the page alone.
CLICK_IN_ONE_TASK = """([root, selector]) => {
  const counter = () => [...root.querySelectorAll('.bp-counter')]
      .find(e => e.getClientRects().length > 0).textContent.trim();
  const before = counter();
  root.querySelector(selector).click();
  return [before, counter()];
}"""


def test_next_prev_and_the_slider_step_in_the_browser_while_the_kernel_is_busy(
        stepper: Stepper, lab_root: Any) -> None:
    """Every step is in the page already. Next and Prev change the picture within the click
    itself (before the page could hear from the kernel), also while the kernel is held busy
    (it waits for a file that the test writes at the end); so does the slider's arrow key.
    Once the kernel is free it has followed the slider."""
    page = stepper.page
    handle = stepper.root.element_handle()
    assert page.page.evaluate(CLICK_IN_ONE_TASK, [handle, ".bp-next"]) == [
        f"step 1 of {stepper.n}", f"step 2 of {stepper.n}"]
    stepper.expect_step(trace(1)[1])
    flag = lab_root / f"release-{uuid.uuid4().hex}"
    page.kernel_start(f"import os, time\nwhile not os.path.exists({str(flag)!r}): "
                      "time.sleep(0.02)")
    try:
        page.page.wait_for_function(f"() => ({APP_KERNEL_STATUS})() === 'busy'")
        stepper.click_and_wait("bp-next", 3)
        stepper.expect_step(trace(1)[2])
        assert set(stepper.highlighted_layers()) == {str(trace(1)[2].layer)}
        stepper.part("bp-slider").locator(".noUi-handle").press("ArrowRight")
        stepper.expect(stepper.part("bp-counter")).to_have_text(f"step 4 of {stepper.n}")
        stepper.expect_step(trace(1)[3])
        assert page.page.evaluate(CLICK_IN_ONE_TASK, [handle, ".bp-prev"]) == [
            f"step 4 of {stepper.n}", f"step 3 of {stepper.n}"]
        stepper.expect_step(trace(1)[2])
    finally:
        flag.write_text("go")
    page.wait_kernel_idle()
    page.page.wait_for_function(f"() => ({APP_KERNEL_STATUS})() === 'idle'")
    assert page.kernel_print("print(stepper.step, stepper.current.symbol)").split() == [
        "2", trace(1)[2].symbol]
    assert page.errors == []
