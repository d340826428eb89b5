"""Browser tests: the course's widgets in a real JupyterLab, driven by a real Chromium.

How they run
------------
``make test`` collects them with the rest of ``tests/``; on their own::

    .venv/bin/python -m pytest tests/browser -q

For the whole test session the fixtures below

* start a real JupyterLab server (``python -m jupyterlab`` from the environment running pytest)
  on a free port of 127.0.0.1 with a random token. Its root directory is a temporary copy of
  ``notebooks/``; its user config, data, runtime, settings and workspaces directories are
  temporary too (the environment's own ``share/jupyter``, where the ``jupyterlab_widgets``
  extension lives, stays on the path). News and update checks are off, and notebooks attach
  every cell to the page (no windowing) so that the tests can read each cell from the DOM.
  The server is stopped at the end of the session, also when a test failed;
* launch Debian's ``chromium`` headless through Playwright for Python
  (``launch(executable_path=…)``; a browser is never downloaded).

Notebooks 03 and 04 and the demo are opened once per session (fixtures ``delta_terms``,
``accumulators``, ``demo_on_projector`` and, in Notebook 7, ``notebook7_demo``), each in a
browser context of its own, all at the same time (``ran_together``): the stored outputs are
cleared, all cells run from JupyterLab's Run menu, and the fixtures return once every code
cell of every one shows its execution count and its kernel is idle (or fail with the
traceback of the cell that raised).
Every wait is on a condition with a time limit, never a fixed sleep. Console errors and
uncaught exceptions are collected per page from the first request on. ``labdriver.py`` holds
the server and page code (shared with the benchmark's browser measurement,
``tools/bench_browser.py``); the tests compare what the page shows with values computed by
nbhelpers in the test process.

    test_lab.py             the server's isolation, and a widget round trip on a small notebook
    test_stepper.py         notebook 03's stepper: Next, Prev, the example chooser, Play, and
                            stepping in the page while the kernel is held busy
    test_accumulator.py     notebook 04's accumulator explorer, moved with the arrow keys
    test_widgets_load.py    both notebooks render every widget, with no JavaScript errors
    test_dark_theme.py      JupyterLab Dark: contrast of the stepper's text and of a figure
    test_demo_projector.py  the instructor demo at 1024 × 768 in Presentation Mode
    test_notebook7.py       the demo's stepper and accumulator explorer in Notebook 7
    test_browser_lookup.py  where Chromium is looked up; skip versus fail (no browser needed)
    test_contrast.py        the WCAG contrast helpers of contrast.py (no browser needed)

The server exposes the app to the page (``window.jupyterapp``), so that tests run commands
(the theme, Simple Interface, Presentation Mode) and read the notebook's model and kernel; the
same server also serves Jupyter Notebook 7 at ``/notebooks/…`` when the `notebook` package is
installed (without it the Notebook 7 tests skip, or fail under CI=true).

Chromium is looked up as ``$CHROMIUM`` (a path), then ``chromium`` and ``chromium-browser`` on
PATH (``tools/ensure-chromium`` installs Debian's package). Without it the tests skip with
the reason; when ``CI=true`` a missing browser fails them instead. Screenshots are written to
``test-artifacts/`` (git-ignored); the server's log is shown when it does not start.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from availability import missing_browser
from labdriver import (
    ACCUMULATORS,
    CHROMIUM_ARGS,
    DELTA_TERMS,
    DEMO,
    NOTEBOOKS,
    PROJECTOR,
    SERVER_START_SECONDS,
    UI_TIMEOUT_MS,
    VIEWPORT,
    LabServer,
    NotebookPage,
    code_cell_count,
    find_chromium,
    start_lab,
)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium (never a downloaded browser); skip, or fail under CI, without it."""
    path = find_chromium()
    if path is None:
        missing_browser("no Chromium found: install Debian's `chromium` package "
                         "(tools/ensure-chromium) or set CHROMIUM=/path/to/chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing_browser("Playwright for Python is not installed (pip install -e '.[dev]')")
    return str(path)


@pytest.fixture(scope="session")
def expect(chromium_path: str) -> Any:
    """Playwright's retrying assertions (``expect(locator).to_have_text(…)``), with our limit."""
    from playwright.sync_api import expect

    expect.set_options(timeout=UI_TIMEOUT_MS)
    return expect


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's root directory: a copy of notebooks/ (tests may add files to it)."""
    root = tmp_path_factory.mktemp("lab") / "notebooks"
    shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root


@pytest.fixture(scope="session")
def lab_server(chromium_path: str, lab_root: Path,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """A real JupyterLab for the session, on 127.0.0.1, stopped afterwards (also on failure).

    Asks for `chromium_path` first, so that without a browser nothing is started.
    """
    server = start_lab(lab_root, tmp_path_factory.mktemp("jupyter"), secrets.token_hex(24))
    try:
        problem = server.wait_until_ready(SERVER_START_SECONDS)
        if problem:
            pytest.fail(problem, pytrace=False)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    """Headless Chromium (Playwright's sync API), closed after the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def open_notebook(browser: Any, lab_server: LabServer
                  ) -> Iterator[Callable[..., NotebookPage]]:
    """Factory: ``open_notebook("03-delta-terms.ipynb")`` → NotebookPage with all cells run.

    Each call gets its own browser context (cookies, storage) and JupyterLab workspace, so no
    other notebook is restored into the page; the pages are closed after the session.
    """
    contexts = []

    def open_(name: str, *, run: bool = True, viewport: dict[str, int] | None = None,
              ui: str = "lab") -> NotebookPage:
        context = browser.new_context(viewport=viewport or VIEWPORT)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(UI_TIMEOUT_MS)
        opened = NotebookPage(name, page, ui=ui)
        opened.listen()
        if ui == "lab":
            page.goto(lab_server.notebook_url(name, workspace=f"test-{secrets.token_hex(6)}"))
        else:
            page.goto(lab_server.notebook7_url(name))
        opened.notebook.wait_for()
        if run:
            opened.run_all(code_cell_count(lab_server.root / name))
        return opened

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def ran_together(open_notebook: Callable[..., NotebookPage], lab_root: Path
                 ) -> dict[str, NotebookPage]:
    """Notebooks 03 and 04 and the demo (in JupyterLab on a projector and, where the
    `notebook` package is installed, a copy in Notebook 7), each opened in its own browser
    context and run from its Run menu at the same time: their kernels run side by side, which
    takes about as long as the longest alone. Returns once every one has run all its cells
    (or fails with the cell that stopped), so that no test meets a kernel still busy with
    another notebook's cells."""
    pages = {DELTA_TERMS: open_notebook(DELTA_TERMS, run=False),
             ACCUMULATORS: open_notebook(ACCUMULATORS, run=False),
             DEMO: _demo_on_projector(open_notebook)}
    if _has_notebook7():
        copy = "instructor-demo-notebook7.ipynb"
        shutil.copyfile(lab_root / DEMO, lab_root / copy)
        pages[NOTEBOOK7_DEMO] = open_notebook(copy, run=False, ui="notebook7")
    for opened in pages.values():
        opened.start_run_all()
    for name, opened in pages.items():
        opened.wait_all_ran(code_cell_count(NOTEBOOKS / (DEMO if name == NOTEBOOK7_DEMO
                                                           else name)))
    return pages


NOTEBOOK7_DEMO = "notebook7:" + DEMO


def _demo_on_projector(open_notebook: Callable[..., NotebookPage]) -> NotebookPage:
    """The instructor demo on a 1024 × 768 screen, as presented: Simple Interface and
    Presentation Mode on, the side bars closed (not run yet)."""
    opened = open_notebook(DEMO, run=False, viewport=PROJECTOR)
    opened.command("application:set-mode", {"mode": "single-document"})
    opened.page.evaluate("() => { window.jupyterapp.shell.collapseLeft();"
                         " window.jupyterapp.shell.collapseRight(); }")
    opened.command("application:toggle-presentation-mode")
    opened.page.wait_for_function("() => document.querySelector('.jp-mod-presentationMode')")
    return opened


def _has_notebook7() -> bool:
    try:
        import notebook  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="session")
def delta_terms(ran_together: dict[str, NotebookPage]) -> NotebookPage:
    """Notebook 03 (the delta terms, with the backprop stepper), all cells run."""
    return ran_together[DELTA_TERMS]


@pytest.fixture(scope="session")
def accumulators(ran_together: dict[str, NotebookPage]) -> NotebookPage:
    """Notebook 04 (the accumulators, with the accumulator explorer), all cells run."""
    return ran_together[ACCUMULATORS]


@pytest.fixture(scope="session")
def demo_on_projector(ran_together: dict[str, NotebookPage]) -> NotebookPage:
    """The instructor demo in JupyterLab on a 1024 × 768 screen, as presented: Simple
    Interface and Presentation Mode on, the side bars closed, all cells run."""
    return ran_together[DEMO]


@pytest.fixture(scope="session")
def notebook7_demo(ran_together: dict[str, NotebookPage]) -> NotebookPage:
    """The instructor demo (a stepper and both explorers) in Jupyter Notebook 7, all cells
    run; skips, or fails under CI, where the `notebook` package is missing.

    It runs a copy of the demo: the server gives one kernel to one notebook path, and the
    JupyterLab test of the demo runs the original in its own kernel.
    """
    if NOTEBOOK7_DEMO not in ran_together:
        missing_browser("Jupyter Notebook 7 (the `notebook` package) is not installed "
                        "(pip install -e '.[lab]')")
    return ran_together[NOTEBOOK7_DEMO]
