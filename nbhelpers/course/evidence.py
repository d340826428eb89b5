"""Running a student's answer and recording what it did: the evidence a check judges.

This module runs untrusted code and knows nothing of the right answers: it imports only the
standard library and numpy, so that the grader can run it, alone, where a submission runs
(with no reference in reach), and hand back what it recorded as plain data.

:func:`run_function` calls the student's function on copies of the arguments; :func:`run_cell`
executes the student's top-level cell in a namespace of its own. Both record a :class:`Run`:

* ``value``: what the function returned, or the values the cell assigned;
* ``failure``: an exception, as a :class:`Failure`: its type and text, the student's line, the
  operation that failed with the shapes (and small values) of its operands — read from the
  student's own frame, never guessed from numpy's wording or from variable names — and the
  arrays the student's code held at that moment;
* ``printed``: what it printed (a check shows it under its verdict);
* ``changed``: the arguments it changed in place;
* ``calls``: the package functions it called that the exercise does not allow;
* ``globals_read``: the numbers and arrays it read from the notebook's variables;
* ``lines_run``: how many lines of its own code ran (each pass of a loop counts again), so that
  a check can tell a Python loop over the examples from a matrix form by what the code does:
  the count grows with the number of examples only when the code loops over them.

:func:`to_data` and :func:`from_data` turn a :class:`Run` into JSON-safe data and back, without
ever executing what they read.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import copy
import io
import linecache
import sys
import sysconfig
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType, FrameType, FunctionType
from typing import Any

import numpy as np

PRINT_LIMIT = 2000
"""Characters of printed output kept (the rest is cut, and the cut said)."""
ARRAY_LIMIT = 5000
"""Entries of an array kept in the evidence (larger arrays keep their shape only)."""
LOCALS_LIMIT = 300
"""Arrays kept from the student's frames when the code stopped."""
CELL_FILE = "<your exercise cell>"


@dataclass
class Operand:
    """One operand of the operation that failed: its code, shape and (when small) value."""

    code: str
    shape: tuple[int, ...] | None
    value: Any = None
    kind: str = ""
    """The operand's type name when it is not an array (a dict, a list, a number, …)."""


@dataclass
class Failure:
    """An exception raised in the student's code."""

    type: str
    message: str
    line: str = ""
    """The student's line where it stopped, as written."""
    lineno: int | None = None
    """Its line number, counted from the function's ``def`` line (or the cell's first line)."""
    where: str = ""
    """The name of the student's function it stopped in (``<cell>`` for top-level code)."""
    operation: str = ""
    """The failing operation: ``@``, ``*``, ``+``, ``-``, ``/``, ``+=``, a call such as
    ``np.outer``, ``[]`` for an index, or "" when it could not be read."""
    operands: list[Operand] = field(default_factory=list)
    arrays: list[tuple[str, Any]] = field(default_factory=list)
    """The arrays the student's code held when it stopped, labelled by where they were."""
    key: Any = None
    """For a KeyError: the missing key."""
    target: list[tuple[str, Any]] = field(default_factory=list)
    """When the failing line stores into a container (``delta[l] = …``): the arrays that
    container already held, labelled by their keys."""
    target_key: Any = None
    """…and the key the line was storing under."""


@dataclass
class Run:
    """What one run of the student's answer did (see the module's docstring)."""

    value: Any = None
    failure: Failure | None = None
    printed: str = ""
    changed: list[str] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    globals_read: dict[str, Any] = field(default_factory=dict)
    not_written: bool = False
    """The answer is still the handed-out scaffold (``...`` or ``raise NotImplementedError``)."""
    lines_run: int = 0
    """The lines of the student's own code that ran, and the calls into it (a generator resumed
    counts as a call): a loop's body counts once per pass, the package's code not at all."""

    @property
    def stopped(self) -> bool:
        return self.failure is not None


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


# ---- the operation that failed ----------------------------------------------------------------------

_OPERATORS = {ast.MatMult: "@", ast.Mult: "*", ast.Add: "+", ast.Sub: "-", ast.Div: "/",
              ast.Pow: "**", ast.FloorDiv: "//"}


def _shape(value: Any) -> tuple[int, ...] | None:
    if isinstance(value, np.ndarray):
        return tuple(int(k) for k in value.shape)
    if isinstance(value, int | float | np.number):
        return ()
    if isinstance(value, list | tuple):
        try:
            return tuple(int(k) for k in np.shape(value))
        except (ValueError, TypeError):
            return None
    return None


def _operand(code: str, value: Any) -> Operand:
    shape = _shape(value)
    kind = "" if isinstance(value, np.ndarray) else type(value).__name__
    small = None
    if isinstance(value, np.ndarray) and value.size <= ARRAY_LIMIT:
        small = np.array(value, copy=True)
    elif isinstance(value, int | float | np.number):
        small = value
    return Operand(code, shape, small, kind)


def _evaluate(node: ast.expr, frame: FrameType) -> tuple[bool, Any]:
    try:
        code = compile(ast.unparse(node), "<operand>", "eval")
        with _quiet():
            return True, eval(code, frame.f_globals, dict(frame.f_locals))
    except Exception:
        return False, None


def _node_at(tree: ast.AST, col: int, end_col: int, offset: int) -> ast.expr | None:
    """The expression node of ``tree`` that spans exactly columns col…end_col (or the smallest
    one that contains them)."""
    best = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.expr) or not hasattr(node, "col_offset"):
            continue
        start, end = node.col_offset + offset, (node.end_col_offset or 0) + offset
        if node.lineno != 1 or node.end_lineno != 1:
            continue
        if start <= col and end >= end_col and (
                best is None or (end - start) < ((best.end_col_offset or 0) - best.col_offset)):
            best = node
    return best


def _operation(node: ast.expr | ast.stmt, frame: FrameType) -> tuple[str, list[Operand]]:
    """The failing operation's name and its operands, evaluated in the student's frame."""
    def ops(*parts: ast.expr) -> list[Operand]:
        out = []
        for part in parts:
            ok, value = _evaluate(part, frame)
            if ok:
                out.append(_operand(ast.unparse(part), value))
        return out

    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)], ops(node.left, node.right)
    if isinstance(node, ast.AugAssign) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)] + "=", ops(node.target, node.value)  # type: ignore[arg-type]
    if isinstance(node, ast.Call):
        return ast.unparse(node.func), ops(*[a for a in node.args if not isinstance(a, ast.Starred)])
    if isinstance(node, ast.Subscript):
        return "[]", ops(node.value, node.slice)
    return "", []


def _statement_at(source_line: str) -> ast.stmt | None:
    try:
        tree = ast.parse(source_line.strip())
    except SyntaxError:
        return None
    return tree.body[0] if tree.body else None


def _failing_operation(summary: traceback.FrameSummary, frame: FrameType) -> tuple[str, list[Operand]]:
    line = linecache.getline(summary.filename, summary.lineno or 0) or (summary.line or "")
    stripped = line.lstrip()
    offset = len(line) - len(stripped)
    col, end_col = getattr(summary, "colno", None), getattr(summary, "end_colno", None)
    same_line = getattr(summary, "end_lineno", summary.lineno) == summary.lineno
    if col is not None and end_col is not None and same_line:
        try:
            tree = ast.parse(stripped.rstrip("\n"), mode="exec")
        except SyntaxError:
            tree = None
        if tree is not None:
            statement = tree.body[0] if tree.body else None
            if (isinstance(statement, ast.AugAssign)
                    and statement.col_offset + offset <= col
                    and (statement.end_col_offset or 0) + offset >= end_col
                    and end_col - col >= len(stripped.rstrip()) - 1):
                return _operation(statement, frame)
            node = _node_at(tree, col, end_col, offset)
            if node is not None:
                name, operands = _operation(node, frame)
                if name:
                    return name, operands
    statement = _statement_at(line)
    if isinstance(statement, ast.AugAssign):
        return _operation(statement, frame)
    return "", []


def _target(line: str, frame: FrameType) -> tuple[list[tuple[str, Any]], Any]:
    """The container the statement ``line`` stores into, and the key, read in ``frame``."""
    statement = _statement_at(line)
    targets = (statement.targets if isinstance(statement, ast.Assign) else
               [statement.target] if isinstance(statement, ast.AugAssign) else [])
    if len(targets) != 1 or not isinstance(targets[0], ast.Subscript):
        return [], None
    ok, container = _evaluate(targets[0].value, frame)
    okk, key = _evaluate(targets[0].slice, frame)
    arrays = list(_arrays("", container)) if ok and isinstance(container, Mapping | list) else []
    return arrays, key if okk and isinstance(key, int | str) else None


# ---- the arrays the student's code held -----------------------------------------------------------

def _arrays(label: str, value: Any, depth: int = 0) -> Iterator[tuple[str, Any]]:
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biuf" and value.size <= ARRAY_LIMIT:
            yield label, np.array(value, dtype=float)
        return
    if depth >= 2:
        return
    if isinstance(value, Mapping):
        for k, v in list(value.items())[:50]:
            if isinstance(k, int | str | np.integer):
                yield from _arrays(f"{label}[{k!r}]", v, depth + 1)
    elif isinstance(value, list | tuple):
        for k, v in enumerate(value[:50]):
            yield from _arrays(f"{label}[{k}]", v, depth + 1)


def _failure(exc: BaseException, library: tuple[str, ...], code: CodeType | None,
             first_line: int) -> Failure:
    return failure_of(exc, lambda filename: not _is_library(filename, library), code, first_line)


def failure_of(exc: BaseException, own: Callable[[str], bool], code: CodeType | None = None,
               first_line: int = 1) -> Failure:
    """``exc`` as a :class:`Failure`, read from the frames whose file ``own`` accepts (the code
    under study: the student's, or a line of the check's own)."""
    text = str(exc).strip()
    failure = Failure(type(exc).__name__, text[:500])
    if isinstance(exc, KeyError) and exc.args:
        failure.key = exc.args[0] if isinstance(exc.args[0], int | str | float) else None
    tb = exc.__traceback__
    frames: list[tuple[traceback.FrameSummary, FrameType]] = []
    while tb is not None:
        summary = traceback.FrameSummary(
            tb.tb_frame.f_code.co_filename, tb.tb_lineno, tb.tb_frame.f_code.co_name,
            lookup_line=True)
        positions = _positions(tb)
        if positions is not None:
            summary.lineno, summary.end_lineno, summary.colno, summary.end_colno = positions  # type: ignore[assignment]
        if own(tb.tb_frame.f_code.co_filename):
            frames.append((summary, tb.tb_frame))
        tb = tb.tb_next
    if not frames:
        return failure
    summary, frame = frames[-1]
    failure.line = (linecache.getline(summary.filename, summary.lineno or 0)
                    or summary.line or "").strip()
    start = code.co_firstlineno if code is not None and frame.f_code.co_filename == code.co_filename \
        else first_line
    failure.lineno = (summary.lineno or 0) - start + 1 if summary.lineno else None
    failure.where = "<cell>" if frame.f_code.co_name == "<module>" else frame.f_code.co_name
    failure.operation, failure.operands = _failing_operation(summary, frame)
    failure.target, failure.target_key = _target(failure.line, frame)
    seen: set[int] = set()
    for _, f in reversed(frames):
        for name, value in list(f.f_locals.items()):
            if name.startswith("__") or id(value) in seen:
                continue
            seen.add(id(value))
            for label, array in _arrays(name, value):
                if len(failure.arrays) < LOCALS_LIMIT:
                    failure.arrays.append((label, array))
    return failure


def _positions(tb: Any) -> tuple[int, int, int, int] | None:
    """(line, end line, column, end column) of the instruction that raised, or None."""
    try:
        positions = list(tb.tb_frame.f_code.co_positions())
        line, end_line, col, end_col = positions[tb.tb_lasti // 2]
    except (AttributeError, IndexError, ValueError):
        return None
    if None in (line, end_line, col, end_col):
        return None
    return line, end_line, col, end_col


# ---- running ----------------------------------------------------------------------------------------

@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    with np.errstate(all="ignore"), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        yield


@contextlib.contextmanager
def _watch(package_dir: str | None, allowed: set[CodeType], calls: list[str]) -> Iterator[None]:
    """Record every call the student's code makes to the package (not a call the package makes
    in turn) of a function whose code is not in ``allowed``."""
    if package_dir is None:
        yield
        return
    inside: dict[str, bool] = {__file__: False}

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
    own: dict[str, bool] = {__file__: False}

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
        run.failure = Failure("SyntaxError", str(exc.msg), (exc.text or "").strip(), exc.lineno)
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


# ---- as plain data ----------------------------------------------------------------------------------

def to_data(value: Any, depth: int = 0) -> Any:
    """``value`` (a Run, arrays, dicts, …) as JSON-safe data; anything else as its type name."""
    if depth > 12:
        return {"__object__": "too deep"}
    if isinstance(value, Run | Failure | Operand):
        return {"__" + type(value).__name__.lower() + "__": {
            k: to_data(v, depth + 1) for k, v in vars(value).items()}}
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return f if np.isfinite(f) else {"__float__": repr(f)}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf" or value.size > ARRAY_LIMIT:
            return {"__array__": None, "shape": list(value.shape), "dtype": str(value.dtype)}
        floats = np.asarray(value, dtype=float)
        return {"__array__": [to_data(float(v)) for v in floats.ravel()],
                "shape": list(value.shape), "dtype": value.dtype.kind}
    if value is Ellipsis:
        return {"__ellipsis__": True}
    if isinstance(value, Mapping):
        return {"__dict__": [[to_data(k, depth + 1), to_data(v, depth + 1)]
                             for k, v in list(value.items())[:200]]}
    if isinstance(value, tuple):
        return {"__tuple__": [to_data(v, depth + 1) for v in value[:200]]}
    if isinstance(value, list):
        return [to_data(v, depth + 1) for v in value[:200]]
    return {"__object__": type(value).__name__}


class Opaque:
    """Something the student's code returned that is not data (a function, a generator, …)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return f"<a {self.kind}>"


def from_data(data: Any, depth: int = 0) -> Any:
    """The inverse of :func:`to_data`; never executes anything it reads."""
    if depth > 14:
        raise ValueError("the evidence is nested too deeply")
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if isinstance(data, list):
        return [from_data(v, depth + 1) for v in data]
    if not isinstance(data, dict) or len(data) == 0:
        raise ValueError(f"unexpected evidence: {type(data).__name__}")
    kinds = {"__run__": Run, "__failure__": Failure, "__operand__": Operand}
    for key, cls in kinds.items():
        if key in data:
            fields = {k: from_data(v, depth + 1) for k, v in data[key].items()
                      if k in cls.__dataclass_fields__}
            record = cls(**fields)
            if isinstance(record, Operand) and record.shape is not None:
                record.shape = tuple(record.shape)
            if isinstance(record, Failure):
                record.arrays = [tuple(pair) for pair in record.arrays]  # type: ignore[misc]
            return record
    if "__array__" in data:
        shape = tuple(int(k) for k in data.get("shape", []))
        if data["__array__"] is None:
            return Opaque(f"array of shape {shape} that is not numbers or too large")
        values = [from_data(v, depth + 1) for v in data["__array__"]]
        array = np.array(values, dtype=float).reshape(shape)
        kind = data.get("dtype", "f")
        if kind in ("b", "i", "u"):
            array = array.astype(bool if kind == "b" else int)
        return array
    if "__float__" in data:
        return float(data["__float__"])
    if "__ellipsis__" in data:
        return Ellipsis
    if "__dict__" in data:
        out = {}
        for k, v in data["__dict__"]:
            key = from_data(k, depth + 1)
            out[tuple(key) if isinstance(key, list) else key] = from_data(v, depth + 1)
        return out
    if "__tuple__" in data:
        return tuple(from_data(v, depth + 1) for v in data["__tuple__"])
    if "__object__" in data:
        return Opaque(str(data["__object__"]))
    raise ValueError(f"unexpected evidence keys: {sorted(data)[:3]}")


__all__ = ["CELL_FILE", "Failure", "Opaque", "Operand", "Run", "allowed_codes", "failure_of",
           "from_data", "run_cell", "run_function", "to_data"]
