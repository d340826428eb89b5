"""Re-run notebooks in a fresh kernel, top to bottom, and save them with their outputs.

This is what `make execute` runs, and what a maintainer runs before committing a notebook:
the saved file is then exactly what "Restart Kernel and Run All" in JupyterLab produces
(execution counts 1…n, widget state stored), which is what nbval compares against.

    python tools/execute_notebooks.py notebooks/03-*.ipynb
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from notebook_runs import run_notebook

TIMEOUT_PER_CELL = 300


def execute(path: Path) -> float:
    """Execute one notebook in place (working directory: its folder); return the seconds taken."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    start = time.perf_counter()
    run_notebook(nb, path.parent, TIMEOUT_PER_CELL, store_widget_state=True)
    seconds = time.perf_counter() - start
    nbformat.write(nb, path)
    return seconds


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__)
        return 2
    for name in paths:
        seconds = execute(Path(name))
        print(f"{name}: executed and saved in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
