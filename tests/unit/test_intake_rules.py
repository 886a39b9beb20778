"""Pure rules of intake: references, tokens, triage, check times, emails, stream filters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from complaints.adapters.keys import OUTBOX_STREAM_FILTER
from complaints.models import Case, CaseStatus, Child, Complainant, StageRecord
from complaints.service.case_view import is_overdue
from complaints.service.checks.plan import plan_checks, schedule_name
from complaints.service.messages import render as messages
from complaints.service.references import ALPHABET, is_reference, new_reference, normalise_reference
from complaints.service.tokens import hash_token, new_token, token_matches
from complaints.service.triage import safety_advice, triage
from complaints.settings import load_settings
from complaints.submission import Relationship, Submission, parse_submission
from complaints_tools.local.schedules import fire_time
from complaints_tools.local.streams import accepted
from complaints_tools.local.template import Resolver

SETTINGS = load_settings()


def submission(**changes: Any) -> Submission:
    fields = {
        "complainant_name": "Sam Parent",
        "email": "sam@example.com",
        "relationship": "parent",
        "child_name": "Alex",
        "details": "Details",
    }
    fields.update(changes)
    parsed = parse_submission({k: v for k, v in fields.items() if v is not None})
    assert isinstance(parsed, Submission)
    return parsed


def case(
    *, relationship: Relationship = Relationship.PARENT, started: date = date(2025, 5, 23)
) -> Case:
    return Case(
        reference="KX7F-3QTM",
        procedure="children-act-1989",
        received_at=datetime(2025, 5, 23, 15, 30, tzinfo=UTC),
        received_on=started,
        complainant=Complainant(
            name="Sam <b>Parent</b>", email="sam@example.com", relationship=relationship
        ),
        child=Child(name="Alex"),
        details="Details",
        token_hash=hash_token("t"),
        stages=[StageRecord(number=1, started_on=started)],
    )


def test_references_use_no_look_alike_characters() -> None:
    assert not set(ALPHABET) & set("0O1IL5S2Z8BUVAEIOU")
    for _ in range(200):
        reference = new_reference()
        assert is_reference(reference)
        assert normalise_reference(reference.lower().replace("-", " ")) == reference


def test_references_are_random_not_sequential() -> None:
    drawn = [new_reference() for _ in range(2000)]
    assert len(set(drawn)) == len(drawn)
    assert sorted(drawn) != drawn


@pytest.mark.parametrize("text", ["", "ABCD-EFGH", "KX7F3QT", "KX7F-3QTM-1", "K0O1-3QTM"])
def test_not_references(text: str) -> None:
    assert normalise_reference(text) is None


def test_tokens_have_at_least_128_random_bits_and_only_hashes_match() -> None:
    token = new_token()
    assert len(token) * 6 >= 256  # URL-safe base64: 6 bits a character
    assert new_token() != token
    stored = hash_token(token)
    assert token not in stored
    assert token_matches(token, stored)
    assert not token_matches(token + "x", stored)


def test_triage_follows_the_council_service_areas() -> None:
    assert triage(submission(service_area="education_send"), SETTINGS).procedure == "corporate"
    assert triage(submission(), SETTINGS).procedure == "children-act-1989"
    decided = triage(submission(child_in_danger="yes"), SETTINGS)
    assert decided.urgent
    assert decided.team_email == SETTINGS.complaints_team.email


def test_safety_advice_names_999_and_the_front_door() -> None:
    advice = safety_advice(SETTINGS)
    door = SETTINGS.council.children_services_front_door
    assert "call 999" in advice
    assert door.phone in advice
    assert door.out_of_hours_phone in advice


def test_checks_for_a_friday_before_a_bank_holiday() -> None:
    checks = plan_checks(case())
    assert [(c.id, c.due_at.isoformat()) for c in checks] == [
        # acknowledge by 29 May: 3 working days after Friday 23 May (26 May is a bank holiday)
        ("1#acknowledgement#acknowledgement#2025-05-29", "2025-05-29T08:00:00+00:00"),
        ("1#response#reminder#2025-06-05", "2025-06-05T08:00:00+00:00"),  # 09:00 London
        ("1#response#deadline#2025-06-09", "2025-06-09T23:00:00+00:00"),  # 00:00 on the 10th
    ]
    assert schedule_name("KX7F-3QTM", checks[1]) == "KX7F-3QTM-1-response-reminder-2025-06-05"


def test_acknowledgement_for_a_child_says_the_advocate_right_plainly() -> None:
    child = case(relationship=Relationship.CHILD_OR_YOUNG_PERSON)
    email = messages.acknowledgement(child, "secret-token", SETTINGS)
    assert "YOU CAN HAVE AN ADVOCATE" in email.text
    assert "someone who is on your side" in email.text
    assert SETTINGS.advocacy_service.phone in email.text
    assert "Monday 9 June 2025" in email.text  # respond by, from the clock
    assert "KX7F-3QTM" in email.subject
    assert "token=secret-token" in email.text
    assert SETTINGS.ombudsman.name in email.text


def test_html_emails_escape_what_people_typed() -> None:
    email = messages.acknowledgement(case(), "t", SETTINGS)
    assert "Sam &lt;b&gt;Parent&lt;/b&gt;" in email.html
    assert "<b>Parent</b>" not in email.html
    assert "Sam <b>Parent</b>" in email.text  # plain text is not HTML


def test_team_alert_carries_no_names_and_no_complaint() -> None:
    email = messages.team_alert(case(), SETTINGS, "team@example.gov.uk")
    for private in ("Sam", "sam@example.com", "Alex", "Details"):
        assert private not in email.text
        assert private not in email.html
    assert "Monday 9 June 2025" in email.text


def test_overdue_only_when_open_and_past_respond_by() -> None:
    open_case = case()
    assert not is_overdue(open_case, date(2025, 6, 9))
    assert is_overdue(open_case, date(2025, 6, 10))
    open_case.status = CaseStatus.ON_HOLD
    assert not is_overdue(open_case, date(2025, 6, 10))


def test_stream_filter_keeps_only_new_outbox_items() -> None:
    def record(event: str, item_type: str) -> dict[str, Any]:
        return {"eventName": event, "dynamodb": {"NewImage": {"item_type": {"S": item_type}}}}

    assert accepted(record("INSERT", "outbox"), [OUTBOX_STREAM_FILTER])
    assert not accepted(record("MODIFY", "outbox"), [OUTBOX_STREAM_FILTER])
    assert not accepted(record("INSERT", "case"), [OUTBOX_STREAM_FILTER])


def test_one_time_schedule_fire_time_is_read_in_its_time_zone() -> None:
    when = fire_time(
        {
            "ScheduleExpression": "at(2025-06-05T09:00:00)",
            "ScheduleExpressionTimezone": "Europe/London",
        }
    )
    assert when is not None
    assert when.astimezone(UTC).hour == 8
    assert fire_time({"ScheduleExpression": "rate(1 day)"}) is None


def test_template_values_resolve_to_local_names() -> None:
    template = {
        "Parameters": {"MailFrom": {"Type": "String", "Default": "no-reply@example.gov.uk"}},
        "Resources": {"Fn": {"Type": "AWS::Serverless::Function"}, "Group": {"Type": "X"}},
    }
    resolver = Resolver(template, "stack", "eu-west-2", names={"Group": "stack-checks"})
    assert resolver.resolve({"Ref": "MailFrom"}) == "no-reply@example.gov.uk"
    assert resolver.resolve({"Ref": "Group"}) == "stack-checks"
    assert resolver.resolve({"Fn::Sub": "${AWS::StackName}-x"}) == "stack-x"
    assert resolver.resolve({"Fn::GetAtt": ["Fn", "Arn"]}).endswith(":function:stack-Fn")
    assert resolver.resolve({"Fn::ImportValue": "x"}) is None


def test_stream_handler_and_filter_come_from_the_template() -> None:
    from complaints_tools.local.template import stream_filters

    template = {
        "Resources": {
            "ComplaintsTable": {"Type": "AWS::DynamoDB::Table"},
            "OutboxFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "complaints.handlers.outbox.handler",
                    "Events": {
                        "Stream": {
                            "Type": "DynamoDB",
                            "Properties": {
                                "Stream": {"Fn::GetAtt": ["ComplaintsTable", "StreamArn"]},
                                "FilterCriteria": {
                                    "Filters": [
                                        {"Pattern": '{"eventName": ["INSERT"]}'},
                                    ]
                                },
                            },
                        }
                    },
                },
            },
        }
    }
    handler, patterns = stream_filters(template, "ComplaintsTable")
    assert handler == "complaints.handlers.outbox.handler"
    assert patterns == [{"eventName": ["INSERT"]}]
    assert stream_filters(template, "OtherTable")[1] == []


# --- decisions a complaint waits for (reg 9(2); s26(3)(e)) ------------------------------------


def _build(**changes: Any) -> Case:
    from complaints.service.intake import build_case

    filed = submission(**changes)
    return build_case(
        filed,
        triage(filed, SETTINGS),
        reference="KX7F-3QTM",
        token="t",
        now=datetime(2025, 5, 23, 10, tzinfo=UTC),
        channel="json",
    ).case


def test_a_complaint_about_something_over_12_months_ago_waits_for_a_decision() -> None:
    # Received 23 May 2025. April 2024 ended more than 12 months before; May 2024 did not.
    assert [d.kind for d in _build(happened_month=4, happened_year=2024).decisions] == [
        "late_complaint"
    ]
    assert _build(happened_month=5, happened_year=2024).decisions == []
    assert _build().decisions == []  # they did not say when: no question to decide


def test_someone_outside_the_listed_groups_waits_for_a_sufficient_interest_decision() -> None:
    found = _build(relationship="other", connection="I am his grandmother").decisions
    assert [(d.kind, d.decision) for d in found] == [("sufficient_interest", None)]
    assert _build(relationship="foster_carer").decisions == []


def test_the_time_limit_runs_to_the_end_of_the_month_a_year_on() -> None:
    from complaints.procedures import get_procedure
    from complaints.service.lifecycle.eligibility import time_limit_ends

    children = get_procedure("children-act-1989")
    assert time_limit_ends(children, "2024-02") == date(2025, 2, 28)
    assert time_limit_ends(children, "2023-02") == date(2024, 2, 29)  # a leap year
    assert time_limit_ends(children, "2024-12") == date(2025, 12, 31)


def test_the_receipt_says_a_decision_comes_first_when_one_is_waiting() -> None:
    late = _build(happened_month=1, happened_year=2023)
    email = messages.acknowledgement(late, "secret-token", SETTINGS)
    assert "more than a year ago" in email.text
    assert "more than a year ago" in email.html
    assert "more than a year ago" not in messages.acknowledgement(_build(), "t", SETTINGS).text
    other = _build(relationship="other", connection="Grandmother")
    assert "ask the child what they think" in messages.acknowledgement(other, "t", SETTINGS).text
