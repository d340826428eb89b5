"""The sections of docs/benchmarks.md, in the order they are measured, by the names that
``--only`` takes.

A section is a function with the signature of :class:`Section`::

    def measure(report: Report, s: Settings, data: dict[str, Any]) -> None: ...

It measures, then writes its part of the page with ``report.add("N. Title", paragraph, …,
table)`` and each of its targets with ``report.target(what, measured, met, bound)``; ``s``
holds the repeats and time budgets (smaller under ``--quick``), and ``data`` carries what the
figure needs from sections 1 and 2. The page orders sections by their number, so a new
section takes the next one.

Adding a section: a module of this package with its ``measure`` function, one line in
:data:`SECTIONS` below, and its name is an ``--only`` choice (``site.py``, the website's
click → picture from ``tools/bench_site.py``, joined this way).
"""

from __future__ import annotations

from typing import Any, Protocol

from . import gradient, memory, notebooks, scaling, site, stepper, training, waiting
from .common import Report, Settings


class Section(Protocol):
    """What every section's ``measure`` is (see the module's docstring)."""

    def __call__(self, report: Report, s: Settings, data: dict[str, Any]) -> None: ...


SECTIONS: dict[str, Section] = {
    "gradient": gradient.measure,      # 1. one full gradient at m = 5000
    "scaling": scaling.measure,        # 2. scaling with the number of examples m
    "training": training.measure,      # 3. training on the digits to 95 %
    "stepper": stepper.measure,        # 5. the stepper
    "memory": memory.measure,          # 6. peak memory of the training run
    "notebooks": notebooks.measure,    # 4. each notebook in a fresh kernel
    "waiting": waiting.measure,        # 7. where people wait (issue17.toml)
    "site": site.measure,              # 8. the website's stepper, click → picture
}
