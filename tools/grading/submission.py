"""A student's notebook read as data (never run as it is), matched to the instructor's
notebook, and the student's code of each exercise taken out of it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat

from grading.instructor import Course, Exercise, InstructorNotebook, _exercise_id
from grading.records import MAX_BYTES, Refused


def read_submission(path: Path) -> Any:
    """The submission as a notebook, or ``Refused`` with a one-line reason."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise Refused(f"cannot be read ({err.strerror})") from None
    if not path.is_file():
        raise Refused("is not a file")
    if size == 0:
        raise Refused("is empty, not a notebook")
    if size > MAX_BYTES:
        raise Refused(f"is {size / 1e6:.0f} MB, too large for a notebook of this course")
    data = path.read_bytes()
    if b"\x00" in data:
        raise Refused("is a binary file, not a notebook")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("is a binary file, not a notebook") from None
    try:
        raw = json.loads(text)
    except ValueError as err:
        raise Refused(f"is not a notebook: not valid JSON ({err})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        raise Refused("is not a notebook: no list of cells")
    cells = []
    for cell in raw["cells"]:
        if not isinstance(cell, dict):
            raise Refused("is not a notebook: a cell is not an object")
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise Refused("is not a notebook: a cell's source is not text")
        metadata = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        cells.append(nbformat.from_dict({"cell_type": str(cell.get("cell_type", "")),
                                         "source": source, "metadata": metadata}))
    return cells


def match_notebook(cells: Sequence[Any], course: Course) -> InstructorNotebook:
    """The instructor notebook whose exercise ids the submission's cells carry most."""
    ids = {_exercise_id(cell) for cell in cells} - {None}
    best = max(course.notebooks.values(), key=lambda b: (len(ids & set(b.exercises)), b.name),
               default=None)
    if best is None or not ids & set(best.exercises):
        raise Refused("is not a notebook of this course: no cell carries the exercise id of "
                      "one of the course's exercises")
    return best


def _extract(lines: list[str], chunks: Sequence[Sequence[str]]) -> list[list[str]] | None:
    """The student's code of each region: what lies between the instructor's unchanged
    lines around the regions; None when those lines were changed."""
    def same(a: Sequence[str], b: Sequence[str]) -> bool:
        return [x.rstrip() for x in a] == [x.rstrip() for x in b]

    first, last = chunks[0], chunks[-1]
    if len(lines) < len(first) + len(last) or not same(lines[:len(first)], first):
        return None
    if last and not same(lines[len(lines) - len(last):], last):
        return None
    body = lines[len(first):len(lines) - len(last)]
    regions, start = [], 0
    for chunk in chunks[1:-1]:
        at = next((i for i in range(start, len(body) - len(chunk) + 1)
                   if same(body[i:i + len(chunk)], chunk)), None)
        if at is None:
            return None
        regions.append(body[start:at])
        start = at + len(chunk)
    regions.append(body[start:])
    return regions


def student_code(cells: Sequence[Any], book: InstructorNotebook,
                 exercise: Exercise) -> tuple[str | None, str]:
    """The source to run for one exercise and a note: the instructor's cell with the
    student's code in its regions; the student's cell as written when its lines outside the
    regions were changed; None when the submission has no cell for the exercise."""
    check_sources = {book.nb.cells[i].source.strip() for i in exercise.checks}
    candidates = [c.source for c in cells if c.cell_type == "code"
                  and _exercise_id(c) == exercise.id and c.source.strip() not in check_sources]
    for source in candidates:
        regions = _extract(source.split("\n"), exercise.chunks)
        if regions is not None:
            merged: list[str] = list(exercise.chunks[0])
            for region, chunk in zip(regions, exercise.chunks[1:], strict=True):
                merged += region + list(chunk)
            return "\n".join(merged), ""
    if candidates:
        return candidates[0], "the cell was changed outside its exercise region; graded as written"
    return None, ""
