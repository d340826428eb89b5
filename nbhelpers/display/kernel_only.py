"""Controls that only a kernel can act on: saved disabled with a note, enabled by a live kernel.

The saved widget state of a notebook is what the kernel's widgets were when it was saved (Run
All through ``tools/execute_notebooks.py``). A front end that renders saved state without a
kernel (the website, a static viewer, JupyterLab before the cell runs again) draws exactly that
state. There a control whose effect the kernel computes (the stepper's example, λ and m, the
gradient check's bug) would change its own label and leave the picture as it was: the bug menu
saying "no bug" above tables that say "a bug". So :class:`KernelOnly` makes such controls
disabled, each group with a visible one-line note, and keeps them so in the kernel until a
front end with a live kernel shows up; the saved state then carries the disabled controls and
their notes wherever it is rendered.

How a live front end is told from a saved state: a ``jsdlink`` from a checkbox that is
``True`` to one that is ``False`` (both in a box that is never shown). A link does its work in the front
end, as soon as the front end has made its model: it sets the target to ``True`` and sends the
change to the kernel, if there is one. The kernel then enables the controls and hides the
notes. Where no kernel answers, the link only changes a checkbox nobody sees; the kernel never
sets the target itself, so a notebook run without a front end saves the controls disabled.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

import ipywidgets as w

from .widgetkit import html, needs_kernel

KERNEL_NOTE = "bp-kernel-note"
"""The DOM class of the note under a group of :class:`KernelOnly` controls."""

KERNEL_PING = "bp-kernel-ping"
"""The DOM class of the two checkboxes of :class:`KernelOnly`'s link (never displayed)."""


def kernel_note_text(labels: Sequence[str]) -> str:
    """The note under controls that only a kernel can act on, naming them by their labels.

    >>> kernel_note_text(["λ", "m"])
    'Without a running kernel “λ” and “m” stay as saved: run the notebook to change them.'
    """
    if not labels:
        raise ValueError("a note names at least one control, but no label was given.")
    quoted = [f"“{label}”" for label in labels]
    names = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
    one = len(quoted) == 1
    return (f"Without a running kernel {names} {'stays' if one else 'stay'} as saved: "
            f"run the notebook to change {'it' if one else 'them'}.")


def label_of(control: w.Widget) -> str:
    """How a note names a control: its description, else the kind of widget ("Play")."""
    return str(getattr(control, "description", "") or type(control).__name__)


class KernelOnly:
    """Controls whose effect the kernel computes: disabled, with a note, until a kernel answers.

    ``groups`` are lists of controls; each group gets one note (:attr:`notes`, in the same
    order, each an HTML widget with the DOM class :data:`KERNEL_NOTE`) for the caller to put
    where the group shows. Every control is also marked with
    :data:`~nbhelpers.display.widgetkit.NEEDS_KERNEL`. Python may still set their values
    (``stepper.example = 2``): only the browser's controls are disabled.

    :attr:`link` is a link in the browser, like the widgets' jslinks, for the caller to close
    with them; :attr:`hidden`, a box that never shows, holds its two checkboxes: the caller puts
    it into its widget tree, so that closing the tree closes them. (No widget class is defined
    here: a widget's ``close`` also runs when Python collects it, and then inside whatever code
    runs at that moment, a student's among them.)
    """

    def __init__(self, *groups: Sequence[w.Widget]) -> None:
        if not groups or not all(groups):
            raise ValueError("KernelOnly needs one or more non-empty groups of controls.")
        self.controls = [control for group in groups for control in group]
        for control in self.controls:
            needs_kernel(control)
            control.disabled = True
        self.notes = [html(KERNEL_NOTE, '<span style="font-style: italic">'
                           + escape(kernel_note_text([label_of(c) for c in group])) + "</span>")
                      for group in groups]
        self._said = w.Checkbox(value=True).add_class(KERNEL_PING)
        self._heard = w.Checkbox(value=False).add_class(KERNEL_PING)
        self.link = w.jsdlink((self._said, "value"), (self._heard, "value"))
        self.hidden = w.Box([self._said, self._heard], layout=w.Layout(display="none"))
        self._heard.observe(self._kernel_answers, "value")

    @property
    def live(self) -> bool:
        """Whether a front end with this kernel behind it has shown up (controls enabled)."""
        return bool(self._heard.value)

    def _kernel_answers(self, change: dict[str, Any]) -> None:
        if not change["new"]:
            return
        for control in self.controls:
            control.disabled = False
        for note in self.notes:
            note.layout.display = "none"


__all__ = ["KERNEL_NOTE", "KERNEL_PING", "KernelOnly", "kernel_note_text", "label_of"]
