"""council.yaml chooses the sender (``sender: ses | notify``) and caps the outbox's attempts;
the privacy notice names GOV.UK Notify as a processor exactly when it sends the email."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from complaints.settings import CouncilSettings, load_settings

TEMPLATE = "4bc2b1a0-3c7e-4c55-9d1e-6a0f0d6c9e11"


def _with(**changes: object) -> CouncilSettings:
    return CouncilSettings.model_validate({**load_settings().model_dump(mode="json"), **changes})


def test_the_shipped_council_sends_with_ses_and_tries_ten_times() -> None:
    settings = load_settings()
    assert settings.sender == "ses"
    assert settings.outbox_max_attempts == 10


def test_notify_needs_its_one_template() -> None:
    with pytest.raises(ValidationError, match="email_template_id"):
        _with(sender="notify")
    chosen = _with(sender="notify", notify={"email_template_id": TEMPLATE})
    assert chosen.notify is not None
    assert str(chosen.notify.email_template_id) == TEMPLATE


@pytest.mark.parametrize("attempts", [0, 1, 51])
def test_the_outbox_tries_at_least_twice_and_never_without_end(attempts: int) -> None:
    with pytest.raises(ValidationError):
        _with(outbox_max_attempts=attempts)


def test_the_privacy_notice_names_notify_only_when_it_sends_the_email() -> None:
    from complaints_tools.sitegen import snippets

    with_ses = snippets(load_settings())["processors.md"]
    with_notify = snippets(_with(sender="notify", notify={"email_template_id": TEMPLATE}))[
        "processors.md"
    ]
    assert "GOV.UK Notify" not in with_ses
    assert "Amazon Web Services also sends our emails" in with_ses
    assert "GOV.UK Notify sends our emails" in with_notify
    assert "Government Digital Service" in with_notify


def test_the_wiring_chooses_the_sender_the_council_set(monkeypatch: pytest.MonkeyPatch) -> None:
    from complaints import wiring
    from complaints.adapters.mailer import Mailer
    from complaints.adapters.notify import NotifySender

    monkeypatch.setenv("SENDER_EMAIL", "complaints@example.gov.uk")
    assert isinstance(wiring.sender(), Mailer)
    chosen = _with(sender="notify", notify={"email_template_id": TEMPLATE})
    monkeypatch.setattr("complaints.settings.load_settings", lambda *a: chosen)
    assert isinstance(wiring.sender(), NotifySender)
