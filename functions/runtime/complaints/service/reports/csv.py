"""Any report as CSV, with exactly the figures of its JSON (``complaints report ... --json``):
one row per figure, ``figure,value``. A figure's name is its place in the JSON, dotted
(``stages.1.in_time``); a row of a breakdown is named by its ``key`` rather than its place
(``by_channel.phone.count``), so a spreadsheet can look it up. ``flatten`` is the one
definition both sides use, and a test checks the CSV read back equals the JSON flattened.

Exact counts, as staff see them: suppression of small numbers applies to what is published
(``complaints_tools.reports``), not here. No names: the reports hold references at most.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

HEADER = ("figure", "value")


def flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf of a JSON value with its dotted name (lists by ``key`` or ``reference``
    when their items have one, else by position)."""
    if isinstance(value, dict):
        for name, inner in value.items():
            yield from flatten(inner, f"{prefix}.{name}" if prefix else str(name))
        return
    if isinstance(value, list):
        if not value:
            yield prefix, "[]"
            return
        for index, inner in enumerate(value):
            label = (
                inner.get("key", inner.get("reference", index))
                if isinstance(inner, dict)
                else index
            )
            yield from flatten(inner, f"{prefix}.{label}")
        return
    yield prefix, value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def report_csv(report: BaseModel) -> str:
    """The report as CSV (``figure,value``), from its JSON."""
    data = json.loads(report.model_dump_json())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for name, value in flatten(data):
        writer.writerow((name, _guard(_cell(value))))
    return out.getvalue()


def _guard(text: str) -> str:
    """A cell a spreadsheet would run as a formula is written as text (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
