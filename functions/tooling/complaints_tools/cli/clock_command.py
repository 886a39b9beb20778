"""``complaints clock [--json] [--local]``: the present the system acts on.

On the local stack (``--local``) that is its one clock, which ``complaints checks run --now``
moves forward: it says whether it has been moved, and how far. On a deployed stack it is real
time, always.
"""

from __future__ import annotations

import json
from typing import Any

import typer

from complaints_tools.cli import app
from complaints_tools.cli.context import common, connect, fail, use_real_clock


@app.command("clock")
def show_clock(ctx: typer.Context) -> None:
    """The present: the local stack's clock (moved by `checks run --now`), or real time."""
    local = common(ctx).local
    as_json = common(ctx).as_json
    from complaints import clock
    from complaints_tools.local.clock import (
        ClockFileError,
        LocalClock,
        describe_offset,
        london_text,
    )
    from complaints_tools.local.clock import read as read_clock

    if local:
        connection = connect(local=True)
        if connection.clock_file is None:
            fail("the local stack has no clock file: stop it and start it again with `make run`.")
        try:
            reading = read_clock(connection.clock_file)
        except ClockFileError as error:
            fail(str(error))
    else:
        use_real_clock()
        reading = LocalClock(real=clock.wall_now(), offset=clock.clock_offset())
    if as_json:
        typer.echo(json.dumps(_as_json(reading, local), indent=2))
        return
    where = "The local stack's clock" if local else "The deployed stack's clock"
    typer.echo(f"{where} reads {london_text(reading.now)}  [{reading.now.isoformat()}]")
    if not local:
        typer.echo("It is real time, always: a deployed clock never moves.")
    elif reading.moved:
        typer.echo(
            f"Moved {describe_offset(reading.offset)} ahead of real time "
            "(`complaints checks run --now` moves it forward; `make run FRESH=1` sets it back)."
        )
    else:
        typer.echo("It reads real time: `complaints checks run --now LATER` moves it forward.")


def _as_json(reading: Any, local: bool) -> dict[str, Any]:
    from complaints_tools.local.clock import london_text

    return {
        "now": reading.now.isoformat(),
        "london": london_text(reading.now),
        "local": local,
        "moved": reading.moved,
        "offset_seconds": reading.offset.total_seconds(),
        "moved_to": reading.moved_to.isoformat() if reading.moved_to else None,
        "real_now": reading.real.isoformat(),
    }
