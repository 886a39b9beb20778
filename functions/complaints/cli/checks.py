"""``complaints checks run [--now ISO]``: fire every escalation check due by now.

The same sweep the daily schedule runs (``service.sweep``): due checks from the ``ByDueDate``
index, emails through the outbox (never twice), missing schedules recreated. ``--now`` moves
the clock forward, for a test or to see what a date would bring.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import typer

from complaints.cli import app
from complaints.cli.clock import Now, parse_now
from complaints.cli.context import Json, Local, connect

checks_app = typer.Typer(help="Escalation checks (the statutory clock).", no_args_is_help=True)
app.add_typer(checks_app, name="checks")


@checks_app.command("run")
def run_checks(now: Now = None, as_json: Json = False, local: Local = False) -> None:
    """Run every check due by --now (default: now): reminders, overdue alerts, actions due."""
    from complaints.adapters.mailer import Mailer
    from complaints.adapters.scheduler import Scheduler
    from complaints.service.casework import sender
    from complaints.service.sweep import sweep

    moment = parse_now(now)
    store = connect(local).repository()
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
