"""The grader's code inside the kernel that runs a submission.

This module never runs in the grader's own process: the grader copies this file, read-only, into
the submission's folder, and the first cell of the graded notebook loads it under a name drawn
for the run (``_grader_state_<nonce>``, see :func:`grading.cells.load_source`), then calls
:func:`setup`. The other cells of the grader are one call each:

* :func:`keep` before an exercise cell: the notebook's variables the student's cell must not
  change for the checks (the instructor's own values);
* :func:`reset` before a check cell: the interpreter put back as it was before any student code
  ran (builtins, numpy's namespace, the import system, IPython's hooks, the kept variables), and
  ``nbhelpers`` imported again from the grader's copy; :func:`snapshot` after the notebook's
  imports;
* :func:`verdict` after a check cell: the verdict read from the freshly imported
  ``nbhelpers.course.feedback``, with what was found tampered with, as data; :func:`show`
  displays it as an output of the grader's MIME type that carries the run's random number.

Everything the functions need is imported when they run, and the shell is an argument (the
running IPython by default), so that the tests run them on a shell of their own.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

PACKAGE = "nbhelpers"


@dataclass
class State:
    """What :func:`setup` saw before any student code ran."""

    pkg: str
    builtins_module: Any
    builtins: dict[str, Any]
    modules: dict[str, tuple[Any, dict[str, Any]]]
    path: list[str]
    meta_path: list[Any]
    path_hooks: list[Any]
    events: dict[str, list[Any]]
    transformers: tuple[list[Any], list[Any], list[Any]]
    displayhook: Any
    tracing: tuple[Any, Any, Any, Any]
    threads: set[threading.Thread]
    names: dict[str, Any] = field(default_factory=dict)
    package: dict[str, tuple[Any, dict[str, Any]]] = field(default_factory=dict)
    verdicts: dict[str, Any] = field(default_factory=dict)
    messages: dict[str, Any] = field(default_factory=dict)
    mistakes: dict[str, Any] = field(default_factory=dict)


STATE: State | None = None


def _shell(ip: Any = None) -> Any:
    if ip is not None:
        return ip
    from IPython import get_ipython

    return get_ipython()


def _state() -> State:
    if STATE is None:
        raise RuntimeError("the grader's setup has not run in this kernel")
    return STATE


def _editable(hook: Any) -> bool:
    return str(getattr(hook, "__module__", "")).startswith("__editable__")


def setup(pkg: str, cwd: str, ip: Any = None) -> State:
    """Put the grader's copy of the package first on the path (the editable install's hooks
    out), and remember the interpreter as it is, before any student code runs."""
    global STATE
    import builtins
    import importlib

    import numpy

    ip = _shell(ip)
    sys.meta_path[:] = [f for f in sys.meta_path if not _editable(f)]
    sys.path_hooks[:] = [h for h in sys.path_hooks if not _editable(h)]
    sys.path[:] = [pkg] + [p for p in sys.path if p not in ("", ".", pkg, cwd)]
    sys.path_importer_cache.clear()
    importlib.invalidate_caches()
    STATE = State(
        pkg=pkg, builtins_module=builtins, builtins=dict(vars(builtins)),
        modules={m.__name__: (m, dict(vars(m)))
                 for m in (numpy, numpy.linalg, numpy.random, importlib)},
        path=list(sys.path), meta_path=list(sys.meta_path), path_hooks=list(sys.path_hooks),
        events={k: list(v) for k, v in ip.events.callbacks.items()},
        transformers=(list(ip.input_transformers_cleanup), list(ip.input_transformers_post),
                      list(ip.ast_transformers)),
        displayhook=sys.displayhook,
        tracing=(sys.settrace, sys.setprofile, threading.settrace, threading.setprofile),
        threads=set(threading.enumerate()))
    return STATE


def foreign_threads() -> list[threading.Thread]:
    """Threads started after the setup that run code of the notebook (not a library's)."""
    state = _state()
    library = (sys.prefix, sys.base_prefix, state.pkg, "<frozen")
    frames = sys._current_frames()
    found = []
    for thread in threading.enumerate():
        if thread in state.threads or thread is threading.current_thread():
            continue
        frame = frames.get(thread.ident or 0)
        while frame is not None:
            if not frame.f_code.co_filename.startswith(library):
                found.append(thread)
                break
            frame = frame.f_back
    return found


def keep(names: Iterable[str], ip: Any = None) -> None:
    """Remember the notebook's values of ``names`` (put back by :func:`reset`)."""
    ns = _shell(ip).user_ns
    _state().names = {k: ns[k] for k in names if k in ns}


def _stop_threads(threads: list[threading.Thread]) -> None:
    import ctypes

    for thread in threads:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident or 0),
                                                   ctypes.py_object(SystemExit))
    for thread in threads:
        thread.join(0.2)


def reset(ip: Any = None) -> None:
    """The interpreter as :func:`setup` saw it, and ``nbhelpers`` freshly imported from the
    grader's copy, with empty verdicts."""
    state = _state()
    builtins = state.builtins_module
    sys.modules["builtins"] = builtins
    for key in [k for k in vars(builtins) if k not in state.builtins]:
        delattr(builtins, key)
    for key, value in state.builtins.items():
        setattr(builtins, key, value)
    for name, (module, saved) in state.modules.items():
        sys.modules[name] = module
        for key, value in saved.items():
            if vars(module).get(key, state) is not value:
                setattr(module, key, value)
    _stop_threads(foreign_threads())
    settrace, setprofile, thread_settrace, thread_setprofile = state.tracing
    settrace(None)
    setprofile(None)
    thread_settrace(None)
    thread_setprofile(None)
    sys.displayhook = state.displayhook
    sys.path[:] = state.path
    sys.meta_path[:] = state.meta_path
    sys.path_hooks[:] = state.path_hooks
    sys.path_importer_cache.clear()
    ip = _shell(ip)
    for key, callbacks in state.events.items():
        ip.events.callbacks[key] = list(callbacks)
    cleanup, post, ast_ = state.transformers
    ip.input_transformers_cleanup[:] = cleanup
    ip.input_transformers_post[:] = post
    ip.ast_transformers[:] = ast_
    ns = ip.user_ns
    ns["__builtins__"] = builtins
    ns.update(state.names)
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    import importlib

    importlib.invalidate_caches()
    feedback = importlib.import_module(PACKAGE + ".course.feedback")
    importlib.import_module(PACKAGE + ".course.exercises")
    state.verdicts = feedback.VERDICTS
    state.messages = getattr(feedback, "MESSAGES", {})
    state.mistakes = getattr(feedback, "MISTAKES", {})
    for record in (state.verdicts, state.messages, state.mistakes):
        record.clear()


def snapshot() -> None:
    """Remember every module of the package as the check is about to find it."""
    state = _state()
    state.package = {name: (module, dict(vars(module))) for name, module in sys.modules.items()
                     if name == PACKAGE or name.startswith(PACKAGE + ".")}


def tampering() -> list[str]:
    """What changed since :func:`reset` and :func:`snapshot`: a package module from elsewhere,
    a saved module's name rebound, a thread of the notebook still running."""
    state = _state()
    problems = []
    for name, module in list(sys.modules.items()):
        if name == PACKAGE or name.startswith(PACKAGE + "."):
            where = getattr(module, "__file__", None) or ""
            if not where.startswith(state.pkg):
                problems.append(f"{name} was not imported from the grader's copy")
    for name, (module, saved) in [*state.modules.items(), *state.package.items()]:
        changed = [k for k, v in saved.items() if vars(module).get(k, state) is not v]
        if changed:
            problems.append(f"{name}.{changed[0]} was changed while the check ran")
    problems += [f"a thread started by the notebook's code was running ({thread.name})"
                 for thread in foreign_threads()]
    return problems


def verdict(exercise: str, nonce: str) -> dict[str, Any]:
    """The check's verdict on ``exercise``, as data (see the module's docstring)."""
    state = _state()
    passed = state.verdicts.get(exercise)
    mistake = state.mistakes.get(exercise)
    return {"nonce": nonce, "exercise": exercise,
            "passed": passed if isinstance(passed, bool) else None,
            "message": str(state.messages.get(exercise, "")),
            "mistake": mistake if isinstance(mistake, str) else None,
            "tampered": "; ".join(tampering())}


def show(exercise: str, nonce: str, mime: str) -> None:
    """Display :func:`verdict` as the one output of the grader's read cell."""
    from IPython.display import display

    display({mime: verdict(exercise, nonce)}, raw=True)
