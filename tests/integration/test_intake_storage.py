"""Storage: one conditional transaction, repeats, unique references, two AWS calls at most."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from complaints.adapters import keys
from complaints.service import intake
from complaints.service.intake import (
    ReferenceTakenError,
    SubmissionReusedError,
    build_case,
    receive,
)
from complaints.service.references import new_reference
from complaints.service.triage import triage
from complaints.settings import load_settings
from complaints.submission import Submission, parse_submission
from tests.integration.conftest import Stack, table_items
from tests.integration.helpers import body_json, post_form, post_json, valid_fields

T0 = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)


def submission(**changes: object) -> Submission:
    parsed = parse_submission(valid_fields(**changes))
    assert isinstance(parsed, Submission)
    return parsed


def cases_in(stack: Stack) -> list[str]:
    return sorted(i["reference"] for i in table_items(stack) if i["item_type"] == "case")


def test_case_event_outbox_and_checks_are_written_together(stack: Stack) -> None:
    reference = body_json(post_json(valid_fields(wants_advocate="yes")))["reference"]
    items = [i for i in table_items(stack) if i["PK"] == keys.case_pk(reference)]
    kinds = sorted(i["SK"].split("#")[0] for i in items)
    # checks: the acknowledgement, the reminder and the deadline of stage 1
    assert kinds == ["CASE", *["CHECK"] * 3, "EVENT", *["OUTBOX"] * 4]
    outbox = {i["kind"] for i in items if i["item_type"] == "outbox"}
    assert outbox == {"acknowledgement", "team_alert", "schedule_checks", "advocacy_referral"}
    checks = [i for i in items if i["item_type"] == "check"]
    assert all(i["GSI1PK"] == keys.DUE_PARTITION for i in checks)


def test_only_the_token_hash_is_stored_on_the_case(stack: Stack) -> None:
    reference = body_json(post_json(valid_fields()))["reference"]
    case = stack.repository.get_case(reference)
    assert case is not None
    (ack,) = [i for i in stack.repository.outbox_items(reference) if i["kind"] == "acknowledgement"]
    token = ack["token"]  # held only until the acknowledgement is sent
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    from complaints.service.tokens import hash_token

    assert case.token_hash == hash_token(token)
    case_item = next(i for i in table_items(stack) if i["SK"] == "CASE")
    assert token not in str(case_item)


def test_same_submission_id_and_answers_return_the_first_receipt(stack: Stack) -> None:
    submission_id = str(uuid.uuid4())
    first = body_json(post_json(valid_fields(submission_id=submission_id)))
    again = body_json(post_json(valid_fields(submission_id=submission_id)))
    assert again == first
    assert cases_in(stack) == [first["reference"]]


def test_same_submission_id_with_other_answers_is_refused_with_the_first_receipt(
    stack: Stack,
) -> None:
    submission_id = str(uuid.uuid4())
    first = receive(submission(submission_id=submission_id), stack.repository, now=T0)
    with pytest.raises(SubmissionReusedError) as reused:
        receive(submission(submission_id=submission_id, details="Edited"), stack.repository, now=T0)
    assert reused.value.first == first.receipt
    assert cases_in(stack) == [first.receipt.reference]


def test_same_content_without_submission_id_within_ten_minutes_is_one_case(stack: Stack) -> None:
    repository = stack.repository
    first = receive(submission(), repository, now=T0)
    again = receive(submission(), repository, now=T0 + timedelta(minutes=9, seconds=59))
    assert again.repeat
    assert again.receipt == first.receipt
    later = receive(submission(), repository, now=T0 + timedelta(minutes=10, seconds=1))
    assert not later.repeat
    assert later.receipt.reference != first.receipt.reference
    assert len(cases_in(stack)) == 2


def test_repeated_form_post_redirects_to_the_same_reference(stack: Stack) -> None:
    first = post_form(valid_fields())["headers"]["Location"]
    again = post_form(valid_fields())["headers"]["Location"]
    assert first == again
    assert len(cases_in(stack)) == 1


def test_different_content_is_a_different_case(stack: Stack) -> None:
    one = body_json(post_json(valid_fields()))["reference"]
    two = body_json(post_json(valid_fields(details="Another matter entirely")))["reference"]
    assert one != two


def test_a_reference_already_taken_is_never_overwritten(stack: Stack) -> None:
    repository = stack.repository
    first = receive(submission(), repository, now=T0)
    clash = build_case(
        submission(details="Someone else's complaint", email="other@example.com"),
        triage(submission(), load_settings()),
        reference=first.receipt.reference,
        token="another-token",
        now=T0 + timedelta(seconds=5),
        channel="json",
    )
    with pytest.raises(ReferenceTakenError):
        repository.create_case(clash)
    kept = repository.get_case(first.receipt.reference)
    assert kept is not None
    assert kept.complainant.email == "sam.parent@example.com"
    assert len(repository.events(first.receipt.reference)) == 1
    # nothing of the refused write landed: not its repeat-detection item either
    assert not [i for i in table_items(stack) if i["PK"] == keys.content_pk(clash.content_hash)]


def test_reference_collision_draws_a_new_reference(
    stack: Stack, monkeypatch: pytest.MonkeyPatch, aws_calls: list[tuple[str, str]]
) -> None:
    repository = stack.repository
    taken = receive(submission(), repository, now=T0).receipt.reference
    fresh = new_reference()
    drawn = iter([taken, fresh])
    monkeypatch.setattr(intake, "new_reference", lambda: next(drawn))
    aws_calls.clear()
    result = receive(submission(details="A second complaint"), repository, now=T0)
    assert result.receipt.reference == fresh
    assert aws_calls == [("dynamodb", "TransactWriteItems")] * 2
    assert cases_in(stack) == sorted([taken, fresh])


def test_references_are_unique_and_readable(stack: Stack) -> None:
    references = [
        body_json(post_json(valid_fields(details=f"Complaint number {n}")))["reference"]
        for n in range(25)
    ]
    assert len(set(references)) == 25
    for reference in references:
        assert len(reference) == 9
        assert reference[4] == "-"
        assert not set(reference) & set("0O1IL5S2Z8BUV")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (valid_fields(), [("dynamodb", "TransactWriteItems")]),
        (valid_fields(website="spam"), []),
        (valid_fields(email=None), []),
    ],
)
def test_submit_path_makes_at_most_two_aws_calls(
    stack: Stack, aws_calls: list[tuple[str, str]], fields: dict[str, str], expected: list[object]
) -> None:
    aws_calls.clear()
    post_json(fields)
    assert aws_calls == expected


def test_a_repeat_costs_one_aws_call(stack: Stack, aws_calls: list[tuple[str, str]]) -> None:
    submission_id = str(uuid.uuid4())
    post_json(valid_fields(submission_id=submission_id))
    aws_calls.clear()
    post_json(valid_fields(submission_id=submission_id))  # same id
    post_form(valid_fields())  # same content, no id
    assert aws_calls == [("dynamodb", "TransactWriteItems")] * 2


def test_cases_are_found_by_status_and_by_financial_year(stack: Stack) -> None:
    repository = stack.repository
    march = receive(submission(), repository, now=datetime(2025, 3, 31, 22, 30, tzinfo=UTC))
    april = receive(  # 00:30 on 1 April in London (BST): the next financial year
        submission(details="Later"), repository, now=datetime(2025, 3, 31, 23, 30, tzinfo=UTC)
    )
    assert [c.reference for c in repository.cases_received_in(2024)] == [march.receipt.reference]
    assert [c.reference for c in repository.cases_received_in(2025)] == [april.receipt.reference]
    from complaints.models import CaseStatus

    assert len(repository.list_cases([CaseStatus.OPEN])) == 2
    assert repository.list_cases([CaseStatus.CLOSED]) == []
