"""The numbered notebooks of the series, and running a notebook in a fresh kernel.

One place for what the tools (execute_notebooks, student_copies, grade, bench) and the tests
share: which files make up the series, and how nbclient is set up to run one of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SERIES_GLOB = "[0-9][0-9]-*.ipynb"


def series_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The numbered notebooks of the series, NN-*.ipynb, in order."""
    return sorted(folder.glob(SERIES_GLOB))


def kernel_client(nb: Any, cwd: Path, timeout: float, **options: Any) -> NotebookClient:
    """An nbclient client that runs ``nb`` in a fresh python3 kernel whose working directory is
    ``cwd``, with at most ``timeout`` seconds per cell; ``options`` go to NotebookClient."""
    return NotebookClient(nb, timeout=int(timeout), kernel_name="python3",
                          resources={"metadata": {"path": str(cwd)}}, **options)


def run_notebook(nb: Any, cwd: Path, timeout: float = 120, **options: Any) -> Any:
    """Execute ``nb`` top to bottom in a fresh kernel (see :func:`kernel_client`); return it."""
    kernel_client(nb, cwd, timeout, **options).execute()
    return nb


def run_notebooks(notebooks: Sequence[tuple[Any, Path]], at_once: int = 2, timeout: float = 120,
                  **options: Any) -> list[Any]:
    """Execute each ``(nb, cwd)`` top to bottom in a fresh kernel of its own, ``at_once`` at a
    time (the kernels are processes: while one waits, another computes); return the
    notebooks in the order given. ``timeout`` and ``options`` as for :func:`run_notebook`."""
    async def run_all() -> list[Any]:
        gate = asyncio.Semaphore(max(1, at_once))

        async def run_one(nb: Any, cwd: Path) -> Any:
            async with gate:
                await kernel_client(nb, cwd, timeout, **options).async_execute()
            return nb

        return list(await asyncio.gather(*(run_one(nb, cwd) for nb, cwd in notebooks)))

    return asyncio.run(run_all())
