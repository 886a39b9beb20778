"""What staff see of a case: a one-line summary for lists, the full record for one case."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from complaints.models import Case, CaseStatus, Event
from complaints.service.deadlines import acknowledge_by, case_deadlines


def is_overdue(case: Case, today: date) -> bool:
    """An open stage past its response deadline (a stage on hold has its clock stopped)."""
    if case.status is not CaseStatus.OPEN:
        return False
    return case.stage.overdue or case_deadlines(case).respond_by < today


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
    }


def detail(case: Case, events: Sequence[Event], today: date) -> dict[str, Any]:
    """The whole record with its deadlines and audit trail (never the token hash)."""
    deadlines = case_deadlines(case)
    data: dict[str, Any] = case.model_dump(mode="json", exclude={"token_hash"})
    data.update(
        stage=case.stage_number(),
        respond_by=deadlines.respond_by.isoformat(),
        reminder_on=deadlines.reminder_on.isoformat(),
        acknowledge_by=acknowledge_by(case.received_on).isoformat(),
        days_on_hold=deadlines.days_on_hold,
        milestones={
            key: {"name": m.name, "due": m.due.isoformat(), "latest": m.latest.isoformat()}
            for key, m in deadlines.milestones.items()
        },
        overdue=is_overdue(case, today),
        events=[event.model_dump(mode="json", exclude={"reference"}) for event in events],
    )
    return data
