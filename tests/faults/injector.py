"""A small fault injector at the botocore layer: AWS-shaped errors for chosen calls, then moto.

It wraps ``BaseClient._make_api_call``, the point where a boto3 call enters botocore. That is
*above* botocore's own retry loop (standard mode, the tries ``environment.AwsCalls`` allows, with
backoff), so an injected error is what our code sees once the SDK has given up: in production
that means AWS answered the same error to every one of the SDK's tries. A single throttle that
the SDK absorbs never reaches our code (``test_sdk_retries.py`` shows that at the wire).

- ``fail(...)``: the call is refused (nothing reaches moto), as AWS refuses a throttled or
  failed request: the first ``times`` matching calls, after letting ``skip`` through.
- ``lose_reply(...)``: the call reaches moto and is carried out, then the answer is lost (a read
  timeout): the case a retry cannot tell from a failure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import botocore.client
import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

# HTTP status AWS answers with, per error code (what botocore's parser would put in the error).
STATUS = {
    "ProvisionedThroughputExceededException": 400,
    "ThrottlingException": 400,
    "Throttling": 400,
    "TooManyRequestsException": 429,
    "MessageRejected": 400,
    "TransactionCanceledException": 400,
    "InternalServerError": 500,
    "InternalServerException": 500,
    "InternalFailure": 500,
    "ServiceUnavailable": 503,
}

Params = Mapping[str, Any]


@dataclass
class Fault:
    service: str  # botocore's name: "dynamodb", "sesv2", "scheduler"
    operation: str  # e.g. "TransactWriteItems"
    code: str | None  # AWS error code; None: the reply is lost after the call was carried out
    times: int = 1
    skip: int = 0  # matching calls let through first
    message: str = ""
    when: Callable[[Params], bool] | None = None  # only calls whose parameters match
    extra: dict[str, Any] = field(default_factory=dict)  # more of the error response
    seen: int = 0  # matching calls so far
    injected: int = 0

    def matches(self, service: str, operation: str, params: Params) -> bool:
        if (service, operation) != (self.service, self.operation):
            return False
        return self.when is None or self.when(params)

    def error(self) -> Exception:
        if self.code is None:
            return ReadTimeoutError(endpoint_url=f"https://{self.service}.eu-west-2.amazonaws.com")
        response: dict[str, Any] = {
            "Error": {"Code": self.code, "Message": self.message or f"Injected {self.code}"},
            "ResponseMetadata": {
                "HTTPStatusCode": STATUS.get(self.code, 400),
                "RequestId": "injected",
                "RetryAttempts": 3,
            },
            **self.extra,
        }
        return ClientError(response, self.operation)  # type: ignore[arg-type]


class Faults:
    """Install with the ``faults`` fixture; every call is recorded in ``calls``."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self.calls: list[tuple[str, str]] = []

    def fail(
        self,
        service: str,
        operation: str,
        code: str,
        *,
        times: int = 1,
        skip: int = 0,
        message: str = "",
        when: Callable[[Params], bool] | None = None,
        **extra: Any,
    ) -> Fault:
        fault = Fault(service, operation, code, times, skip, message, when, dict(extra))
        self.faults.append(fault)
        return fault

    def lose_reply(
        self,
        service: str,
        operation: str,
        *,
        times: int = 1,
        skip: int = 0,
        when: Callable[[Params], bool] | None = None,
    ) -> Fault:
        fault = Fault(service, operation, None, times, skip, when=when)
        self.faults.append(fault)
        return fault

    def count(self, service: str, operation: str) -> int:
        return self.calls.count((service, operation))

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        original = botocore.client.BaseClient._make_api_call
        faults = self

        def make_api_call(client: Any, operation: str, params: Params) -> Any:
            service = client.meta.service_model.service_name
            faults.calls.append((service, operation))
            for fault in faults.faults:
                if not fault.matches(service, operation, params):
                    continue
                fault.seen += 1
                if fault.seen <= fault.skip or fault.injected >= fault.times:
                    continue
                fault.injected += 1
                if fault.code is None:
                    original(client, operation, params)  # carried out; the answer never arrives
                raise fault.error()
            return original(client, operation, params)

        monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", make_api_call)
