# ruff: noqa: E501  (the table of items below is wider than code lines)
"""The single-table design of the complaints table: every item and index, in one place.

The table is defined in ``template.yaml`` (``ComplaintsTable``); the local stack and the tests
create it from there. Keys are strings.

| item              | PK                     | SK                                   | notes |
|-------------------|------------------------|--------------------------------------|-------|
| case              | ``CASE#<ref>``         | ``CASE``                             | GSI2 by financial year received, GSI3 by status |
| event             | ``CASE#<ref>``         | ``EVENT#<iso instant>#<seq>``        | append-only audit trail |
| outbox item       | ``CASE#<ref>``         | ``OUTBOX#<kind>#<id>``               | ``item_type=outbox``; the stream worker acts on it once |
| check             | ``CASE#<ref>``         | ``CHECK#<stage>#<subject>#<kind>#<date>`` | the check's id; GSI1 while pending (sparse) |
| recommendation    | ``CASE#<ref>``         | ``REC#<nn>``                         | owner, due date, response, completion |
| delivery report   | ``CASE#<ref>``         | ``DELIVERY#<report key>``            | marker: a sender's report on an email, recorded once (no address) |
| letter            | ``CASE#<ref>``         | ``LETTER#<outbox item id>``          | a letter to the complainant (the email's words); GSI3 ``LETTERS#to_send`` until posted (sparse) |
| submission id     | ``SUBMISSION#<uuid>``  | ``SUBMISSION``                       | idempotency key -> reference |
| content hash      | ``CONTENT#<sha256>``   | ``CONTENT``                          | no-JS repeat within 10 minutes -> reference |
| self-service throttle | ``THROTTLE#<ref>`` | ``THROTTLE``                        | wrong-token tries (backoff), with TTL |
| draft             | ``DRAFT#<sha256>``     | ``DRAFT``                            | answers not sent yet, keyed by the hash of the id in the person's cookie; TTL |
| draft link        | ``DRAFTLINK#<sha256>`` | ``DRAFTLINK``                        | "come back later" link (hash of its token) -> the draft's key; TTL |
| saved-answers email | ``CASE#SAVED-<hex>`` | ``OUTBOX#saved_answers#1``           | the outbox item that emails that link (no case: ``SAVED-`` is never a reference); TTL |
| counter           | ``COUNTS``             | ``<key>#<shard>``                    | caseload counts (``service/staff/caseload.count_keys``), kept by every case write |
| staff session     | ``SESSION#<sha256 of id>`` | ``SESSION``                      | a signed-in person (the id is only in their cookie), TTL at the absolute timeout |
| sign-in under way | ``SIGNIN#<sha256 of id>`` | ``SIGNIN``                        | between password and code (Cognito's challenge session), TTL minutes |
| access log entry  | ``ACCESS#<ref>``       | ``<iso instant>#<random>``           | append-only: who viewed or changed the case; IAM denies update and delete |

Indexes (all projected ``ALL`` unless the template says otherwise):

- ``ByDueDate`` (GSI1PK, GSI1SK): ``GSI1PK = "DUE"``, ``GSI1SK = "<due UTC instant>#<ref>#<sk>"``
  on pending checks only. The daily sweep queries ``GSI1SK <= now``: its cost grows with the
  number due, never with the table. A check leaves the index (attributes removed) when it has
  run or its stage closes.
- ``ByReceived`` (GSI2PK, GSI2SK): ``GSI2PK = "FY#<first year>"`` (April to March),
  ``GSI2SK = "<received_on>#<ref>"`` on case items: the annual report reads one year.
- ``ByStatus`` (GSI3PK, GSI3SK): ``GSI3PK = "STATUS#<status>"``,
  ``GSI3SK = "<received_on>#<ref>"`` on case items: lists and the backlog. Letters not yet
  posted share it: ``GSI3PK = "LETTERS#to_send"``, ``GSI3SK = "<created UTC instant>#<ref>#<id>"``
  (the "letters to send" list); marking a letter posted removes both attributes.
- ``ByOwner`` (GSI4PK, GSI4SK): ``GSI4PK = "OWNER#<owner, case-folded, or ->"``,
  ``GSI4SK = "<next due>#<ref>"`` on case items not closed (sparse): "my cases", unassigned,
  and a leaver's cases to reassign.
- ``ByDue`` (GSI5PK, GSI5SK): ``GSI5PK = "ACTIVE"``, ``GSI5SK = "<next due>#<ref>"`` on case
  items not closed (sparse): the team's caseload, overdue and due soon as ranges.
- ``ByUrgent`` (GSI6PK, GSI6SK): ``GSI6PK = "URGENT"``, ``GSI6SK = "<received_at>#<ref>"`` on
  urgent case items only (sparse): the front door's caseload.

Every item has ``item_type`` (case, event, outbox, check, recommendation, submission, content,
throttle, delivery, draft, draft_link, letter, counter, session, signin, access). The stream worker is
subscribed to ``INSERT`` records whose new image has
``item_type = outbox`` only (``OUTBOX_STREAM_FILTER``).

Check items (one per planned escalation check, ``service/check_plan.py``) carry ``check`` (the
id), ``kind``, ``stage``, ``status`` (pending until run), ``due_at`` (UTC ISO),
``schedule_name`` (the EventBridge Scheduler schedule that fires it) and ``payload`` (what the
escalation-check handler receives: reference, check id, kind, stage, due_at).

Outbox items carry ``status`` (pending -> sending -> done, or ``failed`` when given up after
``outbox_max_attempts``) and ``attempts``: the worker claims an item with a conditional update
(counting the attempt) before acting and marks it done after, so a duplicate or retried stream
record never acts twice. The acknowledgement's item holds the self-service token until the
email is sent, then the token is removed.

``expires_at`` (epoch seconds) is the TTL attribute: retention after closure, and short-lived
idempotency, throttle and draft items. TTL deletes late (up to days): readers of drafts and their
links check ``expires_at`` themselves.

Drafts (``service/drafts.py``) hold the answers of a complaint form not yet sent. Neither the
draft's id (the cookie) nor the link's token is stored: only their SHA-256, so a copy of the
table cannot open anyone's answers. Once the complaint is sent the draft keeps only the
receipt (reference and dates) for the confirmation page, for a day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from complaints.clock import financial_year

CASE_SK = "CASE"
DUE_PARTITION = "DUE"
TTL_ATTRIBUTE = "expires_at"
INDEX_BY_DUE_DATE = "ByDueDate"
INDEX_BY_RECEIVED = "ByReceived"
INDEX_BY_STATUS = "ByStatus"
INDEX_BY_OWNER = "ByOwner"
INDEX_BY_DUE = "ByDue"
INDEX_BY_URGENT = "ByUrgent"
ACTIVE_PARTITION = "ACTIVE"
URGENT_PARTITION = "URGENT"
COUNTS_PK = "COUNTS"
SESSION_SK = "SESSION"
SIGNIN_SK = "SIGNIN"

CASE_ITEM = "case"
EVENT_ITEM = "event"
OUTBOX_ITEM = "outbox"
CHECK_ITEM = "check"
SUBMISSION_ITEM = "submission"
CONTENT_ITEM = "content"
THROTTLE_ITEM = "throttle"
DELIVERY_ITEM = "delivery"
LETTER_ITEM = "letter"
LETTERS_TO_SEND = "LETTERS#to_send"
THROTTLE_SK = "THROTTLE"
DRAFT_ITEM = "draft"
DRAFT_SK = "DRAFT"
DRAFT_LINK_ITEM = "draft_link"
DRAFT_LINK_SK = "DRAFTLINK"
COUNTER_ITEM = "counter"
SESSION_ITEM = "session"
SIGNIN_ITEM = "signin"
ACCESS_ITEM = "access"
# Access log partitions start with this: template.yaml's deny statements name it.
ACCESS_PREFIX = "ACCESS#"

# The event source mapping's filter (template.yaml): new outbox items only.
OUTBOX_STREAM_FILTER = {
    "eventName": ["INSERT"],
    "dynamodb": {"NewImage": {"item_type": {"S": [OUTBOX_ITEM]}}},
}


def case_pk(reference: str) -> str:
    return f"CASE#{reference}"


def submission_pk(submission_id: str) -> str:
    return f"SUBMISSION#{submission_id}"


def content_pk(content_hash: str) -> str:
    return f"CONTENT#{content_hash}"


def received_partition(day: date) -> str:
    return f"FY#{financial_year(day)}"


def throttle_pk(reference: str) -> str:
    return f"THROTTLE#{reference}"


def draft_pk(key: str) -> str:
    """``key``: the SHA-256 (hex) of the draft's id."""
    return f"DRAFT#{key}"


def draft_link_pk(token_hash: str) -> str:
    return f"DRAFTLINK#{token_hash}"


def status_partition(status: str) -> str:
    return f"STATUS#{status}"


def owner_partition(owner_key: str) -> str:
    return f"OWNER#{owner_key}"


def session_pk(key: str) -> str:
    return f"SESSION#{key}"


def signin_pk(key: str) -> str:
    return f"SIGNIN#{key}"


def access_pk(reference: str) -> str:
    return f"{ACCESS_PREFIX}{reference}"


def counter_sk(key: str, shard: int) -> str:
    return f"{key}#{shard}"


def event_sk(at: datetime, seq: int = 0) -> str:
    """Events sort by time; ``seq`` tells apart events written at the same instant (the
    lifecycle uses the case version and the event's place in the change, so two changes
    recorded for the same moment never collide)."""
    return f"EVENT#{utc_instant(at)}#{seq:06d}"


def outbox_sk(kind: str, item_id: str) -> str:
    return f"OUTBOX#{kind}#{item_id}"


def delivery_sk(report_key: str) -> str:
    """The marker of one delivery report (``service.delivery.Report.key``)."""
    return f"DELIVERY#{report_key}"


def letter_sk(letter_id: str) -> str:
    """A letter's id is its outbox item's (``acknowledgement#s1``): queued once."""
    return f"LETTER#{letter_id}"


def check_sk(check_id: str) -> str:
    """``check_id`` is ``<stage>#<subject>#<kind>#<date>`` (``service/check_plan.py``)."""
    return f"CHECK#{check_id}"


def due_sort_key(fire_at: datetime, reference: str, sk: str) -> str:
    """``GSI1SK`` of a pending check: sorts by the UTC instant it is due.

    To find every check due by ``now``: ``GSI1SK <= utc_instant(now) + "#~"`` (the suffix
    keeps checks due exactly at ``now``).
    """
    return f"{utc_instant(fire_at)}#{reference}#{sk}"


def utc_instant(moment: datetime) -> str:
    """An aware datetime as a sortable UTC string, e.g. ``2025-06-05T08:00:00.000000Z``."""
    if moment.tzinfo is None:
        raise ValueError("needs an aware datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
