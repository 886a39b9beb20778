"""The staff console on moto: sign-in with MFA, sessions, CSRF, and the authorisation matrix
(every route x every role x signed out: deny by default)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from complaints.adapters import clients
from tests.console_support import Browser, console_for_tests
from tests.integration.conftest import Stack
from tests.integration.helpers import body_json, post_json, valid_fields


@pytest.fixture
def staff(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    from complaints_tools.infra_template import load_template
    from complaints_tools.local.staff import create_pool, environment

    pool = create_pool(clients.client("cognito-idp"), load_template(), "test")
    for name, value in environment(pool).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("STAFF_CASE_URL", "https://guide.example.test/staff/cases/{reference}")
    from complaints import wiring

    wiring.reset()
    users = {u["groups"][0]: u for u in pool.users}
    yield {"users": users, "secret": pool.totp_secret}


def browser() -> Browser:
    console = console_for_tests()
    from complaints.console.app import route
    from complaints.console.web import parse_event

    return Browser(lambda event, _ctx: route(console, parse_event(event)).result())


def signed_in(staff: dict[str, Any], role: str) -> Browser:
    client = browser()
    user = staff["users"][role]
    page = client.sign_in(user["username"], user["password"], staff["secret"])
    assert page.status == 200, page.text[:500]
    return client


def test_an_officer_signs_in_with_password_and_code_and_sees_the_caseload(
    staff: dict[str, Any],
) -> None:
    client = signed_in(staff, "officer")
    page = client.get("/staff/")
    assert page.status == 200
    assert "Caseload" in page.text
    assert "Olivia Officer" in page.text


def _complaint(**changes: Any) -> str:
    return str(body_json(post_json(valid_fields(**changes)))["reference"])


def test_a_new_complaint_is_on_the_caseload_and_is_acknowledged_through_its_form(
    staff: dict[str, Any], stack: Stack
) -> None:
    reference = _complaint()
    officer = signed_in(staff, "officer")
    team = officer.get("/staff/?view=team")
    assert reference in team.body
    case = officer.get(f"/staff/cases/{reference}")
    assert case.status == 200
    assert "Acknowledge" in case.text
    form = officer.get(f"/staff/cases/{reference}/acknowledge")
    assert form.status == 200
    done = officer.post(
        f"/staff/cases/{reference}/acknowledge",
        {"csrf_token": form.csrf, "summary": "No visits since March", "how": "phone"},
    )
    assert done.status == 200, done.text[:800]
    assert "Done: Acknowledge" in done.text
    assert "Acknowledged" in done.text  # the timeline
    events = stack.repository.events(reference)
    acknowledged = [e for e in events if e.type.value == "acknowledged"]
    assert acknowledged and acknowledged[0].by == "Olivia Officer"
