"""Start a JupyterLab server and drive notebooks in it from Playwright.

Shared by the browser tests (``tests/browser/conftest.py`` and the tests there) and the
benchmark's browser measurement (``tools/bench_browser.py``); nothing here depends on pytest.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
ARTIFACTS = REPO / "test-artifacts"
WIDGET_EXTENSION = "@jupyter-widgets/jupyterlab-manager"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
DELTA_TERMS = "03-delta-terms.ipynb"
ACCUMULATORS = "04-accumulators.ipynb"
DEMO = "instructor-demo.ipynb"
PROJECTOR = {"width": 1024, "height": 768}
# Wide and tall enough for a whole stepper (diagram beside its tables) in one screenshot.
VIEWPORT = {"width": 1600, "height": 2000}

# Headless Chromium on a machine without network: no sandbox (containers, root), no GPU, and
# none of the background traffic (component updates, sync, first-run pages) it would attempt.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]
SERVER_START_SECONDS = 90  # the first start on a cold, busy 2-core machine is slow
SERVER_STOP_SECONDS = 15
UI_TIMEOUT_MS = 30_000  # one user-visible step: a page load, a click's effect
RUN_ALL_TIMEOUT_MS = 120_000  # all cells of one notebook (each runs in < 10 s on its own)

# JupyterLab user settings of the test server (written as *.jupyterlab-settings files).
LAB_SETTINGS = {
    # no "news" pop-up and no request for newer versions
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
    # attach every cell to the DOM, so that prompts and outputs of all cells can be read
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def find_chromium() -> str | None:
    """Path of the Chromium to drive: $CHROMIUM, else `chromium`/`chromium-browser` on PATH."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


# --------------------------------------------------------------------------- the server


@dataclass
class LabServer:
    """A running JupyterLab: where it listens, its token, directories and log file."""

    url: str
    token: str
    root: Path  # the server's root directory (notebooks are opened relative to it)
    base: Path  # the temporary home of its config, data, runtime, settings, workspaces, log
    process: subprocess.Popen[bytes]

    @property
    def log(self) -> Path:
        return self.base / "server.log"

    def notebook_url(self, name: str, workspace: str) -> str:
        """URL opening `name` in a fresh, named workspace (so no other tab is restored)."""
        return (f"{self.url}/lab/workspaces/{quote(workspace)}/tree/{quote(name)}"
                f"?token={self.token}")

    def notebook7_url(self, name: str) -> str:
        """URL opening `name` in Jupyter Notebook 7 (one notebook per page, no workspace)."""
        return f"{self.url}/notebooks/{quote(name)}?token={self.token}"

    def request(self, method: str, path: str, timeout: float = 5) -> Any:
        """Call a REST endpoint (e.g. GET "/api/status") with the token; the decoded JSON."""
        request = urllib.request.Request(self.url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def is_ready(self) -> bool:
        """Whether /api/status answers (with the token)."""
        try:
            self.request("GET", "/api/status", timeout=2)
        except (OSError, urllib.error.URLError):
            return False
        return True

    def wait_until_ready(self, seconds: float) -> str | None:
        """Poll /api/status until it answers; None, or why the server is not there."""
        deadline = time.monotonic() + seconds
        while not self.is_ready():
            try:  # the poll interval; returns at once when the server exits
                code = self.process.wait(timeout=0.25)
                return f"JupyterLab exited with code {code}:\n{self.log_tail()}"
            except subprocess.TimeoutExpired:
                pass
            if time.monotonic() > deadline:
                return (f"JupyterLab did not answer /api/status within {seconds} s:\n"
                        f"{self.log_tail()}")
        return None

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the server's log, for failure messages."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Shut down: ask the server (it stops its kernels), then SIGTERM, then SIGKILL."""
        if self.process.poll() is None:
            try:
                self.request("POST", "/api/shutdown")
            except (OSError, urllib.error.URLError):
                pass  # not answering: the signals below still stop it
        for sig in (None, signal.SIGTERM, signal.SIGKILL):
            if sig is not None and self.process.poll() is None:
                try:
                    os.killpg(self.process.pid, sig)  # the server and its process group
                except ProcessLookupError:
                    break
            try:
                self.process.wait(timeout=SERVER_STOP_SECONDS)
                break
            except subprocess.TimeoutExpired:
                continue


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def isolated_env(base: Path) -> dict[str, str]:
    """This process's environment with the user-level Jupyter directories moved into `base`.

    JUPYTER_PATH and JUPYTER_CONFIG_PATH are dropped, so that only the environment's own
    share/jupyter and etc/jupyter (where jupyterlab_widgets installs its extension) are seen.
    """
    env = dict(os.environ)
    for name in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH"):
        env.pop(name, None)
    dirs = {
        "JUPYTER_CONFIG_DIR": base / "config",
        "JUPYTER_DATA_DIR": base / "data",
        "JUPYTER_RUNTIME_DIR": base / "runtime",
        "JUPYTERLAB_SETTINGS_DIR": base / "settings",
        "JUPYTERLAB_WORKSPACES_DIR": base / "workspaces",
        "IPYTHONDIR": base / "ipython",
    }
    for name, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    for plugin, values in LAB_SETTINGS.items():
        target = dirs["JUPYTERLAB_SETTINGS_DIR"] / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values, indent=2))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start_lab(root: Path, base: Path, token: str) -> LabServer:
    """Start `python -m jupyterlab` (this interpreter's environment) in its own process group."""
    port = free_port()
    command = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        # window.jupyterapp: the tests run commands (theme, run all) and reach the kernel
        "--LabApp.expose_app_in_browser=True",
        # the same server serves Jupyter Notebook 7 (the `notebook` package) at /notebooks/
        "--JupyterNotebookApp.expose_app_in_browser=True",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI machines often run as root
    env = isolated_env(base)
    with (base / "server.log").open("wb") as log:
        process = subprocess.Popen(command, env=env, cwd=base, stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    return LabServer(f"http://127.0.0.1:{port}", token, root, base, process)


# --------------------------------------------------------------------------- a notebook page


@dataclass
class NotebookPage:
    """A notebook open in JupyterLab in a browser page of its own, and what the page reported."""

    name: str
    page: Any  # playwright.sync_api.Page
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    failed_requests: list[str] = field(default_factory=list)  # "403 GET http://…", to explain
    ui: str = "lab"  # "lab" (JupyterLab) or "notebook7" (Jupyter Notebook 7)

    def listen(self) -> None:
        """Collect console messages of type error and uncaught page errors into .errors."""
        self.page.on("console", lambda msg: self.errors.append(f"console.error: {msg.text}")
                     if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(
            f"uncaught: {exc}" + ("\n" + "\n".join(str(exc.stack).splitlines()[1:4])
                                  if getattr(exc, "stack", None) else "")))
        self.page.on("response", lambda r: self.failed_requests.append(
            f"{r.status} {r.request.method} {r.url}") if r.status >= 400 else None)

    @property
    def notebook(self) -> Any:
        """The notebook's panel (a Locator)."""
        return self.page.locator(".jp-NotebookPanel").filter(visible=True)

    def unexplained_errors(self) -> list[str]:
        """The page's errors, without one known to be harmless: when a second page of another
        front end (JupyterLab after Notebook 7, or the reverse) loads in the same session, the
        server answers its requests for the interface's own font files (.woff/.woff2 under
        /static/) with 403, and the browser logs each; the text falls back to another font.
        Any other failed request keeps these errors."""
        fonts_only = bool(self.failed_requests) and all(
            r.startswith("403 GET ") and "/static/" in r and r.endswith((".woff", ".woff2"))
            for r in self.failed_requests)
        return [e for e in self.errors
                if not (fonts_only and "status of 403 (Forbidden)" in e)]

    def menu(self, menu: str, command: str) -> None:
        """Choose a command from a main menu, e.g. ("Run", "runmenu:run-all")."""
        self.page.get_by_role("menuitem", name=menu, exact=True).click()
        self.page.locator(f'.lm-Menu-item[data-command="{command}"]').click()

    def wait_kernel_idle(self, timeout: float = UI_TIMEOUT_MS) -> None:
        """Wait until the notebook's kernel is connected and idle.

        The status bar says "<kernel> | Idle" only once the kernel has answered; the toolbar's
        execution indicator alone also reads "idle" for a moment before the kernel starts.
        Notebook 7 has no status bar: there the kernel's own status is read from the app.
        """
        condition = KERNEL_IDLE if self.ui == "lab" else APP_KERNEL_IDLE
        self.page.wait_for_function(condition, arg=self.name, timeout=timeout)

    def command(self, command: str, args: dict[str, Any] | None = None) -> Any:
        """Run a JupyterLab / Notebook 7 command (e.g. "apputils:change-theme") in the page."""
        return self.page.evaluate("([c, a]) => window.jupyterapp.commands.execute(c, a)",
                                  [command, args or {}])

    def kernel_status(self) -> str:
        """The kernel's status as the front end knows it ("idle", "busy", …)."""
        return str(self.page.evaluate(APP_KERNEL_STATUS))

    def kernel_print(self, code: str) -> str:
        """Run `code` in the notebook's kernel (outside any cell); what it printed."""
        return str(self.page.evaluate(APP_KERNEL_PRINT, code))

    def kernel_start(self, code: str) -> None:
        """Send `code` to the notebook's kernel and return at once (it may keep it busy)."""
        self.page.evaluate(APP_KERNEL_START, code)

    def prompts(self) -> list[str]:
        """The input prompt of every code cell, in order (e.g. "[3]:", "[*]:", "[ ]:"), from
        the notebook's model (a collapsed input hides the prompt itself)."""
        return list(self.page.evaluate(PROMPTS) or [])

    def run_all(self, code_cells: int) -> None:
        """Clear the stored outputs, run all cells, wait until all `code_cells` have run."""
        self.start_run_all()
        self.wait_all_ran(code_cells)

    def start_run_all(self) -> None:
        """Clear the stored outputs and start running all cells (from the Run menu); return
        while they run, so that several notebooks can run at the same time."""
        self.wait_kernel_idle()
        if self.ui == "lab":
            self.menu("Edit", "editmenu:clear-all")
        else:
            self.command("notebook:clear-all-cell-outputs")
        self.page.wait_for_function(NO_EXECUTION_COUNTS, timeout=UI_TIMEOUT_MS)
        if self.ui == "lab":
            self.menu("Run", "runmenu:run-all")
        else:
            self.command("notebook:run-all-cells")

    def wait_all_ran(self, code_cells: int) -> None:
        """Wait until all `code_cells` have run and the kernel is idle; fail with the output
        of the cell that stopped the run, or with the prompts when time ran out."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            outcome = self.page.wait_for_function(ALL_CELLS_RAN, arg=code_cells,
                                                  timeout=RUN_ALL_TIMEOUT_MS).json_value()
        except PlaywrightTimeout:
            outcome = (f"not all {code_cells} code cells ran within {RUN_ALL_TIMEOUT_MS} ms; "
                       f"prompts: {' '.join(self.prompts())}")
        assert outcome == "done", f"{self.name}: {outcome}"

    def screenshot(self, locator: Any, name: str) -> Path:
        """Save a screenshot of `locator` as test-artifacts/<name>; return its path."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.evaluate("() => document.activeElement && document.activeElement.blur()")
        self.page.mouse.move(0, 0)  # no focus ring or hover colour in the picture
        locator.screenshot(path=str(path))
        return path


def table_values(scope: Any, caption: str, expected: Any = None, rtol: float = 1e-12,
                 timeout: float = UI_TIMEOUT_MS) -> np.ndarray | None:
    """The numbers of the ``table.bp-table`` inside `scope` whose caption is `caption`.

    Each cell shows a rounded number and carries the full value in its ``title``; the full
    values are returned, row by row (None when there is no such table). With `expected`,
    first wait (up to `timeout` ms) until the table is there and holds those values: a widget
    fills its parts one message at a time, so the table may still be on its way.
    """
    if expected is not None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            scope.page.wait_for_function(
                TABLE_MATCHES, arg=[scope.element_handle(), caption,
                                    np.asarray(expected, dtype=float).tolist(), rtol],
                timeout=timeout)
        except PlaywrightTimeout:
            pass  # the caller compares what is there, with a clearer message
    found = scope.evaluate(TABLE_VALUES, caption)
    return None if found is None else np.array(found, dtype=float)


def code_cell_count(path: Path) -> int:
    """Number of code cells in a notebook file."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum(cell["cell_type"] == "code" for cell in cells)


# JavaScript run in the page. Through window.jupyterapp (the server exposes it): the kernel
# of the notebook shown, as JupyterLab and Notebook 7 both know it.
_APP_KERNEL = """const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const context = widget && widget.sessionContext;
  const kernel = context && context.session && context.session.kernel;"""

APP_KERNEL_STATUS = f"""() => {{
  {_APP_KERNEL}
  return kernel ? kernel.status : 'no kernel';
}}"""

APP_KERNEL_IDLE = f"""() => {{
  {_APP_KERNEL}
  return Boolean(kernel && kernel.connectionStatus === 'connected'
                 && kernel.status === 'idle');
}}"""

APP_KERNEL_PRINT = f"""async (code) => {{
  {_APP_KERNEL}
  let out = '';
  const future = kernel.requestExecute({{code, store_history: false}});
  future.onIOPub = (msg) => {{
    if (msg.header.msg_type === 'stream') out += msg.content.text;
    if (msg.header.msg_type === 'error') out += msg.content.ename + ': ' + msg.content.evalue;
  }};
  await future.done;
  return out;
}}"""

APP_KERNEL_START = f"""(code) => {{
  {_APP_KERNEL}
  kernel.requestExecute({{code, store_history: false}});
}}"""

# JavaScript conditions evaluated in the page (Playwright polls them until truthy).
_VISIBLE_PANEL = """const panel = [...document.querySelectorAll('.jp-NotebookPanel')]
      .find(p => p.offsetParent !== null);
  if (!panel) return false;"""

KERNEL_IDLE = f"""(name) => {{
  {_VISIBLE_PANEL}
  const status = [...document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem')]
      .find(item => item.title === 'Change kernel for ' + name);
  const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  return Boolean(status && /\\| Idle$/.test(status.textContent.trim())
                 && indicator && indicator.dataset.status === 'idle');
}}"""

# The notebook's code cells as the app's model knows them (their prompts may be hidden with
# their collapsed input, as in the instructor demo).
_CODE_CELLS = """const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const notebook = panel && panel.content;
  if (!notebook || !notebook.widgets) return false;
  const cells = notebook.widgets.filter(c => c.model.type === 'code');"""

NO_EXECUTION_COUNTS = f"""() => {{
  {_CODE_CELLS}
  return cells.every(c => c.model.executionCount === null);
}}"""

PROMPTS = f"""() => {{
  {_CODE_CELLS}
  return cells.map(c => c.model.executionState === 'running' ? '[*]:'
                        : '[' + (c.model.executionCount === null ? ' ' : c.model.executionCount)
                          + ']:');
}}"""

# "done" once every code cell has an execution count, none is queued or running and the kernel
# is idle; a report when the run stopped early (some cells ran, the rest not queued any more:
# a cell raised).
ALL_CELLS_RAN = f"""(expected) => {{
  {_CODE_CELLS}
  {_APP_KERNEL}
  if (!kernel || kernel.status !== 'idle') return false;
  if (cells.some(c => c.model.executionState === 'running')) return false;
  const prompts = ({PROMPTS})();
  const ran = cells.filter(c => c.model.executionCount !== null);
  if (ran.length === expected && cells.length === expected) return 'done';
  if (ran.length === 0) return false;
  const last = ran[ran.length - 1];
  const output = last.node.querySelector('.jp-OutputArea');
  return 'the run stopped after cell ' + prompts[cells.indexOf(last)] + ' (prompts: '
      + prompts.join(' ') + '); its output ends:\\n'
      + (output ? output.textContent.slice(-3000) : '(none)');
}}"""

TABLE_VALUES = """(scope, caption) => {
  const table = [...scope.querySelectorAll('table.bp-table')]
      .find(t => t.caption && t.caption.textContent.trim() === caption);
  if (!table) return null;
  return [...table.querySelectorAll('tr')]
      .map(row => [...row.querySelectorAll('td')].map(td => Number(td.title)))
      .filter(row => row.length > 0);
}"""

TABLE_MATCHES = f"""([scope, caption, expected, rtol]) => {{
  const values = ({TABLE_VALUES})(scope, caption);
  const flat = a => [].concat(...a.map(x => Array.isArray(x) ? flat(x) : [x]));
  if (!values) return false;
  const got = flat(values), want = flat(expected);
  return got.length === want.length
      && got.every((v, k) => Math.abs(v - want[k]) <= rtol * Math.abs(want[k]) + 1e-15);
}}"""
