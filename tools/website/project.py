"""The Sphinx project of the course's website, and :func:`build`, which writes the site."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import nbformat
import student_copies
from notebook_runs import NOTEBOOKS

from nbhelpers.course.series import COURSE

from .pages import DEMO, INSTRUCTOR_PAGES, Edition, page_leaks, page_name, site_notebook

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
MATHJAX = NODE_MODULES / "mathjax" / "es5"
HTML_MANAGER = NODE_MODULES / "@jupyter-widgets" / "html-manager" / "dist"
# The combined MathJax component (TeX input, SVG output: no web fonts) and what it may load.
MATHJAX_FILES = ("tex-svg-full.js", "a11y", "ui", "input/tex/extensions")
# html-manager's stand-alone bundle and the Font Awesome fonts its style sheet names (webpack
# resolves them next to the script).
HTML_MANAGER_FILES = ("embed.js", "embed.js.LICENSE.txt")
HTML_MANAGER_FONTS = (".woff2", ".woff", ".ttf", ".eot", ".svg")
TITLE = "Backprop, step by step"
BINDERHUB = "https://mybinder.org"


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

