"""Wrong-token tries on a self-service link, counted per reference in a short-lived item."""

from __future__ import annotations

from datetime import datetime, timedelta

from complaints.adapters import keys
from complaints.adapters.dynamo.items import epoch, to_attributes
from complaints.adapters.dynamo.table import Table


class ThrottleTable(Table):
    def record_wrong_attempt(self, reference: str, now: datetime, window: timedelta) -> int:
        """Count one wrong-token try on ``reference`` and return the count in the current
        window (this one included). Each try moves the window's end to ``now + window``; an
        item whose window has ended (TTL deletes it some time later) starts again at one."""
        from botocore.exceptions import ClientError

        key = {"PK": {"S": keys.throttle_pk(reference)}, "SK": {"S": keys.THROTTLE_SK}}
        until = {"N": str(epoch(now + window))}
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
                    ":now": {"N": str(epoch(now))},
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
            keys.TTL_ATTRIBUTE: epoch(now + window),
        }
        self.dynamodb.put_item(TableName=self.table_name, Item=to_attributes(item))
        return 1
