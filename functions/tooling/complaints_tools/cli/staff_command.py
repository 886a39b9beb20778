"""``complaints sign-in-code --local``: the code an authenticator app would show now for the
local stack's demo staff (its pool uses one TOTP secret for everyone: ``.local/stack.json``
``totp_secret``). Local only: a deployed pool's codes come from each person's own app."""

from __future__ import annotations

import typer

from complaints_tools.cli import app
from complaints_tools.cli.context import common, fail


@app.command("sign-in-code")
def sign_in_code(ctx: typer.Context) -> None:
    """Print the 6-digit code to sign in to the local console (`make run`)."""
    if not common(ctx).local:
        fail(
            "only the local stack has a shared code: use --local (a deployed pool's codes "
            "come from each person's authenticator app)"
        )
    from complaints_tools.local.staff import fresh_code
    from complaints_tools.local.state import NoLocalStack, read_state

    try:
        state = read_state()
    except NoLocalStack as error:
        fail(str(error))
    if not state.totp_secret:
        fail("the local stack's pool asks for no code")
    typer.echo(fresh_code(state.totp_secret))
