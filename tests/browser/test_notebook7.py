"""The widgets in Jupyter Notebook 7 (the `notebook` package), served by the test server.

The instructor demo holds a stepper and both explorers; it is run in Notebook 7's own page
(``/notebooks/…``), and the stepper and the accumulator explorer are driven as in the
JupyterLab tests: Next and Prev clicked, the explorer's slider moved with the arrow keys, and
what appears compared with values computed here.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from labdriver import NotebookPage, table_values

import nbhelpers as nb
from nbhelpers.display.trace import trace_backprop
from nbhelpers.validation import sup

LECTURE = nb.lecture_network(m=4)  # the demo's "lecture" preset
HISTORY = nb.accumulation_history(LECTURE.Theta, LECTURE.X, LECTURE.Y)


# Errors of Notebook 7 itself, seen at page load before any widget exists, each with what is
# known of it: "reading 'schema'" comes from Notebook 7's settings registry (notebook_core.js)
# on a plugin it has no schema for; "filebrowser:open-path" is a JupyterLab command that
# Notebook 7's notebook page does not register, asked for when JupyterLab pages were open on
# the same server before.
ALLOWED_ERRORS = ["Cannot read properties of undefined (reading 'schema')",
                  "Command 'filebrowser:open-path' not registered"]


def unexpected(page: NotebookPage) -> list[str]:
    return [e for e in page.unexplained_errors()
            if not any(allowed in e for allowed in ALLOWED_ERRORS)]


def shown(root: Any, css_class: str) -> Any:
    return root.locator(f".{css_class}").filter(visible=True).first


def test_it_is_notebook_7(notebook7_demo: NotebookPage) -> None:
    page = notebook7_demo.page
    assert "/notebooks/" in page.url
    config = json.loads(page.locator("#jupyter-config-data").text_content())
    assert config["appName"] == "Jupyter Notebook"
    assert config["appVersion"].startswith("7.")
    assert page.locator(".jp-LabShell").count() == 0          # not JupyterLab's shell


def test_the_stepper_steps_in_notebook_7(notebook7_demo: NotebookPage, expect: Any) -> None:
    root = notebook7_demo.notebook.locator(".bp-stepper").first
    root.scroll_into_view_if_needed()
    n = int(shown(root, "bp-counter").inner_text().split()[-1])
    root.locator(".bp-reset").click()
    expect(shown(root, "bp-counter")).to_have_text(f"step 1 of {n}")
    steps = trace_backprop(LECTURE.Theta, LECTURE.X[0], LECTURE.Y[0])
    root.locator(".bp-slider").scroll_into_view_if_needed()
    for k in (2, 3, 4):
        root.locator(".bp-next").click()
        expect(shown(root, "bp-counter")).to_have_text(f"step {k} of {n}")
        expect(shown(root, "bp-title")).to_have_text(steps[k - 1].title)
        expect(shown(root, "bp-numbers-text")).to_have_text(steps[k - 1].numbers_text)
    root.locator(".bp-prev").click()
    expect(shown(root, "bp-counter")).to_have_text(f"step 3 of {n}")
    expect(shown(root, "bp-numbers-text")).to_have_text(steps[2].numbers_text)
    expect(shown(root, "bp-equation").locator("mjx-container").first).to_be_visible()
    assert unexpected(notebook7_demo) == [], notebook7_demo.failed_requests


def test_the_accumulator_explorer_moves_in_notebook_7(notebook7_demo: NotebookPage,
                                                      expect: Any) -> None:
    """The slider's track is clicked where i lies (a tap moves the handle there)."""
    explorer = notebook7_demo.notebook.locator(".bp-accumulator").first
    slider = explorer.locator(".bp-acc-slider")
    slider.scroll_into_view_if_needed()
    m = LECTURE.X.shape[0]
    for i in (m - 1, m - 2, m):
        track = slider.locator(".noUi-target").bounding_box()
        x = track["x"] + min(i / m * track["width"], track["width"] - 2)   # inside the track
        notebook7_demo.page.mouse.click(x, track["y"] + track["height"] / 2)
        expect(slider.locator(".widget-readout")).to_have_text(str(i))
        expect(shown(explorer, "bp-acc-title")).to_contain_text(f"i = {i} of m = {m}")
        for l in LECTURE.Theta:
            caption = f"Δ{sup(l)} after {i} example{'' if i == 1 else 's'}"
            values = table_values(shown(explorer, "bp-acc-delta"), caption, HISTORY[i][l])
            assert values is not None, caption
            np.testing.assert_allclose(values, HISTORY[i][l], rtol=1e-12, atol=1e-15)
    assert unexpected(notebook7_demo) == [], notebook7_demo.failed_requests
