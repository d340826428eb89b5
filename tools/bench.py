"""Measure the course's code and write docs/benchmarks.md and docs/benchmarks.png.

    python tools/bench.py                  # what `make bench` runs (about 15 minutes)
    python tools/bench.py --quick          # fewer repeats, part of the test suite: a try-out
    python tools/bench.py --only waiting   # one section alone (here section 7, "Where people
                                           # wait"); the page's other sections are kept
    python tools/bench.py --only waiting --waiting browser   # one of section 7's five goals

Every comparison runs its candidates side by side in this one process, interleaved round by
round, and reports the median of repeated runs as a time and as a ratio (``tools/timing.py``).
Section 7 measures issue 17's goals from outside: ``make test``'s pytest run, the notebooks
under nbval, the stepper in Chromium (``tools/bench_browser.py``), grading
(``tools/bench_grading.py``) and setup from a fresh clone (``tools/time_setup.py``). The
targets are checked by reading the tables; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import timing
from scipy.special import expit

import nbhelpers as nb
from nbhelpers.display.number_table import markdown_table
from nbhelpers.validation import Params, check_finite, check_problem
from nbhelpers.vectorized import backprop_vectorized_unchecked

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"

CLASSIC = (400, 25, 10)             # 20×20 pixels, 25 hidden units, 10 digits
CLASSIC_M = 5000
DIGITS = (64, 25, 10)
LAMBDA = 1.0
TARGET_ACCURACY = 0.95
CHECK_EVERY = 5                     # iterations between two held-out accuracy checks
SCALING_SIZES = (100, 200, 500, 1000, 2000, 5000, 10_000, 20_000)
LOOP_TIME_LIMIT = 2.0               # seconds: beyond this the loop is not run at larger m
TORCH_THREADS = 2


@dataclass
class Settings:
    """Repeats per measurement, and the seconds each may take (``--quick`` lowers them).

    A comparison stops early, after at least three rounds, once its budget is spent, so that
    sections 1–6 stay within about four minutes on a busy machine; the tables give the runs
    made. Section 7 runs each of its measurements once (the whole test suite, the notebooks
    under nbval, JupyterLab and Chromium, a class to grade, two fresh clones): about ten more.
    """

    fast_repeats: int = 41           # gradients taking milliseconds
    fast_budget: float = 15.0
    torch_repeats: int = 31
    settle: float = 0.15             # between numpy and PyTorch turns (see timing.interleaved)
    loop_repeats: int = 7            # the loop at m = 5000 takes a fraction of a second
    loop_budget: float = 12.0
    scaling_repeats: int = 7
    scaling_budget: float = 4.0      # per size m
    train_repeats: int = 7
    train_budget: float = 15.0
    notebook_runs: int = 3
    notebook_budget: float = 130.0   # seconds for all notebook runs together (≥ one round)
    total_budget: float = 230.0      # the notebook rounds stop early to end the run by then
    stepper_repeats: int = 3         # rounds over all of the stepper's steps
    # where people wait (section 7)
    test_paths: tuple[str, ...] = ()  # empty: the whole suite, as `make test` runs it
    nbval_notebooks: int = 0         # 0: every notebook of the series
    browser_rounds: int = 2          # rounds of Next over all of the stepper's steps
    grading_repeats: int = 3
    class_size: int = 30
    setup: bool = True               # time_setup.py: two fresh clones (about two minutes)
    waiting: tuple[str, ...] = ()    # the goals of section 7 to measure; empty: all five


@dataclass
class Report:
    """Everything measured, as the sections of docs/benchmarks.md."""

    sections: list[str] = field(default_factory=list)
    targets: list[tuple[str, str, str, bool | None]] = field(default_factory=list)

    def add(self, title: str, *paragraphs: str) -> None:
        self.sections.append("\n\n".join([f"## {title}", *paragraphs]))

    def target(self, what: str, measured: str, met: bool | None, bound: str = "") -> None:
        self.targets.append((what, measured, bound, met))


# ---------------------------------------------------------------- the machine and versions

def cpu_model() -> str:
    """The CPU's model name, family and model numbers and vector instructions (/proc/cpuinfo)."""
    try:
        info = dict(line.split(":", 1) for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if ":" in line)
    except OSError:
        return platform.processor() or platform.machine()
    info = {k.strip(): v.strip() for k, v in info.items()}
    flags = info.get("flags", "").split()
    simd = ", ".join(f.upper() for f in ("avx2", "fma", "avx512f") if f in flags) or "no AVX2"
    guest = "; a virtual machine" if "hypervisor" in flags else ""
    return (f"{info.get('model name', platform.machine())} (family {info.get('cpu family', '?')}, "
            f"model {info.get('model', '?')}); {simd}{guest}")


def memory_gib() -> str:
    """Total memory in GiB (from /proc/meminfo)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def version(distribution: str) -> str:
    """The installed version of a distribution, or "not installed"."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def blas_info() -> str:
    """The BLAS libraries numpy and scipy load, with their versions and thread counts."""
    from threadpoolctl import threadpool_info

    seen = []
    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            owner = Path(pool.get("filepath", "")).parent.name.removesuffix(".libs")  # numpy
            text = (f"{pool.get('internal_api')} {pool.get('version')} "
                    f"({owner}: {pool.get('architecture')} kernels, "
                    f"{pool.get('num_threads')} threads)")
            if text not in seen:
                seen.append(text)
    return "; ".join(seen) or "unknown"


def torch_info() -> str:
    """What PyTorch multiplies matrices with, and its thread count for the benchmark."""
    try:
        import torch
    except ImportError:
        return "PyTorch not installed"
    library = "MKL" if torch.backends.mkl.is_available() else "its own BLAS"
    return f"{library}, {TORCH_THREADS} threads (`torch.set_num_threads`)"


def load_text(loads: list[tuple[float, float, float]]) -> str:
    """The 1-minute load average at the start and end of the run."""
    return " → ".join(f"{one:.2f}" for one, _, _ in loads)


def machine_section(loads: list[tuple[float, float, float]], started: datetime.datetime,
                    seconds: float) -> str:
    """The machine, the package versions and the load while measuring."""
    rows = [
        ("date", started.strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", cpu_model()),
        ("cores", f"{os.cpu_count()} logical ({len(os.sched_getaffinity(0))} usable)"),
        ("memory", memory_gib()),
        ("load average (1 min) at start → end",
         f"{load_text(loads)} on {os.cpu_count()} cores (the benchmark itself adds up to 2)"),
        ("benchmark run time", timing.format_time(seconds)),
        ("Python", platform.python_version()),
        *((name, version(name)) for name in ("numpy", "scipy", "scikit-learn", "torch")),
        ("BLAS of numpy and scipy", blas_info()),
        ("PyTorch's matrix library", torch_info()),
        ("OS", platform.platform()),
    ]
    return markdown_table(["", "value"], rows, align="ll")


# ---------------------------------------------------------------- 1. one gradient at m = 5000

def classic_sized(m: int, rng: int = 0) -> nb.Problem:
    """m digit images the size of the classic exercise: 20×20 pixels, so s₁ = 400.

    The 8×8 digits shipped with scikit-learn are enlarged to 20×20 (linear interpolation) and
    repeated to m examples; Θ is drawn by :func:`nb.init_weights` for 400-25-10.
    """
    from scipy.ndimage import zoom

    digits = nb.load_digits()
    images = zoom(digits.X.reshape(-1, 8, 8), (1, 20 / 8, 20 / 8), order=1).reshape(-1, 400)
    idx = np.arange(m) % len(images)
    X = np.clip(images[idx], 0.0, 1.0)
    Y = nb.one_hot(digits.labels[idx], 10)
    return nb.Problem(nb.init_weights(CLASSIC, rng=rng), X, Y)


def torch_gradient(problem: nb.Problem, lam: float) -> Callable[[], Params] | None:
    """J(Θ) and its gradient by PyTorch autograd (float64, CPU, 2 threads), or None.

    The same cost as :func:`nb.cost`: the logistic cost over K outputs averaged over m, plus
    λ/(2m) times the squared weights outside the bias column. The bias column of Θ⁽ˡ⁾ is
    passed to ``linear`` as its bias, so no column of ones is built.
    """
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(TORCH_THREADS)
    F = torch.nn.functional
    X = torch.from_numpy(problem.X)
    Y = torch.from_numpy(problem.Y)
    m = X.shape[0]
    Theta = {l: torch.from_numpy(T.copy()).requires_grad_() for l, T in problem.Theta.items()}

    def gradient() -> Params:
        a = X
        for T in Theta.values():
            T.grad = None
            z = F.linear(a, T[:, 1:], T[:, 0])
            a = torch.sigmoid(z)
        J = F.binary_cross_entropy_with_logits(z, Y, reduction="sum") / m
        J = J + lam / (2 * m) * sum((T[:, 1:] ** 2).sum() for T in Theta.values())
        J.backward()
        return {l: T.grad for l, T in Theta.items()}

    return gradient


def gradient_benchmark(report: Report, s: Settings, figure_data: dict[str, Any]) -> None:
    """Item 1: one full gradient at m = 5000, 400-25-10: vectorized, PyTorch, loop, roofline."""
    problem = classic_sized(CLASSIC_M)
    Theta, X, Y = problem.Theta, problem.X, problem.Y
    D = nb.backprop_vectorized(Theta, X, Y, LAMBDA)
    loop_D = nb.backprop(Theta, X, Y, LAMBDA)
    loop_diff = max(float(np.max(np.abs(loop_D[l] - D[l]))) for l in D)
    assert loop_diff < 1e-12, f"loop and vectorized D differ by {loop_diff}"
    torch_fn = torch_gradient(problem, LAMBDA)
    agreement = [f"loop vs vectorized: largest |difference| of D = {loop_diff:.1e}"]
    if torch_fn is not None:
        torch_D = {l: g.numpy() for l, g in torch_fn().items()}
        torch_diff = max(float(np.max(np.abs(torch_D[l] - D[l]))) for l in D)
        assert torch_diff < 1e-10, f"PyTorch and vectorized D differ by {torch_diff}"
        agreement.append(f"PyTorch vs vectorized: {torch_diff:.1e}")
    n = 1500
    rng = np.random.default_rng(0)
    A, B = rng.random((n, n)), rng.random((n, n))
    others: dict[str, tuple[Callable[[], object], int, float, float]] = {
        "loop": (lambda: nb.backprop(Theta, X, Y, LAMBDA), s.loop_repeats, s.loop_budget, 0.0),
        "matmul": (lambda: A @ B, s.fast_repeats, s.fast_budget, 0.0)}
    if torch_fn is not None:
        others["PyTorch autograd"] = (torch_fn, s.torch_repeats, s.fast_budget, s.settle)
    vectorized = {"vectorized": lambda: nb.backprop_vectorized(Theta, X, Y, LAMBDA)}
    results = {name: timing.compare({**vectorized, name: fn}, repeats, budget=budget,
                                    settle=settle)
               for name, (fn, repeats, budget, settle) in others.items()}
    breakdown = where_the_time_goes(Theta, X, Y, s)

    flops = timing.gradient_flops(CLASSIC, CLASSIC_M)
    rate = 2 * n**3 / results["matmul"].medians["matmul"]
    roofline = flops / rate

    def row(label: str, name: str, seconds: float, ratio: float, gflops: float) -> list[str]:
        c = results[name]
        return [label, timing.format_time(seconds),
                timing.format_time(c.medians["vectorized"]), timing.format_ratio(ratio),
                f"{gflops:.2f}", f"{len(c.times['vectorized'])}"]

    rows = []
    if torch_fn is not None:
        c = results["PyTorch autograd"]
        t = c.medians["PyTorch autograd"]
        rows.append(row("PyTorch autograd (float64, CPU, 2 threads)", "PyTorch autograd", t,
                        c.ratios["PyTorch autograd"], flops / t / 1e9))
    else:
        rows.append(["PyTorch autograd", "not installed", "–", "–", "–", "–"])
    c = results["loop"]
    rows.append(row("the lecture's loop `backprop`", "loop", c.medians["loop"],
                    c.ratios["loop"], flops / c.medians["loop"] / 1e9))
    c = results["matmul"]
    rows.append(row(f"roofline: {flops / 1e6:.0f} MFLOP at the rate of a {n}×{n} matmul",
                    "matmul", roofline, roofline / c.medians["vectorized"], rate / 1e9))
    vec = breakdown["whole"]
    table = markdown_table(
        ["compared with `backprop_vectorized`", "median time", "vectorized, same rounds",
         "ratio to vectorized", "GFLOP/s", "rounds"], rows)
    report.add(
        "1. One full gradient at m = 5000",
        "The size of the classic digit exercise: 5000 examples of 20×20 pixels (the shipped "
        "8×8 digits enlarged, repeated), 400 inputs, 25 hidden units, 10 outputs, float64, "
        "λ = 1. The gradients agree before anything is timed (" + "; ".join(agreement) + "). "
        "Each row is its own comparison, interleaved round by round with "
        "`nb.backprop_vectorized` (whose time in those rounds is shown next to it), so that "
        "one candidate's threads never slow another's measurement in a different row. "
        "numpy's OpenBLAS threads keep spinning for about 0.1 s after their work, which "
        "slowed PyTorch's threads (and the other way round) when the two alternated call by "
        f"call; so in the PyTorch rounds each turn starts with a {s.settle:g} s pause and "
        "one untimed call (`settle` in `timing.interleaved`), and the timed call runs with "
        "its own threads awake and the other library's asleep. "
        "GFLOP/s counts the gradient's matrix products (`timing.gradient_flops`); the "
        "roofline is the time those FLOPs would take at the rate of one large square numpy "
        "matrix product, the best this machine's BLAS does.",
        table, "Where the vectorized gradient's time goes (each piece timed on its own, "
        "interleaved, medians):", breakdown["table"])
    torch_time = results["PyTorch autograd"].medians["PyTorch autograd"] if torch_fn else None
    figure_data["gradient"] = {"vec": vec, "roofline": roofline, "torch": torch_time,
                               "loop": results["loop"].medians["loop"], "rate": rate}
    gradient_targets(report, results, breakdown, roofline, rate)


def gradient_targets(report: Report, results: dict[str, timing.Comparison],
                     breakdown: dict[str, Any], roofline: float, rate: float) -> None:
    """The three targets of the m = 5000 gradient: PyTorch, the roofline, the loop."""
    if "PyTorch autograd" in results:
        ratio = 1 / results["PyTorch autograd"].ratios["PyTorch autograd"]
        report.target("vectorized gradient ≤ 1.0× PyTorch autograd's time",
                      f"`backprop_vectorized` takes {timing.format_ratio(ratio)} PyTorch's time",
                      ratio <= 1.0, "" if ratio <= 1 else torch_bound(breakdown))
    else:
        report.target("vectorized gradient ≤ 1.0× PyTorch autograd's time",
                      "PyTorch not installed", None)
    to_roofline = results["matmul"].medians["vectorized"] / roofline
    report.target("vectorized gradient within 2× of the roofline",
                  f"{timing.format_ratio(to_roofline)} the roofline's time", to_roofline <= 2,
                  "" if to_roofline <= 2 else roofline_bound(breakdown, rate))
    loop_ratio = results["loop"].ratios["loop"]
    report.target("vectorized ≥ 20× faster than the loop at m = 5000",
                  f"the loop takes {timing.format_ratio(loop_ratio)} as long", loop_ratio >= 20)


def torch_pieces(pieces: dict[str, tuple[Callable[[], object], Callable[[], object]]],
                 s: Settings) -> str:
    """Each of numpy's pieces against PyTorch's doing the same, as a sentence (or "")."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return ""
    parts = []
    for what, (numpy_fn, torch_fn) in pieces.items():
        c = timing.compare({"numpy": numpy_fn, "torch": torch_fn}, 9, settle=s.settle)
        parts.append(f"{what}: {timing.format_time(c.medians['torch'])} in PyTorch against "
                     f"{timing.format_time(c.medians['numpy'])} here")
    return "; ".join(parts)


def _torch_versions(X: np.ndarray, T1: np.ndarray, Z2: np.ndarray, delta2: np.ndarray,
                    products: dict[str, Callable[[], object]]
                    ) -> dict[str, tuple[Callable[[], object], Callable[[], object]]]:
    """The two large products and the sigmoid, in numpy (as timed above) and in PyTorch."""
    try:
        import torch
    except ImportError:
        return {}
    Xt, Tt, Zt, dt = (torch.from_numpy(a) for a in (X, T1, Z2, delta2))
    forward, accumulate = products.values()
    return {"z⁽²⁾": (forward, lambda: torch.nn.functional.linear(Xt, Tt[:, 1:], Tt[:, 0])),
            "Δ⁽¹⁾": (accumulate, lambda: dt.T @ Xt),
            "the sigmoids": (lambda: expit(Z2), lambda: torch.sigmoid(Zt))}


def roofline_bound(breakdown: dict[str, Any], rate: float) -> str:
    """What the measured parts say keeps the vectorized gradient from the roofline."""
    s1, s2 = CLASSIC[0], CLASSIC[1]
    product_flops = 2 * (2 * CLASSIC_M * s1 * s2)
    return (f"of {timing.format_time(breakdown['whole'])} per gradient, the two products "
            f"with the {CLASSIC_M}×{s1} data take {_share(breakdown, 'products')}, running at "
            f"{product_flops / breakdown['products'] / 1e9:.0f} GFLOP/s against "
            f"{rate / 1e9:.0f} GFLOP/s for a large square product: one side has only {s2} "
            "columns, so BLAS reads each number of X for few operations. The rest: the "
            f"{CLASSIC_M * s2:,} sigmoids take {_share(breakdown, 'sigmoid')}, the input "
            f"checks {_share(breakdown, 'checks')}, and element-wise work no BLAS speeds up")


def torch_bound(breakdown: dict[str, Any]) -> str:
    """What the measured parts say PyTorch does faster."""
    return (f"the pieces compared ({breakdown['torch_compared']}), and the input checks "
            f"PyTorch does not make, where `backprop_vectorized` spends "
            f"{_share(breakdown, 'checks')} on refusing NaN, ±inf and wrong shapes in the "
            "lecture's terms")


def _share(breakdown: dict[str, Any], part: str) -> str:
    t = breakdown[part]
    return f"{timing.format_time(t)} ({100 * t / breakdown['whole']:.0f}%)"


def where_the_time_goes(Theta: Params, X: np.ndarray, Y: np.ndarray,
                        s: Settings) -> dict[str, Any]:
    """The vectorized gradient's parts, timed side by side: the input checks, the computation
    on checked input, and inside it the two large matrix products and the sigmoid."""
    checked = check_problem(Theta, X, Y, LAMBDA)
    T1 = Theta[1]
    Z2 = X @ T1[:, 1:].T + T1[:, 0]
    delta2 = np.random.default_rng(1).random(Z2.shape)
    products = {
        "… z⁽²⁾ = Θ⁽¹⁾a⁽¹⁾ for all rows (5000×400 by 400×25)": lambda: X @ T1[:, 1:].T + T1[:, 0],
        "… Δ⁽¹⁾ = (δ⁽²⁾)ᵀA⁽¹⁾ (25×5000 by 5000×400)": lambda: (X.T @ delta2).T,
    }
    parts = {
        "whole `backprop_vectorized`": lambda: nb.backprop_vectorized(Theta, X, Y, LAMBDA),
        "input checks (`check_problem`)": lambda: check_problem(Theta, X, Y, LAMBDA),
        "… of which the finiteness check of X (`check_finite`)": lambda: check_finite(X, "X"),
        "computation on checked input (`backprop_vectorized_unchecked`)":
            lambda: backprop_vectorized_unchecked(*checked),
        **products,
        "… a⁽²⁾ = g(z⁽²⁾) (5000×25 sigmoids)": lambda: expit(Z2),
    }

    result = timing.compare(parts, s.fast_repeats, budget=s.fast_budget)
    medians = result.medians
    whole = medians["whole `backprop_vectorized`"]
    rows = [[name, timing.format_time(t), f"{100 * t / whole:.0f}%"]
            for name, t in medians.items()]
    table = markdown_table(["part", "median", "share of the whole"], rows)
    torch_compared = torch_pieces(_torch_versions(X, T1, Z2, delta2, products), s)
    if torch_compared:
        table += ("\n\nThe same pieces in PyTorch (float64, 2 threads; each pair interleaved "
                  f"and settled as in the PyTorch rounds): {torch_compared}. numpy and scipy "
                  "evaluate exp one number at a time on this machine, PyTorch with vector "
                  "instructions on two threads.")
    return {"table": table,
            "whole": whole, "products": sum(medians[name] for name in products),
            "checks": medians["input checks (`check_problem`)"],
            "sigmoid": medians["… a⁽²⁾ = g(z⁽²⁾) (5000×25 sigmoids)"],
            "torch_compared": torch_compared,
            "runs": len(result.times["whole `backprop_vectorized`"])}


# ---------------------------------------------------------------- 2. scaling with m

def scaling_benchmark(report: Report, s: Settings, figure_data: dict[str, Any]) -> None:
    """Item 2: gradient time for m from 100 to 20,000, loop and vectorized."""
    problem = classic_sized(max(SCALING_SIZES))

    def candidates_at(m: int) -> dict[str, Callable[[], object]]:
        Theta, X, Y = problem.Theta, problem.X[:m], problem.Y[:m]
        return {"vectorized": lambda: nb.backprop_vectorized(Theta, X, Y, LAMBDA),
                "loop": lambda: nb.backprop(Theta, X, Y, LAMBDA)}

    result = timing.scaling(candidates_at, SCALING_SIZES, s.scaling_repeats,
                            reference="vectorized", time_limit=LOOP_TIME_LIMIT,
                            budget=s.scaling_budget)
    runs = sorted({len(ts) for c in result.results.values() for ts in c.times.values()})
    runs_text = f"{runs[0]}" if len(runs) == 1 else f"{runs[0]}–{runs[-1]}"
    note = ("The loop ran at every size." if not result.dropped else
            f"The loop took more than {LOOP_TIME_LIMIT:g} s per gradient, so it was not run "
            f"from m = {result.dropped['loop']:,} on (to keep `make bench` short).")
    report.add("2. Scaling with the number of examples m",
               f"400-25-10 as above, λ = 1, {runs_text} interleaved runs per size, "
               f"medians. {note} Plot: `docs/benchmarks.png` (left).",
               timing.scaling_table(result, ["loop", "vectorized"]))
    figure_data["scaling"] = result


# ---------------------------------------------------------------- 3. training to 95 %

def train_to_target(digits: nb.Digits, max_iter: int = 400) -> tuple[int, float]:
    """nb.train (L-BFGS-B) on 64-25-10, stopped by its callback once the held-out accuracy,
    checked every CHECK_EVERY iterations, reaches TARGET_ACCURACY. Returns (iterations, acc)."""
    reached: list[tuple[int, float]] = []

    def stop(iteration: int, Theta: Params, J: float) -> bool:
        if iteration % CHECK_EVERY:
            return False
        acc = nb.accuracy(Theta, digits.X_test, digits.labels_test)
        reached[:] = [(iteration, acc)]
        return acc >= TARGET_ACCURACY

    result = nb.train(nb.init_weights(DIGITS, rng=0), digits.X_train, digits.Y_train, LAMBDA,
                      max_iter=max_iter, callback=stop)
    if not reached:
        return result.iterations, nb.accuracy(result.Theta, digits.X_test, digits.labels_test)
    return reached[0]


def mlp(max_iter: int) -> Any:
    """scikit-learn's MLPClassifier with the same architecture: 25 logistic hidden units, lbfgs,
    L2 penalty alpha = λ (its loss adds alpha/(2m)·ΣW², like the course's λ/(2m)·ΣΘ²)."""
    from sklearn.neural_network import MLPClassifier

    return MLPClassifier(hidden_layer_sizes=(DIGITS[1],), activation="logistic", solver="lbfgs",
                         alpha=LAMBDA, max_iter=max_iter, random_state=0)


def mlp_fit(digits: nb.Digits, max_iter: int, one_thread: bool = False) -> float:
    """Fit a fresh MLPClassifier for max_iter iterations; return its held-out accuracy.

    With ``one_thread`` the BLAS libraries are limited to one thread during the fit, as
    ``nb.train`` does inside scipy's optimizer.
    """
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    with warnings.catch_warnings(), threadpool_limits(1 if one_thread else None, "blas"):
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = mlp(max_iter).fit(digits.X_train, digits.labels_train)
    return float(model.score(digits.X_test, digits.labels_test))


def mlp_iterations_to_target(digits: nb.Digits, limit: int = 400) -> tuple[int, float]:
    """The smallest max_iter (a multiple of CHECK_EVERY) whose fit reaches TARGET_ACCURACY."""
    for max_iter in range(CHECK_EVERY, limit + 1, CHECK_EVERY):
        acc = mlp_fit(digits, max_iter)
        if acc >= TARGET_ACCURACY:
            return max_iter, acc
    return limit, acc


def training_benchmark(report: Report, s: Settings) -> None:
    """Item 3: time to 95 % held-out accuracy, nb.train against MLPClassifier."""
    digits = nb.load_digits()
    iterations, acc = train_to_target(digits)
    mlp_iter, mlp_acc = mlp_iterations_to_target(digits)
    one = "MLPClassifier, one BLAS thread"
    result = timing.compare({"train": lambda: train_to_target(digits),
                             "MLPClassifier": lambda: mlp_fit(digits, mlp_iter),
                             one: lambda: mlp_fit(digits, mlp_iter, one_thread=True)},
                            s.train_repeats, budget=s.train_budget)
    med = result.medians
    call = ("`MLPClassifier(hidden_layer_sizes=(25,), activation=\"logistic\", "
            f"solver=\"lbfgs\", max_iter={mlp_iter})`")
    rows = [["`nb.train` (L-BFGS-B, vectorized D), stopped by its callback", iterations, acc,
             "train"],
            [call, mlp_iter, mlp_acc, "MLPClassifier"],
            ["the same, fitted inside `threadpool_limits(1, \"blas\")`", mlp_iter, mlp_acc, one]]
    rows = [[label, timing.format_time(med[name]), timing.format_ratio(result.ratios[name]),
             f"{n_iter}", timing.format_time(med[name] / n_iter), f"{accuracy:.3f}"]
            for label, n_iter, accuracy, name in rows]
    m_train, m_test = len(digits.labels_train), len(digits.labels_test)
    report.add(
        "3. Training on the digits to 95 % held-out accuracy",
        f"64-25-10 on `nb.load_digits()` ({m_train} training, {m_test} held-out examples), "
        f"λ = alpha = {LAMBDA:g}, both started from seeded random weights. `nb.train` stops "
        f"through its callback, which checks the held-out accuracy every {CHECK_EVERY} "
        "iterations (those checks are inside the time). For MLPClassifier the smallest "
        f"`max_iter` in steps of {CHECK_EVERY} that reaches the target was found first, then "
        "one fresh fit with that `max_iter` is what was timed. Same architecture, but "
        "MLPClassifier's output layer is a softmax (it always is for more than two classes), "
        "the course's is K sigmoids. `nb.train` runs scipy's optimizer with one BLAS thread "
        "(numpy's and scipy's OpenBLAS otherwise fight over the two cores); MLPClassifier "
        "uses the same optimizer without that limit, so it is timed both as shipped and with "
        f"the limit. {len(result.times['train'])} interleaved runs, medians.",
        markdown_table(["method", "median time to 95 %", "ratio to train",
                               "iterations", "per iteration", "held-out accuracy"], rows))
    shipped, limited = result.ratios["MLPClassifier"], result.ratios[one]
    reached = iterations_ok(acc, mlp_acc)
    met: bool | None = reached and shipped >= 1.0 and limited >= 1.0
    verdict = (f"MLPClassifier takes {timing.format_ratio(shipped)} train's time as shipped, "
               f"{timing.format_ratio(limited)} with one BLAS thread")
    bound = ""
    if reached and not met:
        bound = (f"`train` needs {iterations} iterations to MLPClassifier's {mlp_iter} (K "
                 "sigmoid outputs and the lecture's ±0.12 start against a softmax and Glorot's "
                 f"start), at {timing.format_time(med['train'] / iterations)} against "
                 f"{timing.format_time(med[one] / mlp_iter)} (one thread) and "
                 f"{timing.format_time(med['MLPClassifier'] / mlp_iter)} (as shipped) per "
                 "iteration")
        if shipped >= 1.0:
            verdict += " (met against MLPClassifier as shipped only)"
    report.target("`train` reaches 95 % no slower than MLPClassifier", verdict, met, bound)


def iterations_ok(*accuracies: float) -> bool:
    """Both runs actually reached the target accuracy."""
    return all(a >= TARGET_ACCURACY for a in accuracies)


# ---------------------------------------------------------------- 6. peak memory

def _status_kib(field: str) -> int | None:
    """A memory figure of this process from /proc/self/status (VmRSS, VmHWM), in KiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-resident-memory mark (VmHWM) of this process (Linux ≥ 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def memory_child() -> None:
    """Run inside a fresh interpreter: train to 95 % and print the memory figures as JSON.

    The peak resident memory of the process is reset just before training, so VmHWM after
    it is the peak during training, not the peak of importing the libraries.
    """
    digits = nb.load_digits()
    before = _status_kib("VmRSS")
    reset = _reset_peak_rss()
    tracemalloc.start()
    iterations, acc = train_to_target(digits)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({
        "tracemalloc_peak": peak, "rss_before_kib": before,
        "hwm_kib": _status_kib("VmHWM") if reset else None,
        "iterations": iterations, "accuracy": acc}))


def memory_benchmark(report: Report) -> None:
    """Item 6: peak memory of the training run, measured in a fresh subprocess."""
    out = subprocess.run([sys.executable, __file__, "--memory-child"], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    mib = 2**20
    rows = [["Python and numpy allocations during training (tracemalloc peak)",
             f"{data['tracemalloc_peak'] / mib:.1f} MiB"]]
    if data["hwm_kib"] is not None and data["rss_before_kib"] is not None:
        rows += [["resident memory of the process just before training (VmRSS)",
                  f"{data['rss_before_kib'] / 1024:.1f} MiB"],
                 ["peak resident memory during training (VmHWM, reset before training)",
                  f"{data['hwm_kib'] / 1024:.1f} MiB"],
                 ["… the training's own share (peak − before)",
                  f"{(data['hwm_kib'] - data['rss_before_kib']) / 1024:.1f} MiB"]]
    report.add("6. Peak memory of the training run",
               "The training run of section 3 (`nb.train` to 95 %, "
               f"{data['iterations']} iterations, held-out accuracy {data['accuracy']:.3f}) "
               "in a fresh Python process, under tracemalloc (which numpy reports its arrays "
               "to), so it is not timed. tracemalloc gives the peak of the memory allocated "
               "while training; the resident-memory figures come from the kernel "
               "(/proc/self/status) and include the interpreter and libraries. (getrusage's "
               "ru_maxrss is not used: a process started from this one inherits its peak.)",
               markdown_table(["measure", "peak"], rows))


# ---------------------------------------------------------------- 4. notebooks

def execute_notebook(path: Path) -> tuple[float, float]:
    """Run a notebook in a fresh kernel without saving it; (total seconds, cells' seconds).

    The total includes starting and stopping the kernel; the cells' time runs from the first
    cell's start to the last cell's reply, as the kernel reports them.
    """
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    total = time.perf_counter() - start
    stamps = [cell.metadata.get("execution", {}) for cell in notebook.cells
              if cell.cell_type == "code"]
    begin = [s["iopub.execute_input"] for s in stamps if "iopub.execute_input" in s]
    end = [s["shell.execute_reply"] for s in stamps if "shell.execute_reply" in s]
    cells = (_stamp(max(end)) - _stamp(min(begin))) if begin and end else float("nan")
    return total, cells


def _stamp(text: str) -> float:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def notebook_benchmark(report: Report, s: Settings) -> None:
    """Item 4: each notebook's time in a fresh kernel, and the series' total."""
    paths = sorted((ROOT / "notebooks").glob(NOTEBOOK_GLOB))
    if not paths:
        report.add("4. Each notebook in a fresh kernel", "No notebooks found.")
        return
    runs: dict[str, list[tuple[float, float]]] = {p.name: [] for p in paths}
    started = time.perf_counter()
    for _ in range(s.notebook_runs):
        for path in paths:
            runs[path.name].append(execute_notebook(path))
        spent = time.perf_counter() - started
        per_round = spent / len(next(iter(runs.values())))
        if spent + per_round > s.notebook_budget:
            break
    n = len(next(iter(runs.values())))
    rows, total, cells_total, slowest = [], 0.0, 0.0, 0.0
    for name, r in runs.items():
        t = timing.median([a for a, _ in r])
        c = timing.median([b for _, b in r])
        total, cells_total, slowest = total + t, cells_total + c, max(slowest, t)
        rows.append([f"`{name}`", f"{t:.1f} s", f"{c:.1f} s", "✔" if t < 10 else "✘"])
    rows.append(["**series**", f"**{total:.1f} s**", f"**{cells_total:.1f} s**",
                 "✔" if total < 60 else "✘"])
    report.add("4. Each notebook in a fresh kernel",
               f"`notebooks/{NOTEBOOK_GLOB}` run by nbclient, one fresh kernel per run, nothing "
               f"saved; median of {n} run(s) of the whole series (rounds over the series, as "
               "many as fit the time budget). \"With kernel\" includes starting and stopping "
               "the kernel; \"cells\" is the kernel's own time from the first cell to the last.",
               markdown_table(["notebook", "with kernel", "cells", "< 10 s"], rows))
    report.target("every notebook < 10 s", f"slowest {slowest:.1f} s (with kernel start)",
                  slowest < 10)
    report.target("the series < 60 s", f"{total:.1f} s for {len(paths)} notebooks", total < 60)


# ---------------------------------------------------------------- 5. the stepper

def stepper_benchmark(report: Report, s: Settings) -> None:
    """Item 5: the stepper's construction, and the kernel's time to move it one step."""
    from nbhelpers.display.widgets import BackpropStepper
    p = nb.lecture_network()
    made = []
    for _ in range(max(s.stepper_repeats, 3)):
        t0 = time.perf_counter()
        stepper = BackpropStepper(p.Theta, p.X, p.Y, lam=LAMBDA)
        made.append(time.perf_counter() - t0)
        stepper.close()
    stepper = BackpropStepper(p.Theta, p.X, p.Y, lam=LAMBDA)
    seconds = timing.time_per_step(stepper, s.stepper_repeats)
    n = len(stepper.steps)
    stepper.close()
    construction = timing.median(made)
    report.add("5. The stepper",
               f"`BackpropStepper` on the lecture's 3-5-5-4 network (m = {len(p.X)}, λ = 1), "
               f"{n} steps. Every step's picture (diagram, equations, tables) is drawn once, "
               "when the stepper is made: that is the construction time below (median of "
               f"{len(made)}). Nothing is rendered per click: Next, Prev, Play and the slider "
               "show the step's picture in the browser without asking the kernel. So "
               "`timing.time_per_step` (every step set from Python "
               f"{s.stepper_repeats} time(s), median) measures only the kernel moving the slider "
               "and the picture stack; what a student waits for in the browser is measured in "
               "section 7 (goal 3).",
               markdown_table(["stepper", "median", "runs"],
                                     [["making it: every step's picture drawn",
                                       timing.format_time(construction), f"{len(made)}"],
                                      ["one step set from the kernel (`time_per_step`)",
                                       timing.format_time(seconds), f"{n * s.stepper_repeats}"]]))
    report.target("stepper < 50 ms per step",
                  f"{timing.format_time(seconds)} in the kernel per step (the pictures drawn "
                  f"once, in {timing.format_time(construction)}, when it is made)",
                  seconds < 0.05)


# ---------------------------------------------------------------- 7. where people wait

BEFORE_REV = "37fffd0"
BEFORE = {   # issue 17's own measurements at commit 37fffd0, on this 2-core machine
    "test": "818 tests in 346 s, plus about 95 s of setup (pip and Chromium): 7 min 20 s",
    "nbval": "181 cells in 70 s in one process, against 33 s for the cells' own nbclient run",
    "stepper": "click on Next → new picture 170–480 ms, median about 300 ms; about 60 kB of "
               "HTML per step. Re-measured at 37fffd0 with `tools/bench_browser.py`: median "
               "217 ms, p90 443 ms; slider drag 167 ms; 31.2 kB per step",
    "grading": "`check` of one notebook about 8 s, for a notebook whose cells take 1–2 s",
    "setup": "`make lab` on a fresh clone spends most of its first minute in pip",
}
BEFORE_SOURCE = f"issue 17, measured at commit {BEFORE_REV}"
TEST_GOAL, NBVAL_GOAL, CLICK_GOAL = 90.0, 30.0, 50.0           # seconds, seconds, ms
GRADING_GOAL, CLASS_GOAL, SETUP_GOAL = 2.0, 180.0, 60.0          # seconds
TEST_COMMAND = ["-m", "pytest", "-n", "auto", "--dist", "loadscope", "tests", "notebooks",
                "--nbval", "--nbval-current-env", "--nbval-sanitize-with",
                "notebooks/sanitize.cfg"]


def make_test_command() -> list[str]:
    """The pytest arguments of the Makefile's ``test`` target (after ``$(BIN)/python``)."""
    try:
        text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
        recipe = text.split("\ntest:", 1)[1].split("\n", 2)[1]
        words = recipe.split()
        return words[words.index("$(BIN)/python") + 1:]
    except (OSError, IndexError, ValueError):
        return list(TEST_COMMAND)


@dataclass
class TestRun:
    """One timed pytest run: wall and CPU seconds, the counts, and each test's seconds."""

    wall: float
    cpu: float
    outcomes: dict[str, int]
    durations: dict[str, float]       # node id (file::name) → setup + call + teardown seconds
    returncode: int
    top: list[str]                    # pytest's --durations lines

    @property
    def tests(self) -> int:
        return sum(self.outcomes.values())


def run_pytest(args: list[str], top: int = 15) -> TestRun:
    """Run ``python <args>`` (a pytest command) with CI=true; time it, count CPU, read junit."""
    import resource
    import xml.etree.ElementTree as ET

    with tempfile.TemporaryDirectory(prefix="bench-pytest-") as tmp:
        junit = Path(tmp) / "junit.xml"
        command = [sys.executable, *args, f"--durations={top}", f"--junitxml={junit}",
                   "-o", "junit_family=xunit1", "-p", "no:cacheprovider", "-q"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                             env=dict(os.environ, CI="true"))
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        outcomes = {"passed": 0, "failed": 0, "skipped": 0, "error": 0}
        durations: dict[str, float] = {}
        if junit.exists():
            for case in ET.parse(junit).iter("testcase"):
                node = f"{case.get('file', case.get('classname', '?'))}::{case.get('name')}"
                durations[node] = durations.get(node, 0.0) + float(case.get("time", 0))
                kinds = {child.tag for child in case}
                kind = ("failed" if "failure" in kinds else "error" if "error" in kinds
                        else "skipped" if "skipped" in kinds else "passed")
                outcomes[kind] += 1
    lines = out.stdout.splitlines()
    top_lines = []
    if any("slowest" in line for line in lines):
        start_at = next(i for i, line in enumerate(lines) if "slowest" in line)
        top_lines = [line for line in lines[start_at + 1:start_at + 1 + top] if line.strip()]
    if out.returncode not in (0, 1):
        print(out.stdout[-3000:], out.stderr[-3000:], sep="\n", file=sys.stderr)
    return TestRun(wall, cpu, outcomes, durations, out.returncode, top_lines)


TEST_GROUPS = (   # (group, how to tell its node ids), the first that matches counts
    ("notebooks under nbval", lambda f: f.startswith("notebooks/")),
    ("browser tests (one JupyterLab, one Chromium)", lambda f: f.startswith("tests/browser/")),
    ("student copies (tests/test_student_copies.py)",
     lambda f: f.startswith("tests/test_student_copies")),
    ("grader series (tests/test_grading*.py)", lambda f: f.startswith("tests/test_grading")),
    ("the rest (unit, exercises, site, widgets …)", lambda f: True),
)


def test_groups(run: TestRun) -> list[tuple[str, int, float, str, float]]:
    """Per group: (name, tests, summed seconds, its slowest scope, that scope's seconds).

    A scope is what one worker runs as a whole (`--dist loadscope` with tests/conftest.py's
    scheduler): a notebook, a test file, or all browser tests."""
    def scope(node: str) -> str:
        path = node.split("::", 1)[0]
        return "tests/browser" if path.startswith("tests/browser/") else path

    rows = []
    seen: set[str] = set()
    for name, belongs in TEST_GROUPS:
        nodes = [n for n in run.durations if n not in seen and belongs(n)]
        seen.update(nodes)
        scopes: dict[str, float] = {}
        for n in nodes:
            scopes[scope(n)] = scopes.get(scope(n), 0.0) + run.durations[n]
        worst = max(scopes, key=scopes.__getitem__) if scopes else "–"
        rows.append((name, len(nodes), sum(run.durations[n] for n in nodes), worst,
                     scopes.get(worst, 0.0)))
    return rows


def cores() -> int:
    return len(os.sched_getaffinity(0))


def test_suite_measurement(s: Settings) -> dict[str, Any]:
    """Goal 1: `make test`'s pytest run, timed, with its CPU time and where the time goes."""
    args = make_test_command()
    if s.test_paths:                  # --quick: a small part of the suite, to try the bench
        args = [a for a in args if a not in ("tests", "notebooks")] + list(s.test_paths)
    run = run_pytest(args)
    groups = test_groups(run)
    longest = max(groups, key=lambda g: g[4]) if groups else None
    return {"run": run, "groups": groups, "longest": longest, "command": args}


def nbval_measurement(s: Settings) -> dict[str, Any]:
    """Goal 2: the notebook series under nbval on all cores, against the cells' own time."""
    paths = sorted((ROOT / "notebooks").glob(NOTEBOOK_GLOB))[:s.nbval_notebooks or None]
    names = [str(p.relative_to(ROOT)) for p in paths]
    args = ["-m", "pytest", "-n", "auto", "--dist", "loadscope", "--nbval",
            "--nbval-current-env", "--nbval-sanitize-with", "notebooks/sanitize.cfg", *names]
    run = run_pytest(args, top=5)
    own = {p.name: execute_notebook(p) for p in paths}      # one fresh kernel each, in turn
    per_notebook = {}
    for p in paths:
        key = str(p.relative_to(ROOT))
        per_notebook[p.name] = sum(t for n, t in run.durations.items() if n.startswith(key))
    # xdist's own cost: two workers started for one empty test, against one process
    with tempfile.TemporaryDirectory(prefix="bench-xdist-") as tmp:
        empty = Path(tmp) / "test_empty.py"
        empty.write_text("def test_nothing():\n    pass\n")
        plain = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", tmp, str(empty)]
        times = {}
        for label, extra in (("one process", []), ("workers", ["-n", "auto"])):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, *plain, *extra], cwd=tmp, capture_output=True)
            times[label] = time.perf_counter() - t0
    return {"run": run, "own": own, "per_notebook": per_notebook, "startup": times,
            "cells": run.tests}


def waiting_benchmark(report: Report, s: Settings) -> None:
    """Issue 17's five goals: where people wait, before (the issue's figures) and after."""
    rows: list[list[str]] = []
    details: list[str] = []
    steps: list[tuple[str, Callable[[], tuple[list[str], str]]]] = [
        ("tests", lambda: waiting_tests(s)),
        ("nbval", lambda: waiting_nbval(s)),
        ("browser", lambda: waiting_browser(s)),
        ("grading", lambda: waiting_grading(s)),
        ("setup", lambda: waiting_setup(s)),
    ]
    for name, step in steps:
        if s.waiting and name not in s.waiting:
            continue
        t = time.perf_counter()
        try:
            row, detail = step()
        except Exception as error:  # one failed measurement must not lose the others
            row, detail = [name, "", f"not measured: {type(error).__name__}: {error}", "–",
                           ""], ""
        rows.append(row)
        if detail:
            details.append(detail)
        print(f"bench: waiting, {name} measured in {time.perf_counter() - t:.0f} s", flush=True)
    quick = (" **Measured with `--quick`: a part of the test suite, fewer rounds and a small "
             "class; not the figures to quote.**" if s.test_paths else "")
    report.add(
        "7. Where people wait",
        "Issue 17's five goals, one row each. **Before** is the issue's own measurement at "
        f"commit {BEFORE_REV} on this machine (a fresh clone, as a new maintainer runs it); "
        "**after** is measured by this run of the benchmark, on this checkout, with the "
        f"environment already set up, on {cores()} cores. Tests never assert a time; where a "
        "goal is missed, the last column gives what bounds it, measured." + quick,
        markdown_table(["goal", f"before ({BEFORE_SOURCE})", "after (measured here)",
                               "met", "what bounds it"], rows, align="lllll"),
        *details)


def _verdict(met: bool) -> str:
    return "**met**" if met else "**missed**"


def waiting_tests(s: Settings) -> tuple[list[str], str]:
    m = test_suite_measurement(s)
    run: TestRun = m["run"]
    n = cores()
    bound_cpu = run.cpu / n
    groups = m["groups"]
    counts = ", ".join(f"{v} {k}" for k, v in run.outcomes.items() if v)
    after = (f"{run.wall:.0f} s wall for {run.tests:,} tests ({counts}); "
             f"{run.cpu:.0f} CPU-s in all, {run.cpu / run.wall:.2f} cores busy on average")
    everything_ran = run.outcomes["skipped"] == 0 and run.returncode == 0
    met = run.wall <= TEST_GOAL and everything_ran
    big = sorted(groups, key=lambda g: -g[2])
    shares = "; ".join(f"{g[0]} {g[2]:.0f} s over {g[1]} tests" for g in big[:4])
    longest = m["longest"]
    bound = ""
    if not met:
        bound = (f"the CPU work alone: {run.cpu:.0f} CPU-s / {n} cores = {bound_cpu:.0f} s even "
                 f"if both cores were busy all the time (goal {TEST_GOAL:.0f} s). Where the "
                 f"test time goes (summed per test): {shares}. The longest single scope, which "
                 f"one worker must run alone, is `{longest[3]}` at {longest[4]:.0f} s. "
                 "Meeting the goal needs less CPU work (fewer kernel starts and notebook "
                 "executions), not more parallelism")
    if not everything_ran:
        bound = (f"not every test ran and passed (pytest exited with {run.returncode}, "
                 f"{counts}); " + bound)
    row = ["1. `make test` with the environment set up ≤ 90 s on 2 cores, every test run",
           BEFORE["test"], after, _verdict(met), bound]
    group_rows = [[g[0], f"{g[1]:,}", f"{g[2]:.1f} s", f"`{g[3]}` ({g[4]:.1f} s)"]
                  for g in big]
    detail = "\n\n".join([
        "### Goal 1: `make test`'s pytest run",
        f"`python {' '.join(m['command'])}` (the Makefile's `test` recipe after its setup and "
        f"lint) with `CI=true`, once, timed from outside; CPU seconds are user + system time "
        f"of it and all its children (`getrusage(RUSAGE_CHILDREN)` before and after: the "
        f"xdist workers, the kernels, JupyterLab, Chromium). {run.wall:.1f} s wall, "
        f"{run.cpu:.1f} CPU-s. The same run's per-test seconds (setup + call + teardown, from "
        "its JUnit report), summed by group; a scope is what one worker runs as a whole:",
        markdown_table(["group", "tests", "seconds (summed)", "longest scope"],
                              group_rows, align="lrrl"),
        "The slowest single items of that run (`--durations=15`):",
        "```\n" + "\n".join(run.top) + "\n```" if run.top else "(no durations reported)",
    ])
    return row, detail


def waiting_nbval(s: Settings) -> tuple[list[str], str]:
    m = nbval_measurement(s)
    run: TestRun = m["run"]
    own = m["own"]
    total_own = sum(t for t, _ in own.values())
    cells_own = sum(c for _, c in own.values())
    kernel = total_own - cells_own
    in_nbval = sum(m["per_notebook"].values())
    per_cell = (in_nbval - total_own) / max(run.tests, 1)
    start = m["startup"]
    xdist = start["workers"] - start["one process"]
    met = run.wall <= NBVAL_GOAL and run.returncode == 0
    after = (f"{run.wall:.1f} s wall for {run.tests} cells of {len(own)} notebooks on "
             f"{cores()} workers; the cells' own time {cells_own:.1f} s")
    gap = (f"of the gap to the cells' {cells_own:.1f} s: starting and stopping "
           f"{len(own)} kernels {kernel:.1f} s ({kernel / max(len(own), 1):.2f} s each, "
           f"nbclient); nbval's own work {in_nbval - total_own:+.1f} s "
           f"({1000 * per_cell:+.0f} ms per cell: sending each cell, comparing its outputs "
           f"with the saved ones through the sanitizer); xdist's workers {xdist:.1f} s to "
           f"start (an empty test: {start['workers']:.1f} s with workers, "
           f"{start['one process']:.1f} s in one process); the rest is two workers sharing "
           f"{in_nbval:.1f} s of notebook time ({in_nbval / cores():.1f} s each at best)")
    bound = "" if met else (
        f"{gap}. The notebooks' own time with kernels, {total_own:.1f} s, over "
        f"{cores()} cores is {total_own / cores():.1f} s before nbval does anything")
    row = ["2. The notebook series under nbval ≤ 30 s, the gap to the cells' own time "
           "explained", BEFORE["nbval"], after, _verdict(met), bound or gap]
    rows = [[f"`{name}`", f"{m['per_notebook'][name]:.1f} s", f"{t:.1f} s", f"{c:.1f} s"]
            for name, (t, c) in own.items()]
    rows.append(["**series**", f"**{in_nbval:.1f} s**", f"**{total_own:.1f} s**",
                 f"**{cells_own:.1f} s**"])
    detail = "\n\n".join([
        "### Goal 2: the notebook series under nbval",
        f"`pytest -n auto --dist loadscope --nbval --nbval-current-env --nbval-sanitize-with "
        f"notebooks/sanitize.cfg notebooks/{NOTEBOOK_GLOB}` with `CI=true`: {run.wall:.1f} s "
        f"wall, {run.cpu:.1f} CPU-s. Each notebook's seconds under nbval (its cells' test "
        "items summed, kernel start included) against one run of it by nbclient in a fresh "
        "kernel (section 4's way) with and without starting the kernel:",
        markdown_table(["notebook", "under nbval", "nbclient, with kernel",
                               "cells' own"], rows),
    ])
    return row, detail


def waiting_browser(s: Settings) -> tuple[list[str], str]:
    sys.path.insert(0, str(ROOT / "tools"))
    from bench_browser import bench_browser

    r = bench_browser(rounds=s.browser_rounds)
    st, ex = r["stepper"], r["explorer"]
    click, drag, explore = st["click_next_ms"], st["drag_slider_ms"], ex["drag_slider_ms"]
    worst = max(v for v in (click["median"], drag["median"], explore["median"]) if v == v)
    met = worst <= CLICK_GOAL and st["missed"] == 0 and ex["missed"] == 0
    per_step = st["bytes_received_per_step"]
    after = (f"click on Next → picture: median {click['median']:.0f} ms, p90 "
             f"{click['p90']:.0f} ms over {click['n']} clicks ({st['steps']} steps × "
             f"{s.browser_rounds}); stepper slider drag median {drag['median']:.0f} ms; "
             f"explorer slider drag median {explore['median']:.0f} ms (notebook 04, m = "
             f"{ex['m']}); {per_step['median']:,.0f} bytes per step from the kernel (all steps "
             f"sent once: {st['widget_state']['bytes'] / 1000:.1f} kB, "
             f"{st['bytes_sent_once_per_step'] / 1000:.1f} kB per step)")
    if st["missed"] or ex["missed"]:
        after += f"; {st['missed'] + ex['missed']} moves showed no new picture within 10 s"
    bound = "" if met else (
        f"the slowest median is {worst:.0f} ms. Every step's picture is already in the page "
        f"(sent once, {st['widget_state']['bytes'] / 1000:.0f} kB, "
        f"{st['bytes_sent_once_per_step'] / 1000:.1f} kB per step); per step only "
        f"{per_step['median']:,.0f} bytes arrive from the kernel (widget state messages, no "
        "picture), so the time left is the front end's: the widget models' updates and Chromium's "
        f"style, layout and paint of the new picture (fastest click {click['min']:.0f} ms, "
        f"p10 {click['p10']:.0f} ms)")
    if st["missed"] or ex["missed"]:
        bound = (f"{st['missed'] + ex['missed']} moves showed no new picture within "
                 "10 s (see the table below); " + bound)
    row = ["3. Stepper in Chromium: median click on Next (and explorer slider drag) → updated "
           "picture ≤ 50 ms over every step; bytes per step", BEFORE["stepper"], after,
           _verdict(met), bound]
    table = [["stepper: click on Next", click], ["stepper: drag the slider one step", drag],
             ["explorer (notebook 04): drag the slider one example", explore]]
    detail = "\n\n".join([
        "### Goal 3: the stepper in the browser",
        "`tools/bench_browser.py`: a private JupyterLab and headless Chromium; notebook 03 run, "
        "then Next clicked over every step of the lecture's network, timed in the page from "
        "the click to the frame in which both the counter and the diagram show the new step; "
        "then the slider dragged step by step, and notebook 04's explorer slider from i = m to "
        "0 and back, timed from the pointer move to the frame with the new picture. Bytes are "
        "the websocket frames from the kernel between two moves. Milliseconds:",
        markdown_table(["move", "n", "median", "p10", "p90", "max"],
                              [[name, f"{v['n']}", f"{v['median']:.0f}", f"{v['p10']:.0f}",
                                f"{v['p90']:.0f}", f"{v['max']:.0f}"] for name, v in table]),
    ])
    return row, detail


def waiting_grading(s: Settings) -> tuple[list[str], str]:
    sys.path.insert(0, str(ROOT / "tools"))
    from bench_grading import grading_rows

    rows = grading_rows(class_size=s.class_size, jobs=cores(), repeats=s.grading_repeats)
    own, graded, overhead, klass = rows
    met_one = overhead["seconds"] <= GRADING_GOAL
    met_class = klass["seconds"] <= CLASS_GOAL * s.class_size / 30
    after = (f"{graded['measure']}: {graded['seconds']:.1f} s against {own['seconds']:.1f} s "
             f"for its own run: {overhead['seconds']:+.1f} s; {klass['measure'].split(' (')[0]}: "
             f"{klass['seconds']:.0f} s")
    bound = []
    if not met_one:
        bound.append(f"the overhead of {overhead['seconds']:.1f} s over the own run")
    if not met_class:
        bound.append(f"{klass['detail']}")
    row = ["4. Grading: `check` of one notebook ≤ 2 s over its own run; a class of 30 on 2 "
           "cores ≤ 3 min", BEFORE["grading"], after,
           _verdict(met_one and met_class), "; ".join(bound)]
    detail = "\n\n".join([
        "### Goal 4: grading",
        "`tools/bench_grading.py` (`grading_rows`): the instructor's notebook in a fresh "
        "kernel, `check` of a right submission of it, each pair in turn; then one `check` of "
        f"a folder of {s.class_size} submissions (right and wrong alternating) on "
        f"{cores()} processes.",
        markdown_table(["measure", "seconds", "detail"],
                              [[r["measure"], f"{r['seconds']:.1f}", r["detail"]]
                               for r in rows], align="lrl"),
    ])
    return row, detail


def waiting_setup(s: Settings) -> tuple[list[str], str]:
    from time_setup import time_setup

    goal = ("5. Setup from a fresh clone, warm cache: `make lab` serving ≤ 60 s; `make test`'s "
            "setup ≤ 60 s")
    if not s.setup:
        return [goal, BEFORE["setup"], "not measured (`--skip-setup`)", "–", ""], ""
    r = time_setup()
    per = r["test_targets"]
    installer = "uv" if r["uv"] else "pip (no uv wheel from this machine's index: the fallback)"
    met = r["lab"] <= SETUP_GOAL and r["test"] <= SETUP_GOAL
    parts = ", ".join(f"`{k}` {v:.0f} s" for k, v in per.items())
    after = (f"`make lab` to JupyterLab answering: {r['lab']:.0f} s; `make test`'s setup: "
             f"{r['test']:.0f} s ({parts}); installer: {installer}")
    bound = ""
    if not met:
        slow = max(per, key=per.__getitem__)
        bound = (f"`make test`'s setup is {r['test']:.0f} s, of which `{slow}` takes "
                 f"{per[slow]:.0f} s" if r["test"] > SETUP_GOAL else "")
        if r["lab"] > SETUP_GOAL:
            bound += ("; " if bound else "") + (
                f"`make lab` takes {r['lab']:.0f} s, of which creating .venv and installing "
                f"the pins with {installer.split()[0]} is what `make setup` measures "
                f"({per.get('setup', float('nan')):.0f} s)")
        if not r["uv"]:
            bound += ("; the packages were installed by pip, because uv could not be "
                      "installed from this machine's package index")
    row = [goal, BEFORE["setup"], after, _verdict(met), bound]
    detail = "\n\n".join([
        "### Goal 5: setup",
        f"`tools/time_setup.py` on two fresh clones of {r['rev']} (this checkout's HEAD) with "
        "the package caches of pip, uv and npm as this machine has them: `make lab` timed "
        "until its JupyterLab answers HTTP; on the other clone, the targets `make test` runs "
        "before its lint and tests, each timed in turn: " + parts + ".",
    ])
    return row, detail


# ---------------------------------------------------------------- the figure and the page

def figure(data: dict[str, Any], path: Path) -> None:
    """Left: gradient time against m (log–log); right: the m = 5000 gradient compared."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nbhelpers.display.plots import OKABE_ITO, use_projector_style

    use_projector_style()
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 5.5), constrained_layout=True)
    result: timing.Scaling = data["scaling"]
    rate = data["gradient"]["rate"]
    for name, colour, marker in (("loop", OKABE_ITO[5], "s"), ("vectorized", OKABE_ITO[0], "o")):
        ms, ts = result.series(name)
        left.loglog(ms, ts, marker=marker, color=colour, label=f"{name}")
    sizes = result.sizes
    left.loglog(sizes, [timing.gradient_flops(CLASSIC, m) / rate for m in sizes], "--",
                color=OKABE_ITO[7], label="roofline (same FLOPs at matmul speed)")
    left.set(xlabel="number of examples m", ylabel="seconds per gradient (median)",
             title="Gradient time, 400-25-10")
    left.legend()
    left.grid(True, which="major", alpha=0.3)
    g = data["gradient"]
    bars = [("roofline", g["roofline"]), ("vectorized", g["vec"])]
    if g["torch"] is not None:
        bars.append(("PyTorch autograd", g["torch"]))
    bars.append(("loop", g["loop"]))
    names = [b[0] for b in bars]
    right.barh(names, [b[1] * 1e3 for b in bars],
               color=[OKABE_ITO[7], OKABE_ITO[0], OKABE_ITO[2], OKABE_ITO[5]][:len(bars)])
    right.set_xscale("log")
    right.invert_yaxis()
    right.set(xlabel="milliseconds per gradient (median, log scale)",
              title="One gradient at m = 5000")
    for i, (_, t) in enumerate(bars):
        right.text(t * 1e3 * 1.1, i, timing.format_time(t), va="center")
    right.set_xlim(right=max(b[1] for b in bars) * 1e3 * 8)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def targets_table(report: Report) -> str:
    """The issue's targets with met / missed and, where missed, what bounds it."""
    rows = []
    for what, measured, bound, met in report.targets:
        verdict = "not measured" if met is None else ("**met**" if met else "**missed**")
        rows.append([what, measured, verdict, bound or ""])
    return markdown_table(["target", "measured", "verdict", "what bounds it"], rows,
                                 align="llll")


WAITING_GOALS = ("tests", "nbval", "browser", "grading", "setup")
SECTIONS = ("gradient", "scaling", "training", "stepper", "memory", "notebooks", "waiting")


def merge_page(old: str, report: Report, note: str) -> str:
    """The existing page with the sections just measured replaced (or added before the
    machine section); the other sections and the targets table stay as they were."""
    parts = old.split("\n\n## ")
    head, sections = parts[0], parts[1:]
    for text in report.sections:
        title = text.split("\n", 1)[0].removeprefix("## ")
        new = text.removeprefix("## ") + f"\n\n{note}"
        match = [i for i, old_text in enumerate(sections)
                 if old_text.split("\n", 1)[0] == title]
        if match:
            sections[match[0]] = new
        else:
            at = next((i for i, old_text in enumerate(sections)
                       if old_text.startswith("Machine and versions")), len(sections))
            sections.insert(at, new)
    page = "\n\n## ".join([head, *sections]).rstrip("\n") + "\n"
    for what, measured, bound, met in report.targets:     # their rows of the targets table
        verdict = "not measured" if met is None else ("**met**" if met else "**missed**")
        row = markdown_table(["a", "b", "c", "d"], [[what, measured, verdict, bound]],
                                    align="llll").splitlines()[-1]
        lines = page.split("\n")
        lines = [row if line.startswith(f"| {what} |") else line for line in lines]
        page = "\n".join(lines)
    return page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer repeats and a small part of the test suite, for trying it out")
    parser.add_argument("--out", type=Path, default=DOCS, help="where to write the two files")
    parser.add_argument("--only", choices=SECTIONS, action="append",
                        help="measure only this section (repeatable) and replace it in the "
                             "existing page; the other sections are kept")
    parser.add_argument("--skip-notebooks", action="store_true")
    parser.add_argument("--skip-setup", action="store_true",
                        help="section 7 without timing setup from fresh clones")
    parser.add_argument("--waiting", action="append", choices=WAITING_GOALS,
                        help="in section 7, measure only this goal (repeatable); the section "
                             "then has only these rows")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        memory_child()
        return 0
    s = Settings()
    if args.quick:
        s = Settings(fast_repeats=7, fast_budget=3, loop_repeats=3, loop_budget=3,
                     scaling_repeats=3, scaling_budget=1, train_repeats=3, train_budget=3,
                     torch_repeats=5,
                     notebook_runs=1, notebook_budget=60, stepper_repeats=1,
                     test_paths=("tests/test_cost.py", "tests/test_timing.py",
                                 "notebooks/00-start-here.ipynb"),
                     nbval_notebooks=2, browser_rounds=1, grading_repeats=1, class_size=4)
    s.setup = not args.skip_setup
    s.waiting = tuple(args.waiting or ())
    started = datetime.datetime.now(datetime.UTC)
    t0 = time.perf_counter()
    loads = [os.getloadavg()]
    report = Report()
    data: dict[str, Any] = {}
    steps: list[tuple[str, Callable[[], None]]] = [
        ("gradient", lambda: gradient_benchmark(report, s, data)),
        ("scaling", lambda: scaling_benchmark(report, s, data)),
        ("training", lambda: training_benchmark(report, s)),
        ("stepper", lambda: stepper_benchmark(report, s)),
        ("memory", lambda: memory_benchmark(report)),
        ("notebooks", lambda: notebook_benchmark(report, s)),
        ("waiting", lambda: waiting_benchmark(report, s)),
    ]
    wanted = set(args.only or SECTIONS) - ({"notebooks"} if args.skip_notebooks else set())
    for name, step in steps:
        if name not in wanted:
            continue
        t = time.perf_counter()
        if name == "notebooks":
            s.notebook_budget = min(s.notebook_budget, s.total_budget - (t - t0))
        step()
        print(f"bench: {name} measured in {time.perf_counter() - t:.0f} s", flush=True)
    loads.append(os.getloadavg())
    args.out.mkdir(parents=True, exist_ok=True)
    page_path = args.out / "benchmarks.md"
    if args.only:
        if not page_path.exists():
            parser.error(f"--only replaces sections of {page_path}, which does not exist yet")
        command = " ".join(["tools/bench.py", *(argv if argv is not None else sys.argv[1:])])
        note = (f"*Measured alone (`{command}`) on "
                f"{started.strftime('%Y-%m-%d %H:%M UTC')}, load average "
                f"{load_text(loads)} on {os.cpu_count()} cores, in "
                f"{timing.format_time(time.perf_counter() - t0)}; the machine section below "
                "is from the last full run.*")
        page_path.write_text(merge_page(page_path.read_text(), report, note))
        print(f"bench: replaced {', '.join(args.only)} in {page_path} "
              f"in {time.perf_counter() - t0:.0f} s")
        return 0
    figure(data, args.out / "benchmarks.png")
    order = sorted(report.sections, key=lambda text: text.split(".", 1)[0])
    page = "\n\n".join([
        "# Benchmarks",
        "Written by `make bench` (`tools/bench.py`); do not edit by hand. Every comparison "
        "ran its candidates side by side in one process, interleaved round by round, and "
        "reports the median of repeated runs, as a time and as a ratio (`tools/timing.py`). "
        "Section 7 times what people wait for (issue 17) from outside, once each.",
        "![Gradient time against m, and one gradient at m = 5000](benchmarks.png)",
        "*Figure: left, the seconds per gradient against the number of examples m on log–log "
        "axes, for the lecture's loop, the vectorized version and the roofline; right, one "
        "gradient at m = 5000 for each method, on a log scale.*",
        "## Targets", targets_table(report),
        *order,
        "## Machine and versions", machine_section(loads, started, time.perf_counter() - t0),
    ]) + "\n"
    (args.out / "benchmarks.md").write_text(page)
    print(f"bench: wrote {args.out / 'benchmarks.md'} and {args.out / 'benchmarks.png'} "
          f"in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
