"""The exercises' checks and hints, one module per notebook (``nb01`` for notebook 01, …).

A notebook's check cell is one line, such as ``z2 = nb01.check_z2(z2)``: the module holds the
reference answer, the common mistakes and the hints, so that the notebook's code cells show the
algorithm and not the verification plumbing. Importing a module registers its hints.
"""

from .. import (
    capstone,  # noqa: F401  (registers the capstone, 05-backprop)
    notebook,  # noqa: F401  (records the cells a notebook runs, for the check cells)
)
from . import nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09

__all__ = ["nb00", "nb01", "nb02", "nb03", "nb04", "nb05", "nb06", "nb07", "nb08", "nb09"]
