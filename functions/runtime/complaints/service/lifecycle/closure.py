"""Closing a case: once its stage has answered and every recommendation has an answer, or at
any point when the complainant withdraws (with a reason). Closing sets when the record
expires (``retention_years_after_closure``, DynamoDB TTL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from complaints.models import Case, CaseStatus, EventType
from complaints.service.lifecycle.common import (
    Act,
    Transition,
    TransitionError,
    done,
    event,
    optional,
    required,
)
from complaints.service.lifecycle.guard import begin
from complaints.service.lifecycle.table import Action
from complaints.settings import load_settings


def retention_expiry(closed_on: date, years: int) -> int:
    """Epoch seconds (DynamoDB TTL) ``years`` after closure; 29 February becomes 28."""
    try:
        until = closed_on.replace(year=closed_on.year + years)
    except ValueError:
        until = closed_on.replace(year=closed_on.year + years, day=28)
    return int(datetime(until.year, until.month, until.day, tzinfo=UTC).timestamp())


def shut(case: Case, act: Act, closure_reason: str | None) -> int:
    """Mark ``case`` closed on ``act``'s date (ending any hold); the retention years."""
    if case.stage.on_hold:
        case.stage.holds[-1].ended_on = act.day
    case.status = CaseStatus.CLOSED
    case.closed_on = act.day
    case.closure_reason = closure_reason
    years = load_settings().retention_years_after_closure
    case.expires_at = retention_expiry(act.day, years)
    return years


def close(
    case: Case, act: Act, *, reason: str | None = None, withdrawn: bool = False
) -> Transition:
    """Close the case once its stage has answered and every recommendation has an answer.
    A withdrawn complaint may close at any point, with a reason."""
    new = begin(case, Action.CLOSE, act)
    waiting = [r for r in new.recommendations if r.response is None]
    if waiting:
        raise TransitionError(
            "Every recommendation needs an answer (accept with an action, or reject with "
            f"reasons) before the case can close: {', '.join(r.id for r in waiting)} not "
            "answered yet."
        )
    why = optional(reason)
    if withdrawn:
        why = required(reason, "Give the reason the complaint was withdrawn.")
    elif new.status != CaseStatus.RESPONDED:
        raise TransitionError(
            f"Stage {new.stage_number()} has not been answered yet. Record the response first, "
            "or close the case as withdrawn, with a reason."
        )
    years = shut(new, act, "withdrawn" if withdrawn else None)
    written = event(new, EventType.CLOSED, act, why, withdrawn=withdrawn, retention_years=years)
    return done(new, [written])
