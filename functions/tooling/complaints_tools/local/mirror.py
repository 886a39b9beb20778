"""Saving the local table while the stack runs: a copy kept from the table's stream.

The embedded table's stream holds every write in order, each with the item's new image as it
was written (the template asks for ``NEW_AND_OLD_IMAGES``). A background thread applies new
records to a copy of the table (each item kept as its saved line), and writes the snapshot
(``snapshot.py``) a second after writes stop, or every few seconds while they go on. Requests
never wait for it: it never reads the live table, and a save only joins lines already made.

A cancelled transaction takes its records back off the stream (``fast_tables``) within its own
request: a record is applied only once it has stayed in place from one look to the next, and
if records already applied are ever taken back, the copy is rebuilt from the saved start and
the records still there.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from complaints_tools.local import snapshot

Decoded = tuple[str, str | None]  # the item's key, and its saved line (None: deleted)


def item_key(keys: Mapping[str, Any]) -> str:
    """One string per item key (DynamoDB JSON of the key attributes)."""
    return json.dumps(keys, sort_keys=True, separators=(",", ":"))


def key_of(attributes: Mapping[str, Any], names: Sequence[str]) -> str:
    return item_key({name: attributes[name] for name in names})


def decode_moto_record(record: Any) -> Decoded:
    """A moto stream record -> (key, line or None)."""
    body = record.record
    stream = body["dynamodb"]
    if body["eventName"] == "REMOVE":
        return item_key(stream["Keys"]), None
    return item_key(stream["Keys"]), snapshot.dump_item(stream["NewImage"])


class TableMirror:
    """Keeps ``path`` up to date with the table behind ``records`` (its stream, a live list)."""

    def __init__(
        self,
        path: Path,
        records: Callable[[], Sequence[Any]],
        base: Mapping[str, str],
        *,
        decode: Callable[[Any], Decoded] = decode_moto_record,
        interval: float = 1.0,
        quiet: float = 1.0,
        longest: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
        on_error: Callable[[str], None] = print,
    ) -> None:
        self.path = path
        self.records = records
        self.decode = decode
        self.interval = interval  # how often it looks at the stream
        self.quiet = quiet  # save once writes have stopped this long ...
        self.longest = longest  # ... or when changes have waited this long
        self.monotonic = monotonic
        self.on_error = on_error
        self._base = dict(base)  # the table as restored: the stream starts after it
        self._items = dict(base)  # key -> saved line
        self._seen: list[Any] = []  # records applied, in stream order
        self._watch: list[Any] = []  # records seen last time, not yet applied
        self._changed_at: float | None = None
        self._dirty_since: float | None = None
        self.saves = 0
        self.last_save_seconds = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="table-saver", daemon=True)

    @property
    def items(self) -> int:
        return len(self._items)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop looking, then apply every record left and save if anything changed."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        self.look(final=True)
        if self._dirty_since is not None:
            self.save()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.look()
                self.save_if_due()
            except Exception as error:  # keep going: the next look tries again
                self.on_error(f"saving the local table failed: {type(error).__name__}")

    def look(self, final: bool = False) -> int:
        """Apply the records that have settled (every record when ``final``); returns how many."""
        current = self.records()
        self._take_back_if_removed(current)
        fresh = list(current[len(self._seen) :])
        if final:
            settled = len(fresh)
        else:
            settled = 0
            for new, old in zip(fresh, self._watch, strict=False):
                if new is not old:
                    break
                settled += 1
        for record in fresh[:settled]:
            self._apply(record)
        self._seen.extend(fresh[:settled])
        self._watch = fresh[settled:]
        if settled:
            self._changed()
        return settled

    def _apply(self, record: Any) -> None:
        key, line = self.decode(record)
        if line is None:
            self._items.pop(key, None)
        else:
            self._items[key] = line

    def _take_back_if_removed(self, current: Sequence[Any]) -> None:
        applied = len(self._seen)
        if not applied or (len(current) >= applied and current[applied - 1] is self._seen[-1]):
            return
        low, high = 0, min(applied, len(current))  # the first record no longer in its place
        while low < high:
            middle = (low + high) // 2
            if current[middle] is self._seen[middle]:
                low = middle + 1
            else:
                high = middle
        del self._seen[low:]
        self._items = dict(self._base)
        for record in self._seen:
            self._apply(record)
        self._watch = []
        self._changed()

    def _changed(self) -> None:
        now = self.monotonic()
        self._changed_at = now
        if self._dirty_since is None:
            self._dirty_since = now

    def save_if_due(self) -> bool:
        if self._dirty_since is None or self._changed_at is None:
            return False
        now = self.monotonic()
        if now - self._changed_at < self.quiet and now - self._dirty_since < self.longest:
            return False
        self.save()
        return True

    def save(self) -> None:
        started = time.perf_counter()
        snapshot.write(self.path, self._items.values())
        self.last_save_seconds = time.perf_counter() - started
        self.saves += 1
        self._dirty_since = self._changed_at = None
