"""What every section of the benchmark shares: where things are, the problem sizes of sections
1 and 2, the settings (repeats and budgets) and the report the sections write into."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools"
DOCS = ROOT / "docs"

CLASSIC = (400, 25, 10)             # 20×20 pixels, 25 hidden units, 10 digits
CLASSIC_M = 5000
LAMBDA = 1.0
TORCH_THREADS = 2


@dataclass
class Settings:
    """Repeats per measurement, and the seconds each may take (``--quick`` lowers them).

    A comparison stops early, after at least three rounds, once its budget is spent, so that
    sections 1–6 stay within about four minutes on a busy machine; the tables give the runs
    made. Section 7 runs each of its measurements once (the whole test suite, the notebooks
    under nbval, JupyterLab and Chromium, a class to grade, two fresh clones): about ten more.
    """

    fast_repeats: int = 41           # gradients taking milliseconds
    fast_budget: float = 15.0
    torch_repeats: int = 31
    settle: float = 0.15             # between numpy and PyTorch turns (see timing.interleaved)
    loop_repeats: int = 7            # the loop at m = 5000 takes a fraction of a second
    loop_budget: float = 12.0
    scaling_repeats: int = 7
    scaling_budget: float = 4.0      # per size m
    train_repeats: int = 7
    train_budget: float = 15.0
    notebook_runs: int = 3
    notebook_budget: float = 130.0   # seconds for all notebook runs together (≥ one round)
    total_budget: float = 230.0      # the notebook rounds stop early to end the run by then
    stepper_repeats: int = 3         # rounds over all of the stepper's steps
    # where people wait (section 7)
    test_paths: tuple[str, ...] = ()  # empty: the whole suite, as `make test` runs it
    nbval_notebooks: int = 0         # 0: every notebook of the series
    browser_rounds: int = 2          # rounds of Next over all of the stepper's steps
    grading_repeats: int = 3
    class_size: int = 30
    setup: bool = True               # time_setup.py: two fresh clones (about two minutes)
    waiting: tuple[str, ...] = ()    # the goals of section 7 to measure; empty: all five


@dataclass
class Report:
    """Everything measured, as the sections of docs/benchmarks.md."""

    sections: list[str] = field(default_factory=list)
    targets: list[tuple[str, str, str, bool | None]] = field(default_factory=list)

    def add(self, title: str, *paragraphs: str) -> None:
        self.sections.append("\n\n".join([f"## {title}", *paragraphs]))

    def target(self, what: str, measured: str, met: bool | None, bound: str = "") -> None:
        self.targets.append((what, measured, bound, met))


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0))


def module_env() -> dict[str, str]:
    """This process's environment with tools/ first on PYTHONPATH, for a child that runs
    ``python -m bench`` (or imports another tool) wherever it is started."""
    path = os.environ.get("PYTHONPATH", "")
    return dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(TOOLS), path) if p))
