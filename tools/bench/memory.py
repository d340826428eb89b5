"""Section 6: peak memory of section 3's training run, measured in a fresh Python process
(``python -m bench --memory-child``)."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import nbhelpers as nb
from nbhelpers.display.number_table import markdown_table

from .common import ROOT, Report, Settings, module_env
from .training import train_to_target


def _status_kib(field: str) -> int | None:
    """A memory figure of this process from /proc/self/status (VmRSS, VmHWM), in KiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-resident-memory mark (VmHWM) of this process (Linux ≥ 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def memory_child() -> None:
    """Run inside a fresh interpreter: train to 95 % and print the memory figures as JSON.

    The peak resident memory of the process is reset just before training, so VmHWM after
    it is the peak during training, not the peak of importing the libraries.
    """
    digits = nb.load_digits()
    before = _status_kib("VmRSS")
    reset = _reset_peak_rss()
    tracemalloc.start()
    iterations, acc = train_to_target(digits)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({
        "tracemalloc_peak": peak, "rss_before_kib": before,
        "hwm_kib": _status_kib("VmHWM") if reset else None,
        "iterations": iterations, "accuracy": acc}))


def measure(report: Report, s: Settings, data: dict[str, Any]) -> None:
    """Section 6: peak memory of the training run, measured in a fresh subprocess."""
    out = subprocess.run([sys.executable, "-m", "bench", "--memory-child"], capture_output=True,
                         text=True, check=True, cwd=ROOT, env=module_env())
    data = json.loads(out.stdout.strip().splitlines()[-1])
    mib = 2**20
    rows = [["Python and numpy allocations during training (tracemalloc peak)",
             f"{data['tracemalloc_peak'] / mib:.1f} MiB"]]
    if data["hwm_kib"] is not None and data["rss_before_kib"] is not None:
        rows += [["resident memory of the process just before training (VmRSS)",
                  f"{data['rss_before_kib'] / 1024:.1f} MiB"],
                 ["peak resident memory during training (VmHWM, reset before training)",
                  f"{data['hwm_kib'] / 1024:.1f} MiB"],
                 ["… the training's own share (peak − before)",
                  f"{(data['hwm_kib'] - data['rss_before_kib']) / 1024:.1f} MiB"]]
    report.add("6. Peak memory of the training run",
               "The training run of section 3 (`nb.train` to 95 %, "
               f"{data['iterations']} iterations, held-out accuracy {data['accuracy']:.3f}) "
               "in a fresh Python process, under tracemalloc (which numpy reports its arrays "
               "to), so it is not timed. tracemalloc gives the peak of the memory allocated "
               "while training; the resident-memory figures come from the kernel "
               "(/proc/self/status) and include the interpreter and libraries. (getrusage's "
               "ru_maxrss is not used: a process started from this one inherits its peak.)",
               markdown_table(["measure", "peak"], rows))
