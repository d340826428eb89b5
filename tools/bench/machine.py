"""The page's last section: the machine, the package versions and the load while measuring."""

from __future__ import annotations

import datetime
import os
import platform
from importlib import metadata
from pathlib import Path

import timing

from nbhelpers.display.number_table import markdown_table

from .common import TORCH_THREADS


def cpu_model() -> str:
    """The CPU's model name, family and model numbers and vector instructions (/proc/cpuinfo)."""
    try:
        info = dict(line.split(":", 1) for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if ":" in line)
    except OSError:
        return platform.processor() or platform.machine()
    info = {k.strip(): v.strip() for k, v in info.items()}
    flags = info.get("flags", "").split()
    simd = ", ".join(f.upper() for f in ("avx2", "fma", "avx512f") if f in flags) or "no AVX2"
    guest = "; a virtual machine" if "hypervisor" in flags else ""
    return (f"{info.get('model name', platform.machine())} (family {info.get('cpu family', '?')}, "
            f"model {info.get('model', '?')}); {simd}{guest}")


def memory_gib() -> str:
    """Total memory in GiB (from /proc/meminfo)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def version(distribution: str) -> str:
    """The installed version of a distribution, or "not installed"."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def blas_info() -> str:
    """The BLAS libraries numpy and scipy load, with their versions and thread counts."""
    from threadpoolctl import threadpool_info

    seen = []
    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            owner = Path(pool.get("filepath", "")).parent.name.removesuffix(".libs")  # numpy
            text = (f"{pool.get('internal_api')} {pool.get('version')} "
                    f"({owner}: {pool.get('architecture')} kernels, "
                    f"{pool.get('num_threads')} threads)")
            if text not in seen:
                seen.append(text)
    return "; ".join(seen) or "unknown"


def torch_info() -> str:
    """What PyTorch multiplies matrices with, and its thread count for the benchmark."""
    try:
        import torch
    except ImportError:
        return "PyTorch not installed"
    library = "MKL" if torch.backends.mkl.is_available() else "its own BLAS"
    return f"{library}, {TORCH_THREADS} threads (`torch.set_num_threads`)"


def load_text(loads: list[tuple[float, float, float]]) -> str:
    """The 1-minute load average at the start and end of the run."""
    return " → ".join(f"{one:.2f}" for one, _, _ in loads)


def machine_section(loads: list[tuple[float, float, float]], started: datetime.datetime,
                    seconds: float) -> str:
    """The machine, the package versions and the load while measuring."""
    rows = [
        ("date", started.strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", cpu_model()),
        ("cores", f"{os.cpu_count()} logical ({len(os.sched_getaffinity(0))} usable)"),
        ("memory", memory_gib()),
        ("load average (1 min) at start → end",
         f"{load_text(loads)} on {os.cpu_count()} cores (the benchmark itself adds up to 2)"),
        ("benchmark run time", timing.format_time(seconds)),
        ("Python", platform.python_version()),
        *((name, version(name)) for name in ("numpy", "scipy", "scikit-learn", "torch")),
        ("BLAS of numpy and scipy", blas_info()),
        ("PyTorch's matrix library", torch_info()),
        ("OS", platform.platform()),
    ]
    return markdown_table(["", "value"], rows, align="ll")
