"""GOV.UK Notify as the sender, against a fake of its HTTP API on 127.0.0.1 (Notify has no
emulator): the one template, rate limits and outages tried again, a 400 never, and each email
sent once, looked up by its reference before any second try."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from complaints.adapters.notify import NotifySender, NotifyUnavailableError
from complaints.service.messages.render import Email
from complaints.service.outbox import PermanentSendError, error_code
from complaints_tools.local.fake_notify import FakeNotify

KEY = "KX7F-3QTM.acknowledgement_23s1"


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    fake = FakeNotify().start()
    yield fake
    fake.stop()


def _sender(fake: FakeNotify, pauses: list[float] | None = None) -> NotifySender:
    waits = pauses if pauses is not None else []
    return NotifySender(
        template_id=fake.template_id,
        api_key=fake.api_key,
        base_url=fake.url,
        sleep=waits.append,
    )


def _email(*to: str, key: str = KEY) -> Email:
    return Email(
        to=to or ("sam@example.org",),
        subject="We have received your complaint - reference KX7F-3QTM",
        text="Dear Sam,\n\nWe have your complaint.",
        html="<p>Dear Sam</p>",
        kind="acknowledgement",
        reference="KX7F-3QTM",
        message_key=key,
    )


def _sends(fake: FakeNotify) -> int:
    return fake.requests.count("POST /v2/notifications/email")


def test_the_system_writes_the_email_and_notify_sends_it_through_one_template(
    notify: FakeNotify,
) -> None:
    sent = _sender(notify).send(_email())
    (notification,) = notify.notifications
    assert notification["id"] == sent
    assert notification["reference"] == KEY  # the receipt brings it back to the case
    assert notification["template"]["id"] == notify.template_id
    assert notification["subject"] == "We have received your complaint - reference KX7F-3QTM"
    assert notification["body"] == "Dear Sam,\n\nWe have your complaint."


def test_rate_limits_and_server_errors_are_tried_again_and_it_is_sent_once(
    notify: FakeNotify,
) -> None:
    notify.faults = [429, 500]
    pauses: list[float] = []
    _sender(notify, pauses).send(_email())
    assert len(notify.notifications) == 1
    assert _sends(notify) == 3
    assert pauses == [1.0, 2.0]  # a growing pause between tries


def test_a_400_is_never_tried_again(notify: FakeNotify) -> None:
    with pytest.raises(PermanentSendError) as refused:
        _sender(notify).send(_email("not an address"))
    assert _sends(notify) == 1
    assert notify.notifications == []
    assert "not an address" not in str(refused.value)


def test_a_notify_that_stays_down_is_left_to_the_outbox_to_retry(notify: FakeNotify) -> None:
    notify.outage = True
    with pytest.raises(NotifyUnavailableError) as down:
        _sender(notify).send(_email())
    assert error_code(down.value) == "Notify503"
    assert notify.notifications == []
    notify.outage = False
    _sender(notify).send(_email(), retry=True)
    assert len(notify.notifications) == 1


def test_a_wrong_key_is_left_to_the_outbox_to_retry_once_it_is_fixed(notify: FakeNotify) -> None:
    wrong = NotifySender(
        template_id=notify.template_id,
        api_key=f"wrong-{notify.service_id}-00000000-0000-0000-0000-000000000000",
        base_url=notify.url,
        sleep=lambda _: None,
    )
    with pytest.raises(NotifyUnavailableError) as refused:
        wrong.send(_email())
    assert error_code(refused.value) == "Notify403"
    assert _sends(notify) == 1  # a 403 is not tried again at once
    assert notify.notifications == []


def test_an_answer_lost_on_the_way_back_does_not_send_twice(notify: FakeNotify) -> None:
    notify.lose_answers = 1
    sent = _sender(notify).send(_email())
    (notification,) = notify.notifications
    assert sent == notification["id"]
    assert _sends(notify) == 1
    assert "GET /v2/notifications" in notify.requests  # looked up by reference first


def test_a_retry_looks_the_email_up_by_its_reference_and_sends_only_what_is_missing(
    notify: FakeNotify,
) -> None:
    sender = _sender(notify)
    first = sender.send(_email("team@example.gov.uk"))
    again = sender.send(_email("team@example.gov.uk", "head@example.gov.uk"), retry=True)
    assert [n["email_address"] for n in notify.notifications] == [
        "team@example.gov.uk",
        "head@example.gov.uk",
    ]
    assert again != first
    sender.send(_email("team@example.gov.uk", "head@example.gov.uk"), retry=True)
    assert len(notify.notifications) == 2


def test_a_first_try_does_not_look_anything_up(notify: FakeNotify) -> None:
    _sender(notify).send(_email())
    assert notify.requests == ["POST /v2/notifications/email"]


def test_the_clients_own_log_never_names_what_was_sent(
    notify: FakeNotify, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    notify.faults = [500]
    _sender(notify).send(_email("sam.private@example.org"))
    assert "sam.private" not in caplog.text


def test_letters_are_for_the_casework_issue(notify: FakeNotify) -> None:
    from complaints.service.messages.render import Letter

    letter = Letter(("1 Street", "Town", "EX1 1AA"), "Our answer", "Dear Sam", "letter", "R")
    with pytest.raises(NotImplementedError):
        _sender(notify).send_letter(letter)
