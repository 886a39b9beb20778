"""What became of each email, said without personal data: an address that bounced is the
person's (SES's event names it, and its diagnostic quotes it), and so is a Notify receipt's
``to``. Through a bounce, a complaint, a Notify receipt, an email given up after SES refused it
naming the recipient, the alerts that follow and staff recording how the family was told,
nothing the system logs, prints or emails to staff names the person."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from complaints.adapters.clients import client
from complaints.models import EventType
from complaints.settings import load_settings
from tests.integration.conftest import Stack
from tests.integration.delivery_helpers import delivery_for, events_of
from tests.integration.helpers import body_json, post_json, sent_emails
from tests.security import person
from tests.security.conftest import Heard, cli_runner

TEAM = "childrens.complaints@example.gov.uk"


def _about_the_person(event: dict[str, Any], kind: str) -> dict[str, Any]:
    """The simulator's event, as SES sends it for the person's own address."""
    text = json.dumps(event)
    text = text.replace(f"{kind}@simulator.amazonses.com", person.EMAIL)
    found: dict[str, Any] = json.loads(text)
    if kind == "bounce":
        (recipient,) = found["detail"]["bounce"]["bouncedRecipients"]
        recipient["diagnosticCode"] = f"smtp; 550 5.1.1 <{person.EMAIL}>: {person.NAME} unknown"
    return found


def test_delivery_reports_and_their_alerts_name_nobody(
    stack: Stack,
    heard: Heard,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    for own in ("complaints-delivery", "complaints-notify-callback"):
        logging.getLogger(own).setLevel(logging.DEBUG)
    delivery = delivery_for(stack, tmp_path)
    said_to_staff: list[str] = []

    # a complaint whose acknowledgement bounces, then is marked as spam (the person's address)
    reference = body_json(post_json(person.fields()))["reference"]
    from tests.integration.helpers import valid_fields

    simulated = body_json(post_json(valid_fields(email="complaint@simulator.amazonses.com")))
    delivery.send_outbox()
    queued = delivery.queued()
    delivery.drain()
    bounce = next(e for e in queued if e["detail-type"] == "Email Delivered")
    bounce = json.loads(json.dumps(bounce).replace("Email Delivered", "Email Bounced"))
    bounce["detail"]["eventType"] = "Bounce"
    bounce["detail"]["bounce"] = {
        "feedbackId": "f-1",
        "bounceType": "Permanent",
        "bouncedRecipients": [{"emailAddress": "complaint@simulator.amazonses.com"}],
        "timestamp": bounce["detail"]["delivery"]["timestamp"],
    }
    tags = bounce["detail"]["mail"]["tags"]
    tags["message"] = [f"{reference}.acknowledgement_23s1"]
    tags["reference"] = [reference]
    delivery.put(_about_the_person(bounce, "complaint"))
    complained = next(e for e in queued if e["detail-type"] == "Email Complaint Received")
    complained["detail"]["mail"]["tags"] = tags
    delivery.put(_about_the_person(complained, "complaint"))
    delivery.drain()
    failed = events_of(stack, reference, EventType.DELIVERY_FAILED)
    assert {e.reason for e in failed} == {"bounce", "complaint"}
    assert simulated["reference"] != reference

    # a Notify receipt naming the person
    from complaints.handlers.notify_callback import handler as callback

    secret = __import__("os").environ["NOTIFY_CALLBACK_SECRET"]
    token = client("secretsmanager").get_secret_value(SecretId=secret)["SecretString"]
    receipt = {
        "id": "0b1b5c48-0d0a-4a57-9a8c-2f3bde7f0d01",
        "reference": f"{reference}.team_alert_23s1",
        "to": person.EMAIL,
        "status": "temporary-failure",
        "created_at": "2026-11-26T10:00:00Z",
        "completed_at": "2026-11-26T10:00:05Z",
        "sent_at": None,
        "notification_type": "email",
    }
    event = {"headers": {"authorization": f"Bearer {token}"}, "body": json.dumps(receipt)}
    assert callback(event, _context())["statusCode"] == 202
    wrong = {"headers": {"authorization": f"Bearer {person.EMAIL}"}, "body": json.dumps(receipt)}
    assert callback(wrong, _context())["statusCode"] == 401
    delivery.drain()

    # an email SES refuses, naming the person, until the outbox gives up
    monkeypatch.setenv(
        "COMPLAINTS_COUNCIL_FILE", str(_council_with(tmp_path, "outbox_max_attempts: 2"))
    )
    load_settings.cache_clear()
    from complaints.adapters.mailer import Mailer
    from complaints.wiring import adapters

    cli = cli_runner()
    monkeypatch.setenv("COMPLAINTS_STAFF", "Jo Adams")
    with monkeypatch.context() as patched:
        patched.setattr(Mailer, "send", _ses_rejects_naming_the_recipient)
        code, output = cli("respond", reference, "--outcome", "upheld", "--use-draft")
        said_to_staff.append(output)
        assert code == 0, output
        from complaints.service.outbox import act_on

        made = adapters()
        for item in stack.repository.outbox_items(reference):
            if item["status"] == "pending" and "responded" in str(item.get("template")):
                for _ in range(2):
                    try:
                        act_on(item, made.store, made.mail, made.schedules)
                    except Exception:  # noqa: S112  (the first attempt fails, the second gives up)
                        continue
    load_settings.cache_clear()
    reasons = [e.reason for e in events_of(stack, reference, EventType.DELIVERY_FAILED)]
    assert "not_sent" in reasons

    # the alerts go out; staff record how the family was told
    delivery.send_outbox()
    code, output = cli("record-contact", reference, "--how", "phone")
    said_to_staff.append(output)
    assert code == 0, output
    code, output = cli("list")
    said_to_staff.append(output)
    alerts = [m for m in sent_emails() if TEAM in m.destinations["ToAddresses"]]
    alert_text = "\n".join(
        f"{m.subject}\n{m.body}"
        for m in alerts
        if "not" in m.subject.lower() or "Reach" in m.subject
    )
    assert "Reach the family another way" in alert_text

    printed = capsys.readouterr()
    said = {
        "log records and warnings": heard.text(),
        "stdout and stderr": printed.out + printed.err,
        "the CLI's output to staff": "\n".join(said_to_staff),
        "the alerts to staff": alert_text,
    }
    for expected in ("delivery report", "callback queued", "callback refused"):
        assert expected in said["log records and warnings"], expected
    found = {where: person.leaks(text, str(token)) for where, text in said.items()}
    assert found == {where: [] for where in said}


def _context() -> Any:
    from tests.integration.helpers import CONTEXT

    return CONTEXT


def _council_with(tmp_path: Path, line: str) -> Path:
    from complaints.settings import COUNCIL_FILE

    council = tmp_path / "council-privacy.yaml"
    council.write_text(
        COUNCIL_FILE.read_text(encoding="utf-8").replace("outbox_max_attempts: 10", line),
        encoding="utf-8",
    )
    return council


def _ses_rejects_naming_the_recipient(self: Any, email: Any, **_: Any) -> str:
    from botocore.exceptions import ClientError

    message = f"Email address is not verified: {', '.join(email.to)}"
    raise ClientError({"Error": {"Code": "MessageRejected", "Message": message}}, "SendEmail")
