"""What an array in a student's code is: the lecture's quantities it may equal, right or wrong.

When a student's backprop stops with an error, the check reads the operands of the failing
operation and the arrays the code held (:class:`nbhelpers.course.evidence.Failure`) and asks, for
each, which quantity of the lecture's algorithm on that problem it equals: a⁽²⁾ with its bias
unit, Θ⁽³⁾, δ⁽⁴⁾, one example's share δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ, … — or one of a few wrong forms a mistake
produces (δ with δ₀ kept, an output layer with a bias unit, the share transposed). That tells
which step the code was in and what it had computed correctly by then, by value and shape alone:
never by variable names.

A quantity is recognized in the lecture's one-example form and in the stacked form of a
vectorized answer (one row per example); :attr:`Known.identity` is the same for both, and for
Θ and Θᵀ, so that a loop and a matrix version of the same mistake look alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from ..activation import sigmoid_gradient
from .steps import STEPS, Trace

ORDER = {step: k for k, step in enumerate(STEPS)}


@dataclass(frozen=True, kw_only=True)
class Known:
    """One quantity of the algorithm on one problem."""

    label: str
    """As the message writes it: ``a⁽²⁾ with its bias unit``, ``δ⁽³⁾ with δ₀ kept``."""
    identity: tuple[str, int]
    """(kind, layer), the same for a vector and its stacked or transposed form."""
    step: str | None
    """The lecture step that makes it (None for the problem's own data, Θ, x, y)."""
    layer: int
    array: np.ndarray
    wrong: bool = False
    """A form that only a mistake produces."""
    mistake: str | None = None
    """The catalogue mistake that produces this wrong form, when it is the only one."""


def _sup(l: int) -> str:
    from ..validation import sup
    return sup(l)


def library(Theta: dict[int, np.ndarray], trace: Trace) -> list[Known]:
    """Every quantity of the lecture's algorithm on the problem ``trace`` ran, right and wrong."""
    out: list[Known] = []
    L = len(Theta) + 1
    m = len(trace.examples)

    def add(label: str, kind: str, layer: int, step: str | None, array: np.ndarray,
            wrong: bool = False, mistake: str | None = None, stacked: np.ndarray | None = None
            ) -> None:
        kind = f"{kind}:{mistake or label}" if wrong else kind
        out.append(Known(label=label, identity=(kind, layer), step=step, layer=layer,
                         array=np.asarray(array, dtype=float), wrong=wrong, mistake=mistake))
        if stacked is not None:
            out.append(Known(label=label.replace("a⁽", "A⁽").replace("z⁽", "Z⁽") + " (all examples)",
                             identity=(kind, layer), step=step, layer=layer,
                             array=np.asarray(stacked, dtype=float), wrong=wrong, mistake=mistake))

    def stack(values: Iterable[np.ndarray]) -> np.ndarray:
        return np.array(list(values))

    exs = trace.examples
    for l, T in Theta.items():
        s = f"Θ{_sup(l)}"
        add(s, "Theta", l, None, T)
        add(f"{s} without its bias column", "Theta_units", l, None, T[:, 1:])
        add(f"({s})ᵀ", "Theta", l, None, T.T)
        add(f"({s} without its bias column)ᵀ", "Theta_units", l, None, T[:, 1:].T)
    for i, ex in enumerate(exs[:1]):      # the first example, and all of them stacked
        del i
        add("x (the example's input)", "a_units", 1, None, ex.x, stacked=stack(e.x for e in exs))
        add("y (the example's label)", "y", L, None, ex.y, stacked=stack(e.y for e in exs))
        for l in range(1, L):
            add(f"a{_sup(l)} with its bias unit", "a", l, "forward", ex.a[l],
                stacked=stack(e.a[l] for e in exs))
            if l > 1:
                add(f"a{_sup(l)} without its bias unit", "a_units", l, "forward", ex.a[l][1:],
                    stacked=stack(e.a[l][1:] for e in exs))
        add(f"a{_sup(L)} = h_Θ(x)", "a_units", L, "forward", ex.a[L],
            stacked=stack(e.a[L] for e in exs))
        add(f"a{_sup(L)} with a bias unit (the output layer has none)", "a", L, "forward",
            np.concatenate(([1.0], ex.a[L])), wrong=True,
            stacked=stack(np.concatenate(([1.0], e.a[L])) for e in exs))
        for l in range(2, L + 1):
            add(f"z{_sup(l)}", "z", l, "forward", ex.z[l], stacked=stack(e.z[l] for e in exs))
        add(f"δ{_sup(L)}", "delta", L, "output_delta", ex.delta[L],
            stacked=stack(e.delta[L] for e in exs))
        add(f"δ{_sup(L)} as a column (an s_L × 1 matrix)", "delta", L, "output_delta",
            ex.delta[L][:, None], wrong=True, mistake="delta_L_column")
        add("y as a column (a K × 1 matrix)", "y", L, "output_delta", ex.y[:, None], wrong=True)
        add(f"a{_sup(L)} − y with y a column: a K × K matrix", "delta", L, "output_delta",
            ex.a[L][None, :] - ex.y[:, None], wrong=True)
        for l in range(2, L):
            add(f"δ{_sup(l)}", "delta", l, "hidden_delta", ex.delta[l],
                stacked=stack(e.delta[l] for e in exs))
            add(f"g′(z{_sup(l)})", "g_prime", l, "hidden_delta", sigmoid_gradient(ex.z[l]),
                stacked=stack(sigmoid_gradient(e.z[l]) for e in exs))
            back = Theta[l][:, 1:].T @ ex.delta[l + 1]
            add(f"(Θ{_sup(l)})ᵀδ{_sup(l + 1)} without the bias column", "back", l, "hidden_delta",
                back, stacked=stack(Theta[l][:, 1:].T @ e.delta[l + 1] for e in exs))
            full = Theta[l].T @ ex.delta[l + 1]
            add(f"(Θ{_sup(l)})ᵀδ{_sup(l + 1)} over all columns, δ₀ first", "back0", l,
                "hidden_delta", full, wrong=True, mistake="delta0_kept",
                stacked=stack(Theta[l].T @ e.delta[l + 1] for e in exs))
            a = ex.a[l]
            add(f"δ{_sup(l)} with δ₀ kept", "delta0", l, "hidden_delta", full * a * (1 - a),
                wrong=True, mistake="delta0_kept",
                stacked=stack((Theta[l].T @ e.delta[l + 1]) * e.a[l] * (1 - e.a[l]) for e in exs))
        for l in range(1, L):
            share = np.outer(ex.delta[l + 1], ex.a[l])
            add(f"the example's share δ{_sup(l + 1)}(a{_sup(l)})ᵀ", "share", l, "accumulate", share)
            add(f"a{_sup(l)}(δ{_sup(l + 1)})ᵀ, the share transposed", "share", l, "accumulate",
                share.T, wrong=True, mistake="outer_transposed")
            add(f"δ{_sup(l + 1)}(a{_sup(l + 1)})ᵀ, with a⁽ˡ⁺¹⁾ for a⁽ˡ⁾", "share", l, "accumulate",
                np.outer(ex.delta[l + 1], ex.a[l + 1]), wrong=True, mistake="outer_with_a_next")
    for l in Theta:
        Delta = trace.Delta[l]
        add(f"Δ{_sup(l)}", "Delta", l, "accumulate", Delta)
        add(f"Δ{_sup(l)} transposed", "Delta", l, "accumulate", Delta.T, wrong=True,
            mistake="outer_transposed")
        add(f"Δ{_sup(l)}/m", "Delta", l, "accumulate", Delta / m)
        add(f"(Δ{_sup(l)}/m) transposed", "Delta", l, "accumulate", (Delta / m).T, wrong=True,
            mistake="outer_transposed")
        add(f"D{_sup(l)}", "D", l, "d_terms", trace.D[l])
    return out


def _trivial(array: np.ndarray) -> bool:
    """Arrays too plain to tell apart (zeros, ones, a single number)."""
    return array.size <= 1 or bool(np.all(array == array.flat[0]))


def identify(array: object, known: Sequence[Known]) -> list[Known]:
    """The quantities of ``known`` that ``array`` equals (same shape, same values)."""
    if not isinstance(array, np.ndarray) or array.dtype.kind not in "biuf":
        return []
    a = np.asarray(array, dtype=float)
    if _trivial(a):
        return []
    return [k for k in known if k.array.shape == a.shape
            and np.allclose(a, k.array, rtol=1e-9, atol=1e-12)]


def best(matches: Iterable[Known]) -> Known | None:
    """The most telling of several matches: a wrong form first, then the latest step."""
    found = list(matches)
    if not found:
        return None
    return max(found, key=lambda k: (k.wrong, ORDER.get(k.step or "", -1), k.layer))


def present(arrays: Iterable[tuple[str, object]], known: Sequence[Known]) -> Iterator[Known]:
    """Every quantity of ``known`` that one of ``arrays`` equals."""
    for _, array in arrays:
        yield from identify(array, known)


__all__ = ["ORDER", "Known", "best", "identify", "library", "present"]
