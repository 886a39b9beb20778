"""The outbox: what happens after a case is stored, each step once.

An outbox item is claimed (a conditional update) before anything is sent and marked done
afterwards, so a duplicate or retried stream record finds it taken or done and does nothing.
A failure gives the item back and is raised, so the stream retries it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal, Protocol

from complaints import clock
from complaints.models import Case
from complaints.service.intake import OutboxKind
from complaints.service.messages import render as messages
from complaints.service.messages.notices import team_email
from complaints.settings import load_settings

Result = Literal["done", "skipped"]  # what became of one outbox item


class OutboxStore(Protocol):
    def claim_outbox(
        self, reference: str, sk: str, now: datetime | None = None
    ) -> Literal["claimed", "done", "busy"]: ...
    def finish_outbox(self, reference: str, sk: str, now: datetime) -> None: ...
    def release_outbox(self, reference: str, sk: str, error_code: str) -> None: ...
    def get_case(self, reference: str) -> Case | None: ...
    def check_items(self, reference: str, stage: int | None = None) -> list[dict[str, Any]]: ...


class Mail(Protocol):
    def send(self, email: messages.Email) -> str: ...


class Schedules(Protocol):
    def create_once(self, name: str, at: datetime, payload: Mapping[str, Any]) -> bool: ...
    def delete(self, name: str) -> bool: ...


class OutboxBusyError(Exception):
    """Another attempt holds the item (or crashed holding it): retry after its lease."""


class CaseMissingError(Exception):
    """An outbox item whose case cannot be read (should never happen: same transaction)."""


def error_code(error: BaseException) -> str:
    """The AWS error code (e.g. ``Throttling``) or the exception's type: never its message,
    which can quote what was sent (addresses, names)."""
    response = getattr(error, "response", None)
    if isinstance(response, Mapping):
        code = response.get("Error", {}).get("Code")
        if code:
            return str(code)
    return type(error).__name__


def act_on(
    item: Mapping[str, Any],
    store: OutboxStore,
    mail: Mail,
    schedules: Schedules,
    now: datetime | None = None,
) -> Result:
    """Carry out one outbox item (a new image from the stream), at most once."""
    now = now or clock.now()
    reference, sk = str(item["reference"]), str(item["SK"])
    claim = store.claim_outbox(reference, sk)  # the lease runs on the wall clock
    if claim == "done":
        return "skipped"
    if claim == "busy":
        raise OutboxBusyError(sk)
    try:
        case = store.get_case(reference)
        if case is None:
            raise CaseMissingError(reference)
        _carry_out(OutboxKind(item["kind"]), item, case, store, mail, schedules, now)
    except Exception as error:
        store.release_outbox(reference, sk, error_code(error))
        raise
    store.finish_outbox(reference, sk, now)
    return "done"


def _carry_out(
    kind: OutboxKind,
    item: Mapping[str, Any],
    case: Case,
    store: OutboxStore,
    mail: Mail,
    schedules: Schedules,
    now: datetime,
) -> None:
    settings = load_settings()
    if kind is OutboxKind.ACKNOWLEDGEMENT:
        mail.send(messages.acknowledgement(case, str(item["token"]), settings))
    elif kind is OutboxKind.TEAM_ALERT:
        mail.send(messages.team_alert(case, settings, team_email(case)))
    elif kind is OutboxKind.ADVOCACY_REFERRAL:
        mail.send(messages.advocacy_referral(case, settings))
    elif kind is OutboxKind.SAFEGUARDING_ALERT:
        mail.send(messages.safeguarding_alert(case, settings))
    elif kind is OutboxKind.NOTICE:
        context = dict(item.get("context") or {})
        if item.get("token"):  # a new self-service link, made from the token kept until sent
            context["link"] = messages.self_service_link(case, str(item["token"]), settings)
        mail.send(
            messages.notice(
                case,
                str(item["template"]),
                tuple(str(to) for to in item["to"]),
                context,
                settings,
            )
        )
    elif kind is OutboxKind.SCHEDULE_CHECKS:
        for name in item.get("delete") or ():  # checks a lifecycle change made unnecessary
            schedules.delete(str(name))
        schedule_checks(case.reference, store, schedules, now)


def schedule_checks(reference: str, store: OutboxStore, schedules: Schedules, now: datetime) -> int:
    """One schedule per pending check item of the case; returns how many were created.

    A check already due is left to the daily sweep (which queries the ``ByDueDate`` index).
    """
    created = 0
    for check in store.check_items(reference):
        due_at = datetime.fromisoformat(str(check["due_at"]))
        if check.get("status") != "pending" or due_at <= now:
            continue
        if schedules.create_once(str(check["schedule_name"]), due_at, check["payload"]):
            created += 1
    return created
