"""The escalation-check Lambda on moto: a schedule firing, the daily sweep, once only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from complaints.adapters.dynamo import Repository
from complaints.clock import LONDON, london_today
from complaints.service.deadlines import is_overdue
from complaints.service.intake import receive
from complaints.settings import load_settings
from tests.integration.conftest import Stack
from tests.integration.helpers import CONTEXT, deliver, sent_emails, stream_event
from tests.integration.test_intake_storage import submission

RECEIVED = datetime(2025, 1, 6, 10, 0, tzinfo=LONDON)  # long past: every check is due


def _invoke(event: dict[str, Any]) -> dict[str, Any]:
    from complaints.handlers.checks import handler

    return handler(event, CONTEXT)


def _to(address: str) -> list[Any]:
    return [m for m in sent_emails() if address in m.destinations["ToAddresses"]]


def _case(email: str = "sam.parent@example.com") -> str:
    filed = submission(email=email)
    return receive(filed, Repository(), now=RECEIVED.astimezone(UTC)).receipt.reference


def test_a_deadline_schedule_marks_overdue_alerts_and_tells_the_complainant_once(
    stack: Stack,
) -> None:
    reference = _case()
    deliver(stream_event(stack))  # intake's acknowledgement and team alert
    (deadline,) = [i for i in stack.repository.check_items(reference) if i["kind"] == "deadline"]
    sent_before = len(sent_emails())

    answer = _invoke(deadline["payload"])
    assert answer["ran"] is True
    case = stack.repository.get_case(reference)
    assert case is not None
    assert is_overdue(case, london_today())  # derived from the deadline and the clock
    assert [e.type for e in stack.repository.events(reference)][-1] == "overdue"
    new = sent_emails()[sent_before:]
    contact = str(load_settings().escalation_contacts[0].email)
    assert any(contact in m.destinations["ToAddresses"] for m in new)
    (late,) = [m for m in new if "sam.parent@example.com" in m.destinations["ToAddresses"]]
    assert "late" in late.subject
    assert "Ombudsman" in late.body
    assert "ask for stage 2 now" in late.body

    assert _invoke(deadline["payload"]) == {**answer, "ran": False}  # fired again: nothing new
    deliver(stream_event(stack))  # the stream worker sees the same outbox items
    assert len(sent_emails()) == sent_before + len(new)


def test_the_daily_sweep_runs_what_is_due(stack: Stack) -> None:
    references = [_case(f"p{n}@example.com") for n in range(3)]
    answer = _invoke({"detail-type": "Scheduled Event", "source": "aws.events"})
    assert answer["due"] == 9  # each case: its acknowledgement, its reminder and its deadline
    assert answer["ran"] == 9
    assert answer["failed"] == 0
    for reference in references:
        kinds = [e.type for e in stack.repository.events(reference)]
        assert kinds[-1] == "overdue"
        assert "acknowledgement_due" in kinds
    again = _invoke({"detail-type": "Scheduled Event", "source": "aws.events"})
    assert again["due"] == 0
    assert again["read"] == 0


def test_a_payload_that_is_not_a_check_does_nothing(stack: Stack) -> None:
    assert _invoke({"hello": "world"}) == {"ran": False}
    gone = {"reference": "ABCD-EFGH", "check": "1#response#deadline#2025-01-20"}
    assert _invoke(gone)["ran"] is False
