"""Triage: which procedure a complaint belongs to, and whether a child may be in danger now.

Choosing the wrong procedure is one of the Ombudsman's common findings. The council's
``service_areas`` (``council.yaml``) map the service a complaint is about to a procedure:
children's social care to the statutory Children Act 1989 procedure (s26; SI 2006/1738),
education, SEND and other services to the council's corporate procedure. When the person does
not say, the statutory procedure applies: it is the one that protects the child most, and
staff can still move the case.

A safeguarding concern is not a complaint to wait on: a submission saying a child is in danger
now is still stored, but marked urgent; the team's safeguarding contact is alerted at once and
the reply tells the person to call 999 or the children's services front door.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from complaints.models import Decision
from complaints.procedures import Procedure, get_procedure
from complaints.service.messages.notices import team_for
from complaints.settings import CouncilSettings
from complaints.submission import Relationship, Submission

STATUTORY_PROCEDURE = "children-act-1989"


@dataclass(frozen=True)
class Triage:
    procedure: str
    urgent: bool
    team_email: str  # who gets the new-case alert


def triage(submission: Submission, settings: CouncilSettings) -> Triage:
    """Decide the procedure and urgency of a valid submission."""
    if submission.service_area:
        procedure = settings.service_area(submission.service_area).procedure
    else:
        procedure = STATUTORY_PROCEDURE
    return Triage(
        procedure=procedure,
        urgent=submission.child_in_danger == "yes",
        team_email=team_for(procedure, settings),
    )


def safety_advice(settings: CouncilSettings) -> str:
    """What to tell a person who says a child is in danger now (plain words, real numbers)."""
    door = settings.council.children_services_front_door
    return (
        "If a child is in danger now, call 999. "
        f"To talk to someone about a child's safety, call the {door.name} on {door.phone} "
        f"({door.hours}), or {door.out_of_hours_phone} at other times. "
        "We have told our safeguarding team about your message."
    )


def time_limit_ends(procedure: Procedure, happened_in: str) -> date:
    """The last day to complain in time about a matter in the month ``happened_in``
    (``YYYY-MM``): the end of the month ``months`` later (reg 9(1): within a year). Counting
    to the month's end gives the complainant the benefit of the doubt over the day."""
    year, month = (int(part) for part in happened_in.split("-"))
    months = procedure.time_limit_to_complain.months
    index = year * 12 + (month - 1) + months
    end_year, end_month = divmod(index, 12)
    end_month += 1
    return date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])


def decisions_waiting(
    procedure_id: str,
    received_on: date,
    relationship: Relationship,
    happened_in: str | None,
) -> list[Decision]:
    """The eligibility decisions a new complaint waits for."""
    waiting: list[Decision] = []
    if happened_in and received_on > time_limit_ends(get_procedure(procedure_id), happened_in):
        waiting.append(Decision(kind="late_complaint"))
    statutory = get_procedure(procedure_id).statutory
    if statutory and relationship is Relationship.OTHER:
        waiting.append(Decision(kind="sufficient_interest"))
    return waiting
