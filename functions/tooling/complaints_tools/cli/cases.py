"""``complaints list``, ``complaints show`` and ``complaints access``: find cases, read one,
and see who read or changed it."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from complaints_tools.cli import app
from complaints_tools.cli.context import common, connect, fail


@app.command("list")
def list_cases(
    ctx: typer.Context,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only open cases past their respond-by date.")
    ] = False,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", help="Only this status (repeat for more): open, on_hold, ..."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most this many (oldest first).")
    ] = None,
) -> None:
    """Every matching case, oldest first (no silent limit)."""
    local = common(ctx).local
    as_json = common(ctx).as_json
    from complaints.clock import london_today
    from complaints.models import CaseStatus
    from complaints.service.case_view import summary

    try:
        statuses = [CaseStatus(value) for value in status] if status else None
    except ValueError:
        fail(f"--status must be one of: {', '.join(s.value for s in CaseStatus)}")
    if overdue:
        statuses = [CaseStatus.OPEN]
    cases = connect(local).repository().list_cases(statuses)
    today = london_today()
    rows = [summary(case, today) for case in cases]
    if overdue:
        rows = [row for row in rows if row["overdue"]]
    if limit is not None:
        rows = rows[:limit]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    _table(rows)


def _table(rows: list[dict[str, Any]]) -> None:
    from rich.table import Table

    from complaints_tools.cli.terminal import console, text

    table = Table(title=f"{len(rows)} case{'s' if len(rows) != 1 else ''}")
    for heading in ("Reference", "Procedure", "Stage", "Status", "Received", "Respond by", ""):
        table.add_column(heading)
    for row in rows:
        marks = (
            ("OVERDUE", row["overdue"]),
            ("URGENT", row["urgent"]),
            ("UNASSIGNED", row["owner"] is None and row["status"] != "closed"),
            ("DECISION NEEDED", bool(row["decisions_waiting"])),
            ("FAMILY NOT REACHED", row["needs_contact"]),
        )
        flags = " ".join(flag for flag, on in marks if on)
        table.add_row(
            *(
                text(value)
                for value in (
                    row["reference"],
                    row["procedure"],
                    row["stage"],
                    row["status"],
                    row["received_on"],
                    row["respond_by"],
                    flags,
                )
            )
        )
    console().print(table)


@app.command("show")
def show_case(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="The case reference, e.g. KX7F-3QTM.")],
) -> None:
    """One case: its stage, deadlines and every event (recorded in the access log)."""
    options = common(ctx)
    local, as_json = options.local, options.as_json
    from complaints.clock import london_today
    from complaints.service.case_view import detail
    from complaints.service.references import normalise_reference
    from complaints_tools.cli.casework import record_access, staff

    ref = normalise_reference(reference)
    if ref is None:
        fail(f"{reference!r} is not a complaint reference (they look like KX7F-3QTM)")
    repository = connect(local).repository()
    who = staff(options.by, local=local, required=False)
    case = repository.get_case(ref)
    if case is None:
        fail(f"no case with reference {ref}")
    record_access(repository, ref, who, "viewed", "complaints show")
    data = detail(case, repository.events(ref), london_today())
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    _print_case(data)


def _print_case(data: dict[str, Any]) -> None:
    """Every stored value printed as text (``cli.terminal``): a name like ``[/bold]`` or
    ``[link=...]`` shows as typed."""
    from rich.table import Table

    from complaints_tools.cli.terminal import console, text

    out = console()
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    complainant = data["complainant"]
    for label, value in (
        ("Reference", data["reference"]),
        ("Procedure", data["procedure"]),
        ("Stage", data["stage"]),
        ("Status", data["status"] + ("  OVERDUE" if data["overdue"] else "")),
        ("Urgent", "yes: a child may be in danger" if data["urgent"] else "no"),
        ("Received", data["received_on"]),
        ("Acknowledge by", data["acknowledge_by"]),
        ("Reminder", data["reminder_on"]),
        ("Respond by", data["respond_by"]),
        ("Owner", data.get("owner") or "nobody yet: assign it"),
        ("Complainant", f"{complainant['name']} ({complainant['relationship']})"),
        ("Email", complainant["email"]),
        ("Phone", complainant.get("phone")),
        ("Child", data["child"].get("name")),
        ("Advocate asked for", "yes" if data["wants_advocate"] else "no"),
        (
            "Decisions waiting",
            ", ".join(
                d["kind"].replace("_", " ") for d in data["decisions"] if d["decision"] is None
            )
            or "none",
        ),
    ):
        facts.add_row(label, text(value))
    out.print(facts)
    out.print(text("\nComplaint", style="bold"))
    out.print(text(data["details"]))
    if data.get("outcome_sought"):
        out.print(text("\nWhat they would like to happen", style="bold"))
        out.print(text(data["outcome_sought"]))
    events = Table(title="Events (when it happened; when it was written down, if later)")
    for heading in ("At", "Recorded", "Type", "By", "Reason"):
        events.add_column(heading)
    for event in data["events"]:
        recorded = event.get("recorded_at") or event["at"]
        late = recorded[:16] != event["at"][:16]
        events.add_row(
            text(event["at"]),
            text(recorded if late else ""),
            text(event["type"]),
            text(event["by"]),
            text(event.get("reason") or ""),
        )
    out.print(events)


@app.command("access")
def access_log(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="The case reference, e.g. KX7F-3QTM.")],
) -> None:
    """Who viewed or changed the case, when and what: in the console or here (oldest first).
    The log is append-only."""
    options = common(ctx)
    local, as_json = options.local, options.as_json
    from complaints.service.references import normalise_reference

    ref = normalise_reference(reference)
    if ref is None:
        fail(f"{reference!r} is not a complaint reference (they look like KX7F-3QTM)")
    repository = connect(local).repository()
    if repository.get_case(ref) is None:
        fail(f"no case with reference {ref}")
    entries = repository.access_entries(ref)
    rows = [
        {
            "at": e.at.isoformat(),
            "by": e.by,
            "username": e.username,
            "kind": e.kind,
            "what": e.what,
            "channel": e.channel,
        }
        for e in entries
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    from rich.table import Table

    from complaints_tools.cli.terminal import console, text

    table = Table(title=f"Access log of {ref}: {len(rows)} entr{'y' if len(rows) == 1 else 'ies'}")
    for heading in ("When", "Who", "What", "Where"):
        table.add_column(heading)
    for row in rows:
        table.add_row(
            text(row["at"]),
            text(f"{row['by']} ({row['username']})"),
            text(f"{row['kind']}: {row['what']}"),
            text("console" if row["channel"] == "console" else "command line"),
        )
    console().print(table)
