"""``complaints``: the staff and ops command line.

Each area registers its commands in its own module (``cases``, ``actions``, ``checks``,
``clock_command``, ``reports``, ``demo``, ``emails``); ``main`` imports them lazily so
``--help`` stays fast.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="complaints",
    help="Children's social care complaints: cases, checks and reports.",
    no_args_is_help=True,
    add_completion=False,
)

# Modules that add commands to ``app``.
COMMAND_MODULES = (
    "complaints.cli.cases",
    "complaints.cli.emails",
    "complaints.cli.actions",
    "complaints.cli.checks",
    "complaints.cli.clock_command",
    "complaints.cli.reports",
    "complaints.cli.demo",
)


def _register() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name)


@app.callback()
def _root() -> None:
    """Children's social care complaints: cases, checks and reports."""


def main() -> None:
    _register()
    app()
