"""The two questions every action answers first: does the table allow it in this status, and
is its time possible? Then the transition works on a copy of the case."""

from __future__ import annotations

from complaints.models import Case
from complaints.service.lifecycle.common import Act
from complaints.service.lifecycle.table import Action, refuse_unless_allowed
from complaints.service.lifecycle.timing import check_effective_time


def begin(case: Case, action: Action, act: Act) -> Case:
    """Refuse ``action`` unless the table allows it and ``act``'s time is possible; return a
    copy of the case to change."""
    refuse_unless_allowed(case, action)
    check_effective_time(case, act)
    return case.model_copy(deep=True)
