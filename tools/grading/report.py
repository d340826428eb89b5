"""The class's reports: the CSV and JSON files, a submission's lines, the table of submissions
and the summary per exercise (how many passed, the most common mistakes).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from grading.records import MISSING, NOT_DONE, PASS, SYMBOLS, WRONG, Graded, one_line

COLUMNS = ["student", "notebook", "exercise", "verdict", "mistake", "sandboxed", "reason"]


def write_csv(graded: Sequence[Graded], target: Path) -> None:
    """One row per exercise (:data:`COLUMNS`), each reason whole on one line."""
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for g in graded:
            for r in g.rows:
                writer.writerow([r.student, r.notebook, r.exercise, r.verdict, r.mistake,
                                 "yes" if g.sandboxed else "no", one_line(r.reason)])


def write_json(graded: Sequence[Graded], target: Path) -> None:
    target.write_text(json.dumps([asdict(g) for g in graded], ensure_ascii=False, indent=1),
                      encoding="utf-8")


def format_submission(g: Graded) -> str:
    """A submission's report: a head line, then one line per exercise."""
    right = sum(r.verdict == PASS for r in g.rows if r.exercise)
    total = sum(1 for r in g.rows if r.exercise)
    lines = [g.problem] if g.problem else []
    lines += [f"  tampering: {what}" for what in g.tampering]
    if total:
        lines.insert(0, f"{g.path} ({g.student}, {g.notebook}): {right} of {total} exercise(s) right")
        width = max(len(r.exercise) for r in g.rows)
        lines += [f"  {r.exercise:<{width}}  {SYMBOLS.get(r.verdict, '?')} {r.verdict:<8}  "
                  f"{r.reason[2:] if r.reason[:2] in ('✔ ', '✘ ', '… ') else r.reason}"
                  + (f" [mistake: {r.mistake}]" if r.mistake else "")
                  for r in g.rows if r.exercise]
    return "\n".join(lines)


def summary_table(graded: Sequence[Graded]) -> str:
    """One line per submission: right, wrong, not done, missing, other; and a total."""
    heads = ["student", "notebook", "right", "wrong", "not done", "missing", "other", "seconds"]
    rows = []
    for g in graded:
        counts = [sum(r.verdict == v for r in g.rows if r.exercise) for v in (PASS, WRONG, NOT_DONE,
                                                                               MISSING)]
        other = sum(r.verdict not in (PASS, WRONG, NOT_DONE, MISSING) for r in g.rows)
        total = sum(1 for r in g.rows if r.exercise)
        rows.append([g.student, g.notebook, f"{counts[0]}/{total}", *map(str, counts[1:]),
                     str(other), f"{g.seconds:.1f}"])
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(heads)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    passed = sum(g.passed for g in graded)
    return "\n".join([fmt.format(*heads), fmt.format(*("-" * w for w in widths))]
                     + [fmt.format(*r) for r in rows]
                     + [f"{passed} of {len(graded)} submission(s) pass every exercise"])


def exercise_summary(graded: Sequence[Graded], top: int = 3) -> str:
    """Per exercise: how many submissions passed it, and its most common mistakes with counts
    (the catalogue's ids; "not named" for a wrong answer whose mistake the check could not
    name); then whether the run was sandboxed and the tampering found."""
    order: list[tuple[str, str]] = []
    rows: dict[tuple[str, str], list] = {}
    for g in graded:
        for r in g.rows:
            if r.exercise:
                key = (r.notebook, r.exercise)
                if key not in rows:
                    order.append(key)
                rows.setdefault(key, []).append(r)
    lines = []
    width = max((len(e) for _, e in order), default=8)
    for key in order:
        got = rows[key]
        passed = sum(r.verdict == PASS for r in got)
        mistakes = Counter(r.mistake or "not named" for r in got if r.verdict == WRONG)
        others = Counter(r.verdict for r in got if r.verdict not in (PASS, WRONG))
        parts = [f"{m} ×{n}" for m, n in mistakes.most_common(top)]
        parts += [f"{v} ×{n}" for v, n in others.most_common()]
        lines.append(f"{key[1]:<{width}}  {passed:>3} of {len(got):<3} passed"
                     + (f"   {', '.join(parts)}" if parts else ""))
    unsandboxed = [g for g in graded if not g.sandboxed]
    lines.append("sandbox: " + ("every submission ran in the sandbox" if not unsandboxed else
                                f"{len(unsandboxed)} of {len(graded)} submission(s) ran "
                                "WITHOUT the sandbox (--no-sandbox)"))
    tampered = [(g.student, what) for g in graded for what in g.tampering]
    lines.append(f"tampering: {len(tampered)} found" + ("" if not tampered else ":"))
    lines += [f"  {student}: {what}" for student, what in tampered]
    return "\n".join(lines)
