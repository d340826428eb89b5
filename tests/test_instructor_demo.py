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


def _sections() -> list[tuple[str, list[dict]]]:
    """(heading line, cells up to the next heading) for every "## N · …" section."""
    sections: list[tuple[str, list[dict]]] = []
    for c in _cells():
        first = _source(c).splitlines()[0] if _source(c) else ""
        if c["cell_type"] == "markdown" and re.match(r"## \d+ · ", first):
            sections.append((first[3:], []))
        elif c["cell_type"] == "markdown" and first.startswith("## "):
            sections.append((first[3:], []))
        elif sections:
            sections[-1][1].append(c)
    return [(h, cs) for h, cs in sections if re.match(r"\d+ · ", h)]


def test_code_is_hidden_and_the_driving_cells_fold_their_output() -> None:
    code = [c for c in _cells() if c["cell_type"] == "code"]
    assert all(c["metadata"].get("jupyter", {}).get("source_hidden") is True for c in code)
    for i, c in enumerate(code[:-1]):
        if _source(c).startswith("# NBVAL_IGNORE_OUTPUT"):
            driver = code[i + 1]
            assert driver["metadata"]["jupyter"].get("outputs_hidden") is True
            assert driver["outputs"], "the driving cell keeps its output (nbval compares it)"


def test_widgets_are_projector_sized_without_css_zoom() -> None:
    text = DEMO.read_text()
    assert "zoom" not in text
    setup = next(_source(c) for c in _cells() if "def on(" in _source(c))
    assert 'size="projector"' in setup
    from nbhelpers.display.widgetkit import SIZES
    assert "projector" in SIZES


def test_the_opening_map_lists_exactly_the_sections() -> None:
    first = _source(_cells()[0])
    rows = [line.split("|")[1].strip() for line in first.splitlines()
            if re.match(r"\| \d+ · ", line)]
    headings = [h for h, _ in _sections()]
    assert len(headings) == 8
    for row, heading in zip(rows, headings, strict=True):
        assert heading.startswith(row), (row, heading)
    assert "Cost J(Θ)" not in first


def test_each_section_with_a_widget_asks_its_class_question_with_a_folded_answer() -> None:
    summary = _source(_cells()[-1])
    assert "Ask the class" not in summary and "Questions to put to the class" not in summary
    for heading, cells in _sections():
        has_widget = any(_source(c).startswith("# NBVAL_IGNORE_OUTPUT") for c in cells)
        opening = next(_source(c) for c in _cells()
                       if _source(c).startswith(f"## {heading}"))
        if has_widget or heading.startswith(("2 ", "5 ")):
            assert "**Ask the class:**" in opening, heading
            assert "<details><summary>Answer</summary>" in opening, heading


def test_captions_follow_their_figures_and_are_short() -> None:
    cells = _cells()
    captions = [i for i, c in enumerate(cells) if c["cell_type"] == "markdown"
                and _source(c).startswith("*") and not _source(c).startswith("**")]
    assert len(captions) >= 6
    for i in captions:
        before = cells[i - 1]
        assert before["cell_type"] == "code" and any(
            "image/png" in o.get("data", {}) for o in before["outputs"]), i
        text = _source(cells[i]).strip().strip("*")
        assert "Figure:" not in text
        assert len(re.findall(r"[.!?](\s|$)", text)) <= 2, text
        assert len(text.split()) <= 45, text


@pytest.mark.parametrize(("target", "command"), [
    # --allow-root appears only when make runs as root (JupyterLab refuses root without it)
    ("demo", r"jupyter lab (--allow-root )?notebooks/instructor-demo\.ipynb"),
    ("student", r"tools/student_copies\.py build --out build/student"),
])
def test_make_targets_of_instructor_mode(target: str, command: str) -> None:
    dry_run = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True,
                             check=True)
    assert re.search(command, dry_run.stdout), dry_run.stdout


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _saved_models() -> dict[str, dict]:
    return json.loads(DEMO.read_text())["metadata"]["widgets"][WIDGET_STATE]["state"]


def _under(models: dict[str, dict], root: str) -> list[dict]:
    """The states of the models in the widget tree under ``root`` (children only)."""
    found, todo = [], [root]
    while todo:
        state = models[todo.pop()]["state"]
        found.append(state)
        todo += [c[len("IPY_MODEL_"):] for c in state.get("children") or []]
    return found


def _with_class(states: list[dict], css_class: str) -> list[dict]:
    return [s for s in states if css_class in (s.get("_dom_classes") or [])]


def test_after_run_all_every_widget_stands_at_its_first_step() -> None:
    """The saved state is what JupyterLab shows after Run All: the driving cells put every
    widget back where the class starts (they step it to check what it shows)."""
    models = _saved_models()
    roots = [o["data"][WIDGET_VIEW]["model_id"] for c in _cells() for o in c.get("outputs", [])
             if WIDGET_VIEW in o.get("data", {})]
    kinds = []
    for root in roots:
        states = _under(models, root)
        classes = set(models[root]["state"].get("_dom_classes") or [])
        if "bp-stepper" in classes:
            kinds.append("stepper")
            assert [s["value"] for s in _with_class(states, "bp-slider")] == [0]
            assert [s["index"] for s in _with_class(states, "bp-example")] == [0]   # i = 1
            stack = _with_class(states, "bp-stack")[0]
            assert stack["selected_index"] == 0
            first = models[stack["children"][0][len("IPY_MODEL_"):]]["state"]["value"]
            assert 'class="bp-counter">step 1 of ' in first
        elif "bp-accumulator" in classes:
            kinds.append("accumulator")
            assert [s["value"] for s in _with_class(states, "bp-acc-slider")] == [0]
            assert _with_class(states, "bp-stack")[0]["selected_index"] == 0
        elif "bp-gradcheck" in classes:
            kinds.append("gradient check")
            # no bug: the first option, shown by name
            assert [s["index"] for s in _with_class(states, "bp-bug")] == [0]
            eps = _with_class(states, "bp-eps")[0]
            assert eps["_options_labels"][eps["index"]] == "1e-4"
    assert sorted(kinds) == ["accumulator", "gradient check", "stepper", "stepper", "stepper"]


def test_the_notebooks_instructions_are_those_of_the_instructors_guide() -> None:
    """"How to present it" and docs/instructors.md's "Presenting in class" give the same steps."""
    first = _source(_cells()[0])
    notebook = first[first.index("## How to present it"):first.index("## Where the demo goes")]
    guide = (ROOT / "docs" / "instructors.md").read_text()
    guide = guide[guide.index("### Presenting in class"):]
    guide = guide[:guide.index("\n### ", 10) if "\n### " in guide[10:] else len(guide)]
    steps = re.findall(r"^\d\. (.*?)(?=^\d\. |^\s*$)", guide, re.M | re.S)
    assert len(steps) == 3
    said = " ".join(notebook.split())
    for step in steps:
        for phrase in re.findall(r"`[^`]+`|\*[^*]+\*|Ctrl\+\w|1024 × 768|heading", " ".join(step.split())):
            assert phrase in said, f"the guide says {phrase!r}, the notebook does not"
    for phrase in ("click the ellipsis", "RISE", "first step", "answer folded"):
        assert phrase in said and phrase in " ".join(guide.split()), phrase
