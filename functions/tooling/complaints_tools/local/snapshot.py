"""The local stack's saved table (``.local/table.jsonl``): its format, writing and reading.

One JSON line of header (``{"format": "complaints-local-table", "version": 1, "items": N,
...}``), then one line per item in DynamoDB JSON (``{"PK": {"S": "CASE#..."}, ...}``), in no
particular order. A write goes to a temporary file that then replaces the old one, so a reader
(or a crash) sees the whole old snapshot or the whole new one. Reading is strict: a file that
is not whole, or of a version this code does not know, is refused with a plain message rather
than starting empty.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from complaints.clock import wall_now

TABLE_FILE = "table.jsonl"
FORMAT = "complaints-local-table"
VERSION = 1
_FRESH_HINT = "Start empty with `make run FRESH=1` (this deletes what the local stack held)."


class SnapshotError(Exception):
    """The saved table cannot be read."""


@dataclass(frozen=True)
class Snapshot:
    items: list[dict[str, Any]]  # DynamoDB JSON
    lines: list[str]  # the same items, as saved (one JSON document each)
    written_at: str | None = None


def table_path(directory: Path) -> Path:
    return directory / TABLE_FILE


def dump_item(attributes: dict[str, Any]) -> str:
    """One item's saved line."""
    return json.dumps(attributes, separators=(",", ":"), ensure_ascii=False)


def write(path: Path, lines: Collection[str]) -> None:
    """Replace the snapshot in ``path`` with these item lines, at once."""
    header = {"format": FORMAT, "version": VERSION, "items": len(lines)}
    header["written_at"] = wall_now().isoformat()
    temporary = path.with_name(f".{path.name}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(header) + "\n")
        for line in lines:
            handle.write(line)
            handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)


def read(path: Path) -> Snapshot | None:
    """The snapshot in ``path``; ``None`` when nothing was ever saved there."""
    try:
        with path.open(encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise refused(path, "cannot be read") from error
    if not lines:
        raise refused(path, "is empty")
    try:
        header = json.loads(lines[0])
    except ValueError:
        raise refused(path, "does not start with its header") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise refused(path, "is not a saved complaints table")
    if header.get("version") != VERSION:
        raise refused(path, f"was saved in format version {header.get('version')}, not {VERSION}")
    body = lines[1:]
    if header.get("items") != len(body):
        raise refused(path, f"should hold {header.get('items')} items but holds {len(body)}")
    items: list[dict[str, Any]] = []
    for number, line in enumerate(body, start=2):
        try:
            item = json.loads(line)
        except ValueError:
            raise refused(path, f"has a line that is not JSON (line {number})") from None
        if not isinstance(item, dict):
            raise refused(path, f"has a line that is not an item (line {number})")
        items.append(item)
    written_at = header.get("written_at")
    return Snapshot(items=items, lines=body, written_at=str(written_at) if written_at else None)


def refused(path: Path, why: str) -> SnapshotError:
    """The plain refusal to start from the snapshot in ``path``."""
    return SnapshotError(
        f"The saved local table ({path.name} in the local state folder) {why}, so the local "
        f"stack did not start. {_FRESH_HINT}"
    )
