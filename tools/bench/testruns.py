"""Section 7's pytest runs, timed from outside: ``make test``'s own pytest command and the
notebook series under nbval, with their CPU time and each test's seconds from a JUnit report."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notebook_runs import series_notebooks

from .common import ROOT, Settings
from .notebooks import execute_notebook

TEST_COMMAND = ["-m", "pytest", "-n", "auto", "--dist", "loadgroup", "--no-loadscope-reorder",
                "tests", "notebooks", "--nbval", "--nbval-current-env", "--nbval-sanitize-with",
                "notebooks/sanitize.cfg"]


def make_test_command(makefile: Path = ROOT / "Makefile") -> list[str]:
    """The pytest arguments of the Makefile's ``test`` target (after ``$(BIN)/python``), with
    its variables expanded by make itself (``make -n``)."""
    try:
        out = subprocess.run(["make", "--no-print-directory", "-n", "-f", str(makefile),
                              "test"], cwd=makefile.parent, capture_output=True, text=True,
                             check=True).stdout
        line = next(line for line in out.splitlines() if " -m pytest " in line)
        words = line.split()
        return words[next(i for i, w in enumerate(words)
                          if w == "-m" and words[i + 1:i + 2] == ["pytest"]):]
    except (OSError, subprocess.CalledProcessError, StopIteration):
        return list(TEST_COMMAND)


@dataclass
class PytestRun:
    """One timed pytest run: wall and CPU seconds, the counts, and each test's seconds."""

    wall: float
    cpu: float
    outcomes: dict[str, int]
    durations: dict[str, float]       # node id (file::name) → setup + call + teardown seconds
    returncode: int
    top: list[str]                    # pytest's --durations lines
    starts: dict[str, str] = field(default_factory=dict)   # node id → unit, kernel, … (conftest.py)
    groups: dict[str, str] = field(default_factory=dict)   # node id → its xdist group

    @property
    def tests(self) -> int:
        return sum(self.outcomes.values())


def run_pytest(args: list[str], top: int = 15) -> PytestRun:
    """Run ``python <args>`` (a pytest command) with CI=true; time it, count CPU, read junit."""
    import resource
    import xml.etree.ElementTree as ET

    with tempfile.TemporaryDirectory(prefix="bench-pytest-") as tmp:
        junit = Path(tmp) / "junit.xml"
        # With pytest's cache, as `make test` runs: it orders the groups by the last run.
        command = [sys.executable, *args, f"--durations={top}", f"--junitxml={junit}",
                   "-o", "junit_family=xunit1", "-q"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                             env=dict(os.environ, CI="true"))
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        outcomes = {"passed": 0, "failed": 0, "skipped": 0, "error": 0}
        durations: dict[str, float] = {}
        starts: dict[str, str] = {}
        groups: dict[str, str] = {}
        if junit.exists():
            for case in ET.parse(junit).iter("testcase"):
                path = case.get("file", case.get("classname", "?"))
                name = case.get("name") or ""
                if name.rfind("@") > name.rfind("]"):        # xdist's "@group" suffix
                    name = name.rpartition("@")[0]
                node = f"{path}::{name}"
                durations[node] = durations.get(node, 0.0) + float(case.get("time", 0))
                props = {p.get("name"): p.get("value", "") for p in case.iter("property")}
                groups[node] = props.get("group") or path
                if "starts" in props:
                    starts[node] = props["starts"]
                kinds = {child.tag for child in case}
                kind = ("failed" if "failure" in kinds else "error" if "error" in kinds
                        else "skipped" if "skipped" in kinds else "passed")
                outcomes[kind] += 1
    lines = out.stdout.splitlines()
    top_lines = []
    if any("slowest" in line for line in lines):
        start_at = next(i for i, line in enumerate(lines) if "slowest" in line)
        top_lines = [line for line in lines[start_at + 1:start_at + 1 + top] if line.strip()]
    if out.returncode not in (0, 1):
        print(out.stdout[-3000:], out.stderr[-3000:], sep="\n", file=sys.stderr)
    return PytestRun(wall, cpu, outcomes, durations, out.returncode, top_lines, starts, groups)


KINDS_OF_TESTS = (   # (group of the table, the kind of test, from the top-level conftest.py)
    ("unit tests (what `make check` runs)", "unit"),
    ("tests that start kernels (grader, student copies, nbgrader)", "kernel"),
    ("notebooks under nbval", "notebook"),
    ("browser tests (one JupyterLab, one Chromium)", "browser"),
    ("website builds (Sphinx, MyST-NB)", "site"),
)


def time_by_kind(run: PytestRun) -> list[tuple[str, int, float, str, float]]:
    """Per kind of test: (name, tests, summed seconds, its longest xdist group, that group's
    seconds). A group is what one worker runs as a whole, in order: a notebook, a test file,
    or all browser tests (conftest.py). Tests the report gives no kind are counted as unit."""
    rows = []
    for name, kind in KINDS_OF_TESTS:
        nodes = [n for n in run.durations if run.starts.get(n, "unit") == kind]
        seconds: dict[str, float] = {}
        for n in nodes:
            group = run.groups.get(n, n.split("::", 1)[0])
            seconds[group] = seconds.get(group, 0.0) + run.durations[n]
        worst = max(seconds, key=seconds.__getitem__) if seconds else "–"
        rows.append((name, len(nodes), sum(run.durations[n] for n in nodes), worst,
                     seconds.get(worst, 0.0)))
    return rows


def suite_measurement(s: Settings) -> dict[str, Any]:
    """Goal 1: `make test`'s pytest run, timed, with its CPU time and where the time goes."""
    args = make_test_command()
    if s.test_paths:                  # --quick: a small part of the suite, to try the bench
        args = [a for a in args if a not in ("tests", "notebooks")] + list(s.test_paths)
    run = run_pytest(args)
    groups = time_by_kind(run)
    longest = max(groups, key=lambda g: g[4]) if groups else None
    return {"run": run, "groups": groups, "longest": longest, "command": args}


def nbval_measurement(s: Settings) -> dict[str, Any]:
    """Goal 2: the notebook series under nbval on all cores, against the cells' own time."""
    paths = series_notebooks()[:s.nbval_notebooks or None]
    names = [str(p.relative_to(ROOT)) for p in paths]
    args = ["-m", "pytest", "-n", "auto", "--dist", "loadgroup", "--no-loadscope-reorder", "--nbval",
            "--nbval-current-env", "--nbval-sanitize-with", "notebooks/sanitize.cfg", *names]
    run = run_pytest(args, top=5)
    own = {p.name: execute_notebook(p) for p in paths}      # one fresh kernel each, in turn
    per_notebook = {}
    for p in paths:
        key = str(p.relative_to(ROOT))
        per_notebook[p.name] = sum(t for n, t in run.durations.items() if n.startswith(key))
    # xdist's own cost: two workers started for one empty test, against one process
    with tempfile.TemporaryDirectory(prefix="bench-xdist-") as tmp:
        empty = Path(tmp) / "test_empty.py"
        empty.write_text("def test_nothing():\n    pass\n")
        plain = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", tmp, str(empty)]
        times = {}
        for label, extra in (("one process", []), ("workers", ["-n", "auto"])):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, *plain, *extra], cwd=tmp, capture_output=True)
            times[label] = time.perf_counter() - t0
    return {"run": run, "own": own, "per_notebook": per_notebook, "startup": times,
            "cells": run.tests}
