"""The instructor demo on a 1024 × 768 projector, presented as the demo says: JupyterLab in
Simple Interface and Presentation Mode, all cells run.

With the stepper's section scrolled to the top of the notebook, the line with the equation and
its numbers (``.bp-numbers-text``) must be on screen, at least as large as the notebook's body
text and in full contrast, and the code of the section hidden.
"""

from __future__ import annotations

from typing import Any

from contrast import text_contrast
from labdriver import PROJECTOR, NotebookPage

SECTION = "3 · The backward pass"
FULL_CONTRAST = 7.0  # WCAG AAA


def test_the_numbers_line_of_the_stepper_section_fits_the_projector(
        demo_on_projector: NotebookPage, expect: Any) -> None:
    page = demo_on_projector.page
    heading = demo_on_projector.notebook.locator(".jp-MarkdownCell h2", has_text=SECTION)
    expect(heading).to_have_count(1)
    heading.evaluate("h => h.scrollIntoView({block: 'start'})")
    stepper = demo_on_projector.notebook.locator(".bp-stepper.bp-size-projector").first
    expect(stepper).to_be_visible()
    numbers = stepper.locator(".bp-numbers-text").filter(visible=True).first
    expect(numbers).not_to_be_empty()
    box = numbers.bounding_box()
    assert box is not None
    top_of_heading = heading.bounding_box()["y"]
    assert 0 <= top_of_heading < box["y"]
    assert box["y"] + box["height"] <= PROJECTOR["height"], (
        f"the numbers line ends at y = {box['y'] + box['height']:.0f} px, below the "
        f"{PROJECTOR['height']} px screen")
    assert box["x"] >= 0 and box["x"] + box["width"] <= PROJECTOR["width"]
    # at least as large as the body text of the notebook's own markdown
    body = demo_on_projector.notebook.locator(".jp-MarkdownCell .jp-RenderedMarkdown p").first
    body_px = float(body.evaluate("p => parseFloat(getComputedStyle(p).fontSize)"))
    ratio, numbers_px = text_contrast(numbers)
    assert numbers_px >= body_px, f"numbers {numbers_px} px < body text {body_px} px"
    assert ratio >= FULL_CONTRAST, f"the numbers line has a contrast of only {ratio:.1f}"
    # the section shows no code: inputs are collapsed, the widget drives itself
    cells = page.locator(".jp-Cell").filter(has=stepper)
    assert cells.locator(".jp-InputArea .jp-Editor").filter(visible=True).count() == 0
    demo_on_projector.screenshot(stepper, "demo-stepper-projector.png")
    assert demo_on_projector.unexplained_errors() == [], demo_on_projector.failed_requests


def test_every_section_heading_is_followed_by_hidden_code(
        demo_on_projector: NotebookPage) -> None:
    editors = demo_on_projector.notebook.locator(".jp-CodeCell .jp-Editor").filter(visible=True)
    assert editors.count() == 0, "a code cell of the demo shows its source"
    collapsed = demo_on_projector.notebook.locator(".jp-CodeCell .jp-InputPlaceholder")
    assert collapsed.count() >= 10
