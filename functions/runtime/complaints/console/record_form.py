"""The form staff fill in to record a complaint received another way (``/staff/complaints/new``):
its choices, and how its answers become what ``service.recording.record_complaint`` takes.

Only reading happens here: dates from three boxes (``received``, ``child_date_of_birth``), the
two confirmation checkboxes, every text made plain (``complaints.text.plain_text``). The rules
(a future date, an acknowledgement already late, a way to reach them) are the service's;
its ``RecordingError`` names each field, and ``FIELD_IDS`` says where on this page it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

CHANNELS: tuple[tuple[str, str], ...] = (
    ("phone", "Phone"),
    ("letter", "Letter"),
    ("email", "Email"),
    ("in_person", "In person"),
    ("advocate", "From an advocate"),
    ("councillor_or_mp", "Through a councillor or MP"),
)
CONTACT_BY: tuple[tuple[str, str], ...] = (
    ("email", "Email"),
    ("post", "Post"),
    ("phone", "Phone"),
)
TEXT_FIELDS = (
    "complainant_name",
    "email",
    "phone",
    "relationship",
    "connection",
    "child_name",
    "details",
    "outcome_sought",
    "wants_advocate",
    "child_in_danger",
    "service_area",
    "channel",
    "contact_by",
    "address",
    "submission_id",
)
DATE_FIELDS = {"received": "received_on", "child_date_of_birth": "child_date_of_birth"}
# The service's field -> the id on the page the error summary links to.
FIELD_IDS = {
    "received_on": "received-day",
    "child_date_of_birth": "child_date_of_birth-day",
    "confirm_late": "confirm_late",
    "historic": "historic",
    "actor": "main-content",
    "happened_month": "details",
    "happened_year": "details",
}


@dataclass
class RecordAnswers:
    """What the service is given, and the answers this page could not read (field, message:
    the service's field names)."""

    answers: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    received: date | None = None


def read_date(posted: Mapping[str, list[str]], name: str) -> tuple[date | None, str | None]:
    """A GOV.UK date input (``name-day``, ``name-month``, ``name-year``): the date, or why
    not; ``(None, None)`` when all three are blank."""
    from complaints.console.forms import _read_date

    return _read_date(posted, name)


def read_record(posted: Mapping[str, list[str]]) -> RecordAnswers:
    from complaints.text import plain_text

    def first(name: str) -> str:
        return plain_text((posted.get(name) or [""])[0]).strip()

    found = RecordAnswers()
    for name in TEXT_FIELDS:
        value = first(name)
        if name in ("details", "outcome_sought", "address"):
            value = plain_text((posted.get(name) or [""])[0])
        if value.strip():
            found.answers[name] = value
    for box, target in DATE_FIELDS.items():
        day, problem = read_date(posted, box)
        if problem:
            found.errors.append((target, problem))
        elif day is not None:
            found.answers[target] = day.isoformat()
        elif target == "received_on":
            found.errors.append((target, "Enter the date the complaint was received"))
        if target == "received_on":
            found.received = day
    found.answers["confirm_late"] = "yes" in (posted.get("confirm_late") or [])
    found.answers["historic"] = "yes" in (posted.get("historic") or [])
    return found


def merge_errors(
    read: list[tuple[str, str]], service: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """This page's reading errors first for their field, then the service's for the rest,
    in the service's order."""
    mine = dict(read)
    merged = [(f, mine.pop(f)) if f in mine else (f, m) for f, m in service]
    merged.extend(mine.items())
    return merged


def field_id(name: str) -> str:
    return FIELD_IDS.get(name, name)
