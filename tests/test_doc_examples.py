"""Every code example in a docstring (nbhelpers/, tools/) and in the README runs.

An example is found in one of two forms:

* doctest lines (``>>>``, with what they print): run by :mod:`doctest`, which compares the
  output (``...`` matches anything, runs of white space are one space);
* a reST literal block after ``::`` ("Example::", "Usage::"): run, and it must not raise.
  A docstring's blocks run in order in one namespace, so a block may use the names of the
  block before it. A block that is a shell command (``python tools/…``, ``make …``) is not
  Python and is left out.

A docstring's examples run in the namespace of its module (the names the reader sees next to
it), with ``nb`` (nbhelpers) and ``np`` (numpy) as the notebooks and the README name them. In
the README, every fenced block tagged ``python`` or ``pycon``, or holding ``>>>`` lines, runs.

Examples in nbhelpers/display/ and nbhelpers/course/ that do not run today are listed in
KNOWN_BROKEN with what is wrong: each is an expected failure (``xfail(strict=True)``) until its
docstring is mended, when the test fails as an unexpected pass and its entry must go.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import pytest

import nbhelpers

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
SHELL = re.compile(r"^(\$ |\.venv/|\.\.?/|python3?(\.\d+)? |make |pytest |pip |uv |jupyter |npm "
                   r"|bash |git |cd |tools/)")
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

KNOWN_BROKEN: dict[str, str] = {}
"""Examples that do not run today, each with what is wrong (none: every example runs)."""


@dataclass(frozen=True)
class Example:
    where: str            # "nbhelpers.display.trace:Step" or "README.md:136"
    module: str | None    # the module whose namespace it runs in (None: a fresh one)
    doctest: str          # the ``>>>`` examples, as doctest text ("" when none)
    blocks: tuple[str, ...]  # the literal blocks' code, in order
    line: int


def module_files() -> dict[str, Path]:
    """The package's and the tools' modules, by the name they are imported as."""
    files = {}
    for path in sorted((ROOT / "nbhelpers").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    for path in sorted((ROOT / "tools").rglob("*.py")):
        parts = path.relative_to(ROOT / "tools").with_suffix("").parts
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return files


def literal_blocks(doc: str) -> list[str]:
    """The reST literal blocks of a docstring: the indented lines after a line ending in
    ``::`` (and a blank line), up to the first line indented no deeper than that line."""
    lines = doc.splitlines()
    blocks = []
    for i, line in enumerate(lines):
        if not line.rstrip().endswith("::") or line.strip().startswith(".."):
            continue
        depth = len(line) - len(line.lstrip())
        body = []
        for following in lines[i + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= depth:
                break
            body.append(following)
        code = "\n".join(body).strip("\n")
        if code.strip():
            blocks.append(_dedent(code))
    return blocks


def _dedent(code: str) -> str:
    indents = [len(x) - len(x.lstrip()) for x in code.splitlines() if x.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(x[cut:] for x in code.splitlines())


def is_python(block: str) -> bool:
    """A block is Python unless its first line is a shell command."""
    first = next(x for x in block.splitlines() if x.strip()).strip()
    return not SHELL.match(first)


def docstrings(path: Path) -> list[tuple[str, str, int]]:
    """(qualified name, docstring, line) of the module, its classes and functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    if (doc := ast.get_docstring(tree)) is not None:
        found.append(("", doc, 1))

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                if (doc := ast.get_docstring(child)) is not None:
                    found.append((name, doc, child.lineno))
                visit(child, name + ".")

    visit(tree, "")
    return found


def docstring_examples() -> list[Example]:
    examples = []
    parser = doctest.DocTestParser()
    for module, path in module_files().items():
        for name, doc, line in docstrings(path):
            tests = parser.get_examples(doc)
            blocks = tuple(b for b in literal_blocks(doc) if is_python(b) and ">>>" not in b)
            if tests or blocks:
                examples.append(Example(f"{module}:{name or '(module)'}", module,
                                        doc if tests else "", blocks, line))
    return examples


FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def readme_examples() -> list[Example]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = []
    for match in FENCE.finditer(text):
        language, body = match.group(1), match.group(2)
        line = text[:match.start()].count("\n") + 1
        where = f"README.md:{line}"
        if ">>>" in body:
            examples.append(Example(where, None, body, (), line))
        elif language == "python":
            examples.append(Example(where, None, "", (body,), line))
    return examples


EXAMPLES = docstring_examples() + readme_examples()


def _param(example: Example) -> pytest.ParameterSet:
    reason = KNOWN_BROKEN.get(example.where)
    marks = ([pytest.mark.xfail(strict=True, reason=reason, raises=(AttributeError, NameError))]
             if reason else [])
    return pytest.param(example, id=example.where, marks=marks)


def test_the_examples_are_found() -> None:
    where = {e.where for e in EXAMPLES}
    assert any(w.startswith("README.md:") for w in where)
    assert any(w.startswith("nbhelpers.display.") for w in where)
    assert set(KNOWN_BROKEN) <= where, set(KNOWN_BROKEN) - where   # no stale entry


def test_shell_blocks_are_told_from_python() -> None:
    assert not is_python("python tools/bench_grading.py [NOTEBOOK] --jobs 2")
    assert not is_python(".venv/bin/python -m pytest tests/browser -q")
    assert not is_python("make test PYTHON=python3.12")
    assert is_python("p = nb.lecture_network()\nstepper = BackpropStepper(p.Theta, p.X, p.Y)")
    assert literal_blocks("Example::\n\n    x = 1\n    y = x\n\nText.") == ["x = 1\ny = x"]


@pytest.mark.parametrize("example", [_param(e) for e in EXAMPLES])
def test_example_runs(example: Example) -> None:
    import matplotlib.pyplot as plt

    namespace: dict[str, object] = {}
    if example.module is not None:
        namespace.update(vars(importlib.import_module(example.module)))
    namespace.setdefault("nb", nbhelpers)
    namespace.setdefault("np", np)
    try:
        if example.doctest:
            test = doctest.DocTestParser().get_doctest(example.doctest, namespace, example.where,
                                                       example.where, example.line)
            runner = doctest.DocTestRunner(optionflags=FLAGS)
            runner.run(test, out=_collect(report := []))
            assert runner.failures == 0, "\n".join(report)
        for block in example.blocks:
            exec(compile(block, example.where, "exec"), namespace)
    finally:
        plt.close("all")


def _collect(into: list[str]):
    return into.append
