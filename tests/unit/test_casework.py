"""Casework without AWS: complaints received another way, letters, the response letter,
notes, reports as CSV and the case file."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from complaints.clock import LONDON, add_working_days, start_of_day
from complaints.models import EventType
from complaints.service import lifecycle as lc
from complaints.service.casefile import case_file, case_file_html
from complaints.service.intake import NewCase, OutboxKind
from complaints.service.letters import QueuedLetter, letter_for, route
from complaints.service.messages import render as messages
from complaints.service.messages.subjects import email_context, template_name
from complaints.service.recording import RecordingError, record_complaint
from complaints.service.reports import annual_report, backlog
from complaints.service.reports.csv import flatten, report_csv
from complaints.service.response_letter import draft_response, preview_response
from complaints.settings import load_settings
from tests.unit.lifecycle_fixtures import LETTER, act, new_case
from tests.unit.report_cases import make_case

NOW = datetime(2025, 3, 12, 11, tzinfo=LONDON)  # a Wednesday
TODAY = NOW.date()


class Store:
    """Intake's port: keeps what would be written."""

    def __init__(self) -> None:
        self.written: list[NewCase] = []

    def create_case(self, new: NewCase) -> None:
        self.written.append(new)


def _answers(**extra: Any) -> dict[str, Any]:
    return {
        "channel": "phone",
        "received_on": TODAY.isoformat(),
        "complainant_name": "Sam <b>Parent</b>",
        "email": "sam@example.com",
        "relationship": "parent",
        "child_name": "Alex",
        "details": "No visits since March.",
        **extra,
    }


def _record(**extra: Any) -> NewCase:
    store = Store()
    record_complaint(_answers(**extra), store, actor="Jo Adams", now=NOW)
    return store.written[-1]


@pytest.mark.parametrize(
    "channel", ["phone", "letter", "email", "in_person", "advocate", "councillor_or_mp"]
)
def test_a_complaint_received_another_way_keeps_its_channel_and_who_recorded_it(
    channel: str,
) -> None:
    new = _record(channel=channel)
    assert new.case.channel == channel
    assert new.case.recorded_by == "Jo Adams"
    assert new.event.by == "Jo Adams"
    assert new.event.data["channel"] == channel
    assert [i.kind for i in new.outbox][:2] == [OutboxKind.ACKNOWLEDGEMENT, OutboxKind.TEAM_ALERT]


def test_the_clock_starts_on_the_day_it_was_received_and_both_times_are_kept() -> None:
    received = add_working_days(TODAY, -3)
    new = _record(received_on=received.isoformat())
    assert new.case.received_on == received
    assert new.receipt.received_on == received
    assert new.receipt.respond_by == add_working_days(received, 10)
    assert new.event.at == start_of_day(received).astimezone(UTC)
    assert new.event.recorded_at == NOW.astimezone(UTC)
    assert new.case.recorded_at == NOW.astimezone(UTC)


@pytest.mark.parametrize(
    ("contact", "fields", "way"),
    [
        ("email", {}, "email"),
        ("post", {"email": None, "address": "1 High Street, Exampletown, EX1 2AB"}, "post"),
        ("phone", {"email": None, "phone": "01632 960 001"}, "phone"),
        ("phone", {"phone": "01632 960 001"}, "phone"),
    ],
)
def test_each_way_to_hear_from_us_is_kept(contact: str, fields: dict[str, Any], way: str) -> None:
    new = _record(contact_by=contact, **fields)
    assert new.case.complainant.contact_by == contact
    assert route(new.case) == way
    if contact == "post":
        assert new.case.complainant.address == "1 High Street\nExampletown\nEX1 2AB"


@pytest.mark.parametrize(
    ("fields", "field", "said"),
    [
        ({"received_on": (TODAY + timedelta(days=1)).isoformat()}, "received_on", "today or in"),
        ({"contact_by": "post", "email": None}, "address", "postal address"),
        ({"contact_by": "phone", "email": None}, "phone", "phone number"),
        ({"email": None}, "email", "email address"),
        ({"channel": "online"}, "channel", "how the complaint came"),
        ({"received_on": "2025-02-01"}, "received_on", "already late"),
    ],
)
def test_a_complaint_that_cannot_be_recorded_says_why(
    fields: dict[str, Any], field: str, said: str
) -> None:
    with pytest.raises(RecordingError) as refused:
        _record(**fields)
    assert [e.field for e in refused.value.errors] == [field]
    assert said in str(refused.value)
    assert "Parent" not in str(refused.value)  # never what was typed


def test_a_late_acknowledgement_is_recorded_once_confirmed() -> None:
    new = _record(received_on="2025-02-01", confirm_late=True)
    assert OutboxKind.ACKNOWLEDGEMENT in [i.kind for i in new.outbox]


def test_a_historic_case_sends_nothing_and_no_late_notice_for_what_passed_before() -> None:
    new = _record(received_on="2024-06-03", historic=True)
    assert [i.kind for i in new.outbox] == [OutboxKind.SCHEDULE_CHECKS]
    assert new.case.historic
    assert new.checks == [] or all(c.due_at > NOW for c in new.checks)
    assert new.case.checks_done  # the acknowledgement and deadline checks count as run


def test_only_staff_roles_that_record_complaints_may() -> None:
    with pytest.raises(lc.TransitionError, match="auditor"):
        record_complaint(_answers(), Store(), actor="Al", role="auditor", now=NOW)


# --- letters -------------------------------------------------------------------------------


def _post_case() -> Any:
    case = new_case(date(2025, 1, 6))
    case.complainant.email = None
    case.complainant.contact_by = "post"
    case.complainant.name = "Sam <script>x</script>"
    case.complainant.address = "1 High Street\nExampletown\nEX1 2AB"
    return case


def _notices_to_the_complainant() -> list[tuple[Any, lc.Transition]]:
    day = date(2025, 1, 6)
    case = _post_case()
    steps = []

    def do(transition: lc.Transition) -> Any:
        steps.append((transition.case, transition))
        return transition.case

    case = do(lc.acknowledge(case, act(day + timedelta(days=1)), summary="Visits"))
    case = do(lc.extend(case, 20, "We need to talk to the carer.", act(day + timedelta(days=2))))
    case = do(lc.hold(case, act(day + timedelta(days=3)), grounds="court_proceedings", reason="x"))
    case = do(lc.resume(case, act(day + timedelta(days=4))))
    case = do(
        lc.decide_proceedings(
            case, act(day + timedelta(days=5)), hold=False, grounds="other", reasons="No risk"
        )
    )
    case = do(lc.respond(case, "upheld", act(day + timedelta(days=8)), letter=LETTER))
    case = do(lc.send_response_again(case, act(day + timedelta(days=9))))
    case = do(lc.request_next_stage(case, act(day + timedelta(days=10), by=lc.COMPLAINANT)))
    return steps


def test_every_notice_to_the_complainant_is_a_letter_too_from_the_same_words() -> None:
    settings = load_settings()
    kinds = set()
    for case, transition in _notices_to_the_complainant():
        for notice in transition.notices:
            if notice.to:  # staff emails: never letters
                continue
            kinds.add(notice.template)
            context = email_context(notice, case.reference)
            name = template_name(notice)
            email = messages.notice(case, name, (), context, settings, token=None)
            as_letter = messages.notice(case, name, (), context, settings, as_letter=True)
            letter = letter_for(as_letter, case, f"notice#{notice.key}", NOW)
            html = letter.html()
            assert "reply to this email" not in as_letter.text
            assert email.subject == letter.subject
            assert settings.council.name in html
            assert "Exampletown" in html
            assert "<script>" not in html
            assert "&lt;script&gt;" in html
            assert "@page" in html
            assert "A4" in html
    assert {"acknowledged", "extended", "held", "resumed", "responded"} <= kinds


def test_the_acknowledgement_is_a_letter_without_the_link() -> None:
    case = _post_case()
    letter = messages.acknowledgement(case, None, load_settings(), as_letter=True)
    assert "token=" not in letter.text
    assert case.reference in letter.text


# --- the response letter -------------------------------------------------------------------


def test_a_stage_is_never_answered_without_its_letter() -> None:
    with pytest.raises(lc.TransitionError, match="response letter"):
        lc.respond(new_case(), "upheld", act(date(2025, 1, 8)))


def test_the_letter_is_drafted_from_the_councils_template_held_and_sent_by_preference() -> None:
    case = _post_case()
    draft = draft_response(case, outcome="partly_upheld", on=date(2025, 1, 10))
    assert "partly upheld" in draft
    assert "stage 2 (Investigation)" in draft
    assert load_settings().ombudsman.name in draft
    preview = preview_response(case, draft + "\n<b>bold</b>", on=date(2025, 1, 10))
    assert "Draft: not sent" in preview
    assert "&lt;b&gt;bold" in preview
    done = lc.respond(case, "partly_upheld", act(date(2025, 1, 10)), letter=draft)
    held = done.case.stage.response_letter
    assert held is not None
    assert (held.text, held.sent_by, held.sent_on) == (draft.strip(), "post", date(2025, 1, 10))
    assert done.notices[0].context["letter"] == draft.strip()
    assert done.events[0].data["letter_sent_by"] == "post"


# --- notes ---------------------------------------------------------------------------------


def test_notes_and_calls_are_internal_events() -> None:
    case = new_case()
    noted = lc.add_note(case, act(date(2025, 1, 7)), text="Mum <b>called</b>")
    called = lc.record_call(noted.case, act(date(2025, 1, 8)), summary="Agreed", kind="meeting")
    assert noted.events[0].type is EventType.NOTE
    assert noted.events[0].reason == "Mum <b>called</b>"  # kept as typed, escaped when shown
    assert called.events[0].type is EventType.CALL_OR_MEETING
    assert noted.notices == ()
    assert called.notices == ()
    with pytest.raises(lc.TransitionError, match="Write the note"):
        lc.add_note(case, act(date(2025, 1, 7)), text="  ")


# --- reports as CSV ------------------------------------------------------------------------


def _read_csv(text: str) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["figure", "value"]
    return dict(rows[1:])


def _as_cells(report: Any) -> dict[str, str]:
    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    return {name: cell(v) for name, v in flatten(json.loads(report.model_dump_json()))}


def _cases() -> list[Any]:
    cases = [make_case(date(2024, 5, 1)), make_case(date(2024, 6, 3), channel="phone")]
    cases.append(make_case(date(2024, 9, 9), channel="letter"))
    return cases


def test_the_csv_holds_exactly_the_figures_of_the_json() -> None:
    for report in (
        annual_report(_cases(), 2024, as_of=date(2025, 5, 1)),
        backlog(_cases(), date(2024, 10, 1)),
    ):
        read = _read_csv(report_csv(report))
        assert read == _as_cells(report)
        assert len(read) == len(list(flatten(json.loads(report.model_dump_json()))))


def test_reports_count_by_channel() -> None:
    annual = annual_report(_cases(), 2024, as_of=date(2025, 5, 1))
    counts = {row.key: row.count for row in annual.by_channel}
    assert (counts["online"], counts["phone"], counts["letter"]) == (1, 1, 1)
    live = backlog(_cases(), date(2024, 10, 1))
    assert sum(row.count for row in live.by_channel) == live.not_closed


# --- the case file -------------------------------------------------------------------------


def test_the_case_file_holds_every_event_letters_and_notes_marked_internal() -> None:
    case = new_case()
    steps = [lc.acknowledge(case, act(date(2025, 1, 7)), summary="Visits")]
    steps.append(lc.add_note(steps[-1].case, act(date(2025, 1, 8)), text="<i>note</i>"))
    steps.append(lc.respond(steps[-1].case, "upheld", act(date(2025, 1, 9)), letter=LETTER))
    steps.append(lc.record_export(steps[-1].case, act(date(2025, 1, 10)), purpose="SAR"))
    events = [e for s in steps for e in s.events]
    letter = QueuedLetter(
        reference=case.reference,
        letter_id="notice#v3-responded-1",
        kind="notice_responded",
        subject="Our answer",
        text=LETTER,
        name="Sam",
        created_at=datetime(2025, 1, 9, 12, tzinfo=UTC),
    )
    document = case_file(steps[-1].case, events, [letter], exported_at=NOW, exported_by="Jo Adams")
    assert [e["type"] for e in document["events"]] == [e.type.value for e in events]
    assert [e["internal"] for e in document["events"]] == [False, True, False, True]
    assert [n["type"] for n in document["notes"]] == ["note", "case_file_exported"]
    assert document["letters"][0]["letter_id"] == "notice#v3-responded-1"
    assert "token_hash" not in document["case"]
    assert "link_hashes" not in document["case"]
    html = case_file_html(document)
    assert "&lt;i&gt;note&lt;/i&gt;" in html
    assert "<i>note</i>" not in html
    assert html.count("Internal</span>") >= 3
    assert "Our answer to each part of your complaint." in html
