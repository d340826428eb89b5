"""Switch nbgrader's JupyterLab and server extensions off in this environment.

`make test` installs nbgrader (the `grading` extra) for the grader's bridge, which uses only
nbgrader's command line. Its extensions would add menus to the students' JupyterLab and slow
every server start, so they are switched off: the same files `jupyter labextension disable
--level=sys_prefix` and `jupyter server extension disable --sys-prefix` write, written directly
(each of those commands takes seconds to start).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

LAB_EXTENSION = "@jupyter/nbgrader"
SERVER_EXTENSIONS = ("formgrader", "validate_assignment", "assignment_list", "course_list")


def _merge(path: Path, update: dict) -> None:
    """Write ``update`` into the JSON file at ``path``, one level of nesting deep."""
    config = json.loads(path.read_text()) if path.exists() else {}
    for key, values in update.items():
        inner = config.setdefault(key, {})
        for name, value in values.items():
            if isinstance(value, dict):
                inner.setdefault(name, {}).update(value)
            else:
                inner[name] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2) + "\n")


def main() -> int:
    etc = Path(sys.prefix) / "etc" / "jupyter"
    _merge(etc / "labconfig" / "page_config.json", {"disabledExtensions": {LAB_EXTENSION: True}})
    servers = {f"nbgrader.server_extensions.{name}": False for name in SERVER_EXTENSIONS}
    _merge(etc / "jupyter_server_config.d" / "nbgrader.json",
           {"ServerApp": {"jpserver_extensions": servers}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
