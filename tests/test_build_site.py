"""The website builder (tools/build_site.py): widget snapshots from saved state, links, no CDN.

tests/browser/test_site.py opens the built pages in Chromium; these tests check the files.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import build_site
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
VIEW = build_site.WIDGET_VIEW
STATE = build_site.WIDGET_STATE


def model(name: str, **state: object) -> dict[str, object]:
    return {"model_name": name, "model_module": "@jupyter-widgets/controls", "state": state}


def saved_state() -> dict[str, dict[str, object]]:
    return {
        "box": model("VBoxModel", children=["IPY_MODEL_row", "IPY_MODEL_eq", "IPY_MODEL_gone"]),
        "row": model("HBoxModel", children=["IPY_MODEL_next", "IPY_MODEL_step", "IPY_MODEL_pick",
                                            "IPY_MODEL_play", "IPY_MODEL_odd"]),
        "next": model("ButtonModel", description="Next", layout="IPY_MODEL_lay"),
        "step": model("IntSliderModel", description="step", value=7, min=0, max=17),
        "pick": model("DropdownModel", description="example", _options_labels=["i = 1", "i = 2"], index=1),
        "play": model("PlayModel", value=0),
        "odd": model("ColorPickerModel", value="#ff0000"),
        "eq": model("HTMLMathModel", value="$$\\delta^{(4)} = a^{(4)} - y$$"),
        "gone": model("HTMLModel", value="<b>hidden text</b>", layout="IPY_MODEL_hidden"),
        "lay": model("LayoutModel"),
        "hidden": model("LayoutModel", display="none"),
    }


def test_widget_snapshot_draws_the_saved_parts_in_their_boxes() -> None:
    html = build_site.widget_snapshot("box", saved_state())
    assert html is not None
    assert html.startswith('<div class="widget-snapshot">') and "run the notebook to use it" in html
    # the VBox holds the HBox (a row) and the equation, in order; the hidden HTML is left out
    assert html.index('class="ws-row"') < html.index("$$\\delta^{(4)}")
    assert "hidden text" not in html
    assert "<button disabled>Next</button>" in html
    assert re.search(r'<span>step</span><input type="range" disabled min="0" max="17"[^>]*value="7">'
                     r"<span>7</span>", html)
    assert "<option>i = 1</option><option selected>i = 2</option>" in html
    assert "▶" in html
    assert "(ColorPicker: run the notebook to use it)" in html


def test_widget_snapshot_of_a_float_and_a_log_slider_shows_the_value_as_the_widget_does() -> None:
    models = {"a": model("FloatSliderModel", value=0.25, readout_format=".2f", description="λ"),
              "b": model("FloatLogSliderModel", value=1e-4, base=10, min=-8.0, max=0.0, description="ε")}
    assert "<span>0.25</span>" in build_site.render_widget("a", models)
    log_slider = build_site.render_widget("b", models)   # value: the number; min, max: exponents
    assert "<span>0.0001</span>" in log_slider
    assert re.search(r'min="-8.0" max="0.0" step="any" value="-4.0"', log_slider), log_slider


def test_snapshot_widgets_replaces_each_widget_output_and_drops_the_widget_state() -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {STATE: {"state": saved_state(), "version_major": 2, "version_minor": 0}}
    shown = nbformat.v4.new_output("display_data", data={VIEW: {"model_id": "box"}, "text/plain": "VBox()"})
    lost = nbformat.v4.new_output("display_data", data={VIEW: {"model_id": "nowhere"},
                                                        "text/plain": "IntSlider(value=3)"})
    nb.cells = [nbformat.v4.new_code_cell("stepper", outputs=[shown, lost])]
    assert build_site.snapshot_widgets(nb) == 1
    first, second = nb.cells[0].outputs
    assert VIEW not in first.data and "widget-snapshot" in first.data["text/html"]
    # a widget whose state was not saved keeps its text fallback, and no widget manager is asked for
    assert VIEW not in second.data and second.data["text/plain"] == "IntSlider(value=3)"
    assert "widgets" not in nb.metadata


def test_links_to_notebooks_become_links_to_their_pages(tmp_path: Path) -> None:
    site = tmp_path / "site"
    todo: list[tuple[Path, Path]] = []
    pages = {"03-delta-terms.ipynb", "00-start-here.ipynb"}
    text = ('<a href="03-delta-terms.ipynb">x</a> <a href="00-start-here.ipynb#Course-map">y</a> '
            '<a href="https://example.org/a.ipynb">z</a> <a href="#Summary">s</a> '
            '<a href="99-missing.ipynb">m</a> <a href="../docs/benchmarks.md">b</a> '
            '<img src="../../outside.png">')
    out = build_site.rewrite_links(text, build_site.NOTEBOOKS, site / "notebooks", site, pages, todo)
    assert '<a href="03-delta-terms.html">x</a>' in out
    assert '<a href="00-start-here.html#Course-map">y</a>' in out
    assert '<a href="https://example.org/a.ipynb">z</a>' in out and '<a href="#Summary">s</a>' in out
    assert '<a href="99-missing.ipynb">m</a>' in out          # not a page of the site: left alone
    assert '<a href="../docs/benchmarks.html">b</a>' in out   # a Markdown file: rendered as a page
    assert todo == [(ROOT / "docs" / "benchmarks.md", (site / "docs" / "benchmarks.html").resolve())]
    assert '<img src="../../outside.png">' in out             # outside the repository: not copied


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """The whole site, with a stand-in for MathJax (the browser test uses the real one)."""
    base = tmp_path_factory.mktemp("built")
    mathjax = base / "mathjax" / "es5"
    for name in build_site.MATHJAX_FILES:
        path = mathjax / name
        if "." in name:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("/* MathJax */")
        else:
            path.mkdir(parents=True, exist_ok=True)
            (path / "part.js").write_text("/* part */")
    (mathjax.parent / "LICENSE").write_text("Apache-2.0")
    site = base / "site"
    return site, build_site.build(site, mathjax=mathjax)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None and tag != "svg":
                self.urls.append(value)


def test_site_has_a_page_per_notebook_a_contents_page_and_local_mathjax(
        built: tuple[Path, dict[str, int]]) -> None:
    site, widgets = built
    assert sorted(widgets) == sorted(f for f, _ in build_site.lessons())
    for file, _ in build_site.lessons():
        page = (site / "notebooks" / build_site.page_name(file)).read_text()
        assert 'src="../assets/mathjax/tex-svg-full.js"' in page
        assert '"inlineMath": [["$", "$"]' in page
        nb = json.loads((build_site.NOTEBOOKS / file).read_text())
        views = sum(VIEW in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))
        assert widgets[file] == views
        assert page.count('<div class="widget-snapshot">') == views
    assert (site / "assets" / "mathjax" / "tex-svg-full.js").is_file()
    assert (site / ".nojekyll").is_file()
    index = (site / "index.html").read_text()
    for lesson in build_site.COURSE:
        assert f'href="notebooks/{build_site.page_name(lesson.file)}"' in index


def test_every_link_of_the_site_stays_in_the_site_and_finds_its_file(
        built: tuple[Path, dict[str, int]]) -> None:
    site, _ = built
    pages = list(site.rglob("*.html"))
    assert len(pages) >= len(build_site.lessons()) + 1
    for page in pages:
        parser = Links()
        parser.feed(page.read_text())
        for url in parser.urls:
            assert not re.match(r"^(https?:)?//", url), f"{page.name} loads or links {url}"
            if url.startswith(("data:", "mailto:", "#")):
                continue
            assert ".ipynb" not in url, f"{page.name} links the notebook file {url}"
            target = (page.parent / url.split("#")[0]).resolve()
            assert target.is_file() and target.is_relative_to(site.resolve()), f"{page.name}: {url}"
            anchor = url.partition("#")[2]
            if anchor and target.suffix == ".html":
                assert f'id="{anchor}"' in target.read_text(), f"{page.name}: {url} (no such anchor)"


def test_pages_carry_no_script_or_style_from_another_site(built: tuple[Path, dict[str, int]]) -> None:
    site, _ = built
    for page in site.rglob("*.html"):
        text = page.read_text()
        assert not re.search(r"<script[^>]+src=\"(https?:)?//", text), page.name
        assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//", text), page.name
        sources = [s for s in re.findall(r'src="([^"]*)"', text) if not s.startswith("data:")]
        assert all(not re.match(r"^[a-z][a-z0-9+.-]*:", s, re.I) for s in sources), (page.name, sources)


def test_a_notebook_without_saved_widget_state_still_builds(tmp_path: Path,
                                                           built: tuple[Path, dict[str, int]]) -> None:
    """Deleting a notebook's widget state leaves the text fallback on the page (no crash)."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.read(build_site.NOTEBOOKS / "00-start-here.ipynb", as_version=4)
    stripped = copy.deepcopy(nb)
    stripped.metadata.pop("widgets", None)
    nbformat.write(stripped, notebooks / "00-start-here.ipynb")
    site, _ = built
    widgets = build_site.build(tmp_path / "site", notebooks=notebooks,
                               mathjax=site.parent / "mathjax" / "es5", only=["00-start-here.ipynb"])
    assert widgets == {"00-start-here.ipynb": 0}
    page = (tmp_path / "site" / "notebooks" / "00-start-here.html").read_text()
    assert "IntSlider(value=3" in page and "widget-snapshot" not in page.split("<style")[0]


def test_a_relative_output_folder_works(tmp_path: Path, built: tuple[Path, dict[str, int]],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    site, _ = built
    monkeypatch.chdir(tmp_path)
    build_site.build(Path("out"), mathjax=site.parent / "mathjax" / "es5", only=["08-vectorized.ipynb"])
    assert (tmp_path / "out" / "docs" / "benchmarks.html").is_file()   # linked from notebook 08


def test_make_site_builds_into_build_site_with_mathjax_from_npm() -> None:
    out = subprocess.run(["make", "-n", "site"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "tools/build_site.py --out build/site" in out
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/mathjax"]["version"] == \
        json.loads((ROOT / "package.json").read_text())["dependencies"]["mathjax"]
