"""The JSON bodies ``complaints.handlers.api`` writes by hand, as pydantic models: only for
their JSON Schemas in the OpenAPI document (the handler builds plain dicts, so its cold import
stays small). The contract tests check real answers against these schemas, so a field added to
an answer and not here fails a test.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from complaints.models import CaseStatus, Receipt
from complaints.procedures import Outcome

# What the answers carry: no more (``additionalProperties: false``).
_ANSWER = ConfigDict(extra="forbid")


class Problem(BaseModel):
    """A refusal the person can act on: one plain-English message, never what was sent."""

    model_config = _ANSWER

    message: str = Field(min_length=1)


class FieldProblem(BaseModel):
    """One answer to change, with what to do about it."""

    model_config = _ANSWER

    field: str = Field(description="The field's name, as sent.")
    message: str = Field(min_length=1, description="Plain English; never echoes the answer.")


class ValidationErrors(BaseModel):
    """The answers to change, one message per field, in the form's order."""

    model_config = _ANSWER

    errors: list[FieldProblem] = Field(min_length=1)
    advice: str | None = Field(
        default=None,
        description="Safety advice, when the complaint says a child is in danger now.",
    )


class SubmissionReceipt(Receipt):
    """The receipt of a stored complaint (``Receipt``), with safety advice when urgent."""

    advice: str | None = Field(
        default=None,
        description="Safety advice, when the complaint says a child is in danger now.",
    )


class Ombudsman(BaseModel):
    model_config = _ANSWER

    name: str
    website: str


class ResponseLetterSent(BaseModel):
    """When and how the stage response letter went (never its text)."""

    model_config = _ANSWER

    sent_on: date
    sent_by: Literal["email", "post", "phone"]
    sent_again_on: list[date]


class ComplaintStatus(BaseModel):
    """Where a complaint is, for the person who made it (``selfservice.complainant_view``)."""

    model_config = _ANSWER

    reference: str
    procedure: str
    procedure_name: str
    stage: int = Field(ge=1)
    stage_name: str
    final_stage: int = Field(ge=1)
    status: CaseStatus
    received_on: date
    stage_started_on: date
    respond_by: date | None
    responded_on: date | None
    response_letter: ResponseLetterSent | None
    outcome: Outcome | None
    overdue: bool
    on_hold: bool
    closed_on: date | None
    can_escalate: bool
    next_stage: int | None
    ask_next_stage_by: date | None
    what_happens_next: str
    ombudsman: Ombudsman


class EscalationAnswer(ComplaintStatus):
    """Where the complaint is after asking for the next stage."""

    asked: Literal[True]


class EscalationRequest(BaseModel):
    """Asking for the next stage, from the self-service page (JSON or a form post)."""

    token: str = Field(description="The token from the link in the acknowledgement email.")
    reason: str | None = Field(
        default=None,
        description="Why the complainant wants the next stage (optional; kept to 5000 characters).",
    )


class Health(BaseModel):
    model_config = _ANSWER

    status: Literal["ok"]


SCHEMAS: tuple[type[BaseModel], ...] = (
    Problem,
    ValidationErrors,
    SubmissionReceipt,
    ComplaintStatus,
    EscalationAnswer,
    EscalationRequest,
    Health,
)
