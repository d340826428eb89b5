"""JupyterLab's dark theme: the stepper's text and the figures stay legible (WCAG contrast).

JupyterLab is switched to "JupyterLab Dark" with its own command (``apputils:change-theme``)
on notebook 03, already run; the theme is switched back afterwards, so that the other tests
of the session see the light one. The stepper's text takes its colour from JupyterLab's theme
variables; its diagram and the notebook's figures carry their own light background.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from typing import Any

import matplotlib.image
import numpy as np
import pytest
from contrast import effective_background, image_contrast, text_contrast
from labdriver import NotebookPage

DARK = "JupyterLab Dark"
LIGHT = "JupyterLab Light"
TEXT_CONTRAST = 4.5  # WCAG AA for body text
STEPPER_TEXT = ("bp-counter", "bp-title", "bp-equation-text", "bp-numbers-text",
                "bp-explanation")


def theme_is(page: Any, dark: bool) -> None:
    """Wait until the theme is applied and JupyterLab's splash screen, shown while a theme
    loads, is gone (it is removed 200 ms after; a second theme change before that makes
    JupyterLab remove it twice, an uncaught error in the page)."""
    page.wait_for_function("(dark) => document.body.dataset.jpThemeLight === String(!dark)"
                           " && !document.getElementById('jupyterlab-splash')", arg=dark)


@pytest.fixture
def dark(delta_terms: NotebookPage) -> Iterator[NotebookPage]:
    """Notebook 03 in the dark theme, the light one restored afterwards."""
    delta_terms.command("apputils:change-theme", {"theme": DARK})
    try:
        theme_is(delta_terms.page, dark=True)
        yield delta_terms
    finally:
        delta_terms.command("apputils:change-theme", {"theme": LIGHT})
        theme_is(delta_terms.page, dark=False)


def test_the_stepper_text_is_legible_in_the_dark_theme(dark: NotebookPage) -> None:
    root = dark.page.locator(".bp-stepper").first
    root.scroll_into_view_if_needed()
    background = effective_background(
        root.evaluate(
            "el => { const b = []; for (let e = el; e; e = e.parentElement)"
            " b.push(getComputedStyle(e).backgroundColor); return b; }"))
    assert background.mean() < 100, f"the page behind the stepper is not dark: {background}"
    for css_class in STEPPER_TEXT:
        part = root.locator(f".{css_class}").filter(visible=True).first
        ratio, _ = text_contrast(part)
        assert ratio >= TEXT_CONTRAST, f".{css_class}: contrast {ratio:.2f} in the dark theme"
    # the diagram keeps its own paper: its labels read as in the light theme
    legend = root.locator(".bp-diagram").filter(visible=True).first
    paper = effective_background(legend.evaluate(
        "el => { const b = []; for (let e = el; e; e = e.parentElement)"
        " b.push(getComputedStyle(e).backgroundColor); return b; }"))
    assert paper.mean() > 240, f"the diagram has no light paper of its own: {paper}"
    assert dark.errors == []


def test_a_figure_is_legible_in_the_dark_theme(dark: NotebookPage) -> None:
    image = dark.notebook.locator(".jp-OutputArea-output img").first
    image.scroll_into_view_if_needed()
    src = image.get_attribute("src")
    assert src and src.startswith("data:image/png;base64,")
    pixels = matplotlib.image.imread(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
    behind = effective_background(image.evaluate(
        "el => { const b = []; for (let e = el; e; e = e.parentElement)"
        " b.push(getComputedStyle(e).backgroundColor); return b; }"))
    assert behind.mean() < 100, "the page behind the figure is not dark"
    own_background, ratio = image_contrast(pixels, behind)
    assert own_background, "the figure is transparent: black text would sit on the dark page"
    assert ratio >= TEXT_CONTRAST, f"the figure's ink has a contrast of {ratio:.2f}"
    assert np.isfinite(ratio)
