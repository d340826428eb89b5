"""Notebook 00 · start here: the check and hints of its exercise.

``00-n-params``: the number of parameters of the lecture's network, computed from Θ.

The module also holds what every value exercise's check uses to see the student's code: a value
such as a number cannot show how it was made, so :func:`answer_source` reads the exercise cell
back from the notebook's input history, and the checks refuse an answer that copies another
variable (:func:`copied_from`), is typed in (:func:`typed_in`) or calls the package
(:func:`names_used`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import Any

import numpy as np

from ...validation import Params, layer_sizes
from ..feedback import Mistake, Result, check_value, report
from ..hints import register_hints
from ..student_code import refused

N_PARAMS = "00-n-params"

# --- reading the student's cell back ------------------------------------------------------------


def _shell() -> Any:
    """The running IPython shell, or None (plain Python, as in the tests)."""
    try:
        from IPython import get_ipython
    except ImportError:                      # pragma: no cover - IPython comes with Jupyter
        return None
    return get_ipython()


def _assigned_by(tree: ast.AST, name: str) -> bool:
    """Whether ``tree`` assigns ``name`` (or an entry of it) other than from a check call."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            is_check = (isinstance(value, ast.Call)
                        and (getattr(value.func, "attr", "") or getattr(value.func, "id", ""))
                        .startswith("check_"))
            for target in targets:
                while isinstance(target, ast.Subscript):
                    target = target.value
                if isinstance(target, ast.Name) and target.id == name and not is_check:
                    return True
    return False


def answer_source(name: str, history: Iterable[str] | None = None) -> str | None:
    """The code of the latest cell that assigns ``name`` (the exercise cell), read from the
    notebook's input history (IPython's ``In``; ``history`` replaces it), or None."""
    if history is None:
        shell = _shell()
        if shell is None:
            return None
        history = shell.user_ns.get("In", [])
    for source in reversed(list(history)):
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        if _assigned_by(tree, name):
            return source
    return None


def names_used(source: str | None, names: Iterable[str]) -> str | None:
    """The first of ``names`` that ``source`` refers to (as a name or as an attribute such as
    ``nb.cost``), or None."""
    if not source:
        return None
    used = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
    return next((n for n in names if n in used), None)


def copied_from(answer: Any, name: str) -> str | None:
    """Another variable of the notebook that holds the very same object as ``answer`` (so the
    answer is a copy of it, e.g. ``J_unreg = J_loops``), or None."""
    shell = _shell()
    if shell is None or not isinstance(answer, float | np.floating | np.ndarray):
        return None
    return next((k for k, v in shell.user_ns.items()
                 if v is answer and k != name and not k.startswith("_")), None)


def typed_in(source: str | None, name: str) -> bool:
    """Whether the cell ``source`` that assigns ``name`` refers to no variable at all (numpy
    aside): the answer is a number typed in, perhaps copied from an output further down."""
    if not source:
        return False
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    nodes = list(ast.walk(tree))
    if any(isinstance(node, ast.Constant) and node.value is Ellipsis for node in nodes):
        return False                         # the handed-out placeholder: not written yet
    used = {node.id for node in nodes if isinstance(node, ast.Name)}
    return not used - {name, "np", "numpy"}


def refuse_typed_in(exercise: str, name: str, made_from: str, reference: Any) -> Any:
    """The ✘ verdict for an answer typed in as numbers; returns the reference for the cells
    below."""
    return report(exercise, Result(False, reference, (
        f"✘ {name} is typed in as numbers, not computed. Compute it from {made_from}: the "
        f"exercise is the computation.\n  (The cells below use the reference value.)"))).value


def refuse_package_call(exercise: str, name: str, used: str, reference: Any) -> Any:
    """The ✘ verdict for an answer whose cell calls the package's own ``used`` (found by
    :func:`names_used`); returns the reference for the cells below."""
    return report(exercise, Result(False, reference, (
        refused(name, (f"nb.{used}",), "Write the steps yourself.")
        + "\n  (The cells below use the reference value.)"))).value


def check_n_params(n_params: Any, Theta: Params) -> Any:
    """Check the number of entries of all the Θ⁽ˡ⁾ together; returns the value to use below."""
    s = dict(enumerate(layer_sizes(Theta), start=1))          # s[l] = sₗ
    L = len(s)
    weights = sum(s[l + 1] * (s[l] + 1) for l in range(1, L))
    if typed_in(answer_source("n_params"), "n_params"):
        return refuse_typed_in(N_PARAMS, "n_params", "p.Theta", weights)
    return check_value(
        "n_params", n_params, weights, why_shape="it is a single number",
        mistakes=[
            Mistake("left out the bias columns (column 0 of each Θ⁽ˡ⁾)",
                    sum(s[l + 1] * s[l] for l in range(1, L))),
            Mistake("counted the units of the layers instead of the weights", sum(s.values())),
            Mistake("counted the matrices Θ⁽ˡ⁾ instead of their entries", L - 1),
            Mistake("counted only Θ⁽¹⁾", s[2] * (s[1] + 1)),
            Mistake("counted a bias row instead of a bias column: (s₍ₗ₊₁₎ + 1) × sₗ",
                    sum((s[l + 1] + 1) * s[l] for l in range(1, L))),
        ],
        todo=f'write n_params in the cell above; hint("{N_PARAMS}") gives the idea',
        exercise=N_PARAMS).value


register_hints(N_PARAMS, [
    "Every parameter is one entry of one of the matrices Θ⁽¹⁾, …, Θ⁽ᴸ⁻¹⁾. Count the entries of "
    "each matrix, then add the counts up. Let the arrays count for you rather than typing the "
    "shapes.",
    "Θ⁽ˡ⁾ has s₍ₗ₊₁₎ × (sₗ + 1) entries (the + 1 is the bias column). The lecture's network "
    "has three matrices, Θ⁽¹⁾, Θ⁽²⁾ and Θ⁽³⁾, of shapes 5 × 4, 5 × 6 and 4 × 6: the answer is "
    "one number, the sum of three products rows × columns.",
    "n_params = sum(___ for T in p.Theta.___())",
])
