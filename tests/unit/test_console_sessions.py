"""Sessions, CSRF, cookies and roles of the staff console (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from complaints.service.staff.permissions import (
    NotAllowedError,
    Staff,
    actions_for,
    can_read_access_log,
    can_view,
    require_action,
)
from complaints.service.staff.sessions import Session, Timeouts, same_secret, session_key
from tests.unit.lifecycle_fixtures import new_case

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
TIMEOUTS = Timeouts(idle=timedelta(minutes=30), absolute=timedelta(hours=8))


def session(**changes: object) -> Session:
    values: dict[str, object] = {
        "key": session_key("id"),
        "username": "olivia.officer",
        "name": "Olivia Officer",
        "email": "olivia.officer@example.gov.uk",
        "groups": ("officer",),
        "csrf": "token",
        "created_at": T0,
        "last_seen": T0,
        "tokens_expire_at": T0 + timedelta(hours=1),
        "refresh_token": "refresh",
    }
    values.update(changes)
    return Session(**values)  # type: ignore[arg-type]


def test_the_table_keeps_only_a_hash_of_the_session_id() -> None:
    assert session_key("abc") != "abc"
    assert len(session_key("abc")) == 64
    assert "refresh" not in repr(session())  # the refresh token never shows in a repr


def test_a_session_ends_after_30_idle_minutes() -> None:
    assert not session().expired(T0 + timedelta(minutes=29, seconds=59), TIMEOUTS)
    assert session().expired(T0 + timedelta(minutes=30), TIMEOUTS)


def test_a_session_ends_after_8_hours_however_busy() -> None:
    busy = session(last_seen=T0 + timedelta(hours=7, minutes=59))
    assert not busy.expired(T0 + timedelta(hours=7, minutes=59, seconds=59), TIMEOUTS)
    busy = session(last_seen=T0 + timedelta(hours=8))
    assert busy.expired(T0 + timedelta(hours=8), TIMEOUTS)


def test_the_timeouts_are_council_settings() -> None:
    from complaints.settings import load_settings

    console = load_settings().staff_console
    assert Timeouts.from_settings() == Timeouts(
        idle=timedelta(minutes=console.idle_minutes),
        absolute=timedelta(hours=console.absolute_hours),
    )


def test_tokens_are_renewed_once_they_expire() -> None:
    assert not session().needs_refresh(T0 + timedelta(minutes=59))
    assert session().needs_refresh(T0 + timedelta(hours=1))


@pytest.mark.parametrize(
    ("given", "ok"),
    [("token", True), ("tokeN", False), ("", False), (None, False), ("token ", False)],
)
def test_the_csrf_token_must_match_exactly(given: str | None, ok: bool) -> None:
    assert same_secret(given, "token") is ok


def test_cookies_are_http_only_lax_and_over_https_secure_with_the_host_prefix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from complaints.console.web import set_cookie

    monkeypatch.setenv("PUBLIC_BASE_URL", "https://complaints.example.gov.uk")
    cookie = set_cookie("staff_session", "opaque")
    assert cookie.startswith("__Host-staff_session=opaque; Path=/")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie
    assert "Domain" not in cookie
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
    local = set_cookie("staff_session", "opaque")
    assert local.startswith("staff_session=opaque")
    assert "Secure" not in local


@pytest.mark.parametrize(
    ("asked", "went"),
    [
        ("/staff/cases/KX7F-3QTM", "/staff/cases/KX7F-3QTM"),
        ("https://evil.example/", "/staff/"),
        ("//evil.example/staff/", "/staff/"),
        ("/api/complaints", "/staff/"),
        ("/staff/\\evil", "/staff/"),
        (None, "/staff/"),
    ],
)
def test_after_signing_in_only_a_console_page_is_a_destination(
    asked: str | None, went: str
) -> None:
    from complaints.console.web import safe_next

    assert safe_next(asked) == went


def staff(*roles: str) -> Staff:
    return Staff.from_groups("u", "U", "u@example.gov.uk", list(roles))


def test_roles_deny_by_default() -> None:
    case = new_case()
    nobody = staff("admins", "everyone")  # groups that are not roles grant nothing
    assert nobody.roles == frozenset()
    assert not can_view(nobody, case)
    assert actions_for(nobody, case) == []
    with pytest.raises(NotAllowedError):
        require_action(nobody, case, actions_for(staff("manager"), case)[0])


def test_the_front_door_sees_and_acts_on_urgent_cases_only() -> None:
    from complaints.service.lifecycle import Action

    ordinary, urgent = new_case(), new_case()
    urgent.urgent = True
    front_door = staff("front_door")
    assert not can_view(front_door, ordinary)
    assert can_view(front_door, urgent)
    # the referral, and the casework the table grants the front door on urgent cases
    assert actions_for(front_door, urgent) == [
        Action.RECORD_REFERRAL,
        Action.NOTE,
        Action.RECORD_CALL,
        Action.MARK_LETTER_POSTED,
    ]
    assert actions_for(front_door, ordinary) == []
    with pytest.raises(NotAllowedError):
        require_action(front_door, ordinary, Action.RECORD_REFERRAL)


def test_an_auditor_reads_everything_and_changes_nothing() -> None:
    case = new_case()
    auditor = staff("auditor")
    assert can_view(auditor, case)
    assert actions_for(auditor, case) == []
    assert can_read_access_log(auditor)
    assert not can_read_access_log(staff("officer"))


def test_a_manager_may_close_and_assign_an_officer_may_not() -> None:
    from complaints.service.lifecycle import Action

    case = new_case()
    assert {Action.CLOSE, Action.ASSIGN} <= set(actions_for(staff("manager"), case))
    assert not {Action.CLOSE, Action.ASSIGN} & set(actions_for(staff("officer"), case))
