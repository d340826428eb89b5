"""The timing logic, checked with a fake clock: order of calls, medians, ratios, tables, FLOPs.

No test here measures or asserts how fast anything runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
import timing


class FakeClock:
    """A clock that only moves when a fake candidate "works"; it logs who ran when."""

    def __init__(self) -> None:
        self.now = 0.0
        self.log: list[str] = []

    def __call__(self) -> float:
        return self.now

    def worker(self, name: str, durations: Iterable[float]) -> Callable[[], None]:
        """A candidate whose successive calls take the given durations (warm-up calls too)."""
        it = iter(durations)

        def work() -> None:
            self.log.append(name)
            self.now += next(it)
        return work


def test_rotations_start_each_round_with_the_next_candidate() -> None:
    assert timing.rotations(["A", "B", "C"], 4) == [
        ["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"], ["A", "B", "C"]]
    assert timing.rotations([], 3) == []


def test_interleaved_warms_up_then_alternates_the_candidates() -> None:
    clock = FakeClock()
    candidates = {"loop": clock.worker("loop", [9.0] * 5), "vec": clock.worker("vec", [1.0] * 5)}
    times = timing.interleaved(candidates, 4, warmup=1, clock=clock)
    assert clock.log == ["loop", "vec",                  # warm-up, untimed
                         "loop", "vec", "vec", "loop", "loop", "vec", "vec", "loop"]
    assert times == {"loop": [9.0] * 4, "vec": [1.0] * 4}


def test_warm_up_calls_are_not_timed() -> None:
    clock = FakeClock()
    slow_first = clock.worker("f", [100.0, 2.0, 3.0, 4.0])
    assert timing.interleaved({"f": slow_first}, 3, warmup=1, clock=clock) == {"f": [2.0, 3.0, 4.0]}


def test_times_are_listed_in_measurement_order_per_candidate() -> None:
    clock = FakeClock()
    candidates = {"a": clock.worker("a", [1.0, 2.0, 3.0]), "b": clock.worker("b", [5.0, 6.0, 7.0])}
    assert timing.interleaved(candidates, 3, warmup=0, clock=clock) == {
        "a": [1.0, 2.0, 3.0], "b": [5.0, 6.0, 7.0]}


def test_a_budget_stops_after_the_round_that_exceeds_it_but_not_before_min_repeats() -> None:
    clock = FakeClock()
    candidates = {"a": clock.worker("a", [1.0] * 20), "b": clock.worker("b", [2.0] * 20)}
    times = timing.interleaved(candidates, 10, warmup=0, budget=7.0, min_repeats=2, clock=clock)
    assert times == {"a": [1.0] * 3, "b": [2.0] * 3}      # 3, 6, then 9 s ≥ 7 s: stop
    clock = FakeClock()
    candidates = {"a": clock.worker("a", [5.0] * 20)}
    times = timing.interleaved(candidates, 10, warmup=0, budget=1.0, min_repeats=4, clock=clock)
    assert times == {"a": [5.0] * 4}


def test_settle_sleeps_and_makes_one_untimed_call_before_each_timed_one() -> None:
    clock = FakeClock()
    slept: list[float] = []
    candidates = {"numpy": clock.worker("numpy", [5.0, 1.0, 5.0, 2.0]),
                  "torch": clock.worker("torch", [7.0, 3.0, 7.0, 4.0])}
    times = timing.interleaved(candidates, 2, warmup=0, settle=0.2, clock=clock,
                               sleep=slept.append)
    assert clock.log == ["numpy", "numpy", "torch", "torch", "torch", "torch", "numpy", "numpy"]
    assert slept == [0.2] * 4
    assert times == {"numpy": [1.0, 2.0], "torch": [3.0, 4.0]}


def test_median_of_odd_and_even_counts_ignores_outliers() -> None:
    assert timing.median([3.0, 1.0, 100.0]) == 3.0
    assert timing.median([4.0, 1.0, 2.0, 1000.0]) == 3.0
    with pytest.raises(ValueError, match="no measurements"):
        timing.median([])


def test_compare_gives_medians_and_ratios_to_the_reference() -> None:
    clock = FakeClock()
    candidates = {"vectorized": clock.worker("vectorized", [0, 2.0, 2.0, 50.0]),
                  "loop": clock.worker("loop", [0, 40.0, 60.0, 50.0])}
    result = timing.compare(candidates, 3, clock=clock)
    assert result.reference == "vectorized"
    assert result.medians == {"vectorized": 2.0, "loop": 50.0}
    assert result.ratios == {"vectorized": 1.0, "loop": 25.0}


def test_compare_names_a_missing_reference_and_bad_repeats() -> None:
    with pytest.raises(KeyError, match="'torch' is not among"):
        timing.compare({"a": lambda: None}, 1, reference="torch")
    with pytest.raises(ValueError, match="repeats must be a whole number"):
        timing.compare({"a": lambda: None}, 0)
    with pytest.raises(ValueError, match="nothing to time"):
        timing.interleaved({}, 3)


def test_scaling_drops_a_slow_candidate_at_larger_sizes() -> None:
    clock = FakeClock()
    calls: list[tuple[str, int]] = []

    def candidates_at(m: int) -> dict[str, Callable[[], None]]:
        def run(name: str, seconds: float) -> Callable[[], None]:
            def f() -> None:
                calls.append((name, m))
                clock.now += seconds
            return f
        return {"vec": run("vec", m * 1e-3), "loop": run("loop", m * 1e-2)}

    result = timing.scaling(candidates_at, [1000, 10, 100], 3, reference="vec",
                            time_limit=0.5, warmup=0, clock=clock)
    assert result.sizes == [10, 100, 1000]
    assert result.dropped == {"loop": 1000}               # 1.0 s at m = 100 > 0.5 s
    assert ("loop", 1000) not in calls and ("vec", 1000) in calls
    assert result.series("loop") == ([10, 100], [pytest.approx(0.1), pytest.approx(1.0)])
    assert result.series("vec")[0] == [10, 100, 1000]
    assert result.results[100].ratios["loop"] == pytest.approx(10.0)
    table = timing.scaling_table(result, ["loop", "vec"])
    assert table.splitlines()[0] == "| m | loop | vec | loop / vec |"
    assert table.splitlines()[-1] == "| 1,000 | not run | 1 s | – |"
    assert table.splitlines()[3] == "| 100 | 1 s | 100 ms | 10× |"


def test_format_time_and_ratio() -> None:
    assert timing.format_time(0.01234) == "12.3 ms"
    assert timing.format_time(2.5) == "2.5 s"
    assert timing.format_time(4.56e-5) == "45.6 µs"
    assert timing.format_time(3e-9) == "3 ns"
    assert timing.format_ratio(45.21) == "45.2×"
    assert timing.format_ratio(0.8) == "0.80×"


def test_markdown_table_checks_row_lengths() -> None:
    assert timing.markdown_table(["a", "b"], [[1, 2]]) == "| a | b |\n|:---|---:|\n| 1 | 2 |"
    with pytest.raises(ValueError, match="every row needs 2 cells"):
        timing.markdown_table(["a", "b"], [[1]])
    assert timing.markdown_table(["a", "b"], [["x", "y"]], align="ll").splitlines()[1] == (
        "|:---|:---|")
    with pytest.raises(ValueError, match="one letter, l or r, per column"):
        timing.markdown_table(["a", "b"], [[1, 2]], align="lc")


def test_gradient_flops_by_hand_for_400_25_10() -> None:
    m = 5000
    forward = 2 * m * 401 * 25 + 2 * m * 26 * 10
    backward = 2 * m * 10 * 25                          # δ⁽²⁾ from δ⁽³⁾; no δ⁽¹⁾
    accumulate = 2 * m * 10 * 26 + 2 * m * 25 * 401
    assert timing.gradient_flops([400, 25, 10], m) == forward + backward + accumulate


def test_gradient_flops_by_hand_for_a_tiny_network() -> None:
    # 2-3-1, one example: Θ⁽¹⁾ is 3 × 3, Θ⁽²⁾ is 1 × 4
    # forward 2·(3·3) + 2·(1·4) = 26; δ⁽²⁾ = (Θ⁽²⁾)ᵀδ⁽³⁾ without the bias: 2·3 = 6;
    # Δ⁽¹⁾ (3 × 3) and Δ⁽²⁾ (1 × 4): 2·9 + 2·4 = 26
    assert timing.gradient_flops([2, 3, 1], 1) == 58


def test_matmul_rate_is_2n_cubed_over_the_median_time() -> None:
    ticks = iter([0.0, 1.0, 1.0, 3.0, 3.0, 7.0])   # three timed runs: 1, 2 and 4 s
    rate = timing.matmul_rate(10, 3, clock=lambda: next(ticks))
    assert rate == 2 * 10**3 / 2.0


class FakeStepper:
    """Steps that take the fake clock a known time to show: step k takes k + 1 seconds."""

    def __init__(self, clock: FakeClock, n: int, at: int) -> None:
        self.clock, self.steps, self._step, self.shown = clock, list(range(n)), at, []

    @property
    def step(self) -> int:
        return self._step

    @step.setter
    def step(self, k: int) -> None:
        self._step = k
        self.shown.append(k)
        self.clock.now += k + 1


def test_time_per_step_shows_every_step_as_a_change_and_goes_back() -> None:
    clock = FakeClock()
    stepper = FakeStepper(clock, n=4, at=2)
    seconds = timing.time_per_step(stepper, repeats=2, clock=clock)
    # from step 2: 3, 0, 1, 2, then again; and back to 2 at the end (not timed)
    assert stepper.shown == [3, 0, 1, 2, 3, 0, 1, 2, 2]
    assert seconds == 2.5                      # the median of 4, 1, 2, 3, 4, 1, 2, 3 seconds
    assert stepper.step == 2


def test_time_per_step_needs_a_round() -> None:
    with pytest.raises(ValueError, match="repeats must be a whole number ≥ 1"):
        timing.time_per_step(FakeStepper(FakeClock(), 3, 0), repeats=0)


def _with_class(widget: Any, css_class: str) -> Any:
    """The first widget of the tree carrying ``css_class`` (the widgets' stable DOM hook)."""
    if css_class in getattr(widget, "_dom_classes", ()):
        return widget
    found = (_with_class(child, css_class) for child in getattr(widget, "children", ()))
    return next((w for w in found if w is not None), None)


def test_time_per_step_on_the_course_stepper_visits_every_step_and_restores() -> None:
    import nbhelpers as nb
    from nbhelpers.display.widgets import BackpropStepper

    p = nb.lecture_network()
    stepper = BackpropStepper(p.Theta, p.X, p.Y, lam=1.0)
    stepper.step = 4
    visited: list[int] = []
    slider = _with_class(stepper.widget, "bp-slider")
    slider.observe(lambda change: visited.append(change["new"]), "value")
    seconds = timing.time_per_step(stepper, repeats=2)
    n = len(stepper.steps)
    stepper.close()
    assert isinstance(seconds, float) and seconds > 0
    assert sorted(visited) == sorted(list(range(n)) * 2) and stepper.step == 4
