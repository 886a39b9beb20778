"""Storing and scheduling escalation checks: what a check item and its one-time schedule
need, and the checks a new complaint starts with.

The checks themselves are planned by ``service.schedule`` (the lifecycle's planner): for a new
case, its first stage's reminder (09:00 London on the reminder day) and deadline (the first
moment after the deadline day). A check's ``id`` (``<stage>#<subject>#<kind>#<date>``) carries
the date it is about, so a deadline that moves is a new check. Intake stores one check item per
check (the ``ByDueDate`` index, for the daily sweep) and the outbox worker turns each into an
EventBridge Scheduler one-time schedule.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from complaints.models import Case
from complaints.service.schedule import PlannedCheck, checks_needed

__all__ = ["Check", "PlannedCheck", "plan_checks", "schedule_name", "schedule_payload"]


class Check(Protocol):
    """What storing and scheduling a check needs (any planner's checks will do)."""

    @property
    def due_at(self) -> datetime: ...
    @property
    def stage(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def id(self) -> str: ...


def schedule_name(reference: str, check: Check) -> str:
    """Deterministic; at most 64 of ``[0-9A-Za-z-_.]`` (EventBridge Scheduler's rule)."""
    name = f"{reference}-{check.id.replace('#', '-')}"
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
    return safe[:64]


def schedule_payload(reference: str, check: Check) -> dict[str, str | int]:
    """What the escalation-check handler receives when the schedule fires."""
    return {
        "reference": reference,
        "check": check.id,
        "kind": check.kind,
        "stage": check.stage,
        "due_at": check.due_at.astimezone(UTC).isoformat(),
    }


def plan_checks(case: Case) -> list[PlannedCheck]:
    """The checks a new case needs (its first stage's reminder and deadline), earliest first:
    the lifecycle's planner (``service.schedule``), so the rule lives in one place."""
    return list(checks_needed(case))
