"""The widget state saved in each notebook: what every viewer without a kernel draws.

The website, a static viewer and JupyterLab before a cell runs again all render the saved
state as it is. So, in every notebook, after Run All (tools/execute_notebooks.py):

* every widget stands where a reader starts: a stepper at its first step on example i = 1,
  the gradient check with no bug at ε = 10⁻⁴, an accumulator at its default i (m; the
  instructor's demo sets 0, tests/test_instructor_demo.py);
* the two ends of every link in the browser agree (a link starts by copying its source to its
  target: a Play left behind its slider would move the slider on the page);
* every control that needs a kernel is saved disabled, with a visible note that names it, and
  the link a live front end answers is saved unanswered.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from nbhelpers.display.kernel_only import KERNEL_NOTE, KERNEL_PING
from nbhelpers.display.widgetkit import NEEDS_KERNEL

ROOT = Path(__file__).resolve().parents[1]
VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"
DEMO = "instructor-demo.ipynb"


def saved(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The saved models of a notebook, and the widgets its outputs display (their roots)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    models = nb["metadata"].get("widgets", {}).get(STATE, {}).get("state", {})
    roots = [o["data"][VIEW]["model_id"] for c in nb["cells"] for o in c.get("outputs", [])
             if VIEW in o.get("data", {})]
    return models, roots


WITH_WIDGETS = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb")) if saved(p)[1]]


def ref(value: Any) -> str:
    assert isinstance(value, str) and value.startswith("IPY_MODEL_"), value
    return value[len("IPY_MODEL_"):]


def classes(model: dict[str, Any]) -> list[str]:
    return model["state"].get("_dom_classes") or []


def under(models: dict[str, Any], root: str) -> list[str]:
    """The ids of the models in the displayed tree under ``root`` (children only)."""
    found, todo = [], [root]
    while todo:
        mid = todo.pop(0)
        found.append(mid)
        todo += [ref(c) for c in models[mid]["state"].get("children") or []]
    return found


def one(models: dict[str, Any], ids: list[str], css_class: str) -> dict[str, Any]:
    state = [models[i]["state"] for i in ids if css_class in classes(models[i])]
    assert len(state) == 1, f"{len(state)} widgets of class {css_class}"
    return state[0]


def shown(models: dict[str, Any], mid: str) -> bool:
    layout = models.get(ref(models[mid]["state"]["layout"]), {}).get("state", {})
    return layout.get("display") != "none" and layout.get("visibility") != "hidden"


def test_the_notebooks_with_widgets_are_found() -> None:
    names = [p.name for p in WITH_WIDGETS]
    for expected in ("03-delta-terms.ipynb", "04-accumulators.ipynb", "06-gradient-checking.ipynb", DEMO):
        assert expected in names


@pytest.mark.parametrize("path", WITH_WIDGETS, ids=lambda p: p.name)
def test_every_widget_is_saved_where_a_reader_starts(path: Path) -> None:
    models, roots = saved(path)
    for root in roots:
        ids = under(models, root)
        kind = set(classes(models[root]))
        if "bp-stepper" in kind:
            assert one(models, ids, "bp-slider")["value"] == 0
            assert one(models, ids, "bp-play")["value"] == 0
            assert one(models, ids, "bp-example")["index"] == 0          # i = 1
            assert one(models, ids, "bp-prev")["disabled"] is True
            stack = one(models, ids, "bp-stack")
            assert stack["selected_index"] == 0
            assert 'class="bp-counter">step 1 of ' in models[ref(stack["children"][0])]["state"]["value"]
        elif "bp-gradcheck" in kind:
            assert one(models, ids, "bp-bug")["index"] == 0      # the lecture's algorithm, shown
            eps = one(models, ids, "bp-eps")
            assert eps["_options_labels"][eps["index"]] == "1e-4"
            assert one(models, ids, "bp-stack")["selected_index"] == eps["index"]
        elif "bp-accumulator" in kind:
            slider = one(models, ids, "bp-acc-slider")
            start = 0 if path.name == DEMO else slider["max"]
            assert slider["value"] == one(models, ids, "bp-acc-play")["value"] == start


@pytest.mark.parametrize("path", WITH_WIDGETS, ids=lambda p: p.name)
def test_both_ends_of_every_link_agree_and_the_kernels_link_is_unanswered(path: Path) -> None:
    models, _ = saved(path)
    links = [m["state"] for m in models.values()
             if m["model_name"] in ("LinkModel", "DirectionalLinkModel")]
    for link in links:
        (source, source_trait), (target, target_trait) = link["source"], link["target"]
        source_value = models[ref(source)]["state"][source_trait]
        target_value = models[ref(target)]["state"][target_trait]
        if KERNEL_PING in classes(models[ref(target)]):
            assert (source_value, target_value) == (True, False)
        else:
            assert source_value == target_value, (link, source_value, target_value)


@pytest.mark.parametrize("path", WITH_WIDGETS, ids=lambda p: p.name)
def test_every_control_that_needs_a_kernel_is_saved_disabled_under_a_note_naming_it(path: Path) -> None:
    models, roots = saved(path)
    marked = 0
    for root in roots:
        ids = under(models, root)
        notes = [unescape(re.sub(r"<[^>]+>", "", models[i]["state"]["value"])) for i in ids
                 if KERNEL_NOTE in classes(models[i]) and shown(models, i)]
        for i in ids:
            if NEEDS_KERNEL not in classes(models[i]):
                continue
            marked += 1
            state = models[i]["state"]
            assert state["disabled"] is True, state.get("description")
            name = f"“{state.get('description') or models[i]['model_name'].removesuffix('Model')}”"
            assert [n for n in notes if name in n and "run the notebook" in n], (name, notes)
    steppers = sum("bp-stepper" in classes(models[r]) for r in roots)
    explorers = sum("bp-gradcheck" in classes(models[r]) for r in roots)
    assert marked >= 3 * steppers + explorers
