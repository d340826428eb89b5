"""Section 5: the stepper, made (every step's picture drawn) and moved one step from the kernel."""

from __future__ import annotations

import time
from typing import Any

import timing

import nbhelpers as nb
from nbhelpers.display.number_table import markdown_table

from .common import LAMBDA, Report, Settings


def measure(report: Report, s: Settings, data: dict[str, Any]) -> None:
    """Section 5: the stepper's construction, and the kernel's time to move it one step."""
    from nbhelpers.display.widgets import BackpropStepper
    p = nb.lecture_network()
    made = []
    for _ in range(max(s.stepper_repeats, 3)):
        t0 = time.perf_counter()
        stepper = BackpropStepper(p.Theta, p.X, p.Y, lam=LAMBDA)
        made.append(time.perf_counter() - t0)
        stepper.close()
    stepper = BackpropStepper(p.Theta, p.X, p.Y, lam=LAMBDA)
    seconds = timing.time_per_step(stepper, s.stepper_repeats)
    n = len(stepper.steps)
    stepper.close()
    construction = timing.median(made)
    report.add("5. The stepper",
               f"`BackpropStepper` on the lecture's 3-5-5-4 network (m = {len(p.X)}, λ = 1), "
               f"{n} steps. Every step's picture (diagram, equations, tables) is drawn once, "
               "when the stepper is made: that is the construction time below (median of "
               f"{len(made)}). Nothing is rendered per click: Next, Prev, Play and the slider "
               "show the step's picture in the browser without asking the kernel. So "
               "`timing.time_per_step` (every step set from Python "
               f"{s.stepper_repeats} time(s), median) measures only the kernel moving the slider "
               "and the picture stack; what a student waits for in the browser is measured in "
               "section 7 (goal 3).",
               markdown_table(["stepper", "median", "runs"],
                                     [["making it: every step's picture drawn",
                                       timing.format_time(construction), f"{len(made)}"],
                                      ["one step set from the kernel (`time_per_step`)",
                                       timing.format_time(seconds), f"{n * s.stepper_repeats}"]]))
    report.target("stepper < 50 ms per step",
                  f"{timing.format_time(seconds)} in the kernel per step (the pictures drawn "
                  f"once, in {timing.format_time(construction)}, when it is made)",
                  seconds < 0.05)
