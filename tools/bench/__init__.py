"""Measure the course's code and write docs/benchmarks.md and docs/benchmarks.png.

    python -m bench                        # what `make bench` runs (about 15 minutes)
    python -m bench --quick                # fewer repeats and a small part of the test suite
    python -m bench --only waiting         # one section alone (here section 7, "Where people
                                           # wait"); the page's other sections are kept
    python -m bench --only waiting --waiting browser   # one of section 7's five goals

``tools/`` must be on the module path (``make bench`` runs it as ``PYTHONPATH=tools python -m
bench``): the package imports the other tools (``timing``, ``notebook_runs``,
``bench_browser``, ``bench_grading``, ``time_setup``) as top-level modules.

Every comparison runs its candidates side by side in this one process, interleaved round by
round, and reports the median of repeated runs as a time and as a ratio (``tools/timing.py``).
Section 7 measures issue 17's goals from outside: ``make test``'s pytest run, the notebooks
under nbval, the stepper in Chromium (``tools/bench_browser.py``), grading
(``tools/bench_grading.py``) and setup from a fresh clone (``tools/time_setup.py``); its goals
and the issue's "before" figures are data, ``issue17.toml``. The targets are checked by reading
the tables; nothing here asserts a time.

One module per section (``sections.py`` lists them and says how to add one); ``main.py`` is
the command line, ``page.py`` writes the page and ``common.py`` holds the settings and the
report the sections write into.
"""
