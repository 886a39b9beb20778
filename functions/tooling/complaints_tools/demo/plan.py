"""The plan of one demo case: every choice made for it, drawn from the case's own random
stream before anything is played, so a case does not change when others do, nor when
``today`` moves on (only how far it has got changes).

A plan says who complains and what happens at each stage, in working days (``clock``) from
the anchor each field names: the stage's start (the receipt, or the request for the stage),
its response, or the missed deadline. It keeps its own order (nothing is planned before what
it needs: a response after the acknowledgement, the decisions and any hold); ``play`` turns it
into lifecycle transitions and escalation checks. Timescales come from the procedure data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from complaints.clock import LONDON, is_working_day, received_on
from complaints.procedures import Procedure, Stage, get_procedure
from complaints.service.deadlines import acknowledgement_days
from complaints.service.intake import Channel
from complaints.service.lifecycle import decisions_waiting
from complaints.settings import load_settings
from complaints.submission import Relationship, Submission
from complaints_tools.demo import shape


@dataclass(frozen=True)
class Decide:
    """A decision with reasons, ``after`` working days from when it was asked for (the
    receipt, or the late request)."""

    after: int
    accept: bool
    reasons: str
    child_views: str | None = None


@dataclass(frozen=True)
class HoldPlan:
    after: int  # from the stage's start, before its deadline
    days: int  # working days on hold
    grounds: str
    by_decision: bool  # started and ended by a decision on proceedings (else hold / resume)
    reviewed: bool  # longer than the review period: at the review the hold goes on


@dataclass(frozen=True)
class ExtensionPlan:
    on: int  # from the stage's start, before the deadline in force
    to: int  # working days the stage may take
    grounds: str


@dataclass(frozen=True)
class RecommendationPlan:
    text: str
    owner: str
    due_after: int  # from the response
    accept: bool
    done_after: int | None  # from the response; None: not done


@dataclass(frozen=True)
class RequestPlan:
    """The complainant asks for the next stage ``after`` working days from the response (or
    from the missed deadline of a stage nobody answered)."""

    after: int
    late: bool
    decision: Decide | None  # a late request's decision


@dataclass(frozen=True)
class StagePlan:
    number: int
    handler: str  # owns the stage and answers it
    assign_after: int | None  # make ``handler`` the case owner (None: already is)
    acknowledge_after: int
    how: str
    summary: str
    roles_after: int
    roles: dict[str, str]
    proceed_after: int | None  # decide to go on while proceedings run
    hold: HoldPlan | None
    extension: ExtensionPlan | None
    panel: tuple[int, ...]  # days between the milestones before the response (stage 3)
    answer_after: int | None  # clock working days to the response; None: never answered
    outcome: str
    themes: tuple[str, ...]
    learning: str | None
    corrective_actions: tuple[str, ...]
    compensation_pence: int
    recommendations: tuple[RecommendationPlan, ...]
    request: RequestPlan | None
    close_gap: int  # working days after the request window ends (or the response)

    @property
    def last_step(self) -> int:
        """The latest staff step before any response, from the stage's start."""
        return max(self.acknowledge_after, self.roles_after if self.roles else 0)


@dataclass(frozen=True)
class OmbudsmanPlan:
    after: int  # from the end of the procedure (or the missed deadline)
    decided_after: int
    outcome: str
    compensation_pence: int


@dataclass(frozen=True)
class CasePlan:
    reference: str
    received_at: datetime
    submission: Submission
    channel: Channel
    token: str
    advocacy_after: int | None
    late_complaint: Decide | None
    sufficient_interest: Decide | None
    withdraw_after: int | None
    ombudsman: OmbudsmanPlan | None
    stages: tuple[StagePlan, ...]

    @property
    def refused(self) -> bool:
        """An eligibility decision refuses the complaint (the case closes there)."""
        decisions = (self.late_complaint, self.sufficient_interest)
        return any(d is not None and not d.accept for d in decisions)


def weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _months_before(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - months
    return index // 12, index % 12 + 1


def _submission(rng: random.Random, procedure: Procedure, day: date) -> Submission:
    """A complaint from an obviously fictional person (``example.org`` addresses)."""
    statutory = procedure.statutory
    relationship = (
        Relationship(weighted(rng, tuple((r.value, w) for r, w in shape.RELATIONSHIP_WEIGHTS)))
        if statutory
        else Relationship.PARENT
    )
    first, last = rng.choice(shape.FIRST_NAMES), rng.choice(shape.SURNAMES)
    by_child = relationship is Relationship.CHILD_OR_YOUNG_PERSON
    from_child = by_child or relationship is Relationship.CARE_LEAVER
    areas = [a.id for a in load_settings().service_areas if a.procedure == procedure.id]
    when = None
    if rng.random() < shape.LATE_COMPLAINT:
        when = _months_before(day, rng.randint(13, 30))
    elif rng.random() < shape.SAYS_WHEN:
        when = _months_before(day, rng.randint(0, 10))
    fields = {
        "complainant_name": f"{first} {last}",
        "email": f"{first}.{last}{rng.randint(1, 999)}@example.org".lower(),
        "relationship": relationship,
        "child_name": None if by_child else f"{rng.choice(shape.FIRST_NAMES)} {last}",
        "details": shape.DETAILS,
        "outcome_sought": shape.OUTCOME_SOUGHT,
        "service_area": rng.choice([*areas, None] if statutory else areas),
        "wants_advocate": (
            ("yes" if rng.random() < shape.CHILD_WANTS_ADVOCATE else "no") if from_child else None
        ),
        "child_in_danger": "yes" if statutory and rng.random() < shape.URGENT else None,
        "connection": rng.choice(shape.CONNECTIONS) if relationship is Relationship.OTHER else None,
        "happened_year": when[0] if when else None,
        "happened_month": when[1] if when else None,
    }
    # Unsaid fields are left out: a None month or year fails the range check with a TypeError.
    return Submission.model_validate({k: v for k, v in fields.items() if v is not None})


_DECIDED_AFTER = (1, 1, 2, 2, 3, 5)  # working days: mostly before the acknowledgement deadline


def _decide(rng: random.Random, kind: str) -> Decide:
    """An eligibility decision (intake waits for it) a few working days after the receipt."""
    if kind == "late_complaint":
        accept = rng.random() < shape.LATE_COMPLAINT_ACCEPTED
        reasons = shape.REASONS["late_complaint_" + ("accepted" if accept else "refused")]
        return Decide(rng.choice(_DECIDED_AFTER), accept, reasons)
    accept = rng.random() < shape.SUFFICIENT_INTEREST_ACCEPTED
    views = None if accept and rng.random() < 0.5 else shape.REASONS["child_views"]
    reasons = shape.REASONS["interest_" + ("accepted" if accept else "refused")]
    return Decide(rng.choice(_DECIDED_AFTER), accept, reasons, views)


def _acknowledge_after(rng: random.Random, data: Stage) -> int:
    """Mostly within a day or two; some on the deadline (after its reminder), a few late."""
    deadline = acknowledgement_days(data)
    roll = rng.random()
    if roll < 0.55:
        return 1
    if roll < 0.85:
        return 2
    return deadline if roll < 0.96 else deadline + rng.randint(1, 3)


def _timing(rng: random.Random, data: Stage, number: int) -> tuple[int, ExtensionPlan | None]:
    """Clock working days to the response: in time, extended (before the deadline), or
    late."""
    response = data.response
    standard = response.working_days
    maximum = response.extendable_to or standard
    extended, late = shape.STAGE_TIMING.get(number, shape.STAGE_TIMING[2])
    roll = rng.random()
    if roll < late:
        return rng.randint(standard + 1, maximum + standard), None
    if roll < late + extended and maximum > standard:
        to = rng.randint(standard + 1, maximum)
        grounds = rng.choice(response.extension_reasons or ("complex",))
        return rng.randint(standard + 1, to), ExtensionPlan(rng.randint(2, standard), to, grounds)
    return rng.randint(max(1, standard // 3), standard), None


def _panel(rng: random.Random, data: Stage) -> tuple[int, ...]:
    """Working days between the milestones before the response (the review panel meets, then
    reports); now and then the panel meets late."""
    days = []
    for index, milestone in enumerate(data.milestones[:-1]):
        allowed = milestone.working_days
        if index == 0 and rng.random() < shape.LATE_PANEL:
            days.append(rng.randint(allowed + 1, allowed + 8))
        else:
            days.append(rng.randint(allowed // 2, allowed))
    return tuple(days)


def _hold(rng: random.Random, opens: int) -> HoldPlan:
    review = load_settings().hold_review_working_days
    reviewed = rng.random() < 0.3
    days = rng.randint(review + 1, review + 15) if reviewed else rng.randint(5, review - 5)
    grounds = rng.choice(tuple(shape.HOLD_REASONS))
    return HoldPlan(opens + rng.randint(1, 4), days, grounds, rng.random() < 0.5, reviewed)


def _recommendations(rng: random.Random, outcome: str) -> tuple[RecommendationPlan, ...]:
    if outcome not in ("upheld", "partly_upheld"):
        return ()
    made = []
    for _ in range(rng.randint(1, 3)):
        accept = rng.random() < shape.RECOMMENDATION_ACCEPTED
        done = accept and rng.random() < shape.RECOMMENDATION_DONE
        made.append(
            RecommendationPlan(
                text=rng.choice(shape.CORRECTIVE_ACTIONS),
                owner=rng.choice(shape.STAFF),
                due_after=rng.randint(20, 60),
                accept=accept,
                done_after=rng.randint(10, 70) if done else None,
            )
        )
    return tuple(made)


def _request(
    rng: random.Random, procedure: Procedure, number: int, outcome: str
) -> RequestPlan | None:
    """Whether the complainant asks for the next stage after the response, and when."""
    window = procedure.stage(number).request_next_within
    if number >= procedure.final_stage or window is None:
        return None
    if outcome not in ("not_upheld", "partly_upheld"):
        return None
    if rng.random() >= shape.ESCALATE.get(number, shape.ESCALATE[2]):
        return None
    if rng.random() >= shape.LATE_REQUEST:
        return RequestPlan(rng.randint(2, window.working_days), late=False, decision=None)
    accept = rng.random() < shape.LATE_REQUEST_ACCEPTED
    reasons = shape.REASONS["late_request_" + ("accepted" if accept else "refused")]
    after = window.working_days + rng.randint(1, 15)
    return RequestPlan(after, late=True, decision=Decide(rng.randint(2, 8), accept, reasons))


@dataclass(frozen=True)
class _Around:
    """What ``_stage`` needs to know about the case around the stage."""

    number: int
    owner: str  # the case owner when the stage starts
    opens: int  # working days from the start before staff can act (a late request's decision)
    assign_after: int | None  # stage 1: when the first owner is assigned
    before: tuple[int, ...]  # other steps the response must follow (stage 1: the decisions)
    answered: bool  # False: nobody answers it (stalled, withdrawn, refused as ineligible)
    skip_ahead: bool  # unanswered, and the complainant asks for the next stage over the delay
    advocate: bool  # a young person who asked for an advocate


def _stage(rng: random.Random, procedure: Procedure, around: _Around) -> StagePlan:
    """How one stage goes, from who handles it to whether the complainant asks for more."""
    data = procedure.stage(around.number)
    handler, assign_after = around.owner, around.assign_after
    if around.number > 1 and (data.independent_of_previous_stage or rng.random() < 0.5):
        handler = rng.choice([s for s in shape.STAFF if s != around.owner])
        assign_after = around.opens + 1
    acknowledge_after = around.opens + _acknowledge_after(rng, data)
    roles_after = acknowledge_after + rng.randint(0, 2)
    roles = {role: rng.choice(shape.ROLE_HOLDERS[role]) for role in data.roles}
    before = [assign_after or 0, acknowledge_after, *around.before, roles_after if roles else 0]
    hold = extension = proceed = None
    panel: tuple[int, ...] = ()
    answer = None
    if around.answered and len(data.milestones) > 1:  # the review panel
        panel = _panel(rng, data)
        panel = (max(panel[0], max(before) + 1), *panel[1:])
        response = data.response.working_days
        answer = sum(panel) + rng.randint(response // 2, response)
    elif around.answered:
        answer, extension = _timing(rng, data, around.number)
        if extension is not None:
            grounds = extension.grounds
            if grounds == "advocate_needed" and not around.advocate:
                grounds = "complex"
            extension = replace(extension, on=max(extension.on, acknowledge_after), grounds=grounds)
            before.append(extension.on)
        elif rng.random() < shape.HOLD:
            hold = _hold(rng, around.opens)
            before.append(hold.after)
        elif rng.random() < shape.PROCEED:
            proceed = around.opens + rng.randint(1, 4)
            before.append(proceed)
        answer = max(answer, max(before) + 1)
    outcomes = shape.STAGE_1_OUTCOMES if around.number == 1 else shape.LATER_OUTCOMES
    outcome = weighted(rng, tuple((o, w) for o, w in outcomes if o in data.outcomes))
    themes = {weighted(rng, shape.THEME_WEIGHTS) for _ in range(rng.choice((1, 1, 2)))}
    acts = rng.random() < (0.08 if outcome == "not_upheld" else 0.7)
    upheld = outcome in ("upheld", "partly_upheld")
    paid = upheld and rng.random() < shape.COMPENSATION
    request = _request(rng, procedure, around.number, outcome)
    if not around.answered:
        request = RequestPlan(rng.randint(1, 10), False, None) if around.skip_ahead else None
    return StagePlan(
        number=around.number,
        handler=handler,
        assign_after=assign_after,
        acknowledge_after=acknowledge_after,
        how=weighted(rng, shape.ACKNOWLEDGED_HOW),
        summary=rng.choice(shape.SUMMARIES),
        roles_after=roles_after,
        roles=roles,
        proceed_after=proceed,
        hold=hold,
        extension=extension,
        panel=panel,
        answer_after=answer,
        outcome=outcome,
        themes=tuple(sorted(themes)),
        learning=rng.choice(shape.LEARNING) if acts else None,
        corrective_actions=(
            tuple(rng.sample(shape.CORRECTIVE_ACTIONS, rng.choice((1, 1, 2)))) if acts else ()
        ),
        compensation_pence=rng.choice((100, 150, 250, 400)) * 100 if paid else 0,
        recommendations=_recommendations(rng, outcome) if data.recommendations else (),
        request=request,
        close_gap=rng.randint(1, 5),
    )


def _ombudsman(rng: random.Random) -> OmbudsmanPlan | None:
    if rng.random() >= shape.OMBUDSMAN:
        return None
    outcome = weighted(rng, shape.OMBUDSMAN_OUTCOMES)
    paid = rng.choice((200, 300, 500)) * 100 if outcome == "fault_found" else 0
    return OmbudsmanPlan(rng.randint(5, 60), rng.randint(20, 60), outcome, paid)


def plan_case(
    rng: random.Random, reference: str, procedure_id: str, received_at: datetime
) -> CasePlan:
    """Everything that will happen to one complaint received at ``received_at``."""
    procedure = get_procedure(procedure_id)
    day = received_on(received_at)
    submission = _submission(rng, procedure, day)
    waiting = decisions_waiting(
        procedure_id, day, submission.relationship, submission.happened_in
    )  # what intake will wait for
    decided = {d.kind: _decide(rng, d.kind) for d in waiting}
    late = decided.get("late_complaint")
    if late is not None and not late.accept:
        decided.pop("sufficient_interest", None)  # the case closes at the first refusal
    refused = not all(d.accept for d in decided.values())
    stalled = not refused and rng.random() < shape.STALLED
    withdrawn = not refused and not stalled and rng.random() < shape.WITHDRAWN
    wants_advocate = submission.wants_advocate == "yes"
    advocacy = submission.relationship is Relationship.ADVOCATE or (
        wants_advocate and rng.random() < shape.ADVOCATE_PROVIDED
    )
    in_office_hours = is_working_day(day) and received_at.astimezone(LONDON).hour < 16
    owner = rng.choice(shape.STAFF)
    stages: list[StagePlan] = []
    for number in range(1, procedure.final_stage + 1):
        first = number == 1
        previous = stages[-1].request if stages else None
        around = _Around(
            number=number,
            owner=owner,
            opens=previous.decision.after if previous and previous.decision else 0,
            assign_after=(0 if in_office_hours else 1) if first else None,
            before=tuple(d.after for d in decided.values()) if first else (),
            answered=not (first and (refused or stalled or withdrawn)),
            skip_ahead=first and stalled and rng.random() < shape.SKIP_AHEAD,
            advocate=wants_advocate,
        )
        stages.append(_stage(rng, procedure, around))
        owner = stages[-1].handler
    if refused:  # the refusal closes the case: the decisions come last, on one day
        last = max(stages[0].last_step, *(d.after for d in decided.values()))
        decided = {kind: replace(d, after=last) for kind, d in decided.items()}
    withdraw_after = None
    if withdrawn:
        steps = [stages[0].last_step, *(d.after for d in decided.values())]
        withdraw_after = max(rng.randint(2, 8), max(steps) + 1)
    return CasePlan(
        reference=reference,
        received_at=received_at.astimezone(UTC),
        submission=submission,
        channel="form" if rng.random() < 0.7 else "json",
        token=rng.randbytes(32).hex(),
        advocacy_after=rng.randint(1, 5) if advocacy else None,
        late_complaint=decided.get("late_complaint"),
        sufficient_interest=decided.get("sufficient_interest"),
        withdraw_after=withdraw_after,
        ombudsman=None if withdrawn else _ombudsman(rng),
        stages=tuple(stages),
    )
