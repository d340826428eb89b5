"""Stop early, in plain words, when the Python that would build .venv is too old."""

import sys

if sys.version_info < (3, 10):  # noqa: UP036 (this file runs under any Python)
    found = ".".join(map(str, sys.version_info[:3]))
    sys.exit(f"This course needs Python 3.10 or newer; `{sys.executable}` is {found}. "
             "Run `make PYTHON=python3.11 lab` (or any 3.10+) instead.")
