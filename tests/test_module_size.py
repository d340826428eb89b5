"""No module of the package or of tools/ is over 600 lines: a module longer than that holds
more than one idea, and is split by idea."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 600

KNOWN_LONG: dict[str, str] = {}
"""Modules over the limit today, each with why (an entry whose module got short must go)."""

MODULES = sorted(p.relative_to(ROOT).as_posix()
                 for folder in ("nbhelpers", "tools") for p in (ROOT / folder).rglob("*.py"))


def lines(module: str) -> int:
    return len((ROOT / module).read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("module", [m for m in MODULES if m not in KNOWN_LONG])
def test_a_module_is_at_most_600_lines(module: str) -> None:
    assert lines(module) <= LIMIT, f"{module} has {lines(module)} lines: split it by idea"


def test_the_known_long_modules_are_still_long() -> None:
    assert {m for m in KNOWN_LONG if (ROOT / m).exists() and lines(m) > LIMIT} == set(KNOWN_LONG)
