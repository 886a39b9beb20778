"""GOV.UK Notify's delivery receipts (``POST /api/delivery/notify``, an HTTP API route of its
own function): Notify calls it when an email it sent is delivered or fails.

The request must carry the bearer token the council gave Notify (kept in Secrets Manager,
``NOTIFY_CALLBACK_SECRET``), compared in constant time; anything else gets ``401`` and nothing
happens. A good receipt goes on the delivery queue, less the recipient's address, for the
delivery handler (which records it once: Notify retries a callback that failed); the answer is
``202``. Notify retries a failed callback every 5 minutes, 5 times, so a queue that cannot be
reached answers ``503``. Logs: outcomes only, never the body or the token.
"""

from __future__ import annotations

import base64
import hmac
import json
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="complaints-notify-callback")

NOTIFY_SOURCE = "gov.uk.notify"  # the ``source`` of a receipt on the delivery queue
MAX_BODY_BYTES = 16 * 1024  # a receipt is well under 1 KB
# What is kept of a receipt: never ``to`` (the recipient's address).
KEPT = ("id", "reference", "status", "created_at", "completed_at", "sent_at", "notification_type")


def _answer(status: int, body: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", "Cache-Control": "no-store"},
        "body": json.dumps(body or {}),
    }


def _expected_token() -> str:
    """The bearer token Notify was given ("" when the secret is not set: nobody gets in)."""
    from complaints.adapters.secrets import SecretsManager
    from complaints.environment import environment

    secret = environment().notify_callback_secret
    return SecretsManager().value(secret) if secret else ""


def authorised(header: str, expected: str) -> bool:
    """Whether ``header`` is ``Bearer <expected>``, compared in constant time (its length
    aside); an empty ``expected`` lets nobody in."""
    if not expected:
        return False
    return hmac.compare_digest(header.encode("utf-8"), f"Bearer {expected}".encode())


def receipt_from(body: bytes) -> dict[str, Any] | None:
    """The receipt's fields we keep, or ``None`` when the body is not a receipt."""
    try:
        found = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(found, dict):
        return None
    kept = {key: found.get(key) for key in KEPT}
    if not all(isinstance(kept[key], str) and kept[key] for key in ("id", "status")):
        return None
    if not all(value is None or isinstance(value, str) for value in kept.values()):
        return None
    return kept


def _queue() -> Any:
    from complaints.adapters.delivery_queue import DeliveryQueue

    return DeliveryQueue()


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from complaints.service.outbox import error_code

    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    try:
        expected = _expected_token()
    except Exception as error:  # Secrets Manager unreachable: Notify tries again later
        logger.warning("callback token unavailable", extra={"error": error_code(error)})
        return _answer(503, {"message": "Try again later"})
    if not authorised(headers.get("authorization", ""), expected):
        logger.warning("callback refused: bearer token")
        return _answer(401, {"message": "Not authorised"})
    raw = event.get("body") or ""
    body = base64.b64decode(raw) if event.get("isBase64Encoded") else str(raw).encode("utf-8")
    if len(body) > MAX_BODY_BYTES:
        return _answer(413, {"message": "Too large"})
    receipt = receipt_from(body)
    if receipt is None:
        logger.warning("callback refused: not a delivery receipt")
        return _answer(400, {"message": "Not a delivery receipt"})
    try:
        _queue().put({"source": NOTIFY_SOURCE, "detail": receipt})
    except Exception as error:
        logger.warning("callback not queued", extra={"error": error_code(error)})
        return _answer(503, {"message": "Try again later"})
    logger.info("callback queued", extra={"status": receipt["status"]})
    return _answer(202)
