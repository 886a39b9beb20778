"""The complaints table: cases, events, outbox and check items (layout in ``keys.py``).

The one module that turns models into DynamoDB items and back. Every query uses the table's
keys or an index; nothing here scans the table.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from complaints.adapters import keys
from complaints.adapters.clients import client, is_transient
from complaints.clock import wall_now
from complaints.models import Case, CaseStatus, Event, Receipt
from complaints.service.checks.plan import Check, schedule_name, schedule_payload
from complaints.service.intake import (
    IntakeUnavailableError,
    NewCase,
    OutboxItem,
    OutboxKind,
    ReferenceTakenError,
    SubmissionReusedError,
    WriteConflictError,
)

if TYPE_CHECKING:
    from complaints.service.casework import Saved
    from complaints.service.lifecycle import Transition

TABLE_ENV = "TABLE_NAME"
Claim = Literal["claimed", "done", "busy"]
OUTBOX_LEASE = timedelta(minutes=1)  # longer than a worker's timeout
# An outbox item not done this long after it was written (its worker died holding it, or
# every stream retry failed) is found by the daily sweep through the ``ByDueDate`` index.
OUTBOX_SWEPT_AFTER = timedelta(minutes=15)

Item = dict[str, Any]

# Why a transaction was cancelled when DynamoDB was too busy for one of its items.
THROTTLED_REASONS = frozenset({"ProvisionedThroughputExceeded", "ThrottlingError"})


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


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


# --- items -------------------------------------------------------------------------------


def case_item(case: Case) -> Item:
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
    )
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
) -> Item:
    """An outbox item for one email (``key`` unique within the case: sent once)."""
    from pydantic_core import to_jsonable_python

    return outbox_item(
        reference,
        OutboxItem(
            OutboxKind.NOTICE,
            key,
            stage,
            {"template": template, "to": list(to), "context": to_jsonable_python(dict(context))},
        ),
        now,
    )


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
        keys.TTL_ATTRIBUTE: _epoch(until),
    }


class Repository:
    """Reads and writes the complaints table named by ``TABLE_NAME``."""

    def __init__(self, table_name: str | None = None, dynamodb: Any = None) -> None:
        self.table_name = table_name or os.environ[TABLE_ENV]
        self._dynamodb = dynamodb

    @property
    def dynamodb(self) -> Any:
        if self._dynamodb is None:
            self._dynamodb = client("dynamodb")
        return self._dynamodb

    # --- intake ----------------------------------------------------------------------------

    def _put(self, item: Mapping[str, Any], condition: str = "attribute_not_exists(PK)") -> Item:
        return {
            "Put": {
                "TableName": self.table_name,
                "Item": to_attributes(item),
                "ConditionExpression": condition,
            }
        }

    def _put_unless_recent(self, item: Mapping[str, Any], now: datetime) -> Item:
        put = self._put(item, f"attribute_not_exists(PK) OR {keys.TTL_ATTRIBUTE} < :now")
        put["Put"]["ExpressionAttributeValues"] = {":now": {"N": str(_epoch(now))}}
        put["Put"]["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        return put

    def create_case(self, new: NewCase) -> Receipt | None:
        """One conditional ``TransactWriteItems`` for a new case (see ``service.intake``)."""
        from botocore.exceptions import ClientError

        now = new.event.at
        ref = new.case.reference
        writes = [self._put(case_item(new.case)), self._put(event_item(new.event))]
        writes += [self._put(outbox_item(ref, item, now)) for item in new.outbox]
        writes += [self._put(check_item(ref, check)) for check in new.checks]
        repeat_keys: dict[int, tuple[str, str]] = {}
        if new.submission_id:
            key = (keys.submission_pk(new.submission_id), "SUBMISSION")
            repeat_keys[len(writes)] = key
            writes.append(
                self._put_unless_recent(
                    _repeat_item(
                        *key,
                        keys.SUBMISSION_ITEM,
                        new.receipt,
                        new.submission_kept_until,
                        new.content_hash,
                    ),
                    now,
                )
            )
        key = (keys.content_pk(new.content_hash), "CONTENT")
        repeat_keys[len(writes)] = key
        writes.append(
            self._put_unless_recent(
                _repeat_item(
                    *key, keys.CONTENT_ITEM, new.receipt, new.repeat_until, new.content_hash
                ),
                now,
            )
        )
        try:
            try:
                self.dynamodb.transact_write_items(TransactItems=writes)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                    raise
                reasons = error.response.get("CancellationReasons", [])
                return self._after_cancel(reasons, repeat_keys, new.content_hash)
        except Exception as error:
            # Busy or unreachable after botocore's retries: the person is asked to try again
            # (a repeat of the same submission then finds the first receipt, if it was written).
            if is_transient(error):
                from complaints.service.outbox import error_code

                raise IntakeUnavailableError(error_code(error)) from None
            raise
        return None

    def _after_cancel(
        self,
        reasons: list[Mapping[str, Any]],
        repeat_keys: Mapping[int, tuple[str, str]],
        content_hash: str,
    ) -> Receipt:
        codes = [reason.get("Code", "None") for reason in reasons]
        for index in repeat_keys:
            if index < len(reasons) and codes[index] == "ConditionalCheckFailed":
                old = reasons[index].get("Item")
                # only if the old item was not returned
                found = from_attributes(old) if old else self._get(*repeat_keys[index])
                if not found:
                    raise WriteConflictError
                first = Receipt.model_validate(found["receipt"])
                if found.get("content_hash", content_hash) != content_hash:
                    raise SubmissionReusedError(first)
                return first
        if THROTTLED_REASONS.intersection(codes):  # nothing written; trying at once won't help
            raise IntakeUnavailableError("throttled")
        if "TransactionConflict" in codes:
            raise WriteConflictError
        if codes and codes[0] == "ConditionalCheckFailed":
            raise ReferenceTakenError
        raise WriteConflictError

    # --- reads -----------------------------------------------------------------------------

    def _get(self, pk: str, sk: str) -> Item | None:
        found = self.dynamodb.get_item(
            TableName=self.table_name,
            Key={"PK": {"S": pk}, "SK": {"S": sk}},
            ConsistentRead=True,
        ).get("Item")
        return from_attributes(found) if found else None

    def get_item(self, reference: str, sk: str) -> Item | None:
        """One item of a case (outbox or check item) by its sort key."""
        return self._get(keys.case_pk(reference), sk)

    def get_case(self, reference: str) -> Case | None:
        item = self._get(keys.case_pk(reference), keys.CASE_SK)
        return case_from_item(item) if item else None

    def _query(self, **kwargs: Any) -> Iterator[Item]:
        paginator = self.dynamodb.get_paginator("query")
        for page in paginator.paginate(TableName=self.table_name, **kwargs):
            for found in page.get("Items", []):
                yield from_attributes(found)

    def _case_items(self, reference: str, prefix: str) -> Iterator[Item]:
        return self._query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={
                ":pk": {"S": keys.case_pk(reference)},
                ":prefix": {"S": prefix},
            },
            ConsistentRead=True,
        )

    def events(self, reference: str) -> list[Event]:
        """The case's audit trail, oldest first."""
        return [event_from_item(item) for item in self._case_items(reference, "EVENT#")]

    def outbox_items(self, reference: str) -> list[Item]:
        return list(self._case_items(reference, "OUTBOX#"))

    def check_items(self, reference: str, stage: int | None = None) -> list[Item]:
        prefix = "CHECK#" if stage is None else f"CHECK#{stage}#"
        return list(self._case_items(reference, prefix))

    def list_cases(
        self, statuses: list[CaseStatus] | None = None, limit: int | None = None
    ) -> list[Case]:
        """Cases by status through the ``ByStatus`` index, oldest received first."""
        found: list[Case] = []
        for status in statuses or list(CaseStatus):
            for item in self._query(
                IndexName=keys.INDEX_BY_STATUS,
                KeyConditionExpression="GSI3PK = :status",
                ExpressionAttributeValues={":status": {"S": keys.status_partition(status)}},
            ):
                found.append(case_from_item(item))
        found.sort(key=lambda case: (case.received_at, case.reference))
        return found[:limit] if limit is not None else found

    def cases_received_in(self, financial_year: int) -> list[Case]:
        """Cases received in the April-to-March year starting in ``financial_year``
        (``ByReceived`` index: the reg 13 annual report reads one year)."""
        return [
            case_from_item(item)
            for item in self._query(
                IndexName=keys.INDEX_BY_RECEIVED,
                KeyConditionExpression="GSI2PK = :year",
                ExpressionAttributeValues={
                    ":year": {"S": keys.received_partition(date(financial_year, 4, 1))},
                },
            )
        ]

    # --- outbox ----------------------------------------------------------------------------

    def claim_outbox(self, reference: str, sk: str, now: datetime | None = None) -> Claim:
        """Take an outbox item to act on it.

        ``claimed``: act now; ``done``: already done (or gone); ``busy``: another attempt
        holds it and its lease has not run out (retry later).

        The lease is wall-clock time, never the business time a caller works at (``checks run
        --now`` moves that forward): a simulated future must not break another worker's lease.
        """
        from botocore.exceptions import ClientError

        now = now or wall_now()
        try:
            self.dynamodb.update_item(
                TableName=self.table_name,
                Key={"PK": {"S": keys.case_pk(reference)}, "SK": {"S": sk}},
                UpdateExpression=(
                    "SET #status = :sending, claimed_until = :until, "
                    "attempts = if_not_exists(attempts, :zero) + :one"
                ),
                ConditionExpression=(
                    "attribute_exists(PK) AND (#status = :pending OR "
                    "(#status = :sending AND claimed_until < :now))"
                ),
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":sending": {"S": "sending"},
                    ":pending": {"S": "pending"},
                    ":until": {"S": (now + OUTBOX_LEASE).astimezone(UTC).isoformat()},
                    ":now": {"S": now.astimezone(UTC).isoformat()},
                    ":zero": {"N": "0"},
                    ":one": {"N": "1"},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            old = from_attributes(error.response.get("Item") or {})
            return "busy" if old.get("status") == "sending" else "done"
        return "claimed"

    def finish_outbox(self, reference: str, sk: str, now: datetime) -> None:
        """Mark an outbox item done, take it out of the ``ByDueDate`` index, and forget any
        secret it carried (the token)."""
        self.dynamodb.update_item(
            TableName=self.table_name,
            Key={"PK": {"S": keys.case_pk(reference)}, "SK": {"S": sk}},
            UpdateExpression=(
                "SET #status = :done, done_at = :now REMOVE claimed_until, #token, GSI1PK, GSI1SK"
            ),
            ExpressionAttributeNames={"#status": "status", "#token": "token"},
            ExpressionAttributeValues={
                ":done": {"S": "done"},
                ":now": {"S": now.astimezone(UTC).isoformat()},
            },
        )

    def release_outbox(self, reference: str, sk: str, error_code: str) -> None:
        """Give an outbox item back after a failure, so the retry can take it."""
        self.dynamodb.update_item(
            TableName=self.table_name,
            Key={"PK": {"S": keys.case_pk(reference)}, "SK": {"S": sk}},
            UpdateExpression="SET #status = :pending, last_error = :error REMOVE claimed_until",
            ConditionExpression="#status = :sending",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":pending": {"S": "pending"},
                ":sending": {"S": "sending"},
                ":error": {"S": error_code[:100]},
            },
        )

    # --- lifecycle -------------------------------------------------------------------------

    def save_transition(self, before: Case, transition: Transition, now: datetime) -> Saved:
        """Save a lifecycle change in one ``TransactWriteItems``: the case (only if its
        ``version`` is still ``before.version``; it becomes one more), the new events, one
        outbox item per email, and the case's pending check items replaced by
        ``transition.checks`` (with an outbox item that makes and deletes the matching
        one-time schedules). Raises ``StaleCaseError`` when the case changed meanwhile;
        nothing is written then.
        """
        from botocore.exceptions import ClientError

        from complaints.service.casework import Saved, StaleCaseError
        from complaints.service.messages.subjects import email_context, template_name

        case = transition.case.model_copy(update={"version": before.version + 1})
        ref, stage = case.reference, case.stage_number()
        put_case = self._put(case_item(case), "attribute_exists(PK) AND #version = :version")
        put_case["Put"]["ExpressionAttributeNames"] = {"#version": "version"}
        put_case["Put"]["ExpressionAttributeValues"] = {":version": {"N": str(before.version)}}
        writes: list[Item] = [put_case]
        writes += [
            self._put(event_item(e, case.version * 100 + n))
            for n, e in enumerate(transition.events)
        ]
        items = [
            notice_item(
                ref,
                f"v{case.version}-{notice.key}",
                template_name(notice),
                notice.to,
                email_context(notice, ref),
                now,
                stage,
            )
            for notice in transition.notices
        ]
        check_writes, unscheduled = self._replace_checks(case, transition)
        writes += check_writes
        if check_writes:
            schedule = OutboxItem(
                OutboxKind.SCHEDULE_CHECKS, f"v{case.version}", stage, {"delete": unscheduled}
            )
            items.append(outbox_item(ref, schedule, now))
        writes += [self._put(item) for item in items]
        try:
            self.dynamodb.transact_write_items(TransactItems=writes)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            codes = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
            if codes[:1] == ["ConditionalCheckFailed"] or "TransactionConflict" in codes:
                raise StaleCaseError(ref) from None
            raise
        return Saved(case, items)

    def _replace_checks(self, case: Case, transition: Transition) -> tuple[list[Item], list[str]]:
        """Writes that make the case's pending check items match ``transition.checks`` (a check
        that ran is kept as ``done``, out of the index; one no longer needed is deleted), and
        the schedule names of the pending checks that go."""
        pending = {
            str(item["SK"]): item
            for item in self.check_items(case.reference)
            if item.get("status") == "pending"
        }
        writes: list[Item] = []
        planned: set[str] = set()
        for check in transition.checks:
            item = check_item(case.reference, check)
            planned.add(item["SK"])
            if item["SK"] not in pending:
                writes.append({"Put": {"TableName": self.table_name, "Item": to_attributes(item)}})
        unscheduled: list[str] = []
        done = set(case.checks_done)
        for sk, old in pending.items():
            if sk in planned:
                continue
            unscheduled.append(str(old["schedule_name"]))
            key = {"PK": {"S": keys.case_pk(case.reference)}, "SK": {"S": sk}}
            if str(old["check"]) in done:
                writes.append({"Update": self._retire(key, "done")})
            else:
                writes.append({"Delete": {"TableName": self.table_name, "Key": key}})
        return writes, unscheduled

    def _retire(self, key: Mapping[str, Any], status: str) -> Item:
        return {
            "TableName": self.table_name,
            "Key": dict(key),
            "UpdateExpression": "SET #status = :status REMOVE GSI1PK, GSI1SK",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {":status": {"S": status}},
        }

    def pending_checks(self, until: datetime) -> tuple[list[Item], int]:
        """Pending checks (and outbox items not yet done) due by ``until``, earliest first,
        from the sparse ``ByDueDate`` index (never a scan); and how many items DynamoDB read
        for it."""
        paginator = self.dynamodb.get_paginator("query")
        found: list[Item] = []
        read = 0
        for page in paginator.paginate(
            TableName=self.table_name,
            IndexName=keys.INDEX_BY_DUE_DATE,
            KeyConditionExpression="GSI1PK = :due AND GSI1SK <= :until",
            ExpressionAttributeValues={
                ":due": {"S": keys.DUE_PARTITION},
                ":until": {"S": keys.utc_instant(until) + "#~"},
            },
        ):
            read += int(page.get("ScannedCount", 0))
            found += [from_attributes(item) for item in page.get("Items", [])]
        return found, read

    def retire_check(self, reference: str, sk: str, now: datetime) -> None:
        """Take a check item that should not run (any more) out of the ``ByDueDate`` index."""
        from botocore.exceptions import ClientError

        update = self._retire({"PK": {"S": keys.case_pk(reference)}, "SK": {"S": sk}}, "skipped")
        update["ConditionExpression"] = "attribute_exists(PK)"
        try:
            self.dynamodb.update_item(**update)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise

    # --- self-service throttle -------------------------------------------------------------

    def record_wrong_attempt(self, reference: str, now: datetime, window: timedelta) -> int:
        """Count one wrong-token try on ``reference`` and return the count in the current
        window (this one included). Each try moves the window's end to ``now + window``; an
        item whose window has ended (TTL deletes it some time later) starts again at one."""
        from botocore.exceptions import ClientError

        key = {"PK": {"S": keys.throttle_pk(reference)}, "SK": {"S": keys.THROTTLE_SK}}
        until = {"N": str(_epoch(now + window))}
        try:
            answer = self.dynamodb.update_item(
                TableName=self.table_name,
                Key=key,
                UpdateExpression="ADD attempts :one SET #ttl = :until",
                ConditionExpression="#ttl > :now",
                ExpressionAttributeNames={"#ttl": keys.TTL_ATTRIBUTE},
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":until": until,
                    ":now": {"N": str(_epoch(now))},
                },
                ReturnValues="UPDATED_NEW",
            )
            return int(answer["Attributes"]["attempts"]["N"])
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
        item = {
            "PK": keys.throttle_pk(reference),
            "SK": keys.THROTTLE_SK,
            "item_type": keys.THROTTLE_ITEM,
            "attempts": 1,
            keys.TTL_ATTRIBUTE: _epoch(now + window),
        }
        self.dynamodb.put_item(TableName=self.table_name, Item=to_attributes(item))
        return 1
