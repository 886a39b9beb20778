# ruff: noqa: E501  (the table of items below is wider than code lines)
"""The single-table design of the complaints table: every item and index, in one place.

The table is defined in ``template.yaml`` (``ComplaintsTable``); the local stack and the tests
create it from there. Keys are strings.

| item              | PK                     | SK                                   | notes |
|-------------------|------------------------|--------------------------------------|-------|
| case              | ``CASE#<ref>``         | ``CASE``                             | GSI2 by financial year received, GSI3 by status |
| event             | ``CASE#<ref>``         | ``EVENT#<iso instant>#<seq>``        | append-only audit trail |
| outbox item       | ``CASE#<ref>``         | ``OUTBOX#<kind>#<id>``               | ``item_type=outbox``; the stream worker acts on it once |
| check             | ``CASE#<ref>``         | ``CHECK#<stage>#<milestone>#<when>`` | GSI1 while pending (sparse) |
| recommendation    | ``CASE#<ref>``         | ``REC#<nn>``                         | owner, due date, response, completion |
| submission id     | ``SUBMISSION#<uuid>``  | ``SUBMISSION``                       | idempotency key -> reference |
| content hash      | ``CONTENT#<sha256>``   | ``CONTENT``                          | no-JS repeat within 10 minutes -> reference |
| self-service lock | ``THROTTLE#<ref>``     | ``THROTTLE``                         | wrong-token attempts, with TTL |

Indexes (all projected ``ALL`` unless the template says otherwise):

- ``ByDueDate`` (GSI1PK, GSI1SK): ``GSI1PK = "DUE"``, ``GSI1SK = "<due UTC instant>#<ref>#<sk>"``
  on pending checks only. The daily sweep queries ``GSI1SK <= now``: its cost grows with the
  number due, never with the table. A check leaves the index (attributes removed) when it has
  run or its stage closes.
- ``ByReceived`` (GSI2PK, GSI2SK): ``GSI2PK = "FY#<first year>"`` (April to March),
  ``GSI2SK = "<received_on>#<ref>"`` on case items: the annual report reads one year.
- ``ByStatus`` (GSI3PK, GSI3SK): ``GSI3PK = "STATUS#<status>"``,
  ``GSI3SK = "<received_on>#<ref>"`` on case items: lists and the backlog.

``expires_at`` (epoch seconds) is the TTL attribute: retention after closure, and short-lived
idempotency and throttle items.
"""

from __future__ import annotations

from datetime import date

CASE_SK = "CASE"
DUE_PARTITION = "DUE"
TTL_ATTRIBUTE = "expires_at"
INDEX_BY_DUE_DATE = "ByDueDate"
INDEX_BY_RECEIVED = "ByReceived"
INDEX_BY_STATUS = "ByStatus"


def case_pk(reference: str) -> str:
    return f"CASE#{reference}"


def submission_pk(submission_id: str) -> str:
    return f"SUBMISSION#{submission_id}"


def content_pk(content_hash: str) -> str:
    return f"CONTENT#{content_hash}"


def financial_year(day: date) -> int:
    """The first calendar year of the April-to-March financial year ``day`` falls in."""
    return day.year if day.month >= 4 else day.year - 1


def received_partition(day: date) -> str:
    return f"FY#{financial_year(day)}"


def status_partition(status: str) -> str:
    return f"STATUS#{status}"
