"""What became of each email (``service.delivery``): its event on the case, the alert, and a
marker per report so that the same report twice is recorded once, all in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from complaints.adapters import keys
from complaints.adapters.dynamo.items import (
    Item,
    cancellation_codes,
    case_item,
    event_item,
    notice_item,
)
from complaints.adapters.dynamo.table import Table
from complaints.models import Case

if TYPE_CHECKING:
    from complaints.service.lifecycle import Transition


class DeliveryTable(Table):
    def record_delivery(
        self, before: Case, transition: Transition, key: str, now: datetime
    ) -> bool:
        """Save a delivery report's change once (``service.delivery.DeliveryStore``): the
        marker ``DELIVERY#<key>`` (only if new), the events, an outbox item per alert, and the
        case only if it changed (then only if its ``version`` is still ``before.version``).
        ``False`` when the marker was there: recorded before, nothing written."""
        from botocore.exceptions import ClientError

        from complaints.service.casework import StaleCaseError
        from complaints.service.messages.subjects import email_context, template_name

        ref = before.reference
        marker: Item = {
            "PK": keys.case_pk(ref),
            "SK": keys.delivery_sk(key),
            "item_type": keys.DELIVERY_ITEM,
            "reference": ref,
            "recorded_at": now.astimezone(UTC).isoformat(),
        }
        writes: list[Item] = [self._put(marker)]
        case = transition.case
        changed = case.model_dump() != before.model_dump()
        if changed:
            case = case.model_copy(update={"version": before.version + 1})
            put_case = self._put(case_item(case), "attribute_exists(PK) AND #version = :version")
            put_case["Put"]["ExpressionAttributeNames"] = {"#version": "version"}
            put_case["Put"]["ExpressionAttributeValues"] = {":version": {"N": str(before.version)}}
            writes.append(put_case)
        seq = int(key[:5], 16)  # the report's own: never the sequence of a person's change
        writes += [
            self._put(event_item(e, (seq + n) % 1_000_000)) for n, e in enumerate(transition.events)
        ]
        writes += [
            self._put(
                notice_item(
                    ref,
                    notice.key,
                    template_name(notice),
                    notice.to,
                    email_context(notice, ref),
                    now,
                    case.stage_number(),
                )
            )
            for notice in transition.notices
        ]
        try:
            self.dynamodb.transact_write_items(TransactItems=writes)
        except ClientError as error:
            codes = cancellation_codes(error)
            if codes is None:
                raise
            if codes[:1] == ["ConditionalCheckFailed"]:
                return False
            if "ConditionalCheckFailed" in codes or "TransactionConflict" in codes:
                raise StaleCaseError(ref) from None
            raise
        return True
