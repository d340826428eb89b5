"""Every notebook of the series has the same bones: objectives and a map at the top, a summary at
the end, exercises each followed by a check, and outputs saved from a clean run."""

from __future__ import annotations

import importlib
import inspect
import json
import re
from pathlib import Path

import pytest
from notebook_runs import series_notebooks  # the tools' and the tests' one list

from nbhelpers.course.series import COURSE, course_map_markdown

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

SERIES = series_notebooks(NOTEBOOKS)
STEP_NAMES = ("Forward propagation", "Cost J(Θ)", "Delta terms δ⁽ˡ⁾", "Accumulators Δ⁽ˡ⁾", "D terms",
              "Gradient check", "Learning (gradient descent)")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def _source(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def test_every_notebook_of_the_course_exists() -> None:
    missing = [lesson.file for lesson in COURSE if not (NOTEBOOKS / lesson.file).exists()]
    assert not missing, f"the course map lists notebooks that do not exist: {missing}"


def test_every_numbered_notebook_is_on_the_course_map() -> None:
    listed = {lesson.file for lesson in COURSE}
    assert {p.name for p in SERIES} <= listed


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_opens_with_title_objectives_map_and_links(path: Path) -> None:
    first = _cells(path)[0]
    assert first["cell_type"] == "markdown"
    text = _source(first)
    number = path.name[:2]
    assert re.match(rf"# {number} · \S", text), "the first line is the title '# NN · …'"
    assert "## You will be able to" in text
    bullets = re.findall(r"^- \S", text.split("## You will be able to", 1)[1].split("##", 1)[0], re.M)
    assert 3 <= len(bullets) <= 5, f"3–5 things the student will be able to do, found {len(bullets)}"
    assert "## Where this step sits" in text
    assert "00-start-here.ipynb#Course-map" in text, "a link to the contents"
    index = [lesson.file for lesson in COURSE].index(path.name)
    if index > 0:
        assert f"({COURSE[index - 1].file})" in text, "a link to the previous notebook"
    if index + 1 < len(COURSE):
        assert f"({COURSE[index + 1].file})" in text, "a link to the next notebook"


@pytest.mark.parametrize("path", [p for p in SERIES if p.name[:2] not in ("00", "09")],
                         ids=lambda p: p.name)
def test_map_names_the_lecture_steps_and_marks_this_one(path: Path) -> None:
    sits = _source(_cells(path)[0]).split("## Where this step sits", 1)[1]
    assert sum(name in sits for name in STEP_NAMES) >= 5, "the map names the lecture's steps"
    assert re.search(r"\*\*[^*]+\*\*", sits), "the current step is in bold"


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_ends_with_summary_and_questions(path: Path) -> None:
    last = _cells(path)[-1]
    assert last["cell_type"] == "markdown"
    text = _source(last)
    assert text.startswith("## Summary")
    assert "### Try this" in text
    questions = re.findall(r"^\s*(?:\d+\.|-) \S", text.split("### Try this", 1)[1], re.M)
    assert len(questions) >= 2


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_every_exercise_is_marked_and_followed_by_a_check(path: Path) -> None:
    cells = _cells(path)
    code = [c for c in cells if c["cell_type"] == "code"]
    exercises = [i for i, c in enumerate(code) if "exercise" in _tags(c)]
    assert exercises, "at least one exercise"
    for i in exercises:
        src = _source(code[i])
        assert src.count("### BEGIN SOLUTION") == src.count("### END SOLUTION") >= 1
        assert i + 1 < len(code) and "check" in _tags(code[i + 1]), \
            f"exercise cell {i} must be followed by a check cell"
        _assert_checks_the_exercise(path, code[i + 1])
    marked = [i for i, c in enumerate(code) if "### BEGIN SOLUTION" in _source(c)]
    assert marked == exercises, "every cell with a solution is tagged 'exercise'"


def _assert_checks_the_exercise(path: Path, cell: dict) -> None:
    """A check cell calls feedback's check_value/check_function, or a check of the notebook's own
    exercise module (``nbNN.check_…`` for notebook NN) that reports under the cell's exercise id."""
    src = _source(cell)
    if "check_value(" in src or "check_function(" in src:
        return
    calls = re.findall(r"\bnb(\d\d)\.(check_\w+)\(", src)
    assert calls, f"the check cell calls no check: {src!r}"
    exercise = cell.get("metadata", {}).get("exercise")
    assert exercise, "the check cell has an 'exercise' id in its metadata"
    for number, name in calls:
        assert number == path.name[:2], f"nb{number}.{name} belongs to another notebook"
        module = importlib.import_module(f"nbhelpers.course.exercises.nb{number}")
        assert callable(getattr(module, name, None)), f"nb{number} has no function {name}"
        text = inspect.getsource(module)
        assert f'"{exercise}"' in text, f"nb{number} never reports under {exercise!r}"


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_saved_after_a_clean_run(path: Path) -> None:
    code = [c for c in _cells(path) if c["cell_type"] == "code"]
    counts = [c.get("execution_count") for c in code]
    assert counts == list(range(1, len(code) + 1)), "execution counts 1…n: run `make execute`"
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, "no error outputs"


def test_readme_course_map_lists_every_notebook() -> None:
    readme = (ROOT / "README.md").read_text()
    for lesson in COURSE:
        assert f"notebooks/{lesson.file}" in readme, f"README's course map misses {lesson.file}"


def test_readme_course_map_is_the_course_map() -> None:
    """The README shows the same map as notebook 00 (titles, lecture steps, times)."""
    readme = (ROOT / "README.md").read_text()
    assert course_map_markdown(folder="notebooks/") in readme


@pytest.mark.parametrize("path", [*SERIES, NOTEBOOKS / "instructor-demo.ipynb"], ids=lambda p: p.stem)
def test_every_notebook_takes_the_lecture_network_with_its_own_seed(path: Path) -> None:
    """The lecture's network is built one way everywhere (any m, never another seed), so its
    example i shows the same x⁽ⁱ⁾, y⁽ⁱ⁾ and numbers in every notebook and in the demo
    (tests/test_network.py checks that example i does not depend on m)."""
    code = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "code")
    calls = re.findall(r"lecture_network\(([^)]*)\)", code)
    assert all("seed" not in args and "," not in args for args in calls), calls
