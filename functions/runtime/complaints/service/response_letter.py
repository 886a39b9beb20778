"""The stage response letter: drafted from the council's own template (``council.yaml``'s
``response_letter_template``, a file in ``data/``, never in code), edited by the officer,
previewed (rendered, nothing saved), then sent with the response (``lifecycle.respond``
requires it): held with the case, sent by email or post as the complainant prefers, and on
the timeline. The complainant's status page says when and how it was sent, never its text.

The council's template is rendered in Jinja's sandbox, as plain text; the letter is shown as
HTML only through the autoescaped letter layout (``templates/letter.html``).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from complaints.dates import day_and_date, long_date
from complaints.models import Case
from complaints.procedures import get_procedure
from complaints.service.lifecycle.stage import MAX_LETTER, next_steps
from complaints.service.messages import render as messages
from complaints.settings import COUNCIL_FILE, CouncilSettings, load_settings

__all__ = ["MAX_LETTER", "draft_response", "preview_response", "response_subject"]


@cache
def _sandbox() -> Any:
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(
        autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True
    )


def template_text(settings: CouncilSettings) -> str:
    """The council's draft, from the file ``council.yaml`` names (beside it, in ``data/``)."""
    return (COUNCIL_FILE.parent / settings.response_letter_template).read_text(encoding="utf-8")


def draft_response(case: Case, *, outcome: str, on: date) -> str:
    """The draft of the current stage's response letter, from the council's template, with
    the case's facts: who, what was agreed, the outcome, the next stage and its date (if
    answered ``on``), and the Ombudsman. The officer edits it before it is sent."""
    settings = load_settings()
    procedure = get_procedure(case.procedure)
    stage = case.stage
    data = procedure.stage(stage.number)
    steps = next_steps(procedure, case, on)
    team = settings.complaints_team if procedure.statutory else settings.corporate_complaints_team
    facts = {
        "complainant": case.complainant.name,
        "reference": case.reference,
        "stage": stage.number,
        "stage_name": data.name,
        "received_on": long_date(stage.started_on),
        "summary": stage.acknowledgement,
        "outcome_sought": stage.outcome_understood or case.outcome_sought,
        "outcome": outcome.replace("_", " "),
        "next_stage": steps["next_stage"],
        "next_stage_name": steps["next_stage_name"],
        "ask_by": day_and_date(steps["ask_by"]) if steps["ask_by"] else None,
        "ombudsman": procedure.after_final_stage.name,
        "ombudsman_website": str(settings.ombudsman.website),
        "ombudsman_phone": settings.ombudsman.phone,
        "council": settings.council.name,
        "team": team.name,
        "team_phone": team.phone,
    }
    text = str(_sandbox().from_string(template_text(settings)).render(**facts))
    return text.strip() + "\n"


def response_subject(case: Case) -> str:
    return f"Our answer to your complaint - reference {case.reference}"


def preview_response(case: Case, text: str, *, on: date) -> str:
    """The letter as it would be printed (A4, letterhead), marked as a draft: nothing saved,
    nothing sent. ``text`` is the officer's, escaped."""
    return messages.letter_html(
        reference=case.reference,
        name=case.complainant.name,
        address=case.complainant.address,
        subject=response_subject(case),
        text=text,
        dated=on,
        settings=load_settings(),
        draft=True,
    )
