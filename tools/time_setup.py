"""Time the two commands' setup as a newcomer meets it: from a fresh clone, with a warm cache.

    python tools/time_setup.py                 # this repository's HEAD
    python tools/time_setup.py --rev 37fffd0   # an older commit, for the "before" figure

Clones the commit into a temporary folder twice and measures, in seconds:

* ``make lab``: from the command to the moment its JupyterLab answers HTTP (setup included);
* ``make setup grading-deps browser-deps site-deps``: what ``make test`` does before its
  first test (targets the commit does not have are left out).

"Warm cache" means the package caches of pip, uv and npm as this machine has them; run the
tool twice and report the second figures. Prints one line per measurement;
:func:`time_setup` returns them (``make bench`` calls it once).
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LAB_URL = re.compile(r"(http://(?:127\.0\.0\.1|localhost):\d+/lab\S*)")


def clone(rev: str, where: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(where)], check=True)
    subprocess.run(["git", "-C", str(where), "checkout", "--quiet", rev], check=True)
    return where


def targets(repo: Path) -> list[str]:
    makefile = (repo / "Makefile").read_text()
    return [t for t in ("setup", "grading-deps", "browser-deps", "site-deps")
            if re.search(rf"^{t}:", makefile, re.M)]


def time_test_setup(repo: Path, python: str) -> dict[str, float]:
    """Seconds of each of `make test`'s setup targets, run one after the other as make would."""
    seconds = {}
    for target in targets(repo):
        start = time.perf_counter()
        subprocess.run(["make", "-s", target, f"PYTHON={python}"], cwd=repo, check=True,
                       stdout=subprocess.DEVNULL)
        seconds[target] = time.perf_counter() - start
    return seconds


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


def time_setup(rev: str = "HEAD", python: str = "python3") -> dict[str, Any]:
    """Both measurements on fresh clones of ``rev``: {"rev", "lab", "test", "test_targets"
    (seconds per target), "uv" (whether the installer was uv, or pip as the fallback)}."""
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", rev], check=True,
                         capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="time-setup-") as tmp:
        lab = time_lab(clone(rev, Path(tmp) / "a"), python)
        repo = clone(rev, Path(tmp) / "b")
        per_target = time_test_setup(repo, python)
        return {"rev": rev, "lab": lab, "test": sum(per_target.values()),
                "test_targets": per_target, "uv": (repo / ".venv" / "bin" / "uv").exists()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="HEAD")
    parser.add_argument("--python", default="python3")
    args = parser.parse_args(argv)
    r = time_setup(args.rev, args.python)
    print(f"{r['rev']}: make lab, fresh clone to JupyterLab serving: {r['lab']:.1f} s")
    parts = ", ".join(f"{k} {v:.1f} s" for k, v in r["test_targets"].items())
    print(f"{r['rev']}: make test's setup, fresh clone: {r['test']:.1f} s ({parts}); "
          f"installer: {'uv' if r['uv'] else 'pip (no uv here)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
