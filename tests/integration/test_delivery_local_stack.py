"""The delivery issue's "done when", against ``python -m complaints_tools.local`` in its own
process: a complaint from ``bounce@simulator.amazonses.com`` shows ``delivery_failed`` on the
case within a minute, the caseload's flag, and the team's alert; one from ``success@`` shows
``delivered``; with ``sender: notify`` the same journey goes through (the fake) GOV.UK Notify,
once, and its receipt comes back through the callback route."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.integration.helpers import valid_fields
from tests.integration.test_local_stack import _cli, _post

TEAM = "childrens.complaints@example.gov.uk"
NOTIFY_TEMPLATE = "4bc2b1a0-3c7e-4c55-9d1e-6a0f0d6c9e11"


@contextmanager
def _stack(tmp_path: Path, **extra: str) -> Iterator[dict[str, Any]]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>Guide</title><h1>Guide</h1>")
    (site / "404.html").write_text("<!doctype html><title>Not found</title>")
    state_dir = tmp_path / "state"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COMPLAINTS_"))},
        "PORT": "0",
        "COMPLAINTS_SITE_DIR": str(site),
        "COMPLAINTS_LOCAL_STATE": str(state_dir),
        "PYTHONUNBUFFERED": "1",
        "COMPLAINTS_STAFF": "Test Officer",  # the audit trail names a person, never root
        **extra,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "complaints_tools.local"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    state_file = state_dir / "stack.json"
    try:
        deadline = time.monotonic() + 60
        while not state_file.exists():
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            assert time.monotonic() < deadline, "the local stack did not start"
            time.sleep(0.1)
        yield {"state": json.loads(state_file.read_text()), "env": env}
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        if process.stdout:
            process.stdout.close()


def _file(running: dict[str, Any], email: str) -> str:
    site = running["state"]["site_url"]
    body = json.dumps(valid_fields(email=email)).encode()
    status, _, answer = _post(f"{site}/api/complaints", body, "application/json")
    assert status == 201
    return str(json.loads(answer)["reference"])


def _until(running: dict[str, Any], reference: str, kind: str, seconds: float = 60) -> Any:
    """``complaints show`` once the case has an event of ``kind`` (at most ``seconds``)."""
    deadline = time.monotonic() + seconds
    while True:
        shown = _cli(running, "show", reference)
        if kind in [e["type"] for e in shown["events"]] or time.monotonic() > deadline:
            return shown
        time.sleep(0.5)


def _emails_about(running: dict[str, Any], reference: str, want: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 30
    while True:
        found: list[dict[str, Any]] = _cli(running, "emails", "--reference", reference)
        if len(found) >= want or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def test_bounce_and_success_through_the_ses_simulator(tmp_path: Path) -> None:
    with _stack(tmp_path) as running:
        bounced = _file(running, "bounce@simulator.amazonses.com")
        delivered = _file(running, "success@simulator.amazonses.com")
        started = time.monotonic()
        shown = _until(running, bounced, "delivery_failed")
        assert time.monotonic() - started < 60
        (failed,) = [e for e in shown["events"] if e["type"] == "delivery_failed"]
        assert failed["reason"] == "bounce"
        assert shown["needs_contact"] is True
        (row,) = [r for r in _cli(running, "list") if r["reference"] == bounced]
        assert row["needs_contact"] is True  # the caseload's flag
        alerts = [
            e for e in _emails_about(running, bounced, 3) if e["kind"] == "notice_delivery_failed"
        ]
        assert [a["to"] for a in alerts] == [[TEAM]]
        assert "bounce@simulator" not in alerts[0]["body"]

        assert "delivered" in [e["type"] for e in _until(running, delivered, "delivered")["events"]]

        told = _cli(running, "record-contact", bounced, "--how", "phone")
        assert told["events"] == ["contact_recorded"]
        assert _cli(running, "show", bounced)["needs_contact"] is False


def test_the_same_journey_through_notify_sends_once(tmp_path: Path) -> None:
    from complaints.settings import COUNCIL_FILE

    council = tmp_path / "council.yaml"
    council.write_text(
        COUNCIL_FILE.read_text(encoding="utf-8").replace(
            "sender: ses", f"sender: notify\nnotify:\n  email_template_id: {NOTIFY_TEMPLATE}"
        ),
        encoding="utf-8",
    )
    with _stack(tmp_path, COMPLAINTS_COUNCIL_FILE=str(council)) as running:
        running["env"]["COMPLAINTS_COUNCIL_FILE"] = str(council)
        bounced = _file(running, "bounce@simulator.amazonses.com")
        shown = _until(running, bounced, "delivery_failed")
        (failed,) = [e for e in shown["events"] if e["type"] == "delivery_failed"]
        assert (failed["reason"], failed["data"]["provider"]) == ("permanent_failure", "notify")
        emails = _emails_about(running, bounced, 3)
        assert {e.get("sender") for e in emails} == {"notify"}
        acknowledgements = [e for e in emails if e["kind"] == "acknowledgement"]
        assert len(acknowledgements) == 1  # once

        delivered = _file(running, "success@simulator.amazonses.com")
        assert "delivered" in [e["type"] for e in _until(running, delivered, "delivered")["events"]]
