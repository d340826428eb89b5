"""Reading a student's answer from the running notebook, for a check cell.

A check cell names no variable of the exercise (``z2 = nb01.check_z2()``), so that it runs even
when the exercise cell stopped with an error and defined nothing. It reads the answer here: the
source of the latest cell that assigns the exercise's name, from IPython's input history (``In``,
the same in JupyterLab, Notebook 7 and VS Code), and the notebook's own variables.

A cell run without storing history (nbval runs every cell so) is not in ``In``: from the moment
an exercise module is imported, :func:`record_cells` also keeps the source of every cell the
shell runs (IPython's ``pre_run_cell`` event), and :func:`source_of` looks there first.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from typing import Any


def shell() -> Any:
    """The running IPython shell, or None (plain Python, as in the tests)."""
    try:
        from IPython import get_ipython
    except ImportError:                      # pragma: no cover - IPython comes with Jupyter
        return None
    return get_ipython()


RECORDED_LIMIT = 5000
"""Cells kept by :func:`record_cells` (the oldest are dropped)."""

RECORDED = "_course_recorded_cells"
"""The shell's attribute that holds the cells :func:`record_cells` kept (one list per shell)."""


def record_cells(ip: Any = None) -> None:
    """Keep the source of every cell the running shell (or ``ip``) runs from now on, once per
    shell."""
    ip = ip if ip is not None else shell()
    if ip is None or hasattr(ip, RECORDED) or not hasattr(ip, "events"):
        return
    cells: list[str] = []

    def keep(info: Any) -> None:
        source = getattr(info, "raw_cell", None)
        if isinstance(source, str):
            cells.append(source)
            del cells[:-RECORDED_LIMIT]

    try:
        ip.events.register("pre_run_cell", keep)
        setattr(ip, RECORDED, cells)
    except (AttributeError, KeyError, TypeError, ValueError):   # an IPython without the event
        return


def namespace() -> dict[str, Any]:
    """The notebook's variables (empty outside a notebook)."""
    ip = shell()
    return dict(ip.user_ns) if ip is not None else {}


def _is_check(value: ast.expr | None) -> bool:
    return isinstance(value, ast.Call) and (
        getattr(value.func, "attr", "") or getattr(value.func, "id", "")).startswith("check")


def assigns(source: str, name: str) -> bool:
    """Whether ``source`` binds ``name`` at its top level (an assignment, a loop, a ``def``),
    other than from a check call."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        # a cell that does not even parse: it is the exercise cell if it mentions the name first
        first = source.lstrip().split("\n", 1)[0]
        return first.startswith((f"{name} ", f"{name}=", f"def {name}(", f"def {name} ("))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return True
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.For):
            targets = (node.targets if isinstance(node, ast.Assign) else [node.target])
            value = getattr(node, "value", None)
            if _is_check(value):
                continue
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Name) and sub.id == name:
                        return True
    return False


def source_of(name: str, history: Iterable[str] | None = None) -> str | None:
    """The code of the latest cell that assigns ``name`` (the exercise cell), or None: from the
    cells :func:`record_cells` kept, else from the input history ``In``."""
    if history is None:
        ip = shell()
        if ip is None:
            return None
        record_cells()
        found = source_of(name, list(getattr(ip, RECORDED, [])))
        if found is not None:
            return found
        history = ip.user_ns.get("In", [])
    for source in reversed([h for h in history if isinstance(h, str)]):
        if assigns(source, name):
            return source
    return None


def answer(name: str, kind: str) -> tuple[Any, dict[str, Any]]:
    """The student's answer to an exercise named ``name`` and the notebook's variables.

    A cell exercise's answer is its cell's source; a function exercise's is the function (or,
    when the cell that defines it stopped before defining it, that cell's source, so that the
    check can explain the error). None when there is nothing yet."""
    names = namespace()
    if kind == "function":
        value = names.get(name)
        if callable(value):
            return value, names
    return source_of(name), names


def without(names: Mapping[str, Any], drop: Iterable[str]) -> dict[str, Any]:
    """The notebook's variables without some names (the exercise's own answer)."""
    gone = set(drop)
    return {k: v for k, v in names.items() if k not in gone and not k.startswith("_")}


__all__ = ["answer", "assigns", "namespace", "record_cells", "shell", "source_of", "without"]
