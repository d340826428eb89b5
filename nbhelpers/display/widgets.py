"""Live widgets for the notebooks: the backprop stepper and two explorers.

* :class:`BackpropStepper` — one example's pass through backpropagation, step by step
  (module :mod:`nbhelpers.display.stepper`); ``tools/timing.py``'s ``time_per_step`` measures it.
* :class:`AccumulatorExplorer` — the accumulators Δ⁽ˡ⁾ after i = 0…m examples, then D.
* :class:`GradientCheckExplorer` — finite differences against D for any ε, with a bug.
  (Both in :mod:`nbhelpers.display.explorers`, with their static figures
  :func:`plot_accumulation` and :func:`plot_gradient_check`.)

The static figure of the stepper is :func:`nbhelpers.display.diagram.draw_trace`.

Each widget keeps its own state (several on one page are independent), shows itself when a
cell ends with it, exposes the ipywidgets tree as ``.widget`` and is driven from Python by
setting its properties (``stepper.step = 5``, ``acc.i = 2``, ``gc.epsilon = 1e-7``). Each takes
``size="normal"`` (the default) or ``size="projector"`` (larger type for a 1024 × 768
projector). Every picture a slider can reach is rendered once, when the widget is made, and
the slider (and Next, Prev, Play) switches between them in the browser, without the kernel
(:mod:`nbhelpers.display.widgetkit` says how). Text takes its colours from JupyterLab's theme
variables, so it stays legible in a dark theme; the diagram carries its own white paper.

Stable DOM hooks
----------------
CSS classes that browser tests (and custom styles) may rely on. The pictures of all steps (all
i, all ε) are in the page at once, in a container ``bp-stack``; all but the current one are
hidden, so look for the *visible* element of a class.

Stepper (root ``bp-stepper``, with ``bp-size-normal`` or ``bp-size-projector``)
    controls: buttons ``bp-reset``, ``bp-prev``, ``bp-next`` · ``bp-play`` the Play widget ·
    ``bp-slider`` the step slider (value = the 0-based ``.step``) · ``bp-example`` the example
    chooser (a dropdown "i = 1" … "i = m") · ``bp-lambda`` and ``bp-m`` the λ and m sliders,
    in the box ``bp-d-controls`` that is displayed on the D steps only.
    Each step's picture ``bp-step`` holds ``bp-counter`` "step k of n" and ``bp-title`` (in
    ``bp-head``), ``bp-diagram`` the SVG (also ``bp-figure``: it has its own white paper),
    ``bp-equation`` the equation (LaTeX) · ``bp-numbers`` the equation with numbers (LaTeX) ·
    ``bp-equation-text`` the equation in plain Unicode (e.g. "δ⁽⁴⁾ = a⁽⁴⁾ − y") ·
    ``bp-numbers-text`` the numbers in plain text · ``bp-explanation`` one or two sentences ·
    ``bp-values`` the value tables (folded in a ``<details>`` at projector size).

    Inside the SVG (``svg.bp-network``): each layer is ``g.bp-layer[data-layer="l"]``, each
    unit ``g.bp-unit[data-layer="l"][data-unit="j"]`` (j = 0 is the bias unit) with its value
    as ``<text>``; the layers and units the step works on carry the class ``bp-highlight``,
    and so do the weights ``line.bp-edge`` of the Θ⁽ˡ⁾ it uses. A layer too long to draw
    whole shows ``text.bp-gap`` (⋮) between its first and last units; ``g.bp-legend`` is the
    colour bar, its ``text.bp-legend-label`` says what the colours stand for.

Accumulator explorer (root ``bp-accumulator``)
    ``bp-acc-slider`` the i slider (0…m) · ``bp-acc-play`` its Play · per i a picture
    ``bp-acc-page`` with ``bp-acc-title`` what i means · ``bp-acc-delta`` the Δ⁽ˡ⁾ tables
    (numbers as cell text, colours on a scale per layer that is fixed across i) · ``bp-acc-d``
    the D terms (at i = m).

Gradient-check explorer (root ``bp-gradcheck``)
    ``bp-eps`` the ε slider (a selection slider over the grid ``EPSILONS``) · ``bp-bug`` the
    bug chooser (a dropdown; first option: no bug) · per ε a picture ``bp-gc-page`` with
    ``bp-reldiff`` the relative difference readout · ``bp-bug-description`` what the bug does
    · ``bp-gc-values`` the numeric / analytic / difference tables, or ``bp-error`` the error
    of a bug that computes no D on this network.

Every table is ``table.bp-table`` with a ``<caption>``; its cells hold the numbers as text
(with a true minus sign, "−0.25") and the full value in their ``title`` attribute.
"""

from .explorers import (
    AccumulatorExplorer,
    GradientCheckExplorer,
    plot_accumulation,
    plot_gradient_check,
)
from .stepper import BackpropStepper

__all__ = ["AccumulatorExplorer", "BackpropStepper", "GradientCheckExplorer",
           "plot_accumulation", "plot_gradient_check"]
