"""Casework on the moto stack: a complaint received by letter with a post preference is
stored once, its acknowledgement becomes a letter to send (never an email to a missing
address), the response letter is held and queued, letters are listed through the index and
marked posted on the timeline, notes stay internal, and the case file holds it all."""

from __future__ import annotations

from datetime import date, timedelta

from complaints import clock
from complaints.adapters.mailer import Mailer
from complaints.adapters.scheduler import Scheduler
from complaints.models import EventType
from complaints.service import staffwork
from complaints.service.casefile import export_case
from complaints.service.casework import sender
from complaints.service.recording import record_complaint
from tests.integration.conftest import Stack
from tests.integration.helpers import deliver, sent_emails, stream_event


def _post_complaint(stack: Stack, received: date | None = None, **extra: object) -> str:
    received = received or clock.add_working_days(clock.london_today(), -3)
    result = record_complaint(
        {
            "channel": "letter",
            "received_on": received.isoformat(),
            "complainant_name": "Pat <Letter>",
            "contact_by": "post",
            "address": "2 Mill Lane, Exampletown, EX2 3CD",
            "relationship": "parent",
            "child_name": "Robin",
            "details": "Nobody answered my letters.",
            **extra,
        },
        stack.repository,
        actor="Jo Adams",
        role="officer",
    )
    assert result.receipt.received_on == received
    assert result.receipt.respond_by == clock.add_working_days(received, 10)
    return result.receipt.reference


def test_a_post_preference_complaint_gets_letters_never_an_email(stack: Stack) -> None:
    reference = _post_complaint(stack)
    assert deliver(stream_event(stack)) == {"batchItemFailures": []}
    repository = stack.repository
    to_send = staffwork.letters_to_send(repository, role="officer")
    assert [(x.reference, x.kind) for x in to_send] == [(reference, "acknowledgement")]
    assert "Exampletown" in to_send[0].html()
    assert "&lt;Letter&gt;" in to_send[0].html()
    (alert,) = sent_emails()  # the team's alert only: nobody emailed at no address
    assert alert.destinations["ToAddresses"] == ["childrens.complaints@example.gov.uk"]

    draft = staffwork.draft_response_letter(repository, reference, outcome="upheld")
    assert "upheld" in draft
    assert "Draft: not sent" in staffwork.preview_response_letter(repository, reference, text=draft)
    deliver_now = sender(repository, Mailer(), Scheduler())
    applied = staffwork.respond(
        repository,
        reference,
        actor="Jo Adams",
        role="officer",
        outcome="upheld",
        letter=draft + "\nWe are sorry.",
        deliver=deliver_now,
    )
    assert applied.transition.case.stage.response_letter is not None
    assert applied.transition.case.stage.response_letter.sent_by == "post"
    letters = staffwork.letters_to_send(repository, role="officer")
    assert [x.kind for x in letters] == ["acknowledgement", "notice_responded"]
    assert "We are sorry." in letters[1].text

    posted = staffwork.mark_letter_posted(
        repository, reference, letters[0].letter_id, actor="Jo Adams", role="officer"
    )
    assert posted.transition.events[0].type is EventType.LETTER_POSTED
    assert [x.kind for x in staffwork.letters_to_send(repository, role="officer")] == [
        "notice_responded"
    ]
    again = repository.get_letter(reference, letters[0].letter_id)
    assert again is not None
    assert again.status == "posted"


def test_notes_and_the_case_file_export_are_on_the_timeline(stack: Stack) -> None:
    reference = _post_complaint(stack)
    repository = stack.repository
    staffwork.add_note(repository, reference, actor="Jo Adams", role="officer", text="<b>hi</b>")
    staffwork.record_call(
        repository, reference, actor="Jo Adams", role="officer", summary="Agreed the complaint"
    )
    exported = export_case(repository, reference, actor="Kim Lee", role="manager", purpose="SAR")
    types = [e["type"] for e in exported.data["events"]]
    assert types == ["received", "note", "call_or_meeting", "case_file_exported"]
    assert [e.type.value for e in repository.events(reference)] == types
    assert "&lt;b&gt;hi&lt;/b&gt;" in exported.html


def test_a_historic_case_is_recorded_without_any_message(stack: Stack) -> None:
    old = clock.london_today() - timedelta(days=400)
    reference = _post_complaint(stack, old, historic=True)
    assert deliver(stream_event(stack)) == {"batchItemFailures": []}
    assert sent_emails() == []
    assert staffwork.letters_to_send(stack.repository, role="officer") == []
    case = stack.repository.get_case(reference)
    assert case is not None
    assert case.historic
    assert case.received_on == old
