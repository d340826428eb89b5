"""Finding the browser: where it is looked up, and skip versus fail when it is missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from availability import missing_browser
from labdriver import find_chromium


def test_chromium_variable_names_the_browser(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "my-chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("CHROMIUM", str(fake))
    assert find_chromium() == str(fake)
    fake.chmod(0o644)  # not executable: not a browser
    assert find_chromium() is None


def test_without_variable_chromium_is_looked_up_on_path(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_chromium() is None
    browser = tmp_path / "chromium-browser"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    assert find_chromium() == os.fspath(browser)


@pytest.mark.parametrize("ci", ["", "false", "1"])
def test_missing_browser_skips_outside_ci(ci: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="no browser here"):
        missing_browser("no browser here")


@pytest.mark.parametrize("ci", ["true", "TRUE", " true "])
def test_missing_browser_fails_under_ci(ci: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match=r"no browser here.*CI=true"):
        missing_browser("no browser here")
