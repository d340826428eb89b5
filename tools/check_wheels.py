"""Check that every pinned package has a wheel for every supported Python, and print the table.

    python tools/check_wheels.py            # the pins of pyproject.toml, Python 3.11 … 3.15
    python tools/check_wheels.py --resolve  # also resolve the whole tree (wheels only) per Python

For each exact pin in pyproject.toml (dependencies and every optional extra) and each
supported Python, the environment markers say which pin applies; the package index's file
list (PEP 691 JSON, one request per package) then says whether that release has a wheel
that installs there: a pure-Python wheel (``py3-none-any``), a wheel for that CPython
(``cp3XX``), or a stable-ABI wheel (``abi3``) built for that version or an older one. A
compiled wheel counts only when it exists for each of the three platforms students use
(Linux x86-64, macOS arm64, Windows x86-64).

``--resolve`` additionally has uv (``uv pip compile --no-build``, which reads metadata and
downloads no package) resolve the whole dependency tree for each Python and platform from
wheels alone, so that a dependency of a dependency without a wheel is found too.

Exit status 0 when every cell of the table is a wheel. Needs network access to the index
(``$PIP_INDEX_URL`` or pypi.org); uses only the standard library (run it with any Python 3.11+).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUPPORTED = ("3.11", "3.12", "3.13", "3.14", "3.15")
# (label, a regular expression a wheel's platform tag must match)
PLATFORMS = (
    ("linux-x86_64", r"(many|musl)linux.*x86_64|linux_x86_64"),
    ("macos-arm64", r"macosx_.*(arm64|universal2)"),
    ("win-amd64", r"win_amd64"),
)
# uv's names of the same platforms, for --resolve
RESOLVE_PLATFORMS = (("linux-x86_64", "x86_64-manylinux_2_28"), ("macos-arm64", "aarch64-apple-darwin"),
                     ("win-amd64", "x86_64-pc-windows-msvc"))
INDEX = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/")
PIN = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*==\s*([^\s;]+)\s*(?:;\s*(.+))?$")


@dataclass(frozen=True)
class Pin:
    """One exact requirement of pyproject.toml: name==version, for the Pythons its marker allows."""

    name: str
    version: str
    marker: str | None
    group: str

    def applies_to(self, python: str) -> bool:
        return marker_allows(self.marker, python)


def marker_allows(marker: str | None, python: str) -> bool:
    """Whether a marker made of ``python_version <op> 'X.Y'`` terms joined by ``and`` holds."""
    if not marker:
        return True
    ops = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
           ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
    have = tuple(map(int, python.split(".")))
    for term in re.split(r"\s+and\s+", marker.strip()):
        m = re.fullmatch(r"python_version\s*(<=|>=|==|!=|<|>)\s*['\"](\d+)\.(\d+)['\"]", term.strip())
        if not m:
            raise ValueError(f"marker {marker!r}: only `python_version <op> 'X.Y'` terms are understood")
        if not ops[m.group(1)](have, (int(m.group(2)), int(m.group(3)))):
            return False
    return True


def read_pins(pyproject: Path = ROOT / "pyproject.toml") -> list[Pin]:
    """Every requirement of [project] as a Pin; a requirement that is not name==version is an error."""
    project = tomllib.loads(pyproject.read_text())["project"]
    groups = {"dependencies": project.get("dependencies", [])}
    groups |= {f"[{extra}]": reqs for extra, reqs in project.get("optional-dependencies", {}).items()}
    pins = []
    for group, reqs in groups.items():
        for req in reqs:
            m = PIN.match(req)
            if not m:
                raise ValueError(f"pyproject.toml: {req!r} is not an exact pin (name==version)")
            pins.append(Pin(normalize(m.group(1)), m.group(2), m.group(3), group))
    return pins


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_files(name: str) -> list[str]:
    """The wheel file names the index lists for a project (PEP 691 JSON)."""
    request = urllib.request.Request(f"{INDEX}/{name}/",
                                     headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    return [f["filename"] for f in files if f["filename"].endswith(".whl")]


def verdict(files: list[str], name: str, version: str, python: str) -> str:
    """'pure', 'wheel', 'wheel (abi3)', or what is missing, for one release on one Python."""
    prefix = f"{name.replace('-', '_')}-{version}-"
    tags = []
    for file in files:
        if file.lower().startswith(prefix.lower()):
            # name-version(-build)?-python-abi-platform.whl
            py, abi, platform = file[:-4].split("-")[-3:]
            tags.append((py.split("."), abi.split("."), platform.split(".")))
    if not tags:
        return "no wheel"
    minor = int(python.split(".")[1])
    cp = f"cp3{minor}"
    if any("any" in plats and "none" in abis and any(p.startswith("py3") or (p == "py2" and "py3" in pys)
                                                        for p in pys) for pys, abis, plats in tags):
        return "pure"
    missing = []
    abi3 = False
    for label, pattern in PLATFORMS:
        found = False
        for pys, abis, plats in tags:
            if not any(re.search(pattern, plat) for plat in plats):
                continue
            if cp in pys and cp in abis:
                found = True
            elif "abi3" in abis and any(p.startswith("cp3") and int(p[3:]) <= minor for p in pys):
                found, abi3 = True, True
            elif "none" in abis and any(p in ("py3", cp) for p in pys):
                found = True   # one wheel per platform, any Python 3 (ruff, uv, playwright)
        if not found:
            missing.append(label)
    if len(missing) == len(PLATFORMS):
        return "no wheel"
    if missing:
        return "no " + "/".join(missing)
    return "wheel (abi3)" if abi3 else "wheel"


def table(pins: list[Pin], pythons: tuple[str, ...] = SUPPORTED) -> tuple[str, bool]:
    """The Markdown table (one row per pin) and whether every applicable cell is installable."""
    cache: dict[str, list[str]] = {}
    header = ["package", "pin", "group", *pythons]
    rows = [header, ["---"] * len(header)]
    ok = True
    for pin in pins:
        if pin.name not in cache:
            cache[pin.name] = wheel_files(pin.name)
        cells = []
        for python in pythons:
            if not pin.applies_to(python):
                cells.append("·")
                continue
            cell = verdict(cache[pin.name], pin.name, pin.version, python)
            ok &= cell in ("pure", "wheel", "wheel (abi3)")
            cells.append(cell)
        rows.append([pin.name, pin.version, pin.group, *cells])
    # each package has exactly one pin for each Python
    for python in pythons:
        for name in sorted({p.name for p in pins}):
            n = sum(p.name == name and p.applies_to(python) for p in pins)
            if n != 1:
                ok = False
                rows.append([name, f"{n} pins apply", "", *["!" if x == python else "" for x in pythons]])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    return "\n".join(lines), ok


def find_uv() -> str | None:
    """uv beside this Python (make setup installs it in .venv), else on PATH."""
    here = Path(sys.executable).with_name("uv")
    return str(here) if here.exists() else shutil.which("uv")


def resolve(pins: list[Pin], python: str, platform: str) -> tuple[bool, str]:
    """uv's resolution of every pin that applies to one Python on one platform, wheels only."""
    uv = find_uv()
    if uv is None:
        return False, "uv is needed for --resolve (make setup installs it in .venv)"
    reqs = "".join(f"{pin.name}=={pin.version}\n" for pin in pins if pin.applies_to(python))
    run = subprocess.run([uv, "pip", "compile", "--quiet", "--no-build", "--no-header", "--no-annotate",
                          "--python-version", python, "--python-platform", platform, "-"],
                         input=reqs, capture_output=True, text=True, cwd=ROOT)
    if run.returncode != 0:
        return False, " ".join(run.stderr.split())[:300]
    n = sum("==" in line for line in run.stdout.splitlines())
    return True, f"{n} packages"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolve", action="store_true",
                        help="also resolve the whole dependency tree, wheels only, for each Python")
    args = parser.parse_args(argv)
    pins = read_pins()
    text, ok = table(pins)
    print(f"Wheels for the pins of pyproject.toml (index {INDEX}); platforms: "
          + ", ".join(label for label, _ in PLATFORMS) + "; · = the pin's marker excludes that Python\n")
    print(text)
    if args.resolve:
        print("\nThe whole dependency tree (the pins and all they require), wheels only, "
              "as uv resolves it:\n")
        for python in SUPPORTED:
            for label, platform in RESOLVE_PLATFORMS:
                good, what = resolve(pins, python, platform)
                ok &= good
                print(f"- Python {python}, {label}: {'ok' if good else 'FAILS'}: {what}")
    print("\nEvery pin has a wheel for every supported Python." if ok else
          "\nSome pins lack a wheel for a supported Python (see above).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
