"""The course's website (tools/build_site.py, `make site`) opened from disk in headless Chromium.

The site is built into a temporary folder from the committed notebooks, then every page is
opened as a ``file://`` URL. For each page: it loads with no JavaScript error and no failed
request, it requests nothing but files of the site (no CDN, no web font, nothing from another
site), each figure saved in the notebook is there and decoded (``naturalWidth > 0``), MathJax
typesets every equation of the notebook's text (one ``mjx-container`` at least per ``$…$`` in
its Markdown, and no TeX error), and each widget shows as a snapshot of its saved state.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import build_site
import pytest
from availability import missing_browser
from labdriver import NOTEBOOKS, UI_TIMEOUT_MS

PAGES = [file for file, _ in build_site.lessons()]
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.S)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Path:
    """The whole site, built from the committed notebooks (MathJax from node_modules/)."""
    if not (build_site.MATHJAX / "tex-svg-full.js").is_file():
        missing_browser("MathJax is not installed for the website: run `make site-deps` (npm ci)")
    out = tmp_path_factory.mktemp("site") / "site"
    build_site.build(out)
    return out


@pytest.fixture(scope="module")
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    yield context
    context.close()


class Visit:
    """One page opened from disk, with every request, failure and error it caused."""

    def __init__(self, context: Any, path: Path) -> None:
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.page = page = context.new_page()
        page.set_default_timeout(UI_TIMEOUT_MS)
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.goto(path.as_uri(), wait_until="load")

    def typeset(self) -> None:
        """Wait until MathJax has loaded and finished typesetting the page."""
        self.page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        self.page.evaluate("() => MathJax.startup.promise")


def notebook(name: str) -> dict[str, Any]:
    return json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))


def saved_figures(nb: dict[str, Any]) -> int:
    return sum("image/png" in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))


def widget_outputs(nb: dict[str, Any]) -> list[str]:
    return [o["data"][build_site.WIDGET_VIEW]["model_id"] for c in nb["cells"] for o in c.get("outputs", [])
            if build_site.WIDGET_VIEW in o.get("data", {})]


def equations_in_text(nb: dict[str, Any]) -> int:
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    text = re.sub(r"`[^`]*`", "", text)   # code spans hold no math
    return len(MATH.findall(text))


def assert_only_local(visit: Visit, site: Path) -> None:
    outside = [u for u in visit.requests
               if not (u.startswith("data:") or (u.startswith("file://") and
                                                 Path(u[7:].split("#")[0]).resolve().is_relative_to(site)))]
    assert not outside, f"requests to anything but the site's own files: {outside}"
    assert not visit.failed, f"failed requests: {visit.failed}"
    assert not visit.errors, f"JavaScript errors: {visit.errors}"


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_its_figures_equations_and_widget_snapshots_offline(
        name: str, site: Path, context: Any) -> None:
    nb = notebook(name)
    visit = Visit(context, site / "notebooks" / build_site.page_name(name))
    page = visit.page
    try:
        visit.typeset()
        # every cell of the notebook is on the page, in order
        assert page.locator(".jp-Cell").count() == len(nb["cells"])
        # figures: each saved image is on the page and decoded
        images = page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea img')]
                                   .map(i => [i.complete, i.naturalWidth])""")
        assert len(images) == saved_figures(nb)
        assert all(complete and width > 0 for complete, width in images), images
        # equations: typeset as SVG, no TeX error, none left as source
        math = page.locator("mjx-container").count()
        assert math >= equations_in_text(nb)
        if equations_in_text(nb):
            assert page.locator("mjx-container > svg").count() == math
        assert page.locator("mjx-merror, [data-mjx-error]").count() == 0
        prose = page.evaluate("""() => [...document.querySelectorAll('.jp-MarkdownOutput')]
                                 .map(e => e.innerText).join('\\n')""")
        assert "$$" not in prose and "\\frac" not in prose and "^{(" not in prose
        # widgets: one snapshot per widget output, with the saved text of its HTML parts
        widgets = widget_outputs(nb)
        assert page.locator(".widget-snapshot").count() == len(widgets)
        saved = nb["metadata"].get("widgets", {}).get(build_site.WIDGET_STATE, {}).get("state", {})
        for model in saved.values():
            value = model["state"].get("value")
            if model["model_name"] == "HTMLModel" and isinstance(value, str) and "<" not in value \
                    and value.strip() and "&" not in value:
                assert page.get_by_text(value.strip(), exact=False).count() >= 1, value
        assert_only_local(visit, site)
    finally:
        page.close()


def test_stepper_snapshot_shows_the_saved_step_with_its_diagram_and_typeset_equation(
        site: Path, context: Any) -> None:
    nb = notebook("03-delta-terms.ipynb")
    saved = nb["metadata"]["widgets"][build_site.WIDGET_STATE]["state"]
    # the stepper keeps one picture per step in a Tab; the snapshot shows the one that was showing
    tab = next(m["state"] for m in saved.values() if m["model_name"] in ("TabModel", "StackModel")
               and "bp-counter" in str(saved[m["state"]["children"][0][len("IPY_MODEL_"):]]))
    shown = saved[tab["children"][tab["selected_index"] or 0][len("IPY_MODEL_"):]]["state"]["value"]
    counter = re.search(r'class="bp-counter">(step \d+ of \d+)<', shown).group(1)
    visit = Visit(context, site / "notebooks" / "03-delta-terms.html")
    try:
        visit.typeset()
        snapshot = visit.page.locator(".widget-snapshot")
        assert snapshot.get_by_text(counter, exact=True).count() == 1
        assert snapshot.locator(".bp-counter").count() == 1           # that step alone
        box = snapshot.locator("svg.bp-network").bounding_box()
        assert box and box["width"] > 300 and box["height"] > 300
        assert snapshot.locator("mjx-container > svg").count() >= 2   # the HTMLMath equations
        assert snapshot.locator("button[disabled]", has_text="Next").count() == 1
    finally:
        visit.page.close()


def test_contents_page_lists_the_course_and_every_link_opens_a_page(site: Path, context: Any) -> None:
    visit = Visit(context, site / "index.html")
    page = visit.page
    try:
        rows = page.locator("table.course-map tbody tr")
        assert rows.count() == len(build_site.COURSE)
        for i, lesson in enumerate(build_site.COURSE):
            assert lesson.title in rows.nth(i).inner_text()
        first = rows.nth(3).locator("a")
        first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/notebooks/03-delta-terms.html")
        assert "Delta" in page.title()
        # the next-page link of the navigation bar
        page.locator("nav.site-nav a[rel=next]").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/notebooks/04-accumulators.html")
        # a notebook's own link to another notebook's heading, as its author wrote it
        page.locator("a[href='00-start-here.html#Course-map']").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/notebooks/00-start-here.html#Course-map")
        assert page.locator("[id='Course-map']").count() == 1
        assert_only_local(visit, site)
    finally:
        page.close()
