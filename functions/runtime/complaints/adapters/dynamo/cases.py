"""Cases and their events: a new case in one conditional transaction (with its first event,
outbox items and checks), reads by key and index, and every change saved in one transaction
that checks the case's version."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from complaints.adapters import keys
from complaints.adapters.clients import is_transient
from complaints.adapters.dynamo.caseload import CaseloadTable
from complaints.adapters.dynamo.checks import CheckTable
from complaints.adapters.dynamo.counters import CounterTable
from complaints.adapters.dynamo.items import (
    Item,
    _repeat_item,
    cancellation_codes,
    case_from_item,
    case_item,
    check_item,
    epoch,
    event_from_item,
    event_item,
    from_attributes,
    notice_item,
    outbox_item,
)
from complaints.models import Case, CaseStatus, Event, Receipt
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

# Why a transaction was cancelled when DynamoDB was too busy for one of its items.
THROTTLED_REASONS = frozenset({"ProvisionedThroughputExceeded", "ThrottlingError"})


class CaseTable(CheckTable, CounterTable, CaseloadTable):
    def _put_unless_recent(self, item: Mapping[str, Any], now: datetime) -> Item:
        put = self._put(item, f"attribute_not_exists(PK) OR {keys.TTL_ATTRIBUTE} < :now")
        put["Put"]["ExpressionAttributeValues"] = {":now": {"N": str(epoch(now))}}
        put["Put"]["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        return put

    def create_case(self, new: NewCase) -> Receipt | None:
        """One conditional ``TransactWriteItems`` for a new case (see ``service.intake``)."""
        from botocore.exceptions import ClientError

        now = new.event.recorded_at  # a complaint staff record may be received earlier
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
        writes += self.counter_writes(None, new.case)  # last: the caseload's counts
        try:
            try:
                self.dynamodb.transact_write_items(TransactItems=writes)
            except ClientError as error:
                if cancellation_codes(error) is None:
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

    def get_case(self, reference: str) -> Case | None:
        item = self._get(keys.case_pk(reference), keys.CASE_SK)
        return case_from_item(item) if item else None

    def events(self, reference: str) -> list[Event]:
        """The case's audit trail, oldest first."""
        return [event_from_item(item) for item in self._case_items(reference, "EVENT#")]

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
                notice.token,
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
        if transition.letters_posted:
            from complaints.adapters.dynamo.letters import posted_update

            posting = next(e for e in transition.events if e.data.get("letter"))
            writes += [
                posted_update(
                    self.table_name,
                    ref,
                    letter_id,
                    on=date.fromisoformat(str(posting.data["on"])),
                    by=posting.by,
                    how=str(posting.data.get("how") or "post"),
                    now=now,
                )
                for letter_id in transition.letters_posted
            ]
        writes += self.counter_writes(before, case)  # the caseload's counts move with it
        try:
            self.dynamodb.transact_write_items(TransactItems=writes)
        except ClientError as error:
            codes = cancellation_codes(error) or []
            if codes[:1] == ["ConditionalCheckFailed"] or "TransactionConflict" in codes:
                raise StaleCaseError(ref) from None
            raise
        return Saved(case, items)
