"""What each test starts, and how ``pytest -n`` shares the tests out.

This file sits at the top of the repository, so pytest loads it for any path it is given
(``tests``, ``notebooks`` or one file); the fixtures of the tests are in tests/conftest.py.

What a test starts
------------------
The collection hook below gives every test one of four markers, from where it lives or a
fixture it uses, never by hand:

``notebook``
    a cell of a notebook run under nbval (collected from ``*.ipynb`` with ``--nbval``);
``browser``
    Chromium, and for most of them a JupyterLab server: the tests that use the fixture
    ``chromium_path`` (every browser fixture of tests/browser/conftest.py asks for it);
``kernel``
    a Jupyter kernel of its own (nbclient, the grader, nbgrader): the tests that use the
    fixture ``kernels`` of tests/conftest.py, directly or through another fixture;
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
module fixtures are built once). The hook runs before xdist's own
``pytest_collection_modifyitems`` (``tryfirst``), which reads the groups into the node ids:
set any later, a mark is ignored and every test becomes a group of its own. The groups are
listed longest first (the browser tests, the kernel-starting files, the notebooks, then the
unit files), and ``--no-loadscope-reorder`` keeps that order instead of xdist's default
(most tests first), so that the long groups start at once and the short ones fill the end.
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
    "unit": "starts no kernel, notebook, JupyterLab or browser (`make check` runs these)",
}
KERNEL_FIXTURE = "kernels"
BROWSER_FIXTURE = "chromium_path"
# Groups of each kind start in this order: the longest first.
ORDER = ("browser", "kernel", "notebook", "unit")


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
    return "unit"


def group_of(item: pytest.Item, kind: str) -> str:
    """The xdist group: the browser tests as one, every other file (or notebook) its own,
    named after the file (``test_cost``, ``03-delta-terms``)."""
    if kind == "browser":
        return "browser"
    return item.path.stem


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    first: dict[str, int] = {}
    rank: dict[str, int] = {}
    for index, item in enumerate(items):
        kind = kind_of(item)
        group = group_of(item, kind)
        item.add_marker(getattr(pytest.mark, kind))
        item.add_marker(pytest.mark.xdist_group(group))
        item.user_properties.append(("starts", kind))       # in a JUnit report (make bench)
        first.setdefault(group, index)
        rank[group] = min(rank.get(group, len(ORDER)), ORDER.index(kind))
    # Longest kinds first; within a kind, and within a group, the order of collection.
    items.sort(key=lambda item: (rank[_group(item)], first[_group(item)]))


def _group(item: pytest.Item) -> str:
    return next(mark.args[0] for mark in item.iter_markers("xdist_group"))


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
