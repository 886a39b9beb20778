"""``python -m complaints_tools.openapi`` (``make openapi``): rewrite ``openapi.json`` from the
resolver. ``--check`` only says whether the committed file is up to date (exit 1 if not)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from complaints_tools.openapi.document import build, render

DOCUMENT = Path(__file__).with_name("openapi.json")
OUT_OF_DATE = "openapi.json is out of date: run make openapi"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m complaints_tools.openapi", description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    text = render(build())
    current = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.is_file() else None
    if args.check:
        if current != text:
            print(OUT_OF_DATE, file=sys.stderr)
            return 1
        print("openapi.json is up to date")
        return 0
    if current != text:
        DOCUMENT.write_text(text, encoding="utf-8")
        print(f"wrote {DOCUMENT.name}")
    else:
        print("openapi.json is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
