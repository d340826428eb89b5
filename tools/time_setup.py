"""Time the two commands' setup as a newcomer meets it: from a fresh clone, with a warm cache.

    python tools/time_setup.py                 # this repository's HEAD
    python tools/time_setup.py --rev 37fffd0   # an older commit, for the "before" figure

Clones the commit into a temporary folder twice and measures, in seconds:

* ``make lab``: from the command to the moment its JupyterLab answers HTTP (setup included);
* ``make setup browser-deps site-deps``: what ``make test`` does before its first test
  (targets the commit does not have are left out).

"Warm cache" means the package caches of pip, uv and npm as this machine has them; run the
tool twice and report the second figures. Prints one line per measurement.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAB_URL = re.compile(r"(http://(?:127\.0\.0\.1|localhost):\d+/lab\S*)")


def clone(rev: str, where: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(where)], check=True)
    subprocess.run(["git", "-C", str(where), "checkout", "--quiet", rev], check=True)
    return where


def targets(repo: Path) -> list[str]:
    makefile = (repo / "Makefile").read_text()
    return [t for t in ("setup", "browser-deps", "site-deps") if re.search(rf"^{t}:", makefile, re.M)]


def time_test_setup(repo: Path, python: str) -> float:
    start = time.perf_counter()
    subprocess.run(["make", "-s", *targets(repo), f"PYTHON={python}"], cwd=repo, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def time_lab(repo: Path, python: str, limit: float = 600) -> float:
    """Seconds from `make lab` to its server answering; the server is stopped afterwards."""
    log = repo / "lab.log"
    env = dict(os.environ, BROWSER="true")   # no browser window is opened
    start = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(["make", "lab", f"PYTHON={python}"], cwd=repo, stdout=out,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        while time.perf_counter() - start < limit:
            if proc.poll() is not None:
                raise RuntimeError(f"make lab stopped:\n{log.read_text()[-2000:]}")
            m = LAB_URL.search(log.read_text())
            if m:
                try:
                    with urllib.request.urlopen(m.group(1), timeout=5) as response:
                        if response.status == 200:
                            return time.perf_counter() - start
                except OSError:
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"no JupyterLab after {limit} s")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="HEAD")
    parser.add_argument("--python", default="python3")
    args = parser.parse_args(argv)
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.rev], check=True,
                         capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        lab = time_lab(clone(rev, Path(tmp) / "a"), args.python)
        print(f"{rev}: make lab, fresh clone to JupyterLab serving: {lab:.1f} s")
        repo = clone(rev, Path(tmp) / "b")
        test = time_test_setup(repo, args.python)
        print(f"{rev}: make test's setup ({' '.join(targets(repo))}), fresh clone: {test:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
