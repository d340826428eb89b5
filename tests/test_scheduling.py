"""What each test starts and where it runs (the top-level conftest.py), on a small suite of
its own in a temporary folder with the same conftest.py: the markers follow the fixtures, the
guard stops an unmarked kernel, and under ``-n 2 --dist loadgroup`` each group runs on one
worker, in order, the longest groups first (as the last run measured them)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FIXTURES = '''
import pytest

@pytest.fixture(scope="session")
def kernels():
    pass

@pytest.fixture(scope="session")
def chromium_path():
    return "/nowhere/chromium"

@pytest.fixture(scope="module")
def course(kernels):
    return "a course whose grading starts kernels"
'''
SUITE = {
    "tests/browser/test_page.py": "def test_opens(chromium_path):\n    pass\n\n"
                                  "def test_clicks(chromium_path):\n    pass\n",
    "tests/browser/test_no_browser.py": "def test_contrast():\n    pass\n",
    "tests/test_grader.py": '''
import asyncio

import pytest
from jupyter_client.provisioning.local_provisioner import LocalProvisioner


def test_grades(course):
    pass


def test_runs_a_notebook(kernels):
    """Past the guard: the launch itself is reached (and fails here, with no provisioner)."""
    with pytest.raises(Exception) as error:
        asyncio.run(LocalProvisioner.launch_kernel(None, ["python", "-c", "pass"]))
    assert "not marked" not in str(error.value)


def test_reads_a_file():
    pass
''',
    "tests/test_guard.py": '''
import asyncio

import pytest
from jupyter_client.provisioning.local_provisioner import LocalProvisioner


def test_an_unmarked_kernel_start_fails_naming_the_fixture():
    with pytest.raises(RuntimeError, match="starts a Jupyter kernel but is not marked") as error:
        asyncio.run(LocalProvisioner.launch_kernel(None, ["python", "-c", "pass"]))
    assert "test_an_unmarked_kernel_start_fails_naming_the_fixture" in str(error.value)
    assert "`kernels` fixture" in str(error.value)
''',
    "tests/test_site.py": "import pytest\n\n\n@pytest.fixture(scope='module')\n"
                          "def students():\n    return 'a built site'\n\n\n"
                          "def test_pages(students):\n    pass\n\n\n"
                          "def test_nothing_built():\n    pass\n",
    "tests/test_unit_a.py": "".join(f"def test_{i}():\n    pass\n\n" for i in range(6)),
    "tests/test_unit_b.py": "import time\n\n\ndef test_slow():\n    time.sleep(0.5)\n\n\n"
                            "def test_quick():\n    pass\n",
}
EXPECTED = {    # node id → (what it starts, its group)
    "tests/browser/test_page.py::test_opens": ("browser", "browser"),
    "tests/browser/test_page.py::test_clicks": ("browser", "browser"),
    "tests/browser/test_no_browser.py::test_contrast": ("unit", "test_no_browser"),
    "tests/test_grader.py::test_grades": ("kernel", "test_grader"),
    "tests/test_grader.py::test_runs_a_notebook": ("kernel", "test_grader"),
    "tests/test_grader.py::test_reads_a_file": ("unit", "test_grader"),
    "tests/test_site.py::test_pages": ("site", "test_site"),
    "tests/test_site.py::test_nothing_built": ("unit", "test_site"),
}


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("suite")
    (root / "pytest.ini").write_text("[pytest]\n")
    shutil.copy(ROOT / "conftest.py", root / "conftest.py")
    (root / "tests" / "browser").mkdir(parents=True)
    (root / "tests" / "conftest.py").write_text(FIXTURES)
    for name, text in SUITE.items():
        (root / name).write_text(text)
    return root


def _pytest(root: Path, *args: str, cache: bool = False) -> str:
    """pytest on the suite, with only pytest-xdist among the installed plugins (quick)."""
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", CI="")
    plugins = ["-p", "xdist.plugin"] + ([] if cache else ["-p", "no:cacheprovider"])
    out = subprocess.run([sys.executable, "-m", "pytest", *plugins, *args], cwd=root,
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return out.stdout


def test_markers_groups_and_workers(suite: Path) -> None:
    out = _pytest(suite, "-n", "2", "--dist", "loadgroup", "--no-loadscope-reorder", "-v",
                  "--junitxml=report.xml", "-o", "junit_family=xunit1", "tests")
    # what each test starts, as the JUnit report gives it to `make bench`
    starts = {}
    for case in ET.parse(suite / "report.xml").iter("testcase"):
        name = case.get("name", "").partition("@")[0]
        props = {p.get("name"): p.get("value") for p in case.iter("property")}
        starts[f"{case.get('file')}::{name}"] = props.get("starts")
    assert len(starts) == sum(text.count("def test_") for text in SUITE.values())
    for nodeid, (kind, _) in EXPECTED.items():
        assert starts[nodeid] == kind, nodeid
    assert starts["tests/test_guard.py::test_an_unmarked_kernel_start_fails_naming_the_fixture"] == "unit"
    # each group on one worker, the group in the node id (pytest-xdist's loadgroup)
    workers = defaultdict(set)
    ran = re.findall(r"^\[(gw\d+)\] \[ *\d+%\] PASSED (\S+)", out, re.M)
    assert len(ran) == len(starts), out[-2000:]
    for worker, nodeid in ran:
        test, _, group = nodeid.partition("@")
        assert group, f"{nodeid}: no xdist group in the node id: loadgroup grouped nothing"
        if test in EXPECTED:
            assert group == EXPECTED[test][1], nodeid
        workers[group].add(worker)
    assert all(len(w) == 1 for w in workers.values()), dict(workers)


def _order(suite: Path, cache: bool = False) -> list[str]:
    out = _pytest(suite, "--co", "-q", "tests", cache=cache)
    return [line for line in out.splitlines() if "::" in line]


def test_the_longest_groups_come_first_and_a_file_keeps_its_order(suite: Path) -> None:
    """With no run before, a group's seconds are guessed from its tests' kinds (a browser
    test 4 s, one that starts a kernel 3 s, a site build 5 s, a unit test 0.05 s)."""
    order = _order(suite)
    assert order[:2] == ["tests/browser/test_page.py::test_opens",
                         "tests/browser/test_page.py::test_clicks"]        # the browser group
    assert order[2:5] == [f"tests/test_grader.py::{t}" for t in            # a kernel group,
                          ("test_grades", "test_runs_a_notebook", "test_reads_a_file")]  # whole
    assert order[5:7] == ["tests/test_site.py::test_pages",                # a site build 5 s,
                          "tests/test_site.py::test_nothing_built"]        # its file whole
    files = list(dict.fromkeys(n.split("::")[0] for n in order[7:]))
    assert files == ["tests/test_unit_a.py", "tests/test_unit_b.py",       # 6 tests, then 2,
                     "tests/browser/test_no_browser.py", "tests/test_guard.py"]  # then 1 each


def test_after_a_run_the_measured_seconds_decide(suite: Path) -> None:
    _pytest(suite, "tests/test_unit_a.py", "tests/test_unit_b.py", cache=True)
    files = list(dict.fromkeys(n.split("::")[0] for n in _order(suite, cache=True)))
    assert files.index("tests/test_unit_b.py") < files.index("tests/test_unit_a.py")
    assert _order(suite)[7].startswith("tests/test_unit_a.py::")     # without the cache: guessed
