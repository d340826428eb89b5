"""The command line of ``python -m bench`` (see the package's docstring): measure the sections
asked for and write the page, or replace those sections in the existing page (``--only``)."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path
from typing import Any

import timing

import bench

from . import memory
from .common import DOCS, Report, Settings
from .machine import load_text, machine_section
from .page import figure, merge_page, targets_table
from .sections import SECTIONS
from .waiting import WAITING_GOALS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=bench.__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer repeats and a small part of the test suite, for trying it out")
    parser.add_argument("--out", type=Path, default=DOCS, help="where to write the two files")
    parser.add_argument("--only", choices=SECTIONS, action="append",
                        help="measure only this section (repeatable) and replace it in the "
                             "existing page; the other sections are kept")
    parser.add_argument("--skip-notebooks", action="store_true")
    parser.add_argument("--skip-setup", action="store_true",
                        help="section 7 without timing setup from fresh clones")
    parser.add_argument("--waiting", action="append", choices=WAITING_GOALS,
                        help="in section 7, measure only this goal (repeatable); the section "
                             "then has only these rows")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        memory.memory_child()
        return 0
    s = Settings()
    if args.quick:
        s = Settings(fast_repeats=7, fast_budget=3, loop_repeats=3, loop_budget=3,
                     scaling_repeats=3, scaling_budget=1, train_repeats=3, train_budget=3,
                     torch_repeats=5,
                     notebook_runs=1, notebook_budget=60, stepper_repeats=1,
                     test_paths=("tests/test_cost.py", "tests/test_timing.py",
                                 "notebooks/00-start-here.ipynb"),
                     nbval_notebooks=2, browser_rounds=1, grading_repeats=1, class_size=4)
    s.setup = not args.skip_setup
    s.waiting = tuple(args.waiting or ())
    started = datetime.datetime.now(datetime.UTC)
    t0 = time.perf_counter()
    loads = [os.getloadavg()]
    report = Report()
    data: dict[str, Any] = {}
    wanted = set(args.only or SECTIONS) - ({"notebooks"} if args.skip_notebooks else set())
    for name, measure in SECTIONS.items():
        if name not in wanted:
            continue
        t = time.perf_counter()
        if name == "notebooks":
            s.notebook_budget = min(s.notebook_budget, s.total_budget - (t - t0))
        measure(report, s, data)
        print(f"bench: {name} measured in {time.perf_counter() - t:.0f} s", flush=True)
    loads.append(os.getloadavg())
    args.out.mkdir(parents=True, exist_ok=True)
    page_path = args.out / "benchmarks.md"
    if args.only:
        if not page_path.exists():
            parser.error(f"--only replaces sections of {page_path}, which does not exist yet")
        command = " ".join(["python -m bench", *(argv if argv is not None else sys.argv[1:])])
        note = (f"*Measured alone (`{command}`) on "
                f"{started.strftime('%Y-%m-%d %H:%M UTC')}, load average "
                f"{load_text(loads)} on {os.cpu_count()} cores, in "
                f"{timing.format_time(time.perf_counter() - t0)}; the machine section below "
                "is from the last full run.*")
        page_path.write_text(merge_page(page_path.read_text(), report, note))
        print(f"bench: replaced {', '.join(args.only)} in {page_path} "
              f"in {time.perf_counter() - t0:.0f} s")
        return 0
    figure(data, args.out / "benchmarks.png")
    order = sorted(report.sections, key=lambda text: text.split(".", 1)[0])
    page = "\n\n".join([
        "# Benchmarks",
        "Written by `make bench` (`tools/bench/`); do not edit by hand. Every comparison "
        "ran its candidates side by side in one process, interleaved round by round, and "
        "reports the median of repeated runs, as a time and as a ratio (`tools/timing.py`). "
        "Section 7 times what people wait for (issue 17) from outside, once each.",
        "![Gradient time against m, and one gradient at m = 5000](benchmarks.png)",
        "*Figure: left, the seconds per gradient against the number of examples m on log–log "
        "axes, for the lecture's loop, the vectorized version and the roofline; right, one "
        "gradient at m = 5000 for each method, on a log scale.*",
        "## Targets", targets_table(report),
        *order,
        "## Machine and versions", machine_section(loads, started, time.perf_counter() - t0),
    ]) + "\n"
    (args.out / "benchmarks.md").write_text(page)
    print(f"bench: wrote {args.out / 'benchmarks.md'} and {args.out / 'benchmarks.png'} "
          f"in {time.perf_counter() - t0:.0f} s")
    return 0
