"""No personal data in logs, metrics, warnings or error messages, through the whole journey.

One made-up person (``tests.security.person``) complains through the JSON API and the form;
the outbox worker sends every kind of intake email (once failing, as SES does when it names
the recipient in its error); the escalation checks fire (reminder, deadline, the daily sweep
with its CloudWatch metric); the person uses their self-service link, right and wrong; staff
act through the CLI and run the reports. Everything the system *says* along the way, other
than its answers to the person and the case view staff ask for, is searched for every form of
the person's data: every log record of every logger at DEBUG (libraries' wire logs aside: see
``conftest.LIBRARY_LOGGERS``), stdout and stderr (powertools' JSON logs and EMF metrics),
warnings, the CLI's output, and the API's error answers.

"Except to its owner's own form": a form posted without JavaScript that needs changes comes
back filled in with the person's own answers. That is allowed (HTML-escaped:
``test_abuse``); the JSON API's errors name the field and the problem, never the value.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from complaints.adapters.dynamo import Repository
from complaints.clock import LONDON, financial_year
from complaints.service.intake import receive
from complaints.submission import Submission, parse_submission
from tests.integration.conftest import Stack
from tests.integration.helpers import (
    CONTEXT,
    api_event,
    body_json,
    deliver,
    post_form,
    post_json,
    sent_emails,
    stream_event,
)
from tests.security import person
from tests.security.conftest import Heard, cli_runner

LONG_AGO = datetime(2025, 1, 6, 10, tzinfo=LONDON)  # every check of a case filed then is due


def _call(method: str, path: str, body: bytes = b"", content_type: str = "") -> dict[str, Any]:
    from complaints.handlers.api import handler

    return handler(api_event(method, path, body, content_type), CONTEXT)


def _token(stack: Stack, reference: str) -> str:
    """The self-service token, read from the acknowledgement's outbox item before it is sent."""
    (ack,) = [i for i in stack.repository.outbox_items(reference) if i["kind"] == "acknowledgement"]
    return str(ack["token"])


def _deliver_all(stack: Stack) -> dict[str, Any]:
    return deliver(stream_event(stack))


def _ses_rejects_naming_the_recipient(self: Any, email: Any, *, retry: bool = False) -> str:
    """What SES in sandbox mode really answers: its message names the recipient."""
    from botocore.exceptions import ClientError

    message = (
        "Email address is not verified. The following identities failed the check in "
        f"region EU-WEST-2: {', '.join(email.to)}"
    )
    raise ClientError({"Error": {"Code": "MessageRejected", "Message": message}}, "SendEmail")


def _intake_breaks_quoting_what_was_sent(*args: Any, **kwargs: Any) -> Any:
    submission = args[0]
    raise RuntimeError(f"could not store {submission.complainant_name} <{submission.email}>")


def test_nothing_personal_is_logged_or_echoed_through_the_whole_journey(
    stack: Stack,
    heard: Heard,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    said_to_staff: list[str] = []  # the CLI's output, apart from `show`
    errors: list[str] = []  # the API's error answers (to anyone holding the URL)
    cli = cli_runner()

    def staff(*args: str, ok: bool = True) -> str:
        code, output = cli(*args)
        assert (code == 0) is ok, output
        said_to_staff.append(output)
        return output

    def refused(response: dict[str, Any], status: int) -> None:
        assert response["statusCode"] == status, response["body"][:300]
        errors.append(response["body"])

    # --- making the complaint ---------------------------------------------------------------
    first = post_json(
        person.fields(child_in_danger="yes", wants_advocate="yes", submission_id=str(uuid.uuid4()))
    )
    assert first["statusCode"] == 201
    ref_a = body_json(first)["reference"]
    token_a = _token(stack, ref_a)
    by_form = post_form(person.fields(details=person.DETAILS + " Again."))
    assert by_form["statusCode"] == 303
    ref_b = by_form["headers"]["Location"].split("reference=")[1].split("&")[0]
    token_b = _token(stack, ref_b)

    # answers that need changing, with personal data in the wrong places
    refused(
        post_json(
            person.fields(
                email=f"{person.NAME} {person.EMAIL}",
                phone=person.NAME,
                child_date_of_birth="14/03/2012",
                relationship=person.CHILD,
                service_area=person.DETAILS_WORDS[0],
            )
        ),
        422,
    )
    own_form = post_form(person.fields(email=f"{person.NAME} at home"))
    assert own_form["statusCode"] == 200
    assert person.NAME in own_form["body"]  # the owner's own answers, back on their own form
    oversized = json.dumps(person.fields(details=person.DETAILS * 2000)).encode()
    refused(_call("POST", "/api/complaints", oversized, "application/json"), 413)
    broken = json.dumps(person.fields()).encode()[:-20]
    refused(_call("POST", "/api/complaints", broken, "application/json"), 400)
    refused(_call("POST", "/api/complaints", json.dumps(person.fields()).encode(), "text/x"), 415)
    with monkeypatch.context() as patched:
        patched.setattr("complaints.service.intake.receive", _intake_breaks_quoting_what_was_sent)
        refused(post_json(person.fields(details="Something else entirely.")), 500)

    # --- the outbox: SES refuses first (naming the recipient), then sends everything --------
    from complaints.adapters.mailer import Mailer

    with monkeypatch.context() as patched:
        patched.setattr(Mailer, "send", _ses_rejects_naming_the_recipient)
        assert _deliver_all(stack)["batchItemFailures"]
    assert _deliver_all(stack) == {"batchItemFailures": []}
    subjects = " ".join(m.subject for m in sent_emails())
    for expected in ("received your complaint", "New complaint", "Advocacy referral", "URGENT"):
        assert expected in subjects, expected

    # --- the escalation checks: a case filed long ago, each check, then the daily sweep -----
    filed = parse_submission(person.fields(details=person.DETAILS + " Once more."))
    assert isinstance(filed, Submission)
    ref_c = receive(filed, Repository(), now=LONG_AGO.astimezone(UTC)).receipt.reference
    _deliver_all(stack)
    from complaints.handlers.checks import handler as checks

    for check in sorted(stack.repository.check_items(ref_c), key=lambda c: str(c["kind"])):
        assert checks(check["payload"], CONTEXT)["ran"] is True  # the deadline, the reminder
    assert checks({"hello": person.NAME}, CONTEXT) == {"ran": False}  # not a check payload
    sweep = checks({"detail-type": "Scheduled Event", "source": "aws.events"}, CONTEXT)
    assert sweep["overdue_cases"] >= 1
    _deliver_all(stack)

    # --- self-service: the right link, wrong links, asking for the next stage ---------------
    status = _call("GET", f"/api/complaints/{ref_a}?{urlencode({'token': token_a})}")
    assert status["statusCode"] == 200
    assert not person.leaks(status["body"])  # the status page holds no personal data either
    refused(_call("GET", f"/api/complaints/{ref_a}?token={token_b}"), 404)
    refused(_call("GET", f"/api/complaints/{ref_a}?token={person.EMAIL}"), 404)
    asked = json.dumps({"token": token_b, "reason": person.REASON}).encode()
    refused(_call("POST", f"/api/complaints/{ref_b}/escalation", asked, "application/json"), 409)
    wrong = json.dumps({"token": token_a, "reason": person.REASON}).encode()
    refused(_call("POST", f"/api/complaints/{ref_b}/escalation", wrong, "application/json"), 404)

    # --- staff act through the CLI, and the person asks for stage 2 -------------------------
    monkeypatch.setenv("COMPLAINTS_STAFF", "Jo Adams")
    staff("acknowledge", ref_a, "--summary", person.DETAILS, "--outcome-sought", person.OUTCOME)
    staff("respond", ref_a, "--outcome", "partly_upheld", "--use-draft", "--json")
    asked = json.dumps({"token": token_a, "reason": person.REASON}).encode()
    escalated = _call("POST", f"/api/complaints/{ref_a}/escalation", asked, "application/json")
    assert escalated["statusCode"] == 200
    assert body_json(escalated)["stage"] == 2
    staff("escalate", ref_b, ok=False)  # stage 1 still in time: refused, with a reason
    staff("escalate", ref_c, "--reason", "Council missed the date")
    staff("extend", ref_c, "--to", "30", "--reason", "Complex", "--grounds", "complex")
    staff("hold", ref_c, "--grounds", "police_investigation", "--reason", person.REASON)
    staff("resume", ref_c)
    staff("respond", ref_c, "--outcome", "upheld", "--use-draft")
    staff("close", ref_c)
    staff("close", ref_b, "--withdrawn", "--reason", "Withdrawn by phone")
    staff("checks", "run")
    staff("checks", "run", "--json")
    staff("list")
    staff("list", "--json")
    staff("report", "backlog")
    staff("report", "backlog", "--json")
    year = str(financial_year(date(2025, 1, 6)))
    staff("report", "annual", "--year", year, "--json", "--out", str(tmp_path / "report"))
    _deliver_all(stack)
    shown = cli("show", ref_a, "--json")[1]  # the case view a member of staff asked for
    assert person.NAME in shown  # is exactly what is *not* searched: it shows the case

    # --- what was said ----------------------------------------------------------------------
    printed = capsys.readouterr()
    published = "\n".join(p.read_text() for p in sorted((tmp_path / "report").rglob("*.*")))
    said = {
        "log records and warnings": heard.text(),
        "stdout and stderr (powertools logs, EMF metrics)": printed.out + printed.err,
        "the CLI's output to staff": "\n".join(said_to_staff),
        "the API's error answers": "\n".join(errors),
        "the annual report as written for publishing": published,
    }
    # The capture is real: each source holds what the journey must have put there.
    for expected in (
        "complaint received",
        "complaint needs changes",
        "unexpected error",
        "outbox item failed",
        "outbox item",
        "self-service status",
        "self-service: no match",
        "self-service escalation",
        "sweep",
        "not a check payload",
    ):
        assert expected in said["log records and warnings"], expected
    assert "OverdueCases" in said["stdout and stderr (powertools logs, EMF metrics)"]
    assert "RuntimeError" in said["log records and warnings"]  # the type, never the message
    assert '"error": "MessageRejected"' in said["log records and warnings"]  # SES: code only
    assert ref_c in said["the CLI's output to staff"]
    assert "Stage 1 is still open" in said["the CLI's output to staff"]
    assert "could not find" in said["the API's error answers"]
    assert "Complaints" in published  # the report was written
    tokens = (token_a, token_b)  # the links' secrets are not to be logged either
    found = {where: person.leaks(text, *tokens) for where, text in said.items()}
    assert found == {where: [] for where in said}


def test_the_deployed_functions_never_log_at_debug() -> None:
    """At DEBUG, botocore logs every request's body (the case, the email): the template must
    never turn DEBUG on, and no handler logs the incoming event."""
    import re

    root = Path(__file__).resolve().parents[2]
    template = (root / "template.yaml").read_text(encoding="utf-8")
    assert "POWERTOOLS_DEBUG" not in template
    assert "POWERTOOLS_LOGGER_LOG_EVENT" not in template
    setting = r"(?:POWERTOOLS_LOG_LEVEL|ApplicationLogLevel|LOG_LEVEL):\s*(\S+)"
    levels = re.findall(setting, template)
    assert levels, "the log level is set somewhere in template.yaml"
    assert {level.strip("\"'").upper() for level in levels} <= {"INFO", "WARN", "WARNING", "ERROR"}
    handlers = root / "functions" / "runtime" / "complaints" / "handlers"
    for module in handlers.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert "log_event=True" not in source, module.name
        assert source.count("inject_lambda_context(") == source.count("log_event=False"), module
