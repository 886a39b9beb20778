"""Every notice the lifecycle and the checks make renders as a plain email (pure: no AWS)."""

from __future__ import annotations

from datetime import date

from complaints.clock import start_of_day
from complaints.models import Case
from complaints.service import lifecycle as lc
from complaints.service.checks.run import due_checks, run_check
from complaints.service.lifecycle import Transition
from complaints.service.messages.notices import Notice
from complaints.service.messages.render import Email, notice
from complaints.service.messages.subjects import SUBJECTS, email_context, template_name
from complaints.settings import load_settings
from tests.unit.lifecycle_fixtures import LETTER, STAFF, act, at, new_case


def _email(case: Case, sent: Notice) -> Email:
    """As the outbox renders it, from the JSON the outbox item stores."""
    from pydantic_core import to_jsonable_python

    context = to_jsonable_python(email_context(sent, case.reference))
    # as the outbox does: the link made from the token kept until sent
    return notice(case, template_name(sent), sent.to, context, load_settings(), token=sent.token)


def _all_notices() -> list[Notice]:
    from complaints.models import Decision

    steps: list[Transition] = []
    case = new_case(date(2025, 1, 6))
    steps.append(lc.extend(case, 15, "We are arranging an advocate", act(date(2025, 1, 8))))
    steps.append(
        lc.hold(case, act(date(2025, 1, 8)), grounds="police_investigation", reason="Police")
    )
    steps.append(lc.resume(steps[-1].case, act(date(2025, 1, 10))))
    steps.append(
        lc.decide_proceedings(
            case, act(date(2025, 1, 8)), hold=False, grounds="other", reasons="No prejudice"
        )
    )
    for check in due_checks(case, start_of_day(date(2025, 1, 21), 1)):
        for when in (start_of_day(date(2025, 1, 16)), start_of_day(date(2025, 1, 21), 1)):
            result = run_check(case, check.id, when)
            if result.transition:
                steps.append(result.transition)
    held = steps[1].case
    review = next(c for c in held.stage.holds[-1:] if c.review_on)
    assert review.review_on is not None
    steps.append(
        run_check(held, f"1#hold#hold_review#{review.review_on}", at(review.review_on)).transition
    )  # type: ignore[arg-type]
    waiting = case.model_copy(deep=True)
    waiting.decisions += [Decision(kind="late_complaint"), Decision(kind="sufficient_interest")]
    steps.append(
        lc.decide_late_complaint(
            waiting, act(date(2025, 1, 8)), accept=False, reasons="Too late to look at fairly"
        )
    )
    steps.append(
        lc.decide_sufficient_interest(
            waiting, act(date(2025, 1, 8)), accept=True, reasons="A grandparent"
        )
    )
    steps.append(lc.acknowledge(case, act(date(2025, 1, 7)), summary="Visits cancelled"))
    case = lc.respond(
        case,
        "not_upheld",
        act(date(2025, 1, 10)),
        letter=LETTER,
    ).case
    steps.append(lc.request_next_stage(case, act(date(2025, 1, 13), by=lc.COMPLAINANT)))
    case = steps[-1].case
    case = lc.recommend(case, "Apologise", STAFF, date(2025, 3, 31), act(date(2025, 2, 3))).case
    case = lc.answer_recommendation(
        case, "2.1", act(date(2025, 2, 3)), accept=True, action="Letter of apology"
    ).case
    case = lc.recommend(case, "Pay £500", STAFF, date(2025, 3, 31), act(date(2025, 2, 3))).case
    case = lc.answer_recommendation(
        case, "2.2", act(date(2025, 2, 3)), accept=False, reasons="Covered by 2.1"
    ).case
    steps.append(
        lc.respond(
            case,
            "partly_upheld",
            act(date(2025, 2, 4)),
            letter=LETTER,
        )
    )
    case = steps[-1].case
    late = lc.request_next_stage(case, act(date(2025, 3, 31), by=lc.COMPLAINANT))
    steps.append(late)
    decision = next(c for c in late.checks if c.kind == "decision_reminder")
    steps.append(run_check(late.case, decision.id, start_of_day(date(2025, 4, 2))).transition)  # type: ignore[arg-type]
    steps.append(
        lc.decide_late_request(late.case, act(date(2025, 4, 2)), accept=True, reasons="Illness")
    )
    steps.append(
        lc.decide_late_request(late.case, act(date(2025, 4, 2)), accept=False, reasons="No reason")
    )
    overdue_rec = next(c for c in late.checks if c.kind == "recommendation_due")
    steps.append(run_check(late.case, overdue_rec.id, start_of_day(date(2025, 4, 2))).transition)  # type: ignore[arg-type]
    steps.append(lc.complete_recommendation(late.case, "2.1", act(date(2025, 4, 3))))
    steps.append(lc.new_status_link(late.case, act(date(2025, 4, 3)), token="new-token"))
    steps += _delivery_failures(new_case(date(2025, 1, 6)))
    return [notice for step in steps for notice in step.notices]


def _delivery_failures(case: Case) -> list[Transition]:
    """An acknowledgement that bounced, and a team alert that could not be sent."""
    from complaints.service.delivery import Report, delivery_transition, message_key

    found: list[Transition] = []
    when = at(date(2025, 1, 6), 11)
    for kind, reason in (("acknowledgement", "bounce"), ("team_alert", "not_sent")):
        sk = f"OUTBOX#{kind}#s1"
        report = Report("ses", message_key(case.reference, sk), "failed", reason, when, "m-1")
        step = delivery_transition(case, report, {"kind": kind, "SK": sk}, sk, when)
        assert step is not None
        found.append(step)
    return found


def test_every_notice_renders_in_text_and_html() -> None:
    notices = _all_notices()
    assert {n.template for n in notices} == set(SUBJECTS)
    case = new_case(date(2025, 1, 6))
    for sent in notices:
        email = _email(case, sent)
        assert case.reference in email.subject
        assert email.to == sent.to
        assert "{{" not in email.text
        assert "<p>" in email.html
        assert "T00:00" not in email.text


def test_dates_read_as_words_and_staff_alerts_hold_no_names() -> None:
    by_template = {n.template: n for n in _all_notices()}
    case = new_case(date(2025, 1, 6))
    late = _email(case, by_template["council_late"])
    assert "Monday 20 January 2025" in late.text
    assert "ask for stage 2 now" in late.text
    assert "Ombudsman" in late.text
    assert late.text.startswith("Dear Sam Example,")
    staff_alerts = (
        "overdue_alert",
        "reminder",
        "recommendation_overdue",
        "decision_reminder",
        "acknowledgement_due",
        "hold_review_due",
    )
    for staff in staff_alerts:
        text = _email(case, by_template[staff]).text
        assert "Sam" not in text
        assert "Alex" not in text
        assert case.details not in text
    answers = _email(case, by_template["responded"]).text
    assert "We accept this. What we will do: Letter of apology" in answers
    assert "We do not accept this, because: Covered by 2.1" in answers


def test_a_new_status_link_email_carries_the_link_and_says_the_old_one_stopped() -> None:
    case = new_case(date(2025, 1, 6))
    step = lc.new_status_link(case, act(date(2025, 1, 8)), token="fresh-token-123")
    sent = step.notices[0]
    assert sent.token == "fresh-token-123"
    assert "fresh-token-123" not in str(email_context(sent, case.reference))  # never stored
    email = _email(step.case, sent)
    assert "token=fresh-token-123" in email.text
    assert "no longer works" in email.text
    assert step.case.token_hash != case.token_hash


def test_html_is_escaped() -> None:
    case = new_case(date(2025, 1, 6))
    hostile = lc.extend(case, 15, "<script>x</script>", act(date(2025, 1, 8)))
    email = _email(case, hostile.notices[0])
    assert "<script>" not in email.html
    assert "&lt;script&gt;" in email.html


def test_the_hold_email_says_what_stopped_the_clock_in_plain_words() -> None:
    held = lc.hold(
        new_case(date(2025, 1, 6)),
        act(date(2025, 1, 8)),
        grounds="police_investigation",
        reason="DC Smith, case 123",
    )
    email = _email(held.case, held.notices[0])
    assert "police are investigating" in email.text
    assert "time limit for our answer has stopped" in email.text
    assert "DC Smith" not in email.text  # the internal reason stays with staff
    assert "Wednesday 5 February 2025" in email.text  # reviewed 20 working days on


def test_a_late_stage_2_email_offers_the_ombudsman_not_stage_3() -> None:
    by_template = {n.template: n for n in _all_notices() if n.template == "council_late"}
    case = new_case(date(2025, 1, 6))
    stage_1 = _email(case, by_template["council_late"]).text
    assert "ask for stage 2 now" in stage_1
