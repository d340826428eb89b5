"""hint() in a notebook: a mistyped exercise id or a tier that does not exist gets one friendly
line that lists the ids of the exercises (of the notebook when it can tell which), never a
traceback; the right id and tier print the hint."""

from __future__ import annotations

from typing import Any

import pytest

from nbhelpers.course.hints import exercise_ids, hint, hint_text


def _line(capsys: pytest.CaptureFixture[str], *args: Any) -> str:
    hint(*args)
    out = capsys.readouterr().out
    assert out.count("\n") == 1, f"one line, not {out!r}"
    return out.strip()


def test_every_exercise_of_the_series_has_hints() -> None:
    ids = exercise_ids()
    assert {"00-n-params", "02-reg", "03-deltas", "05-backprop", "09-relu-gradient"} <= set(ids)
    assert ids == sorted(ids)


def test_a_tier_that_does_not_exist_gets_one_line_with_the_notebooks_ids(capsys) -> None:
    line = _line(capsys, "03-deltas", 4)
    assert line == ("Exercise '03-deltas' has hints 1 to 3 (1 the idea, 2 the shapes, 3 a code "
                    "skeleton), not 4: hint('03-deltas') gives the first (the exercises of "
                    "notebook 03: 03-deltas).")
    for level in (0, -1, "three", 2.5, True, None):
        assert _line(capsys, "02-reg", level).startswith("Exercise '02-reg' has hints 1 to 3")


def test_a_mistyped_id_gets_the_id_it_probably_is_and_the_notebooks_ids(capsys) -> None:
    assert _line(capsys, "3-deltas") == ("There is no exercise '3-deltas' — did you mean "
                                         "hint('03-deltas')? The exercises of notebook 03: "
                                         "03-deltas.")
    assert _line(capsys, "09-relu") == ("There is no exercise '09-relu' — did you mean "
                                        "hint('09-relu-gradient')? The exercises of notebook 09: "
                                        "09-delta-l-squared, 09-relu-gradient.")
    assert _line(capsys, "02-j").startswith("There is no exercise '02-j' — did you mean "
                                            "hint('02-j-unreg')? The exercises of notebook 02: "
                                            "02-j-unreg, 02-reg.")


def test_an_id_of_no_notebook_lists_every_exercise(capsys) -> None:
    line = _line(capsys, "backprop-zz")
    assert line.startswith("There is no exercise 'backprop-zz'")
    assert "The exercises are: 00-n-params, 01-forward" in line and "09-relu-gradient." in line
    for junk in (3, ["03-deltas"], {"id": 1}):
        assert _line(capsys, junk).startswith("There is no exercise ")


def test_hint_without_an_id_lists_the_ids(capsys) -> None:
    assert _line(capsys).startswith("hint(exercise) needs an exercise's id; the exercises are: ")


def test_the_right_id_and_tier_print_the_hint(capsys) -> None:
    hint("09-relu-gradient", "2")
    out = capsys.readouterr().out
    assert out.startswith("Hint 2 of 3 (the shapes): ")
    assert "More: hint('09-relu-gradient', 3) gives a code skeleton." in out


def test_hint_text_raises_the_same_line() -> None:
    with pytest.raises(ValueError, match="did you mean hint\\('03-deltas'\\)"):
        hint_text("3-deltas")
    with pytest.raises(ValueError, match="has hints 1 to 3"):
        hint_text("03-deltas", 4)


@pytest.fixture
def notebook_07(notebook_shell: Any) -> Any:
    """A real IPython shell that imported notebook 07's exercise module, as notebook 07 does."""
    return notebook_shell("from nbhelpers.course.exercises import nb07\n"
                          "from nbhelpers.course.hints import hint")


def test_in_a_notebook_an_unknown_id_lists_that_notebooks_exercises(notebook_07, capsys) -> None:
    result = notebook_07.run_cell("hint('predict')", store_history=True)
    assert result.error_in_exec is None
    assert capsys.readouterr().out == ("There is no exercise 'predict' — did you mean "
                                       "hint('07-predicted')? The exercises of notebook 07: "
                                       "07-gradient-descent, 07-predicted.\n")
    result = notebook_07.run_cell("hint('07-predicted', 5)", store_history=True)
    assert result.error_in_exec is None
    assert "Traceback" not in capsys.readouterr().out
