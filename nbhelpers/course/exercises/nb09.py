"""Notebook 09 (beyond the lecture): the checks and hints of its exercises.

``09-delta-l-squared``: the squared error's δ⁽ᴸ⁾ for one example, in a top-level cell, from h and
y (``delta_L_squared = nb09.check_delta_L_squared()``). It is judged by
:func:`nb00.value_cell_judge`: run again on the notebook's example and on examples of other
networks (other K), so that numbers pasted from an output cannot pass, and no message shows an
expected entry — the answer has only a few.

``09-relu-gradient``: ``relu_gradient(z)``, ReLU's slope entry by entry with g′(0) = 0, a function
(``relu_gradient = nb09.check_relu_gradient()``), tried on arrays of several shapes with zeros
among their entries; a function that changes the caller's z, or calls ``nb.relu_gradient``, is
refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

import nbhelpers as nb
from nbhelpers.course import mistakes as catalogue
from nbhelpers.course.evidence import Run
from nbhelpers.course.exercise import Exercise, register, register_hints
from nbhelpers.course.exercises.nb00 import (
    ValueCell,
    line_value,
    own_probe,
    random_problem,
    value_cell_judge,
    with_modules,
)
from nbhelpers.course.judging import (
    CallProbe,
    CellProbe,
    common,
    failure_text,
    first_entry,
    name_mistake,
    printed_of,
    value_problem,
)
from nbhelpers.course.verdict import Verdict, same

from ..check_cell import check

DELTA_L_SQUARED = "09-delta-l-squared"
RELU_GRADIENT = "09-relu-gradient"

register_hints(DELTA_L_SQUARED, [
    "Follow the chain rule above: δ⁽ᴸ⁾ = ∂c/∂h · g′(z⁽ᴸ⁾). First differentiate ½(h − y)² with "
    "respect to h. Then ask what is left to multiply: with the squared error nothing cancels "
    "the output's slope g′(z⁽ᴸ⁾). The exercise wants h and y alone, so write that slope with the "
    "sigmoid's output, as section 1 (and notebook 03) did.",
    "h, y and δ⁽ᴸ⁾ are vectors with one entry per output unit (K = 4 here); ∂c/∂h and g′(z⁽ᴸ⁾) "
    "have that shape too. Every operation is entry by entry (numpy's *), no matrix product (@): "
    "δ⁽ᴸ⁾ₖ depends only on hₖ and yₖ.",
    "dc_dh = ___                 # ∂c/∂h for c = ½(h − y)², from h and y\n"
    "g_prime = ___               # g′(z⁽ᴸ⁾) written with h alone\n"
    "delta_L_squared = ___ * ___       # chain rule: ∂c/∂h times g′(z⁽ᴸ⁾), entry by entry",
])

register_hints(RELU_GRADIENT, [
    "ReLU is a straight line of slope 0 left of the origin and of slope 1 right of it; at 0 "
    "we choose 0. So g′ only has to ask, entry by entry, on which side of 0 each z lies.",
    "z can have any shape: the check passes vectors, matrices and arrays of more dimensions. The "
    "result must have exactly z's shape, one slope per entry, as floats (numbers, not "
    "True/False). A Python `if` looks at one number at a time, so it cannot decide for a whole "
    "array.",
    "def relu_gradient(z):\n"
    "    slope = ___        # 1.0 where z is on one side of 0, 0.0 elsewhere, z's shape\n"
    "    return ___",
])


# ---- 09-delta-l-squared -----------------------------------------------------------------------

DELTA_L_READS = ("p", "Theta", "X", "Y", "L", "x", "y", "fp", "z", "h")
"""The names notebook 09 defines before its first exercise (section 1)."""


def squared_delta(names: Mapping[str, Any]) -> np.ndarray:
    """δ⁽ᴸ⁾ of the squared error for the names' example: (h − y) .* g′(z⁽ᴸ⁾), g′ from h."""
    h, y = np.asarray(names["h"], dtype=float), np.asarray(names["y"], dtype=float)
    return (h - y) * h * (1 - h)


def _delta_names(problem: Any, i: int) -> dict[str, Any]:
    """Notebook 09's names for example i (0-based) of a problem, as its section 1 builds them."""
    Theta, X, Y = problem.Theta, problem.X, problem.Y
    L = len(Theta) + 1
    x, y = X[i], Y[i]
    fp = nb.forward_propagate(Theta, x)
    return {"p": problem, "Theta": Theta, "X": X, "Y": Y, "L": L, "x": x, "y": y, "fp": fp,
            "z": fp.z[L], "h": fp.h}


def delta_L_probes(seed: int | None, notebook: Mapping[str, Any] | None) -> list[CellProbe]:
    """The notebook's own example, then the lecture's second example and examples of networks
    with 2, 3 and 6 output units."""
    out = own_probe(notebook, DELTA_L_READS, squared_delta)
    base = 901 if seed is None else seed
    lecture = nb.lecture_network()
    for title, problem, i in [
            ("the lecture's network, example 1", lecture, 0),
            ("the lecture's network, example 2", lecture, 1),
            ("a 3-4-2 network (K = 2)", random_problem((3, 4, 2), 2, base), 1),
            ("a 2-5-3 network (K = 3)", random_problem((2, 5, 3), 2, base + 1), 0),
            ("a 4-3-5-6 network (K = 6)", random_problem((4, 3, 5, 6), 3, base + 2), 2)]:
        names = _delta_names(problem, i)
        out.append(CellProbe(title=title, values=names, expected=squared_delta(names)))
    return with_modules(out, notebook)


DELTA_L_CELL = ValueCell(
    name="delta_L_squared", symbol="δ⁽ᴸ⁾ (squared error)", hint_id=DELTA_L_SQUARED,
    step="output_delta", piece="delta_L_squared", inputs="h and y",
    shape_why=lambda probe: f"δ⁽ᴸ⁾ has one entry per output unit (K = {len(probe.expected)})")

register(Exercise(
    id=DELTA_L_SQUARED, kind="cell", name="δ⁽ᴸ⁾ (squared error)", names=("delta_L_squared",),
    reads=DELTA_L_READS, probes=delta_L_probes, judge=value_cell_judge(DELTA_L_CELL),
    allowed=(nb.sigmoid, nb.sigmoid_gradient), step="output_delta", short=True,
    fallback=squared_delta))


def check_delta_L_squared() -> Any:
    """The check cell of 09-delta-l-squared: reads the exercise cell back, prints the verdict and
    returns the δ⁽ᴸ⁾ the cells below use (yours when it is right)."""
    return check(DELTA_L_SQUARED)


# ---- 09-relu-gradient -------------------------------------------------------------------------

def reference_relu_gradient(z: Any) -> np.ndarray:
    """g′(z) of max(0, z) entry by entry, g′(0) = 0: what the cells below use when yours is
    not right yet."""
    return nb.relu_gradient(z)


def relu_probes(seed: int | None, notebook: Mapping[str, Any] | None) -> list[CallProbe]:
    """A vector, a matrix, a column and a 3-d array of z, each with zeros (the corner) and
    entries on both sides of it; a seed draws other values of the same shapes."""
    rng = np.random.default_rng(903 if seed is None else seed)

    def draw(shape: tuple[int, ...]) -> np.ndarray:
        z = np.round(rng.uniform(-3, 3, size=shape), 2)
        flat = z.reshape(-1)
        flat[0], flat[-1] = -abs(flat[0]) - 0.5, abs(flat[-1]) + 0.5
        inner = rng.choice(np.arange(1, flat.size - 1), size=max(1, flat.size // 4), replace=False)
        flat[inner] = 0.0
        return z

    arrays = [("a vector of 5 entries", draw((5,))), ("a 2 × 3 matrix", draw((2, 3))),
              ("a column of 7 entries (7 × 1)", draw((7, 1))),
              ("a 2 × 3 × 2 array", draw((2, 3, 2)))]
    return [CallProbe(title=title, arguments=(z,), expected=reference_relu_gradient(z))
            for title, z in arrays]


def _relu_line(mistake: catalogue.Mistake, line: str, probe: CallProbe) -> Any:
    return line_value(line, CellProbe(title=probe.title, values={"z": probe.args()[0]}))


def judge_relu(runs: Sequence[Run], probes: Sequence[CallProbe]) -> Verdict:
    """g′(z) on every probe: stopped, kind and shape, values; a mistake named when its line
    gives the student's result on every probe."""
    name, printed = "relu_gradient", printed_of(runs)
    early = common(runs, probes, name=name, hint_id=RELU_GRADIENT,
                   task="Compute the slope from z yourself, entry by entry.")
    if early is not None:
        return early
    for r, p in zip(runs, probes, strict=True):
        if r.failure is not None:
            text = failure_text(name, r.failure, p)
            if "truth value of an array" in r.failure.message:
                text += ("\n  A Python `if` (or `and`, `or`, `max`) asks about one number, but z "
                         "is a whole array: the slope is decided for every entry at once, with "
                         "numpy's operations on the whole array.")
            return Verdict(passed=False, step="g_prime", message=text, printed=printed)
    for r, p in zip(runs, probes, strict=True):
        problem = value_problem("relu_gradient(z)", r.value, p.expected,
                                shape_why="g′ is taken entry by entry, so it has the shape of z")
        if problem is not None:
            return Verdict(passed=False, step="g_prime", printed=printed,
                           message=f"✘ on {p.title}: {problem}")
    bad = [(r, p) for r, p in zip(runs, probes, strict=True) if not same(r.value, p.expected)]
    if not bad:
        return Verdict(passed=True, printed=printed, message=(
            f"✔ relu_gradient is correct on all {len(probes)} arrays (a vector, a matrix, a "
            "column and a 3-d array, zeros among their entries)."))
    mistake = name_mistake("relu_gradient", runs, probes, _relu_line, value=lambda r: r.value)
    r, p = bad[0]
    if mistake is not None:
        text = (f"✘ relu_gradient(z) has the right shape, but its values are exactly what you get "
                f"with {mistake.title}: {mistake.explanation}.")
    else:
        text = ("✘ relu_gradient(z) has the right shape, but not the right values, and none of "
                "the common mistakes the check knows gives exactly them.\n  On "
                f"{p.title}, {first_entry('g′(z)', r.value, p.expected)}.\n  Stuck? "
                f"hint({RELU_GRADIENT!r}) gives the idea.")
    return Verdict(passed=False, step="g_prime", mistake=mistake.id if mistake else None,
                   message=text, printed=printed)


register(Exercise(
    id=RELU_GRADIENT, kind="function", name="relu_gradient", names=("z",), probes=relu_probes,
    judge=judge_relu, step="g_prime", fallback=lambda names: reference_relu_gradient))


def check_relu_gradient() -> Any:
    """The check cell of 09-relu-gradient: returns the function the cells below use (yours when
    it is right, otherwise a right one)."""
    return check(RELU_GRADIENT)


__all__ = ["DELTA_L_SQUARED", "RELU_GRADIENT", "check_delta_L_squared", "check_relu_gradient",
           "delta_L_probes", "judge_relu", "reference_relu_gradient", "relu_probes",
           "squared_delta"]
