"""What a reader of the website waits for: from a click on the stepper's "Next" to its new picture.

    python tools/bench_site.py                 # builds the students' site, prints the figures
    python tools/bench_site.py --site build/site --rounds 3

:func:`bench_site` opens notebook 03's page of a built site (``tools/build_site.py``) from
disk in headless Chromium, with every request that is not a file of the site refused, waits
until the widgets are drawn (``@jupyter-widgets/html-manager``, no kernel) and MathJax has
typeset, and then clicks **Next** from the first step to the last, ``rounds`` times (Reset in
between). Each click is timed in the page, from the click to the frame in which the counter
says the new step and the diagram shown is another one. The goal is a median of 30 ms at
most (issue 23); nothing here asserts it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import build_site
import labdriver

ROOT = Path(__file__).resolve().parents[1]

PAGE = "notebooks/03-delta-terms.html"
GOAL_MS = 30.0
LIMIT_MS = 5000

# In the page: click Next of the first stepper; resolve with the milliseconds until a frame
# shows "step <k> of …" and another diagram (null after `limit` ms). Only the shown picture
# counts: the pictures of the other steps are in the page too, hidden.
CLICK_AND_TIME = """async ([k, limit]) => {
  const visible = (root, selector) => [...root.querySelectorAll(selector)]
      .find(e => e.getClientRects().length > 0);
  const root = document.querySelector('.bp-stepper');
  const diagram = () => { const s = visible(root, '.bp-diagram svg'); return s ? s.outerHTML : ''; };
  const before = diagram();
  const next = root.querySelector('button.bp-next');
  return await new Promise((resolve) => {
    const t0 = performance.now();
    const check = () => {
      const counter = visible(root, '.bp-counter');
      if (counter && counter.textContent.trim().startsWith('step ' + k + ' of') && diagram() !== before) {
        requestAnimationFrame(() => resolve(performance.now() - t0));
      } else if (performance.now() - t0 > limit) {
        resolve(null);
      } else {
        requestAnimationFrame(check);
      }
    };
    next.click();
    check();
  });
}"""

READY = """() => {
  const root = document.querySelector('.bp-stepper');
  return !!(root && root.querySelector('button.bp-next') && root.querySelector('.bp-slider .noUi-handle')
            && window.MathJax && MathJax.startup && MathJax.startup.promise);
}"""


def summary(values: list[float]) -> dict[str, float]:
    """Median and 90th percentile (and n, min, max) of a list of milliseconds."""
    ordered = sorted(values)
    if not ordered:
        return {"n": 0, "median": float("nan"), "p90": float("nan"), "min": float("nan"),
                "max": float("nan")}
    p90 = statistics.quantiles(ordered, n=10)[-1] if len(ordered) > 1 else ordered[0]
    return {"n": len(ordered), "median": round(statistics.median(ordered), 1),
            "p90": round(p90, 1), "min": round(ordered[0], 1), "max": round(ordered[-1], 1)}


def _open(browser: Any, site: Path) -> tuple[Any, list[str]]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    refused: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("file://", "data:")):
            r.continue_()
        else:
            refused.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(labdriver.UI_TIMEOUT_MS)
    page.goto((site / PAGE).as_uri(), wait_until="load")
    page.wait_for_function(READY)
    page.evaluate("() => MathJax.startup.promise")
    return page, refused


def bench_site(site: Path | None = None, rounds: int = 2, chromium: str | None = None) -> dict[str, Any]:
    """Click → picture on the website's stepper, in ms: ``{"median", "p90", "n", "min", "max",
    "goal_ms", "steps", "missed", "refused"}``. ``site`` is a built site (default: the
    students' site, built into a temporary folder)."""
    from playwright.sync_api import sync_playwright

    path = chromium or labdriver.find_chromium()
    if path is None:
        raise RuntimeError("no Chromium found: install Debian's `chromium` (tools/ensure-chromium)")
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        if site is None:
            site = Path(tmp) / "site"
            build_site.build(site, only=["03-delta-terms.ipynb"])
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=path, args=labdriver.CHROMIUM_ARGS)
            try:
                page, refused = _open(browser, site)
                n = int(page.locator(".bp-stepper .bp-counter").filter(visible=True).first
                        .inner_text().split()[-1])
                times: list[float] = []
                missed = 0
                for _ in range(rounds):
                    page.locator(".bp-stepper button.bp-reset").first.click()
                    page.locator(".bp-stepper .bp-counter", has_text=f"step 1 of {n}").filter(
                        visible=True).first.wait_for()
                    for k in range(2, n + 1):
                        ms = page.evaluate(CLICK_AND_TIME, [k, LIMIT_MS])
                        if ms is None:
                            missed += 1
                        else:
                            times.append(ms)
            finally:
                browser.close()
    return summary(times) | {"goal_ms": GOAL_MS, "steps": n, "missed": missed, "refused": refused}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=None,
                        help="a built site (default: build notebook 03's page into a temporary folder)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    print(json.dumps(bench_site(args.site, args.rounds), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
