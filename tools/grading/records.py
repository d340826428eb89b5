"""What grading reports: the verdicts, a row per exercise, a grading per submission,
and the limits every run has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from notebook_runs import ROOT

PACKAGE = ROOT / "nbhelpers"
MAX_BYTES = 20_000_000
CELL_TIMEOUT = 60
COURSE_CELL_TIMEOUT = 60
STUDENT_ROLES = ("exercise", "check")  # the cells that run the student's code
NOTEBOOK_TIMEOUT = 600
VERDICT_MIME = "application/vnd.backprop-grader.verdict+json"

PASS, WRONG, NOT_DONE, MISSING = "pass", "wrong", "not done", "missing"
TIMEOUT, NOT_RUN, ERROR = "timeout", "not run", "error"
SYMBOLS = {PASS: "✔", WRONG: "✘", NOT_DONE: "…", MISSING: "∅", TIMEOUT: "⏱", NOT_RUN: "-", ERROR: "!"}


class Refused(Exception):
    """A submission that cannot be graded; the message is the one-line report."""


@dataclass(frozen=True)
class Row:
    """One line of the class's CSV: one exercise of one student's notebook."""

    student: str
    notebook: str
    exercise: str
    verdict: str
    reason: str
    mistake: str = ""
    """The catalogue id of the mistake the check named (nbhelpers/course/mistakes.py), or ""."""


@dataclass
class Graded:
    """The grading of one submission: a row per exercise and, if it failed, the one-line
    report of the failure (``problem``)."""

    path: str
    student: str
    notebook: str
    rows: list[Row] = field(default_factory=list)
    problem: str | None = None
    seconds: float = 0.0
    sandboxed: bool = True
    tampering: list[str] = field(default_factory=list)
    """Every change the submission made to the grader's copy of the package or to the
    instructor's files (each put right), and every tampering the grader's checks found."""

    @property
    def passed(self) -> bool:
        return self.problem is None and bool(self.rows) and all(r.verdict == PASS for r in self.rows)


def one_line(text: object) -> str:
    """A reason on one line: its lines joined with " / ", blank ones left out."""
    return " / ".join(line.strip() for line in str(text or "").splitlines() if line.strip())
