"""boto3 clients, created on first use (never at import: keeps Lambda cold starts small).

``COMPLAINTS_AWS_ENDPOINT`` points every client at one endpoint (the embedded moto server of
``make run``); unset, boto3's normal endpoint resolution applies. The region comes from
``AWS_REGION`` / ``AWS_DEFAULT_REGION``. How long a call may take (its tries, and each try's
connect and read timeouts) is the function's own (``environment.AwsCalls``), so that a call
that keeps failing gives up inside the function's timeout.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

from complaints.environment import AwsCalls, environment, forget

ENDPOINT_ENV = "COMPLAINTS_AWS_ENDPOINT"
DEFAULT_REGION = "eu-west-2"

_lock = threading.Lock()


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
    return environment().region


@cache
def _client(service: str, endpoint: str | None, region_name: str, calls: AwsCalls) -> Any:
    import boto3
    from botocore.config import Config

    # Standard mode retries throttling, 5xx answers and dropped connections with jittered
    # exponential backoff; ``total_max_attempts`` counts tries, the first one included.
    config = Config(
        connect_timeout=calls.connect_seconds,
        read_timeout=calls.read_seconds,
        retries={"mode": "standard", "total_max_attempts": calls.tries},
    )
    return boto3.session.Session().client(
        service, region_name=region_name, endpoint_url=endpoint, config=config
    )


def client(service: str) -> Any:
    """A cached client for ``service`` (thread-safe creation; clients are thread-safe)."""
    settings = environment()
    with _lock:
        return _client(service, settings.aws_endpoint, settings.region, settings.aws_calls)


def reset() -> None:
    """Forget every client and the environment read so far (tests, the local stack and the
    command line change endpoints and credentials)."""
    with _lock:
        _client.cache_clear()
        forget()


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` (raised by a boto3 call, after botocore's own retries) means AWS was
    busy or could not be reached, rather than that the request was wrong. After a timeout the
    request may still have been carried out: callers must be idempotent."""
    from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code", "")) in TRANSIENT_CODES
    return isinstance(error, ConnectionError | HTTPClientError)
