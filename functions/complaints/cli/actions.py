"""Staff actions on a case: each checks the change is allowed (``service.lifecycle``), records
an event (what, when, by whom, why), recomputes the deadlines and replaces the case's checks
and schedules, in one save. A refused change says why, plainly, and exits 1.

``--now`` says when it happened (default: now), so a late entry or a test can set the clock.
"""

from __future__ import annotations

from typing import Annotated

import typer

from complaints.cli import app
from complaints.cli.casework import By, apply, staff
from complaints.cli.clock import Now, parse_day, parse_now
from complaints.cli.context import Json, Local, fail
from complaints.service import lifecycle as lc

Reference = Annotated[str, typer.Argument(help="The case reference, e.g. KX7F-3QTM.")]
RecId = Annotated[str, typer.Argument(help="The recommendation, e.g. 2.1.")]
Reason = Annotated[str, typer.Option("--reason", help="Why (recorded in the audit trail).")]
OptionalReason = Annotated[str | None, typer.Option("--reason", help="Why (optional).")]


def _pence(pounds: str | None) -> int:
    """A payment in pounds as whole pence (``complaints.money``); a bad amount exits 1 with
    one plain sentence."""
    from complaints.money import MoneyError, parse_pence

    try:
        return parse_pence(pounds, what="The compensation")
    except MoneyError as error:
        fail(str(error))


@app.command()
def assign(
    reference: Reference,
    owner: Annotated[str, typer.Option("--owner", help="The case owner's work email.")],
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """Make someone the case owner (reminders go to them)."""
    who = staff(by)
    apply(
        reference,
        lambda c, at: lc.assign(c, owner, who, at),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )


@app.command("roles")
def assign_roles(
    reference: Reference,
    role: Annotated[
        list[str],
        typer.Option(
            "--role", help="ROLE=NAME, e.g. investigating_officer='A. Officer' (repeatable)."
        ),
    ],
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """Record who holds the stage's roles (stage 2: investigating officer, independent person,
    adjudicating officer; stage 3: panel chair)."""
    roles: dict[str, str] = {}
    for pair in role:
        name, sep, holder = pair.partition("=")
        if not sep:
            raise typer.BadParameter(f"{pair!r}: use ROLE=NAME", param_hint="--role")
        roles[name.strip()] = holder
    who = staff(by)
    apply(
        reference,
        lambda c, at: lc.assign_roles(c, roles, who, at),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )


@app.command()
def acknowledge(
    reference: Reference,
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """Record that the council acknowledged the complaint (or the request for this stage)."""
    who = staff(by)
    apply(
        reference,
        lambda c, at: lc.acknowledge(c, who, at),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )


@app.command()
def respond(
    reference: Reference,
    outcome: Annotated[
        str, typer.Option("--outcome", help="upheld, partly_upheld, not_upheld or resolved.")
    ],
    theme: Annotated[
        list[str] | None, typer.Option("--theme", help="A theme from council.yaml (repeatable).")
    ] = None,
    learning: Annotated[str | None, typer.Option("--learning", help="What was learnt.")] = None,
    action: Annotated[
        list[str] | None,
        typer.Option("--action", help="A corrective action taken (repeatable)."),
    ] = None,
    compensation: Annotated[
        str | None, typer.Option("--compensation", help="A payment offered, in pounds.")
    ] = None,
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """Record the stage's response and its outcome (every recommendation answered first).
    The complainant is told what they can do next."""
    who, pence = staff(by), _pence(compensation)
    apply(
        reference,
        lambda c, at: lc.respond(
            c,
            outcome,
            who,
            at,
            themes=theme or (),
            learning=learning,
            corrective_actions=action or (),
            compensation_pence=pence,
        ),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )


@app.command()
def extend(
    reference: Reference,
    to: Annotated[
        int, typer.Option("--to", help="Working days from the start of the stage, in total.")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why (the complainant is told).")],
    grounds: Annotated[
        str | None,
        typer.Option("--grounds", help="complex, advocate_needed, ... (procedures.yaml)."),
    ] = None,
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """Extend the response deadline, up to the procedure's maximum, with a reason."""
    who = staff(by)
    apply(
        reference,
        lambda c, at: lc.extend(c, to, reason, who, at, grounds=grounds),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )


@app.command()
def hold(
    reference: Reference,
    reason: Reason,
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """Stop the clock (court proceedings or a police investigation), with the reason."""
    who = staff(by)
    apply(
        reference,
        lambda c, at: lc.hold(c, reason, who, at),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )


@app.command()
def resume(
    reference: Reference,
    reason: OptionalReason = None,
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """Restart the clock: deadlines move on by the working days on hold."""
    who = staff(by)
    apply(
        reference,
        lambda c, at: lc.resume(c, who, at, reason),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )


@app.command()
def escalate(
    reference: Reference,
    reason: OptionalReason = None,
    statement_agreed: Annotated[
        str | None,
        typer.Option("--statement-agreed", help="Stage 2: the date the statement was agreed."),
    ] = None,
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """Record the complainant's request for the next stage. In time, the stage starts; late,
    it waits for a decision (decide-late-request): it is never refused automatically."""
    who = staff(by)
    agreed = parse_day(statement_agreed, "--statement-agreed") if statement_agreed else None
    apply(
        reference,
        lambda c, at: lc.request_next_stage(c, at, who, reason, agreed),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )


@app.command("decide-late-request")
def decide_late_request(
    reference: Reference,
    accept: Annotated[
        bool, typer.Option("--accept/--refuse", help="Accept or refuse the late request.")
    ],
    reasons: Annotated[str, typer.Option("--reasons", help="Why (the complainant is told).")],
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """Decide a late request for the next stage, with reasons."""
    who = staff(by)
    apply(
        reference,
        lambda c, at: lc.decide_late_request(c, accept, reasons, who, at),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )


@app.command("panel-met")
def panel_met(
    reference: Reference,
    on: Annotated[str, typer.Option("--on", help="The date the review panel met.")],
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """Stage 3: record when the review panel met (its report is due from then)."""
    who, day = staff(by), parse_day(on, "--on")
    apply(
        reference,
        lambda c, at: lc.record_panel_meeting(c, day, who, at),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )


@app.command("panel-report")
def panel_report(
    reference: Reference,
    on: Annotated[str, typer.Option("--on", help="The date the panel's report arrived.")],
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """Stage 3: record when the panel's report arrived (the council's response is due from
    then)."""
    who, day = staff(by), parse_day(on, "--on")
    apply(
        reference,
        lambda c, at: lc.record_panel_report(c, day, who, at),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )


@app.command()
def recommend(
    reference: Reference,
    text: Annotated[str, typer.Option("--text", help="The recommendation.")],
    owner: Annotated[str, typer.Option("--owner", help="Who owns it: a work email.")],
    due: Annotated[str, typer.Option("--due", help="When the action is due (YYYY-MM-DD).")],
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """Record a stage 2 or 3 recommendation, with its owner and due date."""
    who, day = staff(by), parse_day(due, "--due")
    apply(
        reference,
        lambda c, at: lc.recommend(c, text, owner, day, who, at),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )


@app.command("answer-recommendation")
def answer_recommendation(
    reference: Reference,
    recommendation: RecId,
    accept: Annotated[
        bool, typer.Option("--accept/--reject", help="Accept (with --action) or reject.")
    ],
    action: Annotated[
        str | None, typer.Option("--action", help="What the council will do.")
    ] = None,
    reasons: Annotated[str | None, typer.Option("--reasons", help="Why it is rejected.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="A new due date.")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="A new owner.")] = None,
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """The council's answer to a recommendation: accept with an action, or reject with
    reasons."""
    who = staff(by)
    day = parse_day(due, "--due") if due else None
    apply(
        reference,
        lambda c, at: lc.answer_recommendation(
            c,
            recommendation,
            accept,
            who,
            at,
            action=action,
            reasons=reasons,
            due_on=day,
            owner=owner,
        ),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )


@app.command("complete-recommendation")
def complete_recommendation(
    reference: Reference,
    recommendation: RecId,
    on: Annotated[str | None, typer.Option("--on", help="When it was done.")] = None,
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """Mark an accepted recommendation's action done (the complainant is told)."""
    who = staff(by)
    day = parse_day(on, "--on") if on else None
    apply(
        reference,
        lambda c, at: lc.complete_recommendation(c, recommendation, who, at, on=day),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )


@app.command()
def ombudsman(
    reference: Reference,
    referred: Annotated[
        str | None, typer.Option("--referred", help="When the complaint went to the Ombudsman.")
    ] = None,
    outcome: Annotated[
        str | None, typer.Option("--outcome", help="e.g. fault found, no fault.")
    ] = None,
    remedy: Annotated[str | None, typer.Option("--remedy", help="What they asked for.")] = None,
    decided: Annotated[str | None, typer.Option("--decided", help="When they decided.")] = None,
    compensation: Annotated[
        str | None, typer.Option("--compensation", help="A payment, in pounds.")
    ] = None,
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """Record a referral to the Ombudsman, or its outcome (at any point)."""
    who, pence = staff(by), _pence(compensation)
    referred_on = parse_day(referred, "--referred") if referred else None
    decided_on = parse_day(decided, "--decided") if decided else None
    apply(
        reference,
        lambda c, at: lc.record_ombudsman(
            c,
            who,
            at,
            referred_on=referred_on,
            outcome=outcome,
            remedy=remedy,
            decided_on=decided_on,
            compensation_pence=pence,
        ),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )


@app.command()
def advocacy(
    reference: Reference,
    provided: Annotated[
        bool, typer.Option("--provided/--not-provided", help="Whether an advocate helped.")
    ] = True,
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """Record whether the complainant had an advocate (for the annual report)."""
    who = staff(by)
    apply(
        reference,
        lambda c, at: lc.record_advocacy(c, provided, who, at),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )


@app.command()
def close(
    reference: Reference,
    reason: OptionalReason = None,
    withdrawn: Annotated[
        bool, typer.Option("--withdrawn", help="The complainant withdrew (needs --reason).")
    ] = False,
    by: By = None,
    now: Now = None,
    as_json: Json = False,
    local: Local = False,
) -> None:
    """Close the case (every recommendation answered first); sets the retention expiry."""
    who = staff(by)
    apply(
        reference,
        lambda c, at: lc.close(c, who, at, reason=reason, withdrawn=withdrawn),
        now=parse_now(now),
        local=local,
        as_json=as_json,
    )
