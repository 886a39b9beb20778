"""Apply a lifecycle change to a stored case: load, decide, save, with optimistic locking.

The store (``adapters.dynamo.Repository``) saves a ``Transition`` in one transaction that
checks the case's ``version``: when someone else changed the case in between, the change is
worked out again on the fresh case (and validated again), never written over theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Protocol

from complaints.models import Case
from complaints.service.checks import CheckRun, run_check
from complaints.service.lifecycle import Transition

ATTEMPTS = 3


class CaseNotFoundError(LookupError):
    """No case has that reference (the message is safe to show: it names only the reference)."""


class StaleCaseError(Exception):
    """The case changed since it was read (its ``version`` moved on)."""


class CaseStore(Protocol):
    def get_case(self, reference: str) -> Case | None: ...

    def save_transition(self, before: Case, transition: Transition, now: datetime) -> Case:
        """Save in one transaction, conditional on ``before.version``; raise ``StaleCaseError``."""
        ...


def change_case(
    store: CaseStore,
    reference: str,
    change: Callable[[Case], Transition],
    now: datetime,
    attempts: int = ATTEMPTS,
) -> Transition:
    """Load the case, apply ``change`` and save it; on a concurrent change, try again."""
    for _ in range(attempts):
        case = store.get_case(reference)
        if case is None:
            raise CaseNotFoundError(f"There is no case {reference}.")
        transition = change(case)
        try:
            saved = store.save_transition(case, transition, now)
        except StaleCaseError:
            continue
        return Transition(saved, transition.events, transition.notices, transition.checks)
    raise StaleCaseError(f"Case {reference} kept changing while saving; try again.")


def combine(case: Case, transitions: Sequence[Transition]) -> Transition:
    """Several changes made one after another, as one (the last case, every event/notice)."""
    if not transitions:
        from complaints.service.schedule import checks_needed

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
