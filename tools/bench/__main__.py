"""``python -m bench``: see the package's docstring."""

import sys

from bench.main import main

sys.exit(main())
