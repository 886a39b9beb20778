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


def region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION


@cache
def _client(service: str, endpoint: str | None, region_name: str) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=3,
        read_timeout=10,
        retries={"mode": "standard", "max_attempts": 3},
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
