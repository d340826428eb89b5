"""Reading what came back from a graded notebook's kernel: each exercise's verdict, its reason
and the catalogued mistake, from the grader's own read cells only (an output that carries the
run's random number); printed text is never read.
"""

from __future__ import annotations

from typing import Any

from grading.cells import GRADER
from grading.instructor import InstructorNotebook
from grading.records import ERROR, MISSING, NOT_DONE, PASS, VERDICT_MIME, WRONG, one_line

LOST = "no genuine verdict came back from the check (forged or lost)"
TAMPERED = "the check was tampered with: "
FORGED = (LOST, TAMPERED)
"""How the reasons of a check found tampered with begin."""

Outcome = tuple[str, str, str]
"""An exercise's verdict, its reason, and the catalogue id of the mistake ("" when none)."""


def first_line(text: object) -> str:
    lines = str(text or "").splitlines()
    return lines[0][:200] if lines else ""


def _errors(cell: Any) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename')}: {first_line(out.get('evalue'))}"
    return None


def _read_verdict(cell: Any, nonce: str, exercise: str) -> dict[str, Any] | None:
    found = [out["data"][VERDICT_MIME] for out in cell.get("outputs", [])
             if out.get("output_type") == "display_data" and VERDICT_MIME in out.get("data", {})]
    genuine = [v for v in found if isinstance(v, dict) and v.get("nonce") == nonce
               and v.get("exercise") == exercise]
    return genuine[0] if len(found) == 1 and len(genuine) == 1 else None


def verdicts(nb: Any, book: InstructorNotebook, nonce: str,
             notes: dict[str, str]) -> dict[str, Outcome]:
    """Each exercise's outcome from the grader's own read cells."""
    results: dict[str, list[Outcome]] = {}
    student_error: dict[str, str] = {}
    check_error: dict[str, str] = {}
    for cell in nb.cells:
        info = cell.metadata.get(GRADER, {})
        role, ident = info.get("role"), info.get("exercise", "")
        if role == "exercise" and _errors(cell):
            student_error[ident] = f"your cell stopped with {_errors(cell)}"
        elif role == "check" and _errors(cell):
            check_error[ident] = f"the check stopped with {_errors(cell)}"
        elif role == "read":
            if cell.get("execution_count") is None:
                continue  # the notebook stopped before it
            got = _read_verdict(cell, nonce, ident)
            if got is None:
                results.setdefault(ident, []).append(
                    (WRONG, LOST, ""))
            elif got.get("tampered"):
                results.setdefault(ident, []).append(
                    (WRONG, TAMPERED + str(got["tampered"]), ""))
            elif got.get("passed") is True:
                results.setdefault(ident, []).append((PASS, one_line(got.get("message")), ""))
            elif got.get("passed") is False:
                message = one_line(got.get("message"))
                verdict = NOT_DONE if message.startswith("…") else WRONG
                mistake = got.get("mistake") if isinstance(got.get("mistake"), str) else ""
                results.setdefault(ident, []).append((verdict, message, mistake or ""))
            else:
                reason = student_error.get(ident) or check_error.get(ident) or \
                    "the check reported no verdict under this exercise's id"
                results.setdefault(ident, []).append((WRONG, reason, ""))
    final: dict[str, Outcome] = {}
    for ident, exercise in book.exercises.items():
        outcome = results.get(ident)
        if notes.get(ident) == MISSING:
            final[ident] = (MISSING, "the submission has no cell for this exercise", "")
        elif not exercise.checks:
            final[ident] = (ERROR, "the instructor's notebook has no check cell for this exercise", "")
        elif not outcome:
            continue
        else:
            bad = [o for o in outcome if o[0] != PASS]
            verdict, reason, mistake = bad[0] if bad else outcome[-1]
            if verdict != PASS and ident in student_error and student_error[ident] not in reason:
                reason = f"{reason} ({student_error[ident]})"
            note = notes.get(ident)
            final[ident] = (verdict, f"{reason} [{note}]" if note else reason, mistake)
    return final
