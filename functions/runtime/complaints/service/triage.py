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

from dataclasses import dataclass

from complaints.service.messages.notices import team_for
from complaints.settings import CouncilSettings
from complaints.submission import Submission

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
