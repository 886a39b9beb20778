"""The delivery queue (SQS): GOV.UK Notify's delivery receipts go on it once their callback's
bearer token checked out, for the delivery handler that also reads SES's events from it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from complaints.adapters.clients import client
from complaints.environment import environment

QUEUE_ENV = "DELIVERY_QUEUE_URL"


class DeliveryQueue:
    def __init__(self, queue_url: str | None = None, sqs: Any = None) -> None:
        settings = environment()
        self.queue_url = queue_url or settings.required(settings.delivery_queue_url, QUEUE_ENV)
        self._sqs = sqs

    @property
    def sqs(self) -> Any:
        if self._sqs is None:
            self._sqs = client("sqs")
        return self._sqs

    def put(self, body: Mapping[str, Any]) -> None:
        self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=json.dumps(body))
