"""Sending email with Amazon SES (v2 ``SendEmail``, ``Simple`` content: text and HTML).

The sender is ``SENDER_EMAIL`` (a verified SES identity). Each email is tagged with its kind and
the case reference (never personal data) for SES event destinations.
"""

from __future__ import annotations

import os
from typing import Any

from complaints.adapters.clients import client
from complaints.service.messages import Email

SENDER_ENV = "SENDER_EMAIL"
CONFIGURATION_SET_ENV = "SES_CONFIGURATION_SET"


def _tag_value(value: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "_-." else "_" for ch in value)[:256]


class Mailer:
    def __init__(self, sender: str | None = None, sesv2: Any = None) -> None:
        self.sender = sender or os.environ[SENDER_ENV]
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
            "Destination": {"ToAddresses": list(email.to)},
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
        configuration_set = os.environ.get(CONFIGURATION_SET_ENV)
        if configuration_set:
            request["ConfigurationSetName"] = configuration_set
        return str(self.sesv2.send_email(**request).get("MessageId", ""))
