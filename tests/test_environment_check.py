"""Notebook 00's environment check and the notebooks' one-BLAS-thread setting."""

from __future__ import annotations

import subprocess
import sys

from nbhelpers.course.environment import check_environment, pinned_versions


def test_pins_are_read_from_the_installed_package() -> None:
    pins = pinned_versions()
    assert pins["numpy"].count(".") == 2 and pins["jupyterlab"]


def test_environment_check_passes_here_and_names_every_package() -> None:
    checks = check_environment()
    assert [c.what for c in checks][:3] == ["Python", "numpy", "scipy"]
    # notebook 00 tells the student that this line is JupyterLab's widget extension
    assert "jupyterlab_widgets" in [c.what for c in checks]
    assert all(c.ok for c in checks), [str(c) for c in checks if not c.ok]


def test_a_missing_package_is_reported_not_raised() -> None:
    checks = check_environment(("numpy", "no-such-package-for-this-course"))
    missing = checks[-2]
    assert not missing.ok and "not installed" in missing.detail and str(missing).startswith("✘")


def test_one_blas_thread_limits_every_blas_pool() -> None:
    # In a fresh interpreter: this test session already runs with one thread (conftest.py).
    code = ("from threadpoolctl import threadpool_info\n"
            "import numpy, scipy.linalg\n"
            "from nbhelpers.course.environment import one_blas_thread\n"
            "one_blas_thread()\n"
            "print(sorted({p['num_threads'] for p in threadpool_info() if p['user_api'] == 'blas'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"OPENBLAS_NUM_THREADS": "2", "PATH": ""}).stdout
    assert out.strip() == "[1]"
