"""``complaints checks run [--now ISO]``: fire every escalation check due by now.

The same sweep the daily schedule runs (``service.checks.sweep``): due checks from the ``ByDueDate``
index, emails through the outbox (never twice), missing schedules recreated.

``--now`` on the local stack (``--local``) moves its one clock forward to that moment first
(never back), so from then on the API, the checks, the CLI and the emails all act at the later
time; the sweep then runs at the clock's present. On a deployed stack the clock is real time:
``--now`` may be now or earlier (catching up), never later.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime

import typer

from complaints import clock
from complaints_tools.cli import app
from complaints_tools.cli.clock import Now, parse_now
from complaints_tools.cli.context import Connection, common, connect, fail

checks_app = typer.Typer(help="Escalation checks (the statutory clock).", no_args_is_help=True)
app.add_typer(checks_app, name="checks")


@checks_app.command("run")
def run_checks(ctx: typer.Context, now: Now = None) -> None:
    """Run every check due by --now (default: now): reminders, overdue alerts, actions due.

    On the local stack --now moves its clock forward to that time first (never back)."""
    local = common(ctx).local
    as_json = common(ctx).as_json
    from complaints.adapters.mailer import Mailer
    from complaints.adapters.scheduler import Scheduler
    from complaints.service.casework import sender
    from complaints.service.checks.sweep import sweep

    connection = connect(local)
    moment = _present(connection, now)
    store = connection.repository()
    mail, schedules = Mailer(), Scheduler()
    report = sweep(
        store, moment, deliver=sender(store, mail, schedules, moment), schedules=schedules
    )
    if as_json:
        typer.echo(json.dumps({"now": moment.isoformat(), **asdict(report)}, indent=2))
        return
    typer.echo(f"Checks due by {moment.isoformat()}: {report.due} (index read {report.read})")
    for line in report.ran:
        reference, check_id = line.split(" ", 1)
        stage, milestone, kind, day = check_id.split("#")
        typer.echo(f"  {reference}  stage {stage}  {kind.replace('_', ' ')}: {milestone} ({day})")
    typer.echo(
        f"Ran {len(report.ran)}, skipped {report.skipped}, emails {report.emails}, "
        f"schedules recreated {report.schedules_recreated}"
    )
    if report.outbox_unsent:
        typer.echo(
            f"Emails and schedules left undone found: {report.outbox_unsent}, "
            f"done now {report.outbox_sent}"
        )
    if report.failed:
        typer.echo(f"Failed (will retry): {', '.join(report.failed)}", err=True)
        raise typer.Exit(1)


def _present(connection: Connection, now: str | None) -> datetime:
    """When the sweep runs: the clock's present, after moving the local clock to ``now``."""
    if now is None or not now.strip():
        return clock.now()
    target = parse_now(now)
    if connection.local:
        from complaints_tools.local.clock import ClockFileError, ClockRefusedError, move_to

        if connection.clock_file is None:
            fail("the local stack has no clock file: stop it and start it again with `make run`.")
        try:
            move_to(connection.clock_file, target)
        except ClockRefusedError as error:
            fail(f"{error} Give a later --now, or leave --now out to run at the clock's present.")
        except ClockFileError as error:
            fail(str(error))
        return clock.now()
    if target > clock.wall_now():
        from complaints_tools.local.clock import london_text

        fail(
            f"--now {now.strip()} ({london_text(target)}) is in the future. A deployed stack "
            "runs on real time: --now may be now or earlier. Only the local stack's clock "
            "(`make run`, with --local) can be moved forward."
        )
    return target
