"""Section 1: one full gradient at m = 5000 (the classic digit exercise's size): the vectorized
gradient against PyTorch autograd, the lecture's loop and the machine's roofline, and where its
time goes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import timing
from scipy.special import expit

import nbhelpers as nb
from nbhelpers.display.number_table import markdown_table
from nbhelpers.validation import Params, check_finite, check_problem
from nbhelpers.vectorized import backprop_vectorized_unchecked

from .common import CLASSIC, CLASSIC_M, LAMBDA, TORCH_THREADS, Report, Settings


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


def measure(report: Report, s: Settings, figure_data: dict[str, Any]) -> None:
    """Section 1: one full gradient at m = 5000, 400-25-10: vectorized, PyTorch, loop, roofline."""
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
