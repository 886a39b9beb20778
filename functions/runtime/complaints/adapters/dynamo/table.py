"""What every part of the complaints table's access shares: the table, its client, and reads
by key (never a scan)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from complaints.adapters import keys
from complaints.adapters.clients import client
from complaints.adapters.dynamo.items import Item, from_attributes, to_attributes
from complaints.environment import environment

TABLE_ENV = "TABLE_NAME"


class Table:
    """The complaints table named by ``TABLE_NAME`` (or given)."""

    def __init__(self, table_name: str | None = None, dynamodb: Any = None) -> None:
        settings = environment()
        self.table_name = table_name or settings.required(settings.table_name, TABLE_ENV)
        self._dynamodb = dynamodb

    @property
    def dynamodb(self) -> Any:
        if self._dynamodb is None:
            self._dynamodb = client("dynamodb")
        return self._dynamodb

    def _put(self, item: Mapping[str, Any], condition: str = "attribute_not_exists(PK)") -> Item:
        return {
            "Put": {
                "TableName": self.table_name,
                "Item": to_attributes(item),
                "ConditionExpression": condition,
            }
        }

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
