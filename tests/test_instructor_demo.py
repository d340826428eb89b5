"""The instructor's demo notebook: presentable cell by cell, its widgets driven and checked,
and the make targets of instructor mode pointing at the right things."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "notebooks" / "instructor-demo.ipynb"
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}


def _cells() -> list[dict]:
    return json.loads(DEMO.read_text())["cells"]


def _source(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _slide_type(cell: dict) -> str | None:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def test_every_cell_has_a_slide_type_and_topics_start_as_slides() -> None:
    cells = _cells()
    assert [i for i, c in enumerate(cells) if _slide_type(c) not in SLIDE_TYPES] == []
    assert _slide_type(cells[0]) == "slide"
    assert _slide_type(cells[1]) == "skip", "the setup cell runs without being shown"
    headings = [c for c in cells if c["cell_type"] == "markdown" and _source(c).startswith("## ")]
    assert len(headings) >= 8
    assert all(_slide_type(c) == "slide" for c in headings), "each section opens a slide"


def test_opens_with_a_title_and_what_it_is_for_and_ends_with_a_summary() -> None:
    cells = _cells()
    first, last = _source(cells[0]), _source(cells[-1])
    assert first.startswith("# Instructor demo · ")
    assert "00-start-here.ipynb#Course-map" in first and "00-start-here.ipynb#Course-map" in last
    assert "## How to present it" in first
    assert last.startswith("## Summary") and "### Try this" in last


def test_each_live_widget_is_followed_by_a_cell_that_drives_it_and_prints() -> None:
    code = [c for c in _cells() if c["cell_type"] == "code"]
    widgets = [i for i, c in enumerate(code) if _source(c).startswith("# NBVAL_IGNORE_OUTPUT")]
    assert len(widgets) >= 5
    presets = set()
    for i in widgets:
        shown = _source(code[i]).splitlines()[-1]
        name = shown.strip()
        assert name.isidentifier(), f"widget cell {i} ends with the widget itself"
        driver = _source(code[i + 1])
        assert not driver.startswith("# NBVAL_IGNORE_OUTPUT"), "nbval checks the driving cell"
        assert f"{name}." in driver and "print(" in driver
        presets |= {p for p in ("lecture", "XOR", "digits") if f'on("{p}"' in _source(code[i])}
    assert presets == {"lecture", "XOR", "digits"}, "every preset appears on a live widget"


@pytest.mark.parametrize(("target", "command"), [
    # --allow-root appears only when make runs as root (JupyterLab refuses root without it)
    ("demo", r"jupyter lab (--allow-root )?notebooks/instructor-demo\.ipynb"),
    ("student", r"tools/student_copies\.py build --out build/student"),
])
def test_make_targets_of_instructor_mode(target: str, command: str) -> None:
    dry_run = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True,
                             check=True)
    assert re.search(command, dry_run.stdout), dry_run.stdout
