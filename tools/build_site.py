"""Build the course's website: static HTML pages of every notebook from its saved outputs.

    python tools/build_site.py --out build/site      # what `make site` runs

* Each notebook of the course map (nbhelpers.course.series.COURSE) and the instructor's demo
  becomes ``notebooks/<name>.html``, converted by nbconvert from the notebook as committed:
  no kernel runs, the pages show the stored outputs (figures, tables, printed values).
* Widgets become snapshots: each widget output is drawn from the widget state saved in the
  notebook (the values of its HTML and HTMLMath parts, its buttons, sliders and menus as they
  were), as static HTML that says it is a snapshot. No widget library is loaded.
* Equations are typeset by MathJax 3 (npm package ``mathjax``, installed by ``make site-deps``)
  copied into the site: no page loads anything from another site, and the pages work from
  ``file://`` as well as from any static web host (GitHub Pages, for one).
* ``index.html`` is the contents page with the course map; links between notebooks
  (``03-delta-terms.ipynb#…``) point to the pages (``03-delta-terms.html#…``), and a link to a
  Markdown file of the repository (``../docs/benchmarks.md``) to that file rendered as a page.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import re
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import mistune
import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from nbhelpers.course.series import COURSE  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"
MATHJAX = ROOT / "node_modules" / "mathjax" / "es5"
# The combined component (TeX input, SVG output: no web fonts) and what it may load on demand.
MATHJAX_FILES = ("tex-svg-full.js", "a11y", "ui", "input/tex/extensions")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
TITLE = "Backprop, step by step"
EXTRA_PAGES = (("instructor-demo.ipynb", "Instructor's demo"),)

TEMPLATE = r"""{%- extends 'lab/index.html.j2' -%}
{#- The lab template without anything fetched from another site. -#}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_mathjax -%}
{{ resources.site.mathjax_head }}
{%- endblock html_head_js_mathjax -%}
{%- block extra_css -%}
<style type="text/css">{{ resources.site.css }}</style>
{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.site.nav }}
{%- endblock body_header -%}
{%- block body_footer -%}
{{ resources.site.nav }}
{{ super() }}
{%- endblock body_footer -%}
"""

CSS = """
.site-nav {display: flex; gap: 1.5em; flex-wrap: wrap; padding: 8px 16px; margin: 0 0 8px 0;
           border-bottom: 1px solid #ccc; font-family: sans-serif; font-size: 15px;}
.site-nav a {text-decoration: none;}
.widget-snapshot {border: 1px dashed #999; padding: 6px 8px; margin: 4px 0;}
.widget-snapshot-note {font-size: 12px; color: #555; font-style: italic; margin-bottom: 4px;}
.widget-snapshot .ws-row {display: flex; flex-direction: row; flex-wrap: wrap; gap: 6px;
                          align-items: flex-start;}
.widget-snapshot .ws-col {display: flex; flex-direction: column; gap: 4px;}
.widget-snapshot .ws-control {display: inline-flex; gap: 4px; align-items: center; font-size: 14px;}
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
<style type="text/css">
body {{font-family: sans-serif; max-width: 1100px; margin: 0 auto; padding: 0 16px 32px 16px;
       line-height: 1.5; color: #111; background: #fff;}}
table {{border-collapse: collapse;}}
th, td {{border: 1px solid #bbb; padding: 4px 8px; text-align: left; vertical-align: top;}}
img {{max-width: 100%;}}
pre, code {{background: #f4f4f4;}}
{css}
</style>
</head>
<body>
{nav}
<main>
{body}
</main>
</body>
</html>
"""


def mathjax_head(prefix: str) -> str:
    """MathJax 3, configured like JupyterLab ($…$, $$…$$, \\(…\\), \\[…\\]), loaded from the site."""
    config = {
        "tex": {"inlineMath": [["$", "$"], ["\\(", "\\)"]],
                "displayMath": [["$$", "$$"], ["\\[", "\\]"]],
                "processEscapes": True, "processEnvironments": True},
        "svg": {"fontCache": "global"},
        "loader": {"paths": {"mathjax": f"{prefix}assets/mathjax"}},
    }
    return (f"<script>window.MathJax = {json.dumps(config)};</script>\n"
            f'<script id="MathJax-script" src="{prefix}assets/mathjax/tex-svg-full.js"></script>')


# ---------------------------------------------------------------------------------------------
# Widgets as snapshots of their saved state


def _ref(value: Any) -> str | None:
    return value[len("IPY_MODEL_"):] if isinstance(value, str) and value.startswith("IPY_MODEL_") else None


def _number(state: dict[str, Any], value: Any) -> str:
    if isinstance(value, float):
        fmt = state.get("readout_format", ".2f")
        try:
            return format(value, fmt.lstrip("%").replace("d", "") or ".2f")
        except ValueError:
            return f"{value:.2f}"
    return html.escape(str(value))


def _inert(markup: str) -> str:
    """A widget's HTML without what would act in a live front end (the stepper's in-browser
    stepping hangs on an image's onerror): a snapshot only shows."""
    return re.sub(r"<img\b[^>]*\bonerror=[^>]*>", "", markup)


def render_widget(model_id: str, models: dict[str, Any], seen: frozenset[str] = frozenset()) -> str:
    """Static HTML for one widget model and its children, from the saved widget state."""
    model = models.get(model_id)
    if model is None or model_id in seen:
        return ""
    seen = seen | {model_id}
    name = model.get("model_name", "")
    state = model.get("state", {})
    if state.get("layout") and _ref(state["layout"]) in models:
        display = models[_ref(state["layout"])].get("state", {}).get("display")
        visibility = models[_ref(state["layout"])].get("state", {}).get("visibility")
        if display == "none" or visibility == "hidden":
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
        return f'<div class="{kind}">{inner}</div>'
    if name in ("HTMLModel", "HTMLMathModel"):
        return f'<div class="ws-html">{label}{_inert(str(state.get("value", "")))}</div>'
    if name in ("LabelModel", "TextModel", "TextareaModel"):
        return f'<div class="ws-control">{label}<span>{html.escape(str(state.get("value", "")))}</span></div>'
    if name == "ButtonModel":
        return f'<button disabled>{description or html.escape(str(state.get("icon", "")))}</button>'
    if name == "PlayModel":
        return '<button disabled title="play">▶</button>'
    if name in ("IntSliderModel", "FloatSliderModel", "FloatLogSliderModel", "IntRangeSliderModel",
                "FloatRangeSliderModel"):
        value = state.get("value", 0)
        lo, hi = state.get("min", 0), state.get("max", 100)
        pos = value if isinstance(value, int | float) else lo
        if name == "FloatLogSliderModel":   # value is the number; min and max are exponents
            shown = format(value, state.get("readout_format", ".3g")) if isinstance(value, float) else value
            if isinstance(value, int | float) and value > 0:
                pos = round(math.log(value, state.get("base", 10)), 6)
        else:
            shown = _number(state, value)
        return (f'<div class="ws-control">{label}<input type="range" disabled min="{lo}" max="{hi}" '
                f'step="any" value="{pos}"><span>{shown}</span></div>')
    if name in ("DropdownModel", "SelectModel", "RadioButtonsModel", "ToggleButtonsModel"):
        options = state.get("_options_labels") or []
        index = state.get("index")
        opts = "".join(f"<option{' selected' if i == index else ''}>{html.escape(str(o))}</option>"
                       for i, o in enumerate(options))
        return f'<div class="ws-control">{label}<select disabled>{opts}</select></div>'
    if name in ("CheckboxModel", "ToggleButtonModel"):
        checked = " checked" if state.get("value") else ""
        return f'<div class="ws-control"><input type="checkbox" disabled{checked}>{label}</div>'
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
    """The whole snapshot of one displayed widget, or None when its state was not saved."""
    if model_id not in models:
        return None
    return ('<div class="widget-snapshot"><div class="widget-snapshot-note">A snapshot of the widget '
            "as saved; run the notebook to use it.</div>"
            f"{render_widget(model_id, models)}</div>")


def snapshot_widgets(nb: Any) -> int:
    """Replace every widget output by its static snapshot (text/html); return how many."""
    saved = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    count = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                continue
            snapshot = widget_snapshot(view.get("model_id", ""), saved)
            del output["data"][WIDGET_VIEW]
            if snapshot is not None:
                output["data"]["text/html"] = snapshot
                count += 1
    nb.metadata.pop("widgets", None)
    return count


# ---------------------------------------------------------------------------------------------
# Links


def page_name(notebook: str) -> str:
    return notebook.removesuffix(".ipynb") + ".html"


LINK = re.compile(r'(?P<attr>\b(?:href|src))="(?P<url>[^"]*)"')


def rewrite_links(text: str, here: Path, out_dir: Path, site: Path, pages: set[str],
                  todo: list[tuple[Path, Path]]) -> str:
    """Point links at notebooks to their pages, and copy (or render) linked repository files.

    ``here`` is the source folder of the page, ``out_dir`` its folder in the site; other files
    of the repository that a page links to are copied to the same place relative to the site
    (Markdown files are queued in ``todo`` to be rendered as pages).
    """
    def fix(m: re.Match[str]) -> str:
        attr, url = m.group("attr"), html.unescape(m.group("url"))
        if not url or re.match(r"^[a-z][a-z0-9+.-]*:|^#|^//", url, re.I):
            return m.group(0)
        path, _, anchor = url.partition("#")
        anchor = f"#{anchor}" if anchor else ""
        if path.endswith(".ipynb") and Path(path).name in pages and "/" not in path:
            return f'{attr}="{html.escape(page_name(path))}{anchor}"'
        source = (here / path).resolve()
        if not source.is_file() or ROOT not in source.parents:
            return m.group(0)
        target = (out_dir / path).resolve()
        if site.resolve() not in target.parents:
            return m.group(0)
        if source.suffix == ".md":
            todo.append((source, target.with_suffix(".html")))
            return f'{attr}="{html.escape(str(Path(path).with_suffix(".html")))}{anchor}"'
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        return m.group(0)

    return LINK.sub(fix, text)


# ---------------------------------------------------------------------------------------------
# Pages


def nav(prefix: str, previous: tuple[str, str] | None, following: tuple[str, str] | None) -> str:
    parts = [f'<a href="{prefix}index.html">Contents</a>']
    if previous:
        parts.append(f'<a href="{previous[0]}" rel="prev">← {html.escape(previous[1])}</a>')
    if following:
        parts.append(f'<a href="{following[0]}" rel="next">{html.escape(following[1])} →</a>')
    return f'<nav class="site-nav">{" ".join(parts)}</nav>'


def exporter(template_dir: Path) -> HTMLExporter:
    (template_dir / "site").mkdir(parents=True, exist_ok=True)
    (template_dir / "site" / "index.html.j2").write_text(TEMPLATE)
    (template_dir / "site" / "conf.json").write_text(json.dumps({"base_template": "lab"}))
    exp = HTMLExporter(extra_template_basedirs=[str(template_dir)], template_name="site")
    exp.exclude_anchor_links = False
    return exp


def notebook_page(exp: HTMLExporter, source: Path, title: str, nav_html: str) -> tuple[str, int]:
    nb = nbformat.read(source, as_version=4)
    nb.metadata["title"] = f"{title} · {TITLE}"
    widgets = snapshot_widgets(nb)
    resources = {"site": {"mathjax_head": mathjax_head("../"), "css": CSS, "nav": nav_html},
                 "metadata": {"name": source.stem}}
    body, _ = exp.from_notebook_node(nb, resources=resources)
    return body, widgets


def contents_page() -> str:
    rows = "\n".join(
        f'<tr><td><a href="notebooks/{page_name(lesson.file)}">'
        f'{html.escape(lesson.file.removesuffix(".ipynb"))}</a></td>'
        f"<td>{html.escape(lesson.title)}</td><td>{html.escape(lesson.lecture_step)}</td></tr>"
        for lesson in COURSE)
    extra = "".join(f'<li><a href="notebooks/{page_name(f)}">{html.escape(t)}</a></li>'
                    for f, t in EXTRA_PAGES)
    body = f"""
<h1>{TITLE}</h1>
<p>A course on the backpropagation algorithm as Andrew Ng's lecture "Backpropagation Algorithm"
(Machine Learning, Coursera) presents it, one step per notebook and in the lecture's notation.
These pages show each notebook with the outputs it was saved with: the figures, equations and
tables, and each widget as a snapshot. To run the code, do the exercises and use the widgets,
clone the repository and run <code>make lab</code>.</p>
<h2 id="course-map">Course map</h2>
<table class="course-map">
<thead><tr><th>Notebook</th><th>What it teaches</th><th>Lecture step</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<h2>Also</h2>
<ul>{extra}</ul>
"""
    return PAGE.format(title=TITLE, css=CSS, nav="", body=body)


def markdown_page(source: Path, target: Path, site: Path, todo: list[tuple[Path, Path]]) -> None:
    prefix = "../" * (len(target.relative_to(site).parts) - 1)
    body = str(mistune.html(source.read_text()))
    body = rewrite_links(body, source.parent, target.parent, site, set(), todo)
    title = source.stem.replace("-", " ").capitalize()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(PAGE.format(title=f"{title} · {TITLE}", css=CSS,
                                  nav=nav(prefix, None, None), body=body))


def copy_mathjax(site: Path, mathjax: Path = MATHJAX) -> None:
    if not (mathjax / "tex-svg-full.js").is_file():
        sys.exit(f"MathJax is missing ({mathjax}): run `make site-deps` (npm ci) first.")
    dest = site / "assets" / "mathjax"
    for name in MATHJAX_FILES:
        source = mathjax / name
        if source.is_dir():
            shutil.copytree(source, dest / name, dirs_exist_ok=True)
        else:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest / name)
    shutil.copyfile(mathjax.parent / "LICENSE", dest / "LICENSE")


def lessons() -> list[tuple[str, str]]:
    return [(lesson.file, lesson.title) for lesson in COURSE] + list(EXTRA_PAGES)


def build(site: Path, notebooks: Path = NOTEBOOKS, mathjax: Path = MATHJAX,
          only: Iterable[str] | None = None) -> dict[str, int]:
    """Write the site to ``site`` (emptied first); return each page's number of widget snapshots."""
    site = site.resolve()
    if site.exists():
        shutil.rmtree(site)
    (site / "notebooks").mkdir(parents=True)
    copy_mathjax(site, mathjax)
    exp = exporter(site / ".templates")
    chosen = [(f, t) for f, t in lessons() if only is None or f in set(only)]
    pages = {f for f, _ in chosen}
    todo: list[tuple[Path, Path]] = []
    widgets = {}
    series = [(f, t) for f, t in chosen if (f, t) not in EXTRA_PAGES]
    for file, title in chosen:
        i = series.index((file, title)) if (file, title) in series else None
        prev = (page_name(series[i - 1][0]), series[i - 1][1]) if i else None
        last = i is None or i + 1 == len(series)
        nxt = None if last else (page_name(series[i + 1][0]), series[i + 1][1])
        body, widgets[file] = notebook_page(exp, notebooks / file, title, nav("../", prev, nxt))
        body = rewrite_links(body, notebooks, site / "notebooks", site, pages, todo)
        (site / "notebooks" / page_name(file)).write_text(body)
    done: set[Path] = set()
    while todo:
        source, target = todo.pop()
        if target not in done:
            done.add(target)
            markdown_page(source, target, site, todo)
    (site / "index.html").write_text(contents_page())
    shutil.rmtree(site / ".templates")
    (site / ".nojekyll").touch()   # GitHub Pages: serve the files as they are
    return widgets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    args = parser.parse_args(argv)
    widgets = build(args.out)
    print(f"Wrote {len(widgets)} pages and the contents page to {args.out}/index.html "
          f"({sum(widgets.values())} widget snapshots).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
