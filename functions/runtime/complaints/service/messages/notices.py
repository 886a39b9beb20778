"""Emails the lifecycle and the checks want sent, and who they go to.

The service layer decides *that* an email is due and to whom; the adapters render the
template and send it once (through the outbox). A notice's ``key`` is unique within its case,
so a retried change never queues the same email twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from complaints.models import Case
from complaints.settings import CouncilSettings, load_settings


@dataclass(frozen=True)
class Notice:
    """One email: which template, to whom, with what. Never logged (it holds personal data)."""

    template: str
    to: tuple[str, ...]
    key: str  # unique within the case: the outbox item id
    context: Mapping[str, Any] = field(default_factory=dict)
    # An email to the complainant alone carries a fresh self-service link: its token rides in
    # the outbox item until the email is sent (``service.selfservice.issue_links``).
    token: str | None = field(default=None, repr=False)


def to_complainant(case: Case) -> tuple[str, ...]:
    """Whom a notice to the complainant is addressed to: their email address, or nobody when
    they gave none (they want post or phone). The outbox sends it by the way they prefer
    (``service.letters.route``): never to an address that is not there."""
    return (case.complainant.email,) if case.complainant.email else ()


def how_to_reach(case: Case) -> str:
    """How the complainant is told (``service.letters``): ``email``, ``post`` (a letter), or
    ``phone`` (a call, with the letter to read out, and the email when they gave one)."""
    person = case.complainant
    if person.contact_by == "email" and person.email:
        return "email"
    if person.contact_by == "phone":
        return "phone"
    if person.address:
        return "post"
    return "email" if person.email else "phone"


def for_complainant(case: Case, to: tuple[str, ...]) -> bool:
    """Whether a notice addressed to ``to`` is the complainant's own."""
    return not to or to == to_complainant(case)


def team_for(procedure: str, settings: CouncilSettings) -> str:
    """The team that runs a procedure: the children's complaints team the statutory one, the
    corporate team the rest."""
    from complaints.procedures import get_procedure

    if get_procedure(procedure).statutory:
        return str(settings.complaints_team.email)
    return str(settings.corporate_complaints_team.email)


def team_email(case: Case) -> str:
    """The team that runs the case's procedure."""
    return team_for(case.procedure, load_settings())


def owner_or_team(case: Case) -> tuple[str, ...]:
    """The case owner when one is assigned, otherwise the complaints team."""
    return (case.owner,) if case.owner else (team_email(case),)


def escalation_emails() -> tuple[str, ...]:
    return tuple(str(contact.email) for contact in load_settings().escalation_contacts)


def escalation_and_team(case: Case, *extra: str | None) -> tuple[str, ...]:
    """The escalation contacts, the complaints team and any ``extra`` address, once each."""
    addresses = [*escalation_emails(), team_email(case), *(e for e in extra if e)]
    return tuple(dict.fromkeys(addresses))
