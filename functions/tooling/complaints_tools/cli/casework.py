"""Shared by the case-action and check commands: the store, mailer and scheduler of the chosen
stack, and applying one lifecycle change with a plain answer."""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from complaints_tools.cli.clock import parse_now
from complaints_tools.cli.context import common, connect, fail

if TYPE_CHECKING:
    from complaints.adapters.dynamo import Repository
    from complaints.models import Case
    from complaints.service.casework import Deliver
    from complaints.service.lifecycle import Act, Transition

STAFF_ENV = "COMPLAINTS_STAFF"

By = Annotated[
    str | None,
    typer.Option(
        "--by",
        envvar=STAFF_ENV,
        help="Who is acting, for the audit trail (or set COMPLAINTS_STAFF). Default: your login.",
    ),
]


def staff(by: str | None) -> str:
    return (by or "").strip() or getpass.getuser()


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
    who = staff(options.by)
    store, deliver, _ = open_stack(options.local)
    present = clock.now()  # after connecting: the local stack's clock when --local
    act = Act(who, parse_now(now) if now else present, present)
    try:
        applied = change_case(store, ref, lambda case: change(case, act), present, deliver=deliver)
    except TransitionError as error:
        fail(str(error))
    except (CaseNotFoundError, StaleCaseError) as error:
        fail(str(error))
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
