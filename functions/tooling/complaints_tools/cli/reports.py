"""``complaints report annual`` and ``complaints report backlog``.

``annual`` reads one financial year through the ``ByReceived`` index and writes the
publishable page (Markdown with inline SVG charts), CSV tables, SVG files and JSON. By default
it writes into the guide (``site/reports/annual-YYYY-YY/``) and rebuilds the site, so the page
appears at ``/reports/annual-YYYY-YY/`` at once, even while ``make run`` is serving.
``--out DIR`` writes somewhere else (and builds nothing); ``--json`` prints the figures.

``backlog`` reads the cases not closed through the ``ByStatus`` index and prints them as tables
(references only, never names).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from complaints_tools.cli import app
from complaints_tools.cli.context import common, connect, fail

report_app = typer.Typer(
    help="The annual report (SI 2006/1738 reg 13) and the live backlog.", no_args_is_help=True
)
app.add_typer(report_app, name="report")


def _last_complete_year(today: date) -> int:
    from complaints.clock import financial_year

    return financial_year(today) - 1


def guide_root(start: Path | None = None) -> Path | None:
    """The folder holding the guide's ``mkdocs.yml`` (the repository root), from the current
    directory upwards."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "site").is_dir():
            return folder
    return None


def rebuild_guide(root: Path) -> str | None:
    """Regenerate the snippets and rebuild the guide; an error message, or ``None``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    steps = (
        [sys.executable, "-m", "complaints_tools.sitegen"],
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
    )
    for step in steps:
        done = subprocess.run(step, cwd=root, env=env, capture_output=True, text=True)  # noqa: S603
        if done.returncode != 0:
            return f"{' '.join(step[1:])} failed:\n{done.stderr.strip()}"
    return None


@report_app.command("annual")
def annual(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="Financial year by its first calendar year (2024 = April 2024 to March 2025). "
            "Default: the last complete year.",
            min=2000,
            max=2100,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write the page, CSV, SVG and JSON under DIR/annual-YYYY-YY/ instead of the "
            "guide's site/reports/.",
            file_okay=False,
        ),
    ] = None,
    build: Annotated[
        bool,
        typer.Option(help="Rebuild the guide after writing into it, so the page shows at once."),
    ] = True,
    include_learning: Annotated[
        bool,
        typer.Option(
            "--include-learning",
            help="Quote the learning staff recorded. Read it for personal details before "
            "publishing.",
        ),
    ] = False,
    procedure: Annotated[
        str, typer.Option(help="The procedure reported on.")
    ] = "children-act-1989",
    as_csv: Annotated[
        bool,
        typer.Option("--csv", help="Print the figures as CSV (the same as --json), write nothing."),
    ] = False,
) -> None:
    """Write the annual report on complaints received in one financial year.

    By default the page goes into the guide (site/reports/annual-YYYY-YY/) and the guide is
    rebuilt. --json prints the figures and writes nothing, unless --out is given too.
    """
    local = common(ctx).local
    as_json = common(ctx).as_json
    from complaints.clock import london_today
    from complaints.service.reports import annual_report
    from complaints_tools.reports.publish import write_annual

    repository = connect(local).repository()  # first: --local reads the local stack's clock
    today = london_today()
    chosen = year if year is not None else _last_complete_year(today)
    cases = repository.cases_received_in(chosen)
    report = annual_report(
        cases,
        chosen,
        procedure=procedure,
        as_of=today,
        include_learning_statements=include_learning,
    )
    if as_csv:
        from complaints.service.reports.csv import report_csv

        typer.echo(report_csv(report), nl=False)
        return
    if as_json and out is None:
        typer.echo(json.dumps(report.model_dump(mode="json"), indent=2))
        return
    root = guide_root()
    if out is None:
        if root is None:
            fail(
                "cannot find the guide (mkdocs.yml and site/) here or above: run this from the "
                "repository, or give --out DIR."
            )
        target = root / "site" / "reports"
    else:
        target = out
    written = write_annual(report, target)
    if as_json:
        typer.echo(json.dumps(report.model_dump(mode="json"), indent=2))
    else:
        typer.echo(
            f"Annual report {report.label}: {report.received} complaints "
            f"({report.demo_complaints} demo). Wrote {len(written)} files to "
            f"{written[0].parent}"
        )
    if out is None and root is not None and build:
        problem = rebuild_guide(root)
        if problem:
            fail(problem)
        if not as_json:
            typer.echo(f"Published in the guide at /reports/annual-{report.label}/")


@report_app.command("backlog")
def backlog_command(
    ctx: typer.Context,
    today: Annotated[
        str | None,
        typer.Option(help="Pretend today is this date (YYYY-MM-DD).", metavar="DATE"),
    ] = None,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print the figures as CSV (the same as --json).")
    ] = False,
) -> None:
    """Show every case not closed: overdue, due in the next 5 working days, ageing."""
    local = common(ctx).local
    as_json = common(ctx).as_json
    from complaints.adapters.report_reads import cases_not_closed
    from complaints.clock import london_today
    from complaints.service.reports import backlog

    repository = connect(local).repository()  # first: --local reads the local stack's clock
    try:
        day = date.fromisoformat(today) if today else london_today()
    except ValueError:
        fail("--today must be a date like 2025-11-26")
    result = backlog(cases_not_closed(repository), day)
    if as_csv:
        from complaints.service.reports.csv import report_csv

        typer.echo(report_csv(result), nl=False)
        return
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2))
        return
    from complaints_tools.cli.backlog_view import print_backlog

    print_backlog(result)
