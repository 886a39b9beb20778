"""What a sender reports about an email, recorded on its case (pure: no AWS): the event, the
caseload's flag, who is alerted, and staff recording how the family was told."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from complaints.models import SYSTEM_EVENTS, Case, EventType
from complaints.service import lifecycle as lc
from complaints.service.casework import StaleCaseError
from complaints.service.delivery import (
    REASONS,
    Report,
    delivery_transition,
    message_key,
    parse_message_key,
    record,
)
from complaints.service.lifecycle import Transition, TransitionError
from complaints.service.messages.render import notice as render_notice
from complaints.service.messages.subjects import email_context, template_name
from complaints.settings import load_settings
from tests.unit.lifecycle_fixtures import STAFF, act, at, new_case

ACK = "OUTBOX#acknowledgement#s1"
TEAM = "OUTBOX#team_alert#s1"
TEAM_EMAIL = "childrens.complaints@example.gov.uk"
WHEN = at(date(2025, 1, 6), 11)


def _report(
    case: Case, sk: str = ACK, status: str = "failed", reason: str = "bounce", **kw: Any
) -> Report:
    return Report(
        provider=kw.pop("provider", "ses"),
        message=message_key(case.reference, sk),
        status=status,  # type: ignore[arg-type]
        reason=reason,
        at=kw.pop("when", WHEN),
        provider_id=kw.pop("provider_id", "ses-1"),
        **kw,
    )


def _item(sk: str, **extra: Any) -> dict[str, Any]:
    return {"SK": sk, "kind": sk.split("#")[1], **extra}


def _step(case: Case, report: Report, item: dict[str, Any] | None = None) -> Transition:
    sk = parse_message_key(report.message)[1]  # type: ignore[index]
    now = report.at + timedelta(minutes=1)
    found = delivery_transition(case, report, item or _item(sk), sk, now)
    assert found is not None
    return found


@pytest.mark.parametrize(
    "sk",
    [
        ACK,
        "OUTBOX#notice#v3-1#response#reminder#2025-06-01-owner",
        "OUTBOX#notice#v7-rec.2.1_due:x",
        "OUTBOX#notice#v2-naïve-ünïcode",
    ],
)
def test_a_message_key_reads_back_exactly_and_uses_only_what_an_ses_tag_allows(sk: str) -> None:
    key = message_key("KX7F-3QTM", sk)
    assert parse_message_key(key) == ("KX7F-3QTM", sk)
    assert set(key) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    assert len(key) < 256


@pytest.mark.parametrize("key", ["", "KX7F-3QTM", "KX7F-3QTM.", ".x", "A.b_zz", "A.b#c", "A.b_f"])
def test_what_is_not_a_message_key_is_refused(key: str) -> None:
    assert parse_message_key(key) is None


def test_a_report_has_one_key_however_often_it_arrives() -> None:
    case = new_case()
    first = _report(case, detail="feedback-1", recipients=("Sam@Example.org",))
    assert first.key == _report(case, detail="feedback-1", recipients=("sam@example.org",)).key
    assert first.key != _report(case, detail="feedback-2").key
    assert first.key != _report(case, status="delivered", reason="delivered").key


def test_a_bounced_acknowledgement_flags_the_case_and_alerts_the_team_without_the_address() -> None:
    case = new_case()
    step = _step(case, _report(case))
    (written,) = step.events
    assert written.type is EventType.DELIVERY_FAILED
    assert written.type in SYSTEM_EVENTS
    assert written.by == lc.SYSTEM
    assert written.reason == "bounce"
    assert written.data == {
        "stage": 1,
        "message": "acknowledgement#s1",
        "email": "acknowledgement",
        "to": "complainant",
        "provider": "ses",
    }
    assert step.case.needs_contact
    assert not case.needs_contact  # the case given is never changed
    (alert,) = step.notices
    assert alert.template == "delivery_failed"
    assert alert.to == (TEAM_EMAIL,)
    email = render_notice(
        step.case,
        template_name(alert),
        alert.to,
        email_context(alert, case.reference),
        load_settings(),
    )
    assert case.reference in email.subject
    for said in (email.subject, email.text, email.html):
        assert "sam@example.org" not in said
        assert "Sam Example" not in said
    assert REASONS["bounce"] in email.text
    assert "record-contact" in email.text


def test_the_owner_hears_of_a_failed_email_to_the_family_when_there_is_one() -> None:
    case = new_case()
    case.owner = STAFF
    (alert,) = _step(case, _report(case)).notices
    assert alert.to == (STAFF,)


def test_a_notice_to_the_complainant_that_failed_names_its_subject() -> None:
    case = new_case()
    sk = "OUTBOX#notice#v2-responded"
    item = _item(
        sk,
        template="notice_responded",
        to=["Sam@Example.org"],
        context={"subject": f"Our answer to your complaint - reference {case.reference}"},
    )
    step = _step(case, _report(case, sk, reason="complaint"), item)
    assert step.case.undelivered[0].kind == "notice_responded"
    assert "Our answer to your complaint" in step.notices[0].context["what"]


def test_a_failed_staff_email_alerts_the_team_and_does_not_flag_the_case() -> None:
    case = new_case()
    step = _step(case, _report(case, TEAM, reason="not_sent", provider="outbox"))
    (written,) = step.events
    assert written.data["to"] == "staff"
    assert not step.case.needs_contact
    (alert,) = step.notices
    assert (alert.template, alert.to) == ("delivery_failed_staff", (TEAM_EMAIL,))


def test_a_failed_alert_about_a_failed_email_alerts_nobody() -> None:
    case = new_case()
    sk = "OUTBOX#notice#delivery-0123456789abcdef"
    item = _item(sk, template="notice_delivery_failed_staff", to=[TEAM_EMAIL])
    step = _step(case, _report(case, sk), item)
    assert [e.type for e in step.events] == [EventType.DELIVERY_FAILED]
    assert step.notices == ()


def test_an_email_delivered_to_the_family_is_recorded_and_a_staff_one_is_not() -> None:
    case = new_case()
    step = _step(case, _report(case, status="delivered", reason="delivered"))
    assert [e.type for e in step.events] == [EventType.DELIVERED]
    assert step.notices == ()
    assert step.case.undelivered == []
    staff = _report(case, TEAM, status="delivered", reason="delivered")
    assert delivery_transition(case, staff, _item(TEAM), TEAM, WHEN) is None


def test_a_report_naming_someone_else_is_not_the_familys() -> None:
    case = new_case()
    sk = "OUTBOX#notice#v2-overdue"
    item = _item(sk, template="notice_overdue_alert", to=["sam@example.org", STAFF])
    step = _step(case, _report(case, sk, recipients=(STAFF,)), item)
    assert step.events[0].data["to"] == "staff"
    assert not step.case.needs_contact


def test_a_bounce_and_a_complaint_on_one_email_flag_it_once() -> None:
    case = new_case()
    case = _step(case, _report(case, reason="complaint", provider_id="a")).case
    case = _step(case, _report(case, reason="bounce", provider_id="b")).case
    assert len(case.undelivered) == 1


def test_delivery_reports_never_bound_a_persons_late_entry() -> None:
    case = new_case(date(2025, 1, 6))
    later = at(date(2025, 1, 9), 11)
    case = _step(case, _report(case, when=later)).case
    assert case.last_action is None
    # a call made on 7 January, written down on the 9th, after the bounce was recorded
    step = lc.acknowledge(case, act(date(2025, 1, 7), recorded=date(2025, 1, 9)), summary="x")
    assert step.events


def test_an_effective_time_in_the_future_is_the_present() -> None:
    case = new_case()
    report = _report(case, when=WHEN + timedelta(days=1))
    step = delivery_transition(case, report, _item(ACK), ACK, WHEN)
    assert step is not None
    assert step.events[0].at == WHEN


# --- recording how the family was told -------------------------------------------------


def _failed(case: Case, day: date = date(2025, 1, 6)) -> Case:
    return _step(case, _report(case, when=at(day, 11))).case


def test_recording_how_the_family_was_told_clears_the_flag() -> None:
    case = _failed(new_case())
    step = lc.record_contact(case, act(date(2025, 1, 7)), how="phone", note="Spoke to Sam")
    assert not step.case.needs_contact
    (told,) = step.case.undelivered
    assert (told.told_on, told.told_by) == (date(2025, 1, 7), "phone")
    (written,) = step.events
    assert written.type is EventType.CONTACT_RECORDED
    assert written.type not in SYSTEM_EVENTS
    assert written.data["how"] == "phone"
    assert written.data["messages"] == ["acknowledgement#s1"]
    assert step.case.last_action is not None


def test_nothing_to_record_when_every_email_arrived() -> None:
    with pytest.raises(TransitionError, match="nothing to record"):
        lc.record_contact(new_case(), act(date(2025, 1, 7)), how="phone")
    told = lc.record_contact(_failed(new_case()), act(date(2025, 1, 7)), how="letter").case
    with pytest.raises(TransitionError, match="nothing to record"):
        lc.record_contact(told, act(date(2025, 1, 8)), how="phone")


def test_the_family_cannot_be_told_before_the_email_failed() -> None:
    case = _failed(new_case(), date(2025, 1, 8))
    with pytest.raises(TransitionError, match="failed on 8 January 2025"):
        lc.record_contact(case, act(date(2025, 1, 7), recorded=date(2025, 1, 8)), how="phone")
    assert lc.record_contact(case, act(date(2025, 1, 8)), how="phone").events


def test_how_the_family_was_told_is_one_of_the_known_ways() -> None:
    with pytest.raises(TransitionError, match="phone, letter, in person"):
        lc.record_contact(_failed(new_case()), act(date(2025, 1, 7)), how="pigeon")


def test_a_new_failure_after_the_family_was_told_flags_the_case_again() -> None:
    case = _failed(new_case())
    case = lc.record_contact(case, act(date(2025, 1, 7)), how="phone").case
    case = _step(case, _report(case, provider_id="later", when=at(date(2025, 1, 8), 9))).case
    assert case.needs_contact
    assert len(case.undelivered) == 2


# --- recording once ----------------------------------------------------------------------


@dataclass
class FakeStore:
    case: Case
    stale: int = 0  # how many saves find the case changed
    keys: set[str] = field(default_factory=set)
    saved: list[Transition] = field(default_factory=list)

    def get_case(self, reference: str) -> Case | None:
        return self.case if reference == self.case.reference else None

    def get_item(self, reference: str, sk: str) -> dict[str, Any] | None:
        return _item(sk)

    def record_delivery(
        self, before: Case, transition: Transition, key: str, now: datetime
    ) -> bool:
        if self.stale:
            self.stale -= 1
            raise StaleCaseError(before.reference)
        if key in self.keys:
            return False
        self.keys.add(key)
        self.saved.append(transition)
        self.case = transition.case
        return True


def test_the_same_report_twice_is_recorded_once() -> None:
    store = FakeStore(new_case())
    report = _report(store.case)
    assert record(store, report, WHEN) == "recorded"
    assert record(store, report, WHEN) == "duplicate"
    assert len(store.saved) == 1


def test_a_case_that_changed_meanwhile_is_read_again() -> None:
    store = FakeStore(new_case(), stale=2)
    assert record(store, _report(store.case), WHEN) == "recorded"
    store = FakeStore(new_case(), stale=3)
    with pytest.raises(StaleCaseError):
        record(store, _report(store.case), WHEN)


def test_reports_on_emails_that_are_not_ours_are_left_alone() -> None:
    store = FakeStore(new_case())
    stranger = Report("ses", "not-a-key", "failed", "bounce", WHEN, "x")
    assert record(store, stranger, WHEN) == "unknown"
    gone = Report("ses", message_key("GONE-CASE", ACK), "failed", "bounce", WHEN, "x")
    assert record(store, gone, WHEN) == "unknown"
    staff = _report(store.case, TEAM, status="delivered", reason="delivered")
    assert record(store, staff, WHEN) == "ignored"
    assert store.saved == []
