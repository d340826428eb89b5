"""Two explorers: the accumulators Δ⁽ˡ⁾ filling up over i = 1…m, and the gradient check.

Each comes as a live widget and as a static figure (for a notebook read without a kernel).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..accumulate import accumulation_history, backprop
from ..cost import check_problem
from ..cost import cost_unchecked as _cost
from ..course.bugs import GRADIENT_BUGS
from ..d_terms import Gradient
from ..gradcheck import numerical_gradient, relative_difference
from ..validation import Params, sup
from .diagram import CMAP
from .plots import OKABE_ITO
from .stepper import close_tree, whole_number
from .style import scale_of
from .tables import TABLE_CSS, html_table
from .trace import trace_backprop
from .typeset import number_text

AGREE = 1e-7
"""A relative difference below this: backprop and finite differences agree."""

DISAGREE = 1e-3
"""A relative difference above this: almost certainly a bug in the gradient."""

EXPLORER_CSS = """
<style>
.bp-explorer {font-size: 16px;}
.bp-explorer .bp-explorer-title {font-size: 20px; font-weight: bold;}
.bp-explorer .bp-layer-row {margin: 6px 0;}
.bp-explorer .bp-reldiff {font-size: 20px;}
</style>
"""


def _display(widget: w.Widget) -> None:
    from IPython.display import display
    display(widget)


def _row(tables: list[str]) -> str:
    return f'<div class="bp-tables bp-layer-row">{"".join(tables)}</div>'


# --- the accumulators ----------------------------------------------------------------------

class AccumulatorExplorer:
    """The lecture's loop over i = 1…m, one example at a time: Δ⁽ˡ⁾ after i examples.

    Slide i from 0 (before the loop, every Δ⁽ˡ⁾ᵢⱼ = 0) to m. For each l it shows Δ⁽ˡ⁾ and the
    share δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ that example i added, coloured on one scale per layer that stays
    fixed as i moves, so a growing entry visibly darkens. At i = m it also shows
    D⁽ˡ⁾ = (1/m)Δ⁽ˡ⁾ + (λ/m)Θ⁽ˡ⁾ with the regularization term split out.

    Usage::

        from nbhelpers.widgets import AccumulatorExplorer
        p = nb.lecture_network()
        acc = AccumulatorExplorer(p.Theta, p.X, p.Y, lam=1.0)
        acc                  # shows the widget
        acc.i = 2            # Δ after the first two examples
        acc.Delta[1]         # that Δ⁽¹⁾ (equal to nb.accumulation_history(...)[2][1])
        acc.D                # D for all m examples (nb.backprop)
    """

    def __init__(self, Theta: Any, X: Any, Y: Any, lam: float = 0.0) -> None:
        self._Theta, self._X, self._Y, self._lam = check_problem(Theta, X, Y, lam)
        self._history = accumulation_history(self._Theta, self._X, self._Y)
        self._D = backprop(self._Theta, self._X, self._Y, self._lam)
        self._scale = {l: scale_of(*(h[l] for h in self._history)) for l in self._Theta}
        m = self.m
        self._slider = w.IntSlider(value=m, min=0, max=m, description="i",
                                   layout=w.Layout(width="420px")).add_class("bp-acc-slider")
        self._play = w.Play(value=m, min=0, max=m, interval=1200).add_class("bp-acc-play")
        self._link = w.jslink((self._play, "value"), (self._slider, "value"))
        self._title = w.HTML().add_class("bp-explorer-title").add_class("bp-acc-title")
        self._delta = w.HTML().add_class("bp-acc-delta")
        self._d = w.HTML().add_class("bp-acc-d")
        self._slider.observe(lambda _: self._render(), "value")
        self.widget = w.VBox([w.HTML(EXPLORER_CSS + TABLE_CSS),
                              w.HBox([self._play, self._slider]), self._title, self._delta,
                              self._d]).add_class("bp-explorer").add_class("bp-accumulator")
        self._render()

    @property
    def m(self) -> int:
        """The number of training examples."""
        return self._X.shape[0]

    @property
    def i(self) -> int:
        """How many examples have been accumulated (0…m)."""
        return self._slider.value

    @i.setter
    def i(self, i: int) -> None:
        self._slider.value = whole_number(i, "i", 0, self.m, "the number of examples "
                                          "accumulated so far; 0 is before the loop")

    @property
    def Delta(self) -> Params:
        """Δ⁽ˡ⁾ after the first i examples (a copy)."""
        return {l: D.copy() for l, D in self._history[self.i].items()}

    @property
    def history(self) -> list[Params]:
        """Δ after 0, 1, …, m examples, as :func:`~nbhelpers.accumulation_history` gives it."""
        return self._history

    @property
    def D(self) -> Gradient:
        """D⁽ˡ⁾ from all m examples, with ``.Delta`` and ``.regularization``."""
        return self._D

    def added(self, i: int) -> Params:
        """What example i (1…m) adds to each Δ⁽ˡ⁾: δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ, from its own forward and
        backward pass (the loop's step 5)."""
        i = whole_number(i, "i", 1, self.m, "the lecture's index of a training example")
        steps = trace_backprop(self._Theta, self._X[i - 1], self._Y[i - 1])
        return {int(s.symbol[6:-1]): s.value for s in steps if s.phase == "accumulate"}

    def _ipython_display_(self) -> None:
        _display(self.widget)

    def close(self) -> None:
        """Close this explorer's widgets (and only these)."""
        self._link.close()
        close_tree(self.widget)

    def _render(self) -> None:
        i, m = self.i, self.m
        if i == 0:
            self._title.value = "Before the loop: Δ⁽ˡ⁾ᵢⱼ = 0 for all l, i, j"
        else:
            self._title.value = (f"After example i = {i} of m = {m}: "
                                 "Δ⁽ˡ⁾ := Δ⁽ˡ⁾ + δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ")
        added = self.added(i) if i > 0 else {}
        rows = []
        for l in sorted(self._Theta):
            tables = [html_table(self._history[i][l], f"Δ{sup(l)} after {i} example"
                                 f"{'' if i == 1 else 's'}", self._scale[l], index_from=(1, 0))]
            if i > 0:
                tables.append(html_table(added[l], f"added by example {i}: "
                                         f"δ{sup(l + 1)}(a{sup(l)})ᵀ", self._scale[l],
                                         index_from=(1, 0)))
            rows.append(_row(tables))
        self._delta.value = "".join(rows)
        self._d.value = self._d_html() if i == m else (
            f"<p>D is formed after the loop, from all m = {m} examples: move i to {m}.</p>")

    def _d_html(self) -> str:
        D, m, lam = self._D, self.m, self._lam
        rows = [f"<p><b>After the loop:</b> D⁽ˡ⁾ = (1/m)Δ⁽ˡ⁾ + (λ/m)Θ⁽ˡ⁾ with m = {m}, "
                f"λ = {number_text(lam)} (the bias column j = 0 gets no λ term)</p>"]
        for l in sorted(D):
            rows.append(_row([
                html_table(D.Delta[l] / m, f"(1/m)Δ{sup(l)}", index_from=(1, 0)),
                html_table(D.regularization[l], f"(λ/m)Θ{sup(l)}, column 0 zero",
                           index_from=(1, 0)),
                html_table(D[l], f"D{sup(l)}", index_from=(1, 0))]))
        return "".join(rows)


def plot_accumulation(Theta: Any, X: Any, Y: Any, lam: float = 0.0,
                      after: Sequence[int] | None = None) -> Figure:
    """Static figure: Δ⁽ˡ⁾ after selected numbers of examples (one row per l), then D⁽ˡ⁾.

    One colour scale per layer across the Δ columns (as in the explorer); ``after`` defaults
    to 1, 2, … up to 4 values ending at m. Example::

        fig = plot_accumulation(p.Theta, p.X, p.Y, lam=1.0)
    """
    Theta, X, Y, lam = check_problem(Theta, X, Y, lam)
    history = accumulation_history(Theta, X, Y)
    D = backprop(Theta, X, Y, lam)
    m = X.shape[0]
    after = sorted({int(k) for k in np.linspace(1, m, min(m, 4))}) if after is None else [
        whole_number(k, "after", 0, m, "a number of examples") for k in after]
    layers = sorted(Theta)
    fig, axes = plt.subplots(len(layers), len(after) + 1, squeeze=False,
                             figsize=(2.6 * (len(after) + 1) + 1, 2.3 * len(layers) + 0.6),
                             layout="constrained")
    for row, l in enumerate(layers):
        scale = scale_of(*(h[l] for h in history))
        for col, k in enumerate(after):
            image = _heat(axes[row, col], history[k][l], scale,
                          f"Δ{sup(l)} after {k} example{'s' if k != 1 else ''}")
        fig.colorbar(image, ax=axes[row, :-1], shrink=0.9)
        last = _heat(axes[row, -1], D[l], scale_of(D[l]), f"D{sup(l)} (λ = {number_text(lam)})")
        fig.colorbar(last, ax=axes[row, -1], shrink=0.9)
    fig.suptitle(f"The accumulators fill up over the m = {m} examples", fontsize=13)
    return fig


def _heat(ax: Any, M: np.ndarray, scale: float, title: str) -> Any:
    """One Θ-shaped matrix as a heat map: rows i = 1…, columns j = 0… (0 is the bias)."""
    image = ax.imshow(M, cmap=CMAP, vmin=-scale, vmax=scale, aspect="auto")
    ax.set_title(title, fontsize=11)
    ax.set_xticks(range(M.shape[1]), [str(j) for j in range(M.shape[1])], fontsize=11)
    ax.set_yticks(range(M.shape[0]), [str(i) for i in range(1, M.shape[0] + 1)], fontsize=11)
    ax.set_xlabel("j (column; 0 = bias)", fontsize=11)
    ax.set_ylabel("i (row)", fontsize=11)
    return image


# --- the gradient check --------------------------------------------------------------------

class GradientCheckExplorer:
    """Finite differences against backprop's D, entry by entry, for any ε and with a bug.

    The ε slider (log scale, 10⁻¹⁰ … 10⁻¹) sets the step of the two-sided difference
    (J(Θ + ε) − J(Θ − ε)) / 2ε; the bug chooser swaps backprop for one of the mistakes of
    :mod:`nbhelpers.bugs`. Shown: for each Θ⁽ˡ⁾ the numeric gradient, the analytic D and
    their difference, and the relative difference ‖num − D‖ / ‖num + D‖.

    Usage::

        from nbhelpers.widgets import GradientCheckExplorer
        from nbhelpers.bugs import zoo_problem, ZOO_LAMBDA
        p = zoo_problem()
        gc = GradientCheckExplorer(p.Theta, p.X, p.Y, lam=ZOO_LAMBDA)
        gc                          # shows the widget
        gc.epsilon = 1e-7
        gc.bug = "missing_1_over_m" # a key of gc.bugs; None for the lecture's algorithm
        gc.relative_difference      # a number far above 1e-3: the check catches it

    A bug that cannot run on this network (a transposed Θ needs equal layer sizes) is not
    offered.
    """

    def __init__(self, Theta: Any, X: Any, Y: Any, lam: float = 0.0) -> None:
        self._Theta, self._X, self._Y, self._lam = check_problem(Theta, X, Y, lam)
        self._analytic: dict[str | None, Params] = {
            None: backprop(self._Theta, self._X, self._Y, self._lam)}
        for key, bug in GRADIENT_BUGS.items():
            try:
                self._analytic[key] = bug.gradient(self._Theta, self._X, self._Y, self._lam)
            except ValueError:
                continue                       # does not run on this network's shapes
        self._numeric: dict[float, Params] = {}
        self._eps = w.FloatLogSlider(value=1e-4, base=10, min=-10, max=-1, step=0.25,
                                     description="ε", readout_format=".0e",
                                     layout=w.Layout(width="420px")).add_class("bp-eps")
        options = [("no bug: the lecture's algorithm", None)] + [
            (GRADIENT_BUGS[k].title, k) for k in self._analytic if k is not None]
        self._bug = w.Dropdown(options=options, value=None, description="bug",
                               layout=w.Layout(width="420px")).add_class("bp-bug")
        self._readout = w.HTML().add_class("bp-reldiff")
        self._about = w.HTML().add_class("bp-bug-description")
        self._tables = w.HTML().add_class("bp-gc-values")
        self._eps.observe(lambda _: self._render(), "value")
        self._bug.observe(lambda _: self._render(), "value")
        self.widget = w.VBox([w.HTML(EXPLORER_CSS + TABLE_CSS), w.HBox([self._eps, self._bug]),
                              self._readout, self._about, self._tables]
                             ).add_class("bp-explorer").add_class("bp-gradcheck")
        self._render()

    @property
    def bugs(self) -> list[str]:
        """The keys of the bugs on offer (those that run on this network)."""
        return [k for k in self._analytic if k is not None]

    @property
    def epsilon(self) -> float:
        """ε of the finite differences."""
        return self._eps.value

    @epsilon.setter
    def epsilon(self, eps: float) -> None:
        if isinstance(eps, bool) or not isinstance(eps, int | float) or not 1e-10 <= eps <= 0.1:
            raise ValueError(f"epsilon must be a number from 1e-10 to 0.1 (the step of the "
                             f"finite differences), but it is {eps!r}.")
        self._eps.value = float(eps)

    @property
    def bug(self) -> str | None:
        """The injected bug's key, or None for the lecture's algorithm."""
        return self._bug.value

    @bug.setter
    def bug(self, key: str | None) -> None:
        if key not in self._analytic:
            raise ValueError(f"bug must be None or one of {self.bugs}, but it is {key!r}.")
        self._bug.value = key

    @property
    def numeric(self) -> Params:
        """The finite-difference gradient at the current ε."""
        eps = self.epsilon
        if eps not in self._numeric:
            Theta, X, Y, lam = self._Theta, self._X, self._Y, self._lam
            self._numeric[eps] = numerical_gradient(lambda T: _cost(T, X, Y, lam), Theta, eps)
        return self._numeric[eps]

    @property
    def analytic(self) -> Params:
        """D from backprop, or from the injected bug."""
        return self._analytic[self.bug]

    @property
    def relative_difference(self) -> float:
        """‖num − D‖ / ‖num + D‖ for the current ε and bug."""
        return relative_difference(self.numeric, self.analytic)

    def _ipython_display_(self) -> None:
        _display(self.widget)

    def close(self) -> None:
        """Close this explorer's widgets (and only these)."""
        close_tree(self.widget)

    def _render(self) -> None:
        r = self.relative_difference
        verdict = ("they agree" if r < AGREE else "they disagree: a bug" if r > DISAGREE
                   else "borderline: try another ε")
        self._readout.value = (f"relative difference ‖num − D‖ / ‖num + D‖ = "
                               f"<b>{number_text(r)}</b> ({verdict})")
        self._about.value = ("" if self.bug is None
                             else html.escape(GRADIENT_BUGS[self.bug].description))
        num, D = self.numeric, self.analytic
        rows = []
        for l in sorted(D):
            scale = scale_of(num[l], D[l])
            diff = num[l] - D[l]             # same colour scale: a tiny difference stays pale
            rows.append(_row([
                html_table(num[l], f"numeric ∂J/∂Θ{sup(l)}", scale, index_from=(1, 0)),
                html_table(D[l], f"D{sup(l)}", scale, index_from=(1, 0)),
                html_table(diff, f"numeric − D{sup(l)}", scale, index_from=(1, 0))]))
        self._tables.value = "".join(rows)


def plot_gradient_check(Theta: Any, X: Any, Y: Any, lam: float = 0.0,
                        epsilons: Sequence[float] | None = None,
                        bugs: Sequence[str] | None = None) -> Figure:
    """Static figure: the relative difference against ε, for backprop and for each bug.

    Log–log axes; the shaded bands mark agreement (below 10⁻⁷) and a sure bug (above 10⁻³).
    Example::

        fig = plot_gradient_check(p.Theta, p.X, p.Y, lam=1.0, bugs=["missing_1_over_m"])
    """
    Theta, X, Y, lam = check_problem(Theta, X, Y, lam)
    eps = np.logspace(-10, -1, 19) if epsilons is None else np.asarray(epsilons, dtype=float)
    keys = list(GRADIENT_BUGS) if bugs is None else list(bugs)
    for key in keys:
        if key not in GRADIENT_BUGS:
            raise ValueError(f"unknown bug {key!r}; the bugs are {list(GRADIENT_BUGS)}.")
    numeric = [numerical_gradient(lambda T: _cost(T, X, Y, lam), Theta, float(e)) for e in eps]
    curves = {"the lecture's algorithm": backprop(Theta, X, Y, lam)}
    for key in keys:
        try:
            curves[GRADIENT_BUGS[key].title] = GRADIENT_BUGS[key].gradient(Theta, X, Y, lam)
        except ValueError:
            continue
    fig, ax = plt.subplots(figsize=(11, 5), layout="constrained")
    # Okabe–Ito, black first (the correct D), without its yellow: too pale on white for a line
    okabe_ito = ["#000000", *(c for c in OKABE_ITO if c not in ("#000000", "#F0E442"))]
    markers = "os^vD<>p"
    lowest = 1.0
    for k, (name, D) in enumerate(curves.items()):
        r = np.maximum([relative_difference(n, D) for n in numeric], 1e-17)
        lowest = min(lowest, float(r.min()))
        ax.loglog(eps, r, marker=markers[k % 8], label=name, color=okabe_ito[k % 7],
                  linewidth=2 if k == 0 else 1.3)
    bottom = lowest / 30
    ax.axhspan(bottom, AGREE, color="#009E73", alpha=0.08)
    ax.axhspan(DISAGREE, 10, color="#D55E00", alpha=0.08)
    ax.set_ylim(bottom, 10)
    ax.set_xlabel("ε (step of the finite differences)", fontsize=12)
    ax.set_ylabel("relative difference ‖num − D‖ / ‖num + D‖", fontsize=12)
    ax.tick_params(labelsize=11)
    ax.legend(fontsize=11, loc="center left", bbox_to_anchor=(1.01, 0.5))
    ax.set_title(f"Gradient check (λ = {number_text(lam)}, m = {X.shape[0]})", fontsize=13)
    return fig


__all__ = ["AGREE", "DISAGREE", "AccumulatorExplorer", "GradientCheckExplorer",
           "plot_accumulation", "plot_gradient_check"]
