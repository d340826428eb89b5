"""What each test starts, and how ``pytest -n`` shares the tests out.

This file sits at the top of the repository, so pytest loads it for any path it is given
(``tests``, ``notebooks`` or one file); the fixtures of the tests are in tests/conftest.py.

What a test starts
------------------
The collection hook below gives every test one of five markers, from where it lives or a
fixture it uses, never by hand:

``notebook``
    a cell of a notebook run under nbval (collected from ``*.ipynb`` with ``--nbval``);
``browser``
    Chromium, and for most of them a JupyterLab server: the tests that use the fixture
    ``chromium_path`` (every browser fixture of tests/browser/conftest.py asks for it);
``kernel``
    a Jupyter kernel of its own (nbclient, the grader, nbgrader): the tests that use the
    fixture ``kernels`` of tests/conftest.py, directly or through another fixture;
``site``
    a build of the website with Sphinx and MyST-NB (the fixtures ``students`` and
    ``instructors`` of tests/test_build_site.py): no kernel, but a minute of CPU;
``unit``
    none of these: what ``make check`` runs (``-m unit``).

A guard holds the markers to the truth: a test not marked ``kernel`` or ``notebook`` that
starts a Jupyter kernel in this process (or in a process forked from it) fails, saying to
ask for the ``kernels`` fixture.

Who runs what (``-n 2 --dist loadgroup``)
-----------------------------------------
pytest-xdist's ``loadgroup`` sends all tests of one ``xdist_group`` to the same worker, in
their order. The groups set here are: each notebook (its cells run in order in one kernel),
all browser tests together (one JupyterLab, one Chromium), and each other test file (its
module fixtures are built once). The hook marks the tests before xdist's own
``pytest_collection_modifyitems``, which reads the groups into the node ids ("…@group"):
marked any later, a group is ignored and every test runs wherever it falls. (pytest 9.2 reads
node ids in a form xdist 3.8 does not write, so it groups nothing there: see pyproject.toml's
pytest pin.)

The groups are then listed longest first, a group's seconds being the sum of its tests'
seconds in the last runs (kept in pytest's cache, .pytest_cache/; a test no run has timed is
guessed by its kind), and ``--no-loadscope-reorder`` keeps that order instead of xdist's
default (the group of most tests first): the long groups start at once and the short ones
fill the end, on both workers.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import pytest

KINDS = {
    "notebook": "a notebook's cell under nbval (its kernel is started once per notebook)",
    "browser": "starts Chromium, most also a JupyterLab server (uses the chromium_path fixture)",
    "kernel": "starts a Jupyter kernel of its own: nbclient, the grader, nbgrader (uses the "
              "kernels fixture)",
    "site": "builds the website with Sphinx (uses the students or instructors fixture)",
    "unit": "starts no kernel, notebook, JupyterLab, browser or website build (`make check` "
            "runs these)",
}
KERNEL_FIXTURE = "kernels"
BROWSER_FIXTURE = "chromium_path"
SITE_FIXTURES = ("students", "instructors")


def pytest_configure(config: pytest.Config) -> None:
    for kind, meaning in KINDS.items():
        config.addinivalue_line("markers", f"{kind}: {meaning}")
    _guard_kernels()


def kind_of(item: pytest.Item) -> str:
    """What the test starts (one of KINDS), from where it lives and the fixtures it uses."""
    if item.path.suffix == ".ipynb":
        return "notebook"
    fixtures = getattr(item, "fixturenames", ())
    if BROWSER_FIXTURE in fixtures:
        return "browser"
    if KERNEL_FIXTURE in fixtures:
        return "kernel"
    if any(name in fixtures for name in SITE_FIXTURES):
        return "site"
    return "unit"


def group_of(item: pytest.Item, kind: str) -> str:
    """The xdist group: the browser tests as one, every other file (or notebook) its own,
    named after the file (``test_cost``, ``03-delta-terms``)."""
    if kind == "browser":
        return "browser"
    return item.path.stem


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]
                                  ) -> Iterator[None]:
    """Before every other plugin (xdist reads the groups into the node ids): mark each test
    with what it starts and its xdist group. After them all (``-m`` has deselected what it
    deselects): the longest groups first."""
    for item in items:
        kind = kind_of(item)
        group = group_of(item, kind)
        item.add_marker(getattr(pytest.mark, kind))
        item.add_marker(pytest.mark.xdist_group(group))
        item.user_properties += [("starts", kind), ("group", group)]   # for reports (make bench)
    result = yield
    order_longest_first(config, items)
    return result


# --------------------------------------------------------------------------- longest first

# Seconds a test of each kind takes, guessed for a test no run has measured yet.
GUESS = {"browser": 4.0, "kernel": 3.0, "site": 5.0, "notebook": 0.4, "unit": 0.05}
SECONDS_KEY = "course/test-seconds"
_measured: dict[str, float] = {}


def _properties(item: pytest.Item) -> dict[str, str]:
    return {name: str(value) for name, value in item.user_properties}


def order_longest_first(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Sort the tests to be run group by group, the longest group first (each test's seconds
    from the last runs, pytest's cache in .pytest_cache/, else a guess by kind); within a
    group the order of collection, which nbval's cells need."""
    known = last_seconds(config)
    seconds: dict[str, float] = {}
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        props = _properties(item)
        group = props.get("group", item.nodeid)
        seconds[group] = seconds.get(group, 0.0) + known.get(
            _plain(item.nodeid), GUESS.get(props.get("starts", "unit"), 0.05))
        first.setdefault(group, index)

    def key(item: pytest.Item) -> tuple[float, int]:
        group = _properties(item).get("group", item.nodeid)
        return -seconds[group], first[group]

    items.sort(key=key)


def _plain(nodeid: str) -> str:
    """The node id without the "@group" xdist's loadgroup appends in its workers (an "@"
    after the last "]", as xdist reads it: a parameter may hold an "@" of its own)."""
    return nodeid.rpartition("@")[0] if nodeid.rfind("@") > nodeid.rfind("]") else nodeid


def last_seconds(config: pytest.Config) -> dict[str, float]:
    """Each test's seconds in the runs before (pytest's cache), or nothing."""
    cache = getattr(config, "cache", None)
    found = cache.get(SECONDS_KEY, {}) if cache is not None else {}
    return {n: float(t) for n, t in found.items() if isinstance(t, int | float)}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add up each test's seconds (setup, call, teardown) where the reports arrive: in the one
    process, or under xdist in the controller."""
    nodeid = _plain(report.nodeid)
    _measured[nodeid] = _measured.get(nodeid, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Keep the seconds of the tests that ran, for the next run's order."""
    config = session.config
    if hasattr(config, "workerinput") or not _measured or getattr(config, "cache", None) is None:
        return
    known = last_seconds(config)
    known.update({n: round(t, 3) for n, t in _measured.items()})
    config.cache.set(SECONDS_KEY, known)


# --------------------------------------------------------------------------- the guard

_running: list[pytest.Item] = []


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Remember the test being run (its setup, call and teardown), for the guard."""
    _running[:] = [item]
    try:
        return (yield)
    finally:
        _running.clear()


def _guard_kernels() -> None:
    """Make a kernel start outside a ``kernel`` or ``notebook`` test fail, naming the test."""
    try:
        from jupyter_client.provisioning.local_provisioner import LocalProvisioner
    except ImportError:          # no Jupyter here: nothing can start a kernel either
        return
    launch = LocalProvisioner.launch_kernel
    if getattr(launch, "guarded", False):
        return

    @functools.wraps(launch)
    async def guarded(self: LocalProvisioner, cmd: list[str], **kwargs: object) -> object:
        test = _running[0] if _running else None
        if test is not None and not ({"kernel", "notebook"} & {m.name for m in test.iter_markers()}):
            raise RuntimeError(
                f"{test.nodeid} starts a Jupyter kernel but is not marked as doing so: ask for "
                f"the `{KERNEL_FIXTURE}` fixture (tests/conftest.py), so that `make check` "
                "leaves the test out")
        return await launch(self, cmd, **kwargs)

    guarded.guarded = True  # type: ignore[attr-defined]
    LocalProvisioner.launch_kernel = guarded  # type: ignore[method-assign]
