"""Apply a lifecycle change to a stored case: load, decide, save, send.

The store (``adapters.dynamo.Repository``) saves a ``Transition`` in one transaction that
checks the case's ``version``: the case, its new events, an outbox item per email, and its
check items replaced by the new plan. When someone else changed the case in between, the change
is worked out again on the fresh case (and validated again), never written over theirs.

The emails are then sent at once through the outbox (``service.outbox.act_on``): each item is
claimed before it is sent, so the stream worker, which sees the same items, never sends twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from complaints.models import Case
from complaints.service.checks.plan import checks_needed
from complaints.service.checks.run import CheckRun, run_check
from complaints.service.lifecycle import Transition
from complaints.service.selfservice import issue_links

ATTEMPTS = 3


class CaseNotFoundError(LookupError):
    """No case has that reference (the message is safe to show: it names only the reference)."""


class StaleCaseError(Exception):
    """The case changed since it was read (its ``version`` moved on)."""


@dataclass(frozen=True)
class Saved:
    case: Case  # as stored, with its new version
    outbox: list[dict[str, Any]] = field(default_factory=list)  # items written, to send now


@dataclass(frozen=True)
class Applied:
    transition: Transition  # its ``case`` is the stored one
    outbox: list[dict[str, Any]]
    sent: int = 0  # outbox items carried out here (the rest are left to the stream worker)


class CaseStore(Protocol):
    def get_case(self, reference: str) -> Case | None: ...

    def save_transition(self, before: Case, transition: Transition, now: datetime) -> Saved:
        """Save in one transaction, conditional on ``before.version``; raise
        ``StaleCaseError`` when the case changed meanwhile."""
        ...


Deliver = Callable[[Sequence[Mapping[str, Any]]], int]


def change_case(
    store: CaseStore,
    reference: str,
    change: Callable[[Case], Transition],
    now: datetime,
    *,
    deliver: Deliver | None = None,
    attempts: int = ATTEMPTS,
) -> Applied:
    """Load the case, apply ``change`` and save it; on a concurrent change, try again.
    ``TransitionError`` from ``change`` passes through untouched (nothing is written)."""
    for _ in range(attempts):
        case = store.get_case(reference)
        if case is None:
            raise CaseNotFoundError(f"There is no case {reference}.")
        transition = issue_links(change(case))
        try:
            saved = store.save_transition(case, transition, now)
        except StaleCaseError:
            continue
        done = replace(transition, case=saved.case)
        sent = deliver(saved.outbox) if deliver and saved.outbox else 0
        return Applied(done, saved.outbox, sent)
    raise StaleCaseError(f"Case {reference} kept changing while saving; please try again.")


def combine(case: Case, transitions: Sequence[Transition]) -> Transition:
    """Several changes made one after another, as one (the last case, every event/notice)."""
    if not transitions:
        return Transition(case, (), (), checks_needed(case))
    last = transitions[-1]
    return Transition(
        last.case,
        tuple(e for t in transitions for e in t.events),
        tuple(n for t in transitions for n in t.notices),
        last.checks,
    )


def run_checks_on(
    case: Case, check_ids: Iterable[str], now: datetime
) -> tuple[Transition, list[CheckRun]]:
    """Run the given checks of one case in order; those that should not run do nothing."""
    runs: list[CheckRun] = []
    done: list[Transition] = []
    current = case
    for check_id in check_ids:
        run = run_check(current, check_id, now)
        runs.append(run)
        if run.transition is not None:
            done.append(run.transition)
            current = run.transition.case
    return combine(case, done), runs


def sender(store: Any, mail: Any, schedules: Any, now: datetime | None = None) -> Deliver:
    """Carry out outbox items at once (``service.outbox.act_on``: claimed first, so never
    twice). One that fails is given back to the stream worker, which retries it."""
    from complaints.service.outbox import act_on

    def deliver(items: Sequence[Mapping[str, Any]]) -> int:
        done = 0
        for item in items:
            try:
                done += act_on(item, store, mail, schedules, now) == "done"
            except Exception:  # noqa: S112  (released for the stream worker's retry)
                continue
        return done

    return deliver
