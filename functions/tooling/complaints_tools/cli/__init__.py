"""``complaints``: the staff and ops command line.

Each area registers its commands in its own module (``cases``, ``actions``, ``checks``,
``clock_command``, ``reports``, ``demo``, ``emails``, ``staff_command``); ``main`` imports
them lazily so ``--help`` stays fast.

Two things hold for every command, so they live here:

- every argument is made plain (``complaints.text.plain_text``) before any command sees it:
  no terminal escape sequence or other control character typed or pasted into a reason, a
  name or a recommendation reaches the table, an email or a terminal;
- the global options ``--local``, ``--json`` and ``--by`` work before the command as well as
  after it (``complaints --local show REF`` is ``complaints show REF --local``): the root
  takes them, once, and every command reads them with ``context.common(ctx)``.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup

from complaints.text import plain_text
from complaints_tools.cli.context import By, Common, Json, Local

GLOBAL_FLAGS = frozenset({"--local", "--json"})
GLOBAL_VALUED = frozenset({"--by"})


def _takes_value(command: Any, option: str) -> bool:
    """Whether ``option`` of ``command`` (a click command) is followed by its value."""
    for param in getattr(command, "params", []):
        if option in getattr(param, "opts", []) and not getattr(param, "is_flag", False):
            return bool(getattr(param, "nargs", 1))
    return False


def globals_first(group: Any, args: list[str]) -> list[str]:
    """``args`` with the global options (``--local``, ``--json``, ``--by NAME``) moved before
    the command, wherever they were typed: the root command parses them, once. A value of
    another option (``--reason --json``) is left where it is."""
    moved: list[str] = []
    rest: list[str] = []
    command = group
    tokens = iter(args)
    for token in tokens:
        if token == "--":  # noqa: S105 (the end of the options, not a secret)
            rest += [token, *tokens]
            break
        if token in GLOBAL_FLAGS or token.startswith("--by="):
            moved.append(token)
        elif token in GLOBAL_VALUED:
            moved += [token, next(tokens, "")]
        elif token.startswith("-") and "=" not in token and _takes_value(command, token):
            rest += [token, next(tokens, "")]
        else:
            sub = getattr(command, "commands", {}).get(token)
            command = sub if sub is not None else command
            rest.append(token)
    return moved + rest


class PlainArguments(TyperGroup):
    """The root command: cleans every argument once, and takes the global options, for every
    command below it."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, globals_first(self, [plain_text(arg) for arg in args]))


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
    "complaints_tools.cli.records",
    "complaints_tools.cli.checks",
    "complaints_tools.cli.clock_command",
    "complaints_tools.cli.reports",
    "complaints_tools.cli.demo",
    "complaints_tools.cli.staff_command",
)


def _register() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name)


@app.callback()
def _root(ctx: typer.Context, local: Local = False, as_json: Json = False, by: By = None) -> None:
    """Children's social care complaints: cases, checks and reports."""
    ctx.obj = Common(local=local, as_json=as_json, by=by)


def main() -> None:
    _register()
    app()
