"""The computed tables of the notebooks: Markdown for JupyterLab, aligned text for nbval."""

import numpy as np
import pytest

from nbhelpers.display.number_table import number_table


def test_markdown_has_header_rule_and_formatted_rows():
    t = number_table(["l", "shape of Θ⁽ˡ⁾", "J"], [(1, (5, 4), 0.123456), (np.int64(2), (5, 6), 2.0)])
    assert t._repr_markdown_() == (
        "| l | shape of Θ⁽ˡ⁾ | J |\n"
        "|---:|---:|---:|\n"
        "| 1 | (5, 4) | 0.1235 |\n"
        "| 2 | (5, 6) | 2.0000 |"
    )


def test_plain_text_is_right_aligned_under_a_rule():
    t = number_table(["λ", "J(Θ)"], [(0.1, 12.5), (10, 3.0)], fmt=".1f")
    assert str(t).splitlines() == [
        "  λ  J(Θ)",
        "---  ----",
        "0.1  12.5",
        " 10   3.0",
    ]
    assert repr(t) == str(t)


def test_numpy_floats_text_booleans_and_one_element_shapes():
    t = number_table(["a", "b", "c", "d"], [(np.float64(1 / 3), "text", True, (7,))], fmt=".2e")
    assert t.rows == (("3.33e-01", "text", "True", "(7,)"),)


def test_a_row_of_the_wrong_length_is_explained():
    with pytest.raises(ValueError, match="row 2 has 1 cells, but the header has 2 columns"):
        number_table(["x", "y"], [(1, 2), (3,)])


def test_an_unknown_cell_type_is_explained():
    with pytest.raises(TypeError, match="not a list"):
        number_table(["x"], [([1, 2],)])


def test_an_empty_header_is_refused():
    with pytest.raises(ValueError, match="at least one column"):
        number_table([], [])
