"""The backlog as Rich tables in the terminal (references only, never names). Values from the
table are printed as text (``cli.terminal``), never as markup."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from complaints.models import CaseStatus
from complaints.service.reports.backlog import STATUS_LABELS, Backlog, BacklogCase
from complaints_tools.cli.terminal import console as default_console
from complaints_tools.cli.terminal import text


def _date(day: object) -> str:
    return "-" if day is None else str(day)


def _cases_table(title: str, cases: list[BacklogCase]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("Reference", no_wrap=True)
    for header, justify in (
        ("Procedure", "left"),
        ("Stage", "right"),
        ("Status", "left"),
        ("Received", "left"),
        ("Age (working days)", "right"),
        ("Respond by", "left"),
        ("Working days overdue", "right"),
    ):
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for case in cases:
        overdue = case.working_days_overdue
        table.add_row(
            text(case.reference),
            text(case.procedure),
            text(case.stage),
            text(STATUS_LABELS.get(CaseStatus(case.status), case.status)),
            text(case.received_on),
            text(case.age_working_days),
            text(_date(case.respond_by)),
            text("-") if overdue is None else text(overdue, style="bold red"),
        )
    return table


def print_backlog(backlog: Backlog, console: Console | None = None) -> None:
    out = console or default_console()
    if console is None and not out.is_terminal:
        out = Console(
            width=120, emoji=False, highlight=False
        )  # piped or captured: room for a reference in full
    share = "" if backlog.overdue_percent is None else f" ({backlog.overdue_percent:.1f}%)"
    out.print(
        f"[bold]Backlog on {backlog.today}[/]: {backlog.not_closed} cases not closed, "
        f"{backlog.running} with a stage running, "
        f"[bold red]{backlog.overdue} overdue[/]{share}, "
        f"{backlog.due_soon} due by {backlog.due_soon_until} "
        f"(the next {backlog.due_soon_working_days} working days), {backlog.on_hold} on hold."
    )
    summary = Table(title="By procedure and stage", title_justify="left")
    for header in (
        "Procedure",
        "Stage",
        "Not closed",
        "Running",
        "On hold",
        "Awaiting decision",
        "Answered",
        "Overdue",
        "Due soon",
    ):
        is_text = header in ("Procedure", "Stage")
        summary.add_column(header, justify="left" if is_text else "right", no_wrap=is_text)
    for row in backlog.rows:
        summary.add_row(
            text(row.procedure),
            text(f"{row.stage}: {row.stage_name}"),
            str(row.not_closed),
            str(row.running),
            str(row.on_hold),
            str(row.awaiting_decision),
            str(row.answered),
            str(row.overdue),
            str(row.due_soon),
        )
    out.print(summary)
    if backlog.overdue_cases:
        out.print(_cases_table("Overdue (most overdue first)", backlog.overdue_cases))
    else:
        out.print("No case is overdue.")
    ageing = Table(title="Age since the complaint was received", title_justify="left")
    ageing.add_column("Age")
    ageing.add_column("Cases", justify="right")
    ageing.add_column("Share", justify="right")
    for band in backlog.ageing:
        ageing.add_row(
            text(band.label),
            str(band.count),
            "-" if band.percent is None else f"{band.percent:.1f}%",
        )
    out.print(ageing)
    if backlog.oldest:
        out.print(_cases_table("Oldest cases not closed", backlog.oldest))
