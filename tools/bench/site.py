"""Section 8: the website's stepper, click → picture, from file:// with no kernel anywhere."""

from __future__ import annotations

from typing import Any

import bench_site

from nbhelpers.display.number_table import markdown_table

from .common import Report, Settings


def measure(report: Report, s: Settings, data: dict[str, Any]) -> None:
    """Section 8: Next clicked through every step of notebook 03's stepper on the built site."""
    rounds = 1 if s.stepper_repeats <= 1 else 2
    try:
        result = bench_site.bench_site(rounds=rounds)
    except RuntimeError as error:       # no Chromium here: say so instead of a number
        report.add("8. The website's stepper", f"Not measured: {error}.")
        report.target(f"website click → picture ≤ {bench_site.GOAL_MS:g} ms (median)",
                      "not measured", None)
        return
    report.add("8. The website's stepper",
               "The students' site built from notebook 03 alone (`tools/build_site.py`), opened "
               "from disk in headless Chromium with every non-file request refused; html-manager "
               "draws the stepper from the saved widget state. Each click on Next is timed until "
               f"the counter and the picture of the next step show ({result['n']} clicks over "
               f"{rounds} round(s) of the {result['steps']} steps; `tools/bench_site.py`).",
               markdown_table(["click → picture", "median", "p90", "min", "max"],
                              [["Next", f"{result['median']:.1f} ms", f"{result['p90']:.1f} ms",
                                f"{result['min']:.1f} ms", f"{result['max']:.1f} ms"]]))
    report.target(f"website click → picture ≤ {bench_site.GOAL_MS:g} ms (median)",
                  f"{result['median']:.1f} ms (p90 {result['p90']:.1f} ms)",
                  result["median"] <= bench_site.GOAL_MS)
