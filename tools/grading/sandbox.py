"""The sandbox each submission's kernel runs in: bubblewrap (``bwrap``).

The kernel sees

* the system read-only (``/usr``, ``/etc``, ``/lib*``, ``/bin``, ``/sbin``), the Python it runs
  on and the virtual environment read-only; nothing else of the machine: not the instructor's
  repository, notebooks or home (a virtual environment inside the repository is shown alone);
* the submission's own folder (the graded notebook's working directory, its home and temporary
  folder, the kernel's connection file and sockets), the only place it can write; the grader's
  copy of the package and of its kernel code in it are mounted read-only;
* a private ``/proc`` and ``/dev``, its own PID, IPC, UTS and cgroup namespaces, and a network
  namespace of its own with nothing in it (no loopback server of the machine is reachable): the
  grader talks to the kernel over ZeroMQ's ``ipc`` transport (Unix sockets in the folder);
* limits: address space (``--memory``), CPU seconds, processes, and a file-size cap, set by
  ``prlimit`` before the kernel starts; it dies with the grader.

:func:`problem` says, in one line, why the sandbox cannot run here (or None).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

SYSTEM = ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
MEMORY = 4 * 1024 ** 3          # bytes of address space (numpy and OpenBLAS reserve a lot)
PROCESSES = 256
FILE_SIZE = 200 * 1024 ** 2     # bytes: the largest file the kernel may write
INSTALL = ("install it (Debian/Ubuntu: apt-get install bubblewrap; `make grading-deps` does it as "
           "root), or pass --no-sandbox")


def bwrap() -> str | None:
    return shutil.which("bwrap")


def _system_args() -> list[str]:
    args: list[str] = []
    for folder in SYSTEM:
        path = Path(folder)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), folder]
        elif path.is_dir():
            args += ["--ro-bind", folder, folder]
    return args


def python() -> str:
    """This Python's executable as an absolute path without ``..`` (the sandbox shows only the
    folders it needs, so a path through another folder would not be there)."""
    return os.path.abspath(sys.executable)


def _python_folders() -> list[str]:
    """The real folders of the Python the kernel runs on and of its environment."""
    folders = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    # the folder of the executable's link (a venv's bin/) and of its target
    folders.add(os.path.dirname(os.path.realpath(python())))
    folders.add(os.path.dirname(python()))
    inside = [f for f in folders if not f.startswith(SYSTEM)]
    return sorted(f for f in inside if not any(f != g and f.startswith(g + os.sep) for g in inside))


def command(folder: Path, read_only: Sequence[Path] = (), *, cwd: Path | None = None,
            memory: int = MEMORY, cpu_seconds: int = 900) -> list[str]:
    """The argv prefix that runs a command in the sandbox (see the module's docstring):
    ``folder`` (the submission's) is bound writable at its own path, then each of ``read_only``
    (inside it) read-only; the command starts in ``cwd`` (default: ``folder``)."""
    folder = Path(os.path.realpath(folder))
    args = [bwrap() or "bwrap", "--unshare-all", "--die-with-parent", "--new-session",
            "--hostname", "grader",
            # the kernel would watch for the grader by its PID, which its namespace does not have
            "--unsetenv", "JPY_PARENT_PID", *_system_args()]
    # a private /tmp first, then the Python on top of it: a checkout (and its .venv) may itself
    # live under /tmp, and a later --tmpfs would hide it
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for python in _python_folders():
        args += ["--ro-bind", python, python]
    args += ["--bind", str(folder), str(folder)]
    for path in read_only:
        real = os.path.realpath(path)
        args += ["--ro-bind", real, real]
    args += ["--remount-ro", "/", "--chdir", os.path.realpath(cwd or folder)]
    limits = [shutil.which("prlimit") or "prlimit", f"--as={memory}", f"--cpu={cpu_seconds}",
              f"--nproc={PROCESSES}", f"--fsize={FILE_SIZE}", "--core=0"]
    return [*args, "--", *limits, "--"]


@functools.cache
def problem() -> str | None:
    """Why the sandbox cannot run here, in one line; None when it can (tried once)."""
    if sys.platform != "linux":
        return f"the grader's sandbox (bubblewrap) needs Linux, not {sys.platform}"
    if bwrap() is None:
        return f"bubblewrap (bwrap) is not installed: {INSTALL}"
    if shutil.which("prlimit") is None:
        return "prlimit (util-linux) is not installed: the sandbox sets its limits with it"
    import tempfile

    with tempfile.TemporaryDirectory(prefix="grader-sandbox-") as tmp:
        argv = [*command(Path(tmp)), python(), "-c", "import numpy, zmq"]
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            return f"bubblewrap does not run here: {err}"
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["no message"]
        return f"bubblewrap does not run here ({lines[-1][:200]})"
    return None
