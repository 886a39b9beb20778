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
    # A self-service token the email carries as a link: kept on the outbox item only until
    # the email is sent (then removed), never in the stored context.
    secret: str | None = None


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
