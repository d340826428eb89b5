"""Notebook 07 (learning): the checks and hints of its exercises.

``gradient_descent = nb07.check_gradient_descent()`` runs the student's loop (which may call
``nb.backprop`` and ``nb.cost``, no other function of the package) on problems of its own and
names a mistake when the loop with its line reproduces the final Θ; ``predicted =
nb07.check_predicted()`` checks the predicted digits (the exercise cell run again on other
networks' outputs). Importing the module registers the hints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np

import nbhelpers as nb
from nbhelpers.course.exercise import register_hints
from nbhelpers.course.exercises.nb00 import ValueCell, own_probe, value_cell_judge, with_modules
from nbhelpers.validation import sup

from ..check_cell import check
from ..evidence import Run
from ..exercise import Exercise, register
from ..judging import CallProbe, CellProbe, common, failure_text, name_mistake, printed_of
from ..steps import evaluate
from ..verdict import Verdict, off_by, same
from .pieces import mistake_text, network

GD = "07-gradient-descent"
PREDICTED = "07-predicted"
TOLERANCE = 1e-7
REFERENCE_NOTE = "\n  (The cells below use the reference function.)"
register_hints(GD, [
    "Each iteration does two things, in this order: compute D at the current Θ with "
    "backpropagation (nb.backprop), then move every layer's Θ⁽ˡ⁾ a step of size α against its "
    "D⁽ˡ⁾. Record J(Θ) once before the first step and once after every step. Work on a copy of Θ, "
    "so that the caller's Θ does not change.",
    "Θ and D are dicts keyed by the lecture's layer numbers l = 1…L−1; Θ⁽ˡ⁾ and D⁽ˡ⁾ have the same "
    "shape s₍ₗ₊₁₎ × (sₗ + 1), so the update is entry by entry, bias column j = 0 included (the "
    "regularization is already inside D). After `iterations` steps, `costs` holds "
    "iterations + 1 numbers.",
    "Theta = {l: ___ for l, T in Theta.items()}      # a copy of every layer\n"
    "costs = [nb.cost(___, X, Y, lam)]\n"
    "for _ in range(___):\n"
    "    D = nb.backprop(___, X, Y, lam)\n"
    "    for l in ___:\n"
    "        Theta[l] = ___\n"
    "    costs.append(___)\n"
    "return ___, ___",
])

register_hints(PREDICTED, [
    "The network's answer for one digit is the output unit with the largest activation "
    "h_Θ(x)ₖ. Output unit k = 1…K stands for the digit k − 1, so with numpy's 0-based column "
    "index the column number is the digit itself.",
    "h_test has one row per test digit and one column per output unit (m_test × K); predicted "
    "needs one whole number per row, shape (m_test,): reduce along axis 1, the columns.",
    "predicted = np.___(h_test, axis=___)",
])



DESCENT: dict[str, str] = {
    "descent_gradient": "backprop(T, X, Y, lam)",
    "descent_update": "T_l - alpha * D_l",
    "descent_steps": "iterations",
}
"""Gradient descent as three one-line pieces (the catalogue's mistakes of this exercise replace
one of them): D at the current Θ (``T``), the update of one layer, the number of steps."""


def descend(Theta: Mapping[int, np.ndarray], X: np.ndarray, Y: np.ndarray, lam: float,
            alpha: float, iterations: int, replace: Mapping[str, str] | None = None,
            ) -> tuple[dict[int, np.ndarray], list[float]]:
    """Θ after gradient descent, and the costs (the start, then one after every step), with
    the pieces in ``replace`` written otherwise."""
    lines = {**DESCENT, **(replace or {})}
    start = {l: np.array(T, dtype=float) for l, T in Theta.items()}
    T = {l: W.copy() for l, W in start.items()}
    m = len(X)
    costs = [nb.cost(T, X, Y, lam)]
    for _ in range(int(evaluate(lines["descent_steps"], iterations=iterations))):
        D = evaluate(lines["descent_gradient"], backprop=nb.backprop, T=T, Theta_start=start,
                     X=X, Y=Y, lam=lam)
        T = {l: np.asarray(evaluate(lines["descent_update"], T_l=T[l], D_l=np.asarray(D[l]),
                                    alpha=alpha, m=m), dtype=float) for l in T}
        costs.append(nb.cost(T, X, Y, lam))
    return T, costs


def reference_gradient_descent(Theta: Mapping[int, np.ndarray], X: np.ndarray, Y: np.ndarray,
                               lam: float, alpha: float,
                               iterations: int) -> tuple[dict[int, np.ndarray], list[float]]:
    """The right loop: Θ⁽ˡ⁾ := Θ⁽ˡ⁾ − αD⁽ˡ⁾ for every l, `iterations` times, D from nb.backprop."""
    return descend(Theta, X, Y, lam, alpha, iterations)


GD_PROBLEMS = (("the lecture's 3-5-5-4 network", (3, 5, 5, 4), 4, 1.0, 0.5, 5),
               ("a 3-4-2 network", (3, 4, 2), 5, 0.3, 2.0, 4),
               ("a 2-3-3-2 network", (2, 3, 3, 2), 3, 0.0, 1.0, 3),
               ("a 3-4-2 network", (3, 4, 2), 4, 0.7, 1.0, 1))
"""(network, sizes, m, λ, α, steps): three depths, λ = 0 and λ ≠ 1, one step and several."""


def gd_probes(seed: int | None, notebook: Mapping[str, Any] | None = None) -> list[CallProbe]:
    rng = np.random.default_rng(7071 if seed is None else seed)
    out = []
    for title, sizes, m, lam, alpha, steps in GD_PROBLEMS:
        if sizes == (3, 5, 5, 4) and seed is None:
            p = nb.lecture_network(m)
            Theta = {l: np.array(T, dtype=float) for l, T in p.Theta.items()}
            X, Y = np.array(p.X, dtype=float), np.array(p.Y, dtype=float)
        else:
            Theta, X, Y = network(sizes, m, rng)
        out.append(CallProbe(
            title=f"{title}, m = {m}, λ = {lam:g}, α = {alpha:g}, {steps} step"
                  + ("s" if steps > 1 else ""),
            arguments=(Theta, X, Y, lam, alpha, steps),
            expected=descend(Theta, X, Y, lam, alpha, steps)))
    return out


def _pair(value: Any) -> tuple[Any, Any] | None:
    if isinstance(value, tuple | list) and len(value) == 2:
        return value[0], value[1]
    return None


def _theta_problem(got: Any, probe: CallProbe) -> str | None:
    """What is wrong with the returned Θ as a container (type, keys, shapes), or None."""
    want = probe.expected[0]
    keys = sorted(want)
    if not isinstance(got, Mapping):
        return (f"the Θ you return is a {type(got).__name__}; return a dict keyed by the layer "
                f"numbers {keys}, like the Θ passed in.")
    if sorted(got, key=repr) != keys:
        extra = " (counted from 0: keep the lecture's layer numbers l = 1…L−1)" if 0 in got else ""
        return f"the Θ you return has the keys {sorted(got, key=repr)}, not {keys}{extra}."
    for l in keys:
        try:
            arr = np.asarray(got[l], dtype=float)
        except (TypeError, ValueError):
            return f"Θ{sup(l)} in what you return is a {type(got[l]).__name__}, not numbers."
        if arr.shape != want[l].shape:
            return (f"Θ{sup(l)} comes back with shape {arr.shape}, but it keeps its shape "
                    f"{want[l].shape}: each step changes the values of Θ⁽ˡ⁾, never its shape.")
    return None


def _costs_problem(costs: Any, probe: CallProbe) -> str | None:
    """What is wrong with the costs when the final Θ is right, or None."""
    want = probe.expected[1]
    steps = probe.args()[5]
    try:
        got = [float(c) for c in costs]
    except (TypeError, ValueError):
        return (f"the second thing you return should be the list of costs J(Θ), but it is a "
                f"{type(costs).__name__}.")
    if len(got) == len(want) and np.allclose(got, want, rtol=1e-9, atol=1e-12):
        return None
    if len(got) == len(want) - 1 and np.allclose(got, want[1:], rtol=1e-9):
        return "costs misses its first entry: J at the starting Θ, before any step."
    if len(got) == len(want) - 1 and np.allclose(got, want[:-1], rtol=1e-9):
        return ("costs holds J before each step, but not after the last one: record J once "
                "before the loop and once after every step.")
    if len(got) != len(want):
        return (f"costs has {len(got)} entries; after {steps} step{'s' if steps > 1 else ''} it "
                f"needs {len(want)}: J at the start, then J after every step.")
    return ("the costs are not J(Θ) at the start and after each step, with the λ of the "
            "problem: " + off_by("costs", got, want) + ".")


def judge_gd(runs: Sequence[Run], probes_: Sequence[CallProbe]) -> Verdict:
    """The verdict on gradient_descent from its runs."""
    name_, printed = "gradient_descent", printed_of(runs)
    early = common(runs, probes_, name=name_, hint_id=GD,
                   task="Write the loop yourself, with D from nb.backprop and J from nb.cost.")
    if early is not None:
        return early

    def verdict(step: str = "gradient_descent", **fields: Any) -> Verdict:
        return Verdict(passed=False, printed=printed, step=step, **fields)

    for r, p in zip(runs, probes_, strict=True):
        if r.failure is not None:
            Theta = p.args()[0]
            text = failure_text(name_, r.failure, p, {})
            text += ("\n  Here Θ and D are dicts keyed by the layer numbers "
                     f"{', '.join(map(str, sorted(Theta)))}, and Θ⁽ˡ⁾ and D⁽ˡ⁾ have the same shape "
                     f"({', '.join(str(T.shape) for _, T in sorted(Theta.items()))}): the update "
                     "is entry by entry.")
            return verdict(message=text)
    for r, p in zip(runs, probes_, strict=True):
        pair = _pair(r.value)
        if pair is None:
            kind = "nothing" if r.value is None else f"a {type(r.value).__name__}"
            return verdict(step="return", mistake="wrong_return", message=(
                f"✘ gradient_descent returns {kind}; it must return two things, the final Θ and "
                "the list of costs (return Theta, costs)."))
        problem = _theta_problem(pair[0], p)
        if problem is not None:
            return verdict(step="return", mistake="wrong_return", message=f"✘ On {p.title}: {problem}")
    wrong = [(r, p) for r, p in zip(runs, probes_, strict=True)
             if not all(same(_pair(r.value)[0][l], T) for l, T in p.expected[0].items())]
    if not wrong:
        for r, p in zip(runs, probes_, strict=True):
            problem = _costs_problem(_pair(r.value)[1], p)
            if problem is not None:
                return verdict(message=f"✘ The final Θ is right, but on {p.title}, {problem}")
        return Verdict(passed=True, printed=printed, message=(
            f"✔ gradient_descent is correct on all {len(probes_)} problems (three depths, λ = 0 "
            "and λ > 0, one step and several), and leaves the Θ it is given as it was."))

    def line(mistake: Any, text: str, probe: CallProbe) -> Any:
        return descend(*probe.args(), {mistake.piece: text})[0]

    mistake = name_mistake(tuple(DESCENT), runs, probes_, line,
                           value=lambda r: {l: np.asarray(v, dtype=float)
                                            for l, v in _pair(r.value)[0].items()})
    r, p = wrong[0]
    got = {l: np.asarray(v, dtype=float) for l, v in _pair(r.value)[0].items()}
    start, want = p.args()[0], p.expected[0]
    unchanged = [l for l in want if np.array_equal(got[l], start[l])
                 and not np.array_equal(want[l], start[l])]
    text = [f"✘ On {p.title}, the final Θ is not right."]
    if len(unchanged) == len(want):
        text.append("Θ comes back unchanged: no layer was updated.")
    elif unchanged:
        text.append(", ".join(f"Θ{sup(l)}" for l in unchanged) + " did not change: the update "
                    "must reach every layer l = 1…L−1.")
    text.append(mistake_text(mistake))
    if mistake is None:
        l = next(l for l in sorted(want) if not same(got[l], want[l]))
        text.append(off_by(f"The final Θ{sup(l)}", got[l], want[l], lecture_indices=True) + ".")
    return verdict(mistake=mistake.id if mistake else None, message="\n  ".join(text))


register(Exercise(
    id=GD, kind="function", name="gradient_descent",
    names=("Theta", "X", "Y", "lam", "alpha", "iterations"), probes=gd_probes, judge=judge_gd,
    allowed=(nb.backprop, nb.cost), step="gradient_descent",
    fallback=lambda names: reference_gradient_descent))


def check_gradient_descent() -> Any:
    """The check cell of 07-gradient-descent: returns the function later cells use (yours when
    it is right, otherwise the right one)."""
    return check(GD)


# ---- 07-predicted: the predicted digit of every test example ------------------------------------
# A top-level cell judged by nb00.value_cell_judge: run again on the notebook's h_test and on the
# outputs of other networks for other test sets, so that only the computation passes.

PREDICTED_READS = ("h_test", "K", "digits", "lbfgs")
"""The names notebook 07 defines before its predictions exercise that the exercise is about."""


def predicted_digits(names: Mapping[str, Any]) -> np.ndarray:
    """The column of the largest output in each row of the names' h_test."""
    return np.argmax(np.asarray(names["h_test"], dtype=float), axis=1)


def _predicted_names(sizes: tuple[int, ...], m_test: int, seed: int) -> dict[str, Any]:
    """Notebook 07's names for a network of these sizes and a test set of m_test inputs."""
    rng = np.random.default_rng(seed)
    Theta = nb.init_weights(sizes, epsilon_init=1.0, rng=rng)
    X_test = np.round(rng.uniform(0.0, 1.0, size=(m_test, sizes[0])), 2)
    h_test = nb.forward_propagate(Theta, X_test).h
    labels = rng.integers(0, sizes[-1], size=m_test)
    return {"h_test": h_test, "K": sizes[-1], "lbfgs": SimpleNamespace(Theta=Theta),
            "digits": SimpleNamespace(X_test=X_test, labels_test=labels)}


def predicted_probes(seed: int | None, notebook: Mapping[str, Any] | None) -> list[CellProbe]:
    """The notebook's own h_test, then the outputs of three other networks for test sets of 40,
    25 and 12 inputs of 64 pixels (so that m_test is never K)."""
    out = own_probe(notebook, PREDICTED_READS, predicted_digits)
    base = 701 if seed is None else seed
    for k, (title, sizes, m_test) in enumerate([
            ("a 64-8-10 network, 40 test inputs", (64, 8, 10), 40),
            ("a 64-5-10 network, 25 test inputs", (64, 5, 10), 25),
            ("a 64-6-6-10 network, 12 test inputs", (64, 6, 6, 10), 12)]):
        names = _predicted_names(sizes, m_test, base + k)
        out.append(CellProbe(title=title, values=names, expected=predicted_digits(names)))
    return with_modules(out, notebook)


def _predicted_shape(got: Any, probe: CellProbe) -> str:
    """What a wrong-shaped prediction holds, read from its shape against h_test's."""
    rows, columns = np.shape(probe.values["h_test"])
    shape = np.shape(got) if isinstance(got, np.ndarray | list | tuple | int | float | np.number) \
        else None
    if shape == ():
        return ("It is a single number for the whole matrix: the prediction is made row by row, "
                "one digit for each test example.")
    if shape == (columns,) and columns != rows:
        return ("It has one entry per column of h_test (per output unit), where each row (each "
                "test example) needs one: reduce across the columns of every row.")
    return ""


PREDICTED_CELL = ValueCell(
    name="predicted", symbol="predicted", hint_id=PREDICTED, step="predict", piece="predicted",
    inputs="h_test", short=False, shape_more=_predicted_shape,
    shape_why=lambda probe: (f"one predicted digit per test example, and h_test has "
                             f"{len(probe.expected)} rows"))

register(Exercise(
    id=PREDICTED, kind="cell", name="predicted", names=("predicted",), reads=PREDICTED_READS,
    probes=predicted_probes, judge=value_cell_judge(PREDICTED_CELL), step="predict",
    fallback=predicted_digits))


def check_predicted() -> Any:
    """The check cell of 07-predicted: reads the exercise cell back, prints the verdict and
    returns the digits the cells below use (yours when they are right)."""
    return check(PREDICTED)


# ---- end of 07-predicted ----------------------------------------------------------------------------


def compare_runs(Theta_a: Mapping[int, np.ndarray], costs_a: list[float],
                 Theta_b: Mapping[int, np.ndarray], costs_b: list[float]) -> float:
    """The largest difference between two training runs, over every Θ entry and every J."""
    theta = max(float(np.max(np.abs(np.asarray(Theta_a[l]) - np.asarray(Theta_b[l]))))
                for l in Theta_b)
    costs = float(np.max(np.abs(np.asarray(costs_a) - np.asarray(costs_b))))
    return max(theta, costs)
