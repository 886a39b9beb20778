"""No personal data in logs across a staff journey in the console: sign-in (a wrong password
and a wrong code too), the caseload, the case page, every kind of form (with the person's data
typed into them, refused and accepted), a broken request, an error inside the console, and
sign-out. Staff see the person's data on the pages they open (that is the page); nothing the
system *says* elsewhere (log records, warnings, stdout, stderr) holds it, nor any session id,
CSRF token, password, code or token."""

from __future__ import annotations

from typing import Any

import pytest

from complaints.adapters import clients
from tests.console_support import Browser, console_for_tests
from tests.integration.conftest import Stack
from tests.integration.helpers import body_json, post_json
from tests.security import person
from tests.security.conftest import Heard


@pytest.fixture
def console(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    from complaints import wiring
    from complaints_tools.infra_template import load_template
    from complaints_tools.local.staff import create_pool, environment

    pool = create_pool(clients.client("cognito-idp"), load_template(), "privacy")
    for name, value in environment(pool).items():
        monkeypatch.setenv(name, value)
    wiring.reset()
    monkeypatch.setattr(wiring, "_console", [console_for_tests()])
    return {"users": {u["groups"][0]: u for u in pool.users}, "secret": pool.totp_secret}


def test_a_staff_journey_says_nothing_personal_outside_its_pages(
    console: dict[str, Any],
    stack: Stack,
    heard: Heard,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from complaints.handlers.console import handler
    from complaints_tools.local.staff import totp_code

    reference = body_json(post_json(person.fields(child_in_danger="yes")))["reference"]
    secrets: list[str] = [console["secret"], totp_code(console["secret"])]
    officer = console["users"]["officer"]
    secrets.append(officer["password"])

    stranger = Browser(handler)
    stranger.post("/staff/sign-in", {"username": person.NAME, "password": person.EMAIL})
    stranger.post(
        "/staff/sign-in", {"username": officer["username"], "password": officer["password"]}
    )
    wrong_code = stranger.post("/staff/sign-in/code", {"code": "000000", "csrf_token": "x"})
    assert wrong_code.status in (200, 303)

    browsers = {}
    for role, user in console["users"].items():
        browser = Browser(handler)
        assert browser.sign_in(user["username"], user["password"], console["secret"]).status == 200
        browsers[role] = browser
        secrets += [user["password"], *browser.cookies.values()]
    staff = browsers["officer"]
    page = staff.get(f"/staff/cases/{reference}")
    assert person.NAME in page.text  # the page shows the case: that is what it is for
    secrets.append(page.csrf)
    for action, form in (
        (
            "acknowledge",
            {"summary": person.DETAILS, "outcome_sought": person.OUTCOME, "how": "phone"},
        ),
        ("acknowledge", {"summary": person.REASON, "how": "phone"}),  # refused: already done
        ("extend", {"to": "15", "reason": person.REASON, "grounds": "complex"}),
        (
            "hold",
            {
                "grounds": "police_investigation",
                "reason": person.REASON,
                "review_by-day": "31",
                "review_by-month": "2",
                "review_by-year": "2026",
            },
        ),
        ("hold", {"grounds": "other", "reason": person.NAME}),
        ("resume", {"reason": person.REASON}),
        ("respond", {"outcome": "upheld", "learning": person.DETAILS, "compensation": person.NAME}),
        ("new-link", {}),
    ):
        staff.post(f"/staff/cases/{reference}/{action}", {"csrf_token": page.csrf, **form})
    staff.post(f"/staff/cases/{reference}/acknowledge", {"summary": person.NAME})  # no CSRF
    browsers["front_door"].post(
        f"/staff/cases/{reference}/record-referral",
        {"csrf_token": browsers["front_door"].get("/staff/").csrf, "action_taken": person.DETAILS},
    )
    browsers["auditor"].get(f"/staff/cases/{reference}/access")
    browsers["manager"].get("/staff/?view=team")
    broken = handler(
        {
            "requestContext": {"http": {"method": "POST"}},
            "rawPath": "/staff/",
            "body": "%%%" + person.NAME,
            "headers": {"content-type": "text/plain"},
        },
        None,
    )
    assert broken["statusCode"] == 400
    with monkeypatch.context() as patched:  # an error inside the console, quoting the person

        def explode(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError(f"could not read {person.NAME} <{person.EMAIL}>")

        patched.setattr("complaints.console.pages.case_page", explode)
        assert staff.get(f"/staff/cases/{reference}").status == 500
    staff.post("/staff/sign-out", {"csrf_token": page.csrf})

    printed = capsys.readouterr()
    said = {"logs and warnings": heard.text(), "stdout and stderr": printed.out + printed.err}
    assert "unexpected error" in said["logs and warnings"]
    assert "RuntimeError" in said["logs and warnings"]  # the type, never the message
    found = {where: person.leaks(text, *secrets) for where, text in said.items()}
    assert found == {where: [] for where in said}
