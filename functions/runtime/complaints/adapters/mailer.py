"""Sending email with Amazon SES (v2 ``SendEmail``, ``Simple`` content: text and HTML): the
sender port (``service.outbox.Mail``) when ``council.yaml`` says ``sender: ses``.

Addresses go as 7-bit ASCII (``ascii_address``). The sender is ``SENDER_EMAIL`` (a verified
SES identity). Every email goes through the configuration set ``SES_CONFIGURATION_SET``, whose
bounce, complaint, delivery and reject events reach the delivery handler, and is tagged with
its kind, the case reference and its message key (``service.delivery.message_key``; never
personal data), which those events carry back.

SES has no idempotency key: a retry after an answer that was lost sends the email again (the
README's known gap; twice is preferred to never). It cannot post letters.
"""

from __future__ import annotations

from typing import Any

from complaints.adapters.clients import client
from complaints.environment import environment
from complaints.service.messages.render import Email, Letter

SENDER_ENV = "SENDER_EMAIL"
MESSAGE_TAG = "message"  # the tag the delivery handler reads (``service.delivery.message_key``)


def ascii_address(address: str) -> str:
    """The address as SES takes it: SES has no SMTPUTF8, so a domain with non-ASCII letters
    goes as Punycode (``zoe@exämple.de`` -> ``zoe@xn--exmple-cua.de``). Intake refuses a
    non-ASCII local part, which no Punycode can carry."""
    if address.isascii():
        return address
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(address, check_deliverability=False).ascii_email or address
    except EmailNotValidError:
        return address  # SES refuses it; the outbox records the failure (no address logged)


def _tag_value(value: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "_-." else "_" for ch in value)[:256]


class Mailer:
    def __init__(self, sender: str | None = None, sesv2: Any = None) -> None:
        settings = environment()
        self.sender = sender or settings.required(settings.sender_email, SENDER_ENV)
        self.configuration_set = settings.ses_configuration_set
        self._sesv2 = sesv2

    @property
    def sesv2(self) -> Any:
        if self._sesv2 is None:
            self._sesv2 = client("sesv2")
        return self._sesv2

    def send(self, email: Email, *, retry: bool = False) -> str:
        """Send ``email``; returns SES's message id. Raises botocore errors on failure. SES
        cannot tell whether an earlier try went out, so a ``retry`` sends as the first did."""
        request: dict[str, Any] = {
            "FromEmailAddress": self.sender,
            "Destination": {"ToAddresses": [ascii_address(to) for to in email.to]},
            "Content": {
                "Simple": {
                    "Subject": {"Data": email.subject, "Charset": "UTF-8"},
                    "Body": {
                        "Text": {"Data": email.text, "Charset": "UTF-8"},
                        "Html": {"Data": email.html, "Charset": "UTF-8"},
                    },
                }
            },
            "EmailTags": [
                {"Name": "kind", "Value": _tag_value(email.kind)},
                {"Name": "reference", "Value": _tag_value(email.reference)},
            ],
        }
        if email.message_key:
            request["EmailTags"].append(
                {"Name": MESSAGE_TAG, "Value": _tag_value(email.message_key)}
            )
        if self.configuration_set:
            request["ConfigurationSetName"] = self.configuration_set
        return str(self.sesv2.send_email(**request).get("MessageId", ""))

    def send_letter(self, letter: Letter, *, retry: bool = False) -> str:
        """SES sends email only: letters stay on the console's letters to send."""
        from complaints.service.outbox import LettersNotSupportedError

        raise LettersNotSupportedError("Amazon SES cannot post letters")
