"""Sending email with GOV.UK Notify (``notifications-python-client``): the sender port
(``service.outbox.Mail``) when ``council.yaml`` says ``sender: notify``.

The system renders every email itself and sends it through the council's one Notify email
template (``notify.email_template_id``: subject ``((subject))``, body ``((body))``), so a
council configures one template, not twenty. Each email's ``reference`` is its message key
(``service.delivery.message_key``): Notify's delivery receipts carry it back.

- The API key is read from Secrets Manager (``NOTIFY_API_KEY_SECRET``, an ARN); it is never in
  the environment or the repository.
- ``429`` (rate limits) and ``5xx`` answers, and a Notify that cannot be reached, are tried again
  here (``TRIES``, with a growing pause), then raised as ``NotifyUnavailableError`` so the
  outbox retries later; a ``400`` raises ``PermanentSendError`` at once (the request itself is
  wrong, e.g. an address Notify cannot send to: no retry helps).
- Once: on a retry the email is first looked up by its reference
  (``get_all_notifications(reference=...)``) and sent only to recipients Notify has no email
  for, so an answer lost on the way back never sends it twice.

One Notify call sends to one address: an email to several is one notification each, all with
the same reference. The client's own logger (which names the URL and Notify's message) is kept
quiet; errors carry Notify's status code only.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from complaints.environment import environment
from complaints.service.messages.render import Email, Letter

SECRET_ENV = "NOTIFY_API_KEY_SECRET"  # noqa: S105  (the variable's name, not a secret)
TRIES = 3  # per call: the first and two more after a 429, a 5xx or no answer
PAUSE_SECONDS = 1.0  # before the second try; doubled before each next one
logging.getLogger("notifications_python_client").setLevel(logging.CRITICAL)

T = TypeVar("T")


class NotifyUnavailableError(Exception):
    """Notify answered 429 or 5xx (or not at all) every try: the outbox retries later."""

    def __init__(self, status: int) -> None:
        super().__init__(f"GOV.UK Notify answered {status}")
        # read by ``service.outbox.error_code``, as for an AWS error
        self.response = {"Error": {"Code": f"Notify{status}"}}


def _status(error: BaseException) -> int:
    return int(getattr(error, "status_code", 0) or 0)


def _folded(address: str) -> str:
    return address.strip().casefold()


def _raise_unless_worth_retrying(error: Exception, *, last: bool) -> None:
    """Return when a retry may help (429, 5xx, no answer) and tries are left; otherwise raise
    what the outbox should see: ``PermanentSendError`` for a 400 (never retried), else
    ``NotifyUnavailableError`` (the outbox retries later). Notify's own message is dropped:
    it can quote what was sent."""
    from notifications_python_client.errors import APIError

    from complaints.service.outbox import PermanentSendError

    if not isinstance(error, APIError):
        raise error
    status = _status(error)
    if status == 400:
        raise PermanentSendError(f"GOV.UK Notify answered {status}") from None
    if last or (status != 429 and status < 500):  # 403: a wrong key; the outbox tries later
        raise NotifyUnavailableError(status) from None


class NotifySender:
    def __init__(
        self,
        *,
        template_id: str | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._template_id = template_id
        self._api_key = api_key
        self.base_url = base_url or environment().notify_api_url
        self.sleep = sleep
        self._client: Any = None
        self._lock = threading.Lock()  # the client's session is not thread-safe

    @property
    def template_id(self) -> str:
        if self._template_id is None:
            from complaints.settings import load_settings

            notify = load_settings().notify
            if notify is None:
                raise LookupError("council.yaml has no notify: email_template_id")
            self._template_id = str(notify.email_template_id)
        return self._template_id

    @property
    def client(self) -> Any:
        if self._client is None:
            from notifications_python_client.notifications import NotificationsAPIClient

            calls = environment().aws_calls
            key = self._api_key or self._key_from_secrets_manager()
            self._client = NotificationsAPIClient(  # type: ignore[no-untyped-call]
                key,
                base_url=self.base_url,
                timeout=(calls.connect_seconds, calls.read_seconds),
            )
        return self._client

    def _key_from_secrets_manager(self) -> str:
        from complaints.adapters.secrets import SecretsManager

        settings = environment()
        return SecretsManager().value(settings.required(settings.notify_api_key_secret, SECRET_ENV))

    def _call(self, request: Callable[[], T]) -> T:
        """``request``, tried again after a 429, a 5xx or no answer (a pause between)."""
        pause = PAUSE_SECONDS
        for attempt in range(1, TRIES + 1):
            try:
                with self._lock:
                    return request()
            except Exception as error:
                _raise_unless_worth_retrying(error, last=attempt == TRIES)
            self.sleep(pause)
            pause *= 2
        raise AssertionError("unreachable")

    def sent_to(self, reference: str) -> dict[str, str]:
        """The addresses Notify already has an email with this reference for, and its id."""
        found = self._call(
            lambda: self.client.get_all_notifications(reference=reference, template_type="email")
        )
        return {
            _folded(str(n.get("email_address") or "")): str(n.get("id") or "")
            for n in (found or {}).get("notifications") or ()
            if n.get("reference") == reference
        }

    def send(self, email: Email, *, retry: bool = False) -> str:
        """Send ``email`` (one notification per address); returns the last one's id."""
        reference = email.message_key or None
        done = self.sent_to(reference) if retry and reference else {}
        sent = ""
        for address in email.to:
            sent = done.get(_folded(address)) or self._send_one(email, address, reference)
        return sent

    def _send_one(self, email: Email, address: str, reference: str | None) -> str:
        """One notification; before trying again after a 5xx or no answer (the try may have
        been carried out), look it up by its reference."""
        pause = PAUSE_SECONDS
        maybe_sent = False  # a 5xx or no answer: the try before may have been carried out
        for attempt in range(1, TRIES + 1):
            if maybe_sent and reference:
                found = self.sent_to(reference).get(_folded(address))
                if found:
                    return found
            try:
                with self._lock:
                    answer = self.client.send_email_notification(
                        email_address=address,
                        template_id=self.template_id,
                        personalisation={"subject": email.subject, "body": email.text},
                        reference=reference,
                    )
                return str((answer or {}).get("id") or "")
            except Exception as error:
                _raise_unless_worth_retrying(error, last=attempt == TRIES)
                maybe_sent = _status(error) != 429  # a 429 was refused before anything was done
            self.sleep(pause)
            pause *= 2
        raise AssertionError("unreachable")

    def send_letter(self, letter: Letter, *, retry: bool = False) -> str:
        """Letters through Notify's letter API come with the casework issue's letters (a
        letter template with ``((subject))`` and ``((body))``, the address as its lines)."""
        raise NotImplementedError("letters through GOV.UK Notify are not built yet")
