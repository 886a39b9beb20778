"""Submit load against the local stack that ``make run`` starts, over HTTP on 127.0.0.1.

1,000 complaints from 20 concurrent clients (each a distinct person, each with its own
``submission_id``), then waits, with a time limit, for the stack's outbox worker to send the
acknowledgements. Counts come from the stack itself: cases from ``complaints list --json
--local`` (the ``ByStatus`` index), acknowledgements from the stack's record of sent email.
The local API runs one request at a time, like a single Lambda instance, so latency under
20 clients includes queueing. Beside it, the floor: as many bare ``TransactWriteItems`` of a
complaint's size, from as many clients, to the same embedded AWS, so the ratio shows what the
API, its validation and its one write add.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "build" / "site"
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Sent:
    status: int
    seconds: float
    reference: str | None


@dataclass(frozen=True)
class LoadFigures:
    submissions: int
    clients: int
    created: int  # 201s
    failed: int  # anything else
    p50_ms: float
    p95_ms: float
    per_second: float
    stored: int
    stored_duplicates: int
    acknowledged: int
    acknowledgement_duplicates: int
    missing_acknowledgements: int
    waited_seconds: float
    floor_p50_ms: float  # bare TransactWriteItems of the same size, same concurrency
    floor_p95_ms: float
    items_per_submission: int

    @property
    def latency_ratio(self) -> float:
        """What our code adds: the submit's median against the bare write's."""
        return self.p50_ms / self.floor_p50_ms

    @property
    def meets_goal(self) -> bool:
        """Zero lost and zero duplicated: every submission stored and acknowledged once."""
        return (
            self.created == self.stored == self.acknowledged == self.submissions
            and self.stored_duplicates == 0
            and self.acknowledgement_duplicates == 0
            and self.missing_acknowledgements == 0
        )


def _complaint(n: int) -> bytes:
    return json.dumps(
        {
            "submission_id": str(uuid.uuid4()),
            "complainant_name": f"Load Person {n}",
            "email": f"load.person{n}@example.org",
            "relationship": "parent",
            "child_name": f"Load Child {n}",
            "details": f"Load test complaint {n}: the review meeting was cancelled again.",
            "wants_advocate": "no",
        }
    ).encode()


def _submit(url: str, n: int) -> Sent:
    request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1 only)
        f"{url}/api/complaints",
        data=_complaint(n),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310
            body = json.loads(answer.read())
            return Sent(answer.status, time.perf_counter() - started, body.get("reference"))
    except urllib.error.HTTPError as error:
        return Sent(error.code, time.perf_counter() - started, None)
    except OSError:
        return Sent(0, time.perf_counter() - started, None)


def _stored_references(env: dict[str, str]) -> list[str]:
    cli = Path(sys.executable).with_name("complaints")
    answer = subprocess.run(  # noqa: S603 (our own CLI)
        [str(cli), "list", "--json", "--local"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=300,
    )
    return [str(case["reference"]) for case in json.loads(answer.stdout)]


def _acknowledgements(emails_file: Path) -> Counter[str]:
    from complaints_tools.local import mailbox

    return Counter(
        str(email.get("reference"))
        for email in mailbox.read(emails_file)
        if email.get("kind") == "acknowledgement"
    )


def _items_per_submission(env: dict[str, str], reference: str) -> int:
    """How many items one complaint's transaction wrote (the case's own, and its idempotency
    records: one by submission id, one by content)."""
    from complaints.adapters.dynamo import Repository

    with _pointed_at(env):
        store = Repository()
        own = store.outbox_items(reference) + store.check_items(reference)
        return 2 + len(own) + 2  # the case, its first event, outbox and checks, the two records


@contextmanager
def _pointed_at(env: dict[str, str]) -> Iterator[None]:
    """Point this process's AWS clients at the running stack for a while."""
    from complaints import wiring
    from complaints_tools.local.state import LOCAL_CREDENTIALS, read_state

    state = read_state(Path(env["COMPLAINTS_LOCAL_STATE"]))
    saved = dict(os.environ)
    os.environ.update(LOCAL_CREDENTIALS)
    os.environ.update(state.environment)
    os.environ["COMPLAINTS_AWS_ENDPOINT"] = state.endpoint
    wiring.reset()
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        wiring.reset()


def _floor(env: dict[str, str], calls: int, clients: int, items: int) -> list[float]:
    """Seconds each of ``calls`` bare ``TransactWriteItems`` took, ``items`` puts each (of a
    complaint's size), from ``clients`` threads, to the same embedded AWS: the floor a submit
    cannot go below."""
    from complaints.adapters.clients import client

    with _pointed_at(env):
        dynamodb = client("dynamodb")
        table = os.environ["TABLE_NAME"]
        padding = "x" * 400  # about a complaint item's size

        def write(n: int) -> float:
            puts = [
                {
                    "Put": {
                        "TableName": table,
                        "Item": {
                            "PK": {"S": f"FLOOR#{n}"},
                            "SK": {"S": f"ITEM#{i}"},
                            "item_type": {"S": "floor"},
                            "padding": {"S": padding},
                        },
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                }
                for i in range(items)
            ]
            started = time.perf_counter()
            dynamodb.transact_write_items(TransactItems=puts)
            return time.perf_counter() - started

        with ThreadPoolExecutor(max_workers=clients) as pool:
            return list(pool.map(write, range(calls)))


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(
    submissions: int = 1000,
    clients: int = 20,
    wait_limit: float = 900,
    progress: Progress | None = None,
) -> LoadFigures:
    from tests.localstack import running_stack

    def tell(stage: str, done: int, total: int) -> None:
        if progress:
            progress(stage, done, total)

    with tempfile.TemporaryDirectory() as scratch, running_stack(SITE, Path(scratch)) as stack:
        url, env = stack
        started = time.perf_counter()
        sent: list[Sent] = []
        with ThreadPoolExecutor(max_workers=clients) as pool:
            for answer in pool.map(lambda n: _submit(url, n), range(submissions)):
                sent.append(answer)
                tell("submitted", len(sent), submissions)
        elapsed = time.perf_counter() - started

        created = [s for s in sent if s.status == 201 and s.reference]
        references = {str(s.reference) for s in created}
        emails_file = Path(scratch) / "emails.jsonl"
        waited_from = time.monotonic()
        acknowledged = _acknowledgements(emails_file)
        while not references <= set(acknowledged) and time.monotonic() - waited_from < wait_limit:
            tell("acknowledged", len(references & set(acknowledged)), len(references))
            time.sleep(2)
            acknowledged = _acknowledgements(emails_file)
        time.sleep(3)  # anything sent twice would show up now
        acknowledged = _acknowledgements(emails_file)
        tell("acknowledged", len(references & set(acknowledged)), len(references))
        waited = time.monotonic() - waited_from
        stored = _stored_references({**os.environ, **env})
        items = _items_per_submission(env, next(iter(references)))
        tell("floor", 0, submissions)
        floor = [seconds * 1000 for seconds in _floor(env, submissions, clients, items)]

    latencies = [s.seconds * 1000 for s in sent]
    return LoadFigures(
        submissions=submissions,
        clients=clients,
        created=len(created),
        failed=len(sent) - len(created),
        p50_ms=statistics.median(latencies),
        p95_ms=_percentile(latencies, 0.95),
        per_second=submissions / elapsed,
        stored=len(set(stored)),
        stored_duplicates=len(stored) - len(set(stored)) + len(created) - len(references),
        acknowledged=len(set(acknowledged) & references),
        acknowledgement_duplicates=sum(count - 1 for count in acknowledged.values() if count > 1),
        missing_acknowledgements=len(references - set(acknowledged)),
        waited_seconds=waited,
        floor_p50_ms=statistics.median(floor),
        floor_p95_ms=_percentile(floor, 0.95),
        items_per_submission=items,
    )
