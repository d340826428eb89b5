"""Section 2: the gradient's time for m from 100 to 20,000, the loop against the vectorized
version (the left half of the figure)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import timing

import nbhelpers as nb

from .common import LAMBDA, Report, Settings
from .gradient import classic_sized

SCALING_SIZES = (100, 200, 500, 1000, 2000, 5000, 10_000, 20_000)
LOOP_TIME_LIMIT = 2.0               # seconds: beyond this the loop is not run at larger m


def measure(report: Report, s: Settings, figure_data: dict[str, Any]) -> None:
    """Section 2: gradient time for m from 100 to 20,000, loop and vectorized."""
    problem = classic_sized(max(SCALING_SIZES))

    def candidates_at(m: int) -> dict[str, Callable[[], object]]:
        Theta, X, Y = problem.Theta, problem.X[:m], problem.Y[:m]
        return {"vectorized": lambda: nb.backprop_vectorized(Theta, X, Y, LAMBDA),
                "loop": lambda: nb.backprop(Theta, X, Y, LAMBDA)}

    result = timing.scaling(candidates_at, SCALING_SIZES, s.scaling_repeats,
                            reference="vectorized", time_limit=LOOP_TIME_LIMIT,
                            budget=s.scaling_budget)
    runs = sorted({len(ts) for c in result.results.values() for ts in c.times.values()})
    runs_text = f"{runs[0]}" if len(runs) == 1 else f"{runs[0]}–{runs[-1]}"
    note = ("The loop ran at every size." if not result.dropped else
            f"The loop took more than {LOOP_TIME_LIMIT:g} s per gradient, so it was not run "
            f"from m = {result.dropped['loop']:,} on (to keep `make bench` short).")
    report.add("2. Scaling with the number of examples m",
               f"400-25-10 as above, λ = 1, {runs_text} interleaved runs per size, "
               f"medians. {note} Plot: `docs/benchmarks.png` (left).",
               timing.scaling_table(result, ["loop", "vectorized"]))
    figure_data["scaling"] = result
