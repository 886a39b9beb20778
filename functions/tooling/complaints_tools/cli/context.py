"""Which stack a command talks to: the embedded one of ``make run``, or the deployed one.

``--local`` (or ``COMPLAINTS_LOCAL=1``) finds the running local stack of this checkout from
``.local/stack.json`` and points boto3 at it; emails sent from the CLI (e.g. by ``checks run``)
are then recorded for ``complaints emails`` as well, and the present is the local stack's clock
(``COMPLAINTS_CLOCK_FILE``, moved forward by ``checks run --now``).

Otherwise the operator's own AWS credentials are used, with the stack named by
``COMPLAINTS_STACK`` (its outputs ``TableName``, ``SiteUrl`` and ``ScheduleGroupName`` become
the handlers' environment) or, failing that, ``TABLE_NAME`` and friends already in the
environment (``SENDER_EMAIL``, ``PUBLIC_BASE_URL``, ``SCHEDULE_GROUP``, ``CHECKS_FUNCTION_ARN``,
``SCHEDULER_ROLE_ARN``: the names the functions use in ``template.yaml``), and the present is
real time, always.

The global options (``Local``, ``Json`` and ``By``, who is acting) are taken once, by the
root command (``complaints_tools.cli``); every command reads them with ``common(ctx)`` and
connects with ``connect``, so this logic exists once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from complaints.adapters.dynamo import Repository
    from complaints_tools.local.state import StackState

LOCAL_ENV = "COMPLAINTS_LOCAL"
STACK_ENV = "COMPLAINTS_STACK"
OUTPUT_ENV = {
    "TableName": "TABLE_NAME",
    "SiteUrl": "PUBLIC_BASE_URL",
    "ScheduleGroupName": "SCHEDULE_GROUP",
    "SenderEmail": "SENDER_EMAIL",
    "ConfigurationSetName": "SES_CONFIGURATION_SET",
    "NotifyApiKeySecretArn": "NOTIFY_API_KEY_SECRET",
    "ChecksFunctionArn": "CHECKS_FUNCTION_ARN",
    "SchedulerRoleArn": "SCHEDULER_ROLE_ARN",
    "SchedulerDeadLetterQueueArn": "SCHEDULER_DLQ_ARN",
}

Local = Annotated[
    bool,
    typer.Option(
        "--local",
        envvar=LOCAL_ENV,
        help="Use the local stack of `make run` in this checkout (or set COMPLAINTS_LOCAL=1).",
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
STAFF_ENV = "COMPLAINTS_STAFF"
By = Annotated[
    str | None,
    typer.Option(
        "--by",
        envvar=STAFF_ENV,
        help=(
            "Who is acting, for the audit trail and the access log (or set COMPLAINTS_STAFF). "
            "Default: the name your AWS sign-in carries, or your login; never root."
        ),
    ),
]


@dataclass(frozen=True)
class Common:
    """The global options, as the root command took them."""

    local: bool = False
    as_json: bool = False
    by: str | None = None


def common(ctx: typer.Context) -> Common:
    """The global options of the command line ``ctx`` belongs to."""
    found = ctx.find_root().obj
    return found if isinstance(found, Common) else Common()


def fail(message: str) -> NoReturn:
    """Say what went wrong, plainly, and exit 1."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(1)


@dataclass(frozen=True)
class Connection:
    local: bool
    table_name: str
    state: StackState | None = None

    def repository(self) -> Repository:
        from complaints.adapters.dynamo import Repository

        return Repository(self.table_name)

    @property
    def emails_file(self) -> Path | None:
        return Path(self.state.emails_file) if self.state else None

    @property
    def clock_file(self) -> Path | None:
        """The local stack's clock file (``None`` on a deployed stack: real time)."""
        from complaints.clock import clock_file

        found = clock_file() if self.local else None
        return Path(found) if found else None


def use_real_clock() -> None:
    """The deployed stack's present is real time: forget any local clock file."""
    from complaints.clock import CLOCK_FILE_ENV

    os.environ.pop(CLOCK_FILE_ENV, None)


def connect(local: bool) -> Connection:
    """Point this process at the chosen stack (sets the handlers' environment variables)."""
    from complaints import wiring
    from complaints.adapters import clients

    if local:
        from complaints_tools.local import mailbox
        from complaints_tools.local.state import LOCAL_CREDENTIALS, NoLocalStack, read_state

        try:
            state = read_state()
        except NoLocalStack as error:
            fail(str(error))
        os.environ.update(LOCAL_CREDENTIALS)
        os.environ.update(state.environment)
        os.environ[clients.ENDPOINT_ENV] = state.endpoint
        os.environ.pop("AWS_PROFILE", None)
        wiring.reset()
        from complaints_tools.local.simulator import SesSimulator, rules_from_json

        simulator = SesSimulator(clients.client("sqs"), rules_from_json(state.event_rules))
        mailbox.install(clients.client("sesv2"), Path(state.emails_file), simulator)
        return Connection(local=True, table_name=state.table_name, state=state)

    os.environ.pop(clients.ENDPOINT_ENV, None)
    use_real_clock()
    wiring.reset()
    stack = os.environ.get(STACK_ENV)
    if stack:
        os.environ.update(_stack_outputs(stack))
    table = os.environ.get("TABLE_NAME")
    if not table:
        fail(
            "No stack chosen. Use --local for the stack of `make run`, or set COMPLAINTS_STACK "
            "to the deployed stack's name (or TABLE_NAME to its table)."
        )
    return Connection(local=False, table_name=table)


def _stack_outputs(stack: str) -> dict[str, str]:
    from botocore.exceptions import BotoCoreError, ClientError

    from complaints.adapters.clients import client

    try:
        found = client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]
    except (BotoCoreError, ClientError) as error:
        fail(f"could not read stack {stack}: {type(error).__name__}")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in found.get("Outputs", [])}
    return {env: outputs[key] for key, env in OUTPUT_ENV.items() if key in outputs}
