"""Controls that only a kernel can act on (nbhelpers/display/kernel_only.py).

Made in Python, as a notebook run without a front end makes them (and saves them), they are
disabled with a visible note. A front end with a live kernel is played here by the message it
sends when it creates the link's model: the kernel then enables the controls and hides the
notes. The saved notebooks are checked in tests/test_saved_widgets.py.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pytest

import nbhelpers as nb
from nbhelpers.course.bugs import ZOO_LAMBDA, zoo_problem
from nbhelpers.display.explorers import FRONT_END_LIMIT
from nbhelpers.display.kernel_only import (
    KERNEL_NOTE,
    KERNEL_PING,
    KernelOnly,
    kernel_note_text,
)
from nbhelpers.display.widgetkit import NEEDS_KERNEL
from nbhelpers.display.widgets import AccumulatorExplorer, BackpropStepper, GradientCheckExplorer

LECTURE = nb.lecture_network()


def tree(widget: w.Widget) -> list[w.Widget]:
    """Every widget of a tree, in order (a widget shown twice counts twice)."""
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += tree(child)
    return found


def with_class(widget: w.Widget, css_class: str) -> list[w.Widget]:
    return [x for x in tree(widget) if css_class in getattr(x, "_dom_classes", ())]


def visible_notes(widget: w.Widget) -> list[str]:
    return [n.value for n in with_class(widget, KERNEL_NOTE) if n.layout.display != "none"]


def front_end_answers(link: Any) -> None:
    """What the kernel receives from a live front end that made the link's model: the
    link's target set to the source's value (an ordinary widget update message)."""
    target, trait = link.target
    source, source_trait = link.source
    target._handle_msg({"content": {"data": {"method": "update",
                                             "state": {trait: getattr(source, source_trait)},
                                             "buffer_paths": []}},
                        "buffers": []})


def ping(widget_tree: Any) -> Any:
    links = [link for link in widget_tree._links if KERNEL_PING in link.target[0]._dom_classes]
    assert len(links) == 1
    return links[0]


def test_the_note_names_the_controls_in_words() -> None:
    assert kernel_note_text(["bug"]) == (
        "Without a running kernel “bug” stays as saved: run the notebook to change it.")
    assert kernel_note_text(["i", "Play", "x"]) == (
        "Without a running kernel “i”, “Play” and “x” stay as saved: run the notebook to change them.")
    with pytest.raises(ValueError, match="at least one control"):
        kernel_note_text([])
    with pytest.raises(ValueError, match="non-empty groups"):
        KernelOnly([])


def test_the_stepper_is_made_with_its_kernel_controls_disabled_and_noted() -> None:
    stepper = BackpropStepper(LECTURE.Theta, LECTURE.X, LECTURE.Y, lam=1.0)
    marked = with_class(stepper.widget, NEEDS_KERNEL)
    assert sorted(c.description for c in marked) == ["example", "m", "λ"]
    assert all(c.disabled for c in marked)
    notes = with_class(stepper.widget, KERNEL_NOTE)
    assert len(notes) == 2 and visible_notes(stepper.widget) == [n.value for n in notes]
    assert "“example” stays as saved" in notes[0].value
    assert "“λ” and “m” stay as saved: run the notebook to change them." in notes[1].value
    # the example's note right under the row of buttons; λ and m's inside the D controls,
    # which show only on the D steps
    top = list(stepper.widget.children)
    row = next(x for x in top if any("bp-reset" in c._dom_classes for c in getattr(x, "children", ())))
    assert top[top.index(row) + 1] is notes[0]
    d_controls = with_class(stepper.widget, "bp-d-controls")[0]
    assert list(d_controls.children)[-1] is notes[1]
    # from Python every control still works
    stepper.example = 2
    stepper.m = 1
    assert stepper.example == 2 and stepper.m == 1


def test_a_live_front_end_enables_them_and_hides_the_notes() -> None:
    stepper = BackpropStepper(LECTURE.Theta, LECTURE.X, LECTURE.Y, lam=1.0)
    link = ping(stepper)
    assert link.source[0].value is True and link.target[0].value is False
    front_end_answers(link)
    assert not any(c.disabled for c in with_class(stepper.widget, NEEDS_KERNEL))
    assert visible_notes(stepper.widget) == []
    # the buttons keep their own rule: Prev disabled at the first step
    assert with_class(stepper.widget, "bp-prev")[0].disabled


def test_the_gradient_check_bug_menu_and_a_long_accumulators_slider_too() -> None:
    zoo = zoo_problem()
    gc = GradientCheckExplorer(zoo.Theta, zoo.X, zoo.Y, ZOO_LAMBDA)
    bug = with_class(gc.widget, "bp-bug")[0]
    assert bug.disabled and not with_class(gc.widget, "bp-eps")[0].disabled   # ε moves in the page
    assert len(visible_notes(gc.widget)) == 1 and "“bug” stays as saved" in visible_notes(gc.widget)[0]
    front_end_answers(ping(gc))
    assert not bug.disabled and visible_notes(gc.widget) == []

    long = nb.lecture_network(m=FRONT_END_LIMIT)
    acc = AccumulatorExplorer(long.Theta, long.X, long.Y)
    assert all(c.disabled for c in with_class(acc.widget, NEEDS_KERNEL))
    assert "“i” and “Play” stay as saved" in visible_notes(acc.widget)[0]
    front_end_answers(ping(acc))
    assert not any(c.disabled for c in with_class(acc.widget, NEEDS_KERNEL))

    short = nb.lecture_network()
    assert visible_notes(AccumulatorExplorer(short.Theta, short.X, short.Y).widget) == []


def test_closing_the_widget_closes_the_link_and_its_checkboxes() -> None:
    stepper = BackpropStepper(LECTURE.Theta, LECTURE.X, LECTURE.Y)
    link = ping(stepper)
    ends = [link.source[0], link.target[0]]
    assert all(e.comm is not None for e in [link, *ends])
    stepper.close()
    assert all(e.comm is None for e in [link, *ends])
