"""``complaints``: the staff and ops command line.

Each area registers its commands in its own module (``cases``, ``actions``, ``checks``,
``reports``, ``demo``, ``emails``); ``main`` imports them lazily so ``--help`` stays fast.
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

# Modules that add commands to ``app``. A module listed here that does not exist yet is skipped.
COMMAND_MODULES = (
    "complaints.cli.cases",
    "complaints.cli.emails",
    "complaints.cli.actions",
    "complaints.cli.checks",
    "complaints.cli.reports",
    "complaints.cli.demo",
)


def _register() -> None:
    for name in COMMAND_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise


@app.callback()
def _root() -> None:
    """Children's social care complaints: cases, checks and reports."""


def main() -> None:
    _register()
    app()
