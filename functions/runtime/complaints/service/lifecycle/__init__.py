"""The case lifecycle: one state machine, run by the procedure data (``procedures.yaml``) and
one table of which action is allowed in which status (``data/actions.yaml``, read by
``table``). No timescale is written here.

Each transition is a pure function ``(case, act, ...) -> Transition``: it asks the table and
the time rules first (``guard``), works on a copy of the case, and returns the changed case,
the events to append (what, when it happened, when it was recorded, by whom, why), the emails
to send and the escalation checks the case needs from now on. A change that is not allowed
raises ``TransitionError`` with a sentence a member of staff can act on.

One module per group of transitions:

- ``stage``: acknowledge, assign, roles, milestones (the panel's dates), respond;
- ``holds``: extend, hold, resume, and the decision to go on or hold while proceedings run;
- ``requests``: asking for the next stage, and the decision on a late request;
- ``eligibility``: a complaint made late (reg 9(2)), and sufficient interest (s26(3)(e));
- ``recommendations``: recommend, answer, complete;
- ``ombudsman``: a referral and its outcome; advocacy;
- ``contact``: a new self-service link; the front door's safeguarding referral; how the family
  was told, when an email to them did not arrive;
- ``records``: internal notes, calls and meetings, letters posted, case file exports;
- ``closure``: close, and the retention expiry.
"""

from __future__ import annotations

from complaints.service.lifecycle.closure import close, retention_expiry
from complaints.service.lifecycle.common import (
    COMPLAINANT,
    SYSTEM,
    Act,
    Transition,
    TransitionError,
)
from complaints.service.lifecycle.contact import (
    CONTACT_MEANS,
    new_status_link,
    record_contact,
    record_referral,
)
from complaints.service.lifecycle.eligibility import (
    decide_late_complaint,
    decide_sufficient_interest,
    decisions_waiting,
)
from complaints.service.lifecycle.holds import decide_proceedings, extend, hold, resume
from complaints.service.lifecycle.ombudsman import record_advocacy, record_ombudsman
from complaints.service.lifecycle.recommendations import (
    answer_recommendation,
    complete_recommendation,
    recommend,
)
from complaints.service.lifecycle.records import (
    add_note,
    mark_letter_posted,
    record_call,
    record_export,
)
from complaints.service.lifecycle.requests import (
    can_request_next_stage,
    decide_late_request,
    next_stage_deadline,
    request_next_stage,
)
from complaints.service.lifecycle.stage import (
    acknowledge,
    assign,
    assign_roles,
    record_milestone,
    respond,
    send_response_again,
)
from complaints.service.lifecycle.table import Action, allowed_actions, refusal

__all__ = [
    "COMPLAINANT",
    "CONTACT_MEANS",
    "SYSTEM",
    "Act",
    "Action",
    "Transition",
    "TransitionError",
    "acknowledge",
    "add_note",
    "allowed_actions",
    "answer_recommendation",
    "assign",
    "assign_roles",
    "can_request_next_stage",
    "close",
    "complete_recommendation",
    "decide_late_complaint",
    "decide_late_request",
    "decide_proceedings",
    "decide_sufficient_interest",
    "decisions_waiting",
    "extend",
    "hold",
    "mark_letter_posted",
    "new_status_link",
    "next_stage_deadline",
    "recommend",
    "record_advocacy",
    "record_call",
    "record_contact",
    "record_export",
    "record_milestone",
    "record_ombudsman",
    "record_referral",
    "refusal",
    "request_next_stage",
    "respond",
    "resume",
    "retention_expiry",
    "send_response_again",
]
