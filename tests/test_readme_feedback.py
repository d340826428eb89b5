"""The README's example of feedback is what the check prints for the function it describes."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

import nbhelpers as nb
from nbhelpers.course.feedback import diagnose

README = Path(__file__).resolve().parents[1] / "README.md"


def deltas(Theta: dict, a: dict, z: dict, y: np.ndarray) -> dict:
    """The README's student: g(z⁽ˡ⁾) where g′(z⁽ˡ⁾) belongs, and a print of the layer."""
    L = len(Theta) + 1
    delta = {L: a[L] - y}
    for l in range(L - 1, 1, -1):
        print("layer", l)
        delta[l] = (Theta[l][:, 1:].T @ delta[l + 1]) * nb.sigmoid(z[l])
    return delta


def test_the_readmes_feedback_example_is_what_the_check_prints() -> None:
    text = README.read_text(encoding="utf-8")
    lead = text.index("is told, in notebook 03:")
    shown = re.search(r"```text\n(.*?)```", text[lead:], re.S)
    assert shown is not None
    verdict = diagnose("03-deltas", deltas)
    assert not verdict.passed and verdict.mistake is not None
    assert shown.group(1).rstrip("\n") == verdict.report().rstrip("\n")
