"""The evidence a check judges: what a student's answer did, as records and as plain data.

This module and :mod:`nbhelpers.course.running` (which runs the answer) run untrusted code and
know nothing of the right answers: they import only the standard library and numpy, so that the
grader can run them, alone, where a submission runs (with no reference in reach), and hand back
what they recorded as plain data.

A :class:`Run` records:

* ``value``: what the function returned, or the values the cell assigned;
* ``failure``: an exception, as a :class:`Failure` (:func:`failure_of`): its type and text, the
  student's line, the operation that failed with the shapes (and small values) of its operands —
  read from the student's own frame, never guessed from numpy's wording or from variable names —
  and the arrays the student's code held at that moment;
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
import contextlib
import io
import linecache
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import CodeType, FrameType
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


@dataclass(kw_only=True)
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


@dataclass(kw_only=True)
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


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """numpy's warnings off, and what the code prints kept out of the notebook."""
    with np.errstate(all="ignore"), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        yield


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
        with quiet():
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


def failure_of(exc: BaseException, own: Callable[[str], bool], code: CodeType | None = None,
               first_line: int = 1) -> Failure:
    """``exc`` as a :class:`Failure`, read from the frames whose file ``own`` accepts (the code
    under study: the student's, or a line of the check's own)."""
    text = str(exc).strip()
    failure = Failure(
        type=type(exc).__name__,
        message=text[:500])
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


__all__ = ["ARRAY_LIMIT", "CELL_FILE", "LOCALS_LIMIT", "PRINT_LIMIT", "Failure", "Opaque", "Operand",
           "Run", "failure_of", "from_data", "quiet", "to_data"]

