"""The benchmark's own logic (tools/bench/), without measuring anything: the sections and their
names, issue 17's goals read from their data file, the page merged by ``--only``, the test
command read from the Makefile and the test time summed by kind of test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bench import common, main, sections, waiting
from bench.page import merge_page
from bench.testruns import KINDS_OF_TESTS, PytestRun, make_test_command, time_by_kind

ROOT = Path(__file__).resolve().parents[1]


def test_every_section_is_a_module_with_a_measure_function_and_an_only_choice() -> None:
    assert list(sections.SECTIONS) == ["gradient", "scaling", "training", "stepper", "memory",
                                       "notebooks", "waiting", "site"]
    for name, measure in sections.SECTIONS.items():
        assert measure.__name__ == "measure" and measure.__module__ == f"bench.{name}"
    with pytest.raises(SystemExit):
        main.main(["--only", "nothing-like-this"])


def test_only_needs_an_existing_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as error:
        main.main(["--only", "stepper", "--out", str(tmp_path)])
    assert error.value.code == 2
    assert "does not exist yet" in capsys.readouterr().err


def test_issue_17s_goals_are_data_with_their_limits_in_their_titles() -> None:
    rev, goals = waiting.load_goals()
    assert re.fullmatch(r"[0-9a-f]{7,40}", rev)
    assert waiting.WAITING_GOALS == ("tests", "nbval", "browser", "grading", "setup")
    for number, (name, goal) in enumerate(goals.items(), start=1):
        assert goal["title"].startswith(f"{number}. ") and goal["before"], name
        for key, value in goal.items():
            if key.endswith("_s") or key.endswith("_ms"):
                unit = "ms" if key.endswith("_ms") else "s"
                shown = (f"{value / 60:g} min" if unit == "s" and value >= 120
                         else f"{value:g} {unit}")
                assert f"≤ {shown}" in goal["title"], (name, key, goal["title"])
    assert goals["tests"]["before"].startswith("818 tests in 346 s")


def _report(*sections: tuple[str, str]) -> common.Report:
    report = common.Report()
    for title, body in sections:
        report.add(title, body)
    return report


PAGE = """# Benchmarks

Intro.

## Targets

| target | measured | verdict | what bounds it |
|:---|:---|:---|:---|
| stepper < 50 ms per step | 41 µs | **met** |  |
| the series < 60 s | 53 s | **met** |  |

## 1. One

old one

## 5. The stepper

old stepper

## Machine and versions

machine
"""


def test_merge_page_replaces_a_section_and_its_targets_and_keeps_the_rest() -> None:
    report = _report(("5. The stepper", "new stepper"), ("7. Where people wait", "waiting"))
    report.target("stepper < 50 ms per step", "60 ms", False, "the kernel")
    page = merge_page(PAGE, report, "*measured alone*")
    assert "old stepper" not in page and "new stepper\n\n*measured alone*" in page
    assert "old one" in page and "| the series < 60 s | 53 s | **met** |  |" in page
    assert "| stepper < 50 ms per step | 60 ms | **missed** | the kernel |" in page
    # a section the page did not have goes before the machine section
    assert page.index("## 7. Where people wait") < page.index("## Machine and versions")
    assert page.index("## 5. The stepper") < page.index("## 7. Where people wait")


def test_the_test_command_is_the_makefiles() -> None:
    args = make_test_command()
    recipe = (ROOT / "Makefile").read_text().split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert args[:2] == ["-m", "pytest"] and "$(" not in " ".join(args)
    assert "--dist" in args and args[args.index("--dist") + 1] == "loadgroup"
    assert "tests" in args and "notebooks" in args and "--nbval" in args
    assert "$(GROUPS)" in recipe and "$(WORKERS)" in recipe   # from the Makefile's variables


def test_test_time_is_summed_by_kind_with_the_longest_group() -> None:
    run = PytestRun(wall=10, cpu=15, outcomes={"passed": 5}, returncode=0, top=[],
                  durations={"tests/test_a.py::x": 1.0, "tests/test_a.py::y": 2.0,
                             "tests/test_b.py::z": 4.0, "notebooks/n.ipynb::Cell 0": 3.0,
                             "tests/browser/test_c.py::w": 5.0},
                  starts={"tests/test_a.py::x": "unit", "tests/test_a.py::y": "unit",
                          "tests/test_b.py::z": "kernel", "notebooks/n.ipynb::Cell 0": "notebook",
                          "tests/browser/test_c.py::w": "browser"},
                  groups={"tests/test_a.py::x": "test_a", "tests/test_a.py::y": "test_a",
                          "tests/test_b.py::z": "test_b", "notebooks/n.ipynb::Cell 0": "n",
                          "tests/browser/test_c.py::w": "browser"})
    rows = {kind: row for (_, kind), row in zip(KINDS_OF_TESTS, time_by_kind(run), strict=True)}
    assert rows["unit"][1:] == (2, 3.0, "test_a", 3.0)
    assert rows["kernel"][1:] == (1, 4.0, "test_b", 4.0)
    assert rows["notebook"][1:] == (1, 3.0, "n", 3.0)
    assert rows["browser"][1:] == (1, 5.0, "browser", 5.0)
