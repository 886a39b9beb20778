"""``complaints demo seed``: a synthetic year of complaints in the local stack.

The cases (``complaints_tools.demo``: made by intake and the lifecycle's own transitions, with the
escalation checks run as they fell due) are written straight into the table through the
repository, with their audit events but **without outbox items or checks**: no
acknowledgement, alert or advocacy email is sent and no schedule is made, however many cases
are written. Every case is marked ``demo`` and the reports built from them say so. Seeding the
same year again replaces its demo cases (each keeps its reference and its history so far).

Local only: it refuses to write demo data anywhere but the embedded stack of ``make run``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from complaints_tools.cli import app
from complaints_tools.cli.context import common, connect, fail

demo_app = typer.Typer(help="Synthetic demo data for the local stack.", no_args_is_help=True)
app.add_typer(demo_app, name="demo")


@demo_app.command("seed")
def seed(
    ctx: typer.Context,
    year: Annotated[
        list[int] | None,
        typer.Option(
            "--year",
            help="Financial year by its first calendar year (repeat for more). Default: the "
            "last complete year and this year so far.",
            min=2000,
            max=2100,
        ),
    ] = None,
    size: Annotated[
        int, typer.Option(help="Statutory complaints in a whole year.", min=1, max=5000)
    ] = 300,
    random_seed: Annotated[
        int | None, typer.Option("--seed", help="Random seed (default: the year).")
    ] = None,
) -> None:
    """Write a realistic synthetic year (about 300 complaints) into the local stack."""
    local = common(ctx).local
    if not local:
        fail(
            "demo data goes only into the local stack: start `make run`, then run "
            "`complaints demo seed --local`."
        )
    from complaints.clock import financial_year, london_today
    from complaints_tools.demo import play_year
    from complaints_tools.local.seed import put_cases_quietly

    repository = connect(local).repository()

    today = london_today()
    years = year or [financial_year(today) - 1, financial_year(today)]
    for chosen in years:
        played = play_year(chosen, seed=random_seed, today=today, size=size)
        written = put_cases_quietly(repository, played)
        open_cases = sum(1 for case, _ in played if case.closed_on is None)
        typer.echo(
            f"{chosen}-{(chosen + 1) % 100:02d}: wrote {written} demo cases "
            f"({open_cases} not closed). No emails sent."
        )
    typer.echo(
        "Next: `complaints report annual --local` (last complete year) and "
        "`complaints report backlog --local`."
    )
