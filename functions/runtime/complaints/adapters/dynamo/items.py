"""Items of the complaints table: models to DynamoDB items and back (layout in ``keys.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from complaints.adapters import keys
from complaints.adapters.keys import utc_instant
from complaints.models import Case, Event, Receipt
from complaints.service.checks.plan import Check, schedule_name, schedule_payload
from complaints.service.intake import OutboxItem, OutboxKind

Item = dict[str, Any]
# An outbox item not done this long after it was written (its worker died holding it, or
# every stream retry failed) is found by the daily sweep through the ``ByDueDate`` index.
OUTBOX_SWEPT_AFTER = timedelta(minutes=15)


def _serializer() -> Any:
    from boto3.dynamodb.types import TypeSerializer

    return TypeSerializer()


def _plain(value: Any) -> Any:
    """DynamoDB numbers come back as ``Decimal``: make them ints (or floats) again."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | set | tuple):
        return [_plain(v) for v in value]
    return value


def to_attributes(item: Mapping[str, Any]) -> dict[str, Any]:
    """A plain item as DynamoDB attribute values."""
    serializer = _serializer()
    return {k: serializer.serialize(v) for k, v in item.items() if v is not None}


def from_attributes(attributes: Mapping[str, Any]) -> Item:
    """DynamoDB attribute values (an item, or a stream image) as a plain item."""
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    return {k: _plain(deserializer.deserialize(v)) for k, v in attributes.items()}


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


# --- items -------------------------------------------------------------------------------


def case_item(case: Case) -> Item:
    from complaints.models import CaseStatus
    from complaints.service.staff.caseload import next_due, owner_key, waiting

    ref = case.reference
    item: Item = case.model_dump(mode="json", exclude_none=True)
    received = case.received_on.isoformat()
    item.update(
        PK=keys.case_pk(ref),
        SK=keys.CASE_SK,
        item_type=keys.CASE_ITEM,
        GSI2PK=keys.received_partition(case.received_on),
        GSI2SK=f"{received}#{ref}",
        GSI3PK=keys.status_partition(case.status.value),
        GSI3SK=f"{received}#{ref}",
        # the caseload's filters, as plain attributes its queries can test
        stage_number=case.stage_number(),
        waiting=waiting(case),
    )
    if case.status is not CaseStatus.CLOSED:
        due = f"{next_due(case).isoformat()}#{ref}"
        item.update(
            GSI4PK=keys.owner_partition(owner_key(case.owner)),
            GSI4SK=due,
            GSI5PK=keys.ACTIVE_PARTITION,
            GSI5SK=due,
        )
    if case.urgent:
        item.update(GSI6PK=keys.URGENT_PARTITION, GSI6SK=f"{utc_instant(case.received_at)}#{ref}")
    return item


def case_from_item(item: Mapping[str, Any]) -> Case:
    return Case.model_validate({k: v for k, v in item.items() if k in Case.model_fields})


def event_item(event: Event, seq: int = 0) -> Item:
    item: Item = event.model_dump(mode="json", exclude_none=True)
    item.update(
        PK=keys.case_pk(event.reference),
        SK=keys.event_sk(event.at, seq),
        item_type=keys.EVENT_ITEM,
    )
    return item


def event_from_item(item: Mapping[str, Any]) -> Event:
    return Event.model_validate({k: v for k, v in item.items() if k in Event.model_fields})


def outbox_item(reference: str, outbox: OutboxItem, now: datetime) -> Item:
    """A pending outbox item; in the ``ByDueDate`` index (due ``OUTBOX_SWEPT_AFTER`` from now)
    until it is done, so the sweep carries out any the stream worker never finished."""
    sk = keys.outbox_sk(outbox.kind.value, outbox.item_id)
    sweep_at = now + OUTBOX_SWEPT_AFTER
    item: Item = {
        "PK": keys.case_pk(reference),
        "SK": sk,
        "item_type": keys.OUTBOX_ITEM,
        "kind": outbox.kind.value,
        "reference": reference,
        "stage": outbox.stage,
        "status": "pending",
        "created_at": now.astimezone(UTC).isoformat(),
        "due_at": sweep_at.astimezone(UTC).isoformat(),
        "GSI1PK": keys.DUE_PARTITION,
        "GSI1SK": keys.due_sort_key(sweep_at, reference, sk),
    }
    item.update(outbox.data)
    return item


def notice_item(
    reference: str,
    key: str,
    template: str,
    to: tuple[str, ...],
    context: Mapping[str, Any],
    now: datetime,
    stage: int,
    token: str | None = None,
) -> Item:
    """An outbox item for one email (``key`` unique within the case: sent once). ``token``:
    the self-service link's secret, removed once the email is sent (``finish_outbox``)."""
    from pydantic_core import to_jsonable_python

    data: dict[str, Any] = {
        "template": template,
        "to": list(to),
        "context": to_jsonable_python(dict(context)),
    }
    if token:
        data["token"] = token
    return outbox_item(reference, OutboxItem(OutboxKind.NOTICE, key, stage, data), now)


def check_item(reference: str, check: Check) -> Item:
    """A pending check: in the ``ByDueDate`` index until it has run or is replaced."""
    sk = keys.check_sk(check.id)
    return {
        "PK": keys.case_pk(reference),
        "SK": sk,
        "item_type": keys.CHECK_ITEM,
        "reference": reference,
        "check": check.id,
        "stage": check.stage,
        "kind": check.kind,
        "due_at": check.due_at.astimezone(UTC).isoformat(),
        "schedule_name": schedule_name(reference, check),
        "payload": schedule_payload(reference, check),
        "status": "pending",
        "GSI1PK": keys.DUE_PARTITION,
        "GSI1SK": keys.due_sort_key(check.due_at, reference, sk),
    }


def _repeat_item(
    pk: str, sk: str, kind: str, receipt: Receipt, until: datetime, content_hash: str
) -> Item:
    """An idempotency item: the first receipt, and the hash of the answers it was given for
    (a submission id seen again with other answers is a conflict, not a repeat)."""
    return {
        "PK": pk,
        "SK": sk,
        "item_type": kind,
        "reference": receipt.reference,
        "receipt": receipt.model_dump(mode="json"),
        "content_hash": content_hash,
        keys.TTL_ATTRIBUTE: epoch(until),
    }


def cancellation_codes(error: Exception) -> list[str | None] | None:
    """Why each item of a cancelled transaction failed (``ConditionalCheckFailed``,
    ``TransactionConflict``, or ``None`` for an item that did not), in the items' order; or
    ``None`` when ``error`` is not a cancelled transaction."""
    response = getattr(error, "response", None)
    if not isinstance(response, Mapping):
        return None
    if response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return None
    return [reason.get("Code") for reason in response.get("CancellationReasons", [])]
