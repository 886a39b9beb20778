"""The reports' reads on the complaints table (layout in ``keys.py``).

Reads use an index, never a Scan:
- the annual report: ``Repository.cases_received_in`` (``ByReceived``, ``GSI2PK = FY#<year>``):
  one financial year only;
- the backlog: ``Repository.list_cases`` (``ByStatus``), one partition per status not closed.
"""

from __future__ import annotations

from complaints.adapters.dynamo import Repository
from complaints.models import Case, CaseStatus

NOT_CLOSED = (
    CaseStatus.OPEN,
    CaseStatus.ON_HOLD,
    CaseStatus.AWAITING_DECISION,
    CaseStatus.RESPONDED,
)


def cases_not_closed(repository: Repository) -> list[Case]:
    """Every case whose status is not closed (``ByStatus``)."""
    return repository.list_cases(statuses=list(NOT_CLOSED))
