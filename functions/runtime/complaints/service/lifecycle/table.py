"""The one table that says which action is allowed in which case status, and for which staff
role (``data/actions.yaml``), and the plain sentence that refuses everything else.

Every transition asks ``refuse_unless_allowed`` first; the staff console asks
``allowed_actions`` which forms to offer. No other code decides this.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from complaints.datafiles import load_yaml_model
from complaints.models import Case, CaseStatus
from complaints.service.lifecycle.common import TransitionError, long_date

ACTIONS_FILE = Path(__file__).resolve().parents[2] / "data" / "actions.yaml"

Role = Literal["officer", "manager", "front_door", "auditor"]


class Action(StrEnum):
    """Every action a person can take on a case (the CLI's command names)."""

    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"
    ROLES = "roles"
    EXTEND = "extend"
    HOLD = "hold"
    RESUME = "resume"
    DECIDE_PROCEEDINGS = "decide-proceedings"
    DECIDE_LATE_COMPLAINT = "decide-late-complaint"
    DECIDE_SUFFICIENT_INTEREST = "decide-sufficient-interest"
    RECORD_MILESTONE = "record-milestone"
    RECOMMEND = "recommend"
    ANSWER_RECOMMENDATION = "answer-recommendation"
    RESPOND = "respond"
    ESCALATE = "escalate"
    DECIDE_LATE_REQUEST = "decide-late-request"
    COMPLETE_RECOMMENDATION = "complete-recommendation"
    OMBUDSMAN = "ombudsman"
    NEW_LINK = "new-link"
    RECORD_REFERRAL = "record-referral"
    ADVOCACY = "advocacy"
    RECORD_CONTACT = "record-contact"
    NOTE = "note"
    RECORD_CALL = "record-call"
    MARK_LETTER_POSTED = "mark-letter-posted"
    SEND_RESPONSE_AGAIN = "send-response-again"
    EXPORT = "export"
    CLOSE = "close"


class StaffAction(StrEnum):
    """What staff do that is not an action on one case (no status to allow it in)."""

    RECORD = "record"
    LETTERS = "letters"
    REPORTS = "reports"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ActionRule(_Strict):
    label: str = Field(min_length=3)  # what a button says: starts with the action's verb
    verb: str = Field(min_length=3)  # fits "you cannot {verb} now"
    roles: tuple[Role, ...] = ()
    complainant: bool = False
    statuses: tuple[CaseStatus, ...] = Field(min_length=1)


class StaffRule(_Strict):
    label: str = Field(min_length=3)
    verb: str = Field(min_length=3)
    roles: tuple[Role, ...] = Field(min_length=1)


class ActionTable(_Strict):
    refusals: dict[CaseStatus, str]
    actions: dict[Action, ActionRule]
    staff_actions: dict[StaffAction, StaffRule]

    @model_validator(mode="after")
    def _complete(self) -> ActionTable:
        missing = [a.value for a in Action if a not in self.actions]
        if missing:
            raise ValueError(f"actions missing from the table: {missing}")
        absent = [a.value for a in StaffAction if a not in self.staff_actions]
        if absent:
            raise ValueError(f"staff actions missing from the table: {absent}")
        unsaid = [s.value for s in CaseStatus if s not in self.refusals]
        if unsaid:
            raise ValueError(f"statuses without a refusal: {unsaid}")
        return self


@lru_cache(maxsize=2)
def load_table(path: Path = ACTIONS_FILE) -> ActionTable:
    """Load and check the table: a bad file raises ``DataFileError`` naming the field."""
    return load_yaml_model(path, ActionTable)


def rule(action: Action) -> ActionRule:
    return load_table().actions[action]


def is_allowed(action: Action, status: CaseStatus) -> bool:
    return status in rule(action).statuses


def allowed_actions(case: Case, role: Role | None = None) -> list[Action]:
    """The actions the table allows on ``case`` now (for ``role``, when given), in the
    table's order."""
    table = load_table()
    return [
        action
        for action, found in table.actions.items()
        if case.status in found.statuses and (role is None or role in found.roles)
    ]


def refusal(case: Case, action: Action) -> str:
    """The table's sentence for ``action`` in the case's status."""
    stage = case.stage
    held = stage.holds[-1].started_on if stage.holds else None
    facts: Mapping[str, str] = {
        "verb": rule(action).verb,
        "reference": case.reference,
        "stage": str(stage.number),
        "next_stage": str(stage.number + 1),
        "held_since": long_date(held) if held else "",
        "responded_on": long_date(stage.responded_on) if stage.responded_on else "",
        "closed_on": long_date(case.closed_on) if case.closed_on else "",
    }
    return " ".join(load_table().refusals[case.status].format_map(facts).split())


def refuse_unless_allowed(case: Case, action: Action) -> None:
    """Raise ``TransitionError`` with the table's sentence when ``action`` is not allowed in
    the case's status."""
    if not is_allowed(action, case.status):
        raise TransitionError(refusal(case, action))


def refuse_unless_role(action: Action | StaffAction, role: Role | None) -> None:
    """Raise ``TransitionError`` when ``role`` (a signed-in person's group; ``None`` for the
    command line, run with the operator's own AWS credentials) may not take ``action``."""
    if role is None:
        return
    table = load_table()
    found: ActionRule | StaffRule = (
        table.actions[action] if isinstance(action, Action) else table.staff_actions[action]
    )
    if role not in found.roles:
        raise TransitionError(
            f"Your role ({role.replace('_', ' ')}) cannot {found.verb}: ask a "
            f"{' or '.join(r.replace('_', ' ') for r in found.roles)}."
        )
