"""The backprop stepper: walk through one example's backward pass, one computation per click."""

from __future__ import annotations

import html
import statistics
import time
from typing import Any

import ipywidgets as w
import numpy as np

from ..cost import check_problem
from ..validation import check_lambda, layer_sizes
from ..variant import variant
from .diagram import network_svg
from .tables import html_tables
from .trace import Step, d_steps, trace_backprop

STEPPER_CSS = """
<style>
.bp-stepper {font-size: 16px; max-width: 1400px;}
.bp-stepper .bp-title {font-size: 22px; font-weight: bold; margin: 6px 0 2px 0;}
.bp-stepper .bp-counter {font-size: 16px; color: #333333; min-width: 8em;}
.bp-stepper .bp-equation {font-size: 20px;}
.bp-stepper .bp-equation-text {font-size: 17px; font-family: 'DejaVu Sans', sans-serif;
                               color: #333333;}
.bp-stepper .bp-numbers-text {font-size: 13px; color: #555555;}
.bp-stepper .bp-explanation {font-size: 16px; color: #333333; max-width: 50em;}
.bp-stepper .bp-diagram svg {max-width: 100%; height: auto;}
.bp-stepper .bp-side {min-width: fit-content; margin-left: 12px;}
.bp-stepper .bp-values, .bp-stepper .bp-numbers {overflow-x: auto; max-width: 100%;}
.bp-stepper .widget-button {font-size: 16px;}
</style>
"""


def _display(widget: w.Widget) -> None:
    from IPython.display import display
    display(widget)


class BackpropStepper:
    """Step through backpropagation for one training example at a time.

    The steps are :func:`~nbhelpers.trace_backprop` for example i (forward propagation,
    the delta terms, this example's share of each Δ⁽ˡ⁾), followed by the D terms over the
    first m examples with regularization λ (:func:`~nbhelpers.trace.d_steps`). Each step
    shows the network with the units it works on outlined and their current values,
    its equation (LaTeX and plain text), the equation with the numbers, and the arrays
    involved as tables.

    Usage (a cell ending in the stepper shows it)::

        from nbhelpers.widgets import BackpropStepper
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
    (see :func:`~nbhelpers.trace_backprop`); the defaults are the lecture's.

    Several steppers are independent: each keeps its own state and widgets.
    """

    def __init__(self, Theta: Any, X: Any, Y: Any, lam: float = 0.0, *, loss: str = "logistic",
                 activation: str = "sigmoid") -> None:
        variant(loss, activation)                                # a bad name fails here
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
        self._render()

    # --- widgets ---------------------------------------------------------------------------

    def _build(self) -> None:
        n = len(self.steps)
        self._title = _html("bp-title")
        self._counter = _html("bp-counter")
        self._diagram = _html("bp-diagram")
        self._equation = w.HTMLMath().add_class("bp-equation")
        self._numbers = w.HTMLMath().add_class("bp-numbers")
        self._equation_text = _html("bp-equation-text")
        self._numbers_text = _html("bp-numbers-text")
        self._explanation = _html("bp-explanation")
        self._tables = _html("bp-values")
        self._reset_b = _button("Reset", "bp-reset", "step-backward", self.reset)
        self._prev_b = _button("Prev", "bp-prev", "chevron-left", self.prev)
        self._next_b = _button("Next", "bp-next", "chevron-right", self.next)
        self._slider = w.IntSlider(value=0, min=0, max=n - 1, readout=False,
                                   description="step", continuous_update=True,
                                   layout=w.Layout(width="260px")).add_class("bp-slider")
        self._play = w.Play(value=0, min=0, max=n - 1, interval=1800,
                            description="Play").add_class("bp-play")
        self._link = w.jslink((self._play, "value"), (self._slider, "value"))
        self._chooser = w.Dropdown(options=[(f"i = {i}", i) for i in range(1, self._m_all + 1)],
                                   value=1, description="example",
                                   layout=w.Layout(width="180px")).add_class("bp-example")
        wide = w.Layout(width="320px")
        self._lam_w = w.FloatSlider(value=self._lam, min=0.0, max=max(10.0, self._lam), step=0.1,
                                    description="λ", readout_format=".1f",
                                    layout=wide).add_class("bp-lambda")
        self._m_w = w.IntSlider(value=self._m, min=1, max=self._m_all, description="m",
                                layout=wide).add_class("bp-m")
        self._d_controls = w.VBox([self._lam_w, self._m_w]).add_class("bp-d-controls")
        self._slider.observe(lambda _: self._render(), "value")
        self._chooser.observe(lambda c: self._set_example(c["new"]), "value")
        self._lam_w.observe(lambda c: self._set_d(lam=c["new"]), "value")
        self._m_w.observe(lambda c: self._set_d(m=c["new"]), "value")
        controls = w.HBox([self._reset_b, self._prev_b, self._next_b, self._play, self._slider,
                           self._counter, self._chooser],
                          layout=w.Layout(flex_flow="row wrap", align_items="center"))
        self._diagram.layout = w.Layout(flex="0 1 640px")
        side = w.VBox([self._tables, self._d_controls],
                      layout=w.Layout(flex="1 1 auto", max_width="100%")).add_class("bp-side")
        picture = w.HBox([self._diagram, side], layout=w.Layout(flex_flow="row wrap"))
        self.widget = w.VBox([w.HTML(STEPPER_CSS), controls, self._title, picture,
                              self._equation, self._numbers, self._equation_text,
                              self._numbers_text, self._explanation]).add_class("bp-stepper")

    # --- the Python API --------------------------------------------------------------------

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
        self._slider.value = whole_number(k, "step", 0, len(self.steps) - 1,
                                          "a position in .steps")

    @property
    def current(self) -> Step:
        """The step shown now."""
        return self.steps[self.step]

    def next(self) -> Step:
        """Go one step on (stays on the last step) and return the new current step."""
        self._slider.value = min(self.step + 1, len(self.steps) - 1)
        return self.current

    def prev(self) -> Step:
        """Go one step back (stays on the first step) and return the new current step."""
        self._slider.value = max(self.step - 1, 0)
        return self.current

    def reset(self) -> Step:
        """Back to the first step (the example, λ and m stay as they are)."""
        self._play.playing = False
        self._slider.value = 0
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

    def _ipython_display_(self) -> None:
        _display(self.widget)

    def close(self) -> None:
        """Close this stepper's widgets (and only these)."""
        self._link.close()
        close_tree(self.widget)

    # --- updates ---------------------------------------------------------------------------

    def _set_example(self, i: int) -> None:
        self._i = i
        self._trace = trace_backprop(self._Theta, self._X[i - 1], self._Y[i - 1], **self._variant)
        self._render()

    def _set_d(self, lam: float | None = None, m: int | None = None) -> None:
        self._lam = self._lam if lam is None else float(lam)
        self._m = self._m if m is None else int(m)
        self._d = d_steps(self._Theta, self._X, self._Y, self._lam, self._m, **self._variant)
        self._render()

    def _render(self) -> None:
        """Show the current step: everything on screen comes from the Step object."""
        s = self.current
        k, n = self.step, len(self.steps)
        self._title.value = html.escape(s.title)
        self._counter.value = f"step {k + 1} of {n}"
        self._diagram.value = network_svg(self._sizes, s.shown, s.highlight, edges=s.edges,
                                          edge_bias=s.edge_bias, vmax=s.vmax, title=s.title,
                                          legend=s.legend)
        self._equation.value = f"$${s.equation}$$"
        self._numbers.value = f"$${s.numbers}$$"
        self._equation_text.value = html.escape(s.equation_text)
        self._numbers_text.value = html.escape(s.numbers_text)
        self._explanation.value = html.escape(s.explanation)
        self._tables.value = html_tables(s.operands)
        self._prev_b.disabled = k == 0
        self._next_b.disabled = k == n - 1
        self._d_controls.layout.display = None if s.phase == "d_terms" else "none"


def whole_number(value: Any, name: str, low: int, high: int, meaning: str) -> int:
    """``value`` as an int in low…high, or a ValueError saying what the number means."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not (
            low <= value <= high):
        raise ValueError(f"{name} must be a whole number from {low} to {high} ({meaning}), "
                         f"but it is {value!r}.")
    return int(value)


def close_tree(widget: w.Widget) -> None:
    """Close a widget and every widget inside it (never any other widget)."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()


def _html(css_class: str) -> w.HTML:
    return w.HTML().add_class(css_class)


def _button(label: str, css_class: str, icon: str, action: Any) -> w.Button:
    button = w.Button(description=label, icon=icon, layout=w.Layout(width="auto"))
    button.on_click(lambda _: action())
    return button.add_class(css_class)


def time_per_step(stepper: BackpropStepper, repeats: int = 3) -> float:
    """The median kernel-side seconds to show one step, over every step ``repeats`` times.

    What the kernel does per click: render the diagram, equations and tables of the new step
    and send them to the widgets. (Drawing in the browser comes on top.)
    """
    start_at = stepper.step
    times = []
    n = len(stepper.steps)
    for _ in range(repeats):
        for k in range(n):
            target = (start_at + 1 + k) % n            # always a real change of step
            t0 = time.perf_counter()
            stepper.step = target
            times.append(time.perf_counter() - t0)
    stepper.step = start_at
    return statistics.median(times)
