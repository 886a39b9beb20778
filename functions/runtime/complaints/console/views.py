"""What the console's pages show of a case, as plain values for the templates: summary list
rows, the deadlines with working days left and the regulation each comes from, the stages,
recommendations, the timeline, caseload rows. Dates in words (``complaints.dates``); every
value is text (the templates autoescape it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from complaints.clock import LONDON, working_days_between
from complaints.dates import day_and_date, long_date
from complaints.models import INTERNAL_EVENTS, Case, CaseStatus, Event, EventType
from complaints.service.staff.access import AccessEntry

STATUS_TAGS: dict[str, tuple[str, str]] = {
    "open": ("Open", "govuk-tag--blue"),
    "on_hold": ("On hold", "govuk-tag--yellow"),
    "responded": ("Responded", "govuk-tag--green"),
    "awaiting_decision": ("Decision needed", "govuk-tag--orange"),
    "closed": ("Closed", "govuk-tag--grey"),
}


def words(code: str | None) -> str:
    return (code or "").replace("_", " ").capitalize()


def when(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    return f"{long_date(local.date())} at {local.strftime('%H:%M')}"


def row(key: str, value: str | None) -> dict[str, Any]:
    return {"key": {"text": key}, "value": {"text": value if value else "Not given"}}


def days_left(due: date, today: date) -> tuple[str, bool, int]:
    """Working days left (or overdue by), whether it is late, and a sort value."""
    if due >= today:
        left = working_days_between(today, due)
        return (f"{left} working day{'s' if left != 1 else ''} left", False, left)
    late = working_days_between(due, today)
    return (f"Overdue by {late} working day{'s' if late != 1 else ''}", True, -late)


def caseload_row(case: Case, today: date) -> dict[str, Any]:
    from complaints.service.deadlines import is_overdue
    from complaints.service.staff.caseload import next_due

    text, css = STATUS_TAGS[case.status.value]
    if case.status is CaseStatus.OPEN:
        days_text, _late, sort = days_left(next_due(case), today)
        overdue = is_overdue(case, today)
    else:
        days_text, overdue, sort = (
            ("Clock stopped" if case.status is CaseStatus.ON_HOLD else "-"),
            False,
            10_000,
        )
    return {
        "reference": case.reference,
        "complainant": case.complainant.name,
        "stage": case.stage_number(),
        "status_text": text,
        "status_class": css,
        "days_text": days_text,
        "days_sort": sort,
        "overdue": overdue,
        "owner": case.owner,
        "urgent": case.urgent,
        # an email to the family did not arrive and nobody has recorded how they were told
        "needs_contact": case.needs_contact,
    }


def deadlines(case: Case, today: date) -> list[dict[str, Any]]:
    from complaints.procedures import get_procedure
    from complaints.service.deadlines import acknowledge_by, deadlines_for

    stage = case.stage
    found = deadlines_for(get_procedure(case.procedure), stage)
    rows: list[dict[str, Any]] = []
    if stage.acknowledged_on is None and case.status is not CaseStatus.CLOSED:
        due = acknowledge_by(case)
        left, late, _ = days_left(due, today)
        window = get_procedure(case.procedure).stage(stage.number).acknowledge_within
        rows.append(
            {
                "name": "Acknowledge",
                "due": day_and_date(due),
                "left": left,
                "late": late,
                "citation": window.citation
                if window is not None
                else "The council's own promise (no statutory figure in England)",
            }
        )
    for key, milestone in found.milestones.items():
        done = stage.actual.get(key) or (stage.responded_on if key == "response" else None)
        if done:
            left, late = f"Done on {long_date(done)}", False
        elif stage.on_hold:
            left, late = "Clock stopped (on hold)", False
        else:
            left, late, _ = days_left(milestone.due, today)
        extended = (
            f" (can be extended to {day_and_date(milestone.latest)})"
            if milestone.latest != milestone.due and not done
            else ""
        )
        rows.append(
            {
                "name": milestone.name,
                "due": day_and_date(milestone.due) + extended,
                "left": left,
                "late": late,
                "citation": milestone.citation,
            }
        )
    return rows


def complaint_rows(case: Case) -> list[dict[str, Any]]:
    from complaints.settings import load_settings

    area = None
    if case.service_area:
        try:
            area = load_settings().service_area(case.service_area).label
        except KeyError:
            area = case.service_area
    return [
        row("What they wrote", case.details),
        row("Outcome they want", case.outcome_sought),
        row("When it happened", case.happened_in),
        row("About", area),
        row("Received", day_and_date(case.received_on)),
        row("How it arrived", words(case.channel)),
        row("Advocate asked for", "Yes" if case.wants_advocate else "No"),
        row("Advocate helped", "Yes" if case.advocacy_provided else "No"),
        row("Owner", case.owner or "Unassigned"),
        row("Decisions waiting", ", ".join(_waiting(case)) or "None"),
    ]


def _waiting(case: Case) -> list[str]:
    found = [words(d.kind) for d in case.decisions if d.decision is None]
    if case.pending_request is not None:
        found.append(f"A late request for stage {case.pending_request.stage}")
    return found


def person_rows(case: Case) -> list[dict[str, Any]]:
    from complaints.submission import RELATIONSHIP_LABELS

    person = case.complainant
    rows = [
        row("Name", person.name),
        row(
            "Relationship to the child",
            RELATIONSHIP_LABELS.get(person.relationship, words(person.relationship)),
        ),
        row("Email", person.email),
        row("Phone", person.phone),
    ]
    if case.connection:
        rows.insert(2, row("Their connection", case.connection))
    return rows


def child_rows(case: Case) -> list[dict[str, Any]]:
    born = case.child.date_of_birth
    return [row("Name", case.child.name), row("Date of birth", long_date(born) if born else None)]


def stage_views(case: Case) -> list[dict[str, Any]]:
    from complaints.procedures import get_procedure

    procedure = get_procedure(case.procedure)
    shown = []
    for stage in case.stages:
        data = procedure.stage(stage.number)
        rows = [
            row("Started", day_and_date(stage.started_on)),
            row(
                "Acknowledged", long_date(stage.acknowledged_on) if stage.acknowledged_on else None
            ),
            row("What was agreed", stage.acknowledgement),
            row(
                "Extended to",
                f"{stage.extended_to} working days: {stage.extension_reason}"
                if stage.extended_to
                else None,
            ),
            row(
                "Holds",
                "; ".join(
                    f"{words(h.grounds)} from {long_date(h.started_on)}"
                    + (f" to {long_date(h.ended_on)}" if h.ended_on else " (still on hold)")
                    for h in stage.holds
                )
                or None,
            ),
            row("Roles", "; ".join(f"{words(r)}: {n}" for r, n in stage.roles.items()) or None),
            row("Responded", long_date(stage.responded_on) if stage.responded_on else None),
            row("Outcome", words(stage.outcome) if stage.outcome else None),
            row(
                "Responded in time",
                None
                if stage.responded_in_time is None
                else ("Yes" if stage.responded_in_time else "No"),
            ),
        ]
        shown.append({"number": stage.number, "name": data.name, "rows": rows})
    return shown


def recommendation_views(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "id": rec.id,
            "rows": [
                row("Recommendation", rec.text),
                row("Owner", rec.owner),
                row("Due", long_date(rec.due_on)),
                row("Answer", words(rec.response) if rec.response else "Not answered yet"),
                row("What the council will do", rec.action),
                row("Reasons", rec.reasons),
                row("Done", long_date(rec.completed_on) if rec.completed_on else None),
            ],
        }
        for rec in case.recommendations
    ]


def timeline(events: Sequence[Event]) -> list[dict[str, Any]]:
    """Newest first (MoJ timeline): what, by whom, when it happened, and when it was written
    down when that was later (a late entry)."""
    items = []
    for found in reversed(list(events)):
        late = abs((found.recorded_at - found.at).total_seconds()) >= 60
        items.append(
            {
                "title": words(found.type.value),
                "by": found.by,
                "at": when(found.at),
                "at_iso": found.at.isoformat(),
                "recorded": when(found.recorded_at) if late else None,
                "recorded_iso": found.recorded_at.isoformat(),
                "description": found.reason,
                "internal": found.type in INTERNAL_EVENTS,
                "details": event_details(found),
            }
        )
    return items


def event_details(found: Event) -> str | None:
    """What a casework event adds to its title: a call's kind, who with and who called; a
    letter's way and day. Plain text (the template escapes it)."""
    from complaints.console.forms import CALL_WORDS, LETTER_WORDS

    data = found.data
    if found.type is EventType.CALL_OR_MEETING:
        parts = [CALL_WORDS.get(str(data.get("means")), words(str(data.get("means") or "")))]
        if data.get("with_whom"):
            parts.append(f"with {data['with_whom']}")
        parts.append(CALL_WORDS.get(str(data.get("direction")), "").lower())
        return ", ".join(p for p in parts if p)
    if found.type is EventType.LETTER_POSTED:
        how = LETTER_WORDS.get(str(data.get("how")), "Posted")
        kind = words(str(data.get("letter_kind") or "").replace("notice_", ""))
        return f"{how}: {kind or 'a letter'}"
    return None


def access_rows(entries: Sequence[AccessEntry]) -> list[dict[str, Any]]:
    return [
        {
            "at": when(e.at),
            "at_iso": e.at.isoformat(),
            "by": e.by,
            "username": e.username,
            "kind": e.kind,
            "what": e.what,
            "channel": "Command line" if e.channel == "cli" else "Console",
        }
        for e in entries
    ]
