"""The caseload (``/staff/``): which cases a page lists, in what order, and how they are
counted, without reading the table.

Every view is one index and one partition (``adapters/keys.py``), read a page at a time:

- ``mine`` and ``unassigned``: ``ByOwner`` (an owner's open work, soonest due first);
- ``team``, ``overdue``, ``due_soon`` and ``waiting``: ``ByDue`` (every case not closed, by its
  next deadline; overdue and due soon are ranges of it);
- ``on_hold`` and ``closed``: ``ByStatus``;
- ``urgent``: ``ByUrgent`` (newest first): the front door's view.

Further filters (stage, procedure, status) are applied within that query, and bounded: a
page reads at most ``MAX_READS`` index pages, so its cost follows the page size, never the
table. Counts come from counter items the transitions keep in the same transaction as the case
(``count_keys``): overdue and due soon, which move with the calendar, are counted by the
``ByDue`` index's range instead (a count query reads keys only as far as the range goes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from complaints.models import Case, CaseStatus

View = Literal[
    "mine", "unassigned", "team", "overdue", "due_soon", "waiting", "on_hold", "urgent", "closed"
]
VIEWS: tuple[View, ...] = get_args(View)
VIEW_NAMES: dict[View, str] = {
    "mine": "My cases",
    "unassigned": "Unassigned",
    "team": "All open",
    "overdue": "Overdue",
    "due_soon": "Due in 5 working days",
    "waiting": "Awaiting a decision",
    "on_hold": "On hold",
    "urgent": "Urgent",
    "closed": "Closed",
}
PAGE_SIZE = 50
MAX_READS = 4  # index pages a caseload page may read while filters drop rows
DUE_SOON_WORKING_DAYS = 5
COUNTER_SHARDS = 4  # counters are spread so that cases saved at once rarely touch one item
NOBODY = "-"  # the owner of an unassigned case, in keys


@dataclass(frozen=True)
class Filters:
    """What narrows a view (each ``None`` when not chosen)."""

    stage: int | None = None
    procedure: str | None = None
    status: CaseStatus | None = None

    def matches(self, case: Case) -> bool:
        return (
            (self.stage is None or case.stage_number() == self.stage)
            and (self.procedure is None or case.procedure == self.procedure)
            and (self.status is None or case.status is self.status)
        )

    @property
    def any(self) -> bool:
        return any(v is not None for v in (self.stage, self.procedure, self.status))


def owner_key(owner: str | None) -> str:
    return (owner or "").strip().casefold() or NOBODY


def next_due(case: Case) -> date:
    """The case's next deadline: the earliest milestone of its stage not yet done (the
    response when every other is done); what ``ByDue`` and ``ByOwner`` sort by."""
    from complaints.procedures import get_procedure
    from complaints.service.deadlines import deadlines_for

    stage = case.stage
    milestones = deadlines_for(get_procedure(case.procedure), stage)
    open_ones = [m.due for key, m in milestones.milestones.items() if key not in stage.actual]
    return min(open_ones) if open_ones else milestones.respond_by


def waiting(case: Case) -> bool:
    """A decision the regulations require is waiting (a late request, a late complaint,
    sufficient interest, proceedings)."""
    return case.status is CaseStatus.AWAITING_DECISION or any(
        d.decision is None for d in case.decisions
    )


def shard(reference: str) -> int:
    """The counter shard a case always uses (so its +1 and -1 meet)."""
    return int(hashlib.sha256(reference.encode()).hexdigest()[:8], 16) % COUNTER_SHARDS


def count_keys(case: Case | None) -> frozenset[str]:
    """The counters a case adds one to (none for no case). A transition moves a case from
    its old keys to its new ones: -1 on each old key it left, +1 on each new one."""
    if case is None:
        return frozenset()
    status = case.status.value
    keys = {
        f"status#{status}",
        f"procedure#{case.procedure}#{status}",
        f"stage#{case.stage_number()}#{status}",
    }
    if case.status is not CaseStatus.CLOSED:
        keys.add(f"owner#{owner_key(case.owner)}#{status}")
        if case.urgent:
            keys.add("urgent#active")
        if waiting(case):
            keys.add("waiting")
    return frozenset(keys)


def count_changes(before: Case | None, after: Case) -> dict[str, int]:
    """The counter changes a transition makes: ``{key: +1 or -1}``."""
    old, new = count_keys(before), count_keys(after)
    changes = dict.fromkeys(old - new, -1)
    changes.update(dict.fromkeys(new - old, 1))
    return changes


ACTIVE = tuple(s.value for s in CaseStatus if s is not CaseStatus.CLOSED)


def page_count_keys(me: str, procedures: Iterable[str], stages: Iterable[int]) -> list[str]:
    """The counters a caseload page shows (a fixed few, whatever the number of cases or
    staff): every status, the person's own and the unassigned cases, urgent, waiting, and
    each procedure and stage by status."""
    statuses = [s.value for s in CaseStatus]
    found = [f"status#{s}" for s in statuses] + ["urgent#active", "waiting"]
    for owner in (me, None):
        found += [f"owner#{owner_key(owner)}#{s}" for s in ACTIVE]
    for procedure in procedures:
        found += [f"procedure#{procedure}#{s}" for s in ACTIVE]
    for number in stages:
        found += [f"stage#{number}#{s}" for s in ACTIVE]
    return found


def owners_count_keys(owners: Iterable[str]) -> list[str]:
    return [f"owner#{owner_key(o)}#{s}" for o in owners for s in ACTIVE]


@dataclass(frozen=True)
class Counts:
    """Sums of the counter items, by key (shards added up)."""

    totals: Mapping[str, int]

    @classmethod
    def from_items(cls, items: Iterable[tuple[str, int]]) -> Counts:
        totals: dict[str, int] = {}
        for key, value in items:
            totals[key] = totals.get(key, 0) + value
        return cls(totals)

    def get(self, key: str) -> int:
        return max(0, self.totals.get(key, 0))

    def owner(self, owner: str | None) -> int:
        return sum(self.get(f"owner#{owner_key(owner)}#{s}") for s in ACTIVE)

    def status(self, status: str) -> int:
        return self.get(f"status#{status}")

    def active(self) -> int:
        return sum(self.status(s) for s in ACTIVE)

    def procedure(self, procedure: str) -> int:
        return sum(self.get(f"procedure#{procedure}#{s}") for s in ACTIVE)

    def stage(self, number: int) -> int:
        return sum(self.get(f"stage#{number}#{s}") for s in ACTIVE)
