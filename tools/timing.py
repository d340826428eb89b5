"""Timing side by side: interleaved repeated runs, medians, ratios, and the machine's limit.

The benchmark (``tools/bench/``, ``make bench``) measures through these functions, so every
number in ``docs/benchmarks.md`` means the same thing:

* the candidates run **interleaved**, one call of each per round, so that a burst of load on
  the machine slows every candidate alike instead of whichever happened to run then;
* each round starts with a different candidate (the order rotates), so none always runs first;
* every candidate runs **repeatedly**, and the **median** of its times is reported, which a
  few disturbed runs do not move;
* each time is also given as a **ratio** to a reference candidate measured in the same rounds.

Speed is measured and reported here, never asserted: the tests check this logic with a fake
clock, not how fast anything runs.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from nbhelpers.display.number_table import markdown_table
from nbhelpers.validation import whole_number

Clock = Callable[[], float]
Candidates = Mapping[str, Callable[[], object]]


def rotations(names: Sequence[str], rounds: int) -> list[list[str]]:
    """The call order of each round: round r runs the names rotated by r places.

    For A, B, C: [A, B, C], [B, C, A], [C, A, B], [A, B, C], … so every candidate runs first
    equally often and follows each of the others.
    """
    names = list(names)
    k = len(names)
    return [names[r % k:] + names[:r % k] for r in range(rounds)] if k else []


def interleaved(candidates: Candidates, repeats: int, *, warmup: int = 1,
                budget: float = math.inf, min_repeats: int = 3, settle: float = 0.0,
                clock: Clock = time.perf_counter,
                sleep: Callable[[float], None] = time.sleep) -> dict[str, list[float]]:
    """Seconds per call of each candidate, ``repeats`` calls each, interleaved round by round.

    Each candidate is first called ``warmup`` times untimed (its first call may allocate,
    import or fill caches); then every round calls each candidate once, in the order given by
    :func:`rotations`. The times are listed in the order they were measured.

    When the rounds have taken ``budget`` seconds, no further round starts once
    ``min_repeats`` rounds are complete (on a busy machine every run takes longer; the
    budget keeps the whole benchmark within its time, with fewer runs).

    With ``settle`` > 0 each turn first sleeps that many seconds and makes one untimed call:
    for candidates from different libraries, whose idle threads keep spinning for a while
    after their work (OpenBLAS's for about 0.1 s) and would slow whichever runs next. The
    timed call then starts with its own threads awake and the others' asleep.
    """
    if not candidates:
        raise ValueError("nothing to time: give at least one candidate.")
    repeats = whole_number(repeats, "repeats", 1, meaning="timed calls of each candidate")
    for fn in candidates.values():
        for _ in range(warmup):
            fn()
    times: dict[str, list[float]] = {name: [] for name in candidates}
    spent = 0.0
    for done, order in enumerate(rotations(list(candidates), repeats)):
        if done >= min_repeats and spent >= budget:
            break
        for name in order:
            if settle > 0:
                sleep(settle)
                candidates[name]()
            start = clock()
            candidates[name]()
            times[name].append(clock() - start)
            spent += times[name][-1]
    return times


def median(values: Sequence[float]) -> float:
    """The middle value (the mean of the two middle ones for an even count)."""
    if len(values) == 0:
        raise ValueError("the median of no measurements is undefined.")
    return float(statistics.median(values))


def ratios(medians: Mapping[str, float], reference: str) -> dict[str, float]:
    """Each median divided by the reference's median: 20.0 means 20 times as long."""
    if reference not in medians:
        raise KeyError(f"the reference {reference!r} was not measured; measured: {list(medians)}.")
    return {name: t / medians[reference] for name, t in medians.items()}


@dataclass(frozen=True)
class Comparison:
    """Candidates measured side by side: their times, medians and ratios to ``reference``."""

    times: dict[str, list[float]]
    reference: str

    @property
    def medians(self) -> dict[str, float]:
        """The median seconds per call of each candidate."""
        return {name: median(ts) for name, ts in self.times.items()}

    @property
    def ratios(self) -> dict[str, float]:
        """Each candidate's median divided by the reference's median."""
        return ratios(self.medians, self.reference)


def compare(candidates: Candidates, repeats: int, *, reference: str | None = None,
            warmup: int = 1, budget: float = math.inf, settle: float = 0.0,
            clock: Clock = time.perf_counter) -> Comparison:
    """Time the candidates side by side (:func:`interleaved`); ratios are to ``reference``
    (the first candidate unless named)."""
    reference = next(iter(candidates), "") if reference is None else reference
    if reference not in candidates:
        raise KeyError(f"the reference {reference!r} is not among the candidates "
                       f"{list(candidates)}.")
    times = interleaved(candidates, repeats, warmup=warmup, budget=budget, settle=settle,
                        clock=clock)
    return Comparison(times, reference)


@dataclass(frozen=True)
class Scaling:
    """One :class:`Comparison` per problem size m, and where slow candidates were dropped."""

    results: dict[int, Comparison]
    dropped: dict[str, int] = field(default_factory=dict)

    @property
    def sizes(self) -> list[int]:
        """The sizes m measured, ascending."""
        return sorted(self.results)

    def series(self, name: str) -> tuple[list[int], list[float]]:
        """The sizes m at which ``name`` ran and its median seconds at each."""
        points = [(m, c.medians[name]) for m, c in sorted(self.results.items()) if name in c.times]
        return [m for m, _ in points], [t for _, t in points]


def scaling(candidates_at: Callable[[int], Candidates], sizes: Sequence[int], repeats: int, *,
            reference: str, time_limit: float = math.inf, warmup: int = 1,
            budget: float = math.inf, clock: Clock = time.perf_counter) -> Scaling:
    """:func:`compare` at each size m, smallest first.

    ``candidates_at(m)`` returns the candidates for size m. A candidate other than the
    reference whose median exceeds ``time_limit`` seconds at some m is not run at larger m
    (the slow loop would otherwise use up the time budget); ``dropped`` records the first m
    it skipped. ``budget`` applies to each size's comparison (see :func:`interleaved`).
    """
    results: dict[int, Comparison] = {}
    dropped: dict[str, int] = {}
    ordered = sorted(sizes)
    for i, m in enumerate(ordered):
        candidates = {n: fn for n, fn in candidates_at(m).items() if n not in dropped}
        results[m] = compare(candidates, repeats, reference=reference, warmup=warmup,
                             budget=budget, clock=clock)
        for name, t in results[m].medians.items():
            if name != reference and t > time_limit and i + 1 < len(ordered):
                dropped[name] = ordered[i + 1]
    return Scaling(results, dropped)


def format_time(seconds: float) -> str:
    """Seconds in a readable unit with three significant digits: 0.0123 → "12.3 ms"."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def format_ratio(ratio: float) -> str:
    """A ratio of times: 45.21 → "45.2×", 0.8 → "0.80×"."""
    return f"{ratio:.3g}×" if ratio >= 1 else f"{ratio:.2f}×"


def scaling_table(result: Scaling, names: Sequence[str]) -> str:
    """Median time of each candidate at each m, and its ratio to the reference."""
    rows = []
    for m in result.sizes:
        c = result.results[m]
        cells: list[object] = [f"{m:,}"]
        for name in names:
            cells.append(format_time(c.medians[name]) if name in c.times else "not run")
        for name in names:
            if name != c.reference:
                cells.append(format_ratio(c.ratios[name]) if name in c.times else "–")
        rows.append(cells)
    reference = next(iter(result.results.values())).reference
    header = ["m", *names, *(f"{n} / {reference}" for n in names if n != reference)]
    return markdown_table(header, rows)


def gradient_flops(sizes: Sequence[int], m: int) -> int:
    """Floating-point operations of the matrix products in one vectorized gradient.

    Counting 2 per multiply-add, with A⁽ˡ⁾ of shape m × (sₗ + 1) and δ⁽ˡ⁾ of shape m × sₗ:
    z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾a⁽ˡ⁾ costs 2·m·(sₗ + 1)·sₗ₊₁ for l = 1…L−1;
    δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ costs 2·m·sₗ₊₁·sₗ for l = L−1…2 (the bias entry dropped);
    Δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾)ᵀA⁽ˡ⁾ costs 2·m·sₗ₊₁·(sₗ + 1) for l = 1…L−1.
    The element-wise work (g, g′, the cost) grows only like m·Σsₗ and is left out.
    """
    s = [int(k) for k in sizes]
    L = len(s)
    forward = sum(2 * m * (s[l - 1] + 1) * s[l] for l in range(1, L))
    backward = sum(2 * m * s[l] * s[l - 1] for l in range(2, L))
    accumulate = sum(2 * m * s[l] * (s[l - 1] + 1) for l in range(1, L))
    return forward + backward + accumulate


class Steppable(Protocol):
    """What :func:`time_per_step` drives: a widget with a list of steps and a settable step
    (the course's ``BackpropStepper``)."""

    steps: Sequence[object]
    step: int


def time_per_step(stepper: Steppable, repeats: int = 3, *,
                  clock: Clock = time.perf_counter) -> float:
    """The median seconds to show one step when it is set from Python, over every step
    ``repeats`` times; the stepper is left at the step it started on.

    This is what the kernel does when a step is set from Python: move the slider and the
    picture stack. (The pictures were rendered when the stepper was made; in the browser a
    click needs no kernel at all, see ``tools/bench_browser.py``.) Each move is a real change
    of step: from step k the next one set is k + 1, round the end.
    """
    repeats = whole_number(repeats, "repeats", 1, meaning="rounds over every step")
    start_at = stepper.step
    n = len(stepper.steps)
    times = []
    for _ in range(repeats):
        for k in range(n):
            target = (start_at + 1 + k) % n
            start = clock()
            stepper.step = target
            times.append(clock() - start)
    stepper.step = start_at
    return median(times)


def matmul_rate(n: int = 1500, repeats: int = 5, *, clock: Clock = time.perf_counter,
                rng: int = 0) -> float:
    """FLOP/s of one n × n by n × n float64 matrix product (2n³ operations), median of runs.

    A large square product is what BLAS does best, so this is the practical ceiling of the
    machine for the gradient's matrix products: its "roofline".
    """
    generator = np.random.default_rng(rng)
    a, b = generator.random((n, n)), generator.random((n, n))
    seconds = compare({"matmul": lambda: a @ b}, repeats, clock=clock).medians["matmul"]
    return 2 * n**3 / seconds
