"""Notebooks 03 and 04 load in JupyterLab and their widgets render, with no JavaScript errors.

The pages were opened and all their cells run by the session's fixtures; every console
message of type error and every uncaught exception on the page was collected from the first
request on. A widget manager that did not load shows the widget's text fallback (or "Loading
widget...") instead of the view, so the views themselves are counted too.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from labdriver import NOTEBOOKS, WIDGET_VIEW, NotebookPage

# Console errors that may appear without anything being wrong, each with the reason.
# (Empty: none has been seen; add a pattern here only with an explanation.)
ALLOWED_ERRORS: list[str] = []

WIDGET_ROOTS = {"03-delta-terms.ipynb": ".bp-stepper", "04-accumulators.ipynb": ".bp-accumulator"}


def widget_outputs_in_file(name: str) -> int:
    """How many outputs of the committed notebook are live widgets (widget-view data)."""
    cells = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]
    return sum(WIDGET_VIEW in output.get("data", {})
               for cell in cells if cell["cell_type"] == "code"
               for output in cell["outputs"])


def unexpected(errors: list[str]) -> list[str]:
    return [e for e in errors if not any(allowed in e for allowed in ALLOWED_ERRORS)]


@pytest.mark.parametrize("fixture", ["delta_terms", "accumulators"])
def test_notebook_runs_and_renders_its_widgets_without_errors(
        fixture: str, request: pytest.FixtureRequest, expect: Any) -> None:
    opened: NotebookPage = request.getfixturevalue(fixture)
    notebook = opened.notebook
    # the widget manager rendered every widget output of the file as a view (an output whose
    # content is a widget's element; without the manager it would be the text fallback)
    views = notebook.locator(".jp-OutputArea-output > .jupyter-widgets")
    expected = widget_outputs_in_file(opened.name)
    assert expected >= 1, f"{opened.name} stores no live widget output"
    expect(views).to_have_count(expected)
    for k in range(expected):
        expect(views.nth(k)).to_be_visible()
    expect(notebook.locator(WIDGET_ROOTS[opened.name]).first).to_be_visible()
    text = notebook.inner_text()
    for symptom in ("Loading widget", "Error displaying widget", "model not found"):
        assert symptom not in text, f"{opened.name} shows {symptom!r}"
    assert unexpected(opened.errors) == []
