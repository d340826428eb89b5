"""Build the course's website: a book of the notebooks, with live widgets and no kernel.

    python tools/build_site.py --out build/site                 # make site: the students' site
    python tools/build_site.py --out build/site-instructor --instructor   # make site-instructor

The generator is Sphinx with MyST-NB (notebooks as pages, from their saved outputs: no kernel
runs) and sphinx-book-theme (the contents sidebar, the in-page contents, search, previous and
next, a download of the notebook and a launch link on each page). Everything a page loads is
copied into the site, so it works opened from disk (``file://``) and from any static host:

* the widgets run in the browser from the widget state saved in each notebook, rendered by
  ``@jupyter-widgets/html-manager`` (npm, pinned in package.json): the stepper's Next, Prev,
  Reset, Play and slider, the explorers' sliders. Controls whose effect the kernel computes
  (``widgetkit.NEEDS_KERNEL``: the example chooser, λ, m, the bug menu) are shown disabled,
  with a one-line note. Where JavaScript is off, each widget shows a static snapshot of its
  saved state (``<noscript>``);
* equations are typeset by MathJax 3 (npm ``mathjax``); a small shim gives the widgets'
  HTMLMath the ``MathJax.Hub.Queue`` of MathJax 2 that html-manager calls;
* the search is Sphinx's own (an index in ``searchindex.js``, no server).

The students' site is built from the student copies (``tools/student_copies.py``, which refuses
to write a copy that shows a solution line), and :func:`page_leaks` checks every built page
the same way. The instructor's site is built from the instructor's notebooks: each solution
is folded under its exercise (the exercise shows as the students see it), and the instructor's
demo is added. On both, test markers (``# NBVAL_…``, ``# noqa``) are taken out of the code
shown, and the notebook offered for download is the student copy (or the instructor's
notebook) exactly as written.
"""

from __future__ import annotations

import argparse
import copy
import html
import math
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
import student_copies
from notebook_runs import NOTEBOOKS

from nbhelpers.course.series import COURSE

ROOT = Path(__file__).resolve().parents[1]
from nbhelpers.display.kernel_only import KERNEL_NOTE  # noqa: E402
from nbhelpers.display.widgetkit import NEEDS_KERNEL  # noqa: E402

NODE_MODULES = ROOT / "node_modules"
MATHJAX = NODE_MODULES / "mathjax" / "es5"
HTML_MANAGER = NODE_MODULES / "@jupyter-widgets" / "html-manager" / "dist"
# The combined MathJax component (TeX input, SVG output: no web fonts) and what it may load.
MATHJAX_FILES = ("tex-svg-full.js", "a11y", "ui", "input/tex/extensions")
# html-manager's stand-alone bundle and the Font Awesome fonts its style sheet names (webpack
# resolves them next to the script).
HTML_MANAGER_FILES = ("embed.js", "embed.js.LICENSE.txt")
HTML_MANAGER_FONTS = (".woff2", ".woff", ".ttf", ".eot", ".svg")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
TITLE = "Backprop, step by step"
DEMO = "instructor-demo.ipynb"
INSTRUCTOR_PAGES = ((DEMO, "Instructor's demo"),)
BINDERHUB = "https://mybinder.org"

# Test markers: nbval's cell comments, and ruff's no-QA comments (their explanation is kept).
NBVAL_LINE = re.compile(r"^\s*#\s*NBVAL_[A-Z_]+\s*$")
# A link to a notebook of the series in a Markdown output (the course map of notebook 00).
OUTPUT_LINK = re.compile(r"\]\(((?:\d\d-[A-Za-z0-9_-]+|instructor-demo))\.ipynb(#[^)\s]*)?\)")
NOQA = re.compile(r"#\s*noqa(?::\s*[A-Z]+[0-9]*(?:\s*,\s*[A-Z]+[0-9]*)*)?\s*")


@dataclass(frozen=True)
class Edition:
    """Which site: the students' (the default) or the instructor's."""

    instructor: bool = False

    @property
    def name(self) -> str:
        return "instructor" if self.instructor else "students"


# ---------------------------------------------------------------------------------------------
# The code as readers see it


def reader_source(source: str) -> str:
    """A code cell's source without the test markers: lines ``# NBVAL_…`` go, and ``# noqa…``
    leaves only its explanation (``# noqa: F401 — for hint()`` becomes ``# for hint()``)."""
    lines = []
    for line in source.split("\n"):
        if NBVAL_LINE.match(line):
            continue
        if "#" in line and NOQA.search(line):
            code, _, comment = line.partition("#")
            rest = NOQA.sub("", "#" + comment, count=1).strip()
            rest = rest.lstrip("—–-:; ").strip()
            if rest.startswith("(") and rest.endswith(")"):
                rest = rest[1:-1].strip()
            line = f"{code.rstrip()}  # {rest}" if rest and code.strip() else (
                f"{code}# {rest}" if rest else code.rstrip())
        lines.append(line)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Widgets: the saved state, made right for a page without a kernel


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


# ---------------------------------------------------------------------------------------------
# Notebooks as the site shows them


def _fold_solutions(nb: Any, name: str) -> int:
    """The instructor's site: each exercise cell shows its scaffold (what students see), and a
    markdown cell under it holds the solution, folded. Returns the number of cells folded."""
    regions = student_copies.notebook_regions(nb, name)
    for index in sorted(regions, reverse=True):
        cell = nb.cells[index]
        solution = reader_source(cell.source)
        cell.source = student_copies.scaffold_source(cell.source, regions[index])
        fence = "````" if "```" in solution else "```"
        nb.cells.insert(index + 1, nbformat.v4.new_markdown_cell(
            f'<details class="site-solution"><summary>Solution</summary>\n\n'
            f"{fence}python\n{solution}\n{fence}\n\n</details>",
            metadata={"site_solution": True}))
    return len(regions)


def site_notebook(nb: Any, name: str, edition: Edition) -> Any:
    """The notebook as its page shows it (a copy; ``nb`` is left as it is): test markers out of
    the code, hidden code cells folded, controls that need a kernel disabled with a note, a
    static snapshot of each widget for a page read without JavaScript and, on the
    instructor's site, each solution folded under its exercise."""
    nb = copy.deepcopy(nb)
    if edition.instructor:
        _fold_solutions(nb, name)
    models = saved_widgets(nb)
    disable_kernel_controls(models)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.source = reader_source(cell.source)
        tags = cell.metadata.setdefault("tags", [])
        if cell.metadata.get("jupyter", {}).get("source_hidden") and "hide-input" not in tags:
            tags.append("hide-input")
        outputs = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/markdown" in data:   # links in a printed table are not resolved like prose
                text = data["text/markdown"]
                text = "".join(text) if isinstance(text, list) else text
                data["text/markdown"] = OUTPUT_LINK.sub(r"](\1.html\2)", text)
            view = data.get(WIDGET_VIEW)
            snapshot = widget_snapshot(view.get("model_id", ""), models) if view else None
            if snapshot is not None:
                outputs.append(nbformat.v4.new_output(
                    "display_data", data={"text/html": f"<noscript>{snapshot}</noscript>"}))
            outputs.append(output)
        cell.outputs = outputs
    return nb


# ---------------------------------------------------------------------------------------------
# Leaks: a solution line on a page of the students' site


class _PageText(HTMLParser):
    """The text of a built page, in pieces labelled like student_copies' places: the code of
    a cell, the prose around the cells, and everything a cell puts out (its outputs, the
    widgets' saved state and their snapshots)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: dict[str, list[str]] = {"(code source)": [], "(markdown source)": [],
                                             "(output)": []}
        self._stack: list[str] = []

    def _where(self) -> str:
        if "output" in self._stack:
            return "(output)"
        return "(code source)" if "input" in self._stack else "(markdown source)"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "input", "meta", "link", "hr", "wbr", "source", "col"):
            return
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        kind = ("output" if "cell_output" in classes or "application/vnd.jupyter" in (found.get("type") or "")
                else "input" if "cell_input" in classes else tag)
        self._stack.append(kind)
        for name, value in attrs:   # a title or an alt text is shown too
            if name in ("title", "alt", "aria-label") and value:
                self.pieces[self._where()].append(value)

    def handle_endtag(self, tag: str) -> None:
        if self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        self.pieces[self._where()].append(data)


def page_leaks(page_html: str, instructor: Any, name: str, label: str) -> list[str]:
    """Where a solution piece of the instructor's notebook ``instructor`` shows on a built page
    (its HTML), as :func:`student_copies.find_leaks` finds them in a student copy."""
    text = _PageText()
    text.feed(page_html)
    for script in re.findall(r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>',
                             page_html, re.S):   # the widgets' own HTML, as saved
        text.pieces["(output)"].append(html.unescape(script))
    extra = {f"{label} {where}": "\n".join(parts) for where, parts in text.pieces.items()}
    return student_copies.find_leaks(instructor, nbformat.v4.new_notebook(), name, extra)


# ---------------------------------------------------------------------------------------------
# The Sphinx project


MATHJAX_CONFIG = r"""// MathJax 3 for the pages, and the MathJax 2 call (MathJax.Hub.Queue) that the widgets'
// HTMLMath makes through @jupyter-widgets/html-manager, passed on to MathJax 3.
(function () {
  var early = [];
  var typeset = function (element) {
    MathJax.startup.promise = MathJax.startup.promise
      .then(function () { return MathJax.typesetPromise([element]); })
      .catch(function (error) { console.warn("MathJax:", error); });
  };
  window.MathJax = {
    tex: {inlineMath: [["$", "$"], ["\\(", "\\)"]], displayMath: [["$$", "$$"], ["\\[", "\\]"]],
          processEscapes: true, processEnvironments: true},
    options: {ignoreHtmlClass: "tex2jax_ignore|mathjax_ignore", processHtmlClass: "tex2jax_process"},
    svg: {fontCache: "global"},
    Hub: {Queue: function (command) { if (command && command[2]) early.push(command[2]); }},
    startup: {
      ready: function () {
        MathJax.startup.defaultReady();
        MathJax.Hub = {Queue: function (command) { if (command && command[2]) typeset(command[2]); }};
        early.forEach(typeset);
        early = [];
      }
    }
  };
})();
"""

SITE_CSS = """/* The course's own additions to sphinx-book-theme (one style sheet for every page). */
/* Widgets: never wider than the page; a wide picture or table scrolls inside its box. */
.cell_output .widget-subarea, .cell_output .jupyter-widgets { max-width: 100%; }
.cell_output .jupyter-widgets.widget-hbox { flex-wrap: wrap; }
.cell_output .widget-html-content { overflow-x: auto; max-width: 100%; }
.cell_output .widget-slider { max-width: 100%; }
.site-kernel-note, .bp-kernel-note { font-size: 0.9em; font-style: italic;
  color: var(--pst-color-text-muted); }
.widget-snapshot { border: 1px dashed var(--pst-color-border); padding: 6px 8px; margin: 4px 0; }
.widget-snapshot-note { font-size: 12px; font-style: italic; margin-bottom: 4px; }
.widget-snapshot .ws-row { display: flex; flex-flow: row wrap; gap: 6px; align-items: flex-start; }
.widget-snapshot .ws-col { display: flex; flex-direction: column; gap: 4px; }
.widget-snapshot .ws-control { display: inline-flex; gap: 4px; align-items: center; }
details.site-solution > summary { cursor: pointer; font-weight: bold; }
/* The widgets are drawn for a light page (default_mode): no switch to a dark one. */
.theme-switch-button { display: none !important; }
/* Outputs and tables scroll inside their box at phone width, not the page. */
.cell_output, .bd-article table { max-width: 100%; overflow-x: auto; }
/* A long name in code in the prose or a heading (nb.backprop_vectorized) breaks, at 390 px. */
.bd-article code.literal, .bd-article code.literal span.pre { white-space: pre-wrap;
  overflow-wrap: anywhere; }
"""

ANCHORS = '''"""Heading anchors as JupyterLab makes them: the heading's words joined by '-'."""


def jupyter_anchor(text: str) -> str:
    return "-".join(text.split())
'''

# The theme turns every <i class="fa …"> into an SVG, also those that the widgets add later and
# then change (Play's icon: the change throws, and the links after it, to the picture, never
# run). Font Awesome is told to convert the page as it loads, and not to watch it afterwards.
LAYOUT = '''{% extends "!layout.html" %}
{%- block css %}
  <script>window.FontAwesomeConfig = {observeMutations: false};</script>
{{ super() }}
{%- endblock css %}
'''

CONF = '''# Sphinx configuration of the course's website, written by tools/build_site.py.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
project = {title!r}
author = "the course's authors"
copyright = "the course's authors"
html_title = {title!r}
extensions = ["myst_nb"]
root_doc = "index"
smartquotes = False   # the text as written (quotes in code names stay straight)
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
myst_update_mathjax = False
# Anchors as JupyterLab writes them (a notebook links "00-start-here.ipynb#Course-map").
myst_heading_slug_func = "site_anchors.jupyter_anchor"
nb_execution_mode = "off"
nb_ipywidgets_js = {{"html-manager/embed.js": {{}}}}
nb_output_stderr = "show"
mathjax_path = "mathjax/tex-svg-full.js"
mathjax_config_path = "mathjax-config.js"
html_theme = "sphinx_book_theme"
html_static_path = ["_static"]
templates_path = ["_templates"]
html_css_files = ["site.css"]
html_copy_source = True
html_sourcelink_suffix = ""
html_show_sourcelink = False
html_show_search_summary = False   # a summary would fetch each page, which file:// forbids
html_last_updated_fmt = None
html_theme_options = {theme!r}
# The widgets' colours are those of JupyterLab's light theme: the pages keep to it.
html_context = {{"default_mode": "light"}}
suppress_warnings = ["mystnb.unknown_mime_type", "misc.highlighting_failure", "myst.header"]


def setup(app):
    app.set_html_assets_policy("always")   # MathJax on every page: widgets typeset too
'''


def contents_page(edition: Edition, files: Sequence[str], extra: Sequence[tuple[str, str, str]]) -> str:
    """index.md: what the course is, the course map, and the table of contents (the sidebar)."""
    lessons = [lesson for lesson in COURSE if lesson.file in files]
    rows = "\n".join(
        f"| [{lesson.file[:2]}](notebooks/{lesson.file}) | {lesson.title} | {lesson.lecture_step} "
        f"| {lesson.minutes} min |" for lesson in lessons)
    toc = "\n".join(f"notebooks/{lesson.file.removesuffix('.ipynb')}" for lesson in lessons)
    more = ""
    for caption in dict.fromkeys(c for _, _, c in extra):
        more += (f"\n```{{toctree}}\n:caption: {caption}\n:maxdepth: 1\n\n"
                 + "\n".join(f"{t} <{p}>" for p, t, c in extra if c == caption) + "\n```\n")
    which = ("This is the **instructor's** edition: each solution is folded under its exercise."
             if edition.instructor else
             "The exercises are left for you to write: run the notebook to do them.")
    return f"""# {TITLE}

A course on the backpropagation algorithm as Andrew Ng's lecture "Backpropagation Algorithm"
(Machine Learning, Coursera) presents it, one step per notebook and in the lecture's notation.
Each page is a notebook with the outputs it was saved with: the figures, equations and tables,
and its widgets, which work here without installing anything (the stepper's Next, Prev and
Play, the explorers' sliders). {which} To run the code, download a notebook (the button at the
top of each page) or clone the repository and run `make lab`.

## Course map

| Notebook | What it teaches | Lecture step | Time |
|---|---|---|---|
{rows}

```{{toctree}}
:caption: The course
:maxdepth: 1
:hidden:

{toc}
```
{more}"""


def theme_options(repository: str | None, branch: str, binderhub: str | None) -> dict[str, Any]:
    """sphinx-book-theme's options: download, search, and a launch link when a repository is
    given (BinderHub builds its environment from the repository's environment.yml)."""
    options: dict[str, Any] = {
        "use_download_button": True, "use_fullscreen_button": False,
        "show_toc_level": 2, "home_page_in_toc": True, "show_navbar_depth": 1,
        "navigation_with_keys": False, "search_bar_text": "Search the course…",
    }
    if repository:
        options.update({"repository_url": repository, "repository_branch": branch,
                        "path_to_docs": "", "use_repository_button": True})
        if binderhub:
            options["launch_buttons"] = {"binderhub_url": binderhub,
                                         "notebook_interface": "jupyterlab"}
    return options


def default_repository() -> str | None:
    """The repository's ``origin`` on GitHub or GitLab, as an https address, if it has one."""
    try:
        url = subprocess.run(["git", "remote", "get-url", "origin"], cwd=ROOT, text=True,
                             capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    m = re.fullmatch(r"(?:https://|git@)(github\.com|gitlab\.com)[/:]([^/]+)/([^/]+?)(?:\.git)?/?", url)
    return f"https://{m.group(1)}/{m.group(2)}/{m.group(3)}" if m else None


def copy_assets(static: Path, mathjax: Path = MATHJAX, html_manager: Path = HTML_MANAGER) -> None:
    """MathJax and html-manager from node_modules/ into the site's _static/ folder."""
    missing = [p for p in (mathjax / "tex-svg-full.js", html_manager / "embed.js") if not p.is_file()]
    if missing:
        sys.exit(f"{', '.join(map(str, missing))} missing: run `make site-deps` (npm ci) first.")
    for name in MATHJAX_FILES:
        source, target = mathjax / name, static / "mathjax" / name
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    shutil.copyfile(mathjax.parent / "LICENSE", static / "mathjax" / "LICENSE")
    (static / "html-manager").mkdir(parents=True, exist_ok=True)
    for path in html_manager.iterdir():
        if path.name in HTML_MANAGER_FILES or path.suffix in HTML_MANAGER_FONTS:
            shutil.copyfile(path, static / "html-manager" / path.name)
    licence = html_manager.parent / "LICENSE"
    if licence.is_file():
        shutil.copyfile(licence, static / "html-manager" / "LICENSE")
    (static / "site.css").write_text(SITE_CSS)


def pages(edition: Edition, only: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(notebook file, title) of every page, in the order of the book."""
    chosen = [(lesson.file, lesson.title) for lesson in COURSE]
    if edition.instructor:
        chosen += list(INSTRUCTOR_PAGES)
    return [(f, t) for f, t in chosen if only is None or f in set(only)]


def source_notebooks(edition: Edition, notebooks: Path, files: Sequence[str], out: Path) -> dict[str, Any]:
    """The notebooks the pages are made from, written to ``out``: the student copies (through
    student_copies, which refuses a copy with a leak), or the instructor's notebooks."""
    out.mkdir(parents=True, exist_ok=True)
    series = [notebooks / f for f in files if f != DEMO]
    if edition.instructor:
        for f in files:
            shutil.copyfile(notebooks / f, out / f)
    elif series:
        student_copies.write_student_copies(series, out)
    return {f: nbformat.read(out / f, as_version=4) for f in files}


def build(site: Path, notebooks: Path = NOTEBOOKS, *, instructor: bool = False,
          repository: str | None = None, branch: str = "main", binderhub: str | None = BINDERHUB,
          only: Iterable[str] | None = None, mathjax: Path = MATHJAX,
          html_manager: Path = HTML_MANAGER) -> list[str]:
    """Write the site to ``site`` (emptied first); return the notebooks that became pages.

    Raises ``student_copies.LeakError`` when a page of the students' site would show a line of
    a solution (nothing is written then), and ``RuntimeError`` when Sphinx fails.
    """
    edition = Edition(instructor)
    chosen = pages(edition, only)
    files = [f for f, _ in chosen]
    site = site.resolve()
    with tempfile.TemporaryDirectory(prefix="site-src-") as tmp:
        src = Path(tmp) / "src"
        downloads = source_notebooks(edition, notebooks, files, Path(tmp) / "downloads")
        for f in files:
            page = site_notebook(downloads[f], f"notebooks/{f}", edition)
            nbformat.write(page, _mkparent(src / "notebooks" / f))
        extra = [(f"notebooks/{f.removesuffix('.ipynb')}", t, "For instructors") for f, t in chosen
                 if (f, t) in INSTRUCTOR_PAGES]
        _copy_linked_markdown(src, files, extra)
        (src / "index.md").write_text(contents_page(edition, files, extra))
        copy_assets(src / "_static", mathjax, html_manager)
        (src / "mathjax-config.js").write_text(MATHJAX_CONFIG)
        (src / "site_anchors.py").write_text(ANCHORS)
        _mkparent(src / "_templates" / "layout.html").write_text(LAYOUT)
        theme = theme_options(repository, branch, binderhub)
        (src / "conf.py").write_text(CONF.format(title=TITLE, theme=theme))
        out = Path(tmp) / "html"
        run = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", "1",
                              "-d", str(Path(tmp) / "doctrees"), str(src), str(out)],
                             capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(f"sphinx-build failed:\n{run.stdout}\n{run.stderr}")
        warnings = [w for w in run.stderr.splitlines() if "WARNING" in w or "ERROR" in w]
        if warnings:
            print("\n".join(warnings), file=sys.stderr)
        for f in files:   # the download is the notebook as written, not the page's version
            shutil.copyfile(Path(tmp) / "downloads" / f, out / "_sources" / "notebooks" / f)
        if not edition.instructor:
            leaks = [leak for f in files if f != DEMO for leak in page_leaks(
                (out / "notebooks" / page_name(f)).read_text(), nbformat.read(notebooks / f, as_version=4),
                f"notebooks/{f}", f"the page {page_name(f)}")]
            if leaks:
                raise student_copies.LeakError("\n".join(leaks))
        (out / ".buildinfo").unlink(missing_ok=True)
        (out / ".nojekyll").touch()   # GitHub Pages: serve the files as they are
        if site.exists():
            shutil.rmtree(site)
        site.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(out, site)
    return files


def _mkparent(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _copy_linked_markdown(src: Path, files: Sequence[str], extra: list[tuple[str, str, str]]) -> None:
    """Markdown files of the repository that a notebook links to (``../docs/benchmarks.md``)
    become pages of the site at the same place (with the pictures and files they link to),
    listed under "More"."""
    linked: set[Path] = set()
    for f in files:
        text = (src / "notebooks" / f).read_text()
        for target in re.findall(r"\]\((\.\./[^)#\s]+\.md)(?:#[^)]*)?\)", text):
            path = (NOTEBOOKS / target).resolve()
            if path.is_file() and path.is_relative_to(ROOT):
                linked.add(path)
    for path in sorted(linked):
        target = src / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        for link in re.findall(r"\]\(([^)#\s:]+)(?:#[^)]*)?\)", path.read_text()):
            linked_file = (path.parent / link).resolve()
            if linked_file.is_file() and linked_file.is_relative_to(ROOT) and linked_file.suffix != ".md":
                copied = src / linked_file.relative_to(ROOT)
                copied.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(linked_file, copied)
        extra.append((str(path.relative_to(ROOT).with_suffix("")), path.stem.replace("-", " ").capitalize(),
                      "More"))


def page_name(notebook: str) -> str:
    return notebook.removesuffix(".ipynb") + ".html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None,
                        help="the site's folder (default: build/site, or build/site-instructor)")
    parser.add_argument("--instructor", action="store_true",
                        help="the instructor's edition: solutions folded, the demo added")
    parser.add_argument("--repository", default=None,
                        help="the repository's address on GitHub or GitLab, for the launch and "
                             "repository links (default: git's origin, if it is one)")
    parser.add_argument("--branch", default="main", help="the branch the launch link opens")
    parser.add_argument("--binderhub", default=BINDERHUB,
                        help=f"the BinderHub of the launch link (default {BINDERHUB}; '' for none)")
    args = parser.parse_args(argv)
    out = args.out or ROOT / "build" / ("site-instructor" if args.instructor else "site")
    repository = args.repository if args.repository is not None else default_repository()
    try:
        files = build(out, instructor=args.instructor, repository=repository or None,
                      branch=args.branch, binderhub=args.binderhub or None)
    except student_copies.MarkerError as err:
        print(f"site not written: {err}", file=sys.stderr)
        return 1
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 1
    edition = "instructor's" if args.instructor else "students'"
    print(f"Wrote the {edition} site, {len(files)} notebook pages, to {out}/index.html"
          + ("" if repository else " (no launch link: give --repository)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
