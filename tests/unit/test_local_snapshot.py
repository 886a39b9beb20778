"""The local stack's saved table: its file, and the copy kept from the table's stream."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from complaints_tools.local import snapshot
from complaints_tools.local.mirror import Decoded, TableMirror, item_key, key_of


def _item(pk: str, sk: str, **more: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}, **{k: {"S": v} for k, v in more.items()}}


def test_a_snapshot_reads_back_what_was_written(tmp_path: Path) -> None:
    path = snapshot.table_path(tmp_path)
    assert snapshot.read(path) is None  # nothing saved yet
    items = [_item("CASE#A", "CASE", name="Zoë"), _item("CASE#A", "EVENT#1")]
    snapshot.write(path, [snapshot.dump_item(item) for item in items])
    saved = snapshot.read(path)
    assert saved is not None
    assert saved.items == items
    assert saved.written_at
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[0])["version"] == 1
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left
    snapshot.write(path, [])
    empty = snapshot.read(path)
    assert empty is not None
    assert (empty.items, empty.lines) == ([], [])


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("", "is empty"),
        ("not json\n", "does not start with its header"),
        ('{"format": "something else", "version": 1, "items": 0}\n', "not a saved complaints"),
        ('{"format": "complaints-local-table", "version": 2, "items": 0}\n', "version 2"),
        ('{"format": "complaints-local-table", "version": 1, "items": 2}\n{}\n', "hold 2 items"),
        ('{"format": "complaints-local-table", "version": 1, "items": 1}\n{"PK"\n', "not JSON"),
        ('{"format": "complaints-local-table", "version": 1, "items": 1}\n[1]\n', "not an item"),
    ],
)
def test_a_snapshot_it_cannot_read_is_refused_plainly(
    tmp_path: Path, content: str, why: str
) -> None:
    path = snapshot.table_path(tmp_path)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(snapshot.SnapshotError) as refused:
        snapshot.read(path)
    assert why in str(refused.value)
    assert "make run FRESH=1" in str(refused.value)
    assert str(tmp_path) not in str(refused.value)  # no machine paths in messages


# --- the copy kept from the stream ---------------------------------------------------------


@dataclass
class Record:
    """A stand-in for a stream record: a put (with the item) or a delete."""

    key: str
    item: dict[str, Any] | None


def _decode(record: Record) -> Decoded:
    return record.key, None if record.item is None else snapshot.dump_item(record.item)


def _put(pk: str, sk: str, **more: str) -> Record:
    return Record(item_key({"PK": {"S": pk}, "SK": {"S": sk}}), _item(pk, sk, **more))


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _mirror(path: Path, stream: list[Record], clock: Clock, base: list[dict[str, Any]]) -> Any:
    lines = {key_of(item, ("PK", "SK")): snapshot.dump_item(item) for item in base}
    return TableMirror(path, lambda: stream, lines, decode=_decode, monotonic=clock)


def _saved(path: Path) -> list[dict[str, Any]]:
    found = snapshot.read(path)
    assert found is not None
    return sorted(found.items, key=json.dumps)


def test_records_are_applied_once_they_stay_put_and_saved_when_writes_stop(
    tmp_path: Path,
) -> None:
    path, clock, stream = snapshot.table_path(tmp_path), Clock(), []
    restored = _item("CASE#A", "CASE", status="open")
    mirror = _mirror(path, stream, clock, [restored])
    stream.append(_put("CASE#B", "CASE", status="open"))
    assert mirror.look() == 0  # seen once: it might still be taken back
    assert mirror.look() == 1
    assert not mirror.save_if_due()  # writes may go on: wait a second
    clock.now = 1.0
    assert mirror.save_if_due()
    both = [restored, _item("CASE#B", "CASE", status="open")]
    assert _saved(path) == sorted(both, key=json.dumps)
    assert not mirror.save_if_due()  # nothing new


def test_a_record_taken_back_before_it_settled_is_never_saved(tmp_path: Path) -> None:
    path, clock, stream = snapshot.table_path(tmp_path), Clock(), []
    mirror = _mirror(path, stream, clock, [])
    stream.append(_put("CASE#A", "CASE"))
    mirror.look()
    stream.pop()  # a cancelled transaction
    stream.append(_put("CASE#B", "CASE"))
    assert mirror.look() == 0
    assert mirror.look() == 1
    mirror.stop()
    assert _saved(path) == [_item("CASE#B", "CASE")]


def test_records_taken_back_after_they_were_applied_are_undone(tmp_path: Path) -> None:
    path, clock, stream = snapshot.table_path(tmp_path), Clock(), []
    restored = _item("CASE#A", "CASE", status="open")
    mirror = _mirror(path, stream, clock, [restored])
    stream.extend([_put("CASE#B", "CASE"), _put("CASE#A", "CASE", status="closed")])
    mirror.look()
    assert mirror.look() == 2
    del stream[1:]  # the second write is taken back (a slow cancelled transaction)
    stream.append(_put("CASE#C", "CASE"))
    mirror.stop()
    assert _saved(path) == sorted(
        [restored, _item("CASE#B", "CASE"), _item("CASE#C", "CASE")], key=json.dumps
    )


def test_deletes_and_updates_keep_the_last_image(tmp_path: Path) -> None:
    path, clock, stream = snapshot.table_path(tmp_path), Clock(), []
    mirror = _mirror(path, stream, clock, [_item("T#1", "T"), _item("CASE#A", "CASE")])
    stream.extend(
        [
            Record(item_key({"PK": {"S": "T#1"}, "SK": {"S": "T"}}), None),
            _put("CASE#A", "CASE", status="open"),
            _put("CASE#A", "CASE", status="closed"),
        ]
    )
    mirror.stop()  # the final look takes every record
    assert _saved(path) == [_item("CASE#A", "CASE", status="closed")]


def test_changes_that_go_on_are_saved_every_few_seconds(tmp_path: Path) -> None:
    path, clock, stream = snapshot.table_path(tmp_path), Clock(), []
    mirror = _mirror(path, stream, clock, [])
    saves = 0
    for second in range(13):
        clock.now = float(second)
        stream.append(_put(f"CASE#{second}", "CASE"))
        mirror.look()
        saves += mirror.save_if_due()
    assert saves == 2  # 5 s after the first change applied, then again: writes never stopped
    mirror.stop()
    assert len(_saved(path)) == 13


def test_nothing_changed_nothing_written(tmp_path: Path) -> None:
    path, clock = snapshot.table_path(tmp_path), Clock()
    mirror = _mirror(path, [], clock, [_item("CASE#A", "CASE")])
    mirror.look()
    clock.now = 60.0
    assert not mirror.save_if_due()
    mirror.stop()
    assert not path.exists()
