"""Check items: one per escalation check a case needs, in the sparse ``ByDueDate`` index while
pending, replaced with every change to the case and retired when they ran or are not needed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from complaints.adapters import keys
from complaints.adapters.dynamo.items import Item, check_item, from_attributes, to_attributes
from complaints.adapters.dynamo.table import Table
from complaints.models import Case

if TYPE_CHECKING:
    from complaints.service.lifecycle import Transition


class CheckTable(Table):
    def check_items(self, reference: str, stage: int | None = None) -> list[Item]:
        prefix = "CHECK#" if stage is None else f"CHECK#{stage}#"
        return list(self._case_items(reference, prefix))

    def _replace_checks(self, case: Case, transition: Transition) -> tuple[list[Item], list[str]]:
        """Writes that make the case's pending check items match ``transition.checks`` (a check
        that ran is kept as ``done``, one no longer needed as ``not_needed``, both out of the
        index: nothing is deleted, so no role needs ``DeleteItem``), and the schedule names of
        the pending checks that go."""
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
            status = "done" if str(old["check"]) in done else "not_needed"
            writes.append({"Update": self._retire(key, status)})
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
