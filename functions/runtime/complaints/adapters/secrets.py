"""Secrets from AWS Secrets Manager: GOV.UK Notify's API key and the bearer token its callbacks
carry. The environment holds only each secret's ARN; the value is read on first use and kept
in memory for ``KEPT_FOR`` (a rotated secret reaches a warm function within minutes). Never
logged, never put in an error message.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from complaints.adapters.clients import client

KEPT_FOR = 300.0  # seconds

_lock = threading.Lock()
_kept: dict[str, tuple[float, str]] = {}


class SecretsManager:
    def __init__(self, secretsmanager: Any = None) -> None:
        self._secretsmanager = secretsmanager

    @property
    def secretsmanager(self) -> Any:
        if self._secretsmanager is None:
            self._secretsmanager = client("secretsmanager")
        return self._secretsmanager

    def value(self, secret_id: str) -> str:
        """The secret's current string value (cached for ``KEPT_FOR`` seconds)."""
        with _lock:
            found = _kept.get(secret_id)
            if found is not None and time.monotonic() - found[0] < KEPT_FOR:
                return found[1]
        answer = self.secretsmanager.get_secret_value(SecretId=secret_id)
        value = str(answer.get("SecretString") or "").strip()
        with _lock:
            _kept[secret_id] = (time.monotonic(), value)
        return value


def forget() -> None:
    """Drop every kept value (tests; a process pointed at another stack)."""
    with _lock:
        _kept.clear()
