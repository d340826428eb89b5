"""The capstone's probes: the problems the student's ``backprop(Theta, X, Y, lam)`` is run on.

Networks with no hidden layer, one, two and three, whose layer sizes all differ (so that a
missing transpose cannot fit by accident), one example and several distinct ones, λ = 0 and two
values of λ that are not 1, and one example tried with two labels (:func:`probes`);
:func:`collect` runs the student's function on each, as evidence. The check itself is
:mod:`nbhelpers.course.capstone`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from ..activation import sigmoid, sigmoid_gradient
from ..examples import lecture_network, one_hot
from .evidence import Run
from .recognize import Known, library
from .running import run_function
from .steps import Trace, run

CAPSTONE = "05-backprop"
ALLOWED = (sigmoid, sigmoid_gradient)
"""The only package functions the capstone may call: g and g′ (``nb.sigmoid``,
``nb.sigmoid_gradient``)."""
PACKAGE_DIR = Path(__file__).resolve().parents[1]

NETWORKS: dict[str, tuple[int, ...]] = {
    "lecture": (3, 5, 5, 4),
    "three": (3, 5, 2),
    "four": (3, 5, 7, 2),
    "two": (3, 2),
    "five": (3, 5, 7, 9, 2),
}
"""The probe networks. Besides the lecture's, every size differs from every other size and from
each size plus one (a⁽ˡ⁾ with its bias unit), so a shape tells what an array is."""

ROLES = ("one", "other_label", "batch", "small_lambda", "large_lambda", "one_lambda")
"""Per network: one example with λ = 0; the same input with another label; three examples with
λ = 0; the three with λ = 0.7 and λ = 2.5; the one example with λ = 0.7."""
LAMBDAS = {"small_lambda": 0.7, "large_lambda": 2.5, "one_lambda": 0.7}
BATCH = 3


@dataclass(frozen=True, kw_only=True)
class Probe:
    """One problem the student's function is run on."""

    network: str
    role: str
    Theta: dict[int, np.ndarray]
    X: np.ndarray
    Y: np.ndarray
    lam: float

    @property
    def L(self) -> int:
        return len(self.Theta) + 1

    @property
    def m(self) -> int:
        return self.X.shape[0]

    @property
    def sizes(self) -> list[int]:
        return [self.Theta[1].shape[1] - 1] + [self.Theta[l].shape[0] for l in sorted(self.Theta)]

    @property
    def title(self) -> str:
        net = ("the lecture's 3-5-5-4 network" if self.network == "lecture"
               else f"a {len(self.sizes)}-layer {'-'.join(map(str, self.sizes))} network")
        examples = "one example" if self.m == 1 else f"m = {self.m} examples"
        return f"{net}, {examples}, λ = {self.lam:g}"

    def args(self) -> tuple[Any, ...]:
        return ({l: T.copy() for l, T in self.Theta.items()}, self.X.copy(), self.Y.copy(),
                self.lam)

    @cached_property
    def trace(self) -> Trace:
        """The lecture's loop on this probe: every a, z, δ, Δ and the right D."""
        return run(self.Theta, self.X, self.Y, self.lam)

    @cached_property
    def known(self) -> list[Known]:
        return library(self.Theta, self.trace)


def _network(sizes: Sequence[int], rng: np.random.Generator) -> tuple[dict[int, np.ndarray], np.ndarray]:
    Theta = {l: np.round(rng.uniform(-1, 1, size=(sizes[l], sizes[l - 1] + 1)), 2)
             for l in range(1, len(sizes))}
    X = np.round(rng.uniform(-0.95, 0.95, size=(BATCH, sizes[0])), 2)
    return Theta, X


def probes(seed: int | None = None) -> list[Probe]:
    """Every probe problem: six roles (:data:`ROLES`) on each network of :data:`NETWORKS`.

    The lecture's network uses the course's own Θ and examples unless a ``seed`` is given (the
    grader draws one per run, so that no answer can be prepared for the probes)."""
    rng = np.random.default_rng(20261207 if seed is None else seed)
    out = []
    for name, sizes in NETWORKS.items():
        if name == "lecture" and seed is None:
            p = lecture_network(BATCH)
            Theta, X = {l: np.array(T, dtype=float) for l, T in p.Theta.items()}, np.array(p.X)
        else:
            Theta, X = _network(sizes, rng)
        K = sizes[-1]
        labels = np.arange(BATCH) % K if name != "lecture" else np.argmax(
            lecture_network(BATCH).Y, axis=1)
        Y = one_hot(labels, K)
        other = one_hot([(labels[0] + 1) % K], K)
        for role in ROLES:
            one = role in ("one", "other_label", "one_lambda")
            out.append(Probe(network=name, role=role, Theta=Theta,
                             X=X[:1] if one else X, Y=(other if role == "other_label"
                                                        else Y[:1] if one else Y),
                             lam=LAMBDAS.get(role, 0.0)))
    return out


def collect(function: Callable[..., Any], problems: Sequence[Probe] | None = None, *,
            package_dir: Path | str | None = PACKAGE_DIR) -> list[Run]:
    """The student's function run on every probe (on copies), as evidence."""
    return [run_function(function, p.args(), names=("Theta", "X", "Y", "lam"),
                         package_dir=package_dir, allowed=ALLOWED)
            for p in (problems if problems is not None else probes())]



__all__ = ["ALLOWED", "BATCH", "CAPSTONE", "LAMBDAS", "NETWORKS", "PACKAGE_DIR", "ROLES", "Probe",
           "collect", "probes"]
