"""The bug zoo: common backpropagation mistakes, each the lecture's loop with one line changed.

Every bug is a record of the mistake catalogue (:mod:`nbhelpers.course.mistakes`, those marked
``zoo``): its key is the record's id, its wrong line the record's line, and its gradient the
lecture's loop (:func:`nbhelpers.course.steps.run`) with that one line in place of the right one
(:data:`nbhelpers.course.steps.RIGHT`). ``gradient_check(..., gradient=BUGS[key].gradient)``
then measures how far that wrong D lies from finite differences of J(Θ).

Some mistakes only show under certain conditions, and their records say which: regularizing the
bias column needs λ > 0, a missing 1/m needs m > 1, and Θ⁽ˡ⁾ not transposed in the δ step only
runs at all when the layers it connects have equal sizes (otherwise numpy stops with a shape
error, which is the lucky case). :func:`zoo_problem` is one network on which every bug runs and
shows.

Keeping δ₀ is in the zoo as what it really does: numpy stops with a shape error (explained in
the lecture's terms) before any D exists, so it never reaches the gradient check. Dropping the
last entry instead of δ₀ (``[:-1]`` for ``[1:]``) makes the shapes fit and is its own bug, the
off-by-one slice. Zero initialization is in the zoo too, but it is no line of the loop and no
gradient bug: its D is correct, the gradient check passes, and a symmetry test catches it
(notebook 07).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..examples import Problem, debug_problem
from ..validation import Params, as_theta, check_problem
from . import mistakes as catalogue
from .steps import RIGHT, STEP_OF_PIECE, StepError, gradient

GradientFunction = Callable[..., Mapping[int, np.ndarray]]

ZOO_SIZES = (3, 5, 5, 5)
"""Layer sizes on which every bug runs: s₂ = s₃ = s₄, so a Θ⁽ˡ⁾ left untransposed still fits."""

ZOO_LAMBDA = 1.0
"""A λ > 0, so that the mistakes in the regularization term show."""

STOPS = ("delta0_kept",)
"""The catalogue mistakes the zoo shows although they produce no D: numpy stops them at once."""

NAMES: dict[str, str] = {
    "Theta_l, Theta_l[:, 1:]": "Θ⁽ˡ⁾, and Θ⁽ˡ⁾ without its bias column j = 0",
    "a_l, a_l[1:]": "a⁽ˡ⁾ with its bias unit a₀ = 1 first, and a⁽ˡ⁾ without it",
    "z_l": "z⁽ˡ⁾",
    "a_L, z_L": "a⁽ᴸ⁾ = h_Θ(x) and z⁽ᴸ⁾, at the output",
    "y": "y, the example's label",
    "delta_next": "δ⁽ˡ⁺¹⁾, the delta terms of the layer above",
    "Delta_l": "Δ⁽ˡ⁾, the accumulator after the loop over the m examples",
    "m, lam": "m, the number of examples, and λ",
    "g_prime(v)": "g′(v) = g(v)(1 − g(v)), entry by entry (nb.sigmoid_gradient)",
    "no_bias(Theta_l)": "Θ⁽ˡ⁾ with its bias column j = 0 set to zero",
    "v.T, @, *": "vᵀ, the matrix product, the product entry by entry (the lecture's .*)",
    "v[:-1]": "every entry of v but the last",
}
"""What the names in the zoo's lines mean, in the lecture's notation: the lines are those of
:mod:`nbhelpers.course.steps`, and this table is all a reader needs to read them."""


def zoo_problem(m: int = 5) -> Problem:
    """A fixed debug problem (sizes :data:`ZOO_SIZES`, m > 1) on which every bug shows."""
    return debug_problem(ZOO_SIZES, m)


@dataclass(frozen=True, kw_only=True)
class Bug:
    """One common mistake: a ``key`` (the catalogue id), a ``title``, what goes wrong
    (``description``) and ``gradient(Theta, X, Y, lam=0.0)``, the D that the mistaken loop
    returns.

    ``gradient_bug`` is False for a mistake that never reaches the gradient check: one whose D
    is right (zero initialization, caught by a symmetry test) or one that ``stops`` with a shape
    error on every network (keeping δ₀: its ``gradient`` raises a ValueError that explains it).
    ``piece`` and ``line`` say which line of the loop the mistake replaces, and with what.
    """

    key: str
    title: str
    description: str
    gradient: GradientFunction
    gradient_bug: bool = True
    stops: bool = False
    piece: str = ""
    line: str = ""


def correct(Theta: Any, X: Any, Y: Any, lam: float = 0.0) -> Params:
    """The lecture's loop with nothing changed: the same D as :func:`nbhelpers.backprop`."""
    Theta, X, Y, lam = check_problem(Theta, X, Y, lam)
    return gradient(Theta, X, Y, lam)


def _explained(mistake: catalogue.Mistake, error: StepError, Theta: Params) -> ValueError:
    """The stop of a mistaken line, in the lecture's terms."""
    l = error.layer if isinstance(error.layer, int) and error.layer in Theta else None
    numpy_says = str(error.error).strip()
    if mistake.id == "delta0_kept" and l is not None:
        s_l = Theta[l].shape[1] - 1
        return ValueError(
            f"keeping δ₀ stops with a shape error: (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ over all columns of Θ⁽ˡ⁾ "
            f"(shape {Theta[l].shape}) has sₗ + 1 = {s_l + 1} entries, δ₀ for the bias unit "
            f"first, but g′(z⁽ˡ⁾) has sₗ = {s_l}; numpy says: {numpy_says}. The bias unit has no "
            "incoming weights and so no error: leave column 0 of Θ⁽ˡ⁾ out.")
    if mistake.id == "theta_not_transposed" and l is not None:
        rows, cols = Theta[l].shape
        return ValueError(
            f"Θ⁽ˡ⁾ not transposed cannot run on this network: Θ⁽ˡ⁾ has shape {Theta[l].shape}, "
            f"mapping the {cols - 1} units of layer l to {rows} units, so Θ⁽ˡ⁾δ⁽ˡ⁺¹⁾ is a shape "
            "error that numpy reports at once. The mistake only goes unnoticed when the layers "
            f"have equal sizes, for example {ZOO_SIZES}.")
    return ValueError(f"{mistake.title} stops with a shape error in layer {error.layer}: numpy "
                      f"says: {numpy_says}.")


def _gradient_of(mistake: catalogue.Mistake) -> GradientFunction:
    """The lecture's loop with the mistake's line in place of the right one."""
    replace = {mistake.piece: mistake.line}

    def bug_gradient(Theta: Any, X: Any, Y: Any, lam: float = 0.0) -> Params:
        Theta, X, Y, lam = check_problem(Theta, X, Y, lam)
        try:
            return gradient(Theta, X, Y, lam, replace)
        except StepError as error:
            raise _explained(mistake, error, Theta) from None

    bug_gradient.__name__ = bug_gradient.__qualname__ = mistake.id
    bug_gradient.__doc__ = (
        f"D with {mistake.title}: the lecture's loop with its line `{RIGHT[mistake.piece]}` "
        f"({STEP_OF_PIECE[mistake.piece].replace('_', ' ')}) written `{mistake.line}`.\n\n"
        f"Wrong because {mistake.explanation}.")
    return bug_gradient


def _bug(mistake: catalogue.Mistake) -> Bug:
    stops = mistake.id in STOPS
    shows = ("" if mistake.shows == "always" else
             f" It shows only when {mistake.shows[len('needs '):]}."
             if mistake.shows.startswith("needs ") else f" It {mistake.shows}.")
    text = mistake.explanation
    first = text[0].upper() if text[0].isascii() else text[0]    # δ is not Δ: symbols stay
    description = f"{first}{text[1:]}.{shows}"
    if stops:
        description += (" The shapes never fit: numpy stops with a shape error before any D "
                        "exists.")
    return Bug(
        key=mistake.id,
        title=mistake.title,
        description=description,
        gradient=_gradient_of(mistake),
        gradient_bug=not stops,
        stops=stops,
        piece=mistake.piece,
        line=mistake.line)


def _zoo() -> list[Bug]:
    bugs = [_bug(m) for m in catalogue.CATALOGUE
            if (m.zoo or m.id in STOPS) and m.piece in RIGHT]
    bugs.append(Bug(
        key="zero_init",
        title="zero initialization",
        description="Θ starts at all zeros. D itself is correct, so the gradient check passes; but every "
                    "hidden unit of a layer computes the same value and receives the same update, so the "
                    "units stay identical forever. A symmetry test catches it, not the gradient check.",
        gradient=correct,
        gradient_bug=False))
    return bugs


def wrong_line(bug: Bug) -> str:
    """The line of the loop that makes the mistake (its catalogue record's line); "" for a bug
    whose D is right (zero initialization), which changes no line."""
    return bug.line


def right_line(bug: Bug) -> str:
    """The lecture's line that the mistake replaces ("" for zero initialization)."""
    return RIGHT.get(bug.piece, "")


def hidden_unit_spread(Theta: Any) -> dict[int, float]:
    """For each hidden layer l = 2…L−1: max over j of (maxᵢ Θ⁽ˡ⁻¹⁾ᵢⱼ − minᵢ Θ⁽ˡ⁻¹⁾ᵢⱼ).

    How far apart the incoming weights of layer l's units are. 0 means every unit of layer l
    has the same weights, so it computes the same activation: the symmetry that zero
    initialization never breaks, however long the network trains.
    """
    Theta = as_theta(Theta)
    return {l + 1: float(np.ptp(Theta[l], axis=0).max()) for l in list(Theta)[:-1]}


BUGS: dict[str, Bug] = {bug.key: bug for bug in _zoo()}
"""Every mistake in the zoo, by key (the catalogue id; ``zero_init`` for zero initialization)."""

GRADIENT_BUGS: dict[str, Bug] = {k: b for k, b in BUGS.items() if b.gradient_bug}
"""The mistakes that make D wrong, so that the gradient check catches them."""

__all__ = ["BUGS", "GRADIENT_BUGS", "NAMES", "STOPS", "ZOO_LAMBDA", "ZOO_SIZES", "Bug", "correct",
           "hidden_unit_spread", "right_line", "wrong_line", "zoo_problem"]
