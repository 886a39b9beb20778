"""Playing a case's plan through the real lifecycle.

Intake's ``build_case`` makes the case at the moment it is received; then each planned action
is a lifecycle transition at its simulated moment (effective and recorded then), and the
escalation checks run when they fall due in between, as the schedules and the sweep would run
them. The audit trail is exactly the events the transitions and checks produced; their notices
are dropped (demo data sends no email).

The actions wait in an agenda, ordered by day and by the order of a day's work (``DAY_ORDER``:
what a step needs is done earlier that day); each gets a moment in office hours, never before
the one before it. Play stops at ``until``: what is planned later has not happened yet. A
transition that refuses (``TransitionError``) is a bug in the plan, and is never caught.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import NamedTuple

from complaints.clock import LONDON, add_working_days, received_on
from complaints.models import Case, CaseStatus, Event
from complaints.procedures import get_procedure
from complaints.service import lifecycle as lc
from complaints.service.checks.run import due_checks, run_check
from complaints.service.intake import build_case
from complaints.service.response_letter import draft_response
from complaints.service.triage import triage
from complaints.settings import load_settings
from complaints_tools.demo import shape
from complaints_tools.demo.plan import CasePlan, Decide, RecommendationPlan, StagePlan

# The order of a day's work.
DAY_ORDER = (
    *("assign", "advocacy", "acknowledge", "roles", "late_complaint", "sufficient_interest"),
    *("proceed", "hold", "review", "resume", "extend", "milestone", "recommend", "answer"),
    *("respond", "close", "request", "late_request", "complete", "ombudsman", "withdraw"),
)

Change = Callable[[Case, lc.Act], lc.Transition]


class DemoCase(NamedTuple):
    """A demo case as it stands, and its audit trail in the order it was recorded."""

    case: Case
    events: tuple[Event, ...]


@dataclass(order=True)
class _Step:
    day: date
    rank: int
    order: int
    run: Callable[[], None] = field(compare=False)


class _Player:
    def __init__(self, plan: CasePlan, until: datetime) -> None:
        made = build_case(
            plan.submission,
            triage(plan.submission, load_settings()),
            reference=plan.reference,
            token=plan.token,
            now=plan.received_at,
            channel=plan.channel,
        )
        self.case = made.case.model_copy(update={"demo": True})
        self.events: list[Event] = [made.event]
        self.plan = plan
        self.until = until
        self.now = plan.received_at  # the simulation's present: it only moves forward
        self.agenda: list[_Step] = []
        self.order = itertools.count()
        self.rng = random.Random(plan.reference)  # noqa: S311 - minutes, and which manager
        self.recommended: list[tuple[str, RecommendationPlan]] = []
        self.ended = False

    # the simulation

    def play(self) -> DemoCase:
        self._receive()
        while self.agenda:
            step = heapq.heappop(self.agenda)
            moment = self._moment(step)
            if moment > self.until:
                break
            self._checks(moment)
            self.now = moment
            step.run()
        self._checks(self.until)
        return DemoCase(self.case, tuple(self.events))

    @property
    def today(self) -> date:
        return received_on(self.now)

    def _moment(self, step: _Step) -> datetime:
        """In office hours, by the order of the day's work; never before the present."""
        planned = datetime.combine(step.day, time(9, 30), LONDON) + timedelta(
            minutes=20 * step.rank + self.rng.randrange(15)
        )
        return max(planned, self.now + timedelta(minutes=1 + self.rng.randrange(10)))

    def _checks(self, moment: datetime) -> None:
        """Run the escalation checks due by ``moment``, each when it fell due (or now, when it
        became needed after its time)."""
        while due := due_checks(self.case, moment):
            at = max(due[0].due_at, self.now)
            run = run_check(self.case, due[0].id, at)
            assert run.transition is not None, "a due check the case needs always runs"
            self._take(run.transition)
            self.now = at

    def _then(self, day: date, work: str, run: Callable[[], None]) -> None:
        """Put ``run`` on the agenda for ``day``, in ``work``'s place in the day."""
        assert day >= self.today, f"{self.plan.reference}: a step planned before the present"
        heapq.heappush(self.agenda, _Step(day, DAY_ORDER.index(work), next(self.order), run))

    def _later(self, day: date, work: str, by: str, change: Change) -> None:
        """One transition by ``by`` on ``day``."""
        self._then(day, work, partial(self._do, by, change))

    def _do(self, by: str, change: Change) -> None:
        self._take(change(self.case, lc.Act(by, self.now, self.now)))

    def _take(self, transition: lc.Transition) -> None:
        self.case = transition.case
        self.events.extend(transition.events)

    def _manager(self) -> str:
        return self.rng.choice(shape.MANAGERS)

    # the case

    def _receive(self) -> None:
        plan, day = self.plan, self.case.received_on
        first = plan.stages[0]
        if plan.advocacy_after is not None:
            self._later(
                add_working_days(day, plan.advocacy_after),
                "advocacy",
                first.handler,
                lambda c, a: lc.record_advocacy(c, True, a),
            )
        if plan.late_complaint is not None:
            decide = plan.late_complaint
            self._then(
                add_working_days(day, decide.after),
                "late_complaint",
                partial(self._eligibility, lc.decide_late_complaint, decide),
            )
        if plan.sufficient_interest is not None:
            decide = plan.sufficient_interest
            self._then(
                add_working_days(day, decide.after),
                "sufficient_interest",
                partial(
                    self._eligibility,
                    partial(lc.decide_sufficient_interest, child_views=decide.child_views),
                    decide,
                ),
            )
        if plan.withdraw_after is not None:
            reason = shape.REASONS["withdrawn"]
            self._later(
                add_working_days(day, plan.withdraw_after),
                "withdraw",
                self._manager(),
                lambda c, a: lc.close(c, a, reason=reason, withdrawn=True),
            )
        self._open(first)

    def _eligibility(self, decision: Callable[..., lc.Transition], decide: Decide) -> None:
        self._do(
            self._manager(),
            lambda c, a: decision(c, a, accept=decide.accept, reasons=decide.reasons),
        )
        if not decide.accept:
            self._procedure_ends(self.today)

    def _close(self, day: date) -> None:
        self._later(day, "close", self._manager(), lambda c, a: lc.close(c, a))

    def _procedure_ends(self, day: date) -> None:
        """Nothing more will come of the procedure: the complainant may go to the Ombudsman."""
        referral = self.plan.ombudsman
        if referral is None or self.ended:
            return
        self.ended = True
        self._later(
            add_working_days(day, referral.after),
            "ombudsman",
            self._manager(),
            lambda c, a: lc.record_ombudsman(c, a, referred_on=a.day),
        )
        self._later(
            add_working_days(day, referral.after + referral.decided_after),
            "ombudsman",
            self._manager(),
            lambda c, a: lc.record_ombudsman(
                c,
                a,
                outcome=referral.outcome,
                decided_on=a.day,
                remedy=shape.REASONS["remedy"] if referral.compensation_pence else None,
                compensation_pence=referral.compensation_pence,
            ),
        )

    # a stage

    def _open(self, plan: StagePlan) -> None:
        """Put the stage's steps on the agenda, from its start."""
        start = self.case.stage.started_on

        def on(days: int) -> date:
            return add_working_days(start, days)

        handler = plan.handler
        if plan.assign_after is not None:
            self._later(
                on(plan.assign_after),
                "assign",
                self._manager(),
                lambda c, a: lc.assign(c, handler, a),
            )
        self._later(
            on(plan.acknowledge_after),
            "acknowledge",
            handler,
            lambda c, a: lc.acknowledge(
                c, a, summary=plan.summary, outcome_sought=shape.OUTCOME_SOUGHT, how=plan.how
            ),
        )
        if plan.roles:
            roles = plan.roles
            self._later(
                on(plan.roles_after), "roles", handler, lambda c, a: lc.assign_roles(c, roles, a)
            )
        if plan.proceed_after is not None:
            reasons = shape.REASONS["proceed"]
            self._later(
                on(plan.proceed_after),
                "proceed",
                self._manager(),
                lambda c, a: lc.decide_proceedings(
                    c, a, hold=False, grounds="court_proceedings", reasons=reasons
                ),
            )
        if plan.hold is not None:
            self._then(on(plan.hold.after), "hold", partial(self._hold, plan))
        if plan.extension is not None:
            extension = plan.extension
            reason = shape.EXTENSION_REASONS[extension.grounds]
            self._later(
                on(extension.on),
                "extend",
                handler,
                lambda c, a: lc.extend(c, extension.to, reason, a, grounds=extension.grounds),
            )
        if plan.answer_after is not None:
            answer_on = on(plan.answer_after + (plan.hold.days if plan.hold else 0))
            if plan.panel:
                self._then(on(plan.panel[0]), "milestone", partial(self._panel, plan, 0, answer_on))
            else:  # the investigation's report comes with the answer
                self._recommend(answer_on, plan, answer_on)
            self._then(answer_on, "respond", partial(self._respond, plan))
        elif plan.request is not None:  # nobody answers: the complainant asks over the delay
            due = self.case.stage.respond_by
            assert due is not None
            self._then(
                add_working_days(due, plan.request.after), "request", partial(self._ask, plan)
            )
        elif self.plan.withdraw_after is None and not self.plan.refused:
            due = self.case.stage.respond_by  # nobody answers: the Ombudsman may step in
            assert due is not None
            self._procedure_ends(due)

    def _hold(self, plan: StagePlan) -> None:
        """Stop the clock (or decide to, while proceedings run); review it; restart it."""
        hold = plan.hold
        assert hold is not None
        why, goes_on, ended = (
            shape.HOLD_REASONS[hold.grounds],
            shape.REASONS["hold_goes_on"],
            shape.REASONS["resumed"],
        )
        grounds, by = hold.grounds, self._manager() if hold.by_decision else plan.handler
        if hold.by_decision:
            self._do(
                by,
                lambda c, a: lc.decide_proceedings(c, a, hold=True, grounds=grounds, reasons=why),
            )
        else:
            self._do(by, lambda c, a: lc.hold(c, a, grounds=grounds, reason=why))
        review_on = self.case.stage.holds[-1].review_on
        if hold.reviewed and review_on is not None:
            self._later(
                review_on,
                "review",
                self._manager(),
                lambda c, a: lc.decide_proceedings(
                    c, a, hold=True, grounds=grounds, reasons=goes_on
                ),
            )

        def resume(case: Case, act: lc.Act) -> lc.Transition:
            if hold.by_decision:
                return lc.decide_proceedings(case, act, hold=False, grounds=grounds, reasons=ended)
            return lc.resume(case, act, ended)

        self._later(add_working_days(self.today, hold.days), "resume", by, resume)

    def _panel(self, plan: StagePlan, index: int, answer_on: date) -> None:
        """The review panel meets, then reports with its recommendations."""
        data = get_procedure(self.case.procedure).stage(plan.number)
        milestone = data.milestones[index].id
        self._do(plan.handler, lambda c, a: lc.record_milestone(c, milestone, a))
        if index + 1 < len(plan.panel):
            next_on = add_working_days(self.today, plan.panel[index + 1])
            self._then(next_on, "milestone", partial(self._panel, plan, index + 1, answer_on))
        else:
            self._recommend(self.today, plan, answer_on)

    def _recommend(self, day: date, plan: StagePlan, answer_on: date) -> None:
        """The stage's recommendations, made on ``day`` and answered on ``answer_on``."""
        for rec in plan.recommendations:
            self._then(day, "recommend", partial(self._recommendation, plan, rec, answer_on))

    def _recommendation(self, plan: StagePlan, rec: RecommendationPlan, answer_on: date) -> None:
        due = add_working_days(answer_on, rec.due_after)
        self._do(plan.handler, lambda c, a: lc.recommend(c, rec.text, rec.owner, due, a))
        rec_id = self.case.recommendations[-1].id
        self.recommended.append((rec_id, rec))
        action = shape.REASONS["accepted_action"] if rec.accept else None
        reasons = None if rec.accept else shape.REASONS["rejected"]
        self._later(
            answer_on,
            "answer",
            plan.handler,
            lambda c, a: lc.answer_recommendation(
                c, rec_id, a, accept=rec.accept, action=action, reasons=reasons
            ),
        )

    def _respond(self, plan: StagePlan) -> None:
        """Answer the stage (with the council's drafted letter); then the actions get done, and
        the complainant asks for the next
        stage (in time or late) or the case closes once the window has passed."""
        self._do(
            plan.handler,
            lambda c, a: lc.respond(
                c,
                plan.outcome,
                a,
                themes=plan.themes,
                learning=plan.learning,
                corrective_actions=plan.corrective_actions,
                compensation_pence=plan.compensation_pence,
                letter=draft_response(c, outcome=plan.outcome, on=a.day),
            ),
        )
        day = self.today
        for rec_id, rec in self.recommended:
            if rec.done_after is not None:
                self._later(
                    add_working_days(day, rec.done_after),
                    "complete",
                    rec.owner,
                    partial(_complete, rec_id),
                )
        self.recommended = []
        close_on = add_working_days(lc.next_stage_deadline(self.case) or day, plan.close_gap)
        request = plan.request
        if request is None:
            self._close(close_on)
            self._procedure_ends(day)
            return
        asked = add_working_days(day, request.after)
        if request.late and close_on <= asked:  # closed once the window passed, then asked
            self._close(close_on)
        self._then(asked, "request", partial(self._ask, plan))

    def _ask(self, plan: StagePlan) -> None:
        """The complainant asks for the next stage: it starts, or a late request waits."""
        self._do(lc.COMPLAINANT, lambda c, a: lc.request_next_stage(c, a))
        following = self.plan.stages[plan.number]
        if self.case.status is not CaseStatus.AWAITING_DECISION:
            self._open(following)
            return
        decision = plan.request.decision if plan.request else None
        assert decision is not None, f"{self.plan.reference}: a late request nobody planned"
        decided_on = add_working_days(self.today, decision.after)
        self._then(
            decided_on, "late_request", partial(self._late_request, plan, decision, following)
        )

    def _late_request(self, plan: StagePlan, decision: Decide, following: StagePlan) -> None:
        self._do(
            self._manager(),
            lambda c, a: lc.decide_late_request(
                c, a, accept=decision.accept, reasons=decision.reasons
            ),
        )
        if decision.accept:
            self._open(following)
            return
        self._close(add_working_days(self.today, plan.close_gap))
        self._procedure_ends(self.today)


def _complete(rec_id: str, case: Case, act: lc.Act) -> lc.Transition:
    return lc.complete_recommendation(case, rec_id, act)


def play(plan: CasePlan, until: datetime) -> DemoCase:
    """The case ``plan`` makes, as it stands at ``until`` (aware), with its audit trail."""
    return _Player(plan, until).play()
