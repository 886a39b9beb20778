"""The lifecycle's "done when", against ``python -m complaints_tools.local`` in its own
process: file a complaint; ``checks run --now <the day after respond_by>`` moves the stack's
clock there, marks it overdue and alerts, once; the complainant's link shows the status, and
asking there for stage 2 (on the clock's day) starts it, 25 working days from the request, as
``complaints show REF --json`` shows."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import unquote

from complaints.clock import LONDON, add_working_days
from tests.integration.helpers import valid_fields
from tests.integration.test_local_stack import _cli, _post, running_stack

__all__ = ["running_stack"]  # the fixture, shared with the intake's end-to-end test


def _emails(running: dict[str, Any], want: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 30
    emails: list[dict[str, Any]] = _cli(running, "emails")
    while len(emails) < want and time.monotonic() < deadline:
        time.sleep(0.5)
        emails = _cli(running, "emails")
    return emails


def test_overdue_alerts_once_then_the_complainant_escalates(
    running_stack: dict[str, Any],
) -> None:
    site = running_stack["state"]["site_url"]
    status, _, body = _post(
        f"{site}/api/complaints", json.dumps(valid_fields()).encode(), "application/json"
    )
    assert status == 201
    receipt = json.loads(body)
    reference = receipt["reference"]
    (ack,) = [e for e in _emails(running_stack, 2) if e["kind"] == "acknowledgement"]
    found = re.search(r"token=([A-Za-z0-9_%\-]+)", ack["body"])
    assert found is not None
    token = unquote(found.group(1))

    day_after = date.fromisoformat(receipt["respond_by"]) + timedelta(days=1)
    midday = f"{day_after.isoformat()}T12:00"  # the clock runs on: hours before the next day
    first = _cli(running_stack, "checks", "run", "--now", midday)
    assert any(
        line == f"{reference} 1#response#deadline#{receipt['respond_by']}" for line in first["ran"]
    )
    shown = _cli(running_stack, "show", reference)
    assert shown["stage"] == 1
    assert shown["overdue"] is True  # derived from the deadline and the moved clock
    assert "overdue" in [e["type"] for e in shown["events"]]
    emails = _emails(running_stack, 5)
    alerts = [e for e in emails if e["kind"] == "notice_overdue_alert"]
    letters = [e for e in emails if e["kind"] == "notice_council_late"]
    assert len(alerts) == 1
    assert "head.of.quality@example.gov.uk" in alerts[0]["to"]
    assert len(letters) == 1
    assert letters[0]["to"] == ["sam.parent@example.com"]

    second = _cli(running_stack, "checks", "run", "--now", midday)  # the same again: allowed
    assert second["ran"] == []
    time.sleep(1.5)  # give a duplicate every chance to appear
    assert len(_cli(running_stack, "emails")) == len(emails)

    url = f"{site}/api/complaints/{reference}?token={token}"
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (127.0.0.1)
        view = json.load(response)
    assert (view["stage"], view["status"], view["overdue"]) == (1, "open", True)
    assert view["can_escalate"] is True

    status, _, body = _post(
        f"{site}/api/complaints/{reference}/escalation",
        json.dumps({"token": token, "reason": "No answer yet"}).encode(),
        "application/json",
    )
    assert status == 200, body
    asked = json.loads(body)
    today = datetime.fromisoformat(_cli(running_stack, "clock")["now"]).astimezone(LONDON)
    assert today.date() == day_after  # the request is made on the clock's day
    due = add_working_days(day_after, 25).isoformat()
    assert (asked["stage"], asked["respond_by"]) == (2, due)
    shown = _cli(running_stack, "show", reference)
    assert (shown["stage"], shown["status"], shown["respond_by"]) == (2, "open", due)
    assert shown["stages"][1]["requested_on"] == day_after.isoformat()


def _refused(running: dict[str, Any], *args: str) -> str:
    """Run a command that must be refused: exit 1, one plain sentence, nothing else."""
    import subprocess

    from tests.integration.test_local_stack import BIN

    done = subprocess.run(
        [str(BIN / "complaints"), *args],
        env={**running["env"], "COMPLAINTS_LOCAL": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr


def _file(running: dict[str, Any], email: str) -> dict[str, Any]:
    site = running["state"]["site_url"]
    fields = json.dumps(valid_fields(email=email)).encode()
    status, _, body = _post(f"{site}/api/complaints", fields, "application/json")
    assert status == 201
    receipt: dict[str, Any] = json.loads(body)
    return receipt


def test_time_cannot_be_faked_holds_say_why_and_acknowledgements_are_chased(
    running_stack: dict[str, Any],
) -> None:
    """The issue's "done when", on the running stack: impossible dates are refused and change
    nothing; a police hold tells the family why the clock stopped; an unacknowledged case is
    chased at its acknowledgement deadline; after the deadline an extension is refused."""
    held = _file(running_stack, "held.parent@example.com")["reference"]
    late = _file(running_stack, "late.parent@example.com")
    reference = late["reference"]
    before = len(_cli(running_stack, "show", reference)["events"])

    refused = _refused(
        running_stack,
        "respond",
        reference,
        "--outcome",
        "upheld",
        "--use-draft",
        "--on",
        "2019-05-01",
    )
    assert "before the complaint was received" in refused
    refused = _refused(running_stack, "ombudsman", reference, "--referred", "1800-01-01")
    assert "before the complaint was received" in refused
    assert len(_cli(running_stack, "show", reference)["events"]) == before

    _cli(running_stack, "hold", held, "--grounds", "police_investigation", "--reason", "DC Smith")
    yesterday = (date.fromisoformat(late["received_on"]) - timedelta(days=1)).isoformat()
    assert "before" in _refused(running_stack, "resume", held, "--now", yesterday)
    letters = [
        e
        for e in _emails(running_stack, 1)
        if e["kind"] == "notice_held" and e["to"] == ["held.parent@example.com"]
    ]
    (letter,) = letters
    assert "police are investigating" in letter["body"]
    assert "time limit for our answer has stopped" in letter["body"]
    assert "DC Smith" not in letter["body"]

    acknowledge_by = date.fromisoformat(late["acknowledge_by"])
    # The clock moves on; the check runs once, by the sweep or by its schedule firing.
    _cli(running_stack, "checks", "run", "--now", f"{acknowledge_by.isoformat()}T10:00")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        nudges = [
            e
            for e in _cli(running_stack, "emails")
            if e["kind"] == "notice_acknowledgement_due" and reference in e["subject"]
        ]
        if nudges:
            break
        time.sleep(0.5)
    assert [n["to"] for n in nudges] == [["childrens.complaints@example.gov.uk"]]
    types = [e["type"] for e in _cli(running_stack, "show", reference)["events"]]
    assert types.count("acknowledgement_due") == 1

    day_after = date.fromisoformat(late["respond_by"]) + timedelta(days=1)
    _cli(running_stack, "checks", "run", "--now", f"{day_after.isoformat()}T10:00")
    assert _cli(running_stack, "show", reference)["overdue"] is True
    refused = _refused(running_stack, "extend", reference, "--to", "20", "--reason", "Complex")
    assert "has passed" in refused
    assert "an extension has to be decided on or before it" in refused
