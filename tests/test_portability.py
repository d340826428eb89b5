"""The portability check (tools/portability.py): what it runs and how it reads the results."""

from __future__ import annotations

import sys
from pathlib import Path

import portability

JUNIT = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
<testcase classname="notebooks.06-gradient-checking.ipynb" name="Cell 5"
          file="notebooks/06-gradient-checking.ipynb"><failure message="differs"/></testcase>
<testcase classname="notebooks.06-gradient-checking.ipynb" name="Cell 6"
          file="notebooks/06-gradient-checking.ipynb"/>
<testcase classname="notebooks.07-learning.ipynb" name="Cell 1" file="notebooks/07-learning.ipynb">
<skipped message="skip"/></testcase>
</testsuite></testsuites>"""


def test_a_failing_cell_is_named_and_skipped_cells_do_not_count(tmp_path):
    path = tmp_path / "run.xml"
    path.write_text(JUNIT)
    outcome = portability.read_junit(path, portability.Outcome("Prescott"))
    assert outcome.failed == ["06-gradient-checking.ipynb::Cell 5"]
    assert outcome.passed == 1
    assert not outcome.green


def test_the_table_has_one_row_per_run():
    rows = portability.table([portability.Outcome("a", passed=178),
                              portability.Outcome("b", passed=176, failed=["x", "y"]),
                              portability.Outcome("c", problem="not on this machine")])
    assert rows.splitlines()[2:] == ["| a | ✔ 178 passed |", "| b | ✘ 2 failed, 176 passed |",
                                     "| c | ✘ not on this machine |"]


def test_every_kernel_family_of_the_issue_is_run():
    assert set(portability.KERNELS) == {"Haswell", "Zen", "SkylakeX", "Sandybridge", "Prescott"}
    assert portability.THREADS == (1, 2)


def test_the_other_kernel_is_not_this_cpus_own(monkeypatch):
    for own, other in [("SkylakeX", "Prescott"), ("Haswell", "Prescott"), ("Zen", "Prescott"),
                       ("Katmai", "Haswell"), ("Prescott", "Haswell")]:
        monkeypatch.setattr(portability, "machine_kernel", lambda own=own: own)
        assert portability.other_kernel() == other


def test_nbval_runs_strictly_on_every_notebook(tmp_path):
    command = portability.nbval_command(Path(sys.executable), tmp_path / "x.xml")
    assert "--nbval" in command and "--nbval-lax" not in command
    assert command[-1] == "notebooks"
    assert "--nbval-sanitize-with" in command
