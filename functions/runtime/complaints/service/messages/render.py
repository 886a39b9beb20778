"""The emails intake sends, rendered from Jinja2 templates (text and HTML).

Each builder returns an ``Email``; the mailer adapter sends it. Team and advocacy messages carry
as little personal data as will do the job, and never the complaint text: staff read that in
the case record. Dates and timescales come from the deadlines service and ``procedures.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from complaints.dates import day_and_date, long_date
from complaints.environment import environment
from complaints.models import Case
from complaints.procedures import get_procedure
from complaints.service.deadlines import acknowledge_by, case_deadlines
from complaints.settings import CouncilSettings
from complaints.submission import RELATIONSHIP_LABELS, Relationship
from complaints.templating import render

SELF_SERVICE_PATH = "/complaint/progress"  # handlers.selfservice_pages


@dataclass(frozen=True)
class Email:
    to: tuple[str, ...]
    subject: str
    text: str
    html: str
    kind: str  # acknowledgement, team_alert, ... (an email tag: never personal data)
    reference: str
    # ``service.delivery.message_key``: the case and outbox item, carried by the email (an SES
    # tag, a Notify reference) so that what the sender reports later finds its case.
    message_key: str = ""


@dataclass(frozen=True)
class Letter:
    """A letter to post, for a sender that can post (GOV.UK Notify's letters). The outbox
    queues every letter for staff to print and post (``service.letters``); nothing calls
    ``service.outbox.Mail.send_letter`` yet."""

    address: tuple[str, ...]  # the lines of the address, the postcode last
    subject: str
    text: str
    kind: str
    reference: str
    message_key: str = ""


def staff_case_link(reference: str) -> str | None:
    """The case page in the staff console (``STAFF_CASE_URL``), when the stack has one."""
    staff = environment().staff_case_url
    return staff.format(reference=reference) if staff else None


def site_url(settings: CouncilSettings) -> str:
    return (environment().public_base_url or str(settings.council.website)).rstrip("/")


def self_service_link(case: Case, token: str, settings: CouncilSettings) -> str:
    query = urlencode({"reference": case.reference, "token": token})
    return f"{site_url(settings)}{SELF_SERVICE_PATH}?{query}"


def _render(kind: str, case: Case, to: tuple[str, ...], subject: str, **context: Any) -> Email:
    context.update(case=case, subject=subject)
    return Email(
        to=to,
        subject=subject,
        text=render(f"{kind}.txt", **context),
        html=render(f"{kind}.html", **context),
        kind=kind,
        reference=case.reference,
    )


def _facts(case: Case, settings: CouncilSettings) -> dict[str, Any]:
    procedure = get_procedure(case.procedure)
    stage = procedure.stage(case.stage_number())
    deadlines = case_deadlines(case)
    by_child = case.complainant.relationship is Relationship.CHILD_OR_YOUNG_PERSON
    return {
        "staff_link": staff_case_link(case.reference),
        "settings": settings,
        "procedure": procedure,
        "stage": stage,
        "respond_by": day_and_date(deadlines.respond_by),
        "reminder_on": day_and_date(deadlines.reminder_on),
        "acknowledge_by": day_and_date(acknowledge_by(case)),
        "received_on": day_and_date(case.received_on),
        "relationship": (
            "The child or young person"
            if by_child
            else RELATIONSHIP_LABELS[case.complainant.relationship]
        ),
        "by_child": by_child,
        "service_area": (
            settings.service_area(case.service_area).label if case.service_area else None
        ),
    }


def notice(
    case: Case,
    template: str,
    to: tuple[str, ...],
    context: Mapping[str, Any],
    settings: CouncilSettings,
    *,
    token: str | None = None,
    as_letter: bool = False,
) -> Email:
    """Any other email about a case (e.g. from the lifecycle or the checks): renders
    ``<template>.txt``, ``<template>.html`` (when there is none, the text's paragraphs in the
    shared layout, ``notice.html``) and, when it exists, ``<template>.subject.txt`` (else
    ``context["subject"]``) with the case's facts and ``context``. ``token``: an email to the
    complainant carries their self-service link (``service.selfservice.issue_links``).
    ``as_letter``: the same words for a letter (no link: a printed link would carry the
    secret; "write to us", not "reply to this email")."""
    from jinja2 import TemplateNotFound

    reserved = {"case", "subject", "kind", "to", "link", "as_letter"}
    values = {**_facts(case, settings), **{k: v for k, v in context.items() if k not in reserved}}
    values["link"] = self_service_link(case, token, settings) if token and not as_letter else None
    values["as_letter"] = as_letter
    try:
        subject = render(f"{template}.subject.txt", case=case, **values).strip()
    except TemplateNotFound:
        subject = str(context.get("subject") or f"Your complaint {case.reference}")
    text = render(f"{template}.txt", case=case, subject=subject, **values)
    try:
        html = render(f"{template}.html", case=case, subject=subject, **values)
    except TemplateNotFound:  # one set of words: the text's paragraphs in the email layout
        blocks = [b.splitlines() for b in text.strip().split("\n\n") if b.strip()]
        html = render("notice.html", subject=subject, paragraphs=blocks)
    return Email(
        to=to,
        subject=subject,
        text=text,
        html=html,
        kind=template,
        reference=case.reference,
    )


def acknowledgement(
    case: Case, token: str | None, settings: CouncilSettings, *, as_letter: bool = False
) -> Email:
    """To the complainant: reference, what happens next, the respond-by date, the right to an
    advocate (s26A), the self-service link and the Ombudsman. ``as_letter``: the same words
    for a letter, without the link."""
    from complaints.service.messages.notices import to_complainant
    from complaints.service.triage import safety_advice

    return _render(
        "acknowledgement",
        case,
        to_complainant(case),
        f"We have received your complaint - reference {case.reference}",
        link=self_service_link(case, token, settings) if token and not as_letter else None,
        as_letter=as_letter,
        safety=safety_advice(settings) if case.urgent else None,
        **_facts(case, settings),
    )


def saved_answers(item: Mapping[str, Any], settings: CouncilSettings) -> Email:
    """To someone who saved their answers to come back later: the link (``service.drafts``;
    no case yet, so no reference), until when it works, and that nothing is sent yet."""
    from datetime import datetime

    from complaints.clock import received_on

    until = day_and_date(received_on(datetime.fromisoformat(str(item["until"]))))
    link = f"{site_url(settings)}/complaint/resume?{urlencode({'token': str(item['token'])})}"
    subject = "Your saved complaint form"
    context = {"link": link, "until": until, "settings": settings, "subject": subject}
    return Email(
        to=tuple(str(to) for to in item["to"]),
        subject=subject,
        text=render("saved_answers.txt", **context),
        html=render("saved_answers.html", **context),
        kind="saved_answers",
        reference=str(item["reference"]),
    )


def team_alert(case: Case, settings: CouncilSettings, team_email: str) -> Email:
    """To the complaints team: the facts needed to act, no names and no complaint text."""
    prefix = "URGENT - " if case.urgent else ""
    facts = _facts(case, settings)
    return _render(
        "team_alert",
        case,
        (team_email,),
        f"{prefix}New complaint {case.reference}: respond by {facts['respond_by']}",
        **facts,
    )


def advocacy_referral(case: Case, settings: CouncilSettings) -> Email:
    """To the advocacy service (Children Act 1989 s26A): who to contact, never the complaint."""
    return _render(
        "advocacy_referral",
        case,
        (str(settings.advocacy_service.email),),
        f"Advocacy referral from {settings.council.name} - complaint {case.reference}",
        **_facts(case, settings),
    )


def safeguarding_alert(case: Case, settings: CouncilSettings) -> Email:
    """To the safeguarding contact (the front door) at once: someone says a child is in
    danger now. What they need to act out of hours too: who, how to reach them, the child,
    what was written about the danger, and the case page. Sent only over TLS."""
    return _render(
        "safeguarding_alert",
        case,
        (str(settings.complaints_team.safeguarding_contact_email),),
        f"URGENT: a child may be in danger now - complaint {case.reference}",
        **_facts(case, settings),
    )


def letter_html(
    *,
    reference: str,
    name: str,
    address: str | None,
    subject: str,
    text: str,
    dated: date,
    settings: CouncilSettings,
    draft: bool = False,
) -> str:
    """A printable letter (A4, print CSS) on the council's letterhead (``council.yaml``: its
    name and the complaints team's address), from the same words as the email (``text``).
    Everything from outside is escaped (the template is autoescaped)."""
    blocks = [b.splitlines() for b in text.strip().split("\n\n") if b.strip()]
    return render(
        "letter.html",
        settings=settings,
        reference=reference,
        person=name,
        address_lines=[line for line in (address or "").splitlines() if line.strip()],
        subject=subject,
        paragraphs=blocks,
        dated=long_date(dated),
        draft=draft,
    )
