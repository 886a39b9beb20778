"""The action x status table (``data/actions.yaml``): every pair either succeeds or gives the
table's plain-English refusal, and nothing else decides which action is allowed where."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

import pytest

from complaints.clock import LONDON
from complaints.datafiles import DataFileError
from complaints.models import Case, CaseStatus, Decision, Undelivered
from complaints.service import lifecycle as lc
from complaints.service.lifecycle import Action, Transition, TransitionError
from complaints.service.lifecycle.table import (
    allowed_actions,
    is_allowed,
    load_table,
    refusal,
    rule,
)
from tests.unit.lifecycle_fixtures import LETTER, STAFF, act, new_case


def _stage_2_with_an_accepted_recommendation() -> Case:
    case = lc.respond(
        new_case(date(2025, 1, 6)),
        "not_upheld",
        act(date(2025, 1, 10)),
        letter=LETTER,
    ).case
    case = lc.request_next_stage(case, act(date(2025, 1, 13), by=lc.COMPLAINANT)).case
    case = lc.recommend(case, "Apologise", STAFF, date(2025, 6, 30), act(date(2025, 1, 20))).case
    return lc.answer_recommendation(
        case, "2.1", act(date(2025, 1, 21)), accept=True, action="Apology letter"
    ).case


def _in(status: CaseStatus) -> Case:
    """One case in each status, at stage 2 with an accepted recommendation, so that every
    action the table allows there can succeed."""
    case = _stage_2_with_an_accepted_recommendation()
    if status is CaseStatus.OPEN:
        return case
    if status is CaseStatus.ON_HOLD:
        return lc.hold(case, act(date(2025, 1, 22)), grounds="other", reason="x").case
    case = lc.respond(
        case,
        "upheld",
        act(date(2025, 1, 23)),
        letter=LETTER,
    ).case
    if status is CaseStatus.RESPONDED:
        return case
    if status is CaseStatus.AWAITING_DECISION:
        return lc.request_next_stage(case, act(date(2025, 3, 3), by=lc.COMPLAINANT)).case
    return lc.close(case, act(date(2025, 1, 24))).case


def _day(case: Case) -> date:
    assert case.last_action is not None
    return case.last_action.at.date()


Invoke = Callable[[Case, date], Transition]

INVOKE: dict[Action, Invoke] = {
    Action.ACKNOWLEDGE: lambda c, d: lc.acknowledge(c, act(d), summary="What it is about"),
    Action.ASSIGN: lambda c, d: lc.assign(c, STAFF, act(d)),
    Action.ROLES: lambda c, d: lc.assign_roles(c, {"investigating_officer": "A. Officer"}, act(d)),
    Action.EXTEND: lambda c, d: lc.extend(c, 30, "complex", act(d)),
    Action.HOLD: lambda c, d: lc.hold(c, act(d), grounds="court_proceedings", reason="x"),
    Action.RESUME: lambda c, d: lc.resume(c, act(d)),
    Action.DECIDE_PROCEEDINGS: lambda c, d: lc.decide_proceedings(
        c, act(d), hold=False, grounds="other", reasons="No prejudice"
    ),
    Action.DECIDE_LATE_COMPLAINT: lambda c, d: lc.decide_late_complaint(
        c, act(d), accept=True, reasons="Good reason"
    ),
    Action.DECIDE_SUFFICIENT_INTEREST: lambda c, d: lc.decide_sufficient_interest(
        c, act(d), accept=True, reasons="Grandparent who cares for the child"
    ),
    Action.RECORD_MILESTONE: lambda c, d: lc.record_milestone(c, "panel_meeting", act(d)),
    Action.RECOMMEND: lambda c, d: lc.recommend(c, "Train staff", STAFF, date(2025, 9, 30), act(d)),
    Action.ANSWER_RECOMMENDATION: lambda c, d: lc.answer_recommendation(
        c, "2.1", act(d), accept=False, reasons="Already done"
    ),
    Action.RESPOND: lambda c, d: lc.respond(c, "upheld", act(d), letter=LETTER),
    Action.ESCALATE: lambda c, d: lc.request_next_stage(c, act(d, by=lc.COMPLAINANT)),
    Action.DECIDE_LATE_REQUEST: lambda c, d: lc.decide_late_request(
        c, act(d), accept=True, reasons="Illness"
    ),
    Action.COMPLETE_RECOMMENDATION: lambda c, d: lc.complete_recommendation(c, "2.1", act(d)),
    Action.OMBUDSMAN: lambda c, d: lc.record_ombudsman(c, act(d), referred_on=d),
    Action.ADVOCACY: lambda c, d: lc.record_advocacy(c, True, act(d)),
    Action.NEW_LINK: lambda c, d: lc.new_status_link(c, act(d), token="a-new-token"),
    Action.RECORD_REFERRAL: lambda c, d: lc.record_referral(
        c, act(d), action_taken="Strategy discussion held"
    ),
    Action.RECORD_CONTACT: lambda c, d: lc.record_contact(c, act(d), how="phone"),
    Action.CLOSE: lambda c, d: lc.close(c, act(d), reason="Withdrawn by phone", withdrawn=True),
    Action.NOTE: lambda c, d: lc.add_note(c, act(d), text="Mum called: the visit is <b>off</b>"),
    Action.RECORD_CALL: lambda c, d: lc.record_call(c, act(d), summary="Agreed the complaint"),
    Action.MARK_LETTER_POSTED: lambda c, d: lc.mark_letter_posted(
        c, act(d), letter_id="notice#v3-held", kind="notice_held"
    ),
    Action.SEND_RESPONSE_AGAIN: lambda c, d: lc.send_response_again(c, act(d)),
    Action.EXPORT: lambda c, d: lc.record_export(c, act(d), purpose="Ombudsman enquiry"),
}


def _ready(action: Action, status: CaseStatus) -> tuple[Case, date]:
    """The status's case, made ready for ``action``'s own rule where it needs more than the
    status (a decision waiting, a stage with panel dates, a late stage 1)."""
    case = _in(status)
    if action is Action.RECORD_REFERRAL:
        case.urgent = True  # only an urgent case has a referral (service rule, tested apart)
    if action in (Action.DECIDE_LATE_COMPLAINT, Action.DECIDE_SUFFICIENT_INTEREST):
        kind = "late_complaint" if action is Action.DECIDE_LATE_COMPLAINT else "sufficient_interest"
        case.decisions.append(Decision(kind=kind))
    if action is Action.RECORD_MILESTONE:
        case = lc.request_next_stage(_in(CaseStatus.RESPONDED), act(date(2025, 1, 27))).case
    if action is Action.RECORD_CONTACT:  # an email to the family failed the day before
        failed_at = datetime.combine(_day(case), time(9), LONDON)
        case.undelivered.append(
            Undelivered(message="notice#x", kind="notice_x", failed_at=failed_at, reason="bounce")
        )
    if action is Action.ESCALATE and status is CaseStatus.OPEN:
        return new_case(date(2025, 1, 6)), date(2025, 1, 21)  # stage 1 missed 20 January
    return case, _day(case)


PAIRS = [(action, status) for action in Action for status in CaseStatus]


def test_every_action_has_a_way_to_be_tried() -> None:
    assert set(INVOKE) == set(Action)


@pytest.mark.parametrize(("action", "status"), PAIRS, ids=[f"{a}-{s}" for a, s in PAIRS])
def test_each_action_in_each_status_succeeds_or_gives_the_tables_refusal(
    action: Action, status: CaseStatus
) -> None:
    if is_allowed(action, status):
        case, day = _ready(action, status)
        step = INVOKE[action](case, day)
        assert step.events, f"{action} in {status} recorded nothing"
        return
    case = _in(status)
    case.urgent = True
    with pytest.raises(TransitionError) as refused:
        INVOKE[action](case, _day(case))
    said = str(refused.value)
    assert said == refusal(case, action)
    assert rule(action).verb in said
    assert "{" not in said
    assert said.endswith(".")


def test_the_refusal_names_the_facts_of_the_case() -> None:
    closed = _in(CaseStatus.CLOSED)
    assert refusal(closed, Action.EXTEND) == (
        f"Case {closed.reference} was closed on 24 January 2025, so you cannot extend the deadline."
    )
    held = _in(CaseStatus.ON_HOLD)
    assert refusal(held, Action.RESPOND) == (
        "Stage 2 is on hold since 22 January 2025: resume it before you record the response."
    )


def test_allowed_actions_follow_the_table_and_the_role() -> None:
    case = new_case()
    everything = allowed_actions(case)
    assert Action.RESPOND in everything
    assert Action.RESUME not in everything
    officer = allowed_actions(case, "officer")
    assert Action.RESPOND in officer
    assert Action.CLOSE not in officer  # closing is a manager's decision
    assert Action.CLOSE in allowed_actions(case, "manager")
    assert allowed_actions(case, "auditor") == []


def test_every_label_starts_with_a_verb_a_button_can_carry() -> None:
    for action in Action:
        label = rule(action).label
        assert label[0].isupper(), label
        assert not label.endswith("."), label


def test_a_table_without_every_action_is_refused_naming_what_is_missing(tmp_path: Path) -> None:
    text = (Path(lc.table.ACTIONS_FILE)).read_text(encoding="utf-8")
    broken = tmp_path / "actions.yaml"
    broken.write_text(text.replace("  advocacy:\n", "  advocacy_gone:\n"), encoding="utf-8")
    with pytest.raises(DataFileError, match="advocacy_gone"):
        load_table(broken)
    broken.write_text(text.replace("statuses: [on_hold]", "statuses: [asleep]"), encoding="utf-8")
    with pytest.raises(DataFileError, match="statuses"):
        load_table(broken)
    broken.write_text(text.replace('  closed: "Case', '  shut: "Case'), encoding="utf-8")
    with pytest.raises(DataFileError, match="refusals"):
        load_table(broken)
    broken.write_text(text.replace("    label: Resume\n", ""), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"actions\.resume\.label"):
        load_table(broken)
