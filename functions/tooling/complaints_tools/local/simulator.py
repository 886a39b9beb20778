"""The SES mailbox simulator, locally: what SES does with email to ``success@``, ``bounce@`` and
``complaint@simulator.amazonses.com``, so that ``make run`` shows the whole delivery path.

The embedded SES (moto) accepts every email and reports nothing. Here, after it accepted an
email sent through a configuration set, each simulator recipient draws the events real SES
would publish (``success``: delivered; ``bounce``: a permanent bounce; ``complaint``: delivered,
then a complaint), shaped as EventBridge delivers them (``source: aws.ses``, ``detail-type``
and SES's event record in ``detail``, with the email's tags). Each event goes through the
template's EventBridge rules (their patterns, ``streams.matches``) onto their queues, where the
local stack's queue poller hands it to the real delivery handler. Addresses elsewhere draw no
event (locally, nobody can say whether they would arrive). Local only.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from complaints_tools.local.streams import matches
from complaints_tools.local.template import ACCOUNT_ID, EventRule

DOMAIN = "simulator.amazonses.com"
# what each simulator mailbox draws, in order (SES's own simulator: a complaint follows delivery)
OUTCOMES: Mapping[str, tuple[str, ...]] = {
    "success": ("Delivery",),
    "bounce": ("Bounce",),
    "complaint": ("Delivery", "Complaint"),
    "suppressionlist": ("Bounce",),
}
DETAIL_TYPES = {
    "Delivery": "Email Delivered",
    "Bounce": "Email Bounced",
    "Complaint": "Email Complaint Received",
    "Reject": "Email Rejected",
}


def mailbox(address: str) -> str | None:
    """``bounce`` for ``bounce+label@simulator.amazonses.com``; ``None`` elsewhere."""
    local, _, domain = address.strip().lower().rpartition("@")
    if domain != DOMAIN:
        return None
    name = local.split("+", 1)[0]
    return name if name in OUTCOMES else None


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def ses_events(
    params: Mapping[str, Any], message_id: str, now: datetime, region: str = "eu-west-2"
) -> list[dict[str, Any]]:
    """The EventBridge events real SES would publish for the simulator recipients of the
    ``SendEmail`` request ``params`` (none without a configuration set)."""
    configuration_set = params.get("ConfigurationSetName")
    if not configuration_set:
        return []
    sender = str(params.get("FromEmailAddress") or "")
    recipients = [str(a) for a in (params.get("Destination") or {}).get("ToAddresses") or ()]
    tags: dict[str, list[str]] = {t["Name"]: [t["Value"]] for t in params.get("EmailTags") or ()}
    tags.update(
        {
            "ses:configuration-set": [configuration_set],
            "ses:from-domain": [sender.rpartition("@")[2]],
            "ses:source-ip": ["127.0.0.1"],
        }
    )
    mail = {
        "timestamp": _time(now),
        "source": sender,
        "sendingAccountId": ACCOUNT_ID,
        "messageId": message_id,
        "destination": recipients,
        "headersTruncated": False,
        "tags": tags,
    }
    events: list[dict[str, Any]] = []
    step = 0
    for address in recipients:
        found = mailbox(address)
        for kind in OUTCOMES.get(found or "", ()):
            step += 1
            at = _time(now + timedelta(milliseconds=500 * step))
            detail: dict[str, Any] = {"eventType": kind, "mail": mail}
            if kind == "Delivery":
                detail["delivery"] = {
                    "timestamp": at,
                    "processingTimeMillis": 500,
                    "recipients": [address],
                    "smtpResponse": "250 2.6.0 Message received",
                    "reportingMTA": f"a1-1.smtp-out.{region}.amazonses.com",
                }
            elif kind == "Bounce":
                detail["bounce"] = {
                    "feedbackId": str(uuid.uuid4()),
                    "bounceType": "Permanent",
                    "bounceSubType": "General",
                    "bouncedRecipients": [
                        {
                            "emailAddress": address,
                            "action": "failed",
                            "status": "5.1.1",
                            "diagnosticCode": "smtp; 550 5.1.1 user unknown",
                        }
                    ],
                    "timestamp": at,
                    "reportingMTA": "dns; amazonses.com",
                }
            else:
                detail["complaint"] = {
                    "feedbackId": str(uuid.uuid4()),
                    "complainedRecipients": [{"emailAddress": address}],
                    "timestamp": at,
                    "userAgent": "Amazon SES Mailbox Simulator",
                    "complaintFeedbackType": "abuse",
                }
            events.append(
                {
                    "version": "0",
                    "id": str(uuid.uuid4()),
                    "detail-type": DETAIL_TYPES[kind],
                    "source": "aws.ses",
                    "account": ACCOUNT_ID,
                    "time": at,
                    "region": region,
                    "resources": [
                        f"arn:aws:ses:{region}:{ACCOUNT_ID}:configuration-set/{configuration_set}"
                    ],
                    "detail": detail,
                }
            )
    return events


class SesSimulator:
    """Puts the simulator's events on the queues of the rules they match (the local SQS)."""

    def __init__(self, sqs: Any, rules: Sequence[EventRule], region: str = "eu-west-2") -> None:
        self.sqs = sqs
        self.rules = list(rules)
        self.region = region
        self.published = 0

    def after_send(self, params: Mapping[str, Any], message_id: str, now: datetime) -> int:
        """Publish what SES would for one accepted email; returns how many events were queued."""
        queued = 0
        for event in ses_events(params, message_id, now, self.region):
            for rule in self.rules:
                if matches(rule.pattern, event):
                    self.sqs.send_message(QueueUrl=rule.queue_url, MessageBody=json.dumps(event))
                    queued += 1
        self.published += queued
        return queued


def rules_to_json(rules: Sequence[EventRule]) -> list[dict[str, Any]]:
    """For ``.local/stack.json`` (the command line sends email too)."""
    return [
        {"pattern": r.pattern, "queue_url": r.queue_url, "dead_letter_url": r.dead_letter_url}
        for r in rules
    ]


def rules_from_json(found: Sequence[Mapping[str, Any]]) -> list[EventRule]:
    return [
        EventRule(dict(r["pattern"]), str(r["queue_url"]), r.get("dead_letter_url")) for r in found
    ]
