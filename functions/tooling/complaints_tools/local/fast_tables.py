"""Make the embedded DynamoDB's costs follow the request, not the size of the table.

moto 5 is written for small test tables. With a few thousand items (``complaints demo seed``,
``make bench``) two of its habits make the local stack crawl:

- to roll back a cancelled ``TransactWriteItems`` it deep-copies each table once per item
  written. Instead, this snapshots only the items the transaction names (and the length of
  the table's stream), and restores exactly those when it is cancelled: all or nothing, as
  DynamoDB promises, with no stream record left behind;
- a ``Query`` on the table's own key sorts every item in the table to find one partition.
  Instead, it looks the partition up by its key, as DynamoDB does.

moto's own logic still decides every answer. Local only: the deployed stack never loads this.
"""

from __future__ import annotations

import copy
import threading
import types
from collections.abc import Mapping, Sequence
from typing import Any

_copying = threading.local()
_querying = threading.local()


def _deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
    from moto.dynamodb.models.table import Table

    if isinstance(value, Table) and getattr(_copying, "skip_tables", False):
        return value  # the snapshot below stands in for moto's copy of the whole table
    return copy.deepcopy(value, memo)


# What ``moto.dynamodb.models`` sees as its ``copy`` module.
_COPY = types.SimpleNamespace(copy=copy.copy, deepcopy=_deepcopy, Error=copy.Error)

Snapshot = tuple[list[tuple[Any, Any, Any, Any]], dict[int, tuple[Any, int]]]


def _key_of(table: Any, op_type: str, op: Mapping[str, Any]) -> tuple[Any, Any] | None:
    from moto.dynamodb.models.dynamo_type import DynamoType

    attributes = op.get("Item") if op_type == "Put" else op.get("Key")
    if not isinstance(attributes, Mapping) or table.hash_key_attr not in attributes:
        return None
    hash_value = DynamoType(attributes[table.hash_key_attr])
    range_value = None
    if table.range_key_attr is not None:
        if table.range_key_attr not in attributes:
            return None
        range_value = DynamoType(attributes[table.range_key_attr])
    return hash_value, range_value


def _snapshot(backend: Any, transact_items: Sequence[Mapping[str, Any]]) -> Snapshot:
    items: list[tuple[Any, Any, Any, Any]] = []
    streams: dict[int, tuple[Any, int]] = {}
    for entry in transact_items:
        if len(entry) != 1:
            continue
        op_type, op = next(iter(entry.items()))
        table = backend.tables.get(op.get("TableName")) if isinstance(op, Mapping) else None
        key = _key_of(table, op_type, op) if table is not None else None
        if table is None or key is None:
            continue
        hash_value, range_value = key
        if range_value is None:
            before = table.items.get(hash_value)
        else:
            before = table.items.get(hash_value, {}).get(range_value)
        items.append((table, hash_value, range_value, copy.deepcopy(before)))
        if table.stream_shard is not None:
            streams.setdefault(id(table), (table.stream_shard, len(table.stream_shard.items)))
    return items, streams


def _restore(snapshot: Snapshot) -> None:
    items, streams = snapshot
    for table, hash_value, range_value, before in reversed(items):
        if range_value is None:
            if before is None:
                table.items.pop(hash_value, None)
            else:
                table.items[hash_value] = before
        elif before is None:
            table.items[hash_value].pop(range_value, None)
        else:
            table.items[hash_value][range_value] = before
    for shard, length in streams.values():
        del shard.items[length:]


def _partition_queries(table_class: Any) -> None:
    """``Table.query`` without an index reads ``all_items()`` and keeps one partition: while
    it runs, ``all_items()`` answers with that partition only, in the same (sorted) order."""
    original_query = table_class.query
    original_all_items = table_class.all_items

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name") if len(args) < 7 else args[6]
        if index_name or not self.range_key_attr or hash_key is None:
            return original_query(self, hash_key, *args, **kwargs)
        _querying.partition = hash_key
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            _querying.partition = None

    def all_items(self: Any) -> Any:
        partition = getattr(_querying, "partition", None)
        if partition is None:
            return original_all_items(self)
        found = self.items.get(partition) or {}
        return sorted(found.values(), key=lambda item: item.range_key)

    table_class.query = query
    table_class.all_items = all_items


def install() -> None:
    """Patch moto's DynamoDB backend (idempotent)."""
    from moto.dynamodb import models
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    if getattr(DynamoDBBackend, "_complaints_item_rollback", False):
        return
    _partition_queries(Table)
    original = DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        snapshot = _snapshot(self, transact_items)
        _copying.skip_tables = True
        try:
            original(self, transact_items)
        except BaseException:
            _restore(snapshot)
            raise
        finally:
            _copying.skip_tables = False

    models.copy = _COPY  # type: ignore[attr-defined,assignment]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    DynamoDBBackend._complaints_item_rollback = True  # type: ignore[attr-defined]
