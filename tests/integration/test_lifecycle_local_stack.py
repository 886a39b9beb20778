"""The lifecycle's "done when", against ``python -m complaints.local`` in its own process: file a
complaint; ``checks run --now <the day after respond_by>`` moves the stack's clock there, marks
it overdue and alerts, once; the complainant's link shows the status, and asking there for
stage 2 (on the clock's day) starts it, 25 working days from the request, as ``complaints show
REF --json`` shows."""

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
