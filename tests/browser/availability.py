"""What the browser tests do when a part they need (Chromium, Playwright, MathJax, Notebook 7)
is missing: skip on a developer's machine, fail under CI."""

from __future__ import annotations

import os

import pytest


def missing_browser(reason: str) -> None:
    """Skip on a developer's machine; fail under CI=true, where the browser must be there."""
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)
