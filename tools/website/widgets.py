"""Widgets on a page without a kernel: the saved state, its controls that need a kernel
disabled (with a note), and a static snapshot of each widget for a page read without
JavaScript."""

from __future__ import annotations

import html
import math
import re
from typing import Any

from nbhelpers.display.kernel_only import KERNEL_NOTE
from nbhelpers.display.widgetkit import NEEDS_KERNEL

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"



def _ref(value: Any) -> str | None:
    return value[len("IPY_MODEL_"):] if isinstance(value, str) and value.startswith("IPY_MODEL_") else None


def saved_widgets(nb: Any) -> dict[str, Any]:
    """The notebook's saved widget state: model id → model (empty when none was saved)."""
    return nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})


def _label(model: dict[str, Any]) -> str:
    state = model.get("state", {})
    return str(state.get("description") or model.get("model_name", "").removesuffix("Model"))


def disable_kernel_controls(models: dict[str, Any]) -> list[str]:
    """Disable every control marked ``NEEDS_KERNEL`` and put a note under the row it is in.

    On a page without a kernel such a control would change its own label and leave the
    picture as it was (the gradient check's bug menu saying "no bug" above tables that say
    "a bug"). Returns the notes added. The state is changed in place.

    A state saved by a run without a front end carries the widgets' own notes (class
    ``KERNEL_NOTE``, from ``nbhelpers.display.kernel_only``): those are shown (a live session
    may have hidden them) and no other is added; the notes returned are theirs.
    """
    own = show_own_kernel_notes(models)
    parents = {c: mid for mid, m in models.items()
               for c in (_ref(v) for v in m.get("state", {}).get("children") or []) if c}
    rows: dict[tuple[str, str], list[str]] = {}
    for mid, model in models.items():
        if NEEDS_KERNEL not in (model.get("state", {}).get("_dom_classes") or []):
            continue
        model["state"]["disabled"] = True
        parent = parents.get(mid)
        if parent is None or own:
            continue
        box, after = (parents[parent], parent) if parent in parents else (parent, mid)
        rows.setdefault((box, after), []).append(_label(model))
    notes = []
    for n, ((box, after), labels) in enumerate(sorted(rows.items())):
        quoted = [f"“{label}”" for label in labels]
        names = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
        it = "it" if len(labels) == 1 else "them"
        note = (f"On this page {names} {'stays' if len(labels) == 1 else 'stay'} as saved: "
                f"run the notebook to change {it}.")
        note_id = f"site-note-{box[:8]}-{n}"
        models[note_id] = {
            "model_name": "HTMLModel", "model_module": "@jupyter-widgets/controls",
            "model_module_version": models[box].get("model_module_version", "2.0.0"),
            "state": {"value": f'<span class="site-kernel-note">{html.escape(note)}</span>',
                      "_dom_classes": ["site-kernel-note"],
                      "layout": _layout_of(models, after)}}
        children = models[box]["state"]["children"]
        children.insert(children.index(f"IPY_MODEL_{after}") + 1, f"IPY_MODEL_{note_id}")
        notes.append(note)
    return own or notes


def show_own_kernel_notes(models: dict[str, Any]) -> list[str]:
    """Make every note of class ``KERNEL_NOTE`` in the state visible; return their texts."""
    texts = []
    for model in models.values():
        state = model.get("state", {})
        if KERNEL_NOTE not in (state.get("_dom_classes") or []):
            continue
        layout = models.get(_ref(state.get("layout")) or "", {}).get("state", {})
        layout.pop("display", None)
        texts.append(html.unescape(re.sub(r"<[^>]+>", "", str(state.get("value", "")))))
    return texts


def _layout_of(models: dict[str, Any], near: str) -> str:
    """A layout model for a new widget: a fresh one, without width or display settings."""
    layout_id = f"site-layout-{near[:8]}"
    models.setdefault(layout_id, {
        "model_name": "LayoutModel", "model_module": "@jupyter-widgets/base",
        "model_module_version": "2.0.0", "state": {}})
    return f"IPY_MODEL_{layout_id}"


# --- snapshots, for a page read without JavaScript


def _number(state: dict[str, Any], value: Any) -> str:
    if isinstance(value, float):
        fmt = state.get("readout_format", ".2f")
        try:
            return format(value, fmt.lstrip("%").replace("d", "") or ".2f")
        except ValueError:
            return f"{value:.2f}"
    return html.escape(str(value))


def _inert(markup: str) -> str:
    """A widget's HTML without what would act in a live page (the stepper's page script
    hangs on an image's onerror): a snapshot only shows."""
    return re.sub(r"<img\b[^>]*\bonerror=[^>]*>", "", markup)


def _classes(state: dict[str, Any], *own: str) -> str:
    names = [*own, *(c for c in state.get("_dom_classes") or [] if isinstance(c, str))]
    return html.escape(" ".join(names))


def render_widget(model_id: str, models: dict[str, Any], seen: frozenset[str] = frozenset()) -> str:
    """Static HTML for one widget model and its children, from the saved widget state (the
    widget's own DOM classes kept, so that its style applies)."""
    model = models.get(model_id)
    if model is None or model_id in seen:
        return ""
    seen = seen | {model_id}
    name = model.get("model_name", "")
    state = model.get("state", {})
    layout = models.get(_ref(state.get("layout")) or "", {}).get("state", {})
    if layout.get("display") == "none" or layout.get("visibility") == "hidden":
        return ""
    description = html.escape(str(state.get("description") or ""))
    label = f"<span>{description}</span>" if description else ""
    children = [c for c in (_ref(v) for v in state.get("children") or []) if c]
    if name in ("TabModel", "StackModel") and children:   # only the page that was showing
        index = state.get("selected_index")
        children = [children[index if isinstance(index, int) and 0 <= index < len(children) else 0]]
    if children:
        inner = "".join(render_widget(c, models, seen) for c in children)
        kind = "ws-row" if name in ("HBoxModel", "GridBoxModel") else "ws-col"
        return f'<div class="{_classes(state, kind)}">{inner}</div>'
    if name in ("HTMLModel", "HTMLMathModel"):
        return f'<div class="{_classes(state, "ws-html")}">{label}{_inert(str(state.get("value", "")))}</div>'
    if name in ("LabelModel", "TextModel", "TextareaModel"):
        return (f'<div class="{_classes(state, "ws-control")}">{label}'
                f'<span>{html.escape(str(state.get("value", "")))}</span></div>')
    if name == "ButtonModel":
        text = description or html.escape(str(state.get("icon", "")))
        return f'<button class="{_classes(state)}" disabled>{text}</button>'
    if name == "PlayModel":
        return f'<button class="{_classes(state)}" disabled title="play">▶</button>'
    if name in ("IntSliderModel", "FloatSliderModel", "FloatLogSliderModel", "IntRangeSliderModel",
                "FloatRangeSliderModel", "SelectionSliderModel"):
        value = state.get("value", state.get("index", 0))
        lo, hi = state.get("min", 0), state.get("max", 100)
        pos = value if isinstance(value, int | float) else lo
        if name == "SelectionSliderModel":
            labels = state.get("_options_labels") or [""]
            index = state.get("index", 0)
            lo, hi, pos = 0, len(labels) - 1, index
            shown = html.escape(str(labels[index] if 0 <= index < len(labels) else ""))
        elif name == "FloatLogSliderModel":   # value is the number; min and max are exponents
            shown = format(value, state.get("readout_format", ".3g")) if isinstance(value, float) else value
            if isinstance(value, int | float) and value > 0:
                pos = round(math.log(value, state.get("base", 10)), 6)
        else:
            shown = _number(state, value)
        return (f'<div class="{_classes(state, "ws-control")}">{label}<input type="range" disabled '
                f'min="{lo}" max="{hi}" step="any" value="{pos}"><span>{shown}</span></div>')
    if name in ("DropdownModel", "SelectModel", "RadioButtonsModel", "ToggleButtonsModel"):
        options = state.get("_options_labels") or []
        index = state.get("index")
        opts = "".join(f"<option{' selected' if i == index else ''}>{html.escape(str(o))}</option>"
                       for i, o in enumerate(options))
        return f'<div class="{_classes(state, "ws-control")}">{label}<select disabled>{opts}</select></div>'
    if name in ("CheckboxModel", "ToggleButtonModel"):
        checked = " checked" if state.get("value") else ""
        return (f'<div class="{_classes(state, "ws-control")}"><input type="checkbox" disabled{checked}>'
                f"{label}</div>")
    if name == "OutputModel":
        return "".join(_output_html(o) for o in state.get("outputs") or [])
    if name.endswith("StyleModel") or name in ("LayoutModel", "LinkModel", "DirectionalLinkModel"):
        return ""
    kind = html.escape(name.removesuffix("Model"))
    return f'<div class="ws-control"><em>({kind}: run the notebook to use it)</em></div>'


def _output_html(output: dict[str, Any]) -> str:
    data = output.get("data", {})
    if "text/html" in data:
        return "".join(data["text/html"])
    if "image/png" in data:
        return f'<img src="data:image/png;base64,{"".join(data["image/png"]).strip()}">'
    text = output.get("text") or data.get("text/plain") or ""
    return f"<pre>{html.escape(''.join(text))}</pre>"


def widget_snapshot(model_id: str, models: dict[str, Any]) -> str | None:
    """The snapshot of one displayed widget, or None when its state was not saved."""
    if model_id not in models:
        return None
    return ('<div class="widget-snapshot"><div class="widget-snapshot-note">The widget as it was '
            "saved (JavaScript is off, so it does not move).</div>"
            f"{render_widget(model_id, models)}</div>")

