"""Make moto's ``TransactWriteItems`` cost what the transaction touches, not the table.

To roll back a cancelled transaction, moto 5 deep-copies each table once per item written:
once the local table holds a few thousand items, every complaint takes seconds to file. This
keeps moto's own transaction logic but snapshots only the items the transaction names (and
the length of the table's stream), and restores exactly those when it is cancelled: all or
nothing, as DynamoDB promises, with no stream record left behind. Local only.
"""

from __future__ import annotations

import copy
import threading
import types
from collections.abc import Mapping, Sequence
from typing import Any

_copying = threading.local()


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


def install() -> None:
    """Patch moto's DynamoDB backend (idempotent)."""
    from moto.dynamodb import models
    from moto.dynamodb.models import DynamoDBBackend

    if getattr(DynamoDBBackend, "_complaints_item_rollback", False):
        return
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
