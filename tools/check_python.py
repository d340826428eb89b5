"""Stop early, in plain words, when the Python that would build .venv is not one the course supports.

The course supports Python 3.11 to 3.15 (pyproject.toml's requires-python, ">=3.11,<3.16"):
each pinned package has a wheel for each of them (tools/check_wheels.py checks it).
This file runs under any Python 3.6 or newer (f-strings), so it uses nothing newer.
"""

import sys

OLDEST = (3, 11)
NEWEST = (3, 15)


def problem(version):
    """The message for a Python version outside OLDEST…NEWEST, or None when it is supported."""
    found = ".".join(map(str, version[:3]))
    supported = f"{OLDEST[0]}.{OLDEST[1]} to {NEWEST[0]}.{NEWEST[1]}"
    if tuple(version[:2]) < OLDEST:
        return (f"This course needs Python {supported}; `{sys.executable}` is {found}, too old. "
                f"Run `make PYTHON=python3.13 lab` (or any of {supported}) instead.")
    if tuple(version[:2]) > NEWEST:
        return (f"This course supports Python {supported}; `{sys.executable}` is {found}, newer than "
                f"its pinned packages have wheels for. Run `make PYTHON=python3.14 lab` (or any of "
                f"{supported}) instead.")
    return None


if __name__ == "__main__":
    message = problem(sys.version_info)
    if message:
        sys.exit(message)
