"""What a student waits for: from a click on the stepper's "Next" to the new picture, in Chromium.

    python tools/bench_browser.py            # prints the figures as JSON
    python tools/bench_browser.py --rounds 3

:func:`bench_browser` starts a private JupyterLab (as the browser tests do, from
``tools/labdriver.py``), opens notebook 03 in headless Chromium, runs it, and then

* clicks **Next** over every step of the lecture's network (from step 1 to the last one,
  ``rounds`` times), timing in the page from the click to the frame in which both the counter
  and the diagram show the new step;
* drags the stepper's slider with the mouse, one step at a time, timed from the pointer move
  to the frame with the new picture;
* opens notebook 04 and drags the accumulator explorer's slider from i = m down to 0 and back,
  timed from the pointer move to the frame showing the new Δ tables.

Kernel → browser traffic is counted on the page's websockets: the bytes that arrive between a
click and the next one (what the kernel sends per step), and, from the kernel side, the size
of the stepper's whole widget state (what is sent once). Times are milliseconds; nothing here
asserts a time (the benchmark report compares them with the targets).
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import labdriver

STEPPER_NOTEBOOK = labdriver.DELTA_TERMS
EXPLORER_NOTEBOOK = labdriver.ACCUMULATORS
SETTLE_MS = 400          # quiet websocket time after a step before the next one is measured

# In the page: click `selector` inside the first `.bp-stepper`, resolve with the milliseconds
# until a frame shows the counter "step <k> of …" and a diagram different from before
# (null after `limit` ms).
# Only the shown picture counts: the pictures of the other steps may be in the page, hidden.
VISIBLE = """(root, selector) => [...root.querySelectorAll(selector)]
    .find(e => e.getClientRects().length > 0)"""

CLICK_AND_TIME = """async ([selector, k, limit]) => {
  const visible = """ + VISIBLE + """;
  const root = document.querySelector('.bp-stepper');
  const svg = () => { const s = visible(root, '.bp-diagram svg'); return s ? s.outerHTML : ''; };
  const before = svg();
  const button = root.querySelector(selector);
  const target = button.tagName === 'BUTTON' ? button : button.querySelector('button') || button;
  return await new Promise((resolve) => {
    const t0 = performance.now();
    const done = () => {
      const counter = visible(root, '.bp-counter');
      const shown = counter && counter.textContent.trim().startsWith('step ' + k + ' of');
      if (shown && svg() !== before) {
        requestAnimationFrame(() => resolve(performance.now() - t0));
      } else if (performance.now() - t0 > limit) {
        resolve(null);
      } else {
        requestAnimationFrame(done);
      }
    };
    target.click();
    done();
  });
}"""

# In the page: remember when the pointer last moved or was released (the start of a drag's
# effect: noUiSlider reports a new value on a move, or on the release).
WATCH_POINTER = """() => {
  window.__bpMoved = 0;
  for (const type of ['pointermove', 'pointerup', 'mousemove', 'mouseup']) {
    document.addEventListener(type, () => { window.__bpMoved = performance.now(); }, true);
  }
}"""

# In the page: the text that shows which picture is up (stepper: counter and diagram;
# explorer: the title), to tell when a drag has changed it.
SHOWN = """(rootSelector) => {
  const visible = """ + VISIBLE + """;
  const root = document.querySelector(rootSelector);
  const part = (s) => { const e = visible(root, s); return e ? e.outerHTML : ''; };
  return rootSelector === '.bp-stepper' ? part('.bp-counter') + part('.bp-diagram svg')
                                        : part('.bp-acc-title') + part('.bp-acc-delta');
}"""

# In the page: resolve once the picture differs from `before` (both counter and diagram for
# the stepper), with the milliseconds since the last pointer move; null after `limit` ms.
WAIT_SINCE_MOVE = f"""async ([rootSelector, before, limit]) => {{
  const shown = {SHOWN};
  const visible = {VISIBLE};
  const start = performance.now();
  const root = document.querySelector(rootSelector);
  const complete = () => {{
    if (rootSelector !== '.bp-stepper') return true;
    const counter = visible(root, '.bp-counter'), svg = visible(root, '.bp-diagram svg');
    return counter && svg && !before.includes(counter.outerHTML)
        && !before.includes(svg.outerHTML);
  }};
  return await new Promise((resolve) => {{
    const poll = () => {{
      if (shown(rootSelector) !== before && complete()) {{
        requestAnimationFrame(() => resolve(performance.now() - window.__bpMoved));
      }} else if (performance.now() - start > limit) {{
        resolve(null);
      }} else {{
        requestAnimationFrame(poll);
      }}
    }};
    poll();
  }});
}}"""
LIMIT_MS = 10_000

FIRST_STEP = f"""() => {{
  const counter = ({VISIBLE})(document.querySelector('.bp-stepper'), '.bp-counter');
  return counter && counter.textContent.trim().startsWith('step 1 of');
}}"""


class Traffic:
    """Bytes of the kernel → browser websocket frames seen by a page."""

    def __init__(self, page: Any) -> None:
        self.received = 0
        self.last = time.monotonic()
        page.on("websocket", self._attach)

    def _attach(self, ws: Any) -> None:
        ws.on("framereceived", self._frame)

    def _frame(self, payload: Any) -> None:
        self.received += len(payload if isinstance(payload, bytes) else payload.encode())
        self.last = time.monotonic()

    def settle(self, page: Any, quiet_ms: int = SETTLE_MS, limit_s: float = 10.0) -> None:
        """Wait until no frame arrived for `quiet_ms` (the kernel's replies are all in)."""
        end = time.monotonic() + limit_s
        while time.monotonic() < end:
            page.wait_for_timeout(quiet_ms / 4)
            if time.monotonic() - self.last > quiet_ms / 1000:
                return


def summary(values: list[float]) -> dict[str, float]:
    """Median, 10th/90th percentile, min and max of a list of milliseconds."""
    ordered = sorted(values)
    if not ordered:                      # every move missed: nothing to summarise
        return {k: float("nan") for k in ("median", "p10", "p90", "min", "max")} | {"n": 0}
    decile = statistics.quantiles(ordered, n=10) if len(ordered) > 1 else ordered * 9
    return {"n": len(ordered), "median": round(statistics.median(ordered), 1),
            "p10": round(decile[0], 1), "p90": round(decile[-1], 1),
            "min": round(ordered[0], 1), "max": round(ordered[-1], 1)}


def widget_state_bytes() -> dict[str, int]:
    """The stepper's widget state as the kernel sends it, for notebook 03's network."""
    import ipywidgets as w

    import nbhelpers as nb
    from nbhelpers.display.widgets import BackpropStepper

    p = nb.lecture_network()
    stepper = BackpropStepper(p.Theta, p.X, p.Y)
    seen: dict[str, w.Widget] = {}

    def walk(x: Any) -> None:
        if isinstance(x, w.Widget) and x.model_id not in seen:
            seen[x.model_id] = x
            for name in x.keys:
                walk(getattr(x, name))
        elif isinstance(x, list | tuple):
            for item in x:
                walk(item)

    walk(stepper.widget)
    total = sum(len(json.dumps(x.get_state(), default=str)) for x in seen.values())
    stepper.close()
    return {"bytes": total, "steps": len(stepper.steps), "models": len(seen)}


def drag_one(page: Any, handle: Any, slider: Any, fraction: float) -> None:
    """Drag the slider's handle to `fraction` (0…1) of the slider's track, in small moves.

    The handle is scrolled into view first: after a run of all cells a tall widget (the
    explorer) may have its slider above the window, where the mouse cannot reach it."""
    handle.scroll_into_view_if_needed()
    track = slider.locator(".noUi-target, .slider").first.bounding_box()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + fraction * track["width"], box["y"] + box["height"] / 2,
                    steps=4)
    page.mouse.up()


def bench_stepper(opened: labdriver.NotebookPage, traffic: Traffic,
                  rounds: int) -> dict[str, Any]:
    page = opened.page
    root = page.locator(".bp-stepper").first
    root.scroll_into_view_if_needed()
    n = int(root.locator(".bp-counter").first.text_content().split()[-1])
    clicks: list[float] = []
    per_step: list[int] = []
    for _ in range(rounds):
        root.locator(".bp-reset").first.click()
        page.wait_for_function(FIRST_STEP)
        traffic.settle(page)
        for k in range(2, n + 1):
            before = traffic.received
            clicks.append(page.evaluate(CLICK_AND_TIME, [".bp-next", k, LIMIT_MS]))
            traffic.settle(page)
            per_step.append(traffic.received - before)
    # the slider: drag from step 1 onwards, one step at a time
    root.locator(".bp-reset").first.click()
    page.wait_for_function(FIRST_STEP)
    page.evaluate(WATCH_POINTER)
    slider = root.locator(".bp-slider").first
    handle = slider.locator(".noUi-handle").first
    drags: list[float] = []
    for k in range(2, n + 1):
        traffic.settle(page)
        before = page.evaluate(SHOWN, ".bp-stepper")
        drag_one(page, handle, slider, (k - 1) / (n - 1))
        drags.append(page.evaluate(WAIT_SINCE_MOVE, [".bp-stepper", before, LIMIT_MS]))
    missed = clicks.count(None) + drags.count(None)
    clicks = [t for t in clicks if t is not None]
    drags = [t for t in drags if t is not None]
    return {"steps": n, "missed": missed, "click_next_ms": summary(clicks),
            "drag_slider_ms": summary(drags),
            "bytes_received_per_step": {"median": statistics.median(per_step),
                                        "max": max(per_step), "total": sum(per_step)}}


def bench_explorer(opened: labdriver.NotebookPage, traffic: Traffic) -> dict[str, Any]:
    page = opened.page
    root = page.locator(".bp-accumulator").first
    root.scroll_into_view_if_needed()
    slider = root.locator(".bp-acc-slider").first
    handle = slider.locator(".noUi-handle").first
    m = round(float(handle.get_attribute("aria-valuemax")))
    drag_one(page, handle, slider, 1.0)                 # start at i = m (a later cell moved it)
    page.wait_for_function("(m) => document.querySelector('.bp-acc-slider .widget-readout')"
                           ".textContent.trim() === String(m)", arg=m)
    page.evaluate(WATCH_POINTER)
    drags: list[float] = []
    per_move: list[int] = []
    for i in [*range(m - 1, -1, -1), *range(1, m + 1)]:
        traffic.settle(page)
        before = traffic.received
        shown = page.evaluate(SHOWN, ".bp-accumulator")
        drag_one(page, handle, slider, i / m)
        drags.append(page.evaluate(WAIT_SINCE_MOVE, [".bp-accumulator", shown, LIMIT_MS]))
        traffic.settle(page)
        per_move.append(traffic.received - before)
    missed = drags.count(None)
    drags = [t for t in drags if t is not None]
    return {"m": m, "missed": missed, "drag_slider_ms": summary(drags),
            "bytes_received_per_move": {"median": statistics.median(per_move),
                                        "max": max(per_move)}}


def bench_browser(rounds: int = 2, chromium: str | None = None) -> dict[str, Any]:
    """Start JupyterLab and Chromium, measure the stepper and the explorer; the figures."""
    from playwright.sync_api import sync_playwright

    chromium = chromium or labdriver.find_chromium()
    if chromium is None:
        raise RuntimeError("no Chromium: run tools/ensure-chromium or set CHROMIUM")
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        base = Path(tmp)
        root = base / "notebooks"
        import shutil
        shutil.copytree(labdriver.NOTEBOOKS, root,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        (base / "jupyter").mkdir()
        server = labdriver.start_lab(root, base / "jupyter", secrets.token_hex(24))
        try:
            problem = server.wait_until_ready(labdriver.SERVER_START_SECONDS)
            if problem:
                raise RuntimeError(problem)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                                     args=labdriver.CHROMIUM_ARGS)
                try:
                    results: dict[str, Any] = {}
                    for name, measure in ((STEPPER_NOTEBOOK, "stepper"),
                                          (EXPLORER_NOTEBOOK, "explorer")):
                        context = browser.new_context(viewport={"width": 1600, "height": 1200})
                        page = context.new_page()
                        page.set_default_timeout(labdriver.UI_TIMEOUT_MS)
                        opened = labdriver.NotebookPage(name, page)
                        traffic = Traffic(page)
                        page.goto(server.notebook_url(name, f"bench-{secrets.token_hex(4)}"))
                        opened.notebook.wait_for()
                        opened.run_all(labdriver.code_cell_count(root / name))
                        traffic.settle(page)
                        results[measure] = (bench_stepper(opened, traffic, rounds)
                                            if measure == "stepper"
                                            else bench_explorer(opened, traffic))
                        context.close()
                finally:
                    browser.close()
        finally:
            server.stop()
    results["stepper"]["widget_state"] = widget_state_bytes()
    state = results["stepper"]["widget_state"]
    results["stepper"]["bytes_sent_once_per_step"] = round(state["bytes"] / state["steps"])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="rounds of Next over all steps")
    args = parser.parse_args()
    print(json.dumps(bench_browser(rounds=args.rounds), indent=2))


if __name__ == "__main__":
    main()
