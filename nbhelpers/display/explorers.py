"""Two explorers: the accumulators Δ⁽ˡ⁾ filling up over i = 1…m, and the gradient check.

Each comes as a live widget and as a static figure (for a notebook read without a kernel).
The gradient check's mistaken versions of backprop come from the caller, as data (any records
with a ``title``, a ``description`` and a ``gradient``: :data:`nbhelpers.course.bugs.GRADIENT_BUGS`
in the notebooks); this module knows none of them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any, Protocol

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..accumulate import accumulation_history, backprop
from ..cost import cost
from ..d_terms import Gradient
from ..gradcheck import numerical_gradient, relative_difference
from ..validation import Params, check_problem, sup, whole_number
from .kernel_only import KernelOnly
from .plots import OKABE_ITO
from .style import CMAP, opaque, scale_of
from .tables import TABLE_CSS, html_table
from .typeset import number_text
from .widgetkit import (
    FONT,
    WidgetTree,
    base_css,
    check_size,
    html,
    linked_stack,
)

AGREE = 1e-7
"""A relative difference below this: backprop and finite differences agree."""

DISAGREE = 1e-3
"""A relative difference above this: almost certainly a bug in the gradient."""

FRONT_END_LIMIT = 60
"""Up to this many positions of a slider, every picture is rendered once and the slider
changes them in the browser; beyond it the kernel renders the one shown (a Stack of one)."""

EPSILONS = tuple(sorted([float(f"1e{k}") for k in range(-10, 0)]
                        + [float(f"3e{k}") for k in range(-10, -1)]))
"""The ε grid of the gradient-check explorer: 1 and 3 times each power of ten, 10⁻¹⁰ … 10⁻¹."""


class GradientBug(Protocol):
    """A mistaken version of backprop, as the gradient check shows it (the records of
    :data:`nbhelpers.course.bugs.GRADIENT_BUGS` are such)."""

    @property
    def title(self) -> str: ...

    @property
    def description(self) -> str: ...

    def gradient(self, Theta: Params, X: np.ndarray, Y: np.ndarray, lam: float) -> Any: ...


def explorer_css(size: str) -> str:
    """The explorers' style for one of the sizes of :mod:`nbhelpers.display.widgetkit`."""
    f = FONT[check_size(size)]
    return f"""<style>{base_css("bp-explorer", size)}
.bp-explorer.bp-size-{size} .bp-explorer-title {{font-size: {f['title']}px;
                                                 font-weight: bold;}}
.bp-explorer.bp-size-{size} .bp-layer-row {{margin: 6px 0;}}
.bp-explorer.bp-size-{size} .bp-reldiff {{font-size: {f['title']}px;}}
.bp-explorer.bp-size-{size} .bp-error {{font-size: {f['body']}px; white-space: pre-wrap;
    border-left: 4px solid #D55E00; padding: 4px 10px;}}
</style>"""


def _row(tables: list[str]) -> str:
    return f'<div class="bp-tables bp-layer-row">{"".join(tables)}</div>'


# --- the accumulators ----------------------------------------------------------------------

class AccumulatorExplorer(WidgetTree):
    """The lecture's loop over i = 1…m, one example at a time: Δ⁽ˡ⁾ after i examples.

    Slide i from 0 (before the loop, every Δ⁽ˡ⁾ᵢⱼ = 0) to m. For each l it shows Δ⁽ˡ⁾ and the
    share δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ that example i added, coloured on one scale per layer that stays
    fixed as i moves, so a growing entry visibly darkens. At i = m it also shows
    D⁽ˡ⁾ = (1/m)Δ⁽ˡ⁾ + (λ/m)Θ⁽ˡ⁾ with the regularization term split out.

    The pictures for i = 0…m are rendered once (up to :data:`FRONT_END_LIMIT` examples), so
    the slider and Play change them in the browser without the kernel.

    Usage::

        from nbhelpers.display.widgets import AccumulatorExplorer
        p = nb.lecture_network()
        acc = AccumulatorExplorer(p.Theta, p.X, p.Y, lam=1.0)
        acc                  # shows the widget
        acc.i = 2            # Δ after the first two examples
        acc.Delta[1]         # that Δ⁽¹⁾ (equal to nb.accumulation_history(...)[2][1])
        acc.D                # D for all m examples (nb.backprop)
    """

    def __init__(self, Theta: Any, X: Any, Y: Any, lam: float = 0.0, *,
                 bugs: Mapping[str, GradientBug] | None = None, size: str = "normal") -> None:
        self._size = check_size(size)
        self._bugs = dict(bugs or {})
        self._Theta, self._X, self._Y, self._lam = check_problem(Theta, X, Y, lam)
        self._history = accumulation_history(self._Theta, self._X, self._Y)
        self._D = backprop(self._Theta, self._X, self._Y, self._lam)
        self._scale = {l: scale_of(*(h[l] for h in self._history)) for l in self._Theta}
        m = self.m
        self._slider = w.IntSlider(value=m, min=0, max=m, description="i",
                                   layout=w.Layout(width="420px")).add_class("bp-acc-slider")
        self._play = w.Play(value=m, min=0, max=m, interval=1200).add_class("bp-acc-play")
        self._front_end = m + 1 <= FRONT_END_LIMIT
        positions = range(m + 1) if self._front_end else [m]
        pages = [html("bp-acc-page", self._page(i)) for i in positions]
        links: list[Any] = [w.jslink((self._play, "value"), (self._slider, "value"))]
        kernel_parts: list[w.Widget] = []   # its notes and its hidden checkboxes
        if self._front_end:
            self._stack, link = linked_stack(pages, self._slider)
            links.append(link)
        else:   # the kernel renders the one picture: disabled with a note where none answers
            self._stack = w.Stack(pages, selected_index=0).add_class("bp-stack")
            kernel = KernelOnly([self._slider, self._play])
            links.append(kernel.link)
            kernel_parts = [*kernel.notes, kernel.hidden]
            self._slider.observe(lambda c: setattr(pages[0], "value", self._page(c["new"])),
                                 "value")
        self._links = links
        self.widget = w.VBox([w.HTML(explorer_css(self._size) + TABLE_CSS),
                              w.HBox([self._play, self._slider]), *kernel_parts, self._stack]
                             ).add_class("bp-explorer").add_class("bp-accumulator").add_class(
                                 f"bp-size-{self._size}")

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
        i = whole_number(i, "i", 0, self.m, "the number of examples accumulated so far; "
                         "0 is before the loop")
        self._play.value = i       # in saved state the browser's link starts the slider at Play's
        self._slider.value = i
        if self._front_end:
            self._stack.selected_index = i

    @property
    def shown(self) -> w.HTML:
        """The picture for the current i (the stack's child that the browser shows)."""
        return self._stack.children[self.i if self._front_end else 0]

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
        """What example i (1…m) added to each Δ⁽ˡ⁾ (the loop's step 5, δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ): the
        accumulators after i examples minus those after i − 1."""
        i = whole_number(i, "i", 1, self.m, "the lecture's index of a training example")
        after, before = self._history[i], self._history[i - 1]
        return {l: after[l] - before[l] for l in after}

    def _page(self, i: int) -> str:
        """The picture for i examples: title, Δ⁽ˡ⁾ and example i's share, D at i = m."""
        m = self.m
        if i == 0:
            title = "Before the loop: Δ⁽ˡ⁾ᵢⱼ = 0 for all l, i, j"
        else:
            title = f"After example i = {i} of m = {m}: Δ⁽ˡ⁾ := Δ⁽ˡ⁾ + δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ"
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
        d = self._d_html() if i == m else (
            f"<p>D is formed after the loop, from all m = {m} examples: move i to {m}.</p>")
        if i == m and self._size == "projector":         # one screen: D folded away
            d = f"<details><summary>after the loop: the D terms</summary>{d}</details>"
        return (f'<div class="bp-explorer-title bp-acc-title">{escape(title)}</div>'
                f'<div class="bp-acc-delta">{"".join(rows)}</div>'
                f'<div class="bp-acc-d">{d}</div>')

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

        from nbhelpers.display.widgets import plot_accumulation
        p = nb.lecture_network()
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
    return opaque(fig)


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

class GradientCheckExplorer(WidgetTree):
    """Finite differences against backprop's D, entry by entry, for any ε and with a bug.

    The ε slider steps through :data:`EPSILONS` (10⁻¹⁰ … 10⁻¹, log scale) for the two-sided
    difference (J(Θ + ε) − J(Θ − ε)) / 2ε; the bug chooser swaps backprop for one of the
    mistaken versions in ``bugs`` (by key; :data:`nbhelpers.course.bugs.GRADIENT_BUGS` in the
    notebooks; none by default). Shown: for each Θ⁽ˡ⁾ the numeric gradient, the
    analytic D and their difference, and the relative difference ‖num − D‖ / ‖num + D‖.
    The pictures for every ε are rendered once per bug, so the ε slider changes them in the
    browser without the kernel.

    Usage::

        from nbhelpers.display.widgets import GradientCheckExplorer
        from nbhelpers.course.bugs import GRADIENT_BUGS, ZOO_LAMBDA, zoo_problem
        p = zoo_problem()
        gc = GradientCheckExplorer(p.Theta, p.X, p.Y, lam=ZOO_LAMBDA, bugs=GRADIENT_BUGS)
        gc                          # shows the widget
        gc.epsilon = 1e-7
        gc.bug = "missing_1_over_m" # a key of gc.bugs; None for the lecture's algorithm
        gc.relative_difference      # a number far above 1e-3: the check catches it

    A bug that stops with an error on this network (a Θ⁽ˡ⁾ left untransposed needs equal layer
    sizes) is offered too (``gc.stopping_bugs``; ``gc.bugs`` are those that
    compute a D): choosing it shows the error and what it means, and ``gc.error`` holds it
    (``gc.relative_difference`` is then NaN).
    """

    def __init__(self, Theta: Any, X: Any, Y: Any, lam: float = 0.0, *,
                 bugs: Mapping[str, GradientBug] | None = None, size: str = "normal") -> None:
        self._size = check_size(size)
        self._bugs = dict(bugs or {})
        self._Theta, self._X, self._Y, self._lam = check_problem(Theta, X, Y, lam)
        self._analytic: dict[str | None, Params | Exception] = {
            None: backprop(self._Theta, self._X, self._Y, self._lam)}
        for key, bug in self._bugs.items():
            try:
                self._analytic[key] = bug.gradient(self._Theta, self._X, self._Y, self._lam)
            except Exception as error:
                self._analytic[key] = error
        Theta, X, Y, lam = self._Theta, self._X, self._Y, self._lam
        self._numeric = [numerical_gradient(lambda T: cost(T, X, Y, lam), Theta, eps)
                         for eps in EPSILONS]
        self._eps = w.SelectionSlider(options=[(_eps_label(e), e) for e in EPSILONS],
                                      value=1e-4, description="ε",
                                      layout=w.Layout(width="420px")).add_class("bp-eps")
        # the lecture's algorithm is "" in the menu: a Dropdown set to the value None shows
        # no option at all
        options = [("no bug: the lecture's algorithm", "")] + [
            (self._bugs[k].title, k) for k in self._analytic if k is not None]
        self._bug = w.Dropdown(options=options, value="", description="bug",
                               layout=w.Layout(width="420px")).add_class("bp-bug")
        # the kernel renders the pictures of a bug: disabled with a note where none answers
        kernel = KernelOnly([self._bug])
        self._pages = [html("bp-gc-page") for _ in EPSILONS]
        self._stack, link = linked_stack(self._pages, self._eps, "index")
        self._links = [link, kernel.link]
        self._bug.observe(lambda _: self._render(), "value")
        self.widget = w.VBox([w.HTML(explorer_css(self._size) + TABLE_CSS),
                              w.HBox([self._eps, self._bug],
                                     layout=w.Layout(flex_flow="row wrap")), *kernel.notes,
                              self._stack, kernel.hidden]
                             ).add_class("bp-explorer").add_class("bp-gradcheck").add_class(
                                 f"bp-size-{self._size}")
        self._render()

    @property
    def bugs(self) -> list[str]:
        """The keys of the bugs that compute a D on this network (each has a relative
        difference)."""
        return [k for k, D in self._analytic.items()
                if k is not None and not isinstance(D, Exception)]

    @property
    def stopping_bugs(self) -> list[str]:
        """The keys of the bugs that stop with an error on this network (also on offer: the
        explorer shows the error)."""
        return [k for k, D in self._analytic.items() if isinstance(D, Exception)]

    @property
    def epsilon(self) -> float:
        """ε of the finite differences (one of :data:`EPSILONS`)."""
        return self._eps.value

    @epsilon.setter
    def epsilon(self, eps: float) -> None:
        close = [] if isinstance(eps, bool) or not isinstance(eps, int | float) else [
            k for k, e in enumerate(EPSILONS) if abs(eps - e) <= 1e-9 * e]
        if not close:
            grid = ", ".join(_eps_label(e) for e in EPSILONS)
            raise ValueError(f"epsilon must be one of {grid} (the steps of the finite "
                             f"differences on the slider), but it is {eps!r}.")
        self._eps.value = EPSILONS[close[0]]
        self._stack.selected_index = close[0]

    @property
    def bug(self) -> str | None:
        """The injected bug's key, or None for the lecture's algorithm."""
        return self._bug.value or None

    @bug.setter
    def bug(self, key: str | None) -> None:
        if key not in self._analytic:
            raise ValueError(f"bug must be None or one of {self.bugs + self.stopping_bugs}, "
                             f"but it is {key!r}.")
        self._bug.value = key or ""

    @property
    def numeric(self) -> Params:
        """The finite-difference gradient at the current ε."""
        return self._numeric[self._eps.index]

    @property
    def analytic(self) -> Params:
        """D from backprop, or from the injected bug (a ValueError if the bug stops with an
        error: see :attr:`error`)."""
        found = self._analytic[self.bug]
        if isinstance(found, Exception):
            raise ValueError(f"the bug {self.bug!r} computes no D on this network: "
                             f"{_error_text(found)}")
        return found

    @property
    def error(self) -> str | None:
        """Why the injected bug computes no D on this network (None when it computes one)."""
        found = self._analytic[self.bug]
        return _error_text(found) if isinstance(found, Exception) else None

    @property
    def relative_difference(self) -> float:
        """‖num − D‖ / ‖num + D‖ for the current ε and bug (NaN when the bug stops with an
        error)."""
        if self.error is not None:
            return math.nan
        return relative_difference(self.numeric, self.analytic)

    @property
    def shown(self) -> w.HTML:
        """The picture for the current ε (the stack's child that the browser shows)."""
        return self._stack.children[self._eps.index]

    def _render(self) -> None:
        """Render the pictures of every ε for the current bug (the ε slider picks one)."""
        for page, num in zip(self._pages, self._numeric, strict=True):
            page.value = self._page(num)

    def _page(self, num: Params) -> str:
        about = "" if self.bug is None else escape(self._bugs[self.bug].description)
        about = f'<div class="bp-bug-description">{about}</div>'
        if self.error is not None:
            return ('<div class="bp-reldiff">this version computes no D: it stops with an '
                    f'error</div>{about}<div class="bp-error">{escape(self.error)}</div>')
        D = self.analytic
        r = relative_difference(num, D)
        verdict = ("they agree" if r < AGREE else "they disagree: a bug" if r > DISAGREE
                   else "borderline: try another ε")
        readout = ('<div class="bp-reldiff">relative difference ‖num − D‖ / ‖num + D‖ = '
                   f"<b>{number_text(r)}</b> ({verdict})</div>")
        rows = []
        for l in sorted(D):
            scale = scale_of(num[l], D[l])
            diff = num[l] - D[l]             # same colour scale: a tiny difference stays pale
            rows.append(_row([
                html_table(num[l], f"numeric ∂J/∂Θ{sup(l)}", scale, index_from=(1, 0)),
                html_table(D[l], f"D{sup(l)}", scale, index_from=(1, 0)),
                html_table(diff, f"numeric − D{sup(l)}", scale, index_from=(1, 0))]))
        return f'{readout}{about}<div class="bp-gc-values">{"".join(rows)}</div>'


def _eps_label(eps: float) -> str:
    """1e-07 → "1e-7": the ε slider's readout."""
    mantissa, exponent = f"{eps:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _error_text(error: Exception) -> str:
    """A bug's error as a reader sees it: the message, or its kind when it has none."""
    return str(error) or type(error).__name__


def plot_gradient_check(Theta: Any, X: Any, Y: Any, lam: float = 0.0,
                        epsilons: Sequence[float] | None = None,
                        bugs: Mapping[str, GradientBug] | None = None) -> Figure:
    """Static figure: the relative difference against ε, for backprop and for each of the
    mistaken versions in ``bugs`` (by key; none by default).

    Log–log axes; the shaded bands mark agreement (below 10⁻⁷) and a sure bug (above 10⁻³).
    Example::

        from nbhelpers.course.bugs import GRADIENT_BUGS, zoo_problem
        from nbhelpers.display.widgets import plot_gradient_check
        p = zoo_problem()
        one = {"missing_1_over_m": GRADIENT_BUGS["missing_1_over_m"]}
        fig = plot_gradient_check(p.Theta, p.X, p.Y, lam=1.0, bugs=one)
    """
    Theta, X, Y, lam = check_problem(Theta, X, Y, lam)
    eps = np.logspace(-10, -1, 19) if epsilons is None else np.asarray(epsilons, dtype=float)
    bugs = dict(bugs or {})
    numeric = [numerical_gradient(lambda T: cost(T, X, Y, lam), Theta, float(e)) for e in eps]
    curves = {"the lecture's algorithm": backprop(Theta, X, Y, lam)}
    for bug in bugs.values():
        try:
            curves[bug.title] = bug.gradient(Theta, X, Y, lam)
        except Exception:
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
    return opaque(fig)


__all__ = ["AGREE", "DISAGREE", "AccumulatorExplorer", "GradientBug", "GradientCheckExplorer",
           "plot_accumulation", "plot_gradient_check"]
