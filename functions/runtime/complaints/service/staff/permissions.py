"""Who may see and do what: roles (Cognito groups) checked here, in the service layer, not
only in templates. Deny by default: everything not granted below is refused.

- ``officer``: sees every case (children's and corporate) and acts on it as the action table
  allows the role;
- ``manager``: as an officer, and also the manager's actions of the table (assign, decide,
  close), reassigning a leaver's cases, and adding and removing staff;
- ``front_door``: urgent safeguarding cases only: reads them and records the referral;
- ``auditor``: reads every case and the access log, changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, get_args

from complaints.models import Case
from complaints.service.lifecycle.table import Action, Role, StaffAction, allowed_actions

ROLES: tuple[Role, ...] = get_args(Role)
T = TypeVar("T")
ROLE_NAMES: dict[str, str] = {
    "officer": "Complaints officer",
    "manager": "Complaints manager",
    "front_door": "Children's services front door",
    "auditor": "Auditor",
}


class NotAllowedError(PermissionError):
    """The signed-in person may not see or do this. The message never names a case's
    contents; the console answers it as "page not found" (it does not confirm a case)."""


@dataclass(frozen=True)
class Staff:
    """A signed-in member of staff, from their verified ID token."""

    username: str  # the pool's username (stable)
    name: str  # what the audit trail records: their name, never "root"
    email: str  # their work email: what a case's owner is
    roles: frozenset[Role]

    @classmethod
    def from_groups(cls, username: str, name: str, email: str, groups: list[str]) -> Staff:
        """Only the groups that are roles count; any other group grants nothing."""
        known = frozenset(r for r in ROLES if r in groups)
        return cls(username=username, name=name or username, email=email, roles=known)

    def has(self, role: Role) -> bool:
        return role in self.roles

    @property
    def signed_in_as(self) -> str:
        """Plain words for the header: their roles."""
        return ", ".join(ROLE_NAMES[r] for r in ROLES if r in self.roles) or "No role"


def can_use_console(staff: Staff) -> bool:
    return bool(staff.roles)


def can_view(staff: Staff, case: Case) -> bool:
    """Officers, managers and auditors see every case; the front door only urgent ones."""
    if staff.roles & {"officer", "manager", "auditor"}:
        return True
    return staff.has("front_door") and case.urgent


def require_view(staff: Staff, case: Case) -> None:
    if not can_view(staff, case):
        raise NotAllowedError("not allowed to see this case")


def actions_for(staff: Staff, case: Case) -> list[Action]:
    """The actions this person may take on the case now, in the table's order: the table's
    actions for any of their roles, where that role may see the case. Auditors get none."""
    allowed: set[Action] = set()
    for role in staff.roles:
        if role == "front_door" and not case.urgent:
            continue
        allowed.update(allowed_actions(case, role))
    return [action for action in allowed_actions(case) if action in allowed]


def may_act(staff: Staff, case: Case, action: Action) -> bool:
    """Whether this person may take ``action`` on the case *in some status*: the role and the
    case decide here; the lifecycle then says whether the status allows it (its refusal is
    the sentence shown)."""
    from complaints.service.lifecycle.table import rule

    for role in staff.roles:
        if role == "front_door" and not case.urgent:
            continue
        if role in rule(action).roles:
            return True
    return False


def require_action(staff: Staff, case: Case, action: Action) -> None:
    """Refuse unless the person's role may take ``action`` on this case at all."""
    require_view(staff, case)
    if not may_act(staff, case, action):
        raise NotAllowedError("not allowed to take this action")


def can_read_access_log(staff: Staff) -> bool:
    return staff.has("auditor")


def can_manage_staff(staff: Staff) -> bool:
    return staff.has("manager")


def require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowedError("not allowed")


def role_for(staff: Staff, action: Action | StaffAction) -> Role:
    """The person's role the action table grants ``action`` to (the service functions take
    one role; a person in several acts in the first that may). Refuses when none may."""
    from complaints.service.lifecycle.table import load_table

    table = load_table()
    granted = (
        table.actions[action].roles
        if isinstance(action, Action)
        else table.staff_actions[action].roles
    )
    for role in ROLES:
        if role in staff.roles and role in granted:
            return role
    raise NotAllowedError("not allowed")


def may(staff: Staff, action: StaffAction) -> bool:
    """Whether the person may do ``action`` (record a complaint, see the letters to send,
    read the reports): the action table's ``staff_actions``."""
    try:
        role_for(staff, action)
    except NotAllowedError:
        return False
    return True


def visible_letters(
    staff: Staff, letters: list[T], case_of: Callable[[str], Case | None]
) -> list[T]:
    """The letters whose case the person may see (the front door: urgent cases only)."""
    if staff.roles & {"officer", "manager", "auditor"}:
        return list(letters)
    shown = []
    for letter in letters:
        case = case_of(letter.reference)  # type: ignore[attr-defined]
        if case is not None and can_view(staff, case):
            shown.append(letter)
    return shown
