"""The staff console on moto: sign-in with MFA, sessions, CSRF, and the authorisation matrix
(every route x every role x signed out: deny by default)."""

from __future__ import annotations

from typing import Any

import pytest

from complaints.adapters import clients
from tests.console_support import Browser, console_for_tests
from tests.integration.conftest import Stack
from tests.integration.helpers import body_json, post_json, valid_fields


@pytest.fixture
def staff(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    from complaints_tools.infra_template import load_template
    from complaints_tools.local.staff import create_pool, environment

    pool = create_pool(clients.client("cognito-idp"), load_template(), "test")
    for name, value in environment(pool).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("STAFF_CASE_URL", "https://guide.example.test/staff/cases/{reference}")
    from complaints import wiring

    wiring.reset()
    users = {u["groups"][0]: u for u in pool.users}
    return {"users": users, "secret": pool.totp_secret}


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
    assert acknowledged
    assert acknowledged[0].by == "Olivia Officer"


def test_a_refused_action_shows_the_state_machines_sentence_in_the_error_summary(
    staff: dict[str, Any],
) -> None:
    reference = _complaint()
    officer = signed_in(staff, "officer")
    form = officer.get(f"/staff/cases/{reference}/acknowledge")
    officer.post(
        f"/staff/cases/{reference}/acknowledge",
        {"csrf_token": form.csrf, "summary": "Visits", "how": "phone"},
    )
    again = officer.post(
        f"/staff/cases/{reference}/acknowledge",
        {"csrf_token": form.csrf, "summary": "Again", "how": "phone"},
    )
    assert again.status == 200
    assert "govuk-error-summary" in again.body
    assert "Stage 1 was already acknowledged on" in again.text


def test_a_date_that_does_not_exist_is_shown_against_its_question(staff: dict[str, Any]) -> None:
    reference = _complaint()
    officer = signed_in(staff, "officer")
    form = officer.get(f"/staff/cases/{reference}/acknowledge")
    page = officer.post(
        f"/staff/cases/{reference}/acknowledge",
        {
            "csrf_token": form.csrf,
            "summary": "x",
            "how": "phone",
            "on-day": "31",
            "on-month": "2",
            "on-year": "2025",
        },
    )
    assert 'href="#on-day"' in page.body
    assert "Enter a real date" in page.text


# ---- the authorisation matrix: every route x every role x signed out ----------------------

ROLES = ("officer", "manager", "front_door", "auditor")


def _routes(reference: str) -> dict[str, tuple[str, str]]:
    """name -> (method, path) of every console route (a case's routes on ``reference``)."""
    from complaints.service.lifecycle import Action

    routes = {
        "caseload": ("GET", "/staff/"),
        "case": ("GET", f"/staff/cases/{reference}"),
        "access log": ("GET", f"/staff/cases/{reference}/access"),
        "people": ("GET", "/staff/people"),
        "add person": ("GET", "/staff/people/add"),
        "reassign": ("GET", "/staff/people/olivia.officer/reassign"),
        "remove": ("GET", "/staff/people/olivia.officer/remove"),
    }
    for action in Action:
        routes[f"form {action.value}"] = ("GET", f"/staff/cases/{reference}/{action.value}")
    # casework (issue 16): the letter is one queued for the case (``_queue_letter``)
    routes.update(
        {
            "record": ("GET", "/staff/complaints/new"),
            "letters": ("GET", "/staff/letters"),
            "letter": ("GET", f"/staff/letters/{reference}/acknowledgement%23s1"),
            "letter posted": ("GET", f"/staff/letters/{reference}/acknowledgement%23s1/posted"),
            "backlog": ("GET", "/staff/reports/backlog"),
            "backlog csv": ("GET", "/staff/reports/backlog?format=csv"),
            "annual": ("GET", "/staff/reports/annual"),
            "annual csv": ("GET", "/staff/reports/annual?format=csv"),
        }
    )
    return routes


def _queue_letter(reference: str) -> None:
    from complaints import clock, wiring
    from complaints.service.letters import QueuedLetter

    wiring.store().queue_letter(
        QueuedLetter(
            reference=reference,
            letter_id="acknowledgement#s1",
            kind="acknowledgement",
            subject="We have your complaint",
            text="Dear Sam\n\nWe have your complaint.",
            name="Sam Parent",
            address="1 High Street\nExampletown",
            created_at=clock.now(),
        )
    )


def _expected(role: str | None, route: str, urgent: bool) -> int:
    """Deny by default: 303 to sign in when signed out, 404 where the role may not go."""
    from complaints.service.lifecycle import Action
    from complaints.service.lifecycle.table import rule

    if role is None:
        return 303
    if route == "caseload":
        return 200
    if route in ("people", "add person", "reassign", "remove"):
        return 200 if role == "manager" else 404
    from complaints.service.lifecycle.table import StaffAction, load_table

    staff_rules = load_table().staff_actions
    if route in ("record", "letters"):
        return 200 if role in staff_rules[StaffAction(route)].roles else 404
    if route.startswith(("backlog", "annual")):
        return 200 if role in staff_rules[StaffAction.REPORTS].roles else 404
    sees = role != "front_door" or urgent
    if route == "letter":
        return 200 if sees and role in staff_rules[StaffAction.LETTERS].roles else 404
    if route == "letter posted":
        allowed = role in rule(Action.MARK_LETTER_POSTED).roles
        return 200 if sees and allowed and role in staff_rules[StaffAction.LETTERS].roles else 404
    if route == "case":
        return 200 if sees else 404
    if route == "access log":
        return 200 if role == "auditor" else 404
    action = Action(route.removeprefix("form "))
    return 200 if sees and role in rule(action).roles else 404


@pytest.mark.parametrize("urgent", [False, True], ids=["ordinary case", "urgent case"])
def test_every_route_for_every_role_and_signed_out(staff: dict[str, Any], urgent: bool) -> None:
    reference = _complaint(child_in_danger="yes" if urgent else "no")
    _queue_letter(reference)
    clients = {None: browser(), **{role: signed_in(staff, role) for role in ROLES}}
    wrong = []
    for role, client in clients.items():
        for name, (method, path) in _routes(reference).items():
            answer = client.send(method, path, follow=False)
            got = answer.status
            expected = _expected(role, name, urgent)
            if got != expected:
                wrong.append(f"{role or 'signed out'} {name}: {got}, expected {expected}")
            if answer.headers.get("Cache-Control") != "no-store":
                wrong.append(f"{role or 'signed out'} {name}: cached")
    assert wrong == []


def test_a_post_by_a_role_that_may_not_take_the_action_changes_nothing(
    staff: dict[str, Any], stack: Stack
) -> None:
    reference = _complaint()
    for role in ("auditor", "front_door"):
        client = signed_in(staff, role)
        caseload = client.get("/staff/")
        answer = client.post(
            f"/staff/cases/{reference}/acknowledge",
            {"csrf_token": caseload.csrf, "summary": "x", "how": "phone"},
            follow=False,
        )
        assert answer.status == 404, role
    assert [e.type.value for e in stack.repository.events(reference)] == ["received"]


def test_a_post_without_or_with_a_wrong_csrf_token_is_refused(
    staff: dict[str, Any], stack: Stack
) -> None:
    reference = _complaint()
    officer = signed_in(staff, "officer")
    path = f"/staff/cases/{reference}/acknowledge"
    form = {"summary": "x", "how": "phone"}
    assert officer.post(path, form, follow=False).status == 400
    assert officer.post(path, {**form, "csrf_token": "guess"}, follow=False).status == 400
    other = signed_in(staff, "manager")  # another person's token is not this session's
    assert (
        officer.post(path, {**form, "csrf_token": other.get("/staff/").csrf}, follow=False).status
        == 400
    )
    good = officer.get(path).csrf
    cross = officer.post(
        path, {**form, "csrf_token": good}, follow=False, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert cross.status == 400
    assert [e.type.value for e in stack.repository.events(reference)] == ["received"]


def test_an_expired_session_is_refused_and_ended(staff: dict[str, Any], stack: Stack) -> None:
    from datetime import timedelta

    from complaints.clock import wall_now
    from complaints.console.web import SESSION_COOKIE, cookie_name
    from complaints.service.staff.sessions import session_key

    officer = signed_in(staff, "officer")
    key = session_key(officer.cookies[cookie_name(SESSION_COOKIE)])
    session = stack.repository.get_session(key)
    idle = session.seen(wall_now() - timedelta(minutes=31))  # past the council's 30 minutes
    stack.repository.save_session(idle, wall_now() + timedelta(hours=1))
    answer = officer.get("/staff/", follow=False)
    assert answer.status == 303
    assert answer.headers["Location"].startswith("/staff/sign-in")
    assert stack.repository.get_session(key) is None


def test_a_session_past_its_absolute_timeout_is_refused_however_active(
    staff: dict[str, Any], stack: Stack
) -> None:
    from dataclasses import replace
    from datetime import timedelta

    from complaints.clock import wall_now
    from complaints.console.web import SESSION_COOKIE, cookie_name
    from complaints.service.staff.sessions import session_key

    officer = signed_in(staff, "officer")
    key = session_key(officer.cookies[cookie_name(SESSION_COOKIE)])
    session = stack.repository.get_session(key)
    old = replace(
        session, created_at=wall_now() - timedelta(hours=8, minutes=1), last_seen=wall_now()
    )
    stack.repository.save_session(old, wall_now() + timedelta(hours=1))
    assert officer.get("/staff/", follow=False).status == 303


def test_sign_out_ends_the_session(staff: dict[str, Any], stack: Stack) -> None:
    from complaints.console.web import SESSION_COOKIE, cookie_name
    from complaints.service.staff.sessions import session_key

    officer = signed_in(staff, "officer")
    session_id = officer.cookies[cookie_name(SESSION_COOKIE)]
    page = officer.post("/staff/sign-out", {"csrf_token": officer.get("/staff/").csrf})
    assert "You have signed out" in page.text
    assert stack.repository.get_session(session_key(session_id)) is None
    replay = Browser(officer.handler, {cookie_name(SESSION_COOKIE): session_id})
    assert replay.get("/staff/", follow=False).status == 303


def test_tokens_are_renewed_after_they_expire_and_a_disabled_user_is_signed_out(
    staff: dict[str, Any], stack: Stack
) -> None:
    from dataclasses import replace
    from datetime import timedelta

    from complaints.clock import wall_now
    from complaints.console.web import SESSION_COOKIE, cookie_name
    from complaints.service.staff.sessions import session_key

    officer = signed_in(staff, "officer")
    key = session_key(officer.cookies[cookie_name(SESSION_COOKIE)])

    def expire_tokens() -> None:
        session = stack.repository.get_session(key)
        stack.repository.save_session(
            replace(session, tokens_expire_at=wall_now() - timedelta(seconds=1)),
            wall_now() + timedelta(hours=1),
        )

    expire_tokens()
    assert officer.get("/staff/", follow=False).status == 200  # renewed with the refresh token
    assert stack.repository.get_session(key).tokens_expire_at > wall_now()
    idp = clients.client("cognito-idp")
    pool = stack_pool()
    idp.admin_user_global_sign_out(UserPoolId=pool, Username=staff["users"]["officer"]["username"])
    expire_tokens()
    assert officer.get("/staff/", follow=False).status == 303


def stack_pool() -> str:
    from complaints.environment import environment

    return str(environment().user_pool_id)


def test_a_token_from_another_pool_is_refused(staff: dict[str, Any]) -> None:
    from complaints.console.tokens import TokenError, verify_id_token
    from complaints_tools.infra_template import load_template
    from complaints_tools.local.staff import create_pool, fresh_code
    from tests.console_support import moto_jwks

    idp = clients.client("cognito-idp")
    other = create_pool(idp, load_template(), "other")
    user = other.users[0]
    challenge = idp.admin_initiate_auth(
        UserPoolId=other.pool_id,
        ClientId=other.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user["username"], "PASSWORD": user["password"]},
    )
    tokens = idp.admin_respond_to_auth_challenge(
        UserPoolId=other.pool_id,
        ClientId=other.client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={
            "USERNAME": user["username"],
            "SOFTWARE_TOKEN_MFA_CODE": fresh_code(staff["secret"]),
        },
    )["AuthenticationResult"]
    from complaints.environment import environment

    env = environment()
    with pytest.raises(TokenError):  # same keys (moto signs every pool alike): the issuer differs
        verify_id_token(
            tokens["IdToken"],
            pool_id=str(env.user_pool_id),
            client_id=str(env.user_pool_client_id),
            fetch=moto_jwks,
        )
    with pytest.raises(TokenError):  # and this pool's issuer, with another client
        verify_id_token(
            tokens["IdToken"],
            pool_id=other.pool_id,
            client_id=str(env.user_pool_client_id),
            fetch=moto_jwks,
        )


def test_the_front_door_opens_an_urgent_case_within_two_clicks_of_signing_in(
    staff: dict[str, Any],
) -> None:
    import re

    reference = _complaint(child_in_danger="yes")
    front_door = signed_in(staff, "front_door")
    caseload = front_door.get("/staff/")  # where signing in lands: the urgent cases
    assert "Urgent" in caseload.text
    link = re.search(rf'href="(/staff/cases/{reference})"', caseload.body)
    assert link, "the urgent case is linked from the page signing in lands on"
    case = front_door.get(link.group(1))  # one click
    assert case.status == 200
    assert "No social worker" in case.text or "What they wrote" in case.text
    assert "Record the safeguarding referral" in case.text
    assert (
        f'href="/staff/cases/{reference}/acknowledge"' not in case.body
    )  # it only reads and records the referral


def test_every_view_and_action_is_in_the_access_log_which_auditors_read(
    staff: dict[str, Any], stack: Stack
) -> None:
    reference = _complaint()
    officer = signed_in(staff, "officer")
    officer.get(f"/staff/cases/{reference}")
    form = officer.get(f"/staff/cases/{reference}/acknowledge")
    officer.post(
        f"/staff/cases/{reference}/acknowledge",
        {"csrf_token": form.csrf, "summary": "x", "how": "phone"},
    )
    entries = stack.repository.access_entries(reference)
    assert [(e.by, e.kind, e.what) for e in entries] == [
        ("Olivia Officer", "viewed", "case page"),
        ("Olivia Officer", "viewed", "acknowledge form"),
        ("Olivia Officer", "acted", "acknowledge"),
        ("Olivia Officer", "viewed", "case page"),  # back on the case after the change
    ]
    auditor = signed_in(staff, "auditor")
    log = auditor.get(f"/staff/cases/{reference}/access")
    assert log.status == 200
    assert log.text.count("Olivia Officer") == 4


def test_the_access_log_is_append_only(stack: Stack) -> None:
    """No code path updates or deletes an entry: the adapter's only write is a put of a new
    key, refused if that key exists."""
    import ast
    from pathlib import Path

    from complaints.adapters.dynamo import access

    tree = ast.parse(Path(access.__file__).read_text(encoding="utf-8"))
    calls = {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    assert "put_item" in calls
    assert not calls & {"update_item", "delete_item", "batch_write_item", "transact_write_items"}
    assert "attribute_not_exists(PK)" in Path(access.__file__).read_text(encoding="utf-8")


def test_a_manager_reassigns_all_of_a_leavers_cases_at_once(
    staff: dict[str, Any], stack: Stack
) -> None:
    manager = signed_in(staff, "manager")
    references = [_complaint(details=f"Complaint number {n} about visits.") for n in range(3)]
    for reference in references:
        form = manager.get(f"/staff/cases/{reference}/assign")
        manager.post(
            f"/staff/cases/{reference}/assign",
            {"csrf_token": form.csrf, "owner": "olivia.officer@example.gov.uk"},
        )
    people = manager.get("/staff/people")
    assert "Olivia Officer" in people.text
    page = manager.get("/staff/people/olivia.officer/reassign")
    done = manager.post(
        "/staff/people/olivia.officer/reassign",
        {"csrf_token": page.csrf, "owner": "max.manager@example.gov.uk"},
    )
    assert "reassigned" in done.text
    for reference in references:
        assert stack.repository.get_case(reference).owner == "max.manager@example.gov.uk"
    from complaints.service.staff.caseload import owners_count_keys

    counts = stack.repository.caseload_counts(
        owners_count_keys(["olivia.officer@example.gov.uk", "max.manager@example.gov.uk"])
    )
    assert counts.owner("olivia.officer@example.gov.uk") == 0
    assert counts.owner("max.manager@example.gov.uk") == 3


def test_a_manager_adds_and_removes_a_member_of_staff(staff: dict[str, Any]) -> None:
    manager = signed_in(staff, "manager")
    page = manager.get("/staff/people/add")
    done = manager.post(
        "/staff/people/add",
        {
            "csrf_token": page.csrf,
            "name": "Nia New",
            "email": "nia.new@example.gov.uk",
            "role": "officer",
        },
    )
    assert "Nia New" in done.text
    confirm = manager.get("/staff/people/nia.new/remove")
    manager.post("/staff/people/nia.new/remove", {"csrf_token": confirm.csrf})
    user = clients.client("cognito-idp").admin_get_user(UserPoolId=stack_pool(), Username="nia.new")
    assert user["Enabled"] is False


def test_counts_follow_the_transitions(staff: dict[str, Any], stack: Stack) -> None:
    from complaints.service.staff.caseload import page_count_keys

    wanted = page_count_keys("x@example.gov.uk", ["children-act-1989", "corporate"], (1, 2, 3))
    first, second = _complaint(), _complaint(details="Another complaint about contact.")
    counts = stack.repository.caseload_counts(wanted)
    assert counts.status("open") == 2
    assert counts.owner(None) == 2
    manager = signed_in(staff, "manager")
    form = manager.get(f"/staff/cases/{first}/hold")
    manager.post(
        f"/staff/cases/{first}/hold",
        {"csrf_token": form.csrf, "grounds": "other", "reason": "Waiting"},
    )
    counts = stack.repository.caseload_counts(wanted)
    assert (counts.status("open"), counts.status("on_hold")) == (1, 1)
    on_hold = manager.get("/staff/?view=on_hold")
    assert first in on_hold.body
    assert second not in on_hold.body


def test_a_group_taken_away_takes_effect_when_the_tokens_are_renewed(
    staff: dict[str, Any], stack: Stack
) -> None:
    from dataclasses import replace
    from datetime import timedelta

    from complaints.clock import wall_now
    from complaints.console.web import SESSION_COOKIE, cookie_name
    from complaints.service.staff.sessions import session_key

    reference = _complaint()
    officer = signed_in(staff, "officer")
    assert officer.get(f"/staff/cases/{reference}", follow=False).status == 200
    clients.client("cognito-idp").admin_remove_user_from_group(
        UserPoolId=stack_pool(), Username=staff["users"]["officer"]["username"], GroupName="officer"
    )
    key = session_key(officer.cookies[cookie_name(SESSION_COOKIE)])
    session = stack.repository.get_session(key)
    stack.repository.save_session(
        replace(session, tokens_expire_at=wall_now() - timedelta(seconds=1)),
        wall_now() + timedelta(hours=1),
    )
    assert officer.get(f"/staff/cases/{reference}", follow=False).status == 404  # no role now
    assert stack.repository.get_session(key).groups == ()


def _bounced(stack: Stack, reference: str) -> None:
    """SES's bounce of the acknowledgement, recorded as the delivery function records it."""
    from complaints.clock import now
    from complaints.service.delivery import Report, message_key, record

    sk = "OUTBOX#acknowledgement#s1"
    assert stack.repository.get_item(reference, sk) is not None
    report = Report("ses", message_key(reference, sk), "failed", "bounce", now(), "ses-1")
    record(stack.repository, report)


def test_a_family_not_reached_is_tagged_on_the_caseload_and_the_case_offers_record_contact(
    staff: dict[str, Any], stack: Stack
) -> None:
    reference, other = _complaint(), _complaint(details="Another complaint, delivered fine.")
    _bounced(stack, reference)
    officer = signed_in(staff, "officer")
    team = officer.get("/staff/?view=team")
    row = next(r for r in team.body.split("<tr") if f"/staff/cases/{reference}" in r)
    assert "Family not reached" in row
    assert "Family not reached" not in next(r for r in team.body.split("<tr") if other in r)
    case = officer.get(f"/staff/cases/{reference}")
    assert "Family not reached" in case.text
    assert f'href="/staff/cases/{reference}/record-contact"' in case.body
    assert "record-contact" not in officer.get(f"/staff/cases/{other}").body  # nothing to record
    form = officer.get(f"/staff/cases/{reference}/record-contact")
    assert form.status == 200
    assert "How was the family told?" in form.text
    done = officer.post(
        f"/staff/cases/{reference}/record-contact",
        {"csrf_token": form.csrf, "how": "phone", "note": "Rang them"},
    )
    assert done.status == 200, done.text[:800]
    assert "Done: Record how the family was told" in done.text
    assert "Family not reached" not in done.text
    after = officer.get("/staff/?view=team")
    assert "Family not reached" not in next(r for r in after.body.split("<tr") if reference in r)
    contact = [e for e in stack.repository.events(reference) if e.type.value == "contact_recorded"]
    assert [(e.by, e.data.get("how")) for e in contact] == [("Olivia Officer", "phone")]


def test_the_auditor_sees_the_tag_but_no_record_contact_form(
    staff: dict[str, Any], stack: Stack
) -> None:
    reference = _complaint()
    _bounced(stack, reference)
    auditor = signed_in(staff, "auditor")
    assert "Family not reached" in auditor.get(f"/staff/cases/{reference}").text
    assert "record-contact" not in auditor.get(f"/staff/cases/{reference}").body
    assert auditor.get(f"/staff/cases/{reference}/record-contact").status == 404
