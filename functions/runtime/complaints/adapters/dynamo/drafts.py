"""Drafts: answers to the complaint form not sent yet, their "come back later" links, and the
outbox item that emails a link (``service/drafts.py``; layout in ``adapters/keys.py``).

Every item here has a TTL (``expires_at``); readers check the time too (``service.drafts``),
since DynamoDB's TTL deletes late. Nothing is ever deleted by hand: a sent draft is written over
with its receipt only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from complaints import clock
from complaints.adapters import keys
from complaints.adapters.dynamo.items import epoch, outbox_item, to_attributes
from complaints.adapters.dynamo.table import Table
from complaints.models import Receipt
from complaints.service.drafts import Draft, DraftLink, SavedAnswersEmail


def _instant(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value), UTC)


class DraftTable(Table):
    def get_draft(self, key: str) -> Draft | None:
        found = self._get(keys.draft_pk(key), keys.DRAFT_SK)
        if found is None:
            return None
        receipt = found.get("receipt")
        return Draft(
            key=key,
            saved_at=datetime.fromisoformat(str(found["saved_at"])),
            expires_at=_instant(found[keys.TTL_ATTRIBUTE]),
            submission_id=str(found["submission_id"]),
            answers={str(k): str(v) for k, v in (found.get("answers") or {}).items()},
            seen=frozenset(str(page) for page in found.get("seen") or ()),
            receipt=Receipt.model_validate(receipt) if receipt else None,
        )

    def put_draft(self, draft: Draft) -> None:
        item: dict[str, Any] = {
            "PK": keys.draft_pk(draft.key),
            "SK": keys.DRAFT_SK,
            "item_type": keys.DRAFT_ITEM,
            "saved_at": draft.saved_at.astimezone(UTC).isoformat(),
            "submission_id": draft.submission_id,
            "answers": dict(draft.answers),
            "seen": sorted(draft.seen),
            keys.TTL_ATTRIBUTE: epoch(draft.expires_at),
        }
        if draft.receipt is not None:
            item["receipt"] = draft.receipt.model_dump(mode="json")
        self.dynamodb.put_item(TableName=self.table_name, Item=to_attributes(item))

    def get_draft_link(self, token_hash: str) -> DraftLink | None:
        found = self._get(keys.draft_link_pk(token_hash), keys.DRAFT_LINK_SK)
        if found is None:
            return None
        return DraftLink(str(found["draft_key"]), _instant(found[keys.TTL_ATTRIBUTE]))

    def save_draft_link(self, token_hash: str, link: DraftLink, email: SavedAnswersEmail) -> None:
        link_item = {
            "PK": keys.draft_link_pk(token_hash),
            "SK": keys.DRAFT_LINK_SK,
            "item_type": keys.DRAFT_LINK_ITEM,
            "draft_key": link.draft_key,
            keys.TTL_ATTRIBUTE: epoch(link.until),
        }
        # The email's outbox item, in a partition of its own: the stream worker sends it once.
        outbox = outbox_item(email.label, email.item, clock.now())
        outbox[keys.TTL_ATTRIBUTE] = epoch(email.until)
        self.dynamodb.transact_write_items(TransactItems=[self._put(link_item), self._put(outbox)])
