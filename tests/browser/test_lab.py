"""The test JupyterLab itself: isolated, quiet, and with a working widget manager.

A small notebook written into the server's root shows an ipywidgets IntSlider and a Button
whose handler (in the kernel) moves the slider: clicking the button in Chromium and seeing
the slider's readout change proves the whole round trip, browser → kernel → browser.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from labdriver import WIDGET_EXTENSION, LabServer

SMOKE = "smoke-widgets.ipynb"
SMOKE_CODE = """\
import ipywidgets as widgets

slider = widgets.IntSlider(value=3, min=0, max=10, description="n")
button = widgets.Button(description="add one")
slider.add_class("smoke-slider")
button.add_class("smoke-button")


def add_one(_):
    slider.value += 1


button.on_click(add_one)
widgets.VBox([slider, button])"""


@pytest.fixture(scope="module")
def smoke(lab_server: LabServer, open_notebook: Any) -> Any:
    """The small widget notebook, written into the server's root and run in the browser."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Widgets smoke test"),
                nbformat.v4.new_code_cell(SMOKE_CODE)]
    nbformat.write(nb, lab_server.root / SMOKE)
    return open_notebook(SMOKE)


def _page_config(page: Any) -> dict[str, Any]:
    return json.loads(page.locator("#jupyter-config-data").text_content())


def test_server_uses_isolated_directories_and_finds_the_widget_extension(
        lab_server: LabServer, smoke: Any) -> None:
    config = _page_config(smoke.page)
    base = lab_server.base
    assert Path(config["userSettingsDir"]) == base / "settings"
    assert Path(config["workspacesDir"]) == base / "workspaces"
    assert Path(config["serverRoot"]) == lab_server.root
    extensions = [ext["name"] for ext in config["federated_extensions"]]
    assert WIDGET_EXTENSION in extensions
    assert WIDGET_EXTENSION not in config.get("disabledExtensions", [])
    assert config["news"]["disabled"] is True


def test_widget_round_trip_through_the_kernel(smoke: Any) -> None:
    page = smoke.page
    readout = page.locator(".smoke-slider .widget-readout")
    button = page.locator(".smoke-button")
    assert readout.inner_text() == "3"
    button.click()
    page.wait_for_function(
        "() => document.querySelector('.smoke-slider .widget-readout').textContent === '4'")
    button.click()
    page.wait_for_function(
        "() => document.querySelector('.smoke-slider .widget-readout').textContent === '5'")
    assert smoke.errors == []
