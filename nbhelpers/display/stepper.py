"""The backprop stepper: walk through one example's backward pass, one computation per click."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as w

from ..validation import check_lambda, check_problem, layer_sizes, whole_number
from ..variant import variant
from .diagram import network_svg
from .kernel_only import KernelOnly
from .tables import html_tables
from .trace import Step, d_steps, trace_backprop
from .widgetkit import (
    FONT,
    FRONT_END_STEPS,
    TEXT,
    TEXT_SOFT,
    WidgetTree,
    base_css,
    button,
    check_size,
    linked_stack,
)


def stepper_css(size: str) -> str:
    """The stepper's style for one of the :data:`~nbhelpers.display.widgetkit.SIZES`."""
    f = FONT[check_size(size)]
    projector = size == "projector"
    return f"""<style>{base_css("bp-stepper", size)}
.bp-stepper.bp-size-{size} {{max-width: {"1000px" if projector else "1400px"};}}
.bp-size-{size} .bp-head {{margin: 4px 0 2px 0;}}
.bp-size-{size} .bp-counter {{font-size: {f['body']}px; color: {TEXT_SOFT};
                              margin-right: 0.8em; white-space: nowrap;}}
.bp-size-{size} .bp-title {{font-size: {f['title']}px; font-weight: bold;}}
.bp-size-{size} .bp-picture {{display: flex; flex-flow: row wrap; gap: 10px;
                              align-items: flex-start;}}
.bp-size-{size} .bp-diagram {{flex: 0 1 {"420px" if projector else "640px"};}}
.bp-size-{size} .bp-diagram svg {{max-width: 100%; height: auto; display: block;}}
.bp-size-{size} .bp-side {{flex: 1 1 {"330px" if projector else "320px"}; min-width: 0;}}
.bp-size-{size} .bp-equation, .bp-size-{size} .bp-numbers {{font-size: {f['equation']}px;
                              overflow-x: auto; max-width: 100%;}}
.bp-size-{size} .bp-equation mjx-container[display="true"] {{margin: 0.3em 0 !important;}}
.bp-size-{size} .bp-equation-text {{font-size: {f['body']}px;
                              font-family: 'DejaVu Sans', sans-serif;}}
.bp-size-{size} .bp-numbers-text {{font-size: {f['body']}px; color: {TEXT};
                              font-family: 'DejaVu Sans', sans-serif;}}
.bp-size-{size} .bp-explanation {{font-size: {f['body']}px; max-width: 50em;}}
.bp-size-{size} .bp-values {{overflow-x: auto; max-width: 100%;}}
</style>{FRONT_END_STEPS}"""


class BackpropStepper(WidgetTree):
    """Step through backpropagation for one training example at a time.

    The steps are :func:`~nbhelpers.display.trace.trace_backprop` for example i (forward propagation,
    the delta terms, this example's share of each Δ⁽ˡ⁾), followed by the D terms over the
    first m examples with regularization λ (:func:`~nbhelpers.display.trace.d_steps`). Each step
    shows the network with the units it works on outlined and their current values,
    its equation (LaTeX and plain text), the equation with the numbers, and the arrays
    involved as tables.

    Every step is rendered once, when the stepper is made; Next, Prev, Play and the slider
    then change the picture in the browser without asking the kernel (see
    :mod:`nbhelpers.display.widgetkit`). A new example, λ or m re-renders the steps it
    changes. ``size="projector"`` sets larger type and puts the equations beside the diagram,
    for a 1024 × 768 projector.

    Usage (a cell ending in the stepper shows it)::

        from nbhelpers.display.widgets import BackpropStepper
        p = nb.lecture_network()
        stepper = BackpropStepper(p.Theta, p.X, p.Y, lam=1.0)
        stepper

    and from Python (what tests and a driven demo use)::

        stepper.example = 2          # the lecture's i, 1…m
        stepper.step = 7             # position in stepper.steps, 0 = the first step
        stepper.current.symbol       # 'delta[4]'
        stepper.next(); stepper.prev(); stepper.reset()
        stepper.lam = 3.0; stepper.m = 2   # change the D steps

    ``loss="squared"`` and ``activation="tanh"`` or ``"relu"`` step through those variants
    (see :func:`~nbhelpers.display.trace.trace_backprop`); the defaults are the lecture's.

    Several steppers are independent: each keeps its own state and widgets.
    """

    def __init__(self, Theta: Any, X: Any, Y: Any, lam: float = 0.0, *, loss: str = "logistic",
                 activation: str = "sigmoid", size: str = "normal") -> None:
        variant(loss, activation)                                # a bad name fails here
        self._size = check_size(size)
        self._variant = {"loss": loss, "activation": activation}
        self._Theta, self._X, self._Y, lam = check_problem(Theta, X, Y, lam)
        self._m_all = self._X.shape[0]
        self._i = 1
        self._lam = lam
        self._m = self._m_all
        self._trace = trace_backprop(self._Theta, self._X[0], self._Y[0], **self._variant)
        self._d = d_steps(self._Theta, self._X, self._Y, lam, self._m, **self._variant)
        self._sizes = layer_sizes(self._Theta)
        self._build()

    # --- widgets ---------------------------------------------------------------------------

    def _build(self) -> None:
        n = len(self.steps)
        self._reset_b = button("Reset", "bp-reset", "step-backward", self.reset)
        self._prev_b = button("Prev", "bp-prev", "chevron-left", self.prev)
        self._next_b = button("Next", "bp-next", "chevron-right", self.next)
        compact = {"description_width": "initial"}
        self._slider = w.IntSlider(value=0, min=0, max=n - 1, readout=False,
                                   description="step", continuous_update=True, style=compact,
                                   layout=w.Layout(width="140px" if self._size == "projector"
                                                   else "200px")).add_class("bp-slider")
        self._play = w.Play(value=0, min=0, max=n - 1, interval=1800, show_repeat=False,
                            description="Play").add_class("bp-play")
        self._chooser = w.Dropdown(options=[(f"i = {i}", i) for i in range(1, self._m_all + 1)],
                                   value=1, description="example", style=compact,
                                   layout=w.Layout(width="auto")).add_class("bp-example")
        wide = w.Layout(width="320px")
        self._lam_w = w.FloatSlider(value=self._lam, min=0.0, max=max(10.0, self._lam), step=0.1,
                                    description="λ", readout_format=".1f",
                                    layout=wide).add_class("bp-lambda")
        self._m_w = w.IntSlider(value=self._m, min=1, max=self._m_all, description="m",
                                layout=wide).add_class("bp-m")
        # the kernel re-renders the steps for these: disabled with a note where none answers
        self._kernel = KernelOnly([self._chooser], [self._lam_w, self._m_w])
        example_note, d_note = self._kernel.notes
        self._d_controls = w.VBox([self._lam_w, self._m_w, d_note]).add_class("bp-d-controls")
        self._pictures = [self._picture(k) for k in range(n)]
        self._stack, stack_link = linked_stack(self._pictures, self._slider)
        self._links = [w.jslink((self._play, "value"), (self._slider, "value")), stack_link,
                       self._kernel.link]
        self._slider.observe(lambda _: self._update_buttons(), "value")
        self._chooser.observe(lambda c: self._set_example(c["new"]), "value")
        self._lam_w.observe(lambda c: self._set_d(lam=c["new"]), "value")
        self._m_w.observe(lambda c: self._set_d(m=c["new"]), "value")
        controls = w.HBox([self._reset_b, self._prev_b, self._next_b, self._play, self._slider,
                           self._chooser],
                          layout=w.Layout(flex_flow="row wrap", align_items="center"))
        self.widget = w.VBox([w.HTML(stepper_css(self._size)), controls, example_note,
                              self._stack, self._d_controls, self._kernel.hidden]
                             ).add_class("bp-stepper").add_class(f"bp-size-{self._size}")
        self._update_buttons()

    def _picture(self, k: int) -> w.HTMLMath:
        """Step k's picture: one HTML element, its equations typeset by the browser."""
        picture = w.HTMLMath().add_class("bp-step")
        self._fill(picture, k)
        return picture

    def _fill(self, picture: w.HTMLMath, k: int) -> None:
        """Write step k into its picture: everything on screen comes from the Step object."""
        s, n = self.steps[k], len(self.steps)
        svg = network_svg(self._sizes, s.shown, s.highlight, edges=s.edges,
                          edge_bias=s.edge_bias, vmax=s.vmax, title=s.title, legend=s.legend)
        equation = f'<div class="bp-equation">$${s.equation}$$</div>'
        numbers = f'<div class="bp-numbers">$${s.numbers}$$</div>'
        equation_text = f'<div class="bp-equation-text">{escape(s.equation_text)}</div>'
        numbers_text = f'<div class="bp-numbers-text">{escape(s.numbers_text)}</div>'
        explanation = f'<div class="bp-explanation">{escape(s.explanation)}</div>'
        tables = f'<div class="bp-values">{html_tables(s.operands)}</div>'
        if self._size == "projector":       # what fits a 1024 × 768 screen; the rest folded
            side = (f"{equation}{numbers_text}{explanation}<details><summary>the numbers as "
                    f"matrices, the values as tables</summary>{numbers}{equation_text}{tables}"
                    "</details>")
        else:
            side = f"{equation}{numbers}{equation_text}{numbers_text}{explanation}{tables}"
        picture.value = (
            f'<div class="bp-head"><span class="bp-counter">step {k + 1} of {n}</span> '
            f'<span class="bp-title">{escape(s.title)}</span></div>'
            '<div class="bp-picture">'
            f'<div class="bp-diagram bp-figure">{svg}</div>'
            f'<div class="bp-side">{side}</div></div>')

    # --- the Python API --------------------------------------------------------------------

    @property
    def size(self) -> str:
        """``"normal"`` or ``"projector"`` (fixed when the stepper is made)."""
        return self._size

    @property
    def steps(self) -> list[Step]:
        """All steps for the current example, λ and m: the trace, then the D terms."""
        return [*self._trace, *self._d]

    @property
    def step(self) -> int:
        """The position of the current step in :attr:`steps` (0 = the first)."""
        return self._slider.value

    @step.setter
    def step(self, k: int) -> None:
        self._go(whole_number(k, "step", 0, len(self.steps) - 1, "a position in .steps"))

    @property
    def current(self) -> Step:
        """The step shown now."""
        return self.steps[self.step]

    @property
    def shown(self) -> w.HTMLMath:
        """The picture of the current step (a child of the stack that the browser shows)."""
        return self._stack.children[self.step]

    def next(self) -> Step:
        """Go one step on (stays on the last step) and return the new current step."""
        self._go(min(self.step + 1, len(self.steps) - 1))
        return self.current

    def prev(self) -> Step:
        """Go one step back (stays on the first step) and return the new current step."""
        self._go(max(self.step - 1, 0))
        return self.current

    def reset(self) -> Step:
        """Back to the first step (the example, λ and m stay as they are)."""
        self._play.playing = False
        self._go(0)
        return self.current

    @property
    def example(self) -> int:
        """The training example i (1…m, as in the lecture) whose pass is traced."""
        return self._i

    @example.setter
    def example(self, i: int) -> None:
        self._chooser.value = whole_number(i, "example", 1, self._m_all,
                                           "the lecture's i of a training example (a row of X)")

    @property
    def lam(self) -> float:
        """λ used by the D steps."""
        return self._lam

    @lam.setter
    def lam(self, lam: float) -> None:
        lam = check_lambda(lam)
        self._lam_w.max = max(self._lam_w.max, lam)
        self._lam_w.value = lam

    @property
    def m(self) -> int:
        """How many examples (the first m) the D steps average over."""
        return self._m

    @m.setter
    def m(self, m: int) -> None:
        self._m_w.value = whole_number(m, "m", 1, self._m_all, "the number of examples")

    # --- updates ---------------------------------------------------------------------------

    def _go(self, k: int) -> None:
        """Show step k. From Python both the slider and the stack are set; in the browser the
        slider moves the stack itself (jslink), and the kernel never sets the stack back. Play
        is set too: in saved state the browser's link starts the slider at Play's value."""
        self._play.value = k
        self._slider.value = k
        self._stack.selected_index = k

    def _update_buttons(self) -> None:
        """What the kernel does when the step changed (in the browser it follows later)."""
        k, n = self.step, len(self.steps)
        self._prev_b.disabled = k == 0
        self._next_b.disabled = k == n - 1
        self._d_controls.layout.display = None if self.current.phase == "d_terms" else "none"

    def _set_example(self, i: int) -> None:
        self._i = i
        self._trace = trace_backprop(self._Theta, self._X[i - 1], self._Y[i - 1], **self._variant)
        for k in range(len(self._trace)):
            self._fill(self._pictures[k], k)

    def _set_d(self, lam: float | None = None, m: int | None = None) -> None:
        self._lam = self._lam if lam is None else float(lam)
        self._m = self._m if m is None else int(m)
        self._d = d_steps(self._Theta, self._X, self._Y, self._lam, self._m, **self._variant)
        for k in range(len(self._trace), len(self.steps)):
            self._fill(self._pictures[k], k)
