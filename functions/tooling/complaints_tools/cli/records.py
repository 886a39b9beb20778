"""Casework commands that are not a stage's transition: recording a complaint received
another way (``record``, one or many from a JSON file), the letters to send (``letters``,
``letter``, ``letter-posted``), notes and calls (``note``, ``record-call``) and the case file
(``export``). Each calls the same service function the staff console's form does
(``service.recording``, ``service.staffwork``, ``service.casefile``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from complaints_tools.cli import app
from complaints_tools.cli.actions import Reference
from complaints_tools.cli.casework import apply, staff
from complaints_tools.cli.clock import Now, parse_day
from complaints_tools.cli.context import common, connect, fail


def _opt(help_text: str, *names: str) -> Any:
    return typer.Option(*names, help=help_text)


@app.command()
def record(
    ctx: typer.Context,
    channel: Annotated[
        str | None,
        _opt("phone, letter, email, in_person, advocate or councillor_or_mp.", "--channel"),
    ] = None,
    received: Annotated[
        str | None,
        _opt("The day it was received (YYYY-MM-DD): the clock starts then.", "--received"),
    ] = None,
    complainant_name: Annotated[str | None, _opt("Their full name.", "--complainant-name")] = None,
    email: Annotated[
        str | None, _opt("Their email (optional with post or phone).", "--email")
    ] = None,
    relationship: Annotated[
        str | None, _opt("parent, child_or_young_person, foster_carer ...", "--relationship")
    ] = None,
    child_name: Annotated[str | None, _opt("The child's name.", "--child-name")] = None,
    details: Annotated[str | None, _opt("What the complaint is about.", "--details")] = None,
    contact_by: Annotated[
        str, _opt("How they want to hear from us: email, post or phone.", "--contact-by")
    ] = "email",
    address: Annotated[
        str | None, _opt("Postal address (lines separated by commas).", "--address")
    ] = None,
    phone: Annotated[str | None, _opt("Their phone number.", "--phone")] = None,
    outcome_sought: Annotated[
        str | None, _opt("What they want to happen.", "--outcome-sought")
    ] = None,
    wants_advocate: Annotated[str | None, _opt("yes or no.", "--wants-advocate")] = None,
    service_area: Annotated[
        str | None, _opt("A service area (council.yaml).", "--service-area")
    ] = None,
    historic: Annotated[
        bool,
        _opt(
            "An old case entered for the record: no acknowledgement or late notices.", "--historic"
        ),
    ] = False,
    confirm_late: Annotated[
        bool,
        _opt(
            "Received so long ago the acknowledgement is already late: record it anyway.",
            "--confirm-late",
        ),
    ] = False,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from-file",
            help="A JSON file: one complaint (an object) or many (a list), the same fields.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Record a complaint received by phone, letter, email, in person, from an advocate or via
    a councillor or MP: the same questions and triage as the form, and the same receipt."""
    from complaints.service.lifecycle import TransitionError
    from complaints.service.recording import RecordingError, record_complaint

    options = common(ctx)
    if from_file is not None:
        try:
            loaded = json.loads(from_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            fail(f"{from_file.name} is not a JSON file of complaints")
        batch = loaded if isinstance(loaded, list) else [loaded]
    else:
        one = {
            "channel": channel,
            "received_on": received,
            "complainant_name": complainant_name,
            "email": email,
            "relationship": relationship,
            "child_name": child_name,
            "details": details,
            "contact_by": contact_by,
            "address": address,
            "phone": phone,
            "outcome_sought": outcome_sought,
            "wants_advocate": wants_advocate,
            "service_area": service_area,
        }
        batch = [{k: v for k, v in one.items() if v is not None}]
    store = connect(options.local).repository()
    who = staff(options.by)
    receipts: list[dict[str, Any]] = []
    failed = 0
    for number, answers in enumerate(batch, start=1):
        if not isinstance(answers, dict):
            typer.echo(f"Error: complaint {number} is not a set of named fields", err=True)
            failed += 1
            continue
        answers = {"historic": historic, "confirm_late": confirm_late, **answers}
        try:
            result = record_complaint(answers, store, actor=who)
        except (RecordingError, TransitionError) as error:
            where = f"complaint {number}: " if len(batch) > 1 else ""
            typer.echo(f"Error: {where}{error}", err=True)
            failed += 1
            continue
        receipt = result.receipt.model_dump(mode="json")
        receipts.append({**receipt, "repeat": result.repeat})
        if not options.as_json:
            again = " (recorded before: the same receipt)" if result.repeat else ""
            typer.echo(
                f"{receipt['reference']}: received {receipt['received_on']}, "
                f"respond by {receipt['respond_by']}{again}."
            )
    if options.as_json:
        typer.echo(json.dumps(receipts[0] if len(batch) == 1 and receipts else receipts, indent=2))
    if failed:
        raise typer.Exit(1)


@app.command()
def letters(ctx: typer.Context) -> None:
    """Letters waiting to be posted (or read out by phone), oldest first."""
    from complaints.service.staffwork import letters_to_send

    options = common(ctx)
    found = letters_to_send(connect(options.local).repository(), role=None)
    rows = [
        {
            "reference": letter.reference,
            "letter": letter.letter_id,
            "kind": letter.kind,
            "send_by": letter.send_by,
            "written": letter.created_at.date().isoformat(),
        }
        for letter in found
    ]
    if options.as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo("No letters to send.")
    for row in rows:
        typer.echo(
            f"{row['reference']}  {row['letter']}  {row['send_by']}  written {row['written']}"
        )


@app.command()
def letter(
    ctx: typer.Context,
    reference: Reference,
    letter_id: Annotated[str, typer.Argument(help="The letter, as `complaints letters` lists it.")],
    out: Annotated[
        Path, typer.Option("--out", help="Write the printable letter (HTML) here.", dir_okay=False)
    ],
) -> None:
    """Write one letter to print (HTML, A4, the council's letterhead)."""
    from complaints.service.casework import CaseNotFoundError
    from complaints.service.staffwork import letter_page

    store = connect(common(ctx).local).repository()
    try:
        out.write_text(letter_page(store, reference.upper(), letter_id), encoding="utf-8")
    except CaseNotFoundError as error:
        fail(str(error))
    typer.echo(f"Wrote {out}")


@app.command("letter-posted")
def letter_posted(
    ctx: typer.Context,
    reference: Reference,
    letter_id: Annotated[str, typer.Argument(help="The letter, as `complaints letters` lists it.")],
    on: Annotated[str | None, typer.Option("--on", help="The day it was posted.")] = None,
    how: Annotated[
        str, typer.Option("--how", help="post, phone (read out), in_person or advocate.")
    ] = "post",
    now: Now = None,
) -> None:
    """Mark a letter posted: the day goes on the case's timeline."""
    from complaints.service.lifecycle import mark_letter_posted

    day = parse_day(on, "--on") if on else None
    store = connect(common(ctx).local).repository()
    found = store.get_letter(reference.upper(), letter_id)
    if found is None:
        fail(f"Case {reference} has no letter {letter_id}.")
    if found.status != "to_send":
        fail(f"That letter was already marked {found.how or 'posted'} on {found.posted_on}.")
    apply(
        ctx,
        reference,
        lambda c, act: mark_letter_posted(
            c, act.dated(day) if day else act, letter_id=letter_id, kind=found.kind, how=how
        ),
        now=now,
    )


@app.command()
def note(
    ctx: typer.Context,
    reference: Reference,
    text: Annotated[str, typer.Option("--text", help="The note (internal: never shown to them).")],
    now: Now = None,
) -> None:
    """Add an internal note to the case's timeline."""
    from complaints.service.lifecycle import add_note

    apply(ctx, reference, lambda c, act: add_note(c, act, text=text), now=now)


@app.command("record-call")
def record_call_command(
    ctx: typer.Context,
    reference: Reference,
    summary: Annotated[str, typer.Option("--summary", help="What was said or agreed.")],
    kind: Annotated[
        str, typer.Option("--kind", help="phone_call, meeting, video_call or visit.")
    ] = "phone_call",
    with_whom: Annotated[str | None, typer.Option("--with", help="Who took part.")] = None,
    direction: Annotated[
        str, typer.Option("--direction", help="to_family or from_family.")
    ] = "to_family",
    on: Annotated[str | None, typer.Option("--on", help="The day it happened.")] = None,
    now: Now = None,
) -> None:
    """Record a call or meeting with the family (internal: on the timeline staff see)."""
    from complaints.service.lifecycle import record_call

    day = parse_day(on, "--on") if on else None
    apply(
        ctx,
        reference,
        lambda c, act: record_call(
            c,
            act.dated(day) if day else act,
            kind=kind,
            summary=summary,
            with_whom=with_whom,
            direction=direction,
        ),
        now=now,
    )


@app.command()
def export(
    ctx: typer.Context,
    reference: Reference,
    fmt: Annotated[str, typer.Option("--format", help="html or json.")] = "html",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write it here (default: print it).", dir_okay=False),
    ] = None,
    purpose: Annotated[
        str | None,
        typer.Option("--purpose", help="Why: the Ombudsman, a subject access request ..."),
    ] = None,
) -> None:
    """Export the whole case file (the complaint, every event, letters, notes marked internal)
    as one document; the export is recorded on the case."""
    from complaints import clock
    from complaints.service.casefile import export_case
    from complaints.service.casework import CaseNotFoundError
    from complaints.service.lifecycle import TransitionError
    from complaints.service.references import normalise_reference

    if fmt not in ("html", "json"):
        fail("--format is html or json")
    ref = normalise_reference(reference) or fail(f"{reference!r} is not a complaint reference")
    options = common(ctx)
    store = connect(options.local).repository()
    try:
        exported = export_case(
            store, ref, actor=staff(options.by), role=None, purpose=purpose, now=clock.now()
        )
    except (TransitionError, CaseNotFoundError) as error:
        fail(str(error))
    text = exported.html if fmt == "html" else json.dumps(exported.data, indent=2)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {out}")
