"""A local stand-in for Lambda's DynamoDB Stream event source mapping.

Reads the table's stream from the embedded AWS, keeps the records the template's filter
criteria match, and calls the real stream handler with Lambda's event shape. Like an event
source mapping with ``ReportBatchItemFailures``, it retries from the first failed record and,
after ``max_retries``, sets the record aside as a dead letter (keys only) and moves on.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from complaints.local.invoke import LambdaHandler, context

Pattern = Mapping[str, Any]


def matches(pattern: Pattern, data: Any) -> bool:
    """EventBridge-style content filtering (the subset event source mappings use)."""
    if not isinstance(data, Mapping):
        return False
    for key, expected in pattern.items():
        value = data.get(key)
        if isinstance(expected, Mapping):
            if not matches(expected, value):
                return False
        elif isinstance(expected, list) and not any(
            _matches_value(rule, value, key in data) for rule in expected
        ):
            return False
    return True


def _matches_value(rule: Any, value: Any, present: bool) -> bool:
    if isinstance(rule, Mapping):
        if "exists" in rule:
            return bool(rule["exists"]) == present
        if "prefix" in rule:
            return isinstance(value, str) and value.startswith(str(rule["prefix"]))
        if "anything-but" in rule:
            excluded = rule["anything-but"]
            excluded = excluded if isinstance(excluded, list) else [excluded]
            return present and value not in excluded
        return False
    return present and value == rule


def accepted(record: Mapping[str, Any], patterns: Sequence[Pattern]) -> bool:
    return not patterns or any(matches(pattern, record) for pattern in patterns)


class StreamPoller:
    """Feeds one stream to one handler, on a background thread."""

    def __init__(
        self,
        streams: Any,
        stream_arn: str,
        handler: LambdaHandler,
        patterns: Sequence[Pattern],
        *,
        dead_letters: Path,
        batch_size: int = 10,
        max_retries: int = 3,
        interval: float = 0.2,
        on_error: Callable[[str], None] = print,
    ) -> None:
        self.streams = streams
        self.stream_arn = stream_arn
        self.handler = handler
        self.patterns = list(patterns)
        self.dead_letters = dead_letters
        self.batch_size = batch_size
        self.max_retries = max_retries
        self.interval = interval
        self.on_error = on_error
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stream-poller", daemon=True)
        self._iterators: dict[str, str] = {}
        self._pending: list[dict[str, Any]] = []
        self._failures = 0
        self.delivered = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def idle(self) -> bool:
        return not self._pending

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._fetch()
                worked = self._deliver()
            except Exception as error:  # keep polling: the stack must not die silently
                self.on_error(f"stream poller: {type(error).__name__}")
                worked = False
            if not worked:
                self._stop.wait(self.interval)

    def _fetch(self) -> None:
        if not self._iterators:
            shards = self.streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]
            for shard in shards.get("Shards", []):
                self._iterators[shard["ShardId"]] = self.streams.get_shard_iterator(
                    StreamArn=self.stream_arn,
                    ShardId=shard["ShardId"],
                    ShardIteratorType="TRIM_HORIZON",
                )["ShardIterator"]
        for shard_id, iterator in list(self._iterators.items()):
            answer = self.streams.get_records(ShardIterator=iterator, Limit=100)
            if answer.get("NextShardIterator"):
                self._iterators[shard_id] = answer["NextShardIterator"]
            for record in answer.get("Records", []):
                record = {**record, "eventSourceARN": self.stream_arn}
                if accepted(record, self.patterns):
                    self._pending.append(_plain(record))

    def _deliver(self) -> bool:
        if not self._pending:
            return False
        batch = self._pending[: self.batch_size]
        failed_at = self._invoke(batch)
        if failed_at is None:
            del self._pending[: len(batch)]
            self._failures = 0
            self.delivered += len(batch)
            return True
        del self._pending[:failed_at]  # records before the first failure are done
        self._failures += 1
        if self._failures > self.max_retries:
            self._dead_letter(self._pending.pop(0))
            self._failures = 0
            return True
        self._stop.wait(min(0.5 * 2**self._failures, 5.0))
        return True

    def _invoke(self, batch: list[dict[str, Any]]) -> int | None:
        """Index of the first failed record, or ``None`` when all succeeded."""
        try:
            answer = self.handler({"Records": batch}, context("complaints-outbox-local")) or {}
        except Exception as error:
            self.on_error(f"stream handler failed: {type(error).__name__}")
            return 0
        failed = {f.get("itemIdentifier") for f in answer.get("batchItemFailures", [])}
        for index, record in enumerate(batch):
            if record["dynamodb"].get("SequenceNumber") in failed:
                return index
        return None

    def _dead_letter(self, record: Mapping[str, Any]) -> None:
        keys = record.get("dynamodb", {}).get("Keys", {})
        self.on_error(f"stream record set aside after retries: {json.dumps(keys)}")
        self.dead_letters.parent.mkdir(parents=True, exist_ok=True)
        with self.dead_letters.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"keys": keys, "at": time.time()}) + "\n")


def _plain(record: Mapping[str, Any]) -> dict[str, Any]:
    """JSON-safe copy (boto3 returns datetimes for ``ApproximateCreationDateTime``)."""
    return dict(json.loads(json.dumps(record, default=_epoch)))


def _epoch(value: Any) -> Any:
    timestamp = getattr(value, "timestamp", None)
    return int(timestamp()) if callable(timestamp) else str(value)
