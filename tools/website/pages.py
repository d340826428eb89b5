"""A notebook as its page shows it, and the check that no page of the students' site shows a
line of a solution."""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import nbformat
import student_copies

from .widgets import WIDGET_VIEW, disable_kernel_controls, saved_widgets, widget_snapshot

DEMO = "instructor-demo.ipynb"
INSTRUCTOR_PAGES = ((DEMO, "Instructor's demo"),)

# Test markers: nbval's cell comments, and ruff's no-QA comments (their explanation is kept).
NBVAL_LINE = re.compile(r"^\s*#\s*NBVAL_[A-Z_]+\s*$")
# A link to a notebook of the series in a Markdown output (the course map of notebook 00).
OUTPUT_LINK = re.compile(r"\]\(((?:\d\d-[A-Za-z0-9_-]+|instructor-demo))\.ipynb(#[^)\s]*)?\)")
NOQA = re.compile(r"#\s*noqa(?::\s*[A-Z]+[0-9]*(?:\s*,\s*[A-Z]+[0-9]*)*)?\s*")


@dataclass(frozen=True)
class Edition:
    """Which site: the students' (the default) or the instructor's."""

    instructor: bool = False

    @property
    def name(self) -> str:
        return "instructor" if self.instructor else "students"


# ---------------------------------------------------------------------------------------------
# The code as readers see it



def reader_source(source: str) -> str:
    """A code cell's source without the test markers: lines ``# NBVAL_…`` go, and ``# noqa…``
    leaves only its explanation (``# noqa: F401 — for hint()`` becomes ``# for hint()``)."""
    lines = []
    for line in source.split("\n"):
        if NBVAL_LINE.match(line):
            continue
        if "#" in line and NOQA.search(line):
            code, _, comment = line.partition("#")
            rest = NOQA.sub("", "#" + comment, count=1).strip()
            rest = rest.lstrip("—–-:; ").strip()
            if rest.startswith("(") and rest.endswith(")"):
                rest = rest[1:-1].strip()
            line = f"{code.rstrip()}  # {rest}" if rest and code.strip() else (
                f"{code}# {rest}" if rest else code.rstrip())
        lines.append(line)
    return "\n".join(lines)



# ---------------------------------------------------------------------------------------------
# Notebooks as the site shows them



def _fold_solutions(nb: Any, name: str) -> int:
    """The instructor's site: each exercise cell shows its scaffold (what students see), and a
    markdown cell under it holds the solution, folded. Returns the number of cells folded."""
    regions = student_copies.notebook_regions(nb, name)
    for index in sorted(regions, reverse=True):
        cell = nb.cells[index]
        solution = reader_source(cell.source)
        cell.source = student_copies.scaffold_source(cell.source, regions[index])
        fence = "````" if "```" in solution else "```"
        nb.cells.insert(index + 1, nbformat.v4.new_markdown_cell(
            f'<details class="site-solution"><summary>Solution</summary>\n\n'
            f"{fence}python\n{solution}\n{fence}\n\n</details>",
            metadata={"site_solution": True}))
    return len(regions)


def site_notebook(nb: Any, name: str, edition: Edition) -> Any:
    """The notebook as its page shows it (a copy; ``nb`` is left as it is): test markers out of
    the code, hidden code cells folded, controls that need a kernel disabled with a note, a
    static snapshot of each widget for a page read without JavaScript and, on the
    instructor's site, each solution folded under its exercise."""
    nb = copy.deepcopy(nb)
    if edition.instructor:
        _fold_solutions(nb, name)
    models = saved_widgets(nb)
    disable_kernel_controls(models)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.source = reader_source(cell.source)
        tags = cell.metadata.setdefault("tags", [])
        if cell.metadata.get("jupyter", {}).get("source_hidden") and "hide-input" not in tags:
            tags.append("hide-input")
        outputs = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/markdown" in data:   # links in a printed table are not resolved like prose
                text = data["text/markdown"]
                text = "".join(text) if isinstance(text, list) else text
                data["text/markdown"] = OUTPUT_LINK.sub(r"](\1.html\2)", text)
            view = data.get(WIDGET_VIEW)
            snapshot = widget_snapshot(view.get("model_id", ""), models) if view else None
            if snapshot is not None:
                outputs.append(nbformat.v4.new_output(
                    "display_data", data={"text/html": f"<noscript>{snapshot}</noscript>"}))
            outputs.append(output)
        cell.outputs = outputs
    return nb



# ---------------------------------------------------------------------------------------------
# Leaks: a solution line on a page of the students' site



class _PageText(HTMLParser):
    """The text of a built page, in pieces labelled like student_copies' places: the code of
    a cell, the prose around the cells, and everything a cell puts out (its outputs, the
    widgets' saved state and their snapshots)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: dict[str, list[str]] = {"(code source)": [], "(markdown source)": [],
                                             "(output)": []}
        self._stack: list[str] = []

    def _where(self) -> str:
        if "output" in self._stack:
            return "(output)"
        return "(code source)" if "input" in self._stack else "(markdown source)"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "input", "meta", "link", "hr", "wbr", "source", "col"):
            return
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        kind = ("output" if "cell_output" in classes or "application/vnd.jupyter" in (found.get("type") or "")
                else "input" if "cell_input" in classes else tag)
        self._stack.append(kind)
        for name, value in attrs:   # a title or an alt text is shown too
            if name in ("title", "alt", "aria-label") and value:
                self.pieces[self._where()].append(value)

    def handle_endtag(self, tag: str) -> None:
        if self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        self.pieces[self._where()].append(data)


def page_leaks(page_html: str, instructor: Any, name: str, label: str) -> list[str]:
    """Where a solution piece of the instructor's notebook ``instructor`` shows on a built page
    (its HTML), as :func:`student_copies.find_leaks` finds them in a student copy."""
    text = _PageText()
    text.feed(page_html)
    for script in re.findall(r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>',
                             page_html, re.S):   # the widgets' own HTML, as saved
        text.pieces["(output)"].append(html.unescape(script))
    extra = {f"{label} {where}": "\n".join(parts) for where, parts in text.pieces.items()}
    return student_copies.find_leaks(instructor, nbformat.v4.new_notebook(), name, extra)



def page_name(notebook: str) -> str:
    return notebook.removesuffix(".ipynb") + ".html"
