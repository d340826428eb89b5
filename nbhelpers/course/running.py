"""Running a student's answer, and recording what it did as a :class:`~nbhelpers.course.evidence.Run`.

:func:`run_function` calls the student's function on copies of the arguments; :func:`run_cell`
executes the student's top-level cell in a namespace of its own. Like
:mod:`nbhelpers.course.evidence`, this module knows nothing of the right answers and imports only
the standard library, numpy and that module.
"""

from __future__ import annotations

import builtins
import contextlib
import copy
import io
import linecache
import sys
import sysconfig
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import CodeType, FrameType, FunctionType
from typing import Any

import numpy as np

from . import evidence
from .evidence import (
    ARRAY_LIMIT,
    CELL_FILE,
    PRINT_LIMIT,
    Failure,
    Run,
    failure_of,
)

CHECKING_FILES = (__file__, evidence.__file__)
"""The files of the check's own code, which runs inside the student's calls (recording them):
never the student's code, never a call of the package by the student."""


# ---- whose code is it? ----------------------------------------------------------------------------

def _library_dirs(package_dir: Path | None) -> tuple[str, ...]:
    paths = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    paths |= {str(Path(np.__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1])}
    if package_dir is not None:
        paths.add(str(package_dir))
    return tuple(str(Path(p).resolve()) for p in paths)


def _is_library(filename: str, library: tuple[str, ...]) -> bool:
    if filename.startswith("<") and filename != CELL_FILE:
        # code compiled from a string: the student's cells (IPython names them by file, but
        # exec'd strings, lambdas made by eval, …) count as the student's unless they are
        # the package's own generated lines
        return filename.startswith("<the line ")
    try:
        return str(Path(filename).resolve()).startswith(library)
    except (OSError, ValueError):
        return False


def _inside(filename: str, folder: str | None) -> bool:
    if folder is None or filename.startswith("<"):
        return False
    try:
        return str(Path(filename).resolve()).startswith(folder)
    except (OSError, ValueError):
        return False


def _failure(exc: BaseException, library: tuple[str, ...], code: CodeType | None,
             first_line: int) -> Failure:
    return failure_of(exc, lambda filename: not _is_library(filename, library), code, first_line)


@contextlib.contextmanager
def _watch(package_dir: str | None, allowed: set[CodeType], calls: list[str]) -> Iterator[None]:
    """Record every call the student's code makes to the package (not a call the package makes
    in turn) of a function whose code is not in ``allowed``."""
    if package_dir is None:
        yield
        return
    inside: dict[str, bool] = dict.fromkeys(CHECKING_FILES, False)

    def in_package(code: CodeType) -> bool:
        name = code.co_filename
        if name not in inside:
            inside[name] = _inside(name, package_dir)
        return inside[name]

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event != "call":
            return
        code = frame.f_code
        if code in allowed or not in_package(code):
            return
        caller = frame.f_back
        if caller is not None and (caller.f_code in allowed or in_package(caller.f_code)):
            return
        name = _qualified(frame)
        if name not in calls:
            calls.append(name)

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield
    finally:
        sys.setprofile(previous)


_GENERATED = ("<frozen ", "<string>", "<operand>", "<the line ")
"""Code compiled from strings that is not the student's: frozen standard modules, the methods
that dataclasses and namedtuples generate, this module's own operand evaluation."""


@contextlib.contextmanager
def _count_lines(library: tuple[str, ...], counter: list[int]) -> Iterator[None]:
    """Count, in ``counter[0]``, the line and call events of every frame of the student's own
    code (not the package's, numpy's or the standard library's) while the block runs."""
    own: dict[str, bool] = dict.fromkeys(CHECKING_FILES, False)

    def is_own(code: CodeType) -> bool:
        name = code.co_filename
        if name not in own:
            own[name] = not (_is_library(name, library) or name.startswith(_GENERATED))
        return own[name]

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            counter[0] += 1
        return local

    def global_(frame: FrameType, event: str, arg: Any) -> Any:
        if event != "call" or not is_own(frame.f_code):
            return None
        counter[0] += 1
        return local

    previous = sys.gettrace()
    sys.settrace(global_)
    try:
        yield
    finally:
        sys.settrace(previous)


def _qualified(frame: FrameType) -> str:
    module = frame.f_globals.get("__name__", "")
    name = frame.f_code.co_qualname if hasattr(frame.f_code, "co_qualname") else frame.f_code.co_name
    public = module.split(".")
    if public and public[0] == "nbhelpers":
        import importlib
        top = sys.modules.get("nbhelpers") or importlib.import_module("nbhelpers")
        if getattr(top, frame.f_code.co_name, None) is not None:
            return f"nb.{frame.f_code.co_name}"
    return f"{module}.{name}"


def _codes(function: Any) -> Iterator[CodeType]:
    code = getattr(function, "__code__", None)
    if code is None:
        return
    stack = [code]
    while stack:
        c = stack.pop()
        yield c
        stack.extend(k for k in c.co_consts if isinstance(k, CodeType))


def allowed_codes(functions: Iterable[Any]) -> set[CodeType]:
    """The code objects of ``functions`` (and of what they define inside)."""
    return {c for f in functions for c in _codes(f)}


def _globals_read(function: Any) -> dict[str, Any]:
    names = {n for c in _codes(function) for n in c.co_names}
    space = getattr(function, "__globals__", {})
    out: dict[str, Any] = {}
    for name in sorted(names):
        value = space.get(name)
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float | np.number):
            out[name] = float(value) if isinstance(value, float | np.floating) else int(value)
        elif isinstance(value, np.ndarray) and value.size <= ARRAY_LIMIT:
            out[name] = np.array(value, copy=True)
    return out


def _changed(before: Any, after: Any, label: str) -> list[str]:
    """The places where ``after`` differs from ``before`` (arrays, dicts and lists of them)."""
    if isinstance(before, np.ndarray):
        if not isinstance(after, np.ndarray) or before.shape != after.shape or not np.array_equal(
                before, after, equal_nan=before.dtype.kind in "fc"):
            return [label]
        return []
    if isinstance(before, Mapping):
        if not isinstance(after, Mapping):
            return [label]
        out = [f"{label}[{k!r}]" for k in after if k not in before]
        for k, v in before.items():
            out += _changed(v, after[k], f"{label}[{k!r}]") if k in after else [f"{label}[{k!r}]"]
        return out
    if isinstance(before, list):
        if not isinstance(after, list) or len(before) != len(after):
            return [label]
        return [c for i, (b, a) in enumerate(zip(before, after, strict=True))
                for c in _changed(b, a, f"{label}[{i}]")]
    return []


def _printed(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    if len(text) > PRINT_LIMIT:
        text = text[:PRINT_LIMIT] + f"\n… ({len(text) - PRINT_LIMIT} more characters not shown)"
    return text


def _not_written(exc: BaseException | None) -> bool:
    return isinstance(exc, NotImplementedError)


def run_function(function: Callable[..., Any], args: Sequence[Any], *,
                 names: Sequence[str] = (), package_dir: Path | str | None = None,
                 allowed: Iterable[Any] = ()) -> Run:
    """Call the student's ``function`` on deep copies of ``args`` and record a :class:`Run`.

    ``names`` label the arguments in ``changed`` (``Theta``, ``X``, …). Calls into
    ``package_dir`` (the package's folder) are recorded in ``calls`` unless they go to one of
    the ``allowed`` functions or to a function given among the arguments. Every exception of
    the student's code (even ``SystemExit``) is recorded; only ``KeyboardInterrupt`` passes."""
    folder = str(Path(package_dir).resolve()) if package_dir is not None else None
    library = _library_dirs(Path(folder) if folder else None)
    given = copy.deepcopy(tuple(args))
    kept = copy.deepcopy(given)
    calls: list[str] = []
    codes = allowed_codes([*allowed, *[a for a in given if callable(a)]])
    out = io.StringIO()
    run = Run(globals_read=_globals_read(function))
    lines = [0]
    with np.errstate(all="ignore"), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(out), _warnings_off(), _watch(folder, codes, calls), \
            _count_lines(library, lines):
        try:
            run.value = function(*given)
            run.lines_run = lines[0]
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # the student's bug (even sys.exit): evidence, not a crash
            run.lines_run = lines[0]
            run.not_written = _not_written(exc)
            if not run.not_written:
                run.failure = _failure(exc, library, getattr(function, "__code__", None), 1)
                _note_refused(exc, calls)
    run.printed = _printed(out)
    run.calls = calls
    labels = list(names) + [f"argument {i + 1}" for i in range(len(names), len(given))]
    run.changed = [c for b, a, label in zip(kept, given, labels, strict=False)
                   for c in _changed(b, a, label)]
    if run.value is Ellipsis:
        run.not_written = True
    return run


def _note_refused(exc: BaseException, calls: list[str]) -> None:
    """A package function replaced by a refusing stub (as in the grader's copy) raised."""
    if type(exc).__name__ == "RefusedCall":
        name = str(getattr(exc, "function", "") or exc)
        if name and name not in calls:
            calls.append(name)


@contextlib.contextmanager
def _warnings_off() -> Iterator[None]:
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def run_cell(source: str, namespace: Mapping[str, Any], outputs: Sequence[str], *,
             package_dir: Path | str | None = None, allowed: Iterable[Any] = ()) -> Run:
    """Execute the student's top-level cell ``source`` in a copy of ``namespace`` and record a
    :class:`Run` whose ``value`` maps each of ``outputs`` to what the cell assigned it (a name it
    did not assign is left out). ``changed`` names the inputs the cell changed in place."""
    folder = str(Path(package_dir).resolve()) if package_dir is not None else None
    library = _library_dirs(Path(folder) if folder else None)
    data = {k: v for k, v in namespace.items() if not _is_module_or_function(v)}
    rest = {k: v for k, v in namespace.items() if k not in data}
    space = {"__builtins__": builtins, "__name__": "__main__", **rest, **copy.deepcopy(data)}
    kept = copy.deepcopy(data)
    run = Run()
    try:
        code = compile(source, CELL_FILE, "exec")
    except SyntaxError as exc:
        run.failure = Failure(
            type="SyntaxError",
            message=str(exc.msg),
            line=(exc.text or "").strip(),
            lineno=exc.lineno)
        return run
    linecache.cache[CELL_FILE] = (len(source), None, source.splitlines(True), CELL_FILE)
    calls: list[str] = []
    out = io.StringIO()
    with np.errstate(all="ignore"), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(out), _warnings_off(), \
            _watch(folder, allowed_codes(allowed), calls):
        try:
            exec(code, space)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            run.not_written = _not_written(exc)
            if not run.not_written:
                run.failure = _failure(exc, library, None, 1)
                _note_refused(exc, calls)
    run.printed = _printed(out)
    run.calls = calls
    run.value = {name: space[name] for name in outputs if name in space}
    if any(v is Ellipsis for v in run.value.values()):
        run.not_written = True
    run.changed = [c for k in kept for c in _changed(kept[k], space.get(k), k)]
    return run


def _is_module_or_function(value: Any) -> bool:
    import types
    return isinstance(value, types.ModuleType | FunctionType | type) or (
        callable(value) and not isinstance(value, np.ndarray))




__all__ = ["allowed_codes", "run_cell", "run_function"]
