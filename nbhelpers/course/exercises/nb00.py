"""Notebook 00 · start here: the check and hints of its exercise, and the judge that every
exercise cell computing one value shares.

``00-n-params``: the number of parameters of the lecture's network, computed from ``p.Theta``.

**One value from the notebook's names.** Notebooks 00, 02, 05, 07 and 09 each have exercise cells
that assign one value (a number or an array) computed from names the notebook's earlier cells
define. A value cannot show how it was made, so the check runs the cell again: on the notebook's
own values first, then on other problems built the way the notebook builds its names (other
networks, λ, m, …). A number typed in, copied from an output, or read from a variable of another
cell then gives itself away, because it does not change with the problem. :class:`ValueCell`
describes such an exercise, :func:`value_cell_judge` judges it, :func:`own_names` takes the
notebook's values for the first problem and :func:`line_value` computes a catalogue mistake's
line on a problem. (These four would sit as well in :mod:`nbhelpers.course.judging`.)

The helpers :func:`answer_source`, :func:`names_used` and :func:`refuse_package_call` serve
notebook 04's check until it moves to the exercise records too.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from types import FunctionType, ModuleType
from typing import Any

import numpy as np

import nbhelpers

from ...examples import lecture_network
from ...validation import layer_sizes
from .. import mistakes as catalogue
from ..check_cell import Result, check, report
from ..evidence import Failure, Run
from ..exercise import Exercise, Judge, register, register_hints
from ..judging import CellProbe, common, failure_text, name_mistake, printed_of, value_problem
from ..student_code import refused
from ..verdict import RTOL, Verdict, index_text, same, size_text

N_PARAMS = "00-n-params"


# ---- one value from the notebook's names: the shared judge ------------------------------------

@dataclass(frozen=True, kw_only=True)
class ValueCell:
    """What the judge of an exercise cell that assigns one value needs to know."""

    name: str
    """The variable the cell assigns: ``n_params``."""
    symbol: str
    """The value as messages call it: ``n_params``, ``J(Θ) without regularization``."""
    hint_id: str
    step: str
    """The verdict's step when the value is wrong."""
    piece: str
    """The catalogue piece whose records are this exercise's mistakes."""
    inputs: str
    """What the value is computed from, in words: ``p.Theta``, ``H, Y and m``."""
    short: bool = True
    """A handful of numbers: a message shows none of the expected entries, not even how far off
    one is (with the student's own number that would give the answer away)."""
    shape_why: Callable[[CellProbe], str] = lambda probe: ""
    """Why the value has the shape it has, on a problem."""
    explain: Callable[[Failure, CellProbe], str] | None = None
    """More words for an exception of the exercise's own kind (or "")."""
    shape_more: Callable[[Any, CellProbe], str] | None = None
    """More words for a value of the wrong shape, from the value (or "")."""
    method: Callable[[Sequence[Run], Sequence[CellProbe]], Verdict | None] | None = None
    """A check of the method, run before the values are compared with the mistakes: a wrong
    method whose numbers are close to the right ones (its verdict, or None)."""


DATA_LIMIT = 200
"""Entries of a dict, list or tuple for it to count as the notebook's data."""

IPYTHON_NAMES = frozenset({"In", "Out", "exit", "quit", "get_ipython"})


def is_data(value: Any, depth: int = 0) -> bool:
    """Whether a notebook variable is plain data (numbers, strings, arrays, and dicts, lists and
    tuples of them), which a probe may copy."""
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "biufc"          # numbers: not an array of figures' axes
    if isinstance(value, bool | int | float | complex | str | np.number):
        return True
    if depth >= 3:
        return False
    if isinstance(value, dict):
        return len(value) <= DATA_LIMIT and all(
            isinstance(k, int | str | float) and is_data(v, depth + 1) for k, v in value.items())
    if isinstance(value, list | tuple):
        return len(value) <= DATA_LIMIT and all(is_data(v, depth + 1) for v in value)
    return False


def _module(value: Any) -> bool:
    return isinstance(value, ModuleType)


def _own_function(value: Any) -> bool:
    """A function defined in the notebook itself (not one imported from a package)."""
    return isinstance(value, FunctionType) and value.__module__ == "__main__"


def own_names(notebook: Mapping[str, Any] | None, reads: Iterable[str]) -> dict[str, Any] | None:
    """The notebook's values for a cell's first problem: the names the exercise reads, and every
    other variable of plain data, function of the notebook's own and module (so that the cell
    runs there as it ran in the notebook); None outside a notebook."""
    if not notebook:
        return None
    names = {k: notebook[k] for k in reads if k in notebook}
    names.update({k: v for k, v in notebook.items()
                  if k not in names and k not in IPYTHON_NAMES and not k.startswith("_")
                  and (is_data(v) or _own_function(v) or _module(v))})
    return names


def with_modules(probes: Sequence[CellProbe],
                 notebook: Mapping[str, Any] | None) -> list[CellProbe]:
    """The probes, each of the check's own problems also given the modules the notebook imported
    (a cell may use ``math`` or ``plt`` as the notebook does; the values of other cells it may
    not)."""
    modules = {k: v for k, v in (notebook or {}).items()
               if _module(v) and not k.startswith("_") and k not in ("np", "nb")}
    if not modules:
        return list(probes)
    return [p if p.own else CellProbe(title=p.title, values={**modules, **p.values},
                                      expected=p.expected, extra=p.extra) for p in probes]


def own_probe(notebook: Mapping[str, Any] | None, reads: Iterable[str],
              expected: Callable[[Mapping[str, Any]], Any], **extra: Any) -> list[CellProbe]:
    """The probe of the notebook's own values (none outside a notebook, or when the notebook
    lacks a name the right answer needs)."""
    names = own_names(notebook, reads)
    if names is None:
        return []
    title = "the notebook's values"
    try:
        want = expected(names)
    except KeyError as missing:           # a cell above the exercise has not run yet
        return [CellProbe(title=title, values=names, own=True, expected=None,
                          extra={**extra, "missing": str(missing.args[0])})]
    except Exception:                     # the notebook's values are not the course's kind
        return []
    return [CellProbe(title=title, values=names, own=True, expected=want, extra=extra)]


def line_value(line: str, probe: CellProbe) -> Any:
    """The value of one catalogue line on a problem's names (with ``np`` and ``nb``)."""
    scope = {"__builtins__": builtins, "np": np, "nb": nbhelpers, **probe.values}
    with np.errstate(all="ignore"):
        return eval(compile(line, f"<the line {line!r}>", "eval"), scope)


def _line(mistake: catalogue.Mistake, line: str, probe: CellProbe) -> Any:
    return line_value(line, probe)


def cell_value(name: str) -> Callable[[Run], Any]:
    """What a run of the cell assigned to ``name`` (None when it did not)."""
    def value(run: Run) -> Any:
        return run.value.get(name) if isinstance(run.value, dict) else None
    return value


def _constant(runs: Sequence[Run], probes: Sequence[CellProbe], value: Callable[[Run], Any]) -> bool:
    """The cell gives the very same value on every problem while the right ones differ."""
    try:
        got = [np.asarray(value(r), dtype=float) for r in runs]
        want = [np.asarray(p.expected, dtype=float) for p in probes]
    except (TypeError, ValueError):
        return False
    def alike(items: list[np.ndarray]) -> bool:
        return all(a.shape == items[0].shape and np.array_equal(a, items[0]) for a in items)
    return len(runs) > 1 and alike(got) and not alike(want)


UNDEFINED = re.compile(r"name '([^']+)' is not defined")


def _stopped(cell: ValueCell, run: Run, probe: CellProbe, probes: Sequence[CellProbe]) -> str:
    failure = run.failure
    assert failure is not None
    missing = UNDEFINED.search(failure.message) if failure.type == "NameError" else None
    own = probes[0] if probes and probes[0].own else None
    if missing and own is not None and probe is not own and missing[1] in own.values:
        return (f"✘ your {cell.name} cell reads {missing[1]}, which another cell defines. The "
                f"check runs the exercise cell again on other problems, where only the names the "
                f"exercise gives exist, so that a value is right because of how it is computed: "
                f"compute {cell.name} in the exercise cell itself, from {cell.inputs}.")
    text = failure_text(f"your {cell.name} cell", failure, probe)
    more = cell.explain(failure, probe) if cell.explain is not None else ""
    if missing and not more:
        more = (f"{missing[1]} is not one of the notebook's names here: the exercise computes "
                f"{cell.name} from {cell.inputs}.")
    return text + (f"\n  {more}" if more else "")


def _numbers(got: Any) -> bool:
    """Whether a value is numbers at all (of any shape)."""
    if got is None or isinstance(got, str | bytes | Mapping):
        return False
    try:
        np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    return True


def _is_number(want: Any) -> bool:
    return np.ndim(want) == 0


def _kind_problem(cell: ValueCell, got: Any, probe: CellProbe) -> str | None:
    want = np.asarray(probe.expected, dtype=float)
    if want.ndim == 0 and got is not None and not isinstance(got, str | bytes | Mapping):
        try:
            shape = np.shape(got)
        except (TypeError, ValueError):
            shape = None
        if shape not in ((), None):
            return (f"{cell.name} should be a single number, but it is an array of shape "
                    f"{shape}: add everything up into one number.")
    return value_problem(cell.name, got, want, shape_why=cell.shape_why(probe))


def _direction(cell: ValueCell, got: Any, want: Any) -> str:
    """Which way the first wrong entry is off, without its size (for short answers)."""
    g, w = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if g.ndim == 0:
        return f"{cell.symbol} is too {'large' if float(g) > float(w) else 'small'}"
    wrong = ~np.isclose(g, w, rtol=RTOL, atol=1e-12)
    index = tuple(int(k) for k in np.argwhere(wrong)[0])
    side = "large" if float(g[index]) > float(w[index]) else "small"
    count = int(np.sum(wrong))
    return (f"{index_text(index, g.ndim == 2)} of {cell.symbol} is too {side}; {count} of its "
            f"{g.size} entries are wrong")


def _size(cell: ValueCell, got: Any, want: Any) -> str:
    """The first wrong entry by direction and size (for answers of many entries)."""
    g, w = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if g.ndim == 0:
        error = float(g - w)
        return f"{cell.symbol} is {size_text(error)} too {'large' if error > 0 else 'small'}"
    wrong = ~np.isclose(g, w, rtol=RTOL, atol=1e-12)
    index = tuple(int(k) for k in np.argwhere(wrong)[0])
    error = float(g[index] - w[index])
    return (f"{index_text(index, g.ndim == 2)} of {cell.symbol} is {size_text(error)} too "
            f"{'large' if error > 0 else 'small'}; {int(np.sum(wrong))} of its {g.size} entries "
            "are wrong")


def value_cell_judge(cell: ValueCell) -> Judge:
    """The judge of an exercise cell that assigns one value (see the module's docstring): not
    written, refused package calls and inputs changed in place first (``judging.common``), then
    an exception explained, the value not assigned, a value that does not change with the
    problem, the wrong kind or shape, the method, and wrong values, named only when a catalogue
    line of the exercise's piece gives the student's value on every problem."""
    def judge(runs: Sequence[Run], probes: Sequence[CellProbe]) -> Verdict:
        printed = printed_of(runs)
        missing = probes[0].extra.get("missing") if probes and probes[0].own else None
        if missing is not None:
            return Verdict(passed=False, step=cell.step, printed=printed, message=(
                f"✘ the notebook has no {missing} yet, which the exercise needs: run the cells "
                "above it first (Run ▸ Run All Above), then the exercise cell and this one."))
        early = common(runs, probes, name=cell.name, hint_id=cell.hint_id,
                       task=f"Compute {cell.symbol} yourself, from {cell.inputs}.")
        if early is not None:
            return early

        def wrong(text: str, mistake: str | None = None, step: str | None = None) -> Verdict:
            return Verdict(passed=False, step=step or cell.step, mistake=mistake, message=text,
                           printed=printed)

        value = cell_value(cell.name)
        for r, p in zip(runs, probes, strict=True):
            if r.failure is not None:
                return wrong(_stopped(cell, r, p, probes))
        if any(cell.name not in r.value for r in runs):
            return wrong(f"✘ your exercise cell does not assign {cell.name}: write "
                         f"`{cell.name} = …` in it, computed from {cell.inputs}.")
        for r, p in zip(runs, probes, strict=True):
            if not _numbers(value(r)):
                return wrong(f"✘ on {p.title}: {_kind_problem(cell, value(r), p)}")
        if _constant(runs, probes, value):
            return wrong(f"✘ {cell.name} is the same on every problem the check tried, though "
                         f"the right value changes with {cell.inputs}: it is not computed from "
                         f"them (typed in, or copied from an output?). Compute it from "
                         f"{cell.inputs}.")
        for r, p in zip(runs, probes, strict=True):
            problem = _kind_problem(cell, value(r), p)
            if problem is not None and cell.shape_more is not None:
                more = cell.shape_more(value(r), p)
                problem += f" {more}" if more else ""
            if problem is not None:
                return wrong(f"✘ on {p.title}: {problem}")
        bad = [(r, p) for r, p in zip(runs, probes, strict=True) if not same(value(r), p.expected)]
        if not bad:
            others = len(probes) - 1
            return Verdict(passed=True, printed=printed, message=(
                f"✔ {cell.symbol} is correct, on the notebook's values and on {others} other "
                f"problems." if probes[0].own else
                f"✔ {cell.symbol} is correct on all {len(probes)} problems the check tried."))
        if cell.method is not None:
            verdict = cell.method(runs, probes)
            if verdict is not None:
                return Verdict(passed=False, step=verdict.step, mistake=verdict.mistake,
                               message=verdict.message, printed=printed)
        mistake = name_mistake(cell.piece, runs, probes, _line, value=value)
        r, p = bad[0]
        number = _is_number(p.expected)
        kind = "is a number, as it should be" if number else "has the right shape"
        if mistake is not None:
            text = (f"✘ {cell.symbol} {kind}, but it is exactly what you get with "
                    f"{mistake.title}: {mistake.explanation}.")
        else:
            entry = _direction(cell, value(r), p.expected) if cell.short else _size(
                cell, value(r), p.expected)
            off = "it is not the right one" if number else "its values are not the right ones"
            text = (f"✘ {cell.symbol} {kind}, but {off}, and none of the common mistakes the "
                    f"check knows gives exactly {'it' if number else 'them'}.\n  On {p.title}, "
                    f"{entry}.")
            text += f"\n  Stuck? hint({cell.hint_id!r}) gives the idea."
        if probes[0].own and same(value(runs[0]), probes[0].expected):
            text += (f"\n  (It is right on {probes[0].title}, but not on {p.title}: the cell "
                     f"must compute it from {cell.inputs}, not fit one problem.)")
        return wrong(text, mistake.id if mistake else None)

    return judge


# ---- 00-n-params --------------------------------------------------------------------------------

N_PARAMS_READS = ("p", "s", "L", "bp", "broken")
"""The names notebook 00 defines before its exercise (its section 2)."""


def _names_00(problem: Any) -> dict[str, Any]:
    """Notebook 00's names for a network, as its section 2 builds them."""
    import nbhelpers as nb

    s = dict(enumerate(layer_sizes(problem.Theta), start=1))
    names = {"p": problem, "s": s, "L": len(s),
             "bp": nb.backprop_example(problem.Theta, problem.X[0], problem.Y[0])}
    if len(problem.Theta) >= 2:
        broken = dict(problem.Theta)
        broken[2] = problem.Theta[2][:, 1:]
        names["broken"] = broken
    return names


def _count(names: Mapping[str, Any]) -> int:
    return int(sum(np.asarray(T).size for T in names["p"].Theta.values()))


def random_problem(sizes: Sequence[int], m: int, seed: int) -> Any:
    """A network of the given layer sizes with weights and m examples drawn from ``seed``
    (entries with two decimals, inputs in (−1, 1), one-hot labels of distinct classes)."""
    from ...examples import one_hot
    from ...examples.networks import Problem

    rng = np.random.default_rng(seed)
    Theta = {l: np.round(rng.uniform(-1, 1, size=(sizes[l], sizes[l - 1] + 1)), 2)
             for l in range(1, len(sizes))}
    X = np.round(rng.uniform(-0.95, 0.95, size=(m, sizes[0])), 2)
    labels = (np.arange(m) + seed) % sizes[-1]
    return Problem(Theta, X, one_hot(labels, sizes[-1]))


def n_params_probes(seed: int | None, notebook: Mapping[str, Any] | None) -> list[CellProbe]:
    """The notebook's own names, then the lecture's network and networks of 2, 3 and 5 layers
    whose sizes all differ."""
    base = 301 if seed is None else seed
    out = own_probe(notebook, N_PARAMS_READS, _count)
    problems = [("the lecture's 3-5-5-4 network", lecture_network()),
                ("a 4-6-3 network", random_problem((4, 6, 3), 2, base)),
                ("a 2-4-3-3-2 network", random_problem((2, 4, 3, 3, 2), 2, base + 1)),
                ("a 5-2 network (no hidden layer)", random_problem((5, 2), 1, base + 2))]
    for title, problem in problems:
        names = _names_00(problem)
        out.append(CellProbe(title=title, values=names, expected=_count(names)))
    return with_modules(out, notebook)


def _explain_n_params(failure: Failure, probe: CellProbe) -> str:
    if failure.type == "AttributeError" and failure.message.startswith("'int' object"):
        return ("A whole number where a matrix was expected: looping over a dict such as "
                "p.Theta gives its keys, the layer numbers 1, 2, …; its matrices are its values "
                "(p.Theta.values(), or p.Theta[l]).")
    return ""


N_PARAMS_CELL = ValueCell(
    name="n_params", symbol="n_params", hint_id=N_PARAMS, step="parameters", piece="n_params",
    inputs="p.Theta", shape_why=lambda probe: "it is a single number",
    explain=_explain_n_params)

register(Exercise(
    id=N_PARAMS, kind="cell", name="n_params", names=("n_params",), reads=N_PARAMS_READS,
    probes=n_params_probes, judge=value_cell_judge(N_PARAMS_CELL), step="parameters", short=True,
    allowed=(layer_sizes,),
    fallback=_count))


def check_n_params() -> Any:
    """The check cell of 00-n-params: reads the exercise cell back, prints the verdict and
    returns the count the cells below use (yours when it is right)."""
    return check(N_PARAMS)


register_hints(N_PARAMS, [
    "Every parameter is one entry of one of the matrices Θ⁽¹⁾, …, Θ⁽ᴸ⁻¹⁾. Count the entries of "
    "each matrix, then add the counts up. Let the arrays count for you rather than typing the "
    "shapes.",
    "Θ⁽ˡ⁾ has s₍ₗ₊₁₎ × (sₗ + 1) entries (the + 1 is the bias column). The lecture's network "
    "has three matrices, Θ⁽¹⁾, Θ⁽²⁾ and Θ⁽³⁾, of shapes 5 × 4, 5 × 6 and 4 × 6: the answer is "
    "one number, the sum of three products rows × columns.",
    "n_params = sum(___ for T in p.Theta.___())",
])


# ---- notebook 04's check, until it moves to the exercise records ---------------------------------

def answer_source(name: str, history: Iterable[str] | None = None) -> str | None:
    """The code of the latest cell that assigns ``name`` (the exercise cell), read from the
    notebook's input history (IPython's ``In``; ``history`` replaces it), or None."""
    from ..notebook import source_of
    return source_of(name, history)


def names_used(source: str | None, names: Iterable[str]) -> str | None:
    """The first of ``names`` that ``source`` refers to (as a name or as an attribute such as
    ``nb.cost``), or None."""
    if not source:
        return None
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
    return next((n for n in names if n in used), None)


def refuse_package_call(exercise: str, name: str, used: str, reference: Any) -> Any:
    """The ✘ verdict for an answer whose cell calls the package's own ``used`` (found by
    :func:`names_used`); returns the reference for the cells below."""
    return report(exercise, Result(False, reference, (
        refused(name, (f"nb.{used}",), "Write the steps yourself.")
        + "\n  (The cells below use the reference value.)"))).value


def cost_function(X: np.ndarray, Y: np.ndarray, lam: float) -> Callable[[Any], float]:
    """J(Θ) on a problem's examples as data: ``partial(nb.cost, X=X, Y=Y, lam=lam)``."""
    return partial(nbhelpers.cost, X=X, Y=Y, lam=lam)


__all__ = ["N_PARAMS", "N_PARAMS_CELL", "ValueCell", "answer_source", "cell_value",
           "check_n_params", "cost_function", "is_data", "line_value", "n_params_probes",
           "names_used", "own_names", "own_probe", "random_problem", "refuse_package_call",
           "value_cell_judge", "with_modules"]
