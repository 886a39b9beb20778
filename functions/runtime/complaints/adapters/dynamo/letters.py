"""Letters to complainants (``service.letters``): queued once by the outbox, listed through
the ``ByStatus`` index while not posted (``GSI3PK = LETTERS#to_send``, a sparse partition),
and marked posted in the same transaction as the case's event (``cases.save_transition``)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from complaints.adapters import keys
from complaints.adapters.dynamo.items import Item
from complaints.adapters.dynamo.table import Table
from complaints.service.letters import QueuedLetter


def letter_item(letter: QueuedLetter) -> Item:
    item: Item = letter.model_dump(mode="json", exclude_none=True)
    item.update(
        PK=keys.case_pk(letter.reference),
        SK=keys.letter_sk(letter.letter_id),
        item_type=keys.LETTER_ITEM,
    )
    if letter.status == "to_send":
        item.update(
            GSI3PK=keys.LETTERS_TO_SEND,
            GSI3SK=f"{keys.utc_instant(letter.created_at)}#{letter.reference}#{letter.letter_id}",
        )
    return item


def letter_from_item(item: Item) -> QueuedLetter:
    return QueuedLetter.model_validate(item)


def posted_update(
    table_name: str, reference: str, letter_id: str, *, on: date, by: str, how: str, now: datetime
) -> Item:
    """The transaction item that marks a letter posted (only if it is still to send) and takes
    it off the list."""
    return {
        "Update": {
            "TableName": table_name,
            "Key": {"PK": {"S": keys.case_pk(reference)}, "SK": {"S": keys.letter_sk(letter_id)}},
            "UpdateExpression": (
                "SET #status = :posted, posted_on = :on, posted_by = :by, how = :how, "
                "posted_recorded_at = :now REMOVE GSI3PK, GSI3SK"
            ),
            "ConditionExpression": "#status = :to_send",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":posted": {"S": "posted"},
                ":to_send": {"S": "to_send"},
                ":on": {"S": on.isoformat()},
                ":by": {"S": by},
                ":how": {"S": how},
                ":now": {"S": now.astimezone(UTC).isoformat()},
            },
        }
    }


class LetterTable(Table):
    def queue_letter(self, letter: QueuedLetter) -> bool:
        """Store a letter once: ``False`` when it was queued before (a retried outbox item)."""
        from botocore.exceptions import ClientError

        try:
            self.dynamodb.put_item(
                TableName=self.table_name,
                Item=self._put(letter_item(letter))["Put"]["Item"],
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def letters_to_send(self) -> list[QueuedLetter]:
        """Every letter not yet posted, oldest first (``ByStatus``, ``LETTERS#to_send``)."""
        return [
            letter_from_item(item)
            for item in self._query(
                IndexName=keys.INDEX_BY_STATUS,
                KeyConditionExpression="GSI3PK = :letters",
                ExpressionAttributeValues={":letters": {"S": keys.LETTERS_TO_SEND}},
            )
        ]

    def case_letters(self, reference: str) -> list[QueuedLetter]:
        return [letter_from_item(item) for item in self._case_items(reference, "LETTER#")]

    def get_letter(self, reference: str, letter_id: str) -> QueuedLetter | None:
        found: dict[str, Any] | None = self.get_item(reference, keys.letter_sk(letter_id))
        return letter_from_item(found) if found else None
