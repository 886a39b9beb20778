"""The access log (``service/staff/access.py``): append-only. Entries are only ever put,
each under a key no other entry has and only if that key is new; nothing here (or anywhere)
updates or deletes one, and the functions' IAM policies deny both on ``ACCESS#`` partitions
(template.yaml)."""

from __future__ import annotations

import secrets
from datetime import datetime

from complaints.adapters import keys
from complaints.adapters.dynamo.items import to_attributes
from complaints.adapters.dynamo.table import Table
from complaints.service.staff.access import AccessEntry


class AccessTable(Table):
    def record_access(self, entry: AccessEntry) -> None:
        item = {
            "PK": keys.access_pk(entry.reference),
            "SK": f"{keys.utc_instant(entry.at)}#{secrets.token_hex(6)}",
            "item_type": keys.ACCESS_ITEM,
            "reference": entry.reference,
            "at": entry.at.isoformat(),
            "by": entry.by,
            "username": entry.username,
            "kind": entry.kind,
            "what": entry.what,
            "channel": entry.channel,
        }
        self.dynamodb.put_item(
            TableName=self.table_name,
            Item=to_attributes(item),
            ConditionExpression="attribute_not_exists(PK)",
        )

    def access_entries(self, reference: str) -> list[AccessEntry]:
        """Every entry for the case, oldest first."""
        return [
            AccessEntry(
                reference=str(item["reference"]),
                at=datetime.fromisoformat(str(item["at"])),
                by=str(item["by"]),
                username=str(item["username"]),
                kind=item["kind"],
                what=str(item["what"]),
                channel=item.get("channel", "console"),
            )
            for item in self._query(
                KeyConditionExpression="PK = :pk",
                ExpressionAttributeValues={":pk": {"S": keys.access_pk(reference)}},
                ConsistentRead=True,
            )
        ]
