"""The environment check of notebook 00: is everything the course needs installed, as pinned?"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import metadata

from packaging.requirements import Requirement

MIN_PYTHON = (3, 11)


@dataclass(frozen=True)
class Check:
    """One line of the environment report."""

    what: str
    ok: bool
    detail: str

    def __str__(self) -> str:
        return f"{'✔' if self.ok else '✘'} {self.what}: {self.detail}"


def pinned_versions(distribution: str = "nbhelpers") -> dict[str, str]:
    """The exact pins (name → version) that the installed course package requires of this
    Python (a pin can differ between Pythons: its environment marker says for which)."""
    pins = {}
    for text in metadata.requires(distribution) or []:
        req = Requirement(text)
        exact = [spec.version for spec in req.specifier if spec.operator == "=="]
        if exact and (req.marker is None
                      or any(req.marker.evaluate({"extra": extra}) for extra in ("", "lab", "dev"))):
            pins[req.name.lower()] = exact[0]
    return pins


def check_environment(packages: tuple[str, ...] = (
        "numpy", "scipy", "matplotlib", "ipywidgets", "jupyterlab_widgets", "scikit-learn",
        "jupyterlab", "nbval",
)) -> list[Check]:
    """Python 3.11+, each package installed at its pinned version, the digits on disk."""
    checks = [Check("Python", sys.version_info >= MIN_PYTHON,
                    "3.11 or newer " + ("✓" if sys.version_info >= MIN_PYTHON else
                                           f"needed, found {sys.version.split()[0]}"))]
    pins = pinned_versions()
    for name in packages:
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            checks.append(Check(name, False, "not installed: run `make lab` from the repository"))
            continue
        want = pins.get(name.lower())
        ok = want is None or have == want
        checks.append(Check(name, ok, f"{have}" + ("" if ok else f" (the course pins {want})")))
    try:
        from ..examples import load_digits
        n = len(load_digits().labels)
        checks.append(Check("digits data", n == 1797, f"{n} images found in scikit-learn's package"))
    except Exception as exc:  # report, do not crash notebook 00
        checks.append(Check("digits data", False, f"could not be read ({exc})"))
    return checks


def report() -> None:
    """Print the environment check, one line per item, and a verdict."""
    checks = check_environment()
    for check in checks:
        print(check)
    ok = all(c.ok for c in checks)
    print("All set." if ok else "Something is missing: see the ✘ lines above.")


def one_blas_thread() -> None:
    """Let numpy and scipy use one BLAS thread each for the rest of this kernel.

    The course's matrices are small (a few thousand numbers): splitting each product over
    threads costs more than it saves, and numpy's and scipy's separate thread pools then
    compete for the same cores. One thread is faster here, often several times over.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
