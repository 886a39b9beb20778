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
    extended_to: int | None = None  # agreed extension of the response, in working days
    extension_reason: str | None = None
    actual: dict[str, date] = Field(default_factory=dict)  # milestone id -> date it happened
    holds: list[Hold] = Field(default_factory=list)
    respond_by: date | None = None  # cached from the deadlines service for indexes and views
    responded_on: date | None = None
    outcome: Outcome | None = None
    themes: list[str] = Field(default_factory=list)
    learning: str | None = None
    corrective_actions: list[str] = Field(default_factory=list)
    roles: dict[str, str] = Field(default_factory=dict)  # e.g. investigating_officer -> name
    overdue: bool = False
    late_request: bool = False
    late_request_decision: str | None = None  # staff's recorded reasons


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
    completed_on: date | None = None
    overdue: bool = False


class OmbudsmanReferral(_Model):
    referred_on: date
    outcome: str | None = None  # e.g. not investigated, fault found, no fault
    remedy: str | None = None


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
    ombudsman: OmbudsmanReferral | None = None
    compensation_pence: int = 0
    acknowledged_on: date | None = None
    closed_on: date | None = None
    expires_at: int | None = None  # epoch seconds: DynamoDB TTL, set at closure
    version: int = 0  # optimistic locking: every save checks and bumps it
    demo: bool = False  # synthetic case from `complaints demo seed`: never a real complaint

    @property
    def stage(self) -> StageRecord:
        """The current (latest) stage."""
        return self.stages[-1]

    def stage_number(self) -> int:
        return self.stages[-1].number


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
