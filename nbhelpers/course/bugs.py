"""The bug zoo: common backpropagation mistakes, each written as a working gradient function.

Every bug is the lecture's loop with exactly one line changed. The loop itself lives in
:func:`lecture_loop`; its two replaceable pieces are the δ step (the lecture's step 4) and the
D step (after the loop). A bug function passes its own version of one piece, so reading it
shows only the wrong line. ``gradient_check(..., gradient=BUGS[key].gradient)`` then measures
how far that wrong D lies from finite differences of J(Θ).

Some mistakes only show under certain conditions, and the descriptions say which:
regularizing the bias column needs λ > 0, a missing 1/m needs m > 1, and a transposed Θ in
the δ step only runs at all when the layers it connects have equal sizes (otherwise numpy
stops with a shape error, which is the lucky case). :func:`zoo_problem` is one network on
which every bug runs and shows.

Keeping δ₀ is in the zoo as what it really does: numpy stops with a shape error (explained in
the lecture's terms) before any D exists, so it never reaches the gradient check. Dropping the
last entry instead of δ₀ (``[:-1]`` for ``[1:]``) makes the shapes fit and is its own bug, the
off-by-one slice. Zero initialization is in the zoo too, but it is not a gradient bug either:
its D is correct, the gradient check passes, and a symmetry test catches it (notebook 07).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..activation import sigmoid_gradient
from ..cost import check_problem
from ..d_terms import regularization_gradient
from ..examples import Problem, debug_problem
from ..forward import forward_unchecked as _forward
from ..validation import Params, as_theta

DeltaStep = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]
DStep = Callable[[Params, Params, int, float], Params]
GradientFunction = Callable[..., Mapping[int, np.ndarray]]

ZOO_SIZES = (3, 5, 5, 5)
"""Layer sizes on which every bug runs: s₂ = s₃ = s₄, so a transposed Θ still fits."""

ZOO_LAMBDA = 1.0
"""A λ > 0, so that the mistakes in the regularization term show."""


def zoo_problem(m: int = 5) -> Problem:
    """A fixed debug problem (sizes :data:`ZOO_SIZES`, m > 1) on which every bug shows."""
    return debug_problem(ZOO_SIZES, m)


# ---- the lecture's loop, with its two replaceable pieces -------------------------------------

def delta_step(Theta_l: np.ndarray, delta_next: np.ndarray, z_l: np.ndarray,
               a_l: np.ndarray) -> np.ndarray:
    """δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ .* g′(z⁽ˡ⁾), without the bias entry δ₀ (column 0 of Θ⁽ˡ⁾ skipped).

    ``a_l`` is a⁽ˡ⁾ with its bias unit; the correct step does not need it.
    """
    return (Theta_l[:, 1:].T @ delta_next) * sigmoid_gradient(z_l)


def d_step(Delta: Params, Theta: Params, m: int, lam: float) -> Params:
    """D⁽ˡ⁾ = Δ⁽ˡ⁾/m + (λ/m)Θ⁽ˡ⁾ for j ≠ 0, and Δ⁽ˡ⁾/m for j = 0."""
    reg = regularization_gradient(Theta, m, lam)
    return {l: Delta[l] / m + reg[l] for l in Delta}


def lecture_loop(Theta: Any, X: Any, Y: Any, lam: float = 0.0, *,
                 delta_step: DeltaStep = delta_step, d_step: DStep = d_step) -> Params:
    """The lecture's algorithm with replaceable δ and D steps; with the defaults it is correct.

    Δ⁽ˡ⁾ := 0; for i = 1…m: forward pass, δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y⁽ⁱ⁾, δ⁽ˡ⁾ = ``delta_step(…)`` for
    l = L−1…2, Δ⁽ˡ⁾ := Δ⁽ˡ⁾ + δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ; then D = ``d_step(Δ, Θ, m, λ)``.
    """
    Theta, X, Y, lam = check_problem(Theta, X, Y, lam)
    L = len(Theta) + 1
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}
    for i in range(X.shape[0]):
        fp = _forward(Theta, X[i])
        delta = {L: fp.a[L] - Y[i]}
        for l in range(L - 1, 1, -1):
            delta[l] = delta_step(Theta[l], delta[l + 1], fp.z[l], fp.a[l])
        for l in Delta:
            Delta[l] += np.outer(delta[l + 1], fp.a[l])
    return d_step(Delta, Theta, X.shape[0], lam)


def _bias_column_zeroed(T: np.ndarray) -> np.ndarray:
    out = T.copy()
    out[:, 0] = 0.0
    return out


# ---- the bugs: each one replaces a single line --------------------------------------------

def keep_delta0(Theta: Any, X: Any, Y: Any, lam: float = 0.0) -> Params:
    """δ₀ kept: (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ over all sₗ + 1 columns of Θ⁽ˡ⁾, bias column included.

    Wrong because δ₀ belongs to the bias unit a₀, which has no incoming weights and so no
    error. The product has sₗ + 1 entries and g′(z⁽ˡ⁾) has sₗ, so numpy stops with a shape
    error on every network: this function raises a ValueError that explains it.
    """
    def step(Theta_l, delta_next, z_l, a_l):
        with _delta0_explained(Theta_l, z_l):
            return (Theta_l.T @ delta_next) * sigmoid_gradient(z_l)
    return lecture_loop(Theta, X, Y, lam, delta_step=step)


@contextmanager
def _delta0_explained(Theta_l: np.ndarray, z_l: np.ndarray) -> Iterator[None]:
    """Turn numpy's shape error of the δ₀ mistake into one in the lecture's terms."""
    try:
        yield
    except ValueError as error:
        s_l = z_l.shape[-1]
        raise ValueError(
            f"keeping δ₀ stops with a shape error: (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ over all columns of Θ⁽ˡ⁾ "
            f"(shape {Theta_l.shape}) has sₗ + 1 = {s_l + 1} entries, δ₀ for the bias unit "
            f"first, but g′(z⁽ˡ⁾) has sₗ = {s_l}; numpy says: {str(error).strip()}. The bias unit has no "
            "incoming weights and so no error: leave column 0 of Θ⁽ˡ⁾ out.") from None


def off_by_one_slice(Theta: Any, X: Any, Y: Any, lam: float = 0.0) -> Params:
    """An off-by-one slice: (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ over all columns, then ``[:-1]`` where ``[1:]`` was meant.

    Wrong because the slice keeps δ₀ (the bias unit's entry, first) and cuts off the LAST
    unit's error instead: every δ⁽ˡ⁾ⱼ is shifted by one unit, so row j of Δ⁽ˡ⁻¹⁾ receives unit
    j−1's error. The shapes fit, so nothing stops; only the numbers are wrong.
    """
    def step(Theta_l, delta_next, z_l, a_l):
        return (Theta_l.T @ delta_next)[:-1] * sigmoid_gradient(z_l)
    return lecture_loop(Theta, X, Y, lam, delta_step=step)


def g_prime_of_a(Theta: Any, X: Any, Y: Any, lam: float = 0.0) -> Params:
    """g′ evaluated at a⁽ˡ⁾ instead of z⁽ˡ⁾: sigmoid_gradient(a) where a .* (1 − a) was meant.

    Wrong because g′(a) = g(g(z))(1 − g(g(z))) applies the sigmoid twice; the right factor is
    g′(z⁽ˡ⁾), which happens to equal a⁽ˡ⁾ .* (1 − a⁽ˡ⁾) — mixing the two forms gives this bug.
    """
    def step(Theta_l, delta_next, z_l, a_l):
        return (Theta_l[:, 1:].T @ delta_next) * sigmoid_gradient(a_l[1:])
    return lecture_loop(Theta, X, Y, lam, delta_step=step)


def transposed_theta(Theta: Any, X: Any, Y: Any, lam: float = 0.0) -> Params:
    """Θ⁽ˡ⁾δ⁽ˡ⁺¹⁾ where (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ was meant (bias column still skipped).

    Wrong because the error of unit j of layer l comes back along the weights Θ⁽ˡ⁾ᵢⱼ that
    leave it, column j, not along row j. Numpy only accepts the product when s₍ₗ₊₁₎ = sₗ, so
    the bug runs silently exactly when the layers have equal sizes (:data:`ZOO_SIZES`);
    otherwise a clear error says that this mistake would already stop with a shape error.
    """
    def step(Theta_l, delta_next, z_l, a_l):
        _check_square(Theta_l, z_l.size)
        return (Theta_l[:, 1:] @ delta_next) * sigmoid_gradient(z_l)
    return lecture_loop(Theta, X, Y, lam, delta_step=step)


def _check_square(Theta_l: np.ndarray, s_l: int) -> None:
    if Theta_l.shape[0] != s_l:
        raise ValueError(
            f"the transposed-Θ mistake cannot run on this network: one Θ⁽ˡ⁾ has shape "
            f"{Theta_l.shape}, mapping the {s_l} units of layer l to {Theta_l.shape[0]} units, "
            "so Θ⁽ˡ⁾δ⁽ˡ⁺¹⁾ is a shape error that numpy reports at once. The mistake only goes "
            f"unnoticed when the layers have equal sizes, for example {ZOO_SIZES}.")


def regularize_bias(Theta: Any, X: Any, Y: Any, lam: float = 0.0) -> Params:
    """(λ/m)Θ⁽ˡ⁾ added to every column of D⁽ˡ⁾, the bias column j = 0 included.

    Wrong because J(Θ)'s penalty λ/(2m)·ΣΘ² leaves out j = 0, so its derivative there is 0.
    Invisible when λ = 0.
    """
    def step(Delta, Theta, m, lam):
        return {l: Delta[l] / m + (lam / m) * Theta[l] for l in Delta}
    return lecture_loop(Theta, X, Y, lam, d_step=step)


def missing_1_over_m(Theta: Any, X: Any, Y: Any, lam: float = 0.0) -> Params:
    """D⁽ˡ⁾ = Δ⁽ˡ⁾ + (λ/m)Θ⁽ˡ⁾: the accumulated sum used without dividing by m.

    Wrong because J(Θ) averages over the m examples, so its gradient is the average Δ/m of the
    per-example gradients. Every data term comes out m times too large; invisible when m = 1.
    """
    def step(Delta, Theta, m, lam):
        reg = regularization_gradient(Theta, m, lam)
        return {l: Delta[l] + reg[l] for l in Delta}
    return lecture_loop(Theta, X, Y, lam, d_step=step)


def lecture_lambda(Theta: Any, X: Any, Y: Any, lam: float = 0.0) -> Params:
    """The lecture's printed D⁽ˡ⁾ᵢⱼ = (1/m)Δ⁽ˡ⁾ᵢⱼ + λΘ⁽ˡ⁾ᵢⱼ (j ≠ 0): λ where λ/m is right.

    Wrong because the derivative of the cost's λ/(2m)·ΣΘ² is (λ/m)Θ; the printed term is m
    times too large. Invisible when λ = 0 or m = 1.
    """
    def step(Delta, Theta, m, lam):
        return {l: Delta[l] / m + lam * _bias_column_zeroed(Theta[l]) for l in Delta}
    return lecture_loop(Theta, X, Y, lam, d_step=step)


def correct(Theta: Any, X: Any, Y: Any, lam: float = 0.0) -> Params:
    """The lecture's loop with nothing changed: the same D as :func:`nbhelpers.backprop`."""
    return lecture_loop(Theta, X, Y, lam)


def hidden_unit_spread(Theta: Any) -> dict[int, float]:
    """For each hidden layer l = 2…L−1: max over j of (maxᵢ Θ⁽ˡ⁻¹⁾ᵢⱼ − minᵢ Θ⁽ˡ⁻¹⁾ᵢⱼ).

    How far apart the incoming weights of layer l's units are. 0 means every unit of layer l
    has the same weights, so it computes the same activation: the symmetry that zero
    initialization never breaks, however long the network trains.
    """
    Theta = as_theta(Theta)
    return {l + 1: float(np.ptp(Theta[l], axis=0).max()) for l in list(Theta)[:-1]}


@dataclass(frozen=True)
class Bug:
    """One common mistake: a short ``key``, a ``title``, what goes wrong (``description``) and
    ``gradient(Theta, X, Y, lam=0.0)``, the D that the mistaken code returns.

    ``gradient_bug`` is False for a mistake that never reaches the gradient check: one whose D
    is right (zero initialization, caught by a symmetry test) or one that ``stops`` with a shape
    error on every network (keeping δ₀: its ``gradient`` raises a ValueError that explains it).
    """

    key: str
    title: str
    description: str
    gradient: GradientFunction
    gradient_bug: bool = True
    stops: bool = False


_ZOO = [
    Bug("keep_delta0", "keeping δ₀ (the bias entry)",
        "(Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ is taken over all columns, bias column included: it has sₗ + 1 entries "
        "and g′(z⁽ˡ⁾) has sₗ, so numpy stops with a shape error before any D exists.",
        keep_delta0, gradient_bug=False, stops=True),
    Bug("off_by_one_slice", "an off-by-one slice ([:-1] for [1:])",
        "(Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ is taken over all columns and its LAST entry cut instead of δ₀, the "
        "first: δ₀ is kept, the last unit's error dropped, every δ⁽ˡ⁾ⱼ shifted by one unit.",
        off_by_one_slice),
    Bug("regularize_bias", "regularizing the bias column",
        "(λ/m)Θ⁽ˡ⁾ is added to column j = 0 of D⁽ˡ⁾ too, though the cost does not penalize "
        "the bias weights. Shows only when λ > 0.", regularize_bias),
    Bug("missing_1_over_m", "a missing 1/m",
        "D⁽ˡ⁾ uses the sum Δ⁽ˡ⁾ instead of the average Δ⁽ˡ⁾/m. Shows only when m > 1.",
        missing_1_over_m),
    Bug("g_prime_of_a", "g′ evaluated at a instead of z",
        "The δ step multiplies by g′(a⁽ˡ⁾) = g(a)(1 − g(a)) instead of g′(z⁽ˡ⁾) = a(1 − a).",
        g_prime_of_a),
    Bug("transposed_theta", "a transposed Θ in the δ step",
        "δ⁽ˡ⁾ uses Θ⁽ˡ⁾δ⁽ˡ⁺¹⁾ instead of (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾. Runs only when the layers have equal "
        "sizes; otherwise numpy stops with a shape error.", transposed_theta),
    Bug("lecture_lambda", "the lecture's printed +λΘ",
        "D⁽ˡ⁾ = Δ⁽ˡ⁾/m + λΘ⁽ˡ⁾ (j ≠ 0) as printed, where the cost's λ/(2m) gives (λ/m)Θ⁽ˡ⁾. "
        "Shows only when λ > 0 and m > 1.", lecture_lambda),
    Bug("zero_init", "zero initialization",
        "Θ starts at all zeros. D itself is correct, so the gradient check passes; but every "
        "hidden unit of a layer computes the same value and receives the same update, so the "
        "units stay identical forever. A symmetry test catches it, not the gradient check.",
        correct, gradient_bug=False),
]

def wrong_line(bug: Bug) -> str:
    """The line of code that makes the mistake: the ``return`` of the bug's own ``step``.

    Every other line of the algorithm is the lecture's (:func:`lecture_loop`). A bug whose D is
    right (zero initialization) has no wrong line in its gradient, and gives "".
    """
    lines = inspect.getsource(bug.gradient).splitlines()
    starts = [n for n, line in enumerate(lines) if line.strip().startswith("def step(")]
    if not starts:
        return ""
    return next(line.strip() for line in lines[starts[0] + 1:]
                if line.strip().startswith("return "))


BUGS: dict[str, Bug] = {bug.key: bug for bug in _ZOO}
"""Every mistake in the zoo, by key."""

GRADIENT_BUGS: dict[str, Bug] = {k: b for k, b in BUGS.items() if b.gradient_bug}
"""The mistakes that make D wrong, so that the gradient check catches them."""

__all__ = ["BUGS", "GRADIENT_BUGS", "ZOO_LAMBDA", "ZOO_SIZES", "Bug", "correct", "d_step",
           "delta_step", "g_prime_of_a", "hidden_unit_spread", "keep_delta0", "lecture_lambda",
           "lecture_loop", "missing_1_over_m", "off_by_one_slice", "regularize_bias", "transposed_theta",
           "wrong_line", "zoo_problem"]
