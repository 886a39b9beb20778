"""Every email to a complainant, in plain words: made by the real lifecycle (each change that
writes to the complainant), rendered by the real templates, and read with the guide's own
readability counter (``tests/browser/readability.py``) at the guide's own levels (grade 7,
15 words a sentence; grade 5 for a child, like the children's page). Each says what happened,
what happens next, and how to get help; none cites a regulation or promises something already
done; each carries the complainant's link, with words saying who may see it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from complaints.clock import add_working_days
from complaints.models import Case
from complaints.service.lifecycle import (
    Transition,
    acknowledge,
    answer_recommendation,
    complete_recommendation,
    decide_late_complaint,
    decide_late_request,
    decide_proceedings,
    decide_sufficient_interest,
    extend,
    hold,
    recommend,
    request_next_stage,
    respond,
    resume,
)
from complaints.service.lifecycle.eligibility import decisions_waiting
from complaints.service.messages.render import (
    Email,
    acknowledgement,
    notice,
    saved_answers,
)
from complaints.service.messages.subjects import email_context, template_name
from complaints.service.selfservice import issue_links
from complaints.settings import load_settings
from complaints.submission import Relationship
from complaints.templating import TEMPLATES
from tests.browser.readability import grade
from tests.unit.lifecycle_fixtures import LETTER, act, new_case

# Emails to staff and other services (the console's and the delivery work's): not to a family.
TO_STAFF = {
    "team_alert",
    "safeguarding_alert",
    "advocacy_referral",
    "notice_reminder",
    "notice_overdue_alert",
    "notice_decision_reminder",
    "notice_acknowledgement_due",
    "notice_hold_review_due",
    "notice_recommendation_overdue",
    "notice_stage_requested_team",
    "notice_delivery_failed",
    "notice_delivery_failed_staff",
}
ADULT_GRADE, CHILD_GRADE, MOST_WORDS = 7.0, 5.0, 15.0
REGULATION = re.compile(
    r"\b(?:SI \d{4}/\d+|reg(?:ulation)?s? \d+|s\d+[A-Z]?\b|sections? \d+|ss\d+|"
    r"Children Act \d{4}|Act 19\d\d)",
)
DAY = date(2025, 1, 6)  # a Monday
PLAIN = "We did not tell you about the meeting in time."


@dataclass(frozen=True)
class Sent:
    name: str  # the template
    email: Email
    child: bool


def _complainant_notices(case: Case, transition: Transition) -> Iterator[Sent]:
    linked = issue_links(transition)
    settings = load_settings()
    for item in linked.notices:
        if tuple(item.to) != (case.complainant.email,):
            continue
        name = template_name(item)
        context = email_context(item, case.reference)
        email = notice(linked.case, name, item.to, context, settings, token=item.token)
        child = case.complainant.relationship is Relationship.CHILD_OR_YOUNG_PERSON
        yield Sent(name, email, child)


def _walk(relationship: Relationship) -> Iterator[Sent]:
    """A case through every change that writes to the complainant."""
    case = new_case(DAY, relationship=relationship)
    steps: list[Transition] = []

    def do(transition: Transition) -> Case:
        steps.append(transition)
        return transition.case

    case = do(
        acknowledge(case, act(DAY + timedelta(days=1)), summary=PLAIN, outcome_sought="A meeting")
    )
    case = do(
        extend(case, 20, "We need to talk to the foster carer first.", act(DAY + timedelta(days=2)))
    )
    case = do(
        hold(case, act(DAY + timedelta(days=3)), grounds="court_proceedings", reason="internal")
    )
    case = do(resume(case, act(DAY + timedelta(days=4))))
    case = do(
        decide_proceedings(
            case,
            act(DAY + timedelta(days=5)),
            hold=False,
            grounds="police_investigation",
            reasons="The police told us it will not affect their work.",
        )
    )
    day = DAY + timedelta(days=8)
    case = do(
        respond(
            case,
            "partly_upheld",
            act(day),
            letter=LETTER,
        )
    )
    case = do(request_next_stage(case, act(day + timedelta(days=1)), reason="I am still unhappy."))
    case = do(
        recommend(
            case,
            "Write to the family each month.",
            "jo@example.gov.uk",
            day + timedelta(days=60),
            act(day + timedelta(days=2)),
        )
    )
    case = do(
        answer_recommendation(
            case,
            "2.1",
            act(day + timedelta(days=3)),
            accept=True,
            action="A monthly letter",
            due_on=day + timedelta(days=60),
        )
    )
    case = do(
        respond(
            case,
            "upheld",
            act(day + timedelta(days=4)),
            letter=LETTER,
        )
    )
    case = do(complete_recommendation(case, "2.1", act(day + timedelta(days=5))))
    for transition in steps:
        yield from _complainant_notices(transition.case, transition)


def _late_request(accept: bool) -> Iterator[Sent]:
    case = new_case(DAY)
    answered = respond(
        case,
        "not_upheld",
        act(DAY + timedelta(days=3)),
        letter=LETTER,
    ).case
    late = add_working_days(DAY + timedelta(days=3), 40)
    asked = request_next_stage(answered, act(late))
    yield from _complainant_notices(answered, asked)
    decided = decide_late_request(
        asked.case, act(late + timedelta(days=1)), accept=accept, reasons=PLAIN
    )
    yield from _complainant_notices(asked.case, decided)


def _eligibility(kind: str, accept: bool) -> Iterator[Sent]:
    relationship = Relationship.OTHER if kind == "sufficient_interest" else Relationship.PARENT
    case = new_case(DAY, relationship=relationship)
    happened = "2022-03" if kind == "late_complaint" else None
    case = case.model_copy(
        update={"decisions": decisions_waiting(case.procedure, DAY, relationship, happened)}
    )
    when = act(DAY + timedelta(days=1))
    if kind == "late_complaint":
        decided = decide_late_complaint(case, when, accept=accept, reasons=PLAIN)
    else:
        decided = decide_sufficient_interest(
            case, when, accept=accept, reasons=PLAIN, child_views="The child wants help."
        )
    yield from _complainant_notices(case, decided)


def _council_late() -> Iterator[Sent]:
    from complaints.clock import start_of_day
    from complaints.service.checks.run import run_check

    case = new_case(DAY)
    check = next(c for c in issue_links_plan(case) if c.kind == "deadline")
    run = run_check(case, check.id, start_of_day(check.due_at.date(), 10))
    assert run.transition is not None
    yield from _complainant_notices(case, run.transition)


def issue_links_plan(case: Case) -> list:  # type: ignore[type-arg]
    from complaints.service.checks.plan import plan_checks

    return list(plan_checks(case))


def _acknowledgements() -> Iterator[Sent]:
    settings = load_settings()
    for relationship in (Relationship.PARENT, Relationship.CHILD_OR_YOUNG_PERSON):
        for urgent in (False, True):
            for procedure in ("children-act-1989", "corporate"):
                case = new_case(DAY, procedure=procedure, relationship=relationship)
                case = case.model_copy(update={"urgent": urgent})
                email = acknowledgement(case, "a-token", settings)
                yield Sent(
                    "acknowledgement", email, relationship is Relationship.CHILD_OR_YOUNG_PERSON
                )


def _saved() -> Iterator[Sent]:
    item = {
        "to": ["sam@example.org"],
        "token": "a-token",
        "until": "2025-02-03T10:00:00+00:00",
        "reference": "SAVED-1",
    }
    yield Sent("saved_answers", saved_answers(item, load_settings()), False)


def _new_link() -> Iterator[Sent]:
    from complaints.service.lifecycle import new_status_link

    for relationship in (Relationship.PARENT, Relationship.CHILD_OR_YOUNG_PERSON):
        case = new_case(DAY, relationship=relationship)
        linked = new_status_link(case, act(DAY + timedelta(days=1)), token="a-token")
        yield from _complainant_notices(case, linked)


def every_email() -> list[Sent]:
    found: list[Sent] = []
    for relationship in (Relationship.PARENT, Relationship.CHILD_OR_YOUNG_PERSON):
        found += _walk(relationship)
    for accept in (True, False):
        found += _late_request(accept)
        found += _eligibility("late_complaint", accept)
        found += _eligibility("sufficient_interest", accept)
    found += _council_late()
    found += _acknowledgements()
    found += _saved()
    found += _new_link()
    return found


EMAILS = every_email()


def _label(sent: Sent) -> str:
    return f"{sent.name}{'-child' if sent.child else ''}"


def test_every_template_for_a_complainant_is_checked() -> None:
    templates = {p.stem for p in Path(TEMPLATES).glob("*.txt") if not p.stem.startswith("_")}
    templates = {t.removesuffix(".subject") for t in templates}
    assert {sent.name for sent in EMAILS} == templates - TO_STAFF


@pytest.mark.parametrize("sent", EMAILS, ids=_label)
def test_the_email_reads_at_the_guides_level(sent: Sent) -> None:
    level, words = grade(sent.email.text)
    most = CHILD_GRADE if sent.child else ADULT_GRADE
    print(f"{_label(sent)}: grade {level:.1f}, {words:.1f} words a sentence")
    assert level <= most
    assert words <= MOST_WORDS


@pytest.mark.parametrize("sent", EMAILS, ids=_label)
def test_the_email_cites_no_regulation(sent: Sent) -> None:
    assert not REGULATION.findall(sent.email.text)
    assert not REGULATION.findall(re.sub(r"<[^>]+>", " ", sent.email.html))


@pytest.mark.parametrize("sent", EMAILS, ids=_label)
def test_the_email_carries_the_link_and_says_who_may_see_it(sent: Sent) -> None:
    path = "/complaint/resume?" if sent.name == "saved_answers" else "/complaint/progress?"
    assert path in sent.email.text
    assert path in sent.email.html
    assert "anyone with" in sent.email.text.lower()


@pytest.mark.parametrize("sent", EMAILS, ids=_label)
def test_the_email_says_how_to_get_help(sent: Sent) -> None:
    team = load_settings().complaints_team
    corporate = load_settings().corporate_complaints_team
    assert team.phone in sent.email.text or corporate.phone in sent.email.text
