"""Sending email with Amazon SES (v2 ``SendEmail``, ``Simple`` content: text and HTML).

Addresses go as 7-bit ASCII (``ascii_address``). The sender is ``SENDER_EMAIL`` (a verified
SES identity). Each email is tagged with its kind and the case reference (never personal data)
for SES event destinations.
"""

from __future__ import annotations

from typing import Any

from complaints.adapters.clients import client
from complaints.environment import environment
from complaints.service.messages.render import Email

SENDER_ENV = "SENDER_EMAIL"


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
        self.alerts_configuration_set = settings.alerts_configuration_set
        self._sesv2 = sesv2

    @property
    def sesv2(self) -> Any:
        if self._sesv2 is None:
            self._sesv2 = client("sesv2")
        return self._sesv2

    def send(self, email: Email) -> str:
        """Send ``email``; returns SES's message id. Raises botocore errors on failure."""
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
        chosen = self.configuration_set
        if email.staff_only and self.alerts_configuration_set:
            chosen = self.alerts_configuration_set  # TLS required (template.yaml)
        if chosen:
            request["ConfigurationSetName"] = chosen
        return str(self.sesv2.send_email(**request).get("MessageId", ""))
