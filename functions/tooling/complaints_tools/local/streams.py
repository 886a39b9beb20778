"""A local stand-in for Lambda's DynamoDB Stream event source mapping.

Reads the table's stream from the embedded AWS, keeps the records the template's filter
criteria match, and calls the real stream handler with Lambda's event shape. Like an event
source mapping with ``ReportBatchItemFailures``, it retries from the first failed record and,
after ``max_retries`` (the template's ``MaximumRetryAttempts``), gives up on that record and
moves on: as Lambda does, it sends an invocation record (shard, sequence numbers, stream; never
the record's data) to the mapping's on-failure SQS queue, whose depth the dead-letter alarm
watches, and appends it to a local file.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from complaints.clock import wall_now
from complaints_tools.local.background import BackgroundLoop
from complaints_tools.local.invoke import LambdaHandler, context

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
            _matches_value(rule, one, key in data)
            for rule in expected
            # a list in the event matches when one of its values does (EventBridge's rule)
            for one in (value if isinstance(value, list) else [value])
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


class StreamPoller(BackgroundLoop):
    """Feeds one stream to one handler, on a background thread."""

    label = "stream poller"

    def __init__(
        self,
        streams: Any,
        stream_arn: str,
        handler: LambdaHandler,
        patterns: Sequence[Pattern],
        *,
        dead_letters: Path | None = None,
        sqs: Any = None,
        failure_queue_url: str | None = None,
        function_arn: str = "",
        batch_size: int = 10,
        max_retries: int = 3,
        interval: float = 0.2,
        retry_delay: float = 0.5,
        on_error: Callable[[str], None] = print,
    ) -> None:
        self.streams = streams
        self.stream_arn = stream_arn
        self.handler = handler
        self.patterns = list(patterns)
        self.dead_letters = dead_letters
        self.sqs = sqs
        self.failure_queue_url = failure_queue_url
        self.function_arn = function_arn
        self.batch_size = batch_size
        self.max_retries = max_retries  # negative: retry until the record is gone (as Lambda)
        self.interval = interval
        self.retry_delay = retry_delay  # first wait before a retry; doubles, at most 5 s
        self.on_error = on_error
        self._drain_until: float | None = None  # stopping: deliver what is left until then
        self._prepare_thread("stream-poller")
        self._iterators: dict[str, str] = {}
        self._pending: list[dict[str, Any]] = []
        self._shard_of: dict[str, str] = {}  # sequence number -> shard id
        self._failures = 0
        self._raised = False  # the last failed invocation raised (rather than reported items)
        self.delivered = 0
        self.given_up = 0

    def stop(self, drain: float = 0.0) -> None:
        """Stop polling; with ``drain`` (seconds), first deliver what the stream still holds
        (a stack stopped just after a complaint still acknowledges it)."""
        if drain > 0 and self._thread.is_alive():
            self._drain_until = time.monotonic() + drain
            self._thread.join(timeout=drain + 10)
        super().stop()

    def idle(self) -> bool:
        return not self._pending

    def poll_once(self) -> bool:
        """Read new records and make one delivery (or retry); ``False`` when there was nothing
        to do. The background thread calls this in a loop; tests call it directly."""
        self._fetch()
        return self._deliver()

    def _finished(self, worked: bool) -> bool:
        return self._drain_until is not None and (
            not worked or time.monotonic() > self._drain_until
        )

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
                    self._shard_of[str(record["dynamodb"].get("SequenceNumber"))] = shard_id

    def _deliver(self) -> bool:
        if not self._pending:
            return False
        batch = self._pending[: self.batch_size]
        failed_at = self._invoke(batch)
        if failed_at is None:
            self._forget(batch)
            del self._pending[: len(batch)]
            self._failures = 0
            self.delivered += len(batch)
            return True
        if failed_at:  # records before the first failure are done; a new record leads
            self._forget(batch[:failed_at])
            del self._pending[:failed_at]
            self._failures = 0
        self._failures += 1
        if 0 <= self.max_retries < self._failures:
            self._give_up(self._pending.pop(0), invocations=self._failures)
            self._failures = 0
            return True
        self._stop.wait(min(self.retry_delay * 2 ** (self._failures - 1), 5.0))
        return True

    def _forget(self, records: Sequence[Mapping[str, Any]]) -> None:
        for record in records:
            self._shard_of.pop(str(record["dynamodb"].get("SequenceNumber")), None)

    def _invoke(self, batch: list[dict[str, Any]]) -> int | None:
        """Index of the first failed record, or ``None`` when all succeeded."""
        self._raised = False
        try:
            answer = self.handler({"Records": batch}, context("complaints-outbox-local")) or {}
        except Exception as error:
            self.on_error(f"stream handler failed: {type(error).__name__}")
            self._raised = True
            return 0
        failed = {f.get("itemIdentifier") for f in answer.get("batchItemFailures", [])}
        for index, record in enumerate(batch):
            if record["dynamodb"].get("SequenceNumber") in failed:
                return index
        return None

    def failure_record(self, record: Mapping[str, Any], invocations: int) -> dict[str, Any]:
        """What Lambda sends to the on-failure destination for a stream record it gave up on:
        where the record is (shard, sequence numbers, stream), never what it holds."""
        stream = record.get("dynamodb") or {}
        sequence = str(stream.get("SequenceNumber", ""))
        arrived = stream.get("ApproximateCreationDateTime")
        arrival = (
            datetime.fromtimestamp(float(arrived), UTC).isoformat().replace("+00:00", "Z")
            if isinstance(arrived, int | float)
            else None
        )
        response: dict[str, Any] = {"statusCode": 200, "executedVersion": "$LATEST"}
        if self._raised:
            response["functionError"] = "Unhandled"
        return {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": self.function_arn,
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": invocations,
            },
            "responseContext": response,
            "version": "1.0",
            "timestamp": wall_now().isoformat().replace("+00:00", "Z"),
            "DDBStreamBatchInfo": {
                "shardId": self._shard_of.get(sequence, ""),
                "startSequenceNumber": sequence,
                "endSequenceNumber": sequence,
                "approximateArrivalOfFirstRecord": arrival,
                "approximateArrivalOfLastRecord": arrival,
                "batchSize": 1,
                "streamArn": self.stream_arn,
            },
        }

    def _give_up(self, record: Mapping[str, Any], invocations: int) -> None:
        self.given_up += 1
        letter = json.dumps(self.failure_record(record, invocations))
        sequence = (record.get("dynamodb") or {}).get("SequenceNumber")
        self.on_error(f"stream record {sequence} set aside after {invocations} tries")
        if self.sqs is not None and self.failure_queue_url:
            self.sqs.send_message(QueueUrl=self.failure_queue_url, MessageBody=letter)
        if self.dead_letters is not None:
            self.dead_letters.parent.mkdir(parents=True, exist_ok=True)
            with self.dead_letters.open("a", encoding="utf-8") as handle:
                handle.write(letter + "\n")
        self._forget([record])


def _plain(record: Mapping[str, Any]) -> dict[str, Any]:
    """JSON-safe copy (boto3 returns datetimes for ``ApproximateCreationDateTime``)."""
    return dict(json.loads(json.dumps(record, default=_epoch)))


def _epoch(value: Any) -> Any:
    timestamp = getattr(value, "timestamp", None)
    return int(timestamp()) if callable(timestamp) else str(value)
