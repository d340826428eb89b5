"""The widgets in Jupyter Notebook 7 (the `notebook` package), served by the test server.

The instructor demo holds a stepper and both explorers; it is run in Notebook 7's own page
(``/notebooks/…``), and the stepper and the accumulator explorer are driven as in the
JupyterLab tests: Next and Prev clicked, the explorer's slider moved with the arrow keys, and
what appears compared with values computed here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from labdriver import NotebookPage, table_values

import nbhelpers as nb
from nbhelpers.display.trace import trace_backprop
from nbhelpers.validation import sup

pytestmark = pytest.mark.browser

LECTURE = nb.lecture_network(m=4)  # the demo's "lecture" preset
HISTORY = nb.accumulation_history(LECTURE.Theta, LECTURE.X, LECTURE.Y)


def shown(root: Any, css_class: str) -> Any:
    return root.locator(f".{css_class}").filter(visible=True).first


def test_it_is_notebook_7(notebook7_demo: NotebookPage) -> None:
    page = notebook7_demo.page
    assert "/notebooks/" in page.url
    assert page.locator("#jp-top-panel, .jp-NotebookKernelStatus, #top-panel-wrapper").count()
    assert page.locator(".jp-LabShell").count() == 0          # not JupyterLab's shell


def test_the_stepper_steps_in_notebook_7(notebook7_demo: NotebookPage, expect: Any) -> None:
    root = notebook7_demo.notebook.locator(".bp-stepper").first
    root.scroll_into_view_if_needed()
    n = int(shown(root, "bp-counter").inner_text().split()[-1])
    root.locator(".bp-reset").click()
    expect(shown(root, "bp-counter")).to_have_text(f"step 1 of {n}")
    steps = trace_backprop(LECTURE.Theta, LECTURE.X[0], LECTURE.Y[0])
    for k in (2, 3, 4):
        root.locator(".bp-next").click()
        expect(shown(root, "bp-counter")).to_have_text(f"step {k} of {n}")
        expect(shown(root, "bp-title")).to_have_text(steps[k - 1].title)
        expect(shown(root, "bp-numbers-text")).to_have_text(steps[k - 1].numbers_text)
    root.locator(".bp-prev").click()
    expect(shown(root, "bp-counter")).to_have_text(f"step 3 of {n}")
    expect(shown(root, "bp-equation-text")).to_have_text(steps[2].equation_text)
    expect(shown(root, "bp-equation").locator("mjx-container").first).to_be_visible()
    assert notebook7_demo.errors == []


def test_the_accumulator_explorer_moves_in_notebook_7(notebook7_demo: NotebookPage,
                                                      expect: Any) -> None:
    explorer = notebook7_demo.notebook.locator(".bp-accumulator").first
    explorer.scroll_into_view_if_needed()
    handle = explorer.locator(".bp-acc-slider .noUi-handle")
    handle.focus()
    handle.press("End")
    m = LECTURE.X.shape[0]
    for i in (m, m - 1, m - 2):
        if i < m:
            handle.press("ArrowLeft")
        expect(explorer.locator(".bp-acc-slider .widget-readout")).to_have_text(str(i))
        expect(shown(explorer, "bp-acc-title")).to_contain_text(f"i = {i} of m = {m}")
        for l in LECTURE.Theta:
            caption = f"Δ{sup(l)} after {i} example{'' if i == 1 else 's'}"
            values = table_values(shown(explorer, "bp-acc-delta"), caption, HISTORY[i][l])
            assert values is not None, caption
            np.testing.assert_allclose(values, HISTORY[i][l], rtol=1e-12, atol=1e-15)
    assert notebook7_demo.errors == []
