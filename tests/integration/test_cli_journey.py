"""A whole journey to a closed stage 3 through the staff CLI, the clock moved by ``--now``
(moto in-process; the same commands run against ``make run`` with ``--local``)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

from complaints.adapters.dynamo import Repository
from complaints.clock import LONDON, add_working_days
from complaints.service.intake import receive
from tests.integration.conftest import Stack
from tests.integration.helpers import sent_emails
from tests.integration.test_intake_storage import submission

STAFF = "jo.adams@example.gov.uk"


@pytest.fixture
def cli(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> Any:
    from complaints_tools.cli import _register, app

    _register()
    monkeypatch.setenv("COMPLAINTS_STAFF", "Jo Adams")
    runner = CliRunner()

    def run(*args: str, ok: bool = True) -> Any:
        result = runner.invoke(app, [*args, "--json"] if ok else list(args))
        if ok:
            assert result.exit_code == 0, result.output
            return json.loads(result.stdout)
        assert result.exit_code == 1, result.output
        return result.output

    return run


def _day(d: date) -> str:
    return d.isoformat()


def test_whole_journey_to_a_closed_stage_3(cli: Any, stack: Stack) -> None:
    received = datetime(2025, 1, 6, 10, tzinfo=LONDON)
    ref = receive(submission(), Repository(), now=received.astimezone(UTC)).receipt.reference

    # Stage 1: nobody answers. The day after respond_by the check marks it overdue, once.
    first = cli("checks", "run", "--now", "2025-01-21")
    kinds = {line.split()[1].split("#")[2] for line in first["ran"]}
    assert kinds == {"acknowledgement", "reminder", "deadline"}
    assert first["emails"] == 3  # the team's nudge, the escalation alert, the complainant's letter
    assert cli("checks", "run", "--now", "2025-01-21")["ran"] == []
    assert cli("show", ref)["stage"] == 1

    # The complainant asks for stage 2 at once; stage 2 is 25 working days from the request.
    step = cli("escalate", ref, "--now", "2025-01-22", "--reason", "No answer")
    s2_due = add_working_days(date(2025, 1, 22), 25)
    assert (step["stage"], step["respond_by"]) == (2, _day(s2_due))
    cli(
        "roles",
        ref,
        "--role",
        "investigating_officer=A. Officer",
        "--role",
        "independent_person=B. Person",
        "--now",
        "2025-01-23",
    )
    refused = cli(
        "extend", ref, "--to", "66", "--reason", "complex", "--now", "2025-01-24", ok=False
    )
    assert "at most 65 working days" in refused
    step = cli(
        "extend",
        ref,
        "--to",
        "30",
        "--reason",
        "Complex",
        "--grounds",
        "complex",
        "--now",
        "2025-01-24",
    )
    s2_due = add_working_days(date(2025, 1, 22), 30)
    assert step["respond_by"] == _day(s2_due)
    overdue = cli("checks", "run", "--now", _day(s2_due + timedelta(days=1)))
    assert any("#deadline#" in line for line in overdue["ran"])

    cli(
        "recommend",
        ref,
        "--text",
        "Write a contact plan",
        "--owner",
        STAFF,
        "--due",
        "2025-06-30",
        "--now",
        _day(s2_due + timedelta(days=1)),
    )
    refused = cli(
        "respond",
        ref,
        "--outcome",
        "upheld",
        "--use-draft",
        "--now",
        _day(s2_due + timedelta(days=2)),
        ok=False,
    )
    assert "2.1 not answered yet" in refused
    cli(
        "answer-recommendation",
        ref,
        "2.1",
        "--accept",
        "--action",
        "Plan agreed with family",
        "--now",
        _day(s2_due + timedelta(days=2)),
    )
    responded_on = s2_due + timedelta(days=3)
    step = cli(
        "respond",
        ref,
        "--outcome",
        "partly_upheld",
        "--use-draft",
        "--use-draft",
        "--theme",
        "contact",
        "--action",
        "Contact plans reviewed",
        "--now",
        _day(responded_on),
    )
    assert step["status"] == "responded"

    # Stage 3: panel within 30 working days, report within 5, response within 15.
    asked = add_working_days(responded_on, 5)
    step = cli("escalate", ref, "--now", _day(asked))
    assert step["stage"] == 3
    met = add_working_days(asked, 20)
    cli("panel-met", ref, "--on", _day(met), "--now", _day(met))
    cli(
        "recommend",
        ref,
        "--text",
        "Apologise in writing",
        "--owner",
        STAFF,
        "--due",
        _day(met + timedelta(days=60)),
        "--now",
        _day(met),
    )
    report = add_working_days(met, 3)
    step = cli("panel-report", ref, "--on", _day(report), "--now", _day(report))
    assert step["respond_by"] == _day(add_working_days(report, 15))
    refused = cli("close", ref, "--now", _day(report), ok=False)
    assert "3.1 not answered yet" in refused
    cli(
        "answer-recommendation",
        ref,
        "3.1",
        "--reject",
        "--reasons",
        "Already apologised",
        "--now",
        _day(report),
    )
    cli(
        "respond",
        ref,
        "--outcome",
        "not_upheld",
        "--use-draft",
        "--now",
        _day(report + timedelta(days=7)),
    )
    step = cli("close", ref, "--now", _day(report + timedelta(days=8)))
    assert step["status"] == "closed"
    assert step["checks"] == ["2#2.1#recommendation_due#2025-06-30"]  # tracked after closure

    overdue_action = cli("checks", "run", "--now", "2025-07-01")
    assert overdue_action["ran"] == [f"{ref} 2#2.1#recommendation_due#2025-06-30"]
    step = cli("complete-recommendation", ref, "2.1", "--now", "2025-07-02")
    assert step["checks"] == []

    shown = cli("show", ref)
    assert shown["status"] == "closed"
    assert shown["stage"] == 3
    types = [e["type"] for e in shown["events"]]
    for expected in (
        "received",
        "overdue",
        "next_stage_requested",
        "stage_started",
        "roles_assigned",
        "extended",
        "recommended",
        "recommendation_answered",
        "responded",
        "milestone",
        "closed",
        "recommendation_overdue",
        "recommendation_completed",
    ):
        assert expected in types
    assert all(e["by"] == "Jo Adams" for e in shown["events"] if e["type"] == "closed")
    assert shown["expires_at"] > 0
    assert [r["completed_on"] for r in shown["recommendations"]] == ["2025-07-02", None]
    assert len(sent_emails()) >= 8


def test_a_refused_action_says_why_and_changes_nothing(cli: Any, stack: Stack) -> None:
    received = datetime(2025, 1, 6, 10, tzinfo=LONDON)
    ref = receive(submission(), Repository(), now=received.astimezone(UTC)).receipt.reference
    output = cli("escalate", ref, "--now", "2025-01-10", ok=False)
    assert "Stage 1 is still open" in output
    assert "Traceback" not in output
    assert [e["type"] for e in cli("show", ref)["events"]] == ["received"]
    assert "no case" in cli("acknowledge", "HJKM-NPQR", "--summary", "x", ok=False).lower()
    assert "not a complaint reference" in cli("acknowledge", "nonsense", "--summary", "x", ok=False)


def test_the_deployed_clock_is_real_time_and_refuses_the_future(cli: Any, stack: Stack) -> None:
    """With no local clock (the deployed path), nothing can be recorded as happening after
    now, and the checks cannot be run in the future."""
    import os

    from complaints.clock import CLOCK_FILE_ENV

    assert CLOCK_FILE_ENV not in os.environ
    ref = receive(submission(), Repository()).receipt.reference
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    refused = cli("respond", ref, "--outcome", "upheld", "--use-draft", "--now", tomorrow, ok=False)
    assert "is in the future" in refused
    refused = cli("ombudsman", ref, "--referred", tomorrow, ok=False)
    assert "is in the future" in refused
    before_receipt = cli(
        "respond", ref, "--outcome", "upheld", "--use-draft", "--now", "2019-05-01", ok=False
    )
    assert "before the complaint was received" in before_receipt
    assert [e["type"] for e in cli("show", ref)["events"]] == ["received"]
