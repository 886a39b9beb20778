"""The counters behind the caseload's counts (``service/staff/caseload.py``): one item per
count key and shard under ``COUNTS``, moved by ``counter_writes`` inside the same transaction
as the case they count (``cases.py``), and read by key, never by a query or a scan.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from complaints.adapters import keys
from complaints.adapters.dynamo.items import Item
from complaints.adapters.dynamo.table import Table
from complaints.models import Case
from complaints.service.staff.caseload import Counts, count_changes, shard


class CounterTable(Table):
    def counter_writes(self, before: Case | None, after: Case) -> list[Item]:
        """Transaction items moving the case's counts (``service.staff.caseload``)."""
        writes: list[Item] = []
        part = shard(after.reference)
        for key, delta in sorted(count_changes(before, after).items()):
            writes.append(
                {
                    "Update": {
                        "TableName": self.table_name,
                        "Key": {
                            "PK": {"S": keys.COUNTS_PK},
                            "SK": {"S": keys.counter_sk(key, part)},
                        },
                        "UpdateExpression": "ADD #n :delta SET item_type = :type, count_key = :key",
                        "ExpressionAttributeNames": {"#n": "n"},
                        "ExpressionAttributeValues": {
                            ":delta": {"N": str(delta)},
                            ":type": {"S": keys.COUNTER_ITEM},
                            ":key": {"S": key},
                        },
                    }
                }
            )
        return writes

    def caseload_counts(self, wanted: Iterable[str]) -> Counts:
        """The counters named (each summed over its shards), read by key: ``BatchGetItem``
        of 100 keys a call, so the cost follows the page's few counters, never the table."""
        from complaints.adapters.dynamo.items import from_attributes
        from complaints.service.staff.caseload import COUNTER_SHARDS

        requested = [
            {"PK": {"S": keys.COUNTS_PK}, "SK": {"S": keys.counter_sk(key, n)}}
            for key in dict.fromkeys(wanted)
            for n in range(COUNTER_SHARDS)
        ]
        found: list[tuple[str, int]] = []
        for start in range(0, len(requested), 100):
            pending: dict[str, Any] = {
                self.table_name: {"Keys": requested[start : start + 100], "ConsistentRead": False}
            }
            while pending:
                answer = self.dynamodb.batch_get_item(RequestItems=pending)
                for raw in answer.get("Responses", {}).get(self.table_name, []):
                    item = from_attributes(raw)
                    found.append((str(item["count_key"]), int(item.get("n", 0))))
                pending = answer.get("UnprocessedKeys") or {}
        return Counts.from_items(found)

    def add_to_counts(self, cases: Iterable[Case]) -> None:
        """Count cases written outside a transition (the demo's seed, a benchmark's table):
        one update per counter item, with the sum of its cases."""
        from collections import Counter

        totals: Counter[tuple[str, int]] = Counter()
        for case in cases:
            part = shard(case.reference)
            for key, delta in count_changes(None, case).items():
                totals[(key, part)] += delta
        for (key, part), delta in sorted(totals.items()):
            self.dynamodb.update_item(
                TableName=self.table_name,
                Key={"PK": {"S": keys.COUNTS_PK}, "SK": {"S": keys.counter_sk(key, part)}},
                UpdateExpression="ADD #n :delta SET item_type = :type, count_key = :key",
                ExpressionAttributeNames={"#n": "n"},
                ExpressionAttributeValues={
                    ":delta": {"N": str(delta)},
                    ":type": {"S": keys.COUNTER_ITEM},
                    ":key": {"S": key},
                },
            )
