"""Tiered hints for the exercises: the idea first, then the shapes, code only when asked for.

Each exercise (named by its id, the ``exercise`` entry in its cells' metadata, such as
``"03-deltas"``) registers up to three tiers:

1. the idea, in words and the lecture's notation;
2. the shapes of the arrays involved;
3. a code skeleton with blanks — never the answer itself.

In a notebook, ``hint("03-deltas")`` prints tier 1, ``hint("03-deltas", 2)`` tier 2 and so on.
A mistyped id or a tier that does not exist gets one friendly line instead, with the ids of the
exercises of the notebook (read from the id's number, or from the exercise module the notebook
imported) — never a traceback.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from .exercise import HINTS

TIERS = {1: "the idea", 2: "the shapes", 3: "a code skeleton"}
"""What each tier gives."""


def exercise_ids() -> list[str]:
    """The ids of every exercise with hints, in the order of the notebooks."""
    try:
        from . import exercises  # noqa: F401  (each notebook's module registers its hints)
    except ImportError:                   # pragma: no cover - a broken install: say what is known
        pass
    return sorted(HINTS)


NOTEBOOK_NUMBER = re.compile(r"\s*(?:nb|notebook\s*)?0*(\d{1,2})(?!\d)", re.IGNORECASE)


def _notebook_of(text: str, ids: Sequence[str]) -> str | None:
    """The notebook a (mistyped) id names by its number, "3-deltas" → "03", if it has
    exercises."""
    found = NOTEBOOK_NUMBER.match(text)
    if found is None:
        return None
    number = f"{int(found[1]):02d}"
    return number if any(i.startswith(number + "-") for i in ids) else None


def _notebook_in_use(ids: Sequence[str]) -> str | None:
    """The notebook whose exercise module the running notebook imported (``nb03`` → "03"),
    when there is exactly one."""
    from .notebook import shell

    ip = shell()
    if ip is None:
        return None
    numbers = set()
    for value in list(ip.user_ns.values()):
        if isinstance(value, ModuleType):
            found = re.fullmatch(r"nbhelpers\.course\.exercises\.nb(\d\d)", value.__name__)
            if found:
                numbers.add(found[1])
    numbers = {n for n in numbers if any(i.startswith(n + "-") for i in ids)}
    return numbers.pop() if len(numbers) == 1 else None


def _suggestion(text: str, ids: Sequence[str], notebook: str | None) -> str | None:
    """The one id the student probably meant: the only id containing what they typed, else the
    closest spelling (among the notebook's ids first)."""
    typed = text.strip().lower()
    containing = [i for i in ids if typed and typed in i.lower()]
    if len(containing) == 1:
        return containing[0]
    mine = [i for i in ids if notebook and i.startswith(notebook + "-")]
    for pool in (containing, mine, ids):
        close = difflib.get_close_matches(typed, pool, n=1, cutoff=0.6)
        if close:
            return close[0]
    return None


def _listing(ids: Sequence[str], notebook: str | None) -> str:
    if notebook is not None:
        theirs = [i for i in ids if i.startswith(notebook + "-")]
        return f"the exercises of notebook {notebook}: {', '.join(theirs)}"
    return f"the exercises are: {', '.join(ids)}"


def unknown_text(exercise: Any) -> str:
    """One line for an id without hints: the id it probably is, and the ids there are (those of
    the notebook when it can tell which)."""
    ids = exercise_ids()
    text = str(exercise)
    notebook = _notebook_of(text, ids) or _notebook_in_use(ids)
    close = _suggestion(text, ids, notebook)
    line = f"There is no exercise {text!r}"
    line += f" — did you mean hint({close!r})?" if close else "."
    listing = _listing(ids, notebook)
    return f"{line} {listing[0].upper()}{listing[1:]}."


def _level(level: Any) -> int | None:
    if isinstance(level, bool):
        return None
    if isinstance(level, int):
        return level
    if isinstance(level, str) and level.strip().isdigit():
        return int(level)
    return None


def tier_text(exercise: str, level: Any) -> str:
    """One line for a tier that does not exist."""
    count = len(HINTS[exercise])
    tiers = ", ".join(f"{k} {TIERS[k]}" for k in range(1, count + 1))
    ids = exercise_ids()
    notebook = _notebook_of(exercise, ids)
    return (f"Exercise {exercise!r} has hints 1 to {count} ({tiers}), not {level!r}: "
            f"hint({exercise!r}) gives the first ({_listing(ids, notebook)}).")


def hint_text(exercise: str, level: int = 1) -> str:
    """The hint of tier ``level`` for ``exercise``, with a line that says what the next tier is.
    An id without hints, or a tier that does not exist, raises ValueError with one friendly
    line (:func:`hint` prints that line instead)."""
    if not isinstance(exercise, str) or exercise not in HINTS:
        exercise_ids()
    if not isinstance(exercise, str) or exercise not in HINTS:
        raise ValueError(unknown_text(exercise))
    tiers = HINTS[exercise]
    tier = _level(level)
    if tier is None or not 1 <= tier <= len(tiers):
        raise ValueError(tier_text(exercise, level))
    text = f"Hint {tier} of {len(tiers)} ({TIERS[tier]}): {tiers[tier - 1]}"
    if tier < len(tiers):
        text += f"\n  More: hint({exercise!r}, {tier + 1}) gives {TIERS[tier + 1]}."
    return text


def hint(exercise: Any = None, level: Any = 1) -> None:
    """Print the hint of tier ``level`` (1: the idea, 2: the shapes, 3: a code skeleton); for an
    unknown id or tier, one line that says which there are."""
    if exercise is None:
        ids = exercise_ids()
        print(f"hint(exercise) needs an exercise's id; {_listing(ids, _notebook_in_use(ids))}.")
        return
    try:
        print(hint_text(exercise, level))
    except ValueError as error:
        print(str(error))


__all__ = ["TIERS", "exercise_ids", "hint", "hint_text", "tier_text", "unknown_text"]
