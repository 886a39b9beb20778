"""The case record: a complaint, its stages, recommendations and audit events.

These are plain pydantic models with no AWS in them; ``adapters`` turn them into table items
and back. Personal data lives only in ``Complainant``, ``Child``, ``details`` and
``outcome_sought``: never log a ``Case``, log its ``reference``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from complaints.procedures import Outcome
from complaints.submission import Relationship


class CaseStatus(StrEnum):
    """Where the case as a whole stands (``data/actions.yaml`` says what each allows)."""

    OPEN = "open"  # a stage is running and its clock is ticking
    ON_HOLD = "on_hold"  # clock stopped (court proceedings or a police investigation)
    RESPONDED = "responded"  # the stage has answered; the complainant may ask for the next
    AWAITING_DECISION = "awaiting_decision"  # a late request waits for a staff decision
    CLOSED = "closed"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


# How a complaint arrived: ``online`` (the guide's form or the API), or recorded by staff.
Channel = Literal["online", "phone", "letter", "email", "in_person", "advocate", "councillor_or_mp"]
STAFF_CHANNELS: tuple[str, ...] = (
    "phone",
    "letter",
    "email",
    "in_person",
    "advocate",
    "councillor_or_mp",
)
# How the complainant wants to hear from the council.
ContactBy = Literal["email", "post", "phone"]
CONTACT_BY: tuple[str, ...] = ("email", "post", "phone")


class Complainant(_Model):
    name: str
    email: str | None = None  # optional when they want post (an address) or phone (a number)
    phone: str | None = None
    relationship: Relationship
    contact_by: ContactBy = "email"
    address: str | None = None  # postal address, its lines separated by new lines


class Child(_Model):
    name: str | None = None
    date_of_birth: date | None = None


class EventType(StrEnum):
    """Every kind of line in a case's audit trail."""

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    ROLES_ASSIGNED = "roles_assigned"
    EXTENDED = "extended"
    HELD = "held"
    HOLD_REVIEWED = "hold_reviewed"
    RESUMED = "resumed"
    PROCEEDINGS_DECIDED = "proceedings_decided"
    LATE_COMPLAINT_DECIDED = "late_complaint_decided"
    SUFFICIENT_INTEREST_DECIDED = "sufficient_interest_decided"
    MILESTONE = "milestone"
    RESPONDED = "responded"
    NEXT_STAGE_REQUESTED = "next_stage_requested"
    STAGE_STARTED = "stage_started"
    LATE_REQUEST_DECIDED = "late_request_decided"
    RECOMMENDED = "recommended"
    RECOMMENDATION_ANSWERED = "recommendation_answered"
    RECOMMENDATION_COMPLETED = "recommendation_completed"
    OMBUDSMAN = "ombudsman"
    ADVOCACY = "advocacy"
    CLOSED = "closed"
    STATUS_LINK_SENT = "status_link_sent"  # a new self-service link: the old one stops working
    SAFEGUARDING_REFERRAL = "safeguarding_referral"  # the front door recorded what it did
    CONTACT_RECORDED = "contact_recorded"  # how the family was told what an email said
    NOTE = "note"  # an internal case note: never shown to the complainant
    CALL_OR_MEETING = "call_or_meeting"  # a call or meeting with the family (internal record)
    LETTER_POSTED = "letter_posted"  # a letter to the complainant was posted (or read out)
    RESPONSE_SENT_AGAIN = "response_sent_again"  # the stage response letter sent once more
    CASE_FILE_EXPORTED = "case_file_exported"  # the whole case exported (who, when)
    # written by the system (the escalation checks, delivery reports), never by a person
    REMINDER_SENT = "reminder_sent"
    OVERDUE = "overdue"
    ACKNOWLEDGEMENT_DUE = "acknowledgement_due"
    HOLD_REVIEW_DUE = "hold_review_due"
    DECISION_DUE = "decision_due"
    RECOMMENDATION_OVERDUE = "recommendation_overdue"
    DELIVERED = "delivered"  # an email reached the complainant's mail server
    DELIVERY_FAILED = "delivery_failed"  # an email bounced, drew a complaint or was never sent


# Event types that are internal records: never shown to the complainant.
INTERNAL_EVENTS = frozenset(
    {EventType.NOTE, EventType.CALL_OR_MEETING, EventType.CASE_FILE_EXPORTED}
)

# Event types the system writes (escalation checks, delivery reports): they never bound a
# person's late entry.
SYSTEM_EVENTS = frozenset(
    {
        EventType.REMINDER_SENT,
        EventType.OVERDUE,
        EventType.ACKNOWLEDGEMENT_DUE,
        EventType.HOLD_REVIEW_DUE,
        EventType.DECISION_DUE,
        EventType.RECOMMENDATION_OVERDUE,
        EventType.DELIVERED,
        EventType.DELIVERY_FAILED,
    }
)

HoldGrounds = Literal["court_proceedings", "police_investigation", "other"]


class Hold(_Model):
    """A period the clock stood still (SI 2006/1738 reg 8: proceedings or investigations)."""

    started_on: date
    ended_on: date | None = None
    reason: str  # internal: staff's own words
    grounds: HoldGrounds = "other"  # told to the complainant in plain words
    review_on: date | None = None  # when the hold is next looked at again


DecisionKind = Literal["late_complaint", "sufficient_interest", "proceedings"]


class Decision(_Model):
    """A decision the regulations require, in writing with reasons: a complaint made more
    than 12 months after the matter (reg 9(2)), a person outside the listed groups
    (s26(3)(e): sufficient interest), or going on while proceedings run (reg 8)."""

    kind: DecisionKind
    stage: int = 1
    decision: Literal["accepted", "refused", "hold", "proceed"] | None = None  # None: pending
    reasons: str | None = None
    child_views: str | None = None  # sufficient interest: the child's views, as taken
    grounds: HoldGrounds | None = None  # proceedings: what is running
    decided_on: date | None = None
    decided_by: str | None = None


class LastAction(_Model):
    """The latest event a person recorded on the case: history only moves forward."""

    type: EventType
    at: datetime


ResponseRoute = Literal["email", "post", "phone"]


class ResponseLetter(_Model):
    """The letter that answers a stage: drafted from the council's template, edited by the
    officer, held with the case and sent with the response (by email or post, as the
    complainant prefers). Its text is never shown on the complainant's status page."""

    text: str
    written_by: str
    sent_on: date
    sent_by: ResponseRoute  # how it went: email, post (a letter queued), phone (read out)
    sent_again_on: list[date] = Field(default_factory=list)


class StageRecord(_Model):
    """One stage of one case. Deadlines are derived from the procedure data; the dates
    stored here are what happened."""

    number: int
    started_on: date  # receipt of the complaint, or of the request for this stage
    requested_on: date | None = None  # when the complainant asked (stage 2 and 3)
    statement_agreed_on: date | None = None  # stage 2: written statement of complaint agreed
    acknowledged_on: date | None = None  # the council acknowledged this stage's start
    acknowledgement: str | None = None  # what the council understood the complaint to be
    outcome_understood: str | None = None  # ... and the outcome the complainant seeks
    extended_to: int | None = None  # agreed extension of the response, in working days
    extension_reason: str | None = None
    extension_grounds: str | None = None  # one of the stage's ``extension_reasons`` (data)
    extended_on: date | None = None  # when the (latest) extension was agreed
    actual: dict[str, date] = Field(default_factory=dict)  # milestone id -> date it happened
    holds: list[Hold] = Field(default_factory=list)
    respond_by: date | None = None  # cached from the deadlines service for indexes and views
    responded_on: date | None = None
    outcome: Outcome | None = None
    themes: list[str] = Field(default_factory=list)
    learning: str | None = None
    corrective_actions: list[str] = Field(default_factory=list)
    roles: dict[str, str] = Field(default_factory=dict)  # e.g. investigating_officer -> name
    owner: str | None = None  # the case owner when the stage was answered
    responded_by: str | None = None  # who recorded the response
    late_request: bool = False
    late_request_decision: str | None = None  # staff's recorded reasons
    response_letter: ResponseLetter | None = None  # the letter that answered the stage

    @property
    def on_hold(self) -> bool:
        return bool(self.holds) and self.holds[-1].ended_on is None

    @property
    def responded_in_time(self) -> bool | None:
        """Whether the response met the deadline (``None`` while the stage is open)."""
        if self.responded_on is None or self.respond_by is None:
            return None
        return self.responded_on <= self.respond_by

    @property
    def handled_by(self) -> frozenset[str]:
        """Everyone who handled the stage (owner, role holders, who answered), case-folded."""
        people = {self.owner, self.responded_by, *self.roles.values()}
        return frozenset(p.strip().casefold() for p in people if p and p.strip())


class StageRequest(_Model):
    """The complainant asked for the next stage. A late request is never refused
    automatically: it waits for a staff decision with reasons (GBFC; SI 2006/1738 reg 18)."""

    stage: int  # the stage asked for
    requested_on: date
    by: str  # "complainant" or the staff member who recorded it
    reason: str | None = None
    late: bool = False  # asked after the window of ``request_next_within``
    decision: Literal["accepted", "refused"] | None = None  # late requests only
    decision_reasons: str | None = None
    decided_on: date | None = None
    decided_by: str | None = None


class Recommendation(_Model):
    """A stage 2 or 3 recommendation, tracked to completion (the Waltham Forest failure)."""

    id: str
    stage: int
    text: str
    owner: str
    due_on: date
    response: Literal["accepted", "rejected"] | None = None
    action: str | None = None  # what the council will do, when accepted
    reasons: str | None = None  # why, when rejected
    answered_on: date | None = None
    completed_on: date | None = None

    def overdue(self, today: date) -> bool:
        """Not rejected, and past its due date without being done (or done after it)."""
        if self.response == "rejected":
            return False
        done = self.completed_on
        return done > self.due_on if done is not None else today > self.due_on


ContactMeans = Literal["phone", "letter", "in_person", "email", "advocate", "other"]


class Undelivered(_Model):
    """An email to the complainant that did not reach them (it bounced, was marked as spam, or
    could never be sent): until staff record how the family was told, the case needs contact.
    Holds no address: the case has it."""

    message: str  # the outbox item (``acknowledgement#s1``, ``notice#v3-...``)
    kind: str  # acknowledgement, notice_responded ...: what the family did not get
    failed_at: datetime
    reason: str  # bounce, complaint, reject, not_sent, permanent_failure ...
    told_on: date | None = None  # staff recorded how the family was told
    told_by: ContactMeans | None = None


class OmbudsmanReferral(_Model):
    referred_on: date
    outcome: str | None = None  # e.g. not investigated, fault found, no fault
    remedy: str | None = None
    decided_on: date | None = None  # when the Ombudsman gave its outcome


class Case(_Model):
    reference: str
    procedure: str
    status: CaseStatus = CaseStatus.OPEN
    urgent: bool = False
    received_at: datetime  # aware, UTC
    received_on: date  # Europe/London date of receipt: day 0 of the clock
    complainant: Complainant
    child: Child
    details: str
    happened_in: str | None = None  # "YYYY-MM": when the matter happened, if they said
    connection: str | None = None  # relationship "other": their connection to the child
    channel: Channel = "online"  # how it arrived: the guide's form or API, or staff's record
    recorded_at: datetime | None = None  # when staff entered it (None: as it arrived, online)
    recorded_by: str | None = None  # who entered it (a complaint received another way)
    historic: bool = False  # back-entered: no acknowledgement, no late notices from before
    outcome_sought: str | None = None
    service_area: str | None = None
    wants_advocate: bool = False
    advocacy_provided: bool = False
    owner: str | None = None
    token_hash: str
    # Hashes of the links in later emails (``service.selfservice.issue_links``): each opens
    # the same page as the acknowledgement's link; never the tokens themselves.
    link_hashes: list[str] = Field(default_factory=list)
    stages: list[StageRecord]
    recommendations: list[Recommendation] = Field(default_factory=list)
    requests: list[StageRequest] = Field(default_factory=list)  # asks for the next stage
    decisions: list[Decision] = Field(default_factory=list)
    ombudsman: OmbudsmanReferral | None = None
    compensation_pence: int = Field(default=0, ge=0)
    acknowledged_on: date | None = None
    closed_on: date | None = None
    closure_reason: str | None = None  # e.g. withdrawn; None for an ordinary closure
    last_action: LastAction | None = None  # the latest event a person recorded
    undelivered: list[Undelivered] = Field(default_factory=list)  # emails the family never got
    checks_done: list[str] = Field(default_factory=list)  # ids of escalation checks that ran
    expires_at: int | None = None  # epoch seconds: DynamoDB TTL, set at closure
    version: int = 0  # optimistic locking: every save checks and bumps it
    demo: bool = False  # synthetic case from `complaints demo seed`: never a real complaint

    @property
    def stage(self) -> StageRecord:
        """The current (latest) stage."""
        return self.stages[-1]

    def stage_number(self) -> int:
        return self.stages[-1].number

    @property
    def pending_request(self) -> StageRequest | None:
        """A late request for the next stage still waiting for a staff decision."""
        if self.requests and self.requests[-1].late and self.requests[-1].decision is None:
            return self.requests[-1]
        return None

    def pending_decision(self, kind: DecisionKind) -> Decision | None:
        """The decision of ``kind`` still to be made, if any."""
        for found in self.decisions:
            if found.kind == kind and found.decision is None:
                return found
        return None

    @property
    def needs_contact(self) -> bool:
        """An email to the complainant failed and nobody has yet recorded how they were told
        (the caseload's flag)."""
        return any(message.told_on is None for message in self.undelivered)

    def recommendation(self, rec_id: str) -> Recommendation:
        for rec in self.recommendations:
            if rec.id == rec_id:
                return rec
        raise KeyError(rec_id)


class Event(_Model):
    """One line of the audit trail: what, when (it happened, and when it was written down), by
    whom, why. No complaint text in ``data``."""

    reference: str
    type: EventType
    at: datetime  # effective: when it happened (a late entry is back-dated)
    recorded_at: datetime  # when it was written down: the clock's, never typed
    by: str  # "complainant", "system", or the staff member's name
    reason: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class Receipt(_Model):
    """What the API returns for a complaint it has stored."""

    reference: str
    procedure: str
    stage: int
    received_on: date
    respond_by: date
    acknowledge_by: date
    urgent: bool = False
