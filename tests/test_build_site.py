"""The website builder (tools/build_site.py): what the notebooks become, and the built files.

The unit tests work on small notebooks and widget states made here. The rest build the
students' and the instructor's site once each (Sphinx, offline, MathJax and html-manager from
node_modules/) and read the files; tests/browser/test_site.py opens the pages in Chromium.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
import student_copies
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from website import pages, project, widgets

from nbhelpers.course.series import COURSE
from nbhelpers.display.kernel_only import KERNEL_NOTE
from nbhelpers.display.widgetkit import NEEDS_KERNEL

ROOT = Path(__file__).resolve().parents[1]
VIEW = widgets.WIDGET_VIEW
STATE = widgets.WIDGET_STATE
LAUNCH_REPO = "https://github.com/example-owner/backprop-course"
SITE_ASSETS = [project.MATHJAX / "tex-svg-full.js", project.HTML_MANAGER / "embed.js"]


def model(name: str, **state: object) -> dict[str, object]:
    return {"model_name": name, "model_module": "@jupyter-widgets/controls",
            "model_module_version": "2.0.0", "state": state}


def saved_state() -> dict[str, dict[str, object]]:
    return {
        "box": model("VBoxModel", children=["IPY_MODEL_row", "IPY_MODEL_eq", "IPY_MODEL_gone"],
                     _dom_classes=["bp-stepper", "bp-size-normal"]),
        "row": model("HBoxModel", children=["IPY_MODEL_next", "IPY_MODEL_step", "IPY_MODEL_pick",
                                            "IPY_MODEL_play"]),
        "next": model("ButtonModel", description="Next", layout="IPY_MODEL_lay",
                      _dom_classes=["bp-next"]),
        "step": model("IntSliderModel", description="step", value=7, min=0, max=17),
        "pick": model("DropdownModel", description="example", _options_labels=["i = 1", "i = 2"],
                      index=1, _dom_classes=["bp-example", NEEDS_KERNEL]),
        "play": model("PlayModel", value=0),
        "eq": model("HTMLMathModel", value="$$\\delta^{(4)} = a^{(4)} - y$$"),
        "gone": model("HTMLModel", value="<b>hidden text</b>", layout="IPY_MODEL_hidden"),
        "lay": model("LayoutModel"),
        "hidden": model("LayoutModel", display="none"),
    }


# --- the code and widgets as the pages show them -------------------------------------------


def test_test_markers_are_taken_out_of_the_code_shown_and_explanations_kept() -> None:
    source = ('# NBVAL_IGNORE_OUTPUT\nimport numpy as np\n'
              'from nbhelpers.course.hints import hint  # noqa: F401 — for the "Stuck?" lines\n'
              'from x import y  # noqa: F401 (for hint("…") in any cell)\n'
              'import z  # noqa\n  # NBVAL_SKIP\nz.run()')
    assert pages.reader_source(source) == (
        'import numpy as np\n'
        'from nbhelpers.course.hints import hint  # for the "Stuck?" lines\n'
        'from x import y  # for hint("…") in any cell\n'
        'import z\nz.run()')


def test_a_control_that_needs_the_kernel_is_disabled_with_a_note_under_its_row() -> None:
    models = saved_state()
    notes = widgets.disable_kernel_controls(models)
    assert notes == ["On this page “example” stays as saved: run the notebook to change it."]
    assert models["pick"]["state"]["disabled"] is True
    assert "disabled" not in models["step"]["state"] and "disabled" not in models["next"]["state"]
    children = models["box"]["state"]["children"]
    note = children[children.index("IPY_MODEL_row") + 1][len("IPY_MODEL_"):]
    assert models[note]["model_name"] == "HTMLModel" and notes[0] in models[note]["state"]["value"]
    assert models[models[note]["state"]["layout"][len("IPY_MODEL_"):]]["model_name"] == "LayoutModel"


def test_a_state_with_the_widgets_own_notes_gets_no_other_and_shows_them() -> None:
    """A state saved from a live session (the kernel had enabled the control and hidden its
    note) is put back as a run without a front end saves it: disabled, its own note shown."""
    models = saved_state()
    models["row"]["state"]["children"].append("IPY_MODEL_own")
    models["own"] = model("HTMLModel", value='<span style="x">Without a running kernel '
                          "“example” stays as saved: run the notebook to change it.</span>",
                          layout="IPY_MODEL_own-layout", _dom_classes=[KERNEL_NOTE])
    models["own-layout"] = model("LayoutModel", display="none")
    before = set(models)
    notes = widgets.disable_kernel_controls(models)
    assert notes == ["Without a running kernel “example” stays as saved: run the notebook to change it."]
    assert set(models) == before                                        # no note added
    assert models["pick"]["state"]["disabled"] is True
    assert "display" not in models["own-layout"]["state"]


def test_the_snapshot_keeps_the_widgets_classes_and_shows_what_was_showing() -> None:
    html = widgets.widget_snapshot("box", saved_state())
    assert html is not None and html.startswith('<div class="widget-snapshot">')
    assert '<div class="ws-col bp-stepper bp-size-normal">' in html      # _dom_classes kept
    assert html.index('class="ws-row"') < html.index("$$\\delta^{(4)}")
    assert "hidden text" not in html
    assert '<button class="bp-next" disabled>Next</button>' in html
    assert re.search(r'<span>step</span><input type="range" disabled min="0" max="17"[^>]*value="7">', html)
    assert "<option selected>i = 2</option>" in html
    assert widgets.widget_snapshot("missing", saved_state()) is None


def _widget_notebook() -> nbformat.NotebookNode:
    nb = new_notebook()
    shown = new_code_cell("# NBVAL_IGNORE_OUTPUT\nstepper", metadata={"jupyter": {"source_hidden": True}})
    shown.outputs = [new_output("display_data", data={"text/plain": "VBox()", VIEW: {
        "model_id": "box", "version_major": 2, "version_minor": 0}})]
    nb.cells = [new_markdown_cell("# 99 · A title"), shown]
    nb.metadata["widgets"] = {STATE: {"state": saved_state(), "version_major": 2, "version_minor": 0}}
    return nb


def test_a_page_gets_a_snapshot_before_each_live_widget_and_hidden_code_folded() -> None:
    nb = _widget_notebook()
    before = copy.deepcopy(nb)
    page = pages.site_notebook(nb, "notebooks/99.ipynb", pages.Edition())
    assert nb == before                                               # the notebook is left alone
    cell = page.cells[1]
    assert cell.source == "stepper" and "hide-input" in cell.metadata["tags"]
    fallback, live = cell.outputs
    assert fallback["data"]["text/html"].startswith('<noscript><div class="widget-snapshot">')
    assert live["data"][VIEW]["model_id"] == "box"
    assert widgets.saved_widgets(page)["pick"]["state"]["disabled"] is True


def test_the_instructors_page_shows_the_scaffold_and_folds_the_solution_under_it() -> None:
    nb = new_notebook(cells=[new_code_cell(
        "x = 2\n# Hint: add one\n### BEGIN SOLUTION\ny = x + 1  # noqa: F841\n### END SOLUTION",
        metadata={"tags": ["exercise"]})])
    page = pages.site_notebook(nb, "notebooks/99.ipynb", pages.Edition(instructor=True))
    exercise, solution = page.cells
    assert exercise.source == "x = 2\n# Hint: add one\ny = ..."
    assert solution.cell_type == "markdown" and solution.source.startswith(
        '<details class="site-solution"><summary>Solution</summary>')
    assert "y = x + 1\n" in solution.source and "BEGIN SOLUTION" in solution.source
    assert "noqa" not in solution.source


def test_page_leaks_finds_a_solution_line_anywhere_on_a_page_but_not_in_a_clean_one() -> None:
    instructor = nbformat.read(ROOT / "notebooks" / "01-forward-propagation.ipynb", as_version=4)
    name = "notebooks/01-forward-propagation.ipynb"
    regions = [reg for r in student_copies.notebook_regions(instructor, name).values() for reg in r]
    code = ["\n".join(s.strip() for s in reg.solution) for reg in regions]
    line = next(f for c in code for f in student_copies.solution_fragments(c).values())
    clean = '<div class="cell"><div class="cell_input"><pre>x = 1</pre></div></div><p>Prose.</p>'
    assert pages.page_leaks(clean, instructor, name, "the page") == []
    for planted in (f'<div class="cell_output"><pre>{line}</pre></div>',
                    f"<p>{line.replace('@', '&#64;')}</p>",
                    '<script type="application/vnd.jupyter.widget-state+json">'
                    + json.dumps({"v": f"<b>{line}</b>"}) + "</script>"):
        leaks = pages.page_leaks(clean + planted, instructor, name, "the page")
        assert leaks and line in leaks[0], planted


# --- the built sites -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def students(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require_assets()
    site = tmp_path_factory.mktemp("students") / "site"
    project.build(site, repository=LAUNCH_REPO)
    return site


@pytest.fixture(scope="module")
def instructors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require_assets()
    site = tmp_path_factory.mktemp("instructor") / "site"
    project.build(site, instructor=True)
    return site


def _require_assets() -> None:
    """MathJax and html-manager come from npm (make site-deps): skip without them, or fail
    under CI=true, where make test has installed them."""
    import os
    missing = [str(p) for p in SITE_ASSETS if not p.is_file()]
    if missing:
        message = f"npm packages missing ({', '.join(missing)}): run `make site-deps`"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def _page(site: Path, file: str) -> str:
    return (site / "notebooks" / pages.page_name(file)).read_text(encoding="utf-8")


def _outside_scripts(html: str) -> str:
    """The page without its scripts (the saved widget state) and <noscript> fallbacks."""
    return re.sub(r"<(script|noscript)\b.*?</\1>", "", html, flags=re.S)


def _pages(site: Path) -> list[Path]:
    """Every page of the site (not the theme's own template files in _static/)."""
    return [p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts]


STUDENT_PAGES = [lesson.file for lesson in COURSE]


def test_the_students_site_has_every_lesson_in_order_under_its_title(students: Path) -> None:
    index = (students / "index.html").read_text()
    at = [index.index(f'href="notebooks/{pages.page_name(f)}"') for f in STUDENT_PAGES]
    assert at == sorted(at)
    assert not (students / "notebooks" / pages.page_name(pages.DEMO)).exists()
    for i, lesson in enumerate(COURSE):
        page = _page(students, lesson.file)
        heading = nbformat.read(ROOT / "notebooks" / lesson.file, as_version=4).cells[0].source
        title = heading.splitlines()[0].removeprefix("# ")
        assert re.search(rf"<title>{re.escape(title)} &#8212; Backprop, step by step</title>", page)
        assert lesson.file not in re.findall(r"<title>.*?</title>", page)[0]
        # previous and next, in the course's order
        if i:
            assert re.search(r'<a class="left-prev"\s+href="' + re.escape(
                pages.page_name(STUDENT_PAGES[i - 1])), page)
        if i + 1 < len(STUDENT_PAGES):
            assert re.search(r'<a class="right-next"\s+href="' + re.escape(
                pages.page_name(STUDENT_PAGES[i + 1])), page)
        # the contents sidebar names every lesson by its title, and the in-page contents
        assert page.count('class="reference internal" href="') >= len(STUDENT_PAGES)
        assert 'id="pst-page-navigation-heading' in page or "bd-toc" in page


@pytest.mark.parametrize("file", STUDENT_PAGES)
def test_no_page_of_the_students_site_shows_a_solution_line(students: Path, file: str) -> None:
    instructor = nbformat.read(ROOT / "notebooks" / file, as_version=4)
    assert pages.page_leaks(_page(students, file), instructor, f"notebooks/{file}", file) == []
    download = nbformat.read(students / "_sources" / "notebooks" / file, as_version=4)
    assert student_copies.find_leaks(instructor, download, file) == []
    assert download.metadata[student_copies.STUDENT_COPY_KEY]["instructor_notebook"] == file
    assert student_copies.BEGIN not in _page(students, file)


def test_the_download_is_the_student_copy_as_written(students: Path) -> None:
    file = "03-delta-terms.ipynb"
    download = nbformat.read(students / "_sources" / "notebooks" / file, as_version=4)
    instructor = nbformat.read(ROOT / "notebooks" / file, as_version=4)
    expected = student_copies.student_notebook(instructor, f"notebooks/{file}")
    assert [c.source for c in download.cells] == [c.source for c in expected.cells]
    assert any("# NBVAL_IGNORE_OUTPUT" in c.source for c in download.cells)   # untouched by the page
    assert 'href="../_sources/notebooks/03-delta-terms.ipynb"' in _page(students, file)


def test_each_page_shows_no_test_marker(students: Path) -> None:
    for file in STUDENT_PAGES:
        text = re.sub(r"<[^>]+>", "", _outside_scripts(_page(students, file)))
        assert "NBVAL" not in text and "noqa" not in text, file


def test_each_widget_runs_from_the_saved_state_with_html_manager_from_the_site(students: Path) -> None:
    for file in STUDENT_PAGES:
        nb = nbformat.read(ROOT / "notebooks" / file, as_version=4)
        views = [o["data"][VIEW]["model_id"] for c in nb.cells for o in c.get("outputs", [])
                 if VIEW in o.get("data", {})]
        page = _page(students, file)
        assert page.count(f'<script type="{VIEW}">') == len(views), file
        if views:
            assert f'<script type="{STATE}">' in page
            assert 'src="../_static/html-manager/embed.js' in page
            assert page.count("<noscript><div class=\"widget-snapshot\">") == len(views)
    static = students / "_static"
    assert (static / "html-manager" / "embed.js").is_file()
    fonts = [p for p in (static / "html-manager").iterdir() if p.suffix == ".woff2"]
    assert fonts, "Font Awesome's fonts are next to embed.js"
    assert (static / "mathjax" / "tex-svg-full.js").is_file()


def test_controls_that_need_the_kernel_are_saved_disabled_on_the_pages(students: Path) -> None:
    page = _page(students, "06-gradient-checking.ipynb")
    state = json.loads(re.search(rf'<script type="{re.escape(STATE)}">(.*?)</script>', page, re.S).group(1))
    marked = [m["state"] for m in state["state"].values()
              if NEEDS_KERNEL in (m["state"].get("_dom_classes") or [])]
    assert marked and all(s.get("disabled") is True for s in marked)
    assert "run the notebook to change it" in page


def test_no_widget_state_and_no_page_has_an_id_twice(students: Path) -> None:
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        values = [m["state"].get("value") for m in widgets.saved_widgets(
            nbformat.from_dict(nb)).values()]
        ids = Counter(i for v in values if isinstance(v, str) for i in re.findall(r'\bid="([^"]+)"', v))
        assert not [i for i, n in ids.items() if n > 1], path.name
    for page in _pages(students):
        ids = Counter(re.findall(r'\bid="([^"]+)"', _outside_scripts(page.read_text())))
        assert not [i for i, n in ids.items() if n > 1], page.name


def test_one_shared_style_sheet_and_nothing_from_another_site(students: Path) -> None:
    for page in _pages(students):
        text = page.read_text()
        outside = _outside_scripts(text)
        inline = sum(len(s) for s in re.findall(r"<style[^>]*>(.*?)</style>", outside, re.S))
        assert inline < 200, f"{page.name}: {inline} characters of inline style"
        assert "_static/site.css" in text, page.name
        for url in re.findall(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="([^"]+)"', outside):
            assert not re.match(r"^(https?:)?//", url), f"{page.name} loads {url}"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.urls += [v for k, v in attrs if k == "href" and v]


def test_every_link_finds_its_page_and_only_the_launch_and_repository_links_leave(students: Path) -> None:
    outside: set[str] = set()
    for page in _pages(students):
        parser = Links()
        parser.feed(_outside_scripts(page.read_text()))
        for url in parser.urls:
            if re.match(r"^(https?:)?//", url):
                outside.add(url)
                continue
            if url.startswith(("#", "mailto:", "javascript:")):
                continue
            assert ".ipynb" not in url or "_sources/" in url, f"{page.name} links the notebook {url}"
            target = (page.parent / url.split("#")[0].split("?")[0]).resolve()
            assert target.exists() and target.is_relative_to(students.resolve()), f"{page.name}: {url}"
    binder = f"{project.BINDERHUB}/v2/gh/example-owner/backprop-course/main?urlpath=lab/tree/notebooks/"
    assert f"{binder}03-delta-terms.ipynb" in outside
    assert all(u.startswith((binder, LAUNCH_REPO)) for u in outside), sorted(outside)


def test_a_notebooks_link_to_another_notebooks_heading_finds_it(students: Path) -> None:
    page = _page(students, "03-delta-terms.ipynb")
    href = re.search(r'href="(00-start-here\.html#[^"]+)"', page).group(1)
    assert f'id="{href.partition("#")[2]}"' in _page(students, "00-start-here.ipynb")
    assert (students / "docs" / "benchmarks.html").is_file()           # linked from notebook 08


def test_search_works_from_its_own_files(students: Path) -> None:
    assert (students / "search.html").is_file()
    index = (students / "searchindex.js").read_text()
    assert index.startswith("Search.setIndex(") and "backpropag" in index


def test_without_a_repository_no_launch_link(tmp_path: Path) -> None:
    _require_assets()
    project.build(tmp_path / "site", only=["05-d-terms.ipynb"], repository=None)
    page = _page(tmp_path / "site", "05-d-terms.ipynb")
    assert "/v2/gh/" not in page and "Binder" not in _outside_scripts(page)


def test_the_instructors_site_folds_every_solution_and_adds_the_demo(instructors: Path) -> None:
    for file in STUDENT_PAGES:
        nb = nbformat.read(ROOT / "notebooks" / file, as_version=4)
        regions = student_copies.notebook_regions(nb, file)
        page = _page(instructors, file)
        assert page.count('<details class="site-solution">') == len(regions), file
    assert (instructors / "notebooks" / pages.page_name(pages.DEMO)).is_file()
    assert "For instructors" in (instructors / "index.html").read_text()


def test_make_site_and_site_instructor_and_the_npm_pins() -> None:
    def dry(target: str) -> str:
        return subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout
    assert re.search(r"tools/build_site\.py --out build/site\b(?!-)", dry("site"))
    assert "tools/build_site.py --instructor --out build/site-instructor" in dry("site-instructor")
    assert "'.[lab,dev,site]'" in dry("test") or ".site" in (ROOT / "Makefile").read_text()
    package = json.loads((ROOT / "package.json").read_text())["dependencies"]
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for name in ("mathjax", "@jupyter-widgets/html-manager"):
        assert re.fullmatch(r"\d+\.\d+\.\d+", package[name]), f"{name} is not pinned exactly"
        assert lock[f"node_modules/{name}"]["version"] == package[name]
