"""Notebook 07 (learning): the checks and hints of its exercises.

``gradient_descent = nb07.check_gradient_descent(gradient_descent)`` runs the student's loop on
problems of its own and names the mistake; ``predicted = nb07.check_predicted()`` checks the
predicted digits (the exercise cell run again on other networks' outputs). Importing the
module registers the hints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any

import numpy as np

import nbhelpers as nb
from nbhelpers.course.exercise import Exercise, register
from nbhelpers.course.exercises.nb00 import ValueCell, own_probe, value_cell_judge, with_modules
from nbhelpers.course.feedback import Mistake, Result, report
from nbhelpers.course.hints import register_hints
from nbhelpers.course.judging import CellProbe
from nbhelpers.course.student_code import did_not_return, run_student
from nbhelpers.validation import sup

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


def reference_gradient_descent(Theta: Mapping[int, np.ndarray], X: np.ndarray, Y: np.ndarray,
                               lam: float, alpha: float,
                               iterations: int) -> tuple[dict[int, np.ndarray], list[float]]:
    """The reference: Θ⁽ˡ⁾ := Θ⁽ˡ⁾ − αD⁽ˡ⁾ for every l, `iterations` times, D from nb.backprop."""
    Theta = {l: np.array(T, dtype=float) for l, T in Theta.items()}
    costs = [nb.cost(Theta, X, Y, lam)]
    for _ in range(iterations):
        D = nb.backprop(Theta, X, Y, lam)
        Theta = {l: Theta[l] - alpha * D[l] for l in Theta}
        costs.append(nb.cost(Theta, X, Y, lam))
    return Theta, costs


def _run(Theta: Mapping[int, np.ndarray], X: np.ndarray, Y: np.ndarray, lam: float,
         iterations: int, step: Callable[[dict, dict], dict], *,
         gradient_once: bool = False) -> dict[int, np.ndarray]:
    """Θ after `iterations` updates ``Theta = step(Theta, D)`` (a wrong variant of the loop)."""
    Theta = {l: np.array(T, dtype=float) for l, T in Theta.items()}
    D = nb.backprop(Theta, X, Y, lam)
    for _ in range(iterations):
        if not gradient_once:
            D = nb.backprop(Theta, X, Y, lam)
        Theta = step(Theta, D)
    return Theta


def _theta_mistakes(Theta: Mapping[int, np.ndarray], X: np.ndarray, Y: np.ndarray, lam: float,
                    alpha: float, iterations: int) -> list[Mistake]:
    """The final Θ that each common mistake in the loop produces."""
    m = len(X)

    def no_bias(T: dict, D: dict) -> dict:
        new = {l: T[l] - alpha * D[l] for l in T}
        for l in new:
            new[l][:, 0] = T[l][:, 0]
        return new

    def run(step: Callable[[dict, dict], dict], **kw: Any) -> dict[int, np.ndarray]:
        return _run(Theta, X, Y, lam, iterations, step, **kw)

    subtract = {"step": lambda T, D: {l: T[l] - alpha * D[l] for l in T}}
    return [
        Mistake("add αD⁽ˡ⁾ instead of subtracting it: that climbs up J instead of going down",
                run(lambda T, D: {l: T[l] + alpha * D[l] for l in T})),
        Mistake("leave out the learning rate α (Θ⁽ˡ⁾ − D⁽ˡ⁾)",
                run(lambda T, D: {l: T[l] - D[l] for l in T})),
        Mistake("compute D only once, before the loop: D must be recomputed at the new Θ "
                "before every step", run(subtract["step"], gradient_once=True)),
        Mistake("leave the bias column j = 0 out of the update (the lecture's D⁽ˡ⁾ᵢ₀ is a "
                "gradient like any other; only the regularization skips j = 0)", run(no_bias)),
        Mistake("divide by m once more: D⁽ˡ⁾ already contains the 1/m",
                run(lambda T, D: {l: T[l] - alpha / m * D[l] for l in T})),
        Mistake(f"take one step too many (range(iterations + 1) makes {iterations + 1} steps)",
                _run(Theta, X, Y, lam, iterations + 1, subtract["step"])),
        Mistake(f"take one step too few ({iterations - 1} steps instead of {iterations})",
                _run(Theta, X, Y, lam, iterations - 1, subtract["step"])),
    ]


def _cases() -> list[tuple[str, tuple]]:
    lecture = nb.lecture_network(m=4)
    small = nb.debug_problem([3, 4, 2], m=5)
    return [
        ("the lecture's 3-5-5-4 network, m = 4, λ = 0, α = 1, 3 steps",
         (lecture.Theta, lecture.X, lecture.Y, 0.0, 1.0, 3)),
        ("the lecture's network, m = 4, λ = 1, α = 0.5, 5 steps",
         (lecture.Theta, lecture.X, lecture.Y, 1.0, 0.5, 5)),
        ("a 3-4-2 network (L = 3), m = 5, λ = 0.3, α = 2, 4 steps",
         (small.Theta, small.X, small.Y, 0.3, 2.0, 4)),
    ]


def _copy_args(args: tuple) -> tuple:
    Theta, X, Y, *rest = args
    return ({l: np.array(T, dtype=float) for l, T in Theta.items()}, X.copy(), Y.copy(), *rest)


def _explain_exception(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, ValueError) and "matmul" in text:
        return ("A matrix product whose inner dimensions do not match. Θ⁽ˡ⁾ and D⁽ˡ⁾ have "
                "the same shape s₍ₗ₊₁₎ × (sₗ + 1); the update needs no product at all.")
    if isinstance(exc, KeyError):
        return ("Θ and D are keyed by the layer numbers l = 1…L−1 (loop over `Theta`, or "
                "range(1, L)); a key 0 or L does not exist.")
    return ""


def _theta_verdict(got: Any, want: dict[int, np.ndarray], start: Mapping[int, np.ndarray],
                   mistakes: list[Mistake], case: str) -> str | None:
    """None when the returned Θ is right, else the message naming what is wrong."""
    if not isinstance(got, Mapping):
        return (f"✘ the Θ you return is a {type(got).__name__}; return a dict keyed by the layer "
                f"numbers {list(want)}, like the Θ passed in.")
    if sorted(got) != sorted(want):
        extra = " (0-based keys: keep the lecture's layer numbers l = 1…L−1)" if 0 in got else ""
        return f"✘ the Θ you return has the keys {sorted(got)}, not {list(want)}{extra}."
    try:
        arrays = {l: np.asarray(got[l], dtype=float) for l in want}
    except (TypeError, ValueError):
        return "✘ the Θ you return does not hold arrays of numbers."
    for l in want:
        if arrays[l].shape != want[l].shape:
            return (f"✘ Θ{sup(l)} comes back with shape {arrays[l].shape}, but it must keep its shape "
                    f"{want[l].shape}: each step changes the values of Θ⁽ˡ⁾, never its shape.")
    if all(np.allclose(arrays[l], want[l], rtol=TOLERANCE, atol=TOLERANCE) for l in want):
        return None
    unchanged = [l for l in want
                 if np.array_equal(arrays[l], start[l]) and not np.array_equal(want[l], start[l])]
    if len(unchanged) == len(want):
        return "✘ Θ comes back unchanged: no layer was updated."
    if unchanged:
        names = ", ".join(f"Θ{sup(l)}" for l in unchanged)
        return (f"✘ {names} did not change: the update must reach every layer l = 1…L−1 "
                f"({case}).")
    for mistake in mistakes:
        if all(np.allclose(arrays[l], mistake.value[l], rtol=TOLERANCE, atol=TOLERANCE)
               for l in want):
            return f"✘ the final Θ is exactly what you get if you {mistake.description}."
    worst = max(float(np.max(np.abs(arrays[l] - want[l]))) for l in want)
    return (f"✘ the final Θ differs from the expected one by up to {worst:.3g} ({case}). "
            "Compare your loop with Θ⁽ˡ⁾ := Θ⁽ˡ⁾ − αD⁽ˡ⁾, D recomputed before every step.")


def _costs_verdict(costs: Any, want: list[float], iterations: int) -> str | None:
    try:
        got = [float(c) for c in costs]
    except (TypeError, ValueError):
        return (f"✘ the second value you return should be the list of costs J(Θ), but it is a "
                f"{type(costs).__name__}.")
    if len(got) == len(want) and np.allclose(got, want, rtol=TOLERANCE, atol=TOLERANCE):
        return None
    if len(got) == len(want) - 1 and np.allclose(got, want[1:], rtol=TOLERANCE):
        return "✘ costs misses its first entry: J at the starting Θ, before any step."
    if len(got) == len(want) - 1 and np.allclose(got, want[:-1], rtol=TOLERANCE):
        return ("✘ costs holds J before each step, but not after the last one: append J after "
                "every step, and record the start once before the loop.")
    if len(got) != len(want):
        return (f"✘ costs has {len(got)} entries; after {iterations} steps it needs "
                f"{len(want)}: J at the start, then J after every step.")
    return "✘ the costs are not J(Θ) at the start and after each step, with the same λ."


def _check_gradient_descent(function: Any) -> Result:
    reference = reference_gradient_descent
    if function is Ellipsis or function is None or not callable(function):
        return Result(False, reference, "… gradient_descent is not a function yet: write "
                      "def gradient_descent(...) in the cell above, then run this cell again."
                      + REFERENCE_NOTE)
    for case, args in _cases():
        Theta, X, Y, lam, alpha, iterations = args
        want_theta, want_costs = reference(*_copy_args(args))
        run = run_student(function, _copy_args(args), forbidden=(nb.train,))
        problem = did_not_return("gradient_descent", run, function, task="It does the training "
                                 "for you: write the loop yourself.", hint_id=GD, case=case,
                                 explain=_explain_exception)
        if problem is not None:
            return Result(False, reference, problem + REFERENCE_NOTE)
        out, given = run.value, run.given
        if out is None or out is Ellipsis:
            return Result(False, reference, "… gradient_descent returns nothing yet: it must "
                          "return the final Θ and the list of costs." + REFERENCE_NOTE)
        if not isinstance(out, tuple | list) or len(out) != 2:
            return Result(False, reference, f"✘ gradient_descent returns a {type(out).__name__}; "
                          "it must return two things, the final Θ and the list of costs "
                          "(return Theta, costs)." + REFERENCE_NOTE)
        got_theta, got_costs = out
        if any(not np.array_equal(given[0][l], Theta[l]) for l in Theta):
            return Result(False, reference, "✘ gradient_descent changed the Θ it was given "
                          "(an in-place update such as Theta[l] -= … on the caller's arrays). "
                          "Work on a copy, so the starting Θ stays as it was." + REFERENCE_NOTE)
        msg = _theta_verdict(got_theta, want_theta, Theta,
                             _theta_mistakes(Theta, X, Y, lam, alpha, iterations), case)
        msg = msg or _costs_verdict(got_costs, want_costs, iterations)
        if msg:
            return Result(False, reference, msg + REFERENCE_NOTE)
    return Result(True, function, f"✔ gradient_descent is correct on all {len(_cases())} "
                  "problems (two depths, λ = 0 and λ > 0).")


def check_gradient_descent(function: Any) -> Callable[..., Any]:
    """Check the student's ``gradient_descent(Theta, X, Y, lam, alpha, iterations)``; return the
    function later cells should use (the student's when right, else the reference)."""
    return report(GD, _check_gradient_descent(function)).value


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
    from nbhelpers.course.feedback import check
    return check(PREDICTED)


# ---- end of 07-predicted ----------------------------------------------------------------------------


def compare_runs(Theta_a: Mapping[int, np.ndarray], costs_a: list[float],
                 Theta_b: Mapping[int, np.ndarray], costs_b: list[float]) -> float:
    """The largest difference between two training runs, over every Θ entry and every J."""
    theta = max(float(np.max(np.abs(np.asarray(Theta_a[l]) - np.asarray(Theta_b[l]))))
                for l in Theta_b)
    costs = float(np.max(np.abs(np.asarray(costs_a) - np.asarray(costs_b))))
    return max(theta, costs)
