"""The portability check: do the saved notebooks pass nbval on every machine?

numpy's OpenBLAS picks its compute kernels from the CPU it runs on, and two kernels may sum
in different orders, so the last digits of a result can depend on the machine. The notebooks
are committed with their outputs and nbval compares them strictly, so an output that prints
such digits passes on one CPU and fails on another. This check re-runs every notebook under
nbval with each OpenBLAS kernel family forced (``OPENBLAS_CORETYPE``), with 1 and 2 threads,
under numpy's own code paths for older CPUs (numpy picks AVX-512, AVX2 or plain SSE versions of
its element-wise functions at import; ``NPY_DISABLE_CPU_FEATURES`` turns the newer ones off),
and under every other supported Python found on the machine (each in its own virtual
environment, with its own pinned numpy), and prints a table of the results.

    python tools/portability.py                 # everything (make portability)
    python tools/portability.py --kernels Prescott --threads 1
    python tools/portability.py --other-kernel  # one kernel that is not this CPU's own

Every row must be green. When one is not, the failing cells are listed below the table: print
that number at the precision that carries its meaning (see the README's section for
maintainers), re-execute the notebook (``make execute``) and run the check again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KERNELS = ("Haswell", "Zen", "SkylakeX", "Sandybridge", "Prescott")
"""The OpenBLAS kernel families of x86-64 that a student's or maintainer's machine may use."""
THREADS = (1, 2)
PYTHONS = ("3.12", "3.13")
"""Supported Pythons besides the default that the check looks for (``pythonX.Y`` on PATH)."""
OUT = ROOT / "build" / "portability"
NUMPY_LEVELS = {"AVX2 at most": ("X86_V4", "AVX512_ICL", "AVX512_SPR"),
                "SSE only": ("X86_V3", "X86_V4", "AVX512_ICL", "AVX512_SPR")}
"""numpy's dispatch targets to switch off for each older CPU level (only those this numpy has
and this CPU supports are named, since naming another one is an error)."""


@dataclass
class Outcome:
    """One nbval run of the series: its label, its counts and the cells that failed."""

    label: str
    passed: int = 0
    failed: list[str] = field(default_factory=list)
    problem: str = ""

    @property
    def green(self) -> bool:
        return not self.failed and not self.problem and self.passed > 0


def machine_kernel() -> str:
    """The OpenBLAS kernel numpy chooses on this CPU, as threadpoolctl reports it."""
    import numpy  # noqa: F401  (loads OpenBLAS, so that threadpoolctl sees it)
    from threadpoolctl import threadpool_info

    for info in threadpool_info():
        if info.get("internal_api") == "openblas":
            return str(info.get("architecture") or "unknown")
    return "unknown"


def other_kernel() -> str:
    """A kernel family other than this machine's own: Prescott (the oldest, plain SSE3
    kernel, the most different from today's AVX2 and AVX-512 ones), or Haswell on a machine
    whose own kernel is already that generic one."""
    own = machine_kernel().lower()
    return "Haswell" if own in ("prescott", "katmai", "core2", "nehalem") else "Prescott"


def numpy_runs() -> list[tuple[str, dict[str, str]]]:
    """(label, environment) for each older level of numpy's own code that differs here."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    runs = []
    for label, targets in NUMPY_LEVELS.items():
        off = [t for t in targets if t in __cpu_dispatch__ and __cpu_features__.get(t)]
        if off:
            runs.append((f"numpy's code for {label}, the CPU's OpenBLAS kernel",
                         {"NPY_DISABLE_CPU_FEATURES": " ".join(off)}))
    return runs


def nbval_command(python: Path, junit: Path) -> list[str]:
    """Strict nbval of every notebook, two notebooks at a time (each on one worker)."""
    return [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
            "--nbval-current-env", "--nbval-sanitize-with", "notebooks/sanitize.cfg",
            "-n", "2", "--dist", "loadfile", f"--junitxml={junit}", "notebooks"]


def read_junit(path: Path, outcome: Outcome) -> Outcome:
    """Fill ``outcome`` from pytest's JUnit XML."""
    root = ET.parse(path).getroot()
    for case in root.iter("testcase"):
        name = f"{Path(case.get('file') or case.get('classname', '')).name}::{case.get('name')}"
        if case.find("failure") is not None or case.find("error") is not None:
            outcome.failed.append(name)
        elif case.find("skipped") is None:
            outcome.passed += 1
    return outcome


def run(label: str, python: Path, env: dict[str, str]) -> Outcome:
    OUT.mkdir(parents=True, exist_ok=True)
    junit = OUT / f"{label.replace(' ', '-').replace('/', '-')}.xml"
    junit.unlink(missing_ok=True)
    print(f"· {label} …", flush=True)
    proc = subprocess.run(nbval_command(python, junit), cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True)
    outcome = Outcome(label)
    if not junit.exists():
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-1:] or ["no output"]
        outcome.problem = f"pytest did not run (exit {proc.returncode}): {tail[0]}"
        return outcome
    return read_junit(junit, outcome)


def find_python(version: str) -> str | None:
    """An interpreter of Python ``version`` ("3.12"): ``python3.12`` on the PATH when it runs
    (a pyenv shim of a version that is not selected does not), else pyenv's own copy."""
    candidates = [shutil.which(f"python{version}")]
    root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    candidates += sorted(str(p) for p in Path(root).glob(f"versions/{version}.*/bin/python{version}"))
    for candidate in candidates:
        if candidate and subprocess.run([candidate, "--version"], capture_output=True).returncode == 0:
            return candidate
    return None


def python_env(version: str) -> Path | None:
    """The virtual environment of Python ``version`` (made by ``make setup`` if need be), or
    None when that Python is not on this machine."""
    python = find_python(version)
    if python is None:
        return None
    venv = ROOT / f".venv-{version}"
    proc = subprocess.run(["make", "--no-print-directory", "setup", f"PYTHON={python}",
                           f"VENV={venv.name}"], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stdout + proc.stderr, file=sys.stderr)
        return None
    return venv / "bin" / "python"


def table(outcomes: list[Outcome]) -> str:
    lines = ["| Run | nbval of notebooks/ |", "|---|---|"]
    for o in outcomes:
        if o.problem:
            result = f"✘ {o.problem}"
        elif o.failed:
            result = f"✘ {len(o.failed)} failed, {o.passed} passed"
        else:
            result = f"✔ {o.passed} passed"
        lines.append(f"| {o.label} | {result} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kernels", nargs="*", default=list(KERNELS))
    parser.add_argument("--threads", nargs="*", type=int, default=list(THREADS))
    parser.add_argument("--pythons", nargs="*", default=list(PYTHONS))
    parser.add_argument("--no-numpy-levels", action="store_true",
                        help="leave out the runs with numpy's code for older CPUs")
    parser.add_argument("--other-kernel", action="store_true",
                        help="print a kernel family other than this CPU's own, and stop")
    args = parser.parse_args(argv)
    if args.other_kernel:
        print(other_kernel())
        return 0
    python = Path(sys.executable)
    print(f"This machine's own OpenBLAS kernel: {machine_kernel()}")
    outcomes = [run(f"OPENBLAS_CORETYPE={k}, {t} thread{'s' if t > 1 else ''}", python,
                    {"OPENBLAS_CORETYPE": k, "OPENBLAS_NUM_THREADS": str(t)})
                for k in args.kernels for t in args.threads]
    if not args.no_numpy_levels:
        outcomes += [run(label, python, env) for label, env in numpy_runs()]
    for version in args.pythons:
        venv_python = python_env(version)
        if venv_python is None:
            outcomes.append(Outcome(f"Python {version}", problem="not on this machine"))
            continue
        outcomes.append(run(f"Python {version}, its own numpy, the CPU's kernel", venv_python, {}))
    print()
    print(table(outcomes))
    failures = [(o.label, cell) for o in outcomes for cell in o.failed]
    if failures:
        print("\nCells whose saved output this run does not reproduce:")
        for label, cell in failures:
            print(f"  {label}: {cell}")
    missing = [o for o in outcomes if o.problem == "not on this machine"]
    return 0 if all(o.green for o in outcomes if o not in missing) else 1


if __name__ == "__main__":
    sys.exit(main())
