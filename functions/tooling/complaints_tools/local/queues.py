"""A local stand-in for Lambda's SQS event source mapping (the delivery queue's).

Polls one queue of the embedded AWS and calls the real handler with Lambda's SQS event shape.
As with ``ReportBatchItemFailures``, the messages the handler reports as failed (and every
message of a batch whose invocation raised) are left on the queue: they come back after the
queue's visibility timeout, and after its redrive policy's ``maxReceiveCount`` the embedded SQS
moves them to the dead-letter queue. The rest are deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from complaints_tools.local.background import BackgroundLoop
from complaints_tools.local.invoke import LambdaHandler, context


class QueuePoller(BackgroundLoop):
    label = "queue poller"

    def __init__(
        self,
        sqs: Any,
        queue_url: str,
        queue_arn: str,
        handler: LambdaHandler,
        *,
        function_name: str = "complaints-delivery-local",
        batch_size: int = 10,
        interval: float = 0.5,
        region: str = "eu-west-2",
        on_error: Callable[[str], None] = print,
    ) -> None:
        self.sqs = sqs
        self.queue_url = queue_url
        self.queue_arn = queue_arn
        self.handler = handler
        self.function_name = function_name
        self.batch_size = batch_size
        self.interval = interval
        self.region = region
        self.on_error = on_error
        self.delivered = 0
        self.failed = 0
        self._prepare_thread("queue-poller")

    def _record(self, message: dict[str, Any]) -> dict[str, Any]:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes") or {},
            "messageAttributes": {},
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.queue_arn,
            "awsRegion": self.region,
        }

    def poll_once(self) -> bool:
        """Receive one batch and hand it to the handler; ``False`` when the queue was empty.
        The background thread calls this in a loop; tests call it directly."""
        answer = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=min(self.batch_size, 10),
            AttributeNames=["All"],
        )
        messages = answer.get("Messages") or []
        if not messages:
            return False
        records = [self._record(m) for m in messages]
        try:
            result = self.handler({"Records": records}, context(self.function_name)) or {}
            failed = {f.get("itemIdentifier") for f in result.get("batchItemFailures") or ()}
        except Exception as error:
            self.on_error(f"queue handler failed: {type(error).__name__}")
            failed = {m["MessageId"] for m in messages}
        for message in messages:
            if message["MessageId"] in failed:
                self.failed += 1
                continue
            self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
            self.delivered += 1
        return True
