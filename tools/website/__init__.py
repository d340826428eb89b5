"""The course's website, built by ``python tools/build_site.py`` (its docstring says how).

* :mod:`website.pages`: what a notebook becomes as a page (test markers out, solutions folded
  on the instructor's site, widgets made right for a page without a kernel) and the check that
  no page of the students' site shows a solution line;
* :mod:`website.widgets`: the widget state saved in a notebook, its controls that need a kernel
  disabled, and a static snapshot of each widget for a page read without JavaScript;
* :mod:`website.project`: the Sphinx project (configuration, contents page, MathJax and the
  widgets' scripts copied in) and :func:`website.project.build`, which writes the site.
"""
