"""The grader's parts, one idea per module; ``tools/grade.py`` puts them together.

``solutions`` (the solution regions and student copies), ``records`` (what a grading reports),
``instructor`` (what grading reads from the instructor), ``submission`` (reading a student's
notebook), ``cells`` (the notebook that is run), ``kernel_side`` (the grader's code inside that
notebook's kernel), ``sandbox`` (bubblewrap around the kernel), ``kernel`` (running it),
``verdicts`` (reading what came back) and ``report`` (the CSV, JSON and summaries).
"""
