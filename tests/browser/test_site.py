"""The course's website (tools/build_site.py, `make site`) opened from disk in headless Chromium.

The students' site is built once into a temporary folder from the committed notebooks (their
student copies), then its pages are opened as ``file://`` URLs in a browser context that
refuses every request that is not a file (or data) URL: nothing may come from another site.
For each page: no JavaScript error, no refused or failed request, MathJax typesets the
notebook's equations, every widget is drawn by html-manager from the saved state (no kernel
anywhere), no id is in the page twice, nothing is wider than a 390 px phone, and no line of a
solution shows. Then the widgets are used as a student would: the stepper's Next, Prev (at
step 0 → 1 → 0), Reset and Play change its counter and its picture; the explorers' sliders
move their pictures; the controls that need a kernel are disabled with their note. The
search, the previous/next links and the no-JavaScript fallback are checked too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from availability import missing_browser
from labdriver import NOTEBOOKS, UI_TIMEOUT_MS
from website import pages, project, widgets

from nbhelpers.course.series import COURSE
from nbhelpers.display.kernel_only import KERNEL_NOTE
from nbhelpers.display.widgetkit import NEEDS_KERNEL

pytestmark = pytest.mark.browser

PAGES = [lesson.file for lesson in COURSE]
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.S)
PHONE = {"width": 390, "height": 844}
# html-manager validates the saved state with ajv, which warns (console.warn, not an error)
# about a union type in the widget schema; nothing else may reach the console as an error.


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Path:
    """The students' site, built from the committed notebooks (MathJax and html-manager from
    node_modules/)."""
    missing = [p for p in (project.MATHJAX / "tex-svg-full.js", project.HTML_MANAGER / "embed.js")
               if not p.is_file()]
    if missing:
        missing_browser(f"npm packages missing for the website ({missing}): run `make site-deps`")
    out = tmp_path_factory.mktemp("site") / "site"
    project.build(out, repository="https://github.com/example-owner/backprop-course")
    return out


class Visit:
    """One page opened from disk in a context that refuses every non-file request."""

    def __init__(self, browser: Any, path: Path, viewport: dict[str, int] | None = None,
                 javascript: bool = True, site: Path | None = None) -> None:
        self.refused: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.context = context = browser.new_context(viewport=viewport or {"width": 1280, "height": 1000},
                                                     java_script_enabled=javascript)
        context.route("**/*", self._route)
        self.page = page = context.new_page()
        page.set_default_timeout(UI_TIMEOUT_MS)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.goto(path.as_uri(), wait_until="load")

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file://", "data:")):
            route.continue_()
        else:
            self.refused.append(url)
            route.abort()

    def ready(self, widgets: int) -> None:
        """Wait until MathJax has typeset and html-manager has drawn ``widgets`` widgets."""
        self.page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        self.page.wait_for_function(
            "n => document.querySelectorAll('.cell_output .widget-subarea > .jupyter-widgets').length >= n",
            arg=widgets)
        self.page.evaluate("() => MathJax.startup.promise")

    def close(self) -> None:
        self.context.close()

    def clean(self) -> None:
        assert not self.refused, f"requests to anything but files: {self.refused}"
        assert not [f for f in self.failed if "net::ERR_ABORTED" not in f or "file://" in f], self.failed
        assert not self.errors, f"JavaScript errors: {self.errors}"


def notebook(name: str) -> dict[str, Any]:
    return json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))


def widget_outputs(nb: dict[str, Any]) -> int:
    return sum(widgets.WIDGET_VIEW in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))


def equations_in_text(nb: dict[str, Any]) -> int:
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    text = re.sub(r"`[^`]*`", "", text)   # code spans hold no math
    return len(MATH.findall(text))


VISIBLE = "(root, sel) => [...root.querySelectorAll(sel)].find(e => e.getClientRects().length > 0)"


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_offline_typesets_draws_its_widgets_and_shows_no_solution(
        name: str, site: Path, browser: Any) -> None:
    nb = notebook(name)
    visit = Visit(browser, site / "notebooks" / pages.page_name(name))
    page = visit.page
    try:
        visit.ready(widget_outputs(nb))
        # equations: typeset as SVG, no TeX error, none left as source
        assert page.locator("mjx-container").count() >= equations_in_text(nb)
        assert page.locator("mjx-merror, [data-mjx-error]").count() == 0
        prose = page.locator("article.bd-article").inner_text()
        assert "$$" not in prose and "\\frac" not in prose and "^{(" not in prose
        # figures saved in the notebook are there and decoded
        images = page.evaluate("""() => [...document.querySelectorAll('.cell_output img:not(.bp-front-end)')]
                                   .map(i => [i.complete, i.naturalWidth])""")
        assert all(complete and width > 0 for complete, width in images), images
        # every widget drawn live (no "Error displaying widget"), no id twice in the page
        assert page.locator(".widget-subarea > .jupyter-widgets").count() >= widget_outputs(nb)
        assert page.get_by_text("Error displaying widget").count() == 0
        twice = page.evaluate("""() => { const seen = {}; const twice = [];
            document.querySelectorAll('[id]').forEach(e => {
                if (seen[e.id]) twice.push(e.id);
                seen[e.id] = 1; });
            return twice; }""")
        assert twice == []
        # no line of a solution, anywhere on the page as drawn
        instructor = nbformat.read(NOTEBOOKS / name, as_version=4)
        assert pages.page_leaks(page.content(), instructor, f"notebooks/{name}", name) == []
        visit.clean()
    finally:
        visit.close()


@pytest.mark.parametrize("name", PAGES)
def test_page_is_readable_on_a_390_px_phone(name: str, site: Path, browser: Any) -> None:
    visit = Visit(browser, site / "notebooks" / pages.page_name(name), viewport=PHONE)
    try:
        visit.ready(widget_outputs(notebook(name)))
        width = visit.page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page scrolls sideways: {width} px"
        body = visit.page.locator("article.bd-article p").first
        assert float(body.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")) >= 14
        visit.clean()
    finally:
        visit.close()


class Stepper:
    """The first stepper of a page, read as a student sees it."""

    def __init__(self, visit: Visit, expect: Any) -> None:
        self.page, self.expect = visit.page, expect
        self.root = visit.page.locator(".bp-stepper").first

    def shown(self, css_class: str) -> Any:
        return self.root.locator(f".{css_class}").filter(visible=True).first

    def picture(self) -> str:
        return self.page.evaluate(f"root => ({VISIBLE})(root, '.bp-diagram svg').outerHTML",
                                  self.root.element_handle())

    def counter(self, k: int, n: int) -> None:
        self.expect(self.shown("bp-counter")).to_have_text(f"step {k} of {n}")


def test_the_stepper_steps_with_next_prev_reset_and_play_without_a_kernel(
        site: Path, browser: Any, expect: Any) -> None:
    import nbhelpers as nb
    from nbhelpers.display.trace import trace_backprop

    p = nb.lecture_network()
    steps = trace_backprop(p.Theta, p.X[0], p.Y[0])
    visit = Visit(browser, site / "notebooks" / "03-delta-terms.html")
    try:
        visit.ready(1)
        s = Stepper(visit, expect)
        n = int(s.shown("bp-counter").inner_text().split()[-1])
        assert n == len(steps) + len(p.Theta)
        s.counter(1, n)
        prev, next_ = s.root.locator("button.bp-prev"), s.root.locator("button.bp-next")
        expect(prev).to_be_disabled()
        first = s.picture()
        next_.click()                                           # 0 → 1
        s.counter(2, n)
        expect(s.shown("bp-title")).to_have_text(steps[1].title)
        assert s.picture() != first
        expect(prev).to_be_enabled()
        prev.click()                                            # 1 → 0
        s.counter(1, n)
        assert s.picture() == first
        expect(prev).to_be_disabled()
        for k in range(2, 6):
            next_.click()
            s.counter(k, n)
        expect(s.shown("bp-numbers-text")).to_have_text(steps[4].numbers_text)
        s.root.locator("button.bp-reset").click()
        s.counter(1, n)
        # the colour bar of the picture shown is drawn: its gradient lies in that picture
        painted = visit.page.evaluate(f"""root => {{
            const svg = ({VISIBLE})(root, '.bp-diagram svg');
            const bar = svg.querySelector('.bp-legend rect[fill^="url("]');
            const id = bar.getAttribute('fill').slice(5, -1);
            return svg.contains(document.getElementById(id));
        }}""", s.root.element_handle())
        assert painted
        # Play walks on by itself, in the page; the slider's end disables Next
        s.root.locator(".bp-play button").first.click()
        expect(s.shown("bp-counter")).not_to_have_text(f"step 1 of {n}", timeout=10_000)
        s.root.locator(".bp-play button").nth(1).click()        # stop: back to the start
        s.counter(1, n)
        handle = s.root.locator(".bp-slider .noUi-handle")
        handle.focus()
        handle.press("End")
        s.counter(n, n)
        expect(next_).to_be_disabled()
        # the example chooser needs the kernel: disabled, with its note
        expect(s.root.locator(".bp-example select")).to_be_disabled()
        expect(s.root.locator(f".{KERNEL_NOTE}").filter(visible=True).first).to_have_text(
            "Without a running kernel “example” stays as saved: run the notebook to change it.")
        visit.clean()
    finally:
        visit.close()


def test_the_explorers_move_and_the_bug_menu_is_disabled(site: Path, browser: Any, expect: Any) -> None:
    visit = Visit(browser, site / "notebooks" / "04-accumulators.html")
    try:
        visit.ready(1)
        explorer = visit.page.locator(".bp-accumulator").first
        title = explorer.locator(".bp-acc-title").filter(visible=True).first
        before = title.inner_text()
        handle = explorer.locator(".bp-acc-slider .noUi-handle")
        handle.focus()
        handle.press("Home")
        expect(title).to_have_text("Before the loop: Δ⁽ˡ⁾ᵢⱼ = 0 for all l, i, j")
        handle.press("ArrowRight")
        expect(title).to_contain_text("After example i = 1 of m = ")
        assert title.inner_text() != before
        visit.clean()
    finally:
        visit.close()
    visit = Visit(browser, site / "notebooks" / "06-gradient-checking.html")
    try:
        visit.ready(1)
        gc = visit.page.locator(".bp-gradcheck").first
        values = gc.locator(".bp-gc-values").filter(visible=True).first   # the ε shown
        before = values.inner_text()
        handle = gc.locator(".bp-eps .noUi-handle")
        handle.focus()
        handle.press("Home")                                    # ε = 10⁻¹⁰
        expect(gc.locator(".bp-eps .widget-readout")).to_have_text("1e-10")
        expect(values).not_to_have_text(before)     # other finite differences
        expect(gc.locator(f".{NEEDS_KERNEL} select")).to_be_disabled()
        expect(gc.locator(f".{KERNEL_NOTE}")).to_contain_text("“bug” stays as saved")
        visit.clean()
    finally:
        visit.close()


def test_search_previous_next_and_download_work_from_disk(site: Path, browser: Any, expect: Any) -> None:
    visit = Visit(browser, site / "search.html")
    try:
        visit.page.goto((site / "search.html").as_uri() + "?q=accumulator", wait_until="load")
        results = visit.page.locator("#search-results ul.search li a")
        expect(results.first).to_be_visible()
        assert any("04-accumulators" in (results.nth(i).get_attribute("href") or "")
                   for i in range(results.count()))
        visit.page.goto((site / "notebooks" / "03-delta-terms.html").as_uri(), wait_until="load")
        visit.page.locator("a.right-next").click()
        visit.page.wait_for_load_state("load")
        assert visit.page.url.endswith("/notebooks/04-accumulators.html")
        assert visit.page.title().startswith("04 · Accumulators")
        visit.page.locator("a.left-prev").click()
        visit.page.wait_for_load_state("load")
        assert visit.page.url.endswith("/notebooks/03-delta-terms.html")
        download = visit.page.locator("a[href$='_sources/notebooks/03-delta-terms.ipynb']")
        assert download.count() == 1
        launch = visit.page.locator("a[href*='/v2/gh/example-owner/backprop-course/main']")
        assert launch.count() == 1
        # the contents sidebar lists the lessons by title, in order
        titles = visit.page.locator(".bd-sidebar-primary nav a.reference.internal").all_inner_texts()
        assert [t for t in titles if re.match(r"\d\d · ", t)][:3] == [
            "00 · Start here", "01 · Forward propagation", "02 · The cost J(Θ)"]
        visit.clean()
    finally:
        visit.close()


def test_without_javascript_each_widget_shows_its_saved_picture(site: Path, browser: Any) -> None:
    visit = Visit(browser, site / "notebooks" / "03-delta-terms.html", javascript=False)
    try:
        snapshot = visit.page.locator(".widget-snapshot").first
        assert snapshot.is_visible()
        assert snapshot.locator(".bp-counter").inner_text() == "step 1 of 18"
        box = snapshot.locator("svg.bp-network").bounding_box()
        assert box and box["width"] > 300
        assert not visit.refused
    finally:
        visit.close()


@pytest.fixture(scope="module")
def index(site: Path, browser: Any) -> Iterator[Visit]:
    visit = Visit(browser, site / "index.html")
    yield visit
    visit.close()


def test_contents_page_lists_the_course_map_by_title(index: Visit) -> None:
    rows = index.page.locator("article table tbody tr")
    assert rows.count() == len(COURSE)
    for i, lesson in enumerate(COURSE):
        assert lesson.title in rows.nth(i).inner_text()
    rows.nth(3).locator("a").first.click()
    index.page.wait_for_load_state("load")
    assert index.page.url.endswith("/notebooks/03-delta-terms.html")
    index.clean()
