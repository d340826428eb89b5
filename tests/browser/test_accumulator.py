"""The accumulator explorer of notebook 04, driven from the keyboard in a real JupyterLab.

The slider's handle is focused and moved with the arrow keys, as a student without a mouse
would; the Δ⁽ˡ⁾ tables shown must then be the accumulators after that many examples, as
:func:`nbhelpers.accumulation_history` computes them here for the notebook's network
(``nb.lecture_network(m=4)``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from labdriver import NotebookPage, table_values

import nbhelpers as nb
from nbhelpers.validation import sup

PROBLEM = nb.lecture_network(m=4)  # what notebook 04 hands to AccumulatorExplorer
HISTORY = nb.accumulation_history(PROBLEM.Theta, PROBLEM.X, PROBLEM.Y)  # Δ after 0…m examples
M = PROBLEM.X.shape[0]


def caption(l: int, i: int) -> str:
    return f"Δ{sup(l)} after {i} example{'' if i == 1 else 's'}"


def assert_delta(explorer: Any, i: int) -> None:
    """The explorer shows Δ⁽ˡ⁾ after i examples, for every l (waits for the tables first)."""
    for l in PROBLEM.Theta:
        shown = table_values(explorer.locator(".bp-acc-delta").filter(visible=True).first,
                             caption(l, i), HISTORY[i][l])
        assert shown is not None, f"no table {caption(l, i)!r} in the explorer"
        np.testing.assert_allclose(shown, HISTORY[i][l], rtol=1e-12, atol=1e-15,
                                   err_msg=f"Δ{sup(l)} after {i} examples")


def title(explorer: Any) -> Any:
    """The title of the picture shown (those of the other i are in the page too, hidden)."""
    return explorer.locator(".bp-acc-title").filter(visible=True).first


def test_slider_keys_change_the_displayed_delta(accumulators: NotebookPage, expect: Any) -> None:
    explorer = accumulators.page.locator(".bp-accumulator").first
    handle = explorer.locator(".bp-acc-slider .noUi-handle")
    readout = explorer.locator(".bp-acc-slider .widget-readout")
    handle.focus()
    handle.press("End")  # the explorer opens at i = m; make sure of it
    expect(readout).to_have_text(str(M))
    expect(title(explorer)).to_contain_text(f"i = {M}")
    assert_delta(explorer, M)

    handle.press("ArrowLeft")
    expect(readout).to_have_text(str(M - 1))
    expect(title(explorer)).to_contain_text(f"i = {M - 1}")
    assert_delta(explorer, M - 1)
    assert not all(np.allclose(HISTORY[M][l], HISTORY[M - 1][l]) for l in PROBLEM.Theta)

    handle.press("ArrowRight")
    expect(readout).to_have_text(str(M))
    expect(title(explorer)).to_contain_text(f"i = {M}")
    assert_delta(explorer, M)
    assert accumulators.errors == []
