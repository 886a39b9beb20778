"""``complaints``: the staff and ops command line.

Each area registers its commands in its own module (``cases``, ``actions``, ``checks``,
``clock_command``, ``reports``, ``demo``, ``emails``, ``staff_command``); ``main`` imports
them lazily so ``--help`` stays fast.

Two things hold for every command, so they live here:

- every argument is made plain (``complaints.text.plain_text``) before any command sees it:
  no terminal escape sequence or other control character typed or pasted into a reason, a
  name or a recommendation reaches the table, an email or a terminal;
- the global options ``--local``, ``--json`` and ``--by`` work before the command as well as
  after it (``complaints --local show REF`` is ``complaints show REF --local``).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import typer
from typer.core import TyperGroup

from complaints.text import plain_text
from complaints_tools.cli.casework import By
from complaints_tools.cli.context import Json, Local


class PlainArguments(TyperGroup):
    """The root command: cleans every argument once, for every command below it."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, [plain_text(arg) for arg in args])


app = typer.Typer(
    cls=PlainArguments,
    name="complaints",
    help="Children's social care complaints: cases, checks and reports.",
    no_args_is_help=True,
    add_completion=False,
)

# Modules that add commands to ``app``.
COMMAND_MODULES = (
    "complaints_tools.cli.cases",
    "complaints_tools.cli.emails",
    "complaints_tools.cli.actions",
    "complaints_tools.cli.checks",
    "complaints_tools.cli.clock_command",
    "complaints_tools.cli.reports",
    "complaints_tools.cli.demo",
    "complaints_tools.cli.staff_command",
)


def _register() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name)


def defaults_below(command: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    """A click ``default_map`` giving ``values`` to every command under ``command`` (a
    command that has no such option ignores it)."""
    found: dict[str, Any] = {}
    for name, sub in getattr(command, "commands", {}).items():
        found[name] = defaults_below(sub, values) if hasattr(sub, "commands") else dict(values)
    return found


@app.callback()
def _root(ctx: typer.Context, local: Local = False, as_json: Json = False, by: By = None) -> None:
    """Children's social care complaints: cases, checks and reports."""
    given = {"local": local, "as_json": as_json, "by": by}
    if by and _typed(ctx, "by"):
        # `complaints --by NAME CMD`: the name typed here beats COMPLAINTS_STAFF (the
        # command's own --by still beats both), for this command only
        import os

        from complaints_tools.cli.casework import STAFF_ENV

        before = os.environ.get(STAFF_ENV)
        os.environ[STAFF_ENV] = by
        ctx.call_on_close(lambda: _restore(STAFF_ENV, before))
    chosen = {name: value for name, value in given.items() if value}
    if chosen:  # the command's own option (or its environment variable) still wins
        ctx.default_map = defaults_below(ctx.command, chosen)


def _typed(ctx: typer.Context, name: str) -> bool:
    """Whether the option was typed on the command line (not taken from the environment)."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name == "COMMANDLINE"


def _restore(name: str, value: str | None) -> None:
    import os

    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def main() -> None:
    _register()
    app()
