"""What staff see of a case: a one-line summary for lists, the full record for one case."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from complaints.models import Case, Event
from complaints.service.deadlines import acknowledge_by, case_deadlines, is_overdue

__all__ = ["detail", "is_overdue", "summary"]


def summary(case: Case, today: date) -> dict[str, Any]:
    """No names or complaint text: a list is for finding cases, not reading them."""
    deadlines = case_deadlines(case)
    return {
        "reference": case.reference,
        "procedure": case.procedure,
        "stage": case.stage_number(),
        "status": case.status.value,
        "urgent": case.urgent,
        "received_on": case.received_on.isoformat(),
        "respond_by": deadlines.respond_by.isoformat(),
        "overdue": is_overdue(case, today),
        "wants_advocate": case.wants_advocate,
        "owner": case.owner,
        "decisions_waiting": [d.kind for d in case.decisions if d.decision is None],
        # an email to the family failed and nobody has recorded how they were told
        "needs_contact": case.needs_contact,
    }


def detail(case: Case, events: Sequence[Event], today: date) -> dict[str, Any]:
    """The whole record with its deadlines and audit trail (never the token hash)."""
    deadlines = case_deadlines(case)
    data: dict[str, Any] = case.model_dump(mode="json", exclude={"token_hash"})
    data.update(
        stage=case.stage_number(),
        respond_by=deadlines.respond_by.isoformat(),
        reminder_on=deadlines.reminder_on.isoformat(),
        acknowledge_by=acknowledge_by(case).isoformat(),
        days_on_hold=deadlines.days_on_hold,
        milestones={
            key: {"name": m.name, "due": m.due.isoformat(), "latest": m.latest.isoformat()}
            for key, m in deadlines.milestones.items()
        },
        overdue=is_overdue(case, today),
        needs_contact=case.needs_contact,
        events=[event.model_dump(mode="json", exclude={"reference"}) for event in events],
    )
    return data
