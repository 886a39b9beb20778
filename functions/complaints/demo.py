"""A synthetic year of complaints, so a new user can see the reports and charts at once.

Shaped like a published council annual report (``shared/seeds``: 309 complaints in a year, 26
from children, 8 of them with formal advocacy, about 4% escalated, about 4 in 10 leading to
corrective action, no Ombudsman investigation): about 300 statutory complaints plus a few
triaged to the corporate procedure, most answered in time, some extended, some late, a few
still overdue. Every timescale comes from the procedure data and every date from the clock.

Pure and deterministic: the same ``year``, ``seed`` and ``today`` give the same cases. Names
come only from an obviously fictional list, email addresses use the reserved ``example.org``
domain, and every case carries ``demo=True`` so a report built from it says so.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from complaints.adapters.keys import financial_year
from complaints.clock import LONDON, add_working_days, london_today, received_on
from complaints.models import (
    Case,
    CaseStatus,
    Child,
    Complainant,
    Event,
    EventType,
    Hold,
    OmbudsmanReferral,
    Recommendation,
    StageRecord,
    StageRequest,
)
from complaints.procedures import Procedure, get_procedure
from complaints.service.deadlines import deadlines_for
from complaints.service.references import ALPHABET, LENGTH
from complaints.settings import load_settings
from complaints.submission import Relationship

STATUTORY = "children-act-1989"
CORPORATE = "corporate"
DEFAULT_SIZE = 300  # statutory complaints in a whole year

# Obviously fictional people. Nobody is called "Placeholder".
FIRST_NAMES = ("Alex", "Sam", "Jo", "Charlie", "Robin", "Jamie", "Riley", "Frankie", "Kit", "Max")
SURNAMES = ("Example", "Sample", "Placeholder", "Testcase", "Madeup", "Fictional", "Dummy")
STAFF = (  # case and recommendation owners: notices go to them, so they are addresses
    "demo.team.manager.a@example.org",
    "demo.team.manager.b@example.org",
    "demo.service.manager.c@example.org",
    "demo.complaints.officer.d@example.org",
)
ROLE_HOLDERS = ("Demo Investigator E", "Demo Independent Person F", "Demo Senior Manager G")

# Who complains (weights, per cent): about 8% children and young people, as in the seed.
RELATIONSHIP_WEIGHTS: tuple[tuple[Relationship, float], ...] = (
    (Relationship.CHILD_OR_YOUNG_PERSON, 7.0),
    (Relationship.CARE_LEAVER, 1.4),
    (Relationship.PARENT, 62.0),
    (Relationship.PARENTAL_RESPONSIBILITY, 5.0),
    (Relationship.SPECIAL_GUARDIAN, 3.0),
    (Relationship.FOSTER_CARER, 6.0),
    (Relationship.ADOPTION, 3.0),
    (Relationship.ADVOCATE, 2.0),
    (Relationship.OTHER, 10.6),
)
THEME_WEIGHTS: dict[str, float] = {
    "assessment": 30,
    "communication": 25,
    "delay": 12,
    "staff_conduct": 10,
    "care_planning": 8,
    "contact": 6,
    "placement": 4,
    "information_sharing": 3,
    "finance": 1,
    "leaving_care": 1,
}
STAGE_1_OUTCOMES = (("not_upheld", 50), ("partly_upheld", 25), ("upheld", 15), ("resolved", 10))
LATER_OUTCOMES = (("not_upheld", 45), ("partly_upheld", 35), ("upheld", 20))
OMBUDSMAN_OUTCOMES = (
    ("referred_back", 45),
    ("closed_after_initial_enquiries", 35),
    ("not_investigated", 12),
    ("no_fault", 5),
    ("fault_found", 3),
)
CORRECTIVE_ACTIONS = (
    "Team briefing on explaining the reasons for an assessment",
    "Letter templates changed to explain the threshold for intervention",
    "Reminder to staff to return calls within the promised time",
    "Discreet return labels on printed letters",
    "Confidential papers kept in locked storage",
    "Care leavers' policies and procedures reviewed",
    "Contact arrangements written down and shared with the family",
)
LEARNING = (
    "Managing difficult conversations with parents when older children's views contributed to "
    "the decision that the threshold for intervention was met.",
    "Clear and detailed communication with prospective adopters about why an application did "
    "not go ahead.",
    "Keeping families' information confidential: discreet return labels and secure storage.",
    "Clear messages for parents about why an assessment has to be completed.",
    "Keeping policies and procedures for care leavers up to date and easy to find.",
)


@dataclass(frozen=True)
class _Timing:
    """How a stage goes: per cent answered in time, extended, or late."""

    extended: float
    late: float


STAGE_TIMING = {1: _Timing(extended=0.14, late=0.07), 2: _Timing(extended=0.35, late=0.15)}
ESCALATE = {1: 0.05, 2: 0.4}  # of answered stages not upheld or only partly upheld
STALLED = 0.02  # complaints nobody answers: they show up as overdue
WITHDRAWN = 0.02
LATE_REQUEST = 0.15  # of requests for the next stage: made after the window
HOLD = 0.02
OMBUDSMAN = 0.012
CORPORATE_SHARE = 0.1


def _weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _reference(rng: random.Random) -> str:
    """A reference in the real format (``service.references``), drawn from the demo's stream."""
    chars = "".join(rng.choice(ALPHABET) for _ in range(LENGTH))
    return f"{chars[: LENGTH // 2]}-{chars[LENGTH // 2 :]}"


def _person(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    return f"{first} {last}", f"{first}.{last}{rng.randint(1, 999)}@example.org".lower()


def _received_at(rng: random.Random, start: date, days: int) -> datetime:
    """A moment in the year; fewer complaints arrive at weekends."""
    while True:
        day = start + timedelta(days=rng.randrange(days))
        if day.weekday() < 5 or rng.random() < 0.25:
            break
    local = datetime(day.year, day.month, day.day, rng.randint(7, 21), rng.randrange(60))
    return local.replace(tzinfo=LONDON).astimezone(UTC)


class _Builder:
    """Builds one case from its own random stream, so a case does not change when others do
    (or when ``today`` moves on: only how far it has got changes)."""

    def __init__(self, rng: random.Random, today: date, references: set[str]) -> None:
        self.rng = rng
        self.today = today
        self.references = references

    def reference(self) -> str:
        while True:
            ref = _reference(self.rng)
            if ref not in self.references:
                self.references.add(ref)
                return ref

    def themes(self) -> list[str]:
        options = tuple(THEME_WEIGHTS.items())
        picked = {_weighted(self.rng, options) for _ in range(self.rng.choice((1, 1, 2)))}
        return sorted(picked)

    def stage(
        self, procedure: Procedure, number: int, started_on: date, *, stalled: bool
    ) -> StageRecord:
        """One stage begun on ``started_on``, played out no further than today."""
        rng, data = self.rng, procedure.stage(number)
        record = StageRecord(
            number=number,
            started_on=started_on,
            requested_on=started_on if number > 1 else None,
        )
        hold_days = 0
        if rng.random() < HOLD:
            begun = add_working_days(started_on, rng.randint(1, 4))
            hold_days = rng.randint(5, 15)
            ended = add_working_days(begun, hold_days)
            if begun <= self.today:
                record.holds = [
                    Hold(
                        started_on=begun,
                        ended_on=ended if ended <= self.today else None,
                        reason="Police investigation",
                    )
                ]
        responded = self._response_date(procedure, record, hold_days, stalled=stalled)
        if (
            responded is not None
            and responded <= self.today
            and all(h.ended_on for h in record.holds)
        ):
            record.responded_on = responded
            weights = STAGE_1_OUTCOMES if number == 1 else LATER_OUTCOMES
            record.outcome = _weighted(rng, tuple((o, w) for o, w in weights if o in data.outcomes))  # type: ignore[assignment]
            record.themes = self.themes()
            acts = rng.random() < (0.08 if record.outcome == "not_upheld" else 0.7)
            if acts:
                record.corrective_actions = rng.sample(CORRECTIVE_ACTIONS, rng.choice((1, 1, 2)))
                record.learning = rng.choice(LEARNING)
            for role in data.roles:
                record.roles[role] = rng.choice(ROLE_HOLDERS)
        deadlines = deadlines_for(procedure, record)
        record.respond_by = deadlines.respond_by
        return record

    def _response_date(
        self, procedure: Procedure, record: StageRecord, hold_days: int, *, stalled: bool
    ) -> date | None:
        rng, data = self.rng, procedure.stage(record.number)
        if stalled:
            return None
        if len(data.milestones) > 1:  # the review panel: meeting, report, response
            when = record.started_on
            for milestone in data.milestones:
                when = add_working_days(
                    when, rng.randint(milestone.working_days // 2, milestone.working_days)
                )
                if milestone.id != "response":
                    record.actual[milestone.id] = when
            return add_working_days(when, hold_days) if when <= self.today else None
        response = data.response
        standard = response.working_days
        maximum = response.extendable_to or standard
        timing = STAGE_TIMING.get(record.number, STAGE_TIMING[2])
        roll = rng.random()
        if roll < timing.late:
            taken = rng.randint(standard + 1, maximum + standard)
        elif roll < timing.late + timing.extended and maximum > standard:
            record.extended_to = rng.randint(standard + 1, maximum)
            record.extension_reason = rng.choice(response.extension_reasons or ("complex",))
            taken = rng.randint(standard + 1, record.extended_to)
        else:
            taken = rng.randint(max(1, standard // 3), standard)
        return add_working_days(record.started_on, taken + hold_days)

    def recommendations(self, stage: StageRecord) -> list[Recommendation]:
        rng, out = self.rng, []
        assert stage.responded_on is not None
        for i in range(rng.randint(1, 3)):
            due = add_working_days(stage.responded_on, rng.randint(20, 60))
            accepted = rng.random() < 0.85
            rec = Recommendation(
                id=f"{stage.number}.{i + 1}",  # as the lifecycle numbers them
                stage=stage.number,
                text=rng.choice(CORRECTIVE_ACTIONS),
                owner=rng.choice(STAFF),
                due_on=due,
                response="accepted" if accepted else "rejected",
                answered_on=stage.responded_on,
                action="Demo action plan agreed" if accepted else None,
                reasons=None if accepted else "Demo: already covered by a service review",
            )
            done = add_working_days(stage.responded_on, rng.randint(10, 70))
            if accepted and rng.random() < 0.75 and done <= self.today:
                rec.completed_on = done
            out.append(rec)
        return out


def _case(year: _Builder, procedure: Procedure, received_at: datetime) -> Case:
    rng, settings = year.rng, load_settings()
    reference = year.reference()
    statutory = procedure.id == STATUTORY
    relationship = Relationship(
        _weighted(year.rng, tuple((r.value, w) for r, w in RELATIONSHIP_WEIGHTS))
        if statutory
        else Relationship.PARENT
    )
    from_child = relationship in (Relationship.CHILD_OR_YOUNG_PERSON, Relationship.CARE_LEAVER)
    name, email = _person(rng)
    child_name = None if relationship is Relationship.CHILD_OR_YOUNG_PERSON else _person(rng)[0]
    wants_advocate = from_child and rng.random() < 0.45
    advocacy = relationship is Relationship.ADVOCATE or (wants_advocate and rng.random() < 0.7)
    areas = [a.id for a in settings.service_areas if a.procedure == procedure.id]
    day = received_on(received_at)
    stalled = rng.random() < STALLED
    withdrawn = not stalled and rng.random() < WITHDRAWN
    stages = [year.stage(procedure, 1, day, stalled=stalled or withdrawn)]
    requests: list[StageRequest] = []
    recommendations: list[Recommendation] = []
    pending = refused_on = None
    while True:
        last = stages[-1]
        if last.responded_on is None or last.number == procedure.final_stage:
            break
        if last.outcome not in ("not_upheld", "partly_upheld"):
            break
        if rng.random() >= ESCALATE.get(last.number, ESCALATE[2]):
            break
        window = procedure.stage(last.number).request_next_within
        assert window is not None  # every stage but the last has a request window
        late = rng.random() < LATE_REQUEST
        wait = (
            window.working_days + rng.randint(1, 15)
            if late
            else rng.randint(2, window.working_days)
        )
        asked = add_working_days(last.responded_on, wait)
        if asked > year.today:
            break
        request = StageRequest(
            stage=last.number + 1, requested_on=asked, by="complainant", late=late
        )
        requests.append(request)
        if late:  # never refused automatically: staff decide, with reasons
            decided = add_working_days(asked, rng.randint(2, 8))
            if decided > year.today:
                pending = request
                break
            accepted = rng.random() < 0.7
            request.decision = "accepted" if accepted else "refused"
            request.decision_reasons = (
                "Demo: the delay was explained by a stay in hospital."
                if accepted
                else "Demo: the complaint was answered in full and nothing new was raised."
            )
            request.decided_on = decided
            request.decided_by = rng.choice(STAFF)
            if not accepted:
                refused_on = decided
                break
        stage = year.stage(procedure, last.number + 1, asked, stalled=False)
        stage.late_request = late
        stage.late_request_decision = request.decision_reasons
        stages.append(stage)
    for stage in stages[1:]:
        if stage.responded_on and stage.outcome in ("upheld", "partly_upheld"):
            recommendations += year.recommendations(stage)
    acknowledged = min(add_working_days(day, rng.randint(1, 3)), max(day, year.today))
    for stage in stages:
        started = acknowledged if stage.number == 1 else stage.started_on
        stage.acknowledged_on = min(add_working_days(started, rng.randint(0, 2)), year.today)
        stage.respond_by = deadlines_for(procedure, stage).respond_by  # may count from it

    status, closed = _status(procedure, stages[-1], year.today)
    closure_reason = None
    if withdrawn:
        gone = add_working_days(day, rng.randint(2, 8))
        if gone <= year.today:
            status, closed, closure_reason = CaseStatus.CLOSED, gone, "withdrawn"
    if pending is not None:
        status, closed = CaseStatus.AWAITING_DECISION, None
    if refused_on is not None:
        ends = add_working_days(refused_on, 5)
        status, closed = (
            (CaseStatus.CLOSED, ends)
            if ends <= year.today
            else (
                CaseStatus.RESPONDED,
                None,
            )
        )
    ombudsman = None
    compensation = 0
    if rng.random() < OMBUDSMAN:
        referred = add_working_days(stages[-1].responded_on or day, rng.randint(5, 60))
        if referred <= year.today:
            has_decision = add_working_days(referred, 30) <= year.today
            outcome = _weighted(rng, OMBUDSMAN_OUTCOMES) if has_decision else None
            remedy = "Demo: apology and a payment" if outcome == "fault_found" else None
            ombudsman = OmbudsmanReferral(
                referred_on=referred,
                outcome=outcome,
                remedy=remedy,
                decided_on=add_working_days(referred, 30) if has_decision else None,
            )
            if remedy:
                compensation = rng.choice((200, 300, 500)) * 100
    upheld = any(s.outcome in ("upheld", "partly_upheld") for s in stages)
    if not compensation and upheld and rng.random() < 0.02:
        compensation = rng.choice((100, 150, 250, 400)) * 100
    return Case(
        reference=reference,
        procedure=procedure.id,
        status=status,
        urgent=statutory and rng.random() < 0.005,
        received_at=received_at,
        received_on=day,
        complainant=Complainant(name=name, email=email, relationship=relationship),
        child=Child(name=child_name),
        details="Demonstration complaint. Not a real person or a real complaint.",
        outcome_sought="Demonstration: an apology and a review of the decision.",
        service_area=rng.choice(areas) if areas else None,
        wants_advocate=wants_advocate,
        advocacy_provided=advocacy,
        owner=rng.choice(STAFF),
        token_hash=hashlib.sha256(rng.randbytes(32)).hexdigest(),
        stages=stages,
        recommendations=recommendations,
        ombudsman=ombudsman,
        compensation_pence=compensation,
        requests=requests,
        acknowledged_on=acknowledged,
        closed_on=closed,
        closure_reason=closure_reason,
        demo=True,
    )


def _status(procedure: Procedure, last: StageRecord, today: date) -> tuple[CaseStatus, date | None]:
    if last.responded_on is None:
        on_hold = any(h.ended_on is None for h in last.holds)
        return (CaseStatus.ON_HOLD if on_hold else CaseStatus.OPEN), None
    window = procedure.stage(last.number).request_next_within
    if last.number == procedure.final_stage or window is None:
        return CaseStatus.CLOSED, last.responded_on
    window_ends = add_working_days(last.responded_on, window.working_days)
    if window_ends < today:
        return CaseStatus.CLOSED, window_ends
    return CaseStatus.RESPONDED, None


def generate_year(
    year: int, *, seed: int | None = None, today: date | None = None, size: int = DEFAULT_SIZE
) -> list[Case]:
    """About ``size`` statutory complaints received in financial year ``year`` (fewer when the
    year is not over by ``today``), plus about a tenth as many corporate ones, in date order."""
    today = today or london_today()
    seed = year if seed is None else seed
    start = date(year, 4, 1)
    days = (date(year + 1, 4, 1) - start).days
    plan = [STATUTORY] * size + [CORPORATE] * round(size * CORPORATE_SHARE)
    arrivals = random.Random(seed)  # noqa: S311 - demo data, not security
    moments = [_received_at(arrivals, start, days) for _ in plan]
    references: set[str] = set()
    cases = []
    for index, (procedure_id, moment) in enumerate(zip(plan, moments, strict=True)):
        if received_on(moment) > today:
            continue
        rng = random.Random(f"{seed}:{index}")  # noqa: S311 - demo data, not security
        builder = _Builder(rng, today, references)
        cases.append(_case(builder, get_procedure(procedure_id), moment))
    cases.sort(key=lambda c: (c.received_at, c.reference))
    assert all(financial_year(c.received_on) == year for c in cases)
    return cases


def demo_events(case: Case) -> list[Event]:
    """A plausible audit trail for a demo case, from its dates (no complaint text)."""
    at = case.received_at
    events = [
        Event(
            reference=case.reference,
            type=EventType.RECEIVED,
            at=at,
            recorded_at=at,
            by="complainant",
        )
    ]

    def stamp(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, 12, tzinfo=LONDON).astimezone(UTC)

    if case.acknowledged_on:
        events.append(
            Event(
                reference=case.reference,
                type=EventType.ACKNOWLEDGED,
                at=stamp(case.acknowledged_on),
                recorded_at=stamp(case.acknowledged_on),
                by="demo",
            )
        )
    for stage in case.stages:
        if stage.number > 1:
            events.append(
                Event(
                    reference=case.reference,
                    type=EventType.STAGE_STARTED,
                    at=stamp(stage.started_on),
                    recorded_at=stamp(stage.started_on),
                    by="complainant",
                    data={"stage": stage.number},
                )
            )
        if stage.extended_to:
            events.append(
                Event(
                    reference=case.reference,
                    type=EventType.EXTENDED,
                    at=stamp(add_working_days(stage.started_on, 3)),
                    recorded_at=stamp(add_working_days(stage.started_on, 3)),
                    by="demo",
                    reason=stage.extension_reason,
                    data={"stage": stage.number, "working_days": stage.extended_to},
                )
            )
        if stage.responded_on:
            events.append(
                Event(
                    reference=case.reference,
                    type=EventType.RESPONDED,
                    at=stamp(stage.responded_on),
                    recorded_at=stamp(stage.responded_on),
                    by="demo",
                    data={"stage": stage.number, "outcome": stage.outcome},
                )
            )
    if case.closed_on:
        events.append(
            Event(
                reference=case.reference,
                type=EventType.CLOSED,
                at=stamp(case.closed_on),
                recorded_at=stamp(case.closed_on),
                by="demo",
            )
        )
    return sorted(events, key=lambda event: event.at)
