"""docs/benchmarks.md and docs/benchmarks.png: the figure, the targets table, the whole page,
and one section replaced in an existing page (``--only``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import timing

from nbhelpers.display.number_table import markdown_table

from .common import CLASSIC, Report


def figure(data: dict[str, Any], path: Path) -> None:
    """Left: gradient time against m (log–log); right: the m = 5000 gradient compared."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nbhelpers.display.plots import OKABE_ITO, use_projector_style

    use_projector_style()
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 5.5), constrained_layout=True)
    result: timing.Scaling = data["scaling"]
    rate = data["gradient"]["rate"]
    for name, colour, marker in (("loop", OKABE_ITO[5], "s"), ("vectorized", OKABE_ITO[0], "o")):
        ms, ts = result.series(name)
        left.loglog(ms, ts, marker=marker, color=colour, label=f"{name}")
    sizes = result.sizes
    left.loglog(sizes, [timing.gradient_flops(CLASSIC, m) / rate for m in sizes], "--",
                color=OKABE_ITO[7], label="roofline (same FLOPs at matmul speed)")
    left.set(xlabel="number of examples m", ylabel="seconds per gradient (median)",
             title="Gradient time, 400-25-10")
    left.legend()
    left.grid(True, which="major", alpha=0.3)
    g = data["gradient"]
    bars = [("roofline", g["roofline"]), ("vectorized", g["vec"])]
    if g["torch"] is not None:
        bars.append(("PyTorch autograd", g["torch"]))
    bars.append(("loop", g["loop"]))
    names = [b[0] for b in bars]
    right.barh(names, [b[1] * 1e3 for b in bars],
               color=[OKABE_ITO[7], OKABE_ITO[0], OKABE_ITO[2], OKABE_ITO[5]][:len(bars)])
    right.set_xscale("log")
    right.invert_yaxis()
    right.set(xlabel="milliseconds per gradient (median, log scale)",
              title="One gradient at m = 5000")
    for i, (_, t) in enumerate(bars):
        right.text(t * 1e3 * 1.1, i, timing.format_time(t), va="center")
    right.set_xlim(right=max(b[1] for b in bars) * 1e3 * 8)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def targets_table(report: Report) -> str:
    """The issue's targets with met / missed and, where missed, what bounds it."""
    rows = []
    for what, measured, bound, met in report.targets:
        verdict = "not measured" if met is None else ("**met**" if met else "**missed**")
        rows.append([what, measured, verdict, bound or ""])
    return markdown_table(["target", "measured", "verdict", "what bounds it"], rows,
                                 align="llll")


def merge_page(old: str, report: Report, note: str) -> str:
    """The existing page with the sections just measured replaced (or added before the
    machine section); the other sections and the targets table stay as they were."""
    parts = old.split("\n\n## ")
    head, sections = parts[0], parts[1:]
    for text in report.sections:
        title = text.split("\n", 1)[0].removeprefix("## ")
        new = text.removeprefix("## ") + f"\n\n{note}"
        match = [i for i, old_text in enumerate(sections)
                 if old_text.split("\n", 1)[0] == title]
        if match:
            sections[match[0]] = new
        else:
            at = next((i for i, old_text in enumerate(sections)
                       if old_text.startswith("Machine and versions")), len(sections))
            sections.insert(at, new)
    page = "\n\n## ".join([head, *sections]).rstrip("\n") + "\n"
    for what, measured, bound, met in report.targets:     # their rows of the targets table
        verdict = "not measured" if met is None else ("**met**" if met else "**missed**")
        row = markdown_table(["a", "b", "c", "d"], [[what, measured, verdict, bound]],
                                    align="llll").splitlines()[-1]
        lines = page.split("\n")
        lines = [row if line.startswith(f"| {what} |") else line for line in lines]
        page = "\n".join(lines)
    return page
