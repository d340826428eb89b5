"""Picking one of a few named variants (a cost, an activation) with an error that lists them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T")


def choose(options: Mapping[str, T], name: Any, what: str, meaning: str) -> T:
    """``options[name]``; a TypeError for a name that is not a string, a ValueError that lists
    the valid names for an unknown one. ``what`` is the argument (``"loss"``), ``meaning`` what
    it selects (``"the cost J(Θ)"``)."""
    if isinstance(name, str) and name in options:
        return options[name]
    valid = ", ".join(repr(key) for key in options)
    if not isinstance(name, str):
        shown = repr(name) if len(repr(name)) <= 40 else repr(name)[:37] + "..."
        raise TypeError(f"{what} must be a name (a string), one of {valid} ({meaning}), but it "
                        f"is {shown} of type {type(name).__name__}.")
    case = " (the names are lower-case)" if name.lower() in options else ""
    raise ValueError(f"unknown {what} {name!r}{case}; choose one of {valid} ({meaning}).")
