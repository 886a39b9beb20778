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
        """Take an outbox item to act on it (``claim_outbox_attempt`` without the count)."""
        return self.claim_outbox_attempt(reference, sk, now)[0]

    def claim_outbox_attempt(
        self, reference: str, sk: str, now: datetime | None = None
    ) -> tuple[Claim, int]:
        """Take an outbox item to act on it, counting the attempt.

        ``claimed``: act now; ``done``: already done, given up (or gone); ``busy``: another
        attempt holds it and its lease has not run out (retry later). With it, the attempt
        this is (1 the first; 0 when not claimed).

        The lease is wall-clock time, never the business time a caller works at (``checks run
        --now`` moves that forward): a simulated future must not break another worker's lease.
        """
        from botocore.exceptions import ClientError

        now = now or wall_now()
        try:
            answer = self.dynamodb.update_item(
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
                ReturnValues="UPDATED_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            old = from_attributes(error.response.get("Item") or {})
            return ("busy" if old.get("status") == "sending" else "done"), 0
        attempts = from_attributes(answer.get("Attributes") or {}).get("attempts", 1)
        return "claimed", int(attempts)

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

    def fail_outbox(self, reference: str, sk: str, error_code: str, now: datetime) -> None:
        """Give an outbox item up for good (the outbox tried as often as ``council.yaml``
        allows, or the sender refused it): ``failed``, out of the ``ByDueDate`` index so no
        sweep tries it again, and any secret it carried (the token) forgotten."""
        self.dynamodb.update_item(
            TableName=self.table_name,
            Key={"PK": {"S": keys.case_pk(reference)}, "SK": {"S": sk}},
            UpdateExpression=(
                "SET #status = :failed, failed_at = :now, last_error = :error "
                "REMOVE claimed_until, #token, GSI1PK, GSI1SK"
            ),
            ExpressionAttributeNames={"#status": "status", "#token": "token"},
            ExpressionAttributeValues={
                ":failed": {"S": "failed"},
                ":now": {"S": now.astimezone(UTC).isoformat()},
                ":error": {"S": error_code[:100]},
            },
        )
