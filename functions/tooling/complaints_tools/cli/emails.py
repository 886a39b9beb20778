"""``complaints emails``: the emails the local stack has sent (local only)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from complaints_tools.cli import app
from complaints_tools.cli.context import common, connect


@app.command("emails")
def emails(
    ctx: typer.Context,
    reference: Annotated[
        str | None, typer.Option("--reference", help="Only emails about this case.")
    ] = None,
) -> None:
    """Emails the local stack of `make run` has sent: to, subject and body (local only)."""
    local = common(ctx).local
    as_json = common(ctx).as_json
    from complaints_tools.local import mailbox

    del local  # accepted for symmetry: there is no such record in AWS, so always local
    connection = connect(local=True)
    assert connection.emails_file is not None
    sent = mailbox.read(connection.emails_file)
    if reference:
        sent = [email for email in sent if email.get("reference") == reference.upper()]
    if as_json:
        typer.echo(json.dumps(sent, indent=2))
        return
    from rich.table import Table

    from complaints_tools.cli.terminal import console, text

    table = Table(title=f"{len(sent)} email{'s' if len(sent) != 1 else ''} sent")
    for heading in ("Sent", "Kind", "To", "Subject"):
        table.add_column(heading)
    for email in sent:
        table.add_row(
            text(email["sent_at"][:19]),
            text(email.get("kind") or ""),
            text(", ".join(email["to"])),
            text(email["subject"]),
        )
    console().print(table)
