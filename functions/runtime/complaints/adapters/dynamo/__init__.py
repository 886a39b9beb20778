"""The complaints table (layout in ``adapters/keys.py``), one module per aggregate, behind the
one ``Repository`` the service layer's ports describe:

- ``items``: models to DynamoDB items and back;
- ``table``: the table, its client, reads by key;
- ``cases``: cases and their events (intake's one write; every change in one transaction);
- ``checks``: the escalation checks' items (the ``ByDueDate`` index);
- ``outbox``: emails and schedules to carry out once;
- ``letters``: letters to complainants, queued once, listed until posted;
- ``delivery``: what became of each email (a sender's report, recorded once);
- ``throttle``: wrong-token tries on a self-service link;
- ``drafts``: complaint forms not sent yet, their "come back later" links and emails.
- ``caseload``: the staff caseload's index reads;
- ``counters``: the caseload's counts, which every case write keeps;
- ``sessions``: staff sessions and sign-ins under way;
- ``access``: the append-only access log.

Every query uses the table's keys or an index; nothing here scans the table.
"""

from __future__ import annotations

from complaints.adapters.dynamo.access import AccessTable
from complaints.adapters.dynamo.cases import CaseTable
from complaints.adapters.dynamo.delivery import DeliveryTable
from complaints.adapters.dynamo.drafts import DraftTable
from complaints.adapters.dynamo.items import (
    OUTBOX_SWEPT_AFTER,
    Item,
    case_from_item,
    case_item,
    check_item,
    event_from_item,
    event_item,
    from_attributes,
    notice_item,
    outbox_item,
    to_attributes,
)
from complaints.adapters.dynamo.letters import LetterTable
from complaints.adapters.dynamo.outbox import OUTBOX_LEASE, Claim, OutboxTable
from complaints.adapters.dynamo.sessions import SessionTable
from complaints.adapters.dynamo.table import TABLE_ENV
from complaints.adapters.dynamo.throttle import ThrottleTable


class Repository(
    CaseTable,
    OutboxTable,
    DeliveryTable,
    ThrottleTable,
    DraftTable,
    LetterTable,
    SessionTable,
    AccessTable,
):
    """Reads and writes the complaints table named by ``TABLE_NAME``: every port the service
    layer declares (intake's, casework's, the outbox's, the sweep's, self-service's, the
    drafts', the console's)."""


__all__ = [
    "OUTBOX_LEASE",
    "OUTBOX_SWEPT_AFTER",
    "TABLE_ENV",
    "Claim",
    "Item",
    "Repository",
    "case_from_item",
    "case_item",
    "check_item",
    "event_from_item",
    "event_item",
    "from_attributes",
    "notice_item",
    "outbox_item",
    "to_attributes",
]
