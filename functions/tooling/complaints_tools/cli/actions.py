"""Staff actions on a case: each checks the change is allowed (``service.lifecycle``), records
an event (what, when it happened, when it was recorded, by whom, why), recomputes the deadlines
and replaces the case's checks and schedules, in one save. A refused change says why, plainly,
and exits 1.

An action happened on its own date where it has one (``--on``, ``--referred``, ``--decided``),
otherwise at ``--now`` (default: the clock's present): a late entry is back-dated that way,
never into the future, before the complaint or before the last thing a person recorded.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from complaints.service import lifecycle as lc
from complaints_tools.cli import app
from complaints_tools.cli.casework import apply
from complaints_tools.cli.clock import Now, parse_day
from complaints_tools.cli.context import fail

if TYPE_CHECKING:
    from complaints.models import Case

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


Summary = Annotated[
    str,
    typer.Option("--summary", help="What the council understands the complaint to be, as agreed."),
]
Reasons = Annotated[str, typer.Option("--reasons", help="Why (the complainant is told).")]
Grounds = Annotated[
    str,
    typer.Option(
        "--grounds",
        help="court_proceedings, police_investigation or other (told to the complainant).",
    ),
]
ReviewBy = Annotated[
    str | None,
    typer.Option("--review-by", help="When the hold is looked at again (default: council.yaml)."),
]


def _day(value: str | None, option: str) -> date | None:
    return parse_day(value, option) if value else None


@app.command()
def assign(
    ctx: typer.Context,
    reference: Reference,
    owner: Annotated[str, typer.Option("--owner", help="The case owner's work email.")],
    now: Now = None,
) -> None:
    """Make someone the case owner (reminders go to them)."""
    apply(ctx, reference, lambda c, act: lc.assign(c, owner, act), now=now)


@app.command("roles")
def assign_roles(
    ctx: typer.Context,
    reference: Reference,
    role: Annotated[
        list[str],
        typer.Option(
            "--role", help="ROLE=NAME, e.g. investigating_officer='A. Officer' (repeatable)."
        ),
    ],
    now: Now = None,
) -> None:
    """Record who holds the stage's roles (stage 2: investigating officer, independent person,
    adjudicating officer; stage 3: panel chair)."""
    roles: dict[str, str] = {}
    for pair in role:
        name, sep, holder = pair.partition("=")
        if not sep:
            raise typer.BadParameter(f"{pair!r}: use ROLE=NAME", param_hint="--role")
        roles[name.strip()] = holder
    apply(ctx, reference, lambda c, act: lc.assign_roles(c, roles, act), now=now)


@app.command()
def acknowledge(
    ctx: typer.Context,
    reference: Reference,
    summary: Summary,
    outcome_sought: Annotated[
        str | None,
        typer.Option("--outcome-sought", help="The outcome they seek, as you understand it."),
    ] = None,
    how: Annotated[
        str, typer.Option("--how", help="phone, email, letter, meeting or video_call.")
    ] = "phone",
    now: Now = None,
) -> None:
    """Record the council's acknowledgement: you have talked to (or written to) the
    complainant and agreed what the complaint is about. The complainant is told."""
    apply(
        ctx,
        reference,
        lambda c, act: lc.acknowledge(
            c, act, summary=summary, outcome_sought=outcome_sought, how=how
        ),
        now=now,
    )


LetterFile = Annotated[
    Path | None,
    typer.Option(
        "--letter",
        "--letter-file",
        help="The response letter, a text file you wrote (start from `complaints draft-response`).",
        exists=True,
        dir_okay=False,
        readable=True,
    ),
]
UseDraft = Annotated[
    bool,
    typer.Option(
        "--use-draft",
        help="Send the council's drafted letter as it stands (`complaints draft-response` "
        "prints it; `complaints export` shows it with the case).",
    ),
]


def _letter_text(path: Path | None) -> str | None:
    from complaints.text import plain_text

    if path is None:
        return None
    try:
        return plain_text(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        fail(f"cannot read the letter {path.name}: it must be a text file (UTF-8)")


@app.command()
def respond(
    ctx: typer.Context,
    reference: Reference,
    outcome: Annotated[
        str, typer.Option("--outcome", help="upheld, partly_upheld, not_upheld or resolved.")
    ],
    letter: LetterFile = None,
    use_draft: UseDraft = False,
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
    on: Annotated[str | None, typer.Option("--on", help="When the response was sent.")] = None,
    now: Now = None,
) -> None:
    """Record the stage's response, its outcome and the response letter (required: --letter
    FILE, or --use-draft for the council's draft). The letter goes to the complainant by
    email or post, as they prefer; they are told what they can do next."""
    from complaints.service.response_letter import draft_response

    pence, sent_on = _pence(compensation), _day(on, "--on")
    written = _letter_text(letter)
    if written is None and not use_draft:
        fail(
            "Give the response letter: --letter FILE (start from `complaints draft-response "
            f"{reference} --outcome {outcome}`), or --use-draft to send the council's draft."
        )

    def change(c: Case, act: lc.Act) -> lc.Transition:
        dated = act.dated(sent_on) if sent_on else act
        text = written if written is not None else draft_response(c, outcome=outcome, on=dated.day)
        return lc.respond(
            c,
            outcome,
            dated,
            themes=theme or (),
            learning=learning,
            corrective_actions=action or (),
            compensation_pence=pence,
            letter=text,
        )

    apply(ctx, reference, change, now=now)


@app.command("send-response-again")
def send_response_again(ctx: typer.Context, reference: Reference, now: Now = None) -> None:
    """Send the latest stage response letter again (by email or post, as they prefer)."""
    apply(ctx, reference, lambda c, act: lc.send_response_again(c, act), now=now)


@app.command()
def extend(
    ctx: typer.Context,
    reference: Reference,
    to: Annotated[
        int, typer.Option("--to", help="Working days from the start of the stage, in total.")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why (the complainant is told).")],
    grounds: Annotated[
        str | None,
        typer.Option("--grounds", help="complex, advocate_needed, ... (procedures.yaml)."),
    ] = None,
    now: Now = None,
) -> None:
    """Extend the response deadline, up to the procedure's maximum, with a reason (on or
    before the deadline in force)."""
    apply(ctx, reference, lambda c, act: lc.extend(c, to, reason, act, grounds=grounds), now=now)


@app.command()
def hold(
    ctx: typer.Context,
    reference: Reference,
    grounds: Grounds,
    reason: Reason,
    review_by: ReviewBy = None,
    now: Now = None,
) -> None:
    """Stop the clock (court proceedings, a police investigation, ...): the complainant is
    told the grounds and the review date; the reason stays internal."""
    review_on = _day(review_by, "--review-by")
    apply(
        ctx,
        reference,
        lambda c, act: lc.hold(c, act, grounds=grounds, reason=reason, review_on=review_on),
        now=now,
    )


@app.command()
def resume(
    ctx: typer.Context,
    reference: Reference,
    reason: OptionalReason = None,
    now: Now = None,
) -> None:
    """Restart the clock: deadlines move on by the working days on hold."""
    apply(ctx, reference, lambda c, act: lc.resume(c, act, reason), now=now)


@app.command("decide-proceedings")
def decide_proceedings(
    ctx: typer.Context,
    reference: Reference,
    hold_it: Annotated[
        bool,
        typer.Option(
            "--hold/--proceed",
            help="Hold while the proceedings run (the clock stops), or go on considering it.",
        ),
    ],
    grounds: Grounds,
    reasons: Reasons,
    review_by: ReviewBy = None,
    now: Now = None,
) -> None:
    """Decide whether considering the complaint would prejudice court proceedings or an
    investigation (reg 8). On a case on hold, this is the hold's review."""
    review_on = _day(review_by, "--review-by")
    apply(
        ctx,
        reference,
        lambda c, act: lc.decide_proceedings(
            c, act, hold=hold_it, grounds=grounds, reasons=reasons, review_on=review_on
        ),
        now=now,
    )


@app.command("decide-late-complaint")
def decide_late_complaint(
    ctx: typer.Context,
    reference: Reference,
    accept: Annotated[
        bool, typer.Option("--accept/--refuse", help="Consider the late complaint, or not.")
    ],
    reasons: Reasons,
    now: Now = None,
) -> None:
    """Decide whether to consider a complaint made more than 12 months after the matter
    (reg 9(2)), with reasons."""
    apply(
        ctx,
        reference,
        lambda c, act: lc.decide_late_complaint(c, act, accept=accept, reasons=reasons),
        now=now,
    )


@app.command("decide-sufficient-interest")
def decide_sufficient_interest(
    ctx: typer.Context,
    reference: Reference,
    accept: Annotated[
        bool,
        typer.Option("--accept/--refuse", help="The complainant has sufficient interest, or not."),
    ],
    reasons: Reasons,
    child_views: Annotated[
        str | None,
        typer.Option("--child-views", help="The child's views, or why they could not be asked."),
    ] = None,
    now: Now = None,
) -> None:
    """Decide whether someone outside the listed groups has sufficient interest in the
    child's welfare (s26(3)(e)), taking the child's views into account, with reasons."""
    apply(
        ctx,
        reference,
        lambda c, act: lc.decide_sufficient_interest(
            c, act, accept=accept, reasons=reasons, child_views=child_views
        ),
        now=now,
    )


@app.command()
def escalate(
    ctx: typer.Context,
    reference: Reference,
    reason: OptionalReason = None,
    statement_agreed: Annotated[
        str | None,
        typer.Option("--statement-agreed", help="Stage 2: the date the statement was agreed."),
    ] = None,
    on: Annotated[str | None, typer.Option("--on", help="When the complainant asked.")] = None,
    now: Now = None,
) -> None:
    """Record the complainant's request for the next stage. In time, the stage starts; late,
    it waits for a decision (decide-late-request): it is never refused automatically."""
    agreed, asked = _day(statement_agreed, "--statement-agreed"), _day(on, "--on")
    apply(
        ctx,
        reference,
        lambda c, act: lc.request_next_stage(
            c, act.dated(asked) if asked else act, reason=reason, statement_agreed_on=agreed
        ),
        now=now,
    )


@app.command("decide-late-request")
def decide_late_request(
    ctx: typer.Context,
    reference: Reference,
    accept: Annotated[
        bool, typer.Option("--accept/--refuse", help="Accept or refuse the late request.")
    ],
    reasons: Reasons,
    now: Now = None,
) -> None:
    """Decide a late request for the next stage, with reasons."""
    apply(
        ctx,
        reference,
        lambda c, act: lc.decide_late_request(c, act, accept=accept, reasons=reasons),
        now=now,
    )


@app.command("panel-met")
def panel_met(
    ctx: typer.Context,
    reference: Reference,
    on: Annotated[str, typer.Option("--on", help="The date the review panel met.")],
    now: Now = None,
) -> None:
    """Stage 3: record when the review panel met (its report is due from then)."""
    day = parse_day(on, "--on")
    apply(
        ctx, reference, lambda c, act: lc.record_milestone(c, "panel_meeting", act, on=day), now=now
    )


@app.command("panel-report")
def panel_report(
    ctx: typer.Context,
    reference: Reference,
    on: Annotated[str, typer.Option("--on", help="The date the panel's report arrived.")],
    now: Now = None,
) -> None:
    """Stage 3: record when the panel's report arrived (the council's response is due from
    then)."""
    day = parse_day(on, "--on")
    apply(
        ctx, reference, lambda c, act: lc.record_milestone(c, "panel_report", act, on=day), now=now
    )


@app.command()
def recommend(
    ctx: typer.Context,
    reference: Reference,
    text: Annotated[str, typer.Option("--text", help="The recommendation.")],
    owner: Annotated[str, typer.Option("--owner", help="Who owns it: a work email.")],
    due: Annotated[str, typer.Option("--due", help="When the action is due (YYYY-MM-DD).")],
    now: Now = None,
) -> None:
    """Record a stage 2 or 3 recommendation, with its owner and due date."""
    day = parse_day(due, "--due")
    apply(ctx, reference, lambda c, act: lc.recommend(c, text, owner, day, act), now=now)


@app.command("answer-recommendation")
def answer_recommendation(
    ctx: typer.Context,
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
    now: Now = None,
) -> None:
    """The council's answer to a recommendation: accept with an action, or reject with
    reasons."""
    day = _day(due, "--due")
    apply(
        ctx,
        reference,
        lambda c, act: lc.answer_recommendation(
            c,
            recommendation,
            act,
            accept=accept,
            action=action,
            reasons=reasons,
            due_on=day,
            owner=owner,
        ),
        now=now,
    )


@app.command("complete-recommendation")
def complete_recommendation(
    ctx: typer.Context,
    reference: Reference,
    recommendation: RecId,
    on: Annotated[str | None, typer.Option("--on", help="When it was done.")] = None,
    now: Now = None,
) -> None:
    """Mark an accepted recommendation's action done (the complainant is told)."""
    day = _day(on, "--on")
    apply(
        ctx,
        reference,
        lambda c, act: lc.complete_recommendation(c, recommendation, act, on=day),
        now=now,
    )


@app.command()
def ombudsman(
    ctx: typer.Context,
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
    now: Now = None,
) -> None:
    """Record a referral to the Ombudsman, or its outcome (at any point)."""
    pence = _pence(compensation)
    referred_on, decided_on = _day(referred, "--referred"), _day(decided, "--decided")
    apply(
        ctx,
        reference,
        lambda c, act: lc.record_ombudsman(
            c,
            act,
            referred_on=referred_on,
            outcome=outcome,
            remedy=remedy,
            decided_on=decided_on,
            compensation_pence=pence,
        ),
        now=now,
    )


@app.command()
def advocacy(
    ctx: typer.Context,
    reference: Reference,
    provided: Annotated[
        bool, typer.Option("--provided/--not-provided", help="Whether an advocate helped.")
    ] = True,
    now: Now = None,
) -> None:
    """Record whether the complainant had an advocate (for the annual report)."""
    apply(ctx, reference, lambda c, act: lc.record_advocacy(c, provided, act), now=now)


@app.command()
def close(
    ctx: typer.Context,
    reference: Reference,
    reason: OptionalReason = None,
    withdrawn: Annotated[
        bool, typer.Option("--withdrawn", help="The complainant withdrew (needs --reason).")
    ] = False,
    now: Now = None,
) -> None:
    """Close the case (every recommendation answered first); sets the retention expiry."""
    apply(
        ctx, reference, lambda c, act: lc.close(c, act, reason=reason, withdrawn=withdrawn), now=now
    )


@app.command("record-contact")
def record_contact(
    ctx: typer.Context,
    reference: Reference,
    how: Annotated[
        str,
        typer.Option(
            "--how", help="phone, letter, in_person, email (another address), advocate or other."
        ),
    ],
    on: Annotated[
        str | None, typer.Option("--on", help="The day the family was told (default: --now).")
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="What was said, or to whom (internal).")
    ] = None,
    now: Now = None,
) -> None:
    """An email to the family did not arrive (it bounced, was marked as spam or could not be
    sent): record how they were told instead. Clears the case's "family not reached" flag."""
    day = _day(on, "--on")
    apply(
        ctx,
        reference,
        lambda c, act: lc.record_contact(c, act.dated(day) if day else act, how=how, note=note),
        now=now,
    )


@app.command("draft-response")
def draft_response_command(
    ctx: typer.Context,
    reference: Reference,
    outcome: Annotated[
        str, typer.Option("--outcome", help="upheld, partly_upheld, not_upheld or resolved.")
    ],
    preview: Annotated[
        Path | None,
        typer.Option(
            "--preview",
            help="Also write the letter as it would be printed (HTML, A4) to this file.",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Print the council's draft of the stage response letter for the case (from the
    template council.yaml names), to edit and send with `respond --letter FILE`. Nothing is
    saved or sent."""
    from complaints import clock
    from complaints.service.references import normalise_reference
    from complaints.service.response_letter import draft_response, preview_response
    from complaints_tools.cli.context import common, connect

    ref = normalise_reference(reference) or fail(f"{reference!r} is not a complaint reference")
    store = connect(common(ctx).local).repository()
    case = store.get_case(ref)
    if case is None:
        fail(f"There is no case {ref}.")
    today = clock.london_today()
    text = draft_response(case, outcome=outcome, on=today)
    if preview is not None:
        preview.write_text(preview_response(case, text, on=today), encoding="utf-8")
    typer.echo(text, nl=False)
