"""A small fake of GOV.UK Notify's HTTP API (v2), on 127.0.0.1: Notify has no emulator.

What the system uses, answered as Notify does (``docs.notifications.service.gov.uk``):

- ``POST /v2/notifications/email`` (``201``; ``400`` for a bad address, an unknown template or
  missing personalisation; ``403`` for a bad token: the JWT is checked with the key's secret);
- ``GET /v2/notifications?reference=...`` and ``GET /v2/notifications/<id>``;
- delivery receipts: after an email to a simulator mailbox it POSTs a receipt to the callback
  URL with the bearer token (``success@`` or ``simulate-delivered@``: ``delivered``;
  ``bounce@`` or ``perm-fail@``: ``permanent-failure``; ``temp-fail@``: ``temporary-failure``;
  ``complaint@``: ``delivered``), retrying a few times if the callback fails.

Faults on demand, for the tests: ``faults`` (statuses to answer next, e.g. ``[429, 500]``,
whatever the request), ``outage`` (every request ``503``) and ``lose_answers`` (that many
sends are carried out, then the connection is dropped before the answer). Sent emails are
kept in ``notifications`` and, with ``mailbox``, appended to the local stack's record of sent
email (``complaints emails``). Local and tests only.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

HOST = "127.0.0.1"
RECEIPTS: Mapping[str, str] = {
    "success": "delivered",
    "simulate-delivered": "delivered",
    "complaint": "delivered",
    "bounce": "permanent-failure",
    "perm-fail": "permanent-failure",
    "temp-fail": "temporary-failure",
}
SIMULATOR_DOMAINS = frozenset(
    {"simulator.amazonses.com", "simulator.notify", "notifications.service.gov.uk"}
)
ERRORS: Mapping[int, tuple[str, str]] = {
    400: ("BadRequestError", "Can't send to this recipient"),
    403: ("AuthError", "Invalid token: signature, api token not found"),
    429: (
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    ),
    500: ("Exception", "Internal server error"),
    503: ("Exception", "Service unavailable"),
}


def receipt_status(address: str) -> str | None:
    local, _, domain = address.strip().lower().rpartition("@")
    if domain not in SIMULATOR_DOMAINS:
        return None
    return RECEIPTS.get(local.split("+", 1)[0])


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class FakeNotify:
    template_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    callback_url: str | None = None
    callback_token: str | None = None
    mailbox: Path | None = None
    callback_delay: float = 0.2
    faults: list[int] = field(default_factory=list)
    outage: bool = False
    lose_answers: int = 0
    notifications: list[dict[str, Any]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # "METHOD /path"
    callbacks: list[int] = field(default_factory=list)  # the callback's answers
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def api_key(self) -> str:
        """A key in Notify's shape: ``{name}-{service id}-{secret}``."""
        return f"local_fake-{self.service_id}-{self.secret}"

    @property
    def url(self) -> str:
        assert self._server is not None, "start the fake first"
        return f"http://{HOST}:{self._server.server_address[1]}"

    def start(self) -> FakeNotify:
        self._server = ThreadingHTTPServer((HOST, 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="fake-notify", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def sent_to(self, address: str) -> list[dict[str, Any]]:
        with self._lock:
            return [n for n in self.notifications if n["email_address"] == address]

    # --- what the handler calls ---------------------------------------------------------

    def authorised(self, header: str) -> bool:
        from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
        from notifications_python_client.errors import TokenError

        token = header.removeprefix("Bearer ").strip()
        try:
            issuer = get_token_issuer(token)  # type: ignore[no-untyped-call]
            valid = decode_jwt_token(token, self.secret)  # type: ignore[no-untyped-call]
        except TokenError:
            return False
        return bool(issuer == self.service_id and valid)

    def send_email(self, body: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        address = str(body.get("email_address") or "")
        personalisation = body.get("personalisation") or {}
        local, _, domain = address.rpartition("@")
        if not local or "." not in domain or " " in address:
            return 400, _error(400, "ValidationError", "email_address Not a valid email address")
        if str(body.get("template_id")) != self.template_id:
            return 400, _error(400, "BadRequestError", "Template not found")
        missing = [k for k in ("subject", "body") if k not in personalisation]
        if missing:
            return 400, _error(400, "BadRequestError", f"Missing personalisation: {missing[0]}")
        notification = {
            "id": str(uuid.uuid4()),
            "reference": body.get("reference"),
            "email_address": address,
            "type": "email",
            "status": "sending",
            "template": {"id": self.template_id, "version": 1, "uri": ""},
            "subject": str(personalisation["subject"]),
            "body": str(personalisation["body"]),
            "created_at": _now(),
            "sent_at": _now(),
            "completed_at": None,
        }
        with self._lock:
            self.notifications.append(notification)
        self._record(notification)
        status = receipt_status(address)
        if status and self.callback_url:
            threading.Timer(self.callback_delay, self._callback, (notification, status)).start()
        return 201, {
            "id": notification["id"],
            "reference": notification["reference"],
            "content": {
                "subject": notification["subject"],
                "body": notification["body"],
                "from_email": "complaints@notifications.service.gov.uk",
            },
            "uri": f"/v2/notifications/{notification['id']}",
            "template": notification["template"],
            "scheduled_for": None,
        }

    def find(self, query: Mapping[str, list[str]]) -> dict[str, Any]:
        reference = (query.get("reference") or [""])[0] or None
        kind = (query.get("template_type") or [""])[0] or None
        with self._lock:
            found = [
                dict(n)
                for n in reversed(self.notifications)
                if (reference is None or n["reference"] == reference)
                and (kind is None or n["type"] == kind)
            ]
        return {"notifications": found, "links": {"current": "/v2/notifications"}}

    def one(self, notification_id: str) -> dict[str, Any] | None:
        with self._lock:
            return next((dict(n) for n in self.notifications if n["id"] == notification_id), None)

    def _record(self, notification: Mapping[str, Any]) -> None:
        """Into the local stack's record of sent email (``complaints emails``)."""
        if self.mailbox is None:
            return
        from complaints.service.delivery import parse_message_key
        from complaints_tools.local.mailbox import append

        found = parse_message_key(str(notification.get("reference") or ""))
        append(
            self.mailbox,
            {
                "message_id": notification["id"],
                "sent_at": notification["created_at"],
                "from": "GOV.UK Notify",
                "to": [notification["email_address"]],
                "subject": notification["subject"],
                "body": notification["body"],
                "html": "",
                "kind": found[1].split("#")[1] if found else None,
                "reference": found[0] if found else None,
                "sender": "notify",
            },
        )

    def _callback(self, notification: dict[str, Any], status: str) -> None:
        with self._lock:
            notification["status"] = status
            notification["completed_at"] = _now()
        receipt = {
            "id": notification["id"],
            "reference": notification["reference"],
            "to": notification["email_address"],
            "status": status,
            "created_at": notification["created_at"],
            "completed_at": notification["completed_at"],
            "sent_at": notification["sent_at"],
            "notification_type": "email",
            "template_id": self.template_id,
            "template_version": 1,
        }
        request = urllib.request.Request(  # noqa: S310  (a 127.0.0.1 URL the stack gave)
            str(self.callback_url),
            data=json.dumps(receipt).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.callback_token}",
            },
            method="POST",
        )
        for _ in range(5):  # Notify: every 5 minutes, 5 times; here, a second apart
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                    self.callbacks.append(answer.status)
                    return
            except OSError as error:
                self.callbacks.append(int(getattr(error, "code", 0) or 0))
            time.sleep(1.0)


def _error(status: int, error: str | None = None, message: str | None = None) -> dict[str, Any]:
    name, said = ERRORS.get(status, ("Exception", "Error"))
    return {"status_code": status, "errors": [{"error": error or name, "message": message or said}]}


def _handler(fake: FakeNotify) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _answer(self, status: int, body: Mapping[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _fault(self) -> bool:
            with fake._lock:
                status = 503 if fake.outage else (fake.faults.pop(0) if fake.faults else 0)
            if status:
                self._answer(status, _error(status))
                return True
            if not fake.authorised(self.headers.get("Authorization") or ""):
                self._answer(403, _error(403))
                return True
            return False

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            fake.requests.append(f"GET {parts.path}")
            if self._fault():
                return
            if parts.path == "/v2/notifications":
                self._answer(200, fake.find(parse_qs(parts.query)))
                return
            found = fake.one(parts.path.rpartition("/")[2])
            if parts.path.startswith("/v2/notifications/") and found is not None:
                self._answer(200, found)
                return
            self._answer(404, _error(404, "NoResultFound", "No result found"))

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            fake.requests.append(f"POST {parts.path}")
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if self._fault():
                return
            if parts.path != "/v2/notifications/email":
                self._answer(404, _error(404, "NotFound", "Not found"))
                return
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                self._answer(400, _error(400, "BadRequestError", "Invalid JSON supplied"))
                return
            status, answer = fake.send_email(body if isinstance(body, dict) else {})
            with fake._lock:
                lose = status == 201 and fake.lose_answers > 0
                if lose:
                    fake.lose_answers -= 1
            if lose:  # carried out, and the answer never arrives
                self.close_connection = True
                self.connection.close()
                return
            self._answer(status, answer)

    return Handler
