"""Run one handler's first request in a fresh interpreter and list the modules it loaded.

``python -m bench.first_request HANDLER EVENT_FILE OUT_FILE`` (the environment points the
handler at a moto server) writes JSON to ``OUT_FILE``: the handler's answer and every module
imported from the start of the handler's import to the end of its first request, in load
order. (Stdout is the handler's own log.)
"""

from __future__ import annotations

import sys

_BEFORE = set(sys.modules)


def main() -> None:
    import importlib
    import json

    path, event_file, out_file = sys.argv[1:4]
    module_name, _, function = path.rpartition(".")
    handler = getattr(importlib.import_module(module_name), function)
    with open(event_file, encoding="utf-8") as handle:
        event = json.load(handle)

    from complaints_tools.local.invoke import context

    answer = handler(event, context("bench"))
    loaded = [
        name
        for name in list(sys.modules)
        if name not in _BEFORE and not name.startswith(("bench", "complaints_tools.local"))
    ]
    with open(out_file, "w", encoding="utf-8") as handle:
        json.dump({"answer": answer, "modules": loaded}, handle, default=str)


if __name__ == "__main__":
    main()
