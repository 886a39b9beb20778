"""Outbox worker Lambda: the table's DynamoDB Stream, filtered to new outbox items.

Powertools batch processing reports partial failures (``ReportBatchItemFailures``): a record
that fails is retried on its own and, after the event source mapping's retries, goes to the
DLQ. ``service.outbox`` makes each step happen once however often a record arrives.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecord,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="complaints-outbox")
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def _dependencies() -> tuple[Any, Any, Any]:
    """Repository, mailer and scheduler, made once on first use (``complaints.wiring``)."""
    from complaints import wiring

    made = wiring.adapters()
    return made.store, made.mail, made.schedules


class OutboxItemError(Exception):
    """An outbox record failed. Its message names the item and the error code only: when the
    whole batch fails, Lambda logs the error with every record's message, and AWS error
    messages can quote addresses (SES names the recipients it refused)."""


def record_handler(record: DynamoDBRecord) -> None:
    from complaints.adapters import keys
    from complaints.adapters.dynamo import from_attributes
    from complaints.service.outbox import act_on, error_code

    item: dict[str, Any] = {}
    try:
        image = (record.raw_event.get("dynamodb") or {}).get("NewImage") or {}
        item = from_attributes(image)
        is_new = record.raw_event.get("eventName") == "INSERT"
        if not is_new or item.get("item_type") != keys.OUTBOX_ITEM:
            return  # not ours (the event source filter should already have dropped it)
        store, mail, schedules = _dependencies()
        outcome = act_on(item, store, mail, schedules)
    except Exception as error:
        code = error_code(error)
        reference, kind = str(item.get("reference", "?")), str(item.get("kind", "?"))
        logger.warning(
            "outbox item failed", extra={"reference": reference, "kind": kind, "error": code}
        )
        raise OutboxItemError(f"outbox item {kind} of {reference} failed: {code}") from None
    logger.info(
        "outbox item",
        extra={"reference": item.get("reference"), "kind": item.get("kind"), "outcome": outcome},
    )


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(  # type: ignore[return-value]
        event=event, record_handler=record_handler, processor=processor, context=context
    )
