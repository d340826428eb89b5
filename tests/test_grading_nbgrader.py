"""The nbgrader bridge (``tools/nbgrader_bridge.py``) with real nbgrader: two notebooks go
through ``generate_assignment`` and ``autograde``; a right submission scores full marks and a
wrong one zero. nbgrader comes with the ``grading`` extra (``pip install -e '.[grading]'``).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import warnings
from pathlib import Path

import nbformat
import nbgrader_bridge as bridge
import pytest
import student_copies as sc
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from test_grading import instructor_notebook

ROOT = Path(__file__).resolve().parents[1]

SUM = "v = np.arange(4.0)\n### BEGIN SOLUTION\ntotal = np.sum(v)\n### END SOLUTION"
CHECK_SUM = 'total = check_value("the sum", total, 6.0, exercise="97-sum").value'


def second_notebook() -> nbformat.NotebookNode:
    return new_notebook(cells=[
        new_markdown_cell("# 97 · A second notebook"),
        new_code_cell("import numpy as np\nfrom nbhelpers.course.feedback import check_value"),
        new_code_cell(SUM, metadata={"tags": ["exercise"], "exercise": "97-sum"}),
        new_code_cell(CHECK_SUM, metadata={"tags": ["check"], "exercise": "97-sum"}),
        new_code_cell("print(total)"),
    ])


ANSWERS = {  # student -> replacements in the released notebooks
    "alice": {"a1 = ...": "a1 = np.concatenate([[1.0], x])",
              '    raise NotImplementedError("write the body of double")': "    return 2 * v",
              "total = ...": "total = np.sum(v)"},
    "bob": {"a1 = ...": "a1 = x",
            '    raise NotImplementedError("write the body of double")': "    return v + 2",
            "total = ...": "total = v.sum() + 1"},
}


def test_source_notebooks_keep_our_stubs_and_raise_on_a_wrong_check() -> None:
    nb = bridge.nbgrader_notebook(instructor_notebook(), "98-synthetic.ipynb")
    exercise, check = nb.cells[2], nb.cells[3]
    assert exercise.source.split("\n") == [
        "x = np.array([1.0, 2.0])", "a1 = ...", "### BEGIN SOLUTION",
        "a1 = np.concatenate([[1.0], x])", "### END SOLUTION"]
    assert exercise.metadata["nbgrader"] == {"grade": False, "solution": True, "locked": False,
                                             "grade_id": "98-a1", "schema_version": 3}
    assert nb.cells[4].source.endswith(
        '    ### END SOLUTION\n    raise NotImplementedError("write the body of double")')
    assert check.metadata["nbgrader"]["locked"] and check.metadata["nbgrader"]["points"] == 1
    assert check.source.endswith("assert _feedback.VERDICTS.get('98-a1') is True, "
                                 "'exercise 98-a1: the check above did not pass'")


def test_a_function_solution_that_does_not_return_is_refused() -> None:
    nb = instructor_notebook()
    nb.cells[4].source = nb.cells[4].source.replace("return 2 * v", "v *= 2")
    with pytest.raises(sc.MarkerError, match="must end with return or raise"):
        bridge.nbgrader_notebook(nb, "98-synthetic.ipynb")


def test_nbgrader_scores_a_right_submission_full_and_a_wrong_one_zero(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernels: None) -> None:
    api_module = pytest.importorskip(
        "nbgrader.apps.api", reason="nbgrader is in the grading extra: pip install -e '.[grading]'")
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory
    from sqlalchemy.exc import SAWarning
    from traitlets.config.loader import PyFileConfigLoader

    sources = tmp_path / "instructor"
    sources.mkdir()
    nbformat.write(instructor_notebook(), sources / "98-synthetic.ipynb")
    nbformat.write(second_notebook(), sources / "97-second.ipynb")
    course = tmp_path / "course"
    assert sc.main(["nbgrader", "--course", str(course), "--assignment", "ps1",
                    str(sources / "98-synthetic.ipynb"), str(sources / "97-second.ipynb")]) == 0

    # nbgrader runs its database migrations with the `alembic` command of its environment
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.chdir(course)
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    assert config.ClearSolutions.code_stub == {"python": ""}
    coursedir = CourseDirectory(root=str(course), config=config)
    api = api_module.NbGraderAPI(coursedir=coursedir, config=config)
    # nbgrader 0.9.6 trips over its own session handling with SQLAlchemy 2 (a warning only)
    warnings.filterwarnings("ignore", category=SAWarning)
    assert api.generate_assignment("ps1", force=True, create=True)["success"]

    released = course / "release" / "ps1"
    sum_cell = nbformat.read(released / "97-second.ipynb", as_version=4).cells[2]
    assert sum_cell.source.rstrip() == "v = np.arange(4.0)\ntotal = ..."
    for student, replacements in ANSWERS.items():
        folder = course / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        for path in released.glob("*.ipynb"):
            text = path.read_text(encoding="utf-8")
            for old, new in replacements.items():
                text = text.replace(json.dumps(old)[1:-1], json.dumps(new)[1:-1])
            (folder / path.name).write_text(text, encoding="utf-8")
        assert api.autograde("ps1", student, force=True, create=True)["success"]

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {student: {nb.name: (nb.score, nb.max_score)
                            for nb in gradebook.find_submission("ps1", student).notebooks}
                  for student in ANSWERS}
    assert scores == {"alice": {"98-synthetic": (2.0, 2.0), "97-second": (1.0, 1.0)},
                      "bob": {"98-synthetic": (0.0, 2.0), "97-second": (0.0, 1.0)}}
    shutil.rmtree(course, ignore_errors=True)


def test_nbgrader_adds_nothing_to_the_students_jupyterlab() -> None:
    """`make test` installs nbgrader for the bridge only: its JupyterLab extension and its server
    extensions are off in this environment (tools/nbgrader_quiet.py)."""
    import json

    etc = Path(sys.prefix) / "etc" / "jupyter"
    page = json.loads((etc / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"]["@jupyter/nbgrader"] is True
    servers = json.loads((etc / "jupyter_server_config.d" / "nbgrader.json").read_text())
    switches = servers["ServerApp"]["jpserver_extensions"]
    assert switches and not any(switches.values()), switches
