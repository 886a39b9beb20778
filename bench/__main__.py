"""``make bench``: print the figures of issue #8 and whether each goal is met.

python -m bench [--rounds 9] [--submissions 1000] [--clients 20] [--stored 10000]
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("--rounds", type=int, default=9, help="cold-start rounds (median)")
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--stored", type=int, default=10_000, help="cases in the sweep table")
    parser.add_argument("--due", type=int, default=10, help="of which due")
    args = parser.parse_args(argv)

    from rich.console import Console
    from rich.table import Table

    from bench import artefact, cold_start, load, sweep

    console = Console(width=max(Console().width, 110))
    met: list[bool] = []

    def measures(title: str, *rows: tuple[str, str]) -> None:
        table = Table(title=title)
        table.add_column("Measure")
        table.add_column("Value", justify="right")
        for name, value in rows:
            table.add_row(name, value)
        console.print(table)

    def verdict(ok: bool) -> str:
        met.append(ok)
        return "[green]met[/green]" if ok else "[red]MISSED[/red]"

    with console.status("Deployed bytes: sam build (cached)..."):
        try:
            parts = artefact.parts(artefact.build())
        except artefact.SamBuildError as error:
            console.print(f"[red]{error}[/red]")
            return 1
    table = Table(
        title="Deployed bytes: what sam build makes for Lambda (arm64, python3.12), "
        "files and zip as uploaded"
    )
    for heading in ("Part", "Files", "Unzipped", "Zipped", "Budget (unzipped / zipped)", "Goal"):
        table.add_column(heading, justify="left" if heading in ("Part", "Goal") else "right")
    for row, part in zip(artefact.rows(parts), [*parts, None, None], strict=True):
        table.add_row(*row, "" if part is None else verdict(part.meets_budget))
    console.print(table)

    with console.status("Cold starts: fresh interpreters, alternating with the floor..."):
        figures = cold_start.measure(args.rounds)
    floor = figures[0].floor_ms
    table = Table(
        title=f"Cold import (median of {args.rounds}; floor = import boto3, pydantic and the "
        f"Powertools HTTP resolver = {floor:.0f} ms; goal at most {cold_start.GOAL}x floor)"
    )
    headings = ("Handler", "Import", "x floor", "Goal", "First request", "x bare", "Goal")
    for heading in headings:
        table.add_column(heading, justify="left" if heading in ("Handler", "Goal") else "right")
    for handler in figures:
        table.add_row(
            handler.handler.removeprefix("complaints.handlers."),
            f"{handler.import_ms:.0f} ms",
            f"{handler.import_ratio:.2f}",
            verdict(handler.meets_goal),
            f"{handler.first_request_ms:.0f} ms ({handler.modules} modules)",
            f"{handler.first_request_ratio:.2f}",
            verdict(handler.first_request_ratio <= cold_start.FIRST_REQUEST_GOAL),
        )
    console.print(table)
    console.print(
        "[dim]First request: the handler's import plus every module its first real request "
        "loaded (against moto), against a bare handler with the same libraries whose first "
        f"request makes one DynamoDB call ({figures[0].bare_first_request_ms:.0f} ms; goal at "
        f"most {cold_start.FIRST_REQUEST_GOAL}x).[/dim]\n"
    )

    with console.status("Load: starting the local stack...") as status:
        figures_load = load.run(
            args.submissions,
            args.clients,
            progress=lambda stage, done, total: status.update(f"Load: {stage} {done}/{total}"),
        )
    f = figures_load
    measures(
        f"Submit load: {f.submissions} complaints, {f.clients} concurrent clients, "
        "HTTP on 127.0.0.1",
        ("Latency p50", f"{f.p50_ms:.0f} ms"),
        (
            f"Floor p50: bare TransactWriteItems of {f.items_per_submission} items, same clients",
            f"{f.floor_p50_ms:.0f} ms (p95 {f.floor_p95_ms:.0f} ms)",
        ),
        ("Submit p50 / floor p50 (what our code adds)", f"{f.latency_ratio:.2f}x"),
        ("Latency p95", f"{f.p95_ms:.0f} ms"),
        ("Throughput", f"{f.per_second:.1f} submissions/s"),
        ("Answered 201 / other", f"{f.created} / {f.failed}"),
        ("Stored (complaints list)", f"{f.stored}"),
        ("Stored twice", f"{f.stored_duplicates}"),
        ("Acknowledged (emails sent)", f"{f.acknowledged}"),
        ("Acknowledged twice", f"{f.acknowledgement_duplicates}"),
        ("Never acknowledged", f"{f.missing_acknowledgements}"),
        ("Outbox drained after", f"{f.waited_seconds:.0f} s"),
        ("Goal: 0 lost, 0 duplicated", verdict(f.meets_goal)),
    )

    with console.status(f"Sweep: storing {args.stored:,} cases..."):
        s = sweep.run(args.stored, args.due)
    measures(
        f"Daily sweep: {s.stored:,} stored cases, {s.due_cases} due",
        ("Due checks (reminder and deadline of each due case)", f"{s.due_checks}"),
        ("Checks run", f"{s.checks_ran}"),
        ("Items read from the ByDueDate index", f"{s.index_items_read}"),
        ("Items read in all (index, then each due case)", f"{s.items_read}"),
        *((f"  {operation}", detail) for operation, detail in s.reads.items()),
        ("Scans", f"{s.scans}"),
        ("Goal: reads only the due items", verdict(s.meets_goal)),
    )

    from bench import caseload

    with console.status(f"Caseload: storing {args.stored:,} cases..."):
        c = caseload.run(args.stored)
    measures(
        f"Staff caseload: {c.stored:,} stored cases, pages of {caseload.PAGE}",
        *(
            (
                f"  {v.view}: {v.shown} shown",
                f"{v.items_read} items in {v.queries} queries; next page {v.next_page_items_read}",
            )
            for v in c.views
        ),
        (
            "Counts (BatchGetItem of the page's counters)",
            f"{c.count_items} items in {c.count_calls} calls",
        ),
        ("Scans", f"{c.scans}"),
        ("Goal: a page reads its page, never the table", verdict(c.meets_goal)),
    )
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main())
