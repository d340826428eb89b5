"""Build the course's website: a book of the notebooks, with live widgets and no kernel.

    python tools/build_site.py --out build/site                 # make site: the students' site
    python tools/build_site.py --out build/site-instructor --instructor   # make site-instructor

The generator is Sphinx with MyST-NB (notebooks as pages, from their saved outputs: no kernel
runs) and sphinx-book-theme (the contents sidebar, the in-page contents, search, previous and
next, a download of the notebook and a launch link on each page). Everything a page loads is
copied into the site, so it works opened from disk (``file://``) and from any static host:

* the widgets run in the browser from the widget state saved in each notebook, rendered by
  ``@jupyter-widgets/html-manager`` (npm, pinned in package.json): the stepper's Next, Prev,
  Reset, Play and slider, the explorers' sliders. Controls whose effect the kernel computes
  (``widgetkit.NEEDS_KERNEL``: the example chooser, λ, m, the bug menu) are shown disabled,
  with a one-line note. Where JavaScript is off, each widget shows a static snapshot of its
  saved state (``<noscript>``);
* equations are typeset by MathJax 3 (npm ``mathjax``); a small shim gives the widgets'
  HTMLMath the ``MathJax.Hub.Queue`` of MathJax 2 that html-manager calls;
* the search is Sphinx's own (an index in ``searchindex.js``, no server).

The students' site is built from the student copies (``tools/student_copies.py``, which refuses
to write a copy that shows a solution line), and :func:`page_leaks` checks every built page
the same way. The instructor's site is built from the instructor's notebooks: each solution
is folded under its exercise (the exercise shows as the students see it), and the instructor's
demo is added. On both, test markers (``# NBVAL_…``, ``# noqa``) are taken out of the code
shown, and the notebook offered for download is the student copy (or the instructor's
notebook) exactly as written.

This script is the command line; the builder is the package ``tools/website/`` (the pages,
the widgets on them, the Sphinx project).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import student_copies
from website.project import BINDERHUB, ROOT, build, default_repository


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None,
                        help="the site's folder (default: build/site, or build/site-instructor)")
    parser.add_argument("--instructor", action="store_true",
                        help="the instructor's edition: solutions folded, the demo added")
    parser.add_argument("--repository", default=None,
                        help="the repository's address on GitHub or GitLab, for the launch and "
                             "repository links (default: git's origin, if it is one)")
    parser.add_argument("--branch", default="main", help="the branch the launch link opens")
    parser.add_argument("--binderhub", default=BINDERHUB,
                        help=f"the BinderHub of the launch link (default {BINDERHUB}; '' for none)")
    args = parser.parse_args(argv)
    out = args.out or ROOT / "build" / ("site-instructor" if args.instructor else "site")
    repository = args.repository if args.repository is not None else default_repository()
    try:
        files = build(out, instructor=args.instructor, repository=repository or None,
                      branch=args.branch, binderhub=args.binderhub or None)
    except student_copies.MarkerError as err:
        print(f"site not written: {err}", file=sys.stderr)
        return 1
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 1
    edition = "instructor's" if args.instructor else "students'"
    print(f"Wrote the {edition} site, {len(files)} notebook pages, to {out}/index.html"
          + ("" if repository else " (no launch link: give --repository)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
