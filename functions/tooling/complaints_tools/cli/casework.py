"""Shared by the case-action and check commands: the store, mailer and scheduler of the chosen
stack, and applying one lifecycle change with a plain answer."""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from complaints_tools.cli.clock import parse_now
from complaints_tools.cli.context import STAFF_ENV, common, connect, fail

if TYPE_CHECKING:
    from complaints.adapters.dynamo import Repository
    from complaints.models import Case
    from complaints.service.casework import Deliver
    from complaints.service.lifecycle import Act, Transition

# Logins that name no person: the audit trail needs a name (--by or COMPLAINTS_STAFF).
NOBODY = frozenset({"root", "admin", "administrator", "ubuntu", "ec2-user", "runner", "nobody"})


def staff(by: str | None, *, local: bool = True, required: bool = True) -> str:
    """Who is acting: ``--by`` (or ``COMPLAINTS_STAFF``); on a deployed stack, the session
    name of the operator's AWS role (an SSO sign-in carries their name or email); else the
    login, unless it names no person (root, ...): then a change stops and asks (``required``);
    a read goes on, recorded as the login with "(no name given)"."""
    given = (by or "").strip()
    if given:
        return given
    if not local:
        found = _aws_session_name()
        if found:
            return found
    login = (getpass.getuser() or "").strip()
    if login and login.casefold() not in NOBODY:
        return login
    if not required:  # a read (`show`) is never refused: the access log says who it could
        return f"{login or 'unknown'} (no name given)"
    fail(
        f'Say who you are, for the audit trail: --by "Your Name" or set {STAFF_ENV} '
        f"(the login {login or '(none)'!r} names no person)."
    )


def _aws_session_name() -> str | None:
    """``assumed-role/Team/jo.adams@council.gov.uk`` gives ``jo.adams@council.gov.uk``; an
    IAM user gives its name."""
    from botocore.exceptions import BotoCoreError, ClientError

    from complaints.adapters.clients import client

    try:
        arn = str(client("sts").get_caller_identity()["Arn"])
    except (BotoCoreError, ClientError, KeyError):
        return None
    marker = ":assumed-role/" if ":assumed-role/" in arn else ":user/"
    _, _, rest = arn.partition(marker)
    if not rest:
        return None
    name = rest.rsplit("/", 1)[-1].strip()
    return name if name and name.casefold() not in NOBODY else None


def open_stack(local: bool) -> tuple[Repository, Deliver, Any]:
    """The repository, a way to send outbox items now (at the clock's present), and the
    scheduler."""
    from complaints import wiring
    from complaints.adapters.mailer import SENDER_ENV
    from complaints.adapters.scheduler import GROUP_ENV, Scheduler
    from complaints.service.casework import sender
    from complaints.settings import load_settings

    store = connect(local).repository()
    needed = (SENDER_ENV, GROUP_ENV) if load_settings().sender == "ses" else (GROUP_ENV,)
    missing = [name for name in needed if not os.environ.get(name)]
    if missing:
        fail(f"the stack's {' and '.join(missing)} is not known: set COMPLAINTS_STACK or --local")
    schedules = Scheduler()
    return store, sender(store, wiring.sender(), schedules), schedules


def change_name(ctx: typer.Context) -> str:
    """The command that made the change, for the access log (``complaints acknowledge``)."""
    return f"complaints {ctx.info_name}" if ctx.info_name else "complaints"


def record_access(store: Any, reference: str, who: str, kind: str, what: str) -> None:
    """An access log entry for the command line (append-only, ``service.staff.access``)."""
    from complaints.clock import wall_now
    from complaints.service.staff.access import AccessEntry

    store.record_access(
        AccessEntry(
            reference=reference,
            at=wall_now(),
            by=who,
            username=getpass.getuser() or "",
            kind=kind,  # type: ignore[arg-type]
            what=what,
            channel="cli",
        )
    )


def apply(
    ctx: typer.Context,
    reference: str,
    change: Callable[[Case, Act], Transition],
    *,
    now: str | None,
) -> None:
    """Apply ``change`` to the case and say what happened (or why it was not allowed).

    The act is effective at ``now`` (``--now``; default the clock's present, and an action
    with a date of its own uses that date) and recorded at the clock's present."""
    from complaints import clock
    from complaints.service.casework import CaseNotFoundError, StaleCaseError, change_case
    from complaints.service.lifecycle import Act, TransitionError
    from complaints.service.references import normalise_reference

    ref = normalise_reference(reference)
    if ref is None:
        fail(f"{reference!r} is not a complaint reference (they look like KX7F-3QTM)")
    options = common(ctx)
    as_json = options.as_json
    store, deliver, _ = open_stack(options.local)
    who = staff(options.by, local=options.local)
    present = clock.now()  # after connecting: the local stack's clock when --local
    act = Act(who, parse_now(now) if now else present, present)
    try:
        applied = change_case(store, ref, lambda case: change(case, act), present, deliver=deliver)
    except TransitionError as error:
        fail(str(error))
    except (CaseNotFoundError, StaleCaseError) as error:
        fail(str(error))
    record_access(store, ref, who, "acted", change_name(ctx))
    case = applied.transition.case
    events = [event.type.value for event in applied.transition.events]
    answer: dict[str, Any] = {
        "reference": case.reference,
        "stage": case.stage_number(),
        "status": case.status.value,
        "respond_by": case.stage.respond_by.isoformat() if case.stage.respond_by else None,
        "events": events,
        "emails": len(applied.transition.notices),
        "checks": [check.id for check in applied.transition.checks],
    }
    if as_json:
        typer.echo(json.dumps(answer, indent=2))
        return
    typer.echo(
        f"{case.reference}: {', '.join(events)}. Stage {answer['stage']}, "
        f"{case.status.value.replace('_', ' ')}"
        + (f", respond by {answer['respond_by']}" if case.status.value == "open" else "")
        + (f". Emails: {answer['emails']}" if answer["emails"] else "")
        + "."
    )
