"""Cases and acts for the lifecycle tests, built without AWS."""

from __future__ import annotations

from datetime import date, datetime

from complaints.clock import start_of_day
from complaints.models import Case, Child, Complainant
from complaints.service.deadlines import case_deadlines
from complaints.service.lifecycle import Act
from complaints.submission import Relationship

STAFF = "jo.adams@example.gov.uk"
# A stage response letter (``lc.respond`` needs one).
LETTER = "Dear Sam,\n\nOur answer to each part of your complaint."
OTHER_STAFF = "kim.lee@example.gov.uk"


def at(day: date, hour: int = 10) -> datetime:
    """An aware London datetime on ``day``."""
    return start_of_day(day, hour)


def act(day: date, hour: int = 10, *, by: str = STAFF, recorded: date | None = None) -> Act:
    """``by`` acting on ``day`` (at ``hour``), recorded then, or on ``recorded`` (a late
    entry, recorded at 17:00 that day)."""
    when = at(day, hour)
    return Act(by, when, at(recorded, 17) if recorded else when)


def new_case(
    received: date = date(2025, 1, 6),
    procedure: str = "children-act-1989",
    ref: str = "CX7K2M",
    relationship: Relationship = Relationship.PARENT,
) -> Case:
    case = Case(
        reference=ref,
        procedure=procedure,
        received_at=at(received),
        received_on=received,
        complainant=Complainant(
            name="Sam Example", email="sam@example.org", relationship=relationship
        ),
        child=Child(name="Alex Example"),
        details="Visits keep being cancelled.",
        token_hash="0" * 64,
        stages=[{"number": 1, "started_on": received}],  # type: ignore[list-item]
    )
    case.stage.respond_by = case_deadlines(case).respond_by
    return case
