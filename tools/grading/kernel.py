"""Running the graded notebook of one submission in a kernel of its own: its environment, the
sandbox around it (:mod:`grading.sandbox`), the time limits, and every process it left ended.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from notebook_runs import kernel_client

from grading import sandbox
from grading.cells import GRADER, changed_package
from grading.instructor import Course
from grading.records import COURSE_CELL_TIMEOUT, STUDENT_ROLES
from grading.verdicts import first_line


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel command runs behind ``wrapper`` (the sandbox's argv)."""

    wrapper: Sequence[str] = ()

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        if self.wrapper and cmd and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable):
            cmd[0] = sandbox.python()
        return [*self.wrapper, *cmd]


def kernel_manager(tmp: Path, sandboxed: bool, read_only: Sequence[Path], cwd: Path,
                   cpu_seconds: int) -> SandboxedKernelManager:
    """A python3 kernel talking over Unix sockets in ``tmp`` (ZeroMQ's ipc transport: no TCP
    port, and it reaches a kernel that has no network), under the sandbox when ``sandboxed``."""
    km = SandboxedKernelManager(kernel_name="python3", transport="ipc", ip=str(tmp / "ipc" / "k"),
                                connection_file=str(tmp / "ipc" / "kernel.json"))
    if sandboxed:
        km.wrapper = sandbox.command(tmp, read_only, cwd=cwd, cpu_seconds=cpu_seconds)
    return km


def kernel_env(tmp: Path, pkg: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PWD", "OLDPWD", "PYTHONSTARTUP")
           and not k.startswith(("JPY_", "PYTEST", "COV_"))}
    home = tmp / "home"
    env.update(HOME=str(home), IPYTHONDIR=str(home / ".ipython"),
               MPLCONFIGDIR=str(home / ".matplotlib"), PYTHONPATH=str(pkg),
               PYTHONNOUSERSITE="1", PYTHONDONTWRITEBYTECODE="1", TMPDIR=str(tmp / "tmp"),
               MPLBACKEND="module://matplotlib_inline.backend_inline")
    return env


_REAPER = False


def set_subreaper() -> None:
    """Orphans of the kernel (double forks, setsid) become children of this process, so
    that they can be found and ended (Linux only; elsewhere the process group must do).
    Called in the grading worker processes only, whose only children are kernels."""
    global _REAPER
    with contextlib.suppress(Exception):
        _REAPER = ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # CHILD_SUBREAPER


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def end_processes(group: int | None) -> None:
    """Kill the kernel's process group, then every process left as our child."""
    if group is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)
    if not _REAPER or not Path("/proc").is_dir():
        return
    for _ in range(50):
        orphans = _children(os.getpid())
        if not orphans:
            return
        for pid in orphans:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        for pid in orphans:
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, 0)


def _cell_label(cell: Any) -> str:
    info = cell.metadata.get(GRADER, {})
    if info.get("exercise"):
        return f"exercise {info['exercise']}"
    return f"cell {info.get('index', '?')}"


def run_graded(nb: Any, tmp: Path, pkg: Path, cell_timeout: float, notebook_timeout: float,
               course: Course | None = None, tampered: list[str] | None = None, *,
               sandboxed: bool = False, read_only: Sequence[Path] = ()) -> str | None:
    """Execute the graded notebook in its own kernel; the one-line problem, if any.

    Under the sandbox when ``sandboxed`` (``tmp`` writable, ``read_only`` inside it not).
    Before each of the grader's reset cells, and at the end, the grader's copy of the
    package is compared with the pristine files (outside the kernel); a change is put right
    and named in ``tampered``."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    work = tmp / "work"
    (tmp / "ipc").mkdir(exist_ok=True)
    km = kernel_manager(tmp, sandboxed, read_only, work, int(notebook_timeout) + 60)
    client = kernel_client(nb, work, cell_timeout, km=km, allow_errors=True,
                           interrupt_on_timeout=False, shutdown_kernel="immediate",
                           startup_timeout=60)
    deadline = time.monotonic() + notebook_timeout
    group = None
    problem = None
    try:
        with client.setup_kernel(env=kernel_env(tmp, pkg), cwd=str(work), cleanup_kc=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            pid = getattr(client.km.provisioner, "pid", None)
            with contextlib.suppress(OSError, TypeError):
                group = os.getpgid(pid)
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                left = deadline - time.monotonic()
                if left <= 0:
                    return (f"the notebook did not finish in {notebook_timeout:g} s "
                            f"(stopped before {_cell_label(cell)})")
                if (course is not None and tampered is not None
                        and cell.metadata.get(GRADER, {}).get("role") == "reset"):
                    tampered += changed_package(course, pkg)
                # the limit is for the student's code; the course's own cells (imports, the
                # grader's bookkeeping) get at least COURSE_CELL_TIMEOUT, so a loaded machine
                # does not turn an import into a student's timeout
                role = cell.metadata.get(GRADER, {}).get("role")
                limit = cell_timeout if role in STUDENT_ROLES else max(cell_timeout, COURSE_CELL_TIMEOUT)
                per_cell = min(limit, left)
                client.timeout = max(1, int(per_cell))
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    if per_cell < limit:
                        return (f"the notebook did not finish in {notebook_timeout:g} s "
                                f"(stopped in {_cell_label(cell)})")
                    return f"{_cell_label(cell)} did not finish in {client.timeout} s"
                except DeadKernelError:
                    return (f"the kernel died while running {_cell_label(cell)} "
                            "(os._exit, a crash or out of memory)")
    except Exception as err:  # the kernel did not start, or nbclient failed
        problem = f"the kernel failed: {type(err).__name__}: {first_line(err)}"
    finally:
        end_processes(group)
        if course is not None and tampered is not None:
            tampered += changed_package(course, pkg)
    return problem
