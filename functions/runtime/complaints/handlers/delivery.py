"""Delivery handler Lambda: what became of each email, from the delivery queue (SQS).

The queue receives

- Amazon SES's events for every email sent through the stack's configuration set (an event
  destination to EventBridge, whose rule sends bounce, complaint, delivery and reject events
  here: ``{"source": "aws.ses", "detail-type": "Email Bounced", "detail": {...}}``);
- GOV.UK Notify's delivery receipts, put here by the callback route once their bearer token
  checked out (``handlers.notify_callback``: ``{"source": NOTIFY_SOURCE, "detail": {...}}``).

Each is turned into a ``service.delivery.Report`` and recorded once on its case
(``service.delivery.record``). Powertools batch processing reports partial failures
(``ReportBatchItemFailures``): a record that fails is retried on its own and, after the queue's
``maxReceiveCount``, goes to the dead-letter queue (an alarm watches its depth). Logs hold
references and outcomes: never the event, which names the recipients.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from complaints.handlers.notify_callback import NOTIFY_SOURCE

if TYPE_CHECKING:
    from complaints.service.delivery import Report

logger = Logger(service="complaints-delivery")
processor = BatchProcessor(event_type=EventType.SQS)

SES_SOURCE = "aws.ses"
MESSAGE_TAG = "message"  # adapters.mailer.MESSAGE_TAG (not imported: the mailer needs boto3)
# SES event type -> (status, reason, the part of the event about it)
SES_EVENTS = {
    "Bounce": ("failed", "bounce", "bounce"),
    "Complaint": ("failed", "complaint", "complaint"),
    "Reject": ("failed", "reject", "reject"),
    "Delivery": ("delivered", "delivered", "delivery"),
}
# Notify's final statuses of an email (its delivery receipts)
NOTIFY_STATUSES = {
    "delivered": ("delivered", "delivered"),
    "permanent-failure": ("failed", "permanent_failure"),
    "temporary-failure": ("failed", "temporary_failure"),
    "technical-failure": ("failed", "technical_failure"),
}


class DeliveryRecordError(Exception):
    """A queue record failed. Its message names the error type only: when the whole batch
    fails, Lambda logs the errors, and an event quotes addresses."""


def _moment(*candidates: Any) -> datetime:
    for value in candidates:
        if isinstance(value, str) and value:
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    from complaints import clock

    return clock.now()


def ses_report(detail: Mapping[str, Any]) -> Report | None:
    """A ``Report`` from an SES event (the ``detail`` of EventBridge's event, the same record
    SES publishes to SNS); ``None`` for events that are not recorded (sends, delays, opens)
    or for email without the message tag (not sent by this system)."""
    from complaints.service.delivery import Report

    found = SES_EVENTS.get(str(detail.get("eventType") or detail.get("notificationType")))
    if found is None:
        return None
    status, reason, part_name = found
    mail = detail.get("mail") or {}
    tags = mail.get("tags") or {}
    message = (tags.get(MESSAGE_TAG) or [""])[0]
    if not message:
        return None
    part = detail.get(part_name) or {}
    recipients = {
        "bounce": [r.get("emailAddress", "") for r in part.get("bouncedRecipients") or ()],
        "complaint": [r.get("emailAddress", "") for r in part.get("complainedRecipients") or ()],
        "delivery": list(part.get("recipients") or ()),
    }.get(part_name, [])
    return Report(
        provider="ses",
        message=str(message),
        status=status,  # type: ignore[arg-type]
        reason=reason,
        at=_moment(part.get("timestamp"), mail.get("timestamp")),
        provider_id=str(mail.get("messageId") or ""),
        detail=str(part.get("feedbackId") or part.get("timestamp") or part_name),
        recipients=tuple(str(r) for r in recipients if r),
    )


def notify_report(receipt: Mapping[str, Any]) -> Report | None:
    """A ``Report`` from a GOV.UK Notify delivery receipt; ``None`` for a status that is not
    final, or a receipt without our reference."""
    from complaints.service.delivery import Report

    found = NOTIFY_STATUSES.get(str(receipt.get("status")))
    reference = receipt.get("reference")
    if found is None or not reference:
        return None
    status = str(receipt["status"])
    return Report(
        provider="notify",
        message=str(reference),
        status=found[0],  # type: ignore[arg-type]
        reason=found[1],
        at=_moment(receipt.get("completed_at"), receipt.get("sent_at"), receipt.get("created_at")),
        provider_id=str(receipt.get("id") or ""),
        detail=status,
    )


def report_from(body: Mapping[str, Any]) -> Report | None:
    """The report a queue message holds (an SES event or a Notify receipt), or ``None``."""
    detail = body.get("detail")
    if not isinstance(detail, Mapping):
        raise ValueError("not an event")
    if body.get("source") == SES_SOURCE:
        return ses_report(detail)
    if body.get("source") == NOTIFY_SOURCE:
        return notify_report(detail)
    raise ValueError("not a delivery event")


def _store() -> Any:
    """The repository (``complaints.wiring``): this function needs only the table."""
    from complaints import wiring

    return wiring.store()


def record_handler(record: SQSRecord) -> None:
    from complaints.service.delivery import parse_message_key
    from complaints.service.delivery import record as record_report
    from complaints.service.outbox import error_code

    try:
        report = report_from(json.loads(record.body))
        if report is None:
            logger.info("delivery event not recorded")
            return
        outcome = record_report(_store(), report)
    except Exception as error:
        code = error_code(error)
        logger.warning("delivery event failed", extra={"error": code})
        raise DeliveryRecordError(f"delivery event failed: {code}") from None
    found = parse_message_key(report.message)
    logger.info(
        "delivery report",
        extra={
            "reference": found[0] if found else None,
            "provider": report.provider,
            "status": report.status,
            "reason": report.reason,
            "outcome": outcome,
        },
    )


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(  # type: ignore[return-value]
        event=event, record_handler=record_handler, processor=processor, context=context
    )
