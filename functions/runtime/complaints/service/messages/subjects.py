"""What an email from the lifecycle or the checks says, ready for the outbox.

A ``Notice`` names its template (``templates/notice_<name>.txt``, rendered when the outbox
sends it by ``messages.notice``); this adds the subject and turns dates into words (GOV.UK
style), so the stored context is plain JSON. Staff alerts carry the reference and dates,
never names or complaint text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from complaints.dates import day_and_date
from complaints.service.messages.notices import Notice

SUBJECTS: Mapping[str, str] = {
    "extended": "We need more time to answer your complaint - reference {reference}",
    "held": "Your complaint is on hold - reference {reference}",
    "resumed": "We have started work on your complaint again - reference {reference}",
    "responded": "Our answer to your complaint - reference {reference}",
    "stage_requested": "You asked for the next stage of your complaint - reference {reference}",
    "stage_requested_team": "Stage {stage} asked for: complaint {reference}",
    "late_request_decided": "Our decision on your request - reference {reference}",
    "recommendation_completed": "We have done what we said we would - reference {reference}",
    "reminder": "Reminder: complaint {reference} is due {due}",
    "overdue_alert": "OVERDUE: complaint {reference}, stage {stage}",
    "council_late": "We are late answering your complaint - reference {reference}",
    "recommendation_overdue": "OVERDUE action: complaint {reference}, recommendation {id}",
    "decision_reminder": "Decision needed: complaint {reference}, stage {stage}",
    "acknowledged": "What we agreed about your complaint - reference {reference}",
    "late_complaint_decided": "Our decision on your complaint - reference {reference}",
    "sufficient_interest_decided": "Our decision on your complaint - reference {reference}",
    "proceedings_decided": "We are carrying on with your complaint - reference {reference}",
    "acknowledgement_due": "Acknowledge today: complaint {reference}",
    "hold_review_due": "Review the hold today: complaint {reference}",
    "status_link": "A new link to check your complaint - reference {reference}",
    "delivery_failed": "Reach the family another way: complaint {reference}",
    "delivery_failed_staff": "Email not delivered: complaint {reference}",
}


def template_name(notice: Notice) -> str:
    if notice.template not in SUBJECTS:
        raise ValueError(f"unknown notice template {notice.template!r}")
    return f"notice_{notice.template}"


def email_context(notice: Notice, reference: str) -> dict[str, Any]:
    """The notice's context with its subject, every date as words (``Monday 9 June 2025``)."""
    context = _readable(dict(notice.context))
    subject = SUBJECTS[notice.template].format_map(_Blank({"reference": reference, **context}))
    return {**context, "subject": subject}


def _readable(value: Any) -> Any:
    if isinstance(value, date):
        return day_and_date(value)
    if isinstance(value, list | tuple):
        return [_readable(v) for v in value]
    if isinstance(value, dict):
        return {k: _readable(v) for k, v in value.items()}
    return value


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""
