"""The case file: one document holding a whole case (the complaint, every stage and event,
every letter, the notes and calls marked internal) for the Ombudsman or a subject access
request, as JSON and as HTML to print. Exporting it is itself recorded: an event on the case
(``case_file_exported``: who, when, why), on the timeline staff see.

Everything from outside is escaped in the HTML (autoescaped template); the token's hash and
the link hashes are never in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from complaints import clock
from complaints.dates import long_date
from complaints.models import INTERNAL_EVENTS, Case, Event
from complaints.service.case_view import detail
from complaints.service.casework import CaseNotFoundError, CaseStore
from complaints.service.letters import QueuedLetter
from complaints.service.lifecycle import record_export
from complaints.service.lifecycle.table import Action, Role
from complaints.settings import load_settings
from complaints.templating import render

Format = Literal["html", "json"]
NEVER_EXPORTED = frozenset({"token_hash", "link_hashes", "checks_done", "version"})


class CaseFileStore(CaseStore, Protocol):
    def events(self, reference: str) -> list[Event]: ...
    def case_letters(self, reference: str) -> list[QueuedLetter]: ...


@dataclass(frozen=True)
class CaseFile:
    reference: str
    data: dict[str, Any]  # the JSON document
    html: str  # the same, to print


def case_file(
    case: Case,
    events: Sequence[Event],
    letters: Sequence[QueuedLetter],
    *,
    exported_at: datetime,
    exported_by: str,
) -> dict[str, Any]:
    """The whole case as one JSON document (no I/O)."""
    today = clock.received_on(exported_at)
    record = detail(case, events, today)
    for name in NEVER_EXPORTED:
        record.pop(name, None)
    timeline = [
        {**event.model_dump(mode="json", exclude={"reference"}), "internal": _internal(event)}
        for event in events
    ]
    record.pop("events", None)
    return {
        "reference": case.reference,
        "council": load_settings().council.name,
        "exported_at": exported_at.isoformat(),
        "exported_by": exported_by,
        "case": record,
        "events": timeline,
        "letters": [letter.model_dump(mode="json") for letter in letters],
        "notes": [entry for entry in timeline if entry["internal"]],
    }


def _internal(event: Event) -> bool:
    return event.type in INTERNAL_EVENTS


def case_file_html(document: dict[str, Any]) -> str:
    """The case file to print (A4): every section, internal entries marked."""
    exported = datetime.fromisoformat(document["exported_at"])
    return render(
        "casefile.html",
        file=document,
        exported_on=long_date(clock.received_on(exported)),
        subject=f"Case file {document['reference']}",
    )


def export_case(
    store: CaseFileStore,
    reference: str,
    *,
    actor: str,
    role: Role | None,
    purpose: str | None = None,
    now: datetime | None = None,
) -> CaseFile:
    """Record the export on the case (who, when, why), then the whole case as one document,
    that event included."""
    from complaints.service.staffwork import act_on

    present = now or clock.now()
    applied = act_on(
        store,
        reference,
        Action.EXPORT,
        lambda case, act: record_export(case, act, purpose=purpose),
        actor=actor,
        role=role,
        now=present,
    )
    case = applied.transition.case
    if case is None:  # pragma: no cover (change_case raises first)
        raise CaseNotFoundError(reference)
    document = case_file(
        case,
        store.events(reference),
        store.case_letters(reference),
        exported_at=present,
        exported_by=actor.strip(),
    )
    return CaseFile(reference, document, case_file_html(document))
