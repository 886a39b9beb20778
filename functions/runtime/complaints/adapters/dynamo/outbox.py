"""Outbox items: each email or schedule a case's change asks for, claimed before it is carried
out and marked done after, so a duplicate or retried stream record never acts twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

from complaints.adapters import keys
from complaints.adapters.dynamo.items import Item, from_attributes
from complaints.adapters.dynamo.table import Table
from complaints.clock import wall_now

Claim = Literal["claimed", "done", "busy"]
OUTBOX_LEASE = timedelta(minutes=1)  # longer than a worker's timeout


class OutboxTable(Table):
    def outbox_items(self, reference: str) -> list[Item]:
        return list(self._case_items(reference, "OUTBOX#"))

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
