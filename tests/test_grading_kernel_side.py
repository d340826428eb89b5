"""The grader's code inside the kernel (``tools/grading/kernel_side.py``), run here on a shell
of its own: what it puts back, what it finds tampered with, the verdict it reads; and the
sandbox's command line (``tools/grading/sandbox.py``). No kernel is started."""

from __future__ import annotations

import builtins
import importlib.util
import sys
import threading
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from grading import cells, kernel_side, sandbox

ROOT = Path(__file__).resolve().parents[1]


class Events:
    def __init__(self) -> None:
        self.callbacks: dict[str, list[Any]] = {"pre_run_cell": [], "post_run_cell": []}


class Shell:
    """What the kernel side uses of IPython's shell."""

    def __init__(self) -> None:
        self.events = Events()
        self.input_transformers_cleanup: list[Any] = []
        self.input_transformers_post: list[Any] = []
        self.ast_transformers: list[Any] = []
        self.user_ns: dict[str, Any] = {}


@pytest.fixture
def side(tmp_path: Path) -> Any:
    """A fresh copy of the module (as the kernel loads it), set up on a shell of its own with
    a copy of nbhelpers as the grader's; the interpreter put back afterwards."""
    import shutil

    pkg = tmp_path / "pkg"
    shutil.copytree(ROOT / "nbhelpers", pkg / "nbhelpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    saved = (list(sys.path), list(sys.meta_path), list(sys.path_hooks), sys.displayhook,
             {k: v for k, v in sys.modules.items() if k.startswith("nbhelpers")})
    name = "_grader_state_test"
    spec = importlib.util.spec_from_file_location(name, kernel_side.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    shell = Shell()
    module.setup(str(pkg), str(tmp_path / "work"), shell)
    module.shell = shell
    yield module
    sys.path[:], sys.meta_path[:], sys.path_hooks[:], sys.displayhook = saved[:4]
    for key in [k for k in sys.modules if k.startswith("nbhelpers")]:
        del sys.modules[key]
    sys.modules.update(saved[4])
    del sys.modules[name]


def test_setup_puts_the_graders_copy_first(side: Any, tmp_path: Path) -> None:
    assert sys.path[0] == str(tmp_path / "pkg")
    assert str(tmp_path / "work") not in sys.path and "" not in sys.path


def test_reset_puts_back_builtins_numpy_and_the_kept_names(side: Any) -> None:
    side.shell.user_ns.update(theta=1, x=2)
    side.keep(["theta", "missing"], side.shell)
    original_print, original_dot = builtins.print, np.dot
    builtins.print = lambda *a, **k: None
    builtins.forged = True
    np.dot = lambda *a: 0
    side.shell.user_ns["theta"] = "changed"
    side.shell.events.callbacks["pre_run_cell"].append(print)
    try:
        side.reset(side.shell)
        assert builtins.print is original_print and np.dot is original_dot
        assert not hasattr(builtins, "forged")
        assert side.shell.user_ns["theta"] == 1
        assert side.shell.events.callbacks["pre_run_cell"] == []
    finally:
        builtins.print, np.dot = original_print, original_dot
        vars(builtins).pop("forged", None)


def test_reset_imports_the_package_from_the_graders_copy(side: Any, tmp_path: Path) -> None:
    side.reset(side.shell)
    feedback = sys.modules["nbhelpers.course.feedback"]
    assert feedback.__file__.startswith(str(tmp_path / "pkg"))
    assert side.STATE.verdicts is feedback.VERDICTS and feedback.VERDICTS == {}


def test_the_verdict_is_read_with_its_message_and_mistake(side: Any) -> None:
    side.reset(side.shell)
    side.snapshot()
    feedback = sys.modules["nbhelpers.course.feedback"]
    feedback.VERDICTS["05-backprop"] = False
    feedback.MESSAGES["05-backprop"] = "✘ wrong\nsecond line"
    feedback.MISTAKES["05-backprop"] = "delta-keeps-bias"
    got = side.verdict("05-backprop", "n0nce")
    assert got == {"nonce": "n0nce", "exercise": "05-backprop", "passed": False,
                   "message": "✘ wrong\nsecond line", "mistake": "delta-keeps-bias", "tampered": ""}
    assert side.verdict("other", "n0nce")["passed"] is None


def test_tampering_is_named(side: Any, tmp_path: Path) -> None:
    side.reset(side.shell)
    side.snapshot()
    feedback = sys.modules["nbhelpers.course.feedback"]
    saved = feedback.show
    feedback.show = lambda *a: None
    fake = types.ModuleType("nbhelpers.fake")
    fake.__file__ = "/elsewhere/nbhelpers/fake.py"
    sys.modules["nbhelpers.fake"] = fake
    try:
        found = side.tampering()
    finally:
        feedback.show = saved
        del sys.modules["nbhelpers.fake"]
    assert "nbhelpers.course.feedback.show was changed while the check ran" in found
    assert "nbhelpers.fake was not imported from the grader's copy" in found


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_thread_of_the_notebook_is_found_and_stopped(side: Any) -> None:
    stop = threading.Event()
    source = "def spin(stop):\n    while not stop.wait(0.01):\n        pass\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, "<your exercise cell>", "exec"), namespace)
    thread = threading.Thread(target=namespace["spin"], args=(stop,), name="spinner", daemon=True)
    thread.start()
    try:
        assert thread in side.foreign_threads()
        assert "a thread started by the notebook's code was running (spinner)" in side.tampering()
        side.reset(side.shell)
        thread.join(2)
        assert not thread.is_alive()
    finally:
        stop.set()


def test_the_grader_cells_call_the_module_by_its_run_name(tmp_path: Path) -> None:
    load = cells.load_source("_grader_state_x", tmp_path / "k.py", tmp_path / "pkg", tmp_path / "w")
    compile(load, "<load>", "exec")
    assert "spec_from_file_location('_grader_state_x'" in load
    assert cells.read_source("_grader_state_x", "05-d", "n") == (
        "__import__(\"sys\").modules['_grader_state_x'].show('05-d', 'n', "
        "'application/vnd.backprop-grader.verdict+json')\n")
    reset = cells.reset_source("_grader_state_x", "import numpy as np")
    assert reset.splitlines()[1] == "import numpy as np" and reset.splitlines()[2].endswith("snapshot()")


def test_the_sandbox_shows_only_the_system_python_and_the_submission(tmp_path: Path) -> None:
    argv = sandbox.command(tmp_path, [tmp_path / "pkg"], cwd=tmp_path / "work", memory=10 ** 9,
                           cpu_seconds=70)
    assert argv[0].endswith("bwrap") and "--unshare-all" in argv and "--die-with-parent" in argv
    binds = [(argv[i], argv[i + 1]) for i, a in enumerate(argv) if a in ("--bind", "--ro-bind")]
    writable = [src for kind, src in binds if kind == "--bind"]
    assert writable == [str(tmp_path.resolve())]
    assert ("--ro-bind", str((tmp_path / "pkg").resolve())) in binds
    shown = [src for _, src in binds]
    assert str(ROOT) not in shown and str(ROOT / "notebooks") not in shown
    assert not any(str(ROOT).startswith(src + "/") or src == "/" for src in shown)
    assert argv[argv.index("--chdir") + 1] == str((tmp_path / "work").resolve())
    assert argv[-6:] == ["--as=1000000000", "--cpu=70", f"--nproc={sandbox.PROCESSES}",
                         f"--fsize={sandbox.FILE_SIZE}", "--core=0", "--"]
    assert argv[-7].endswith("prlimit") and argv[-8] == "--"


def test_the_python_is_shown_over_the_private_tmp(tmp_path: Path) -> None:
    """A checkout under /tmp (a CI's fresh clone) has its .venv there: the Python's folders are
    bound after the private /tmp, so that it does not hide them."""
    argv = sandbox.command(tmp_path)
    tmpfs = argv.index("--tmpfs")
    assert argv[tmpfs + 1] == "/tmp"
    pythons = [i for i, a in enumerate(argv) if a == "--ro-bind"
               and argv[i + 1] in sandbox._python_folders()]
    assert pythons and all(i > tmpfs for i in pythons)
