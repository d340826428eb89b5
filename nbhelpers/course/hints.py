"""Tiered hints for the exercises: the idea first, then the shapes, code only when asked for.

Each exercise (named by its id, the ``exercise`` entry in its cells' metadata, such as
``"03-deltas"``) registers up to three tiers:

1. the idea, in words and the lecture's notation;
2. the shapes of the arrays involved;
3. a code skeleton with blanks — never the answer itself.

In a notebook, ``hint("03-deltas")`` prints tier 1, ``hint("03-deltas", 2)`` tier 2 and so on.
"""

from __future__ import annotations

from collections.abc import Sequence

_HINTS: dict[str, tuple[str, ...]] = {}


def register_hints(exercise: str, tiers: Sequence[str]) -> None:
    """Record the hints of one exercise, tier 1 first (one to three tiers)."""
    if not 1 <= len(tiers) <= 3:
        raise ValueError(f"exercise {exercise!r}: give one to three hint tiers, not {len(tiers)}.")
    _HINTS[exercise] = tuple(tiers)


def hint_text(exercise: str, level: int = 1) -> str:
    """The hint of tier ``level`` for ``exercise``, with a line that says what the next tier is."""
    if exercise not in _HINTS:
        known = ", ".join(sorted(_HINTS)) or "none registered yet"
        raise ValueError(f"no hints for exercise {exercise!r}; the exercises with hints are: {known}.")
    tiers = _HINTS[exercise]
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= len(tiers):
        raise ValueError(f"exercise {exercise!r} has hint levels 1 to {len(tiers)}, not {level!r}.")
    names = {1: "the idea", 2: "the shapes", 3: "a code skeleton"}
    text = f"Hint {level} of {len(tiers)} ({names[level]}): {tiers[level - 1]}"
    if level < len(tiers):
        text += f"\n  More: hint({exercise!r}, {level + 1}) gives {names[level + 1]}."
    return text


def hint(exercise: str, level: int = 1) -> None:
    """Print the hint of tier ``level`` (1: the idea, 2: the shapes, 3: a code skeleton)."""
    print(hint_text(exercise, level))
