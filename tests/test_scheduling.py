"""What each test starts and where it runs (the top-level conftest.py): the markers come from
where a test lives and the fixtures it uses, and under ``-n 2 --dist loadgroup`` a test file
runs on one worker, in its order, with its group in its node id."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Prints each collected test's node id and marker of what it starts, after the collection.
KINDS_PLUGIN = '''
import pytest

KINDS = ("unit", "kernel", "notebook", "browser")

@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    for item in items:
        kinds = [m.name for m in item.iter_markers() if m.name in KINDS]
        groups = [m.args[0] for m in item.iter_markers("xdist_group")]
        print("KIND", item.nodeid, ",".join(kinds), ",".join(groups))
'''


def _pytest(*args: str, plugin_dir: Path | None = None) -> str:
    env = dict(os.environ, CI="")
    if plugin_dir is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(plugin_dir), env.get("PYTHONPATH", "")])
    out = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                         cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return out.stdout


def test_each_test_gets_one_marker_of_what_it_starts(tmp_path: Path) -> None:
    (tmp_path / "print_kinds.py").write_text(KINDS_PLUGIN)
    out = _pytest("--co", "-q", "-p", "print_kinds", "tests/test_grading.py",
                  "tests/test_student_copies.py", "tests/browser/test_lab.py",
                  "tests/browser/test_contrast.py", "tests/test_cost.py", plugin_dir=tmp_path)
    kinds = {}
    for line in out.splitlines():
        if line.startswith("KIND "):
            nodeid, kind, group = line.removeprefix("KIND ").rsplit(" ", 2)
            kinds[nodeid] = (kind, group)
    assert kinds, out[-2000:]
    assert all("," not in kind for kind, _ in kinds.values()), "one kind per test"
    # a fixture that starts kernels (`graded` asks for `course`, which asks for `kernels`)
    assert kinds["tests/test_grading.py::test_a_right_submission_passes"] == (
        "kernel", "test_grading")
    # the same file's test that starts nothing stays a unit test
    assert kinds["tests/test_grading.py::test_the_real_package_is_never_the_one_graded_against"][0] == "unit"
    student = [k for n, (k, _) in kinds.items() if n.startswith("tests/test_student_copies.py::")]
    assert student.count("kernel") == sum(
        "test_student_copy_runs_and_every_check_says_not_implemented[" in n for n in kinds)
    assert student.count("unit") > 30
    # tests/browser/: a browser test with JupyterLab, and a test there that needs no browser
    assert kinds["tests/browser/test_lab.py::test_server_uses_isolated_directories_and_finds_the_"
                 "widget_extension"] == ("browser", "browser")
    assert {k for n, (k, _) in kinds.items() if "test_contrast.py" in n} == {"unit"}
    assert {g for n, (_, g) in kinds.items() if "test_cost.py" in n} == {"test_cost"}


def test_under_loadgroup_each_file_runs_on_one_worker_in_order() -> None:
    """The grouping pytest-xdist does from the marks (see pyproject.toml's pytest pin): with
    it gone, the node ids lose their "@group" and the files are spread over both workers."""
    files = ["tests/test_cost.py", "tests/test_network.py", "tests/test_forward.py"]
    out = _pytest("-n", "2", "--dist", "loadgroup", "--no-loadscope-reorder", "-p", "no:nbval",
                  "-v", *files)
    ran = re.findall(r"^\[(gw\d+)\] \[ *\d+%\] PASSED (\S+)", out, re.M)
    assert len(ran) > 20, out[-2000:]
    workers, order = defaultdict(set), defaultdict(list)
    for worker, nodeid in ran:
        test, _, group = nodeid.partition("@")
        path = test.split("::", 1)[0]
        assert group == Path(path).stem, nodeid
        workers[path].add(worker)
        order[path].append(test)
    assert set(workers) == set(files)
    assert all(len(w) == 1 for w in workers.values()), dict(workers)
    collected = _pytest("--co", "-q", "-p", "no:nbval", *files)
    for path, tests in order.items():
        assert tests == [line for line in collected.splitlines() if line.startswith(path + "::")]
