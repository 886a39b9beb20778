"""Complainant self-service through the token link: good, wrong and missing tokens, the
escalation request, and throttling."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from complaints.adapters.dynamo import Repository
from complaints.clock import add_working_days, london_today
from complaints.service import lifecycle as lc
from complaints.service.casework import change_case
from complaints.service.intake import receive
from complaints.service.selfservice import FREE_WRONG_TRIES
from tests.integration.conftest import Stack
from tests.integration.helpers import CONTEXT, api_event, body_json
from tests.integration.test_intake_storage import submission
from tests.unit.lifecycle_fixtures import LETTER


def _filed(email: str = "sam.parent@example.com") -> tuple[str, str]:
    """A complaint made now: its reference and the token from the acknowledgement."""
    repository = Repository()
    reference = receive(submission(email=email), repository).receipt.reference
    (ack,) = [i for i in repository.outbox_items(reference) if i["kind"] == "acknowledgement"]
    return reference, str(ack["token"])


def _get(path: str) -> dict[str, Any]:
    from complaints.handlers.api import handler

    return handler(api_event("GET", path), CONTEXT)


def _post(path: str, body: bytes, content_type: str) -> dict[str, Any]:
    from complaints.handlers.api import handler

    return handler(api_event("POST", path, body, content_type), CONTEXT)


def test_the_right_link_shows_where_the_complaint_is(stack: Stack) -> None:
    reference, token = _filed()
    response = _get(f"/api/complaints/{reference}?{urlencode({'token': token})}")
    assert response["statusCode"] == 200
    view = body_json(response)
    assert view["reference"] == reference
    assert (view["stage"], view["status"], view["can_escalate"]) == (1, "open", False)
    assert view["respond_by"] == add_working_days(london_today(), 10).isoformat()
    assert "We will reply to stage 1" in view["what_happens_next"]
    assert "sam" not in json.dumps(view).lower()  # no personal data in the status
    assert response["headers"]["Cache-Control"] == "no-store"


def test_wrong_missing_and_unknown_look_the_same(stack: Stack) -> None:
    reference, token = _filed()
    wrong = _get(f"/api/complaints/{reference}?token={'x' * len(token)}")
    missing = _get(f"/api/complaints/{reference}")
    unknown = _get(f"/api/complaints/HJKM-NPQR?token={token}")
    nonsense = _get(f"/api/complaints/not-a-reference?token={token}")
    answers = {(r["statusCode"], r["body"]) for r in (wrong, missing, unknown, nonsense)}
    assert len(answers) == 1
    (status, body), *_ = answers
    assert status == 404
    assert "could not find" in json.loads(body)["message"]


def test_repeated_wrong_tries_slow_down_but_the_right_link_still_works(stack: Stack) -> None:
    reference, token = _filed()
    for _ in range(FREE_WRONG_TRIES):
        assert _get(f"/api/complaints/{reference}?token=wrong")["statusCode"] == 404
    throttled = _get(f"/api/complaints/{reference}?token=wrong")
    assert throttled["statusCode"] == 429
    assert int(throttled["headers"]["Retry-After"]) > 0
    assert _get(f"/api/complaints/{reference}?{urlencode({'token': token})}")["statusCode"] == 200
    other, other_token = _filed("someone.else@example.com")  # other cases are not affected
    assert _get(f"/api/complaints/{other}?token=wrong")["statusCode"] == 404
    assert _get(f"/api/complaints/{other}?{urlencode({'token': other_token})}")["statusCode"] == 200


def test_asking_for_stage_2_while_stage_1_is_in_time_is_refused_plainly(stack: Stack) -> None:
    reference, token = _filed()
    body = json.dumps({"token": token}).encode()
    response = _post(f"/api/complaints/{reference}/escalation", body, "application/json")
    assert response["statusCode"] == 409
    assert "still open" in body_json(response)["message"]
    case = stack.repository.get_case(reference)
    assert case is not None
    assert case.stage.number == 1


def test_asking_for_stage_2_after_the_response_starts_it(stack: Stack) -> None:
    reference, token = _filed()
    now = datetime.now(UTC)
    change_case(
        stack.repository,
        reference,
        lambda c: lc.respond(
            c,
            "not_upheld",
            lc.Act("staff", now, now),
            letter=LETTER,
        ),
        now,
    )
    body = json.dumps({"token": token, "reason": "Nothing has changed"}).encode()
    response = _post(f"/api/complaints/{reference}/escalation", body, "application/json")
    assert response["statusCode"] == 200
    view = body_json(response)
    assert (view["stage"], view["status"], view["asked"]) == (2, "open", True)
    assert view["respond_by"] == add_working_days(london_today(), 25).isoformat()
    events = stack.repository.events(reference)
    (asked,) = [e for e in events if e.type == "next_stage_requested"]
    assert (asked.by, asked.reason) == ("complainant", "Nothing has changed")
    kinds = {i.get("template") for i in stack.repository.outbox_items(reference)}
    assert {"notice_stage_requested", "notice_stage_requested_team"} <= kinds


def test_a_form_post_goes_back_to_the_page(stack: Stack) -> None:
    reference, token = _filed()
    now = datetime.now(UTC)
    change_case(
        stack.repository,
        reference,
        lambda c: lc.respond(
            c,
            "upheld",
            lc.Act("staff", now, now),
            letter=LETTER,
        ),
        now,
    )
    form = urlencode({"token": token}).encode()
    response = _post(
        f"/api/complaints/{reference}/escalation", form, "application/x-www-form-urlencoded"
    )
    assert response["statusCode"] == 303
    location = response["headers"]["Location"]
    assert location.startswith(f"/complaint/progress?reference={reference}&token=")
    assert location.endswith("&asked=1")
    wrong = _post(
        f"/api/complaints/{reference}/escalation",
        urlencode({"token": "wrong"}).encode(),
        "application/x-www-form-urlencoded",
    )
    assert wrong["statusCode"] == 404
    assert "text/html" in wrong["headers"]["Content-Type"]
