"""Section 7, where people wait: issue 17's five goals, each measured from outside and set
against the issue's own "before" figures (``issue17.toml``)."""

from __future__ import annotations

import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from notebook_runs import SERIES_GLOB

from nbhelpers.display.number_table import markdown_table

from .common import Report, Settings, cores
from .testruns import PytestRun, nbval_measurement, suite_measurement

DATA = Path(__file__).with_name("issue17.toml")


def load_goals(path: Path = DATA) -> tuple[str, dict[str, dict[str, Any]]]:
    """The commit of the "before" figures and the goals, by name, in the page's order."""
    with path.open("rb") as f:
        data = tomllib.load(f)
    return data["before_rev"], data["goals"]


BEFORE_REV, GOALS = load_goals()
BEFORE_SOURCE = f"issue 17, measured at commit {BEFORE_REV}"
WAITING_GOALS = tuple(GOALS)


def measure(report: Report, s: Settings, data: dict[str, Any]) -> None:
    """Issue 17's five goals: where people wait, before (the issue's figures) and after."""
    rows: list[list[str]] = []
    details: list[str] = []
    steps: list[tuple[str, Callable[[], tuple[list[str], str]]]] = [
        ("tests", lambda: waiting_tests(s)),
        ("nbval", lambda: waiting_nbval(s)),
        ("browser", lambda: waiting_browser(s)),
        ("grading", lambda: waiting_grading(s)),
        ("setup", lambda: waiting_setup(s)),
    ]
    for name, step in steps:
        if s.waiting and name not in s.waiting:
            continue
        t = time.perf_counter()
        try:
            row, detail = step()
        except Exception as error:  # one failed measurement must not lose the others
            row, detail = [name, "", f"not measured: {type(error).__name__}: {error}", "–",
                           ""], ""
        rows.append(row)
        if detail:
            details.append(detail)
        print(f"bench: waiting, {name} measured in {time.perf_counter() - t:.0f} s", flush=True)
    quick = (" **Measured with `--quick`: a part of the test suite, fewer rounds and a small "
             "class; not the figures to quote.**" if s.test_paths else "")
    report.add(
        "7. Where people wait",
        "Issue 17's five goals, one row each. **Before** is the issue's own measurement at "
        f"commit {BEFORE_REV} on this machine (a fresh clone, as a new maintainer runs it); "
        "**after** is measured by this run of the benchmark, on this checkout, with the "
        f"environment already set up, on {cores()} cores. Tests never assert a time; where a "
        "goal is missed, the last column gives what bounds it, measured." + quick,
        markdown_table(["goal", f"before ({BEFORE_SOURCE})", "after (measured here)",
                               "met", "what bounds it"], rows, align="lllll"),
        *details)


def _verdict(met: bool) -> str:
    return "**met**" if met else "**missed**"


def waiting_tests(s: Settings) -> tuple[list[str], str]:
    m = suite_measurement(s)
    run: PytestRun = m["run"]
    n = cores()
    bound_cpu = run.cpu / n
    groups = m["groups"]
    counts = ", ".join(f"{v} {k}" for k, v in run.outcomes.items() if v)
    after = (f"{run.wall:.0f} s wall for {run.tests:,} tests ({counts}); "
             f"{run.cpu:.0f} CPU-s in all, {run.cpu / run.wall:.2f} cores busy on average")
    everything_ran = run.outcomes["skipped"] == 0 and run.returncode == 0
    goal = GOALS["tests"]
    met = run.wall <= goal["limit_s"] and everything_ran
    big = sorted(groups, key=lambda g: -g[2])
    shares = "; ".join(f"{g[0]} {g[2]:.0f} s over {g[1]} tests" for g in big[:4])
    longest = m["longest"]
    bound = ""
    if not met:
        bound = (f"the CPU work alone: {run.cpu:.0f} CPU-s / {n} cores = {bound_cpu:.0f} s even "
                 f"if both cores were busy all the time (goal {goal['limit_s']:.0f} s). Where the "
                 f"test time goes (summed per test): {shares}. The longest single group, which "
                 f"one worker must run alone, is `{longest[3]}` at {longest[4]:.0f} s. "
                 "Meeting the goal needs less CPU work (fewer kernel starts and notebook "
                 "executions), not more parallelism")
    if not everything_ran:
        bound = (f"not every test ran and passed (pytest exited with {run.returncode}, "
                 f"{counts}); " + bound)
    row = [goal["title"], goal["before"], after, _verdict(met), bound]
    group_rows = [[g[0], f"{g[1]:,}", f"{g[2]:.1f} s", f"`{g[3]}` ({g[4]:.1f} s)"]
                  for g in big]
    detail = "\n\n".join([
        "### Goal 1: `make test`'s pytest run",
        f"`python {' '.join(m['command'])}` (the Makefile's `test` recipe after its setup and "
        f"lint) with `CI=true`, once, timed from outside; CPU seconds are user + system time "
        f"of it and all its children (`getrusage(RUSAGE_CHILDREN)` before and after: the "
        f"xdist workers, the kernels, JupyterLab, Chromium). {run.wall:.1f} s wall, "
        f"{run.cpu:.1f} CPU-s. The same run's per-test seconds (setup + call + teardown, from "
        "its JUnit report), summed by what the tests start (the markers of conftest.py); a "
        "group is what one worker runs as a whole, in order:",
        markdown_table(["kind of test", "tests", "seconds (summed)", "longest group"],
                              group_rows, align="lrrl"),
        "The slowest single items of that run (`--durations=15`):",
        "```\n" + "\n".join(run.top) + "\n```" if run.top else "(no durations reported)",
    ])
    return row, detail


def waiting_nbval(s: Settings) -> tuple[list[str], str]:
    m = nbval_measurement(s)
    run: PytestRun = m["run"]
    own = m["own"]
    total_own = sum(t for t, _ in own.values())
    cells_own = sum(c for _, c in own.values())
    kernel = total_own - cells_own
    in_nbval = sum(m["per_notebook"].values())
    per_cell = (in_nbval - total_own) / max(run.tests, 1)
    start = m["startup"]
    xdist = start["workers"] - start["one process"]
    goal = GOALS["nbval"]
    met = run.wall <= goal["limit_s"] and run.returncode == 0
    after = (f"{run.wall:.1f} s wall for {run.tests} cells of {len(own)} notebooks on "
             f"{cores()} workers; the cells' own time {cells_own:.1f} s")
    gap = (f"of the gap to the cells' {cells_own:.1f} s: starting and stopping "
           f"{len(own)} kernels {kernel:.1f} s ({kernel / max(len(own), 1):.2f} s each, "
           f"nbclient); nbval's own work {in_nbval - total_own:+.1f} s "
           f"({1000 * per_cell:+.0f} ms per cell: sending each cell, comparing its outputs "
           f"with the saved ones through the sanitizer); xdist's workers {xdist:.1f} s to "
           f"start (an empty test: {start['workers']:.1f} s with workers, "
           f"{start['one process']:.1f} s in one process); the rest is two workers sharing "
           f"{in_nbval:.1f} s of notebook time ({in_nbval / cores():.1f} s each at best)")
    bound = "" if met else (
        f"{gap}. The notebooks' own time with kernels, {total_own:.1f} s, over "
        f"{cores()} cores is {total_own / cores():.1f} s before nbval does anything")
    row = [goal["title"], goal["before"], after, _verdict(met), bound or gap]
    rows = [[f"`{name}`", f"{m['per_notebook'][name]:.1f} s", f"{t:.1f} s", f"{c:.1f} s"]
            for name, (t, c) in own.items()]
    rows.append(["**series**", f"**{in_nbval:.1f} s**", f"**{total_own:.1f} s**",
                 f"**{cells_own:.1f} s**"])
    detail = "\n\n".join([
        "### Goal 2: the notebook series under nbval",
        f"`pytest -n auto --dist loadgroup --no-loadscope-reorder --nbval --nbval-current-env "
        f"--nbval-sanitize-with "
        f"notebooks/sanitize.cfg notebooks/{SERIES_GLOB}` with `CI=true`: {run.wall:.1f} s "
        f"wall, {run.cpu:.1f} CPU-s. Each notebook's seconds under nbval (its cells' test "
        "items summed, kernel start included) against one run of it by nbclient in a fresh "
        "kernel (section 4's way) with and without starting the kernel:",
        markdown_table(["notebook", "under nbval", "nbclient, with kernel",
                               "cells' own"], rows),
    ])
    return row, detail


def waiting_browser(s: Settings) -> tuple[list[str], str]:
    from bench_browser import bench_browser

    r = bench_browser(rounds=s.browser_rounds)
    st, ex = r["stepper"], r["explorer"]
    click, drag, explore = st["click_next_ms"], st["drag_slider_ms"], ex["drag_slider_ms"]
    worst = max(v for v in (click["median"], drag["median"], explore["median"]) if v == v)
    goal = GOALS["browser"]
    met = worst <= goal["limit_ms"] and st["missed"] == 0 and ex["missed"] == 0
    per_step = st["bytes_received_per_step"]
    after = (f"click on Next → picture: median {click['median']:.0f} ms, p90 "
             f"{click['p90']:.0f} ms over {click['n']} clicks ({st['steps']} steps × "
             f"{s.browser_rounds}); stepper slider drag median {drag['median']:.0f} ms; "
             f"explorer slider drag median {explore['median']:.0f} ms (notebook 04, m = "
             f"{ex['m']}); {per_step['median']:,.0f} bytes per step from the kernel (all steps "
             f"sent once: {st['widget_state']['bytes'] / 1000:.1f} kB, "
             f"{st['bytes_sent_once_per_step'] / 1000:.1f} kB per step)")
    if st["missed"] or ex["missed"]:
        after += f"; {st['missed'] + ex['missed']} moves showed no new picture within 10 s"
    bound = "" if met else (
        f"the slowest median is {worst:.0f} ms. Every step's picture is already in the page "
        f"(sent once, {st['widget_state']['bytes'] / 1000:.0f} kB, "
        f"{st['bytes_sent_once_per_step'] / 1000:.1f} kB per step); per step only "
        f"{per_step['median']:,.0f} bytes arrive from the kernel (widget state messages, no "
        "picture), so the time left is the front end's: the widget models' updates and Chromium's "
        f"style, layout and paint of the new picture (fastest click {click['min']:.0f} ms, "
        f"p10 {click['p10']:.0f} ms)")
    if st["missed"] or ex["missed"]:
        bound = (f"{st['missed'] + ex['missed']} moves showed no new picture within "
                 "10 s (see the table below); " + bound)
    row = [goal["title"], goal["before"], after, _verdict(met), bound]
    table = [["stepper: click on Next", click], ["stepper: drag the slider one step", drag],
             ["explorer (notebook 04): drag the slider one example", explore]]
    detail = "\n\n".join([
        "### Goal 3: the stepper in the browser",
        "`tools/bench_browser.py`: a private JupyterLab and headless Chromium; notebook 03 run, "
        "then Next clicked over every step of the lecture's network, timed in the page from "
        "the click to the frame in which both the counter and the diagram show the new step; "
        "then the slider dragged step by step, and notebook 04's explorer slider from i = m to "
        "0 and back, timed from the pointer move to the frame with the new picture. Bytes are "
        "the websocket frames from the kernel between two moves. Milliseconds:",
        markdown_table(["move", "n", "median", "p10", "p90", "max"],
                              [[name, f"{v['n']}", f"{v['median']:.0f}", f"{v['p10']:.0f}",
                                f"{v['p90']:.0f}", f"{v['max']:.0f}"] for name, v in table]),
    ])
    return row, detail


def waiting_grading(s: Settings) -> tuple[list[str], str]:
    from bench_grading import grading_rows

    rows = grading_rows(class_size=s.class_size, jobs=cores(), repeats=s.grading_repeats)
    own, graded, overhead, _sandbox, klass = rows
    goal = GOALS["grading"]
    met_one = overhead["seconds"] <= goal["overhead_limit_s"]
    met_class = klass["seconds"] <= goal["class_limit_s"] * s.class_size / goal["class_size"]
    after = (f"{graded['measure']}: {graded['seconds']:.1f} s against {own['seconds']:.1f} s "
             f"for its own run: {overhead['seconds']:+.1f} s; {klass['measure'].split(' (')[0]}: "
             f"{klass['seconds']:.0f} s")
    bound = []
    if not met_one:
        bound.append(f"the overhead of {overhead['seconds']:.1f} s over the own run")
    if not met_class:
        bound.append(f"{klass['detail']}")
    row = [goal["title"], goal["before"], after, _verdict(met_one and met_class),
           "; ".join(bound)]
    detail = "\n\n".join([
        "### Goal 4: grading",
        "`tools/bench_grading.py` (`grading_rows`): the instructor's notebook in a fresh "
        "kernel, `check` of a right submission of it, each pair in turn; then one `check` of "
        f"a folder of {s.class_size} submissions (right and wrong alternating) on "
        f"{cores()} processes.",
        markdown_table(["measure", "seconds", "detail"],
                              [[r["measure"], f"{r['seconds']:.1f}", r["detail"]]
                               for r in rows], align="lrl"),
    ])
    return row, detail


def waiting_setup(s: Settings) -> tuple[list[str], str]:
    from time_setup import time_setup

    goal = GOALS["setup"]
    limit = goal["limit_s"]
    if not s.setup:
        return [goal["title"], goal["before"], "not measured (`--skip-setup`)", "–", ""], ""
    r = time_setup()
    per = r["test_targets"]
    installer = "uv" if r["uv"] else "pip (no uv wheel from this machine's index: the fallback)"
    met = r["lab"] <= limit and r["test"] <= limit
    parts = ", ".join(f"`{k}` {v:.0f} s" for k, v in per.items())
    after = (f"`make lab` to JupyterLab answering: {r['lab']:.0f} s; `make test`'s setup: "
             f"{r['test']:.0f} s ({parts}); installer: {installer}")
    bound = ""
    if not met:
        slow = max(per, key=per.__getitem__)
        bound = (f"`make test`'s setup is {r['test']:.0f} s, of which `{slow}` takes "
                 f"{per[slow]:.0f} s" if r["test"] > limit else "")
        if r["lab"] > limit:
            bound += ("; " if bound else "") + (
                f"`make lab` takes {r['lab']:.0f} s, of which creating .venv and installing "
                f"the pins with {installer.split()[0]} is what `make setup` measures "
                f"({per.get('setup', float('nan')):.0f} s)")
        if not r["uv"]:
            bound += ("; the packages were installed by pip, because uv could not be "
                      "installed from this machine's package index")
    row = [goal["title"], goal["before"], after, _verdict(met), bound]
    detail = "\n\n".join([
        "### Goal 5: setup",
        f"`tools/time_setup.py` on two fresh clones of {r['rev']} (this checkout's HEAD) with "
        "the package caches of pip, uv and npm as this machine has them: `make lab` timed "
        "until its JupyterLab answers HTTP; on the other clone, the targets `make test` runs "
        "before its lint and tests, each timed in turn: " + parts + ".",
    ])
    return row, detail
