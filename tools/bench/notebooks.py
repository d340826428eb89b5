"""Section 4: each notebook of the series in a fresh kernel, and the series' total."""

from __future__ import annotations

import datetime
import time
from pathlib import Path
from typing import Any

import timing
from notebook_runs import SERIES_GLOB, kernel_client, series_notebooks

from nbhelpers.display.number_table import markdown_table

from .common import Report, Settings


def execute_notebook(path: Path) -> tuple[float, float]:
    """Run a notebook in a fresh kernel without saving it; (total seconds, cells' seconds).

    The total includes starting and stopping the kernel; the cells' time runs from the first
    cell's start to the last cell's reply, as the kernel reports them.
    """
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    kernel_client(notebook, path.parent, timeout=300).execute()
    total = time.perf_counter() - start
    stamps = [cell.metadata.get("execution", {}) for cell in notebook.cells
              if cell.cell_type == "code"]
    begin = [s["iopub.execute_input"] for s in stamps if "iopub.execute_input" in s]
    end = [s["shell.execute_reply"] for s in stamps if "shell.execute_reply" in s]
    cells = (_stamp(max(end)) - _stamp(min(begin))) if begin and end else float("nan")
    return total, cells


def _stamp(text: str) -> float:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def measure(report: Report, s: Settings, data: dict[str, Any]) -> None:
    """Section 4: each notebook's time in a fresh kernel, and the series' total."""
    paths = series_notebooks()
    if not paths:
        report.add("4. Each notebook in a fresh kernel", "No notebooks found.")
        return
    runs: dict[str, list[tuple[float, float]]] = {p.name: [] for p in paths}
    started = time.perf_counter()
    for _ in range(s.notebook_runs):
        for path in paths:
            runs[path.name].append(execute_notebook(path))
        spent = time.perf_counter() - started
        per_round = spent / len(next(iter(runs.values())))
        if spent + per_round > s.notebook_budget:
            break
    n = len(next(iter(runs.values())))
    rows, total, cells_total, slowest = [], 0.0, 0.0, 0.0
    for name, r in runs.items():
        t = timing.median([a for a, _ in r])
        c = timing.median([b for _, b in r])
        total, cells_total, slowest = total + t, cells_total + c, max(slowest, t)
        rows.append([f"`{name}`", f"{t:.1f} s", f"{c:.1f} s", "✔" if t < 10 else "✘"])
    rows.append(["**series**", f"**{total:.1f} s**", f"**{cells_total:.1f} s**",
                 "✔" if total < 60 else "✘"])
    report.add("4. Each notebook in a fresh kernel",
               f"`notebooks/{SERIES_GLOB}` run by nbclient, one fresh kernel per run, nothing "
               f"saved; median of {n} run(s) of the whole series (rounds over the series, as "
               "many as fit the time budget). \"With kernel\" includes starting and stopping "
               "the kernel; \"cells\" is the kernel's own time from the first cell to the last.",
               markdown_table(["notebook", "with kernel", "cells", "< 10 s"], rows))
    report.target("every notebook < 10 s", f"slowest {slowest:.1f} s (with kernel start)",
                  slowest < 10)
    report.target("the series < 60 s", f"{total:.1f} s for {len(paths)} notebooks", total < 60)
