"""Showing a drawing or a widget in the notebook, from a cell that does not end with it."""

from __future__ import annotations

from typing import Any


def show(obj: Any) -> None:
    """Display ``obj`` (a widget, a figure, HTML…) below the running cell, with IPython's
    ``display`` (imported only when something is shown, so that the package imports without
    IPython)."""
    from IPython.display import display
    display(obj)
