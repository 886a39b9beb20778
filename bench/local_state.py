"""The local stack's saved table with 10,000 cases: how long a save takes, whether requests
wait for it, and how long a restart takes.

``python -m bench.local_state [--cases 10000]``. The cases are built by the real intake (the
case, its first event, its outbox items, done, and its pending checks, as after filing through
the API), saved in the format of ``.local/table.jsonl``; then the real local stack starts on
it, in this process (the restore alone) and as ``make run`` does (a new process, until the API
answers).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class LocalStateFigures:
    cases: int
    items: int
    megabytes: float
    start_seconds: float  # LocalStack.start() in this process: restore, schedules, threads
    schedules: int
    save_seconds: float  # one whole save (the median of three)
    query_ms_idle: float  # a Query for one case through the embedded AWS, p50 when idle
    query_ms_saving: float  # the slowest such Query while saves ran
    restart_seconds: float  # `python -m complaints_tools.local` until /api/health, resuming
    empty_start_seconds: float  # the same, empty (FRESH=1)


def saved_lines(cases: int) -> list[str]:
    """Each item of ``cases`` filed cases, as a saved line."""
    from complaints.adapters import keys
    from complaints.adapters.dynamo import (
        case_item,
        check_item,
        event_item,
        outbox_item,
        to_attributes,
    )
    from complaints.service.intake import build_case
    from complaints.service.triage import triage
    from complaints.settings import load_settings
    from complaints.submission import parse_submission
    from complaints_tools.local.snapshot import dump_item

    settings = load_settings()
    now = datetime.now(UTC)
    lines: list[str] = []
    for n in range(cases):
        submission = parse_submission(
            {
                "complainant_name": f"Saved Person {n}",
                "email": f"saved.person{n}@example.org",
                "relationship": "parent",
                "child_name": f"Saved Child {n}",
                "details": f"Saved benchmark complaint {n}.",
            }
        )
        assert not isinstance(submission, list)
        new = build_case(
            submission,
            triage(submission, settings),
            reference=f"S{n:05d}",
            token=f"saved-token-{n}",
            now=now,
            channel="json",
        )
        reference = new.case.reference
        items: list[dict[str, Any]] = [case_item(new.case), event_item(new.event)]
        for outbox in new.outbox:
            done = outbox_item(reference, outbox, now) | {"status": "done"}
            items.append({k: v for k, v in done.items() if not k.startswith("GSI1")})
        items += [check_item(reference, check) for check in new.checks]
        lines += [dump_item(to_attributes(item)) for item in items]
        assert all(item["item_type"] != keys.SUBMISSION_ITEM for item in items)
    return lines


def _fake_site(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "index.html").write_text("<!doctype html><title>Guide</title>")
    (directory / "404.html").write_text("<!doctype html><title>Not found</title>")
    return directory


def _query_ms(table_name: str, reference: str) -> float:
    from complaints.adapters.clients import client

    started = time.perf_counter()
    client("dynamodb").query(
        TableName=table_name,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"CASE#{reference}"}},
    )
    return (time.perf_counter() - started) * 1000


def _in_process(site: Path, state: Path, cases: int) -> tuple[float, int, float, float, float]:
    from complaints_tools.local.stack import LocalStack

    stack = LocalStack(site_dir=site, port=0, state_directory=state)
    started = time.perf_counter()
    stack.start()
    start_seconds = time.perf_counter() - started
    try:
        assert stack.resumed is not None
        assert stack.resumed.cases == cases
        table = os.environ["TABLE_NAME"]  # set by the stack, for its handlers
        references = [f"S{n:05d}" for n in range(0, cases, max(1, cases // 50))]
        idle = [_query_ms(table, r) for r in references * 4]
        mirror = stack.mirror
        mirror.stop()  # its thread: the saves below stand in for it
        saves: list[float] = []
        during: list[float] = []

        def save_three_times() -> None:
            for _ in range(3):
                started = time.perf_counter()
                mirror.save()
                saves.append(time.perf_counter() - started)

        saver = threading.Thread(target=save_three_times)
        saver.start()
        while saver.is_alive():
            during += [_query_ms(table, r) for r in references[:5]]
        saver.join()
        return (
            start_seconds,
            stack.resumed.schedules,
            statistics.median(saves),
            statistics.median(idle),
            max(during or [0.0]),
        )
    finally:
        stack.stop()


def _process_start(site: Path, state: Path, fresh: bool) -> float:
    from tests.localstack import running_stack

    started = time.perf_counter()
    with running_stack(site, state, timeout=300, fresh=fresh):
        return time.perf_counter() - started


def run(cases: int = 10_000) -> LocalStateFigures:
    from complaints_tools.local import snapshot

    lines = saved_lines(cases)
    with tempfile.TemporaryDirectory() as scratch:
        site = _fake_site(Path(scratch) / "site")
        state = Path(scratch) / "state"
        path = snapshot.table_path(state)
        snapshot.write(path, lines)
        megabytes = path.stat().st_size / 1_000_000
        start, schedules, save, idle, saving = _in_process(site, state, cases)
        restart = _process_start(site, state, fresh=False)
        empty = _process_start(site, Path(scratch) / "empty", fresh=True)
    return LocalStateFigures(
        cases=cases,
        items=len(lines),
        megabytes=megabytes,
        start_seconds=start,
        schedules=schedules,
        save_seconds=save,
        query_ms_idle=idle,
        query_ms_saving=saving,
        restart_seconds=restart,
        empty_start_seconds=empty,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.local_state", description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args(argv)
    f = run(args.cases)
    print(f"{f.cases} cases, {f.items} items, {f.megabytes:.1f} MB saved")
    print(f"start in-process (restore, {f.schedules} schedules, threads): {f.start_seconds:.2f} s")
    print(f"one save of the whole table: {f.save_seconds:.2f} s (median of 3)")
    print(f"a Query through the embedded AWS: {f.query_ms_idle:.1f} ms idle (p50), ", end="")
    print(f"{f.query_ms_saving:.1f} ms at worst while saving")
    print(f"make run, resuming: {f.restart_seconds:.1f} s to answer; empty: ", end="")
    print(f"{f.empty_start_seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
