"""boto3 clients, created on first use (never at import: keeps Lambda cold starts small).

``COMPLAINTS_AWS_ENDPOINT`` points every client at one endpoint (the embedded moto server of
``make run``); unset, boto3's normal endpoint resolution applies. The region comes from
``AWS_REGION`` / ``AWS_DEFAULT_REGION``.
"""

from __future__ import annotations

import os
import threading
from functools import cache
from typing import Any

ENDPOINT_ENV = "COMPLAINTS_AWS_ENDPOINT"
DEFAULT_REGION = "eu-west-2"

_lock = threading.Lock()

# How many times botocore retries one call after its first try (so 4 tries in all) before
# raising to our code, in standard mode: throttling, 5xx answers and dropped connections are
# retried with jittered exponential backoff. (Config's ``max_attempts`` counts retries; the
# AWS_MAX_ATTEMPTS variable counts tries.)
RETRIES = 3

# Error codes that mean "AWS is busy or briefly unavailable: the same request may work later"
# (DynamoDB, SES and Scheduler spell them differently).
TRANSIENT_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "Throttling",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "InternalServerError",
        "InternalServerException",
        "InternalFailure",
        "ServiceUnavailable",
        "ServiceUnavailableException",
    }
)


def region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION


@cache
def _client(service: str, endpoint: str | None, region_name: str) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=3,
        read_timeout=10,
        retries={"mode": "standard", "max_attempts": RETRIES},
    )
    return boto3.session.Session().client(
        service, region_name=region_name, endpoint_url=endpoint, config=config
    )


def client(service: str) -> Any:
    """A cached client for ``service`` (thread-safe creation; clients are thread-safe)."""
    with _lock:
        return _client(service, os.environ.get(ENDPOINT_ENV) or None, region())


def reset() -> None:
    """Forget every client (tests and the local stack change endpoints and credentials)."""
    with _lock:
        _client.cache_clear()


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` (raised by a boto3 call, after botocore's own retries) means AWS was
    busy or could not be reached, rather than that the request was wrong. After a timeout the
    request may still have been carried out: callers must be idempotent."""
    from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code", "")) in TRANSIENT_CODES
    return isinstance(error, ConnectionError | HTTPClientError)
