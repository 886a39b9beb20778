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

from complaints.submission import Relationship

Outcome = Literal["upheld", "partly_upheld", "not_upheld", "resolved"]


class CaseStatus(StrEnum):
    """Where the case as a whole stands."""

    OPEN = "open"  # a stage is running and its clock is ticking
    ON_HOLD = "on_hold"  # clock stopped (court proceedings or a police investigation)
    RESPONDED = "responded"  # the stage has answered; the complainant may ask for the next
    AWAITING_DECISION = "awaiting_decision"  # a late request waits for a staff decision
    CLOSED = "closed"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Complainant(_Model):
    name: str
    email: str
    phone: str | None = None
    relationship: Relationship


class Child(_Model):
    name: str | None = None
    date_of_birth: date | None = None


class Hold(_Model):
    """A period the clock stood still (SI 2006/1738 reg 8: proceedings or investigations)."""

    started_on: date
    ended_on: date | None = None
    reason: str


class StageRecord(_Model):
    """One stage of one case. Deadlines are derived from the procedure data; the dates
    stored here are what happened."""

    number: int
    started_on: date  # receipt of the complaint, or of the request for this stage
    requested_on: date | None = None  # when the complainant asked (stage 2 and 3)
    statement_agreed_on: date | None = None  # stage 2: written statement of complaint agreed
    acknowledged_on: date | None = None  # the council acknowledged this stage's start
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
    overdue: bool = False  # a deadline of this stage was missed (stays true once set)
    late_request: bool = False
    late_request_decision: str | None = None  # staff's recorded reasons

    @property
    def on_hold(self) -> bool:
        return bool(self.holds) and self.holds[-1].ended_on is None

    @property
    def responded_in_time(self) -> bool | None:
        """Whether the response met the deadline (``None`` while the stage is open)."""
        if self.responded_on is None or self.respond_by is None:
            return None
        return self.responded_on <= self.respond_by


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
    overdue: bool = False


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
    outcome_sought: str | None = None
    service_area: str | None = None
    wants_advocate: bool = False
    advocacy_provided: bool = False
    owner: str | None = None
    token_hash: str
    stages: list[StageRecord]
    recommendations: list[Recommendation] = Field(default_factory=list)
    requests: list[StageRequest] = Field(default_factory=list)  # asks for the next stage
    ombudsman: OmbudsmanReferral | None = None
    compensation_pence: int = 0
    acknowledged_on: date | None = None
    closed_on: date | None = None
    closure_reason: str | None = None  # e.g. withdrawn; None for an ordinary closure
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

    def recommendation(self, rec_id: str) -> Recommendation:
        for rec in self.recommendations:
            if rec.id == rec_id:
                return rec
        raise KeyError(rec_id)


class Event(_Model):
    """One line of the audit trail: what, when, by whom, why. No complaint text in ``data``."""

    reference: str
    type: str  # e.g. received, acknowledged, responded, extended, escalated, overdue
    at: datetime
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
