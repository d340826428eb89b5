"""Every Markdown table the notebooks show renders as a table, with every row's cells.

A ``|`` inside a cell (an absolute value such as ``largest |a⁽ˡ⁾ − fp.a[l]|``) ends the cell
early unless it is escaped: in the header it turns the whole table back into raw text, in a row
it adds a cell that the renderer silently drops. The tables are parsed here with markdown-it,
a CommonMark parser with the GitHub-flavoured table rule, the kind JupyterLab renders with.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from nbhelpers.display.number_table import markdown_table, number_table

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
PARSER = MarkdownIt("commonmark").enable("table")
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def table_blocks(markdown: str) -> list[list[str]]:
    """Runs of consecutive lines that start with ``|``: what the author meant as tables."""
    blocks, current = [], []
    for line in markdown.splitlines():
        if line.strip().startswith("|"):
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return [b for b in blocks if len(b) >= 2]


def cells_per_row(block: list[str]) -> list[int]:
    """How many cells the renderer finds in each row of ``block`` (header first), or [] when it
    does not see a table at all."""
    tokens = PARSER.parse("\n".join(block))
    if not any(t.type == "table_open" for t in tokens):
        return []
    counts, current = [], 0
    for token in tokens:
        if token.type == "tr_open":
            current = 0
        elif token.type in ("th_open", "td_open"):
            current += 1
        elif token.type == "tr_close":
            counts.append(current)
    return counts


def written_cells(line: str) -> int:
    """The cells a row's author wrote: the unescaped pipes between its outer ones."""
    return len(UNESCAPED_PIPE.findall(line.strip())) - 1


def problems(markdown: str) -> list[str]:
    found = []
    for block in table_blocks(markdown):
        counts = cells_per_row(block)
        if not counts:
            found.append(f"not rendered as a table: {block[0][:80]}")
            continue
        header = counts[0]
        rows = [block[0], *block[2:]]
        for line, count in zip(rows, counts, strict=False):
            if count != header or written_cells(line) != header:
                found.append(f"{written_cells(line)} cells where the header has {header}: "
                             f"{line[:80]}")
    return found


def markdown_of(path: Path) -> list[tuple[str, str]]:
    """(where, Markdown) for every Markdown cell and every Markdown output of a notebook."""
    nb = json.loads(path.read_text())
    out = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            out.append((f"cell {index}", "".join(cell["source"])))
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown")
            if text:
                out.append((f"cell {index}'s output", "".join(text)))
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_saved_table_renders(path: Path) -> None:
    found = [f"{where}: {p}" for where, text in markdown_of(path) for p in problems(text)]
    assert not found, "\n".join(found)


def test_the_notebooks_do_show_tables() -> None:
    tables = sum(len(table_blocks(text)) for path in NOTEBOOKS for _, text in markdown_of(path))
    assert tables >= 20


def test_a_pipe_inside_a_cell_is_escaped() -> None:
    text = number_table(["l", "largest |a⁽ˡ⁾ − fp.a[l]|"], [(1, "`a|b`")])._repr_markdown_()
    assert problems(text) == []
    html = PARSER.render(text)
    assert re.search(r"<th[^>]*>largest \|a⁽ˡ⁾ − fp.a\[l\]\|</th>", html)
    assert "<code>a|b</code>" in html


def test_the_check_sees_an_unescaped_pipe() -> None:
    raw = "| l | largest |a| |\n|---|---|\n| 1 | 2 |"
    assert problems(raw) == ["not rendered as a table: | l | largest |a| |"]
    row = "| l | value |\n|---|---|\n| 1 | |a| |"
    assert problems(row) == ["4 cells where the header has 2: | 1 | |a| |"]


def test_an_escaped_pipe_is_not_escaped_twice() -> None:
    assert markdown_table(["a"], [["x \\| y"]]).splitlines()[-1] == "| x \\| y |"
