"""One clock on the local stack, kept across a restart (``python -m complaints_tools.local`` in its
own process, as ``make run`` starts it).

``complaints checks run --now LATER`` moves the stack's clock forward (never back); a
complaint filed next through the API is received on the clock's date, and ``complaints clock``
says so. Stopped and started again on the same state folder, the stack still holds the cases,
their events and the clock, makes the check schedules again, and sends nothing twice.
``FRESH=1`` starts it empty at real time.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from datetime import time as day_time
from pathlib import Path
from typing import Any

import pytest

from complaints.clock import LONDON, london_today
from tests.integration.helpers import valid_fields
from tests.integration.test_local_stack import _post
from tests.localstack import Stack, stack_for_tests

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text("<!doctype html><title>Guide</title><h1>Guide</h1>")
    (site / "404.html").write_text("<!doctype html><title>Not found</title>")
    return site


@pytest.fixture
def started(site: Path, tmp_path: Path) -> Callable[..., AbstractContextManager[Stack]]:
    """Start the stack on ``tmp_path`` (again and again: the same state folder)."""

    def start(fresh: bool = False) -> AbstractContextManager[Stack]:
        return stack_for_tests(site, tmp_path / "state", fresh=fresh)

    return start


def _file(stack: Stack, **changes: Any) -> dict[str, Any]:
    status, _, body = _post(
        f"{stack.url}/api/complaints",
        json.dumps(valid_fields(**changes)).encode(),
        "application/json",
    )
    assert status == 201, body
    return dict(json.loads(body))


def _emails(stack: Stack, want: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 30
    emails: list[dict[str, Any]] = stack.cli("emails")
    while len(emails) < want and time.monotonic() < deadline:
        time.sleep(0.3)
        emails = stack.cli("emails")
    return emails


def _refused(stack: Stack, *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "complaints"), *args, "--local"],
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    return done.stdout + done.stderr


def _started_as(stack: Stack, words: str) -> str:
    """What the stack printed on start (it prints just after it answers)."""
    deadline = time.monotonic() + 10
    log = ""
    while words not in log and time.monotonic() < deadline:
        time.sleep(0.1)
        log = (stack.state / "stack.log").read_text(encoding="utf-8")
    assert words in log, log
    return log


def _schedules(stack: Stack) -> set[str]:
    """Names of the one-time schedules the stack's embedded AWS holds."""
    import boto3

    state = json.loads((stack.state / "stack.json").read_text(encoding="utf-8"))
    scheduler = boto3.client(
        "scheduler",
        endpoint_url=state["endpoint"],
        region_name=state["region"],
        aws_access_key_id="local",
        aws_secret_access_key="local",  # the embedded AWS takes any
    )
    group = state["environment"]["SCHEDULE_GROUP"]
    pages = scheduler.get_paginator("list_schedules").paginate(GroupName=group)
    return {item["Name"] for page in pages for item in page["Schedules"]}


def test_the_clock_moves_forward_and_the_stack_resumes_where_it_stopped(
    started: Callable[..., AbstractContextManager[Stack]],
) -> None:
    later = datetime.combine(london_today() + timedelta(days=40), day_time(12), LONDON)

    with started() as stack:
        _started_as(stack, "Started empty")
        first = _file(stack)
        assert first["received_on"] == london_today().isoformat()
        _emails(stack, 2)

        moving = datetime.now(LONDON)
        moved = stack.cli("checks", "run", "--now", later.isoformat())
        # how far ahead of real time the clock now runs, in whole days (before noon in London
        # that is 40 days and some hours; after noon, 39 days and some)
        ahead = {(later - moving).days, (later - datetime.now(LONDON)).days}
        assert datetime.fromisoformat(moved["now"]) >= later  # the sweep ran at the clock
        assert len(moved["ran"]) >= 1  # the first complaint's reminder, at least
        clock = stack.cli("clock")
        assert (clock["local"], clock["moved"]) == (True, True)
        assert clock["moved_to"] == later.isoformat()
        assert clock["london"].startswith(f"{later:%A} {later.day} {later:%B %Y}, 12:0")

        second = _file(stack, email="jo.carer@example.com", complainant_name="Jo Carer")
        assert second["received_on"] == later.date().isoformat()
        shown = stack.cli("show", second["reference"])
        assert shown["received_on"] == later.date().isoformat()
        assert [(e["type"], e["at"][:10]) for e in shown["events"]] == [
            ("received", later.date().isoformat())
        ]

        again = stack.cli("checks", "run", "--now", later.isoformat())  # the same --now: fine
        assert again["ran"] == []
        message = _refused(stack, "checks", "run", "--now", (later - timedelta(days=1)).isoformat())
        assert "never goes back" in message
        assert f"{later:%A} {later.day} {later:%B %Y}, 12:0" in message

        sent = _emails(stack, 2 + moved["emails"] + 2)
        time.sleep(1.5)  # give a duplicate every chance to appear
        sent = stack.cli("emails")
        pending = {name for name in _schedules(stack) if name.startswith(second["reference"])}
        assert pending  # the second complaint's reminder and deadline

    with started() as stack:
        log = _started_as(stack, "Resumed")
        assert "2 cases" in log
        shown_ahead = re.search(r"moved (\d+) days?", log)
        assert shown_ahead is not None, log
        assert int(shown_ahead.group(1)) in ahead
        again = stack.cli("show", second["reference"])
        for field in ("received_on", "stage", "status", "respond_by", "events", "checks"):
            assert again.get(field) == shown.get(field), field
        assert sorted(c["reference"] for c in stack.cli("list")) == sorted(
            [first["reference"], second["reference"]]
        )
        clock = stack.cli("clock")
        assert clock["moved"] is True
        assert datetime.fromisoformat(clock["now"]) >= later
        assert pending <= _schedules(stack)  # the pending checks' schedules, made again
        time.sleep(1.5)
        assert stack.cli("emails") == sent  # nothing sent twice, nothing lost

        third = _file(stack, email="kim.carer@example.com", complainant_name="Kim Carer")
        assert third["received_on"] >= later.date().isoformat()
        emails = _emails(stack, len(sent) + 2)
        assert [e["reference"] for e in emails[len(sent) :]] == [third["reference"]] * 2

    with started(fresh=True) as stack:
        _started_as(stack, "Started empty (FRESH=1)")
        assert stack.cli("list") == []
        assert stack.cli("emails") == []
        clock = stack.cli("clock")
        assert clock["moved"] is False
        assert abs(datetime.fromisoformat(clock["now"]) - datetime.now(LONDON)) < timedelta(
            minutes=1
        )


@pytest.mark.parametrize(
    "content",
    [
        "not a saved table\n",
        '{"format": "complaints-local-table", "version": 1, "items": 1}\n'
        '{"PK": {"S": "CASE#A"}, "SK": {"S": "CASE"}, "status": "open"}\n',
        '{"format": "complaints-local-table", "version": 1, "items": 1}\n{"SK": {"S": "CASE"}}\n',
    ],
)
def test_a_saved_table_it_cannot_read_stops_the_start_plainly(
    site: Path, tmp_path: Path, content: str
) -> None:
    from tests.localstack import StackError, running_stack

    state = tmp_path / "state"
    state.mkdir()
    (state / "table.jsonl").write_text(content, encoding="utf-8")
    with pytest.raises(StackError) as failed, running_stack(site, state, timeout=60):
        pass
    assert "did not start" in str(failed.value)
    assert "make run FRESH=1" in str(failed.value)
    assert "Traceback" not in str(failed.value)
    assert (state / "table.jsonl").read_text(encoding="utf-8") == content  # left as it was
