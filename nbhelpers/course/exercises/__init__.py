"""The exercises' checks and hints, one module per notebook (``nb01`` for notebook 01, …).

A notebook's check cell is one line, such as ``z2 = nb01.check_z2(z2)``: the module holds the
reference answer, the common mistakes and the hints, so that the notebook's code cells show the
algorithm and not the verification plumbing. Importing a module registers its hints.
"""
