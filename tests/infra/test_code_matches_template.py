"""The template and the code agree: every handler the template names exists, and every route
the API serves is a route API Gateway sends to it (a route missing from the template would
work locally and 404 in AWS)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.infra

PATH_PARAMETER = re.compile(r"<(\w+)>")  # Powertools' /complaints/<reference>


def _functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: resource["Properties"]
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }


FUNCTIONS = {
    "ApiFunction",
    "OutboxFunction",
    "ChecksFunction",
    "DeliveryFunction",
    "NotifyCallbackFunction",
    "ConsoleFunction",
}


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_every_handler_exists(template: dict[str, Any], function: str) -> None:
    handler = _functions(template)[function]["Handler"]
    module, _, attribute = handler.rpartition(".")
    assert callable(getattr(importlib.import_module(module), attribute)), handler


def test_the_template_has_its_six_functions(template: dict[str, Any]) -> None:
    assert set(_functions(template)) == FUNCTIONS


def test_the_console_is_deployed_at_staff(template: dict[str, Any]) -> None:
    events = _functions(template)["ConsoleFunction"]["Events"].values()
    deployed = {f"{e['Properties']['Method']} {e['Properties']['Path']}" for e in events}
    assert deployed == {"GET /staff", "GET /staff/{proxy+}", "POST /staff/{proxy+}"}


def test_every_api_route_is_deployed(template: dict[str, Any]) -> None:
    from complaints.handlers.api import app

    served = {
        route.method.upper() + " " + PATH_PARAMETER.sub(r"{\1}", route.path)
        for route in [*app._static_routes, *app._dynamic_routes]
    }
    events = _functions(template)["ApiFunction"]["Events"].values()
    deployed = {
        f"{event['Properties']['Method'].upper()} {event['Properties']['Path']}"
        for event in events
        if event["Type"] == "HttpApi"
    }
    assert "GET /api/health" in served
    assert served - deployed == set()


def test_the_command_line_finds_what_it_needs_in_the_stack_outputs(
    template: dict[str, Any],
) -> None:
    from complaints_tools.cli.context import OUTPUT_ENV

    assert set(OUTPUT_ENV) <= set(template["Outputs"])


# Each AWS call in the adapters, and the IAM actions it needs. A call missing here fails the
# test below: add its actions to the roles in template.yaml (and to OperatorPolicy if the
# command line makes it), then here.
CALL_ACTIONS = {
    ("dynamodb", "get_item"): {"dynamodb:GetItem"},
    ("dynamodb", "put_item"): {"dynamodb:PutItem"},
    ("dynamodb", "update_item"): {"dynamodb:UpdateItem"},
    ("dynamodb", "query"): {"dynamodb:Query"},
    ("dynamodb", "delete_item"): {"dynamodb:DeleteItem"},
    ("dynamodb", "batch_get_item"): {"dynamodb:BatchGetItem"},
    # A transaction needs the action of each item it holds (Put, Update, ConditionCheck).
    ("dynamodb", "transact_write_items"): {
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:ConditionCheckItem",
    },
    ("sesv2", "send_email"): {"ses:SendEmail"},
    ("scheduler", "create_schedule"): {"scheduler:CreateSchedule", "iam:PassRole"},
    ("scheduler", "delete_schedule"): {"scheduler:DeleteSchedule"},
    ("secretsmanager", "get_secret_value"): {"secretsmanager:GetSecretValue"},
    ("sqs", "send_message"): {"sqs:SendMessage"},
}
CALL = re.compile(r"\.(dynamodb|sesv2|scheduler|secretsmanager|sqs)\.([a-z_]+)\(")
# The Cognito adapter calls through one helper: ``self._call("admin_initiate_auth", ...)``.
COGNITO_CALL = re.compile(r"_call\(\s*\"([a-z_]+)\"")
COGNITO_ACTIONS = {
    "admin_initiate_auth": "cognito-idp:AdminInitiateAuth",
    "admin_respond_to_auth_challenge": "cognito-idp:AdminRespondToAuthChallenge",
    "admin_create_user": "cognito-idp:AdminCreateUser",
    "admin_add_user_to_group": "cognito-idp:AdminAddUserToGroup",
    "admin_remove_user_from_group": "cognito-idp:AdminRemoveUserFromGroup",
    "admin_disable_user": "cognito-idp:AdminDisableUser",
    "admin_user_global_sign_out": "cognito-idp:AdminUserGlobalSignOut",
    "list_users_in_group": "cognito-idp:ListUsersInGroup",
    # public APIs authorised by the sign-in's own session, not by IAM
    "associate_software_token": None,
    "verify_software_token": None,
}
# Adapter modules only the console (and, for the access log, the command line) uses.
CONSOLE_ONLY = {
    "sessions.py": ("ConsoleFunctionRole",),
    "access.py": ("ConsoleFunctionRole", "OperatorPolicy"),
    # the caseload's reads
    "caseload.py": ("ConsoleFunctionRole", "OperatorPolicy"),
    # the counts' reads (the console); the demo's seed (the command line) counts its cases
    "counters.py": ("ConsoleFunctionRole", "OperatorPolicy"),
}
PAGINATOR = re.compile(
    r"\.(dynamodb|sesv2|scheduler|secretsmanager|sqs)\.get_paginator\(\s*\"([a-z_]+)\""
)
WORKER_ROLES = ("OutboxFunctionRole", "ChecksFunctionRole", "OperatorPolicy")
# Who makes the calls of each service (the Notify API key for the sender; the callback token
# and the delivery queue for the callback route).
ROLES_OF = {
    ("secretsmanager", "get_secret_value"): (*WORKER_ROLES, "NotifyCallbackFunctionRole"),
    ("sqs", "send_message"): ("NotifyCallbackFunctionRole",),
}
# What the delivery function does to the table (record a report: read the case and its
# outbox item, write the change in one transaction of puts).
DELIVERY_CALLS = {
    ("dynamodb", "get_item"): {"dynamodb:GetItem"},
    ("dynamodb", "transact_write_items"): {"dynamodb:PutItem"},
}


def _adapter_calls(only: str | None = None) -> set[tuple[str, str]]:
    from complaints import adapters

    calls: set[tuple[str, str]] = set()
    for path in Path(adapters.__file__).parent.rglob("*.py"):
        if (only is None and path.name in CONSOLE_ONLY) or (only and path.name != only):
            continue
        text = path.read_text(encoding="utf-8")
        calls |= {(s, op) for s, op in CALL.findall(text) if op != "get_paginator"}
        calls |= set(PAGINATOR.findall(text))
    return calls


def _granted(resources: dict[str, Any], logical_id: str) -> set[str]:
    properties = resources[logical_id]["Properties"]
    documents = (
        [p["PolicyDocument"] for p in properties["Policies"]]
        if "Policies" in properties
        else [properties["PolicyDocument"]]
    )
    actions: set[str] = set()
    for document in documents:
        for statement in document["Statement"]:
            value = statement["Action"]
            actions |= set(value if isinstance(value, list) else [value])
    return actions


def test_every_aws_call_the_code_makes_is_allowed(resources: dict[str, Any]) -> None:
    calls = _adapter_calls()
    assert ("dynamodb", "transact_write_items") in calls  # the scan found the adapters
    unknown = calls - set(CALL_ACTIONS)
    assert unknown == set(), "new AWS calls: grant them in template.yaml, then list them here"
    for call in calls:
        needed = CALL_ACTIONS[call]
        roles = ("ApiFunctionRole", *WORKER_ROLES) if call[0] == "dynamodb" else WORKER_ROLES
        if call[0] == "dynamodb":
            roles = (*roles, "ConsoleFunctionRole")
        for role in ROLES_OF.get(call, roles):
            assert needed <= _granted(resources, role), f"{role} cannot {call}"
    for call, needed in DELIVERY_CALLS.items():
        assert needed <= _granted(resources, "DeliveryFunctionRole"), call


@pytest.mark.parametrize("module", sorted(CONSOLE_ONLY))
def test_the_console_may_make_the_calls_of_its_own_adapters(
    resources: dict[str, Any], module: str
) -> None:
    calls = _adapter_calls(module)
    assert calls, module
    for call in calls:
        for role in CONSOLE_ONLY[module]:
            assert CALL_ACTIONS[call] <= _granted(resources, role), f"{role} cannot {call}"


def test_every_cognito_call_is_allowed_to_the_console(resources: dict[str, Any]) -> None:
    from complaints.adapters import cognito

    calls = set(COGNITO_CALL.findall(Path(cognito.__file__).read_text(encoding="utf-8")))
    assert "admin_initiate_auth" in calls
    assert calls <= set(COGNITO_ACTIONS), "a new Cognito call: grant it, then list it here"
    granted = _granted(resources, "ConsoleFunctionRole")
    needed = {COGNITO_ACTIONS[c] for c in calls} - {None}
    assert needed <= granted


def test_the_delivery_function_writes_only_with_puts() -> None:
    """Recording a delivery report puts its items (never updates or deletes): what the
    delivery function's role allows."""
    from complaints.adapters.dynamo import delivery

    text = Path(delivery.__file__).read_text(encoding="utf-8")
    assert set(CALL.findall(text)) == {("dynamodb", "transact_write_items")}
    assert '"Update"' not in text
    assert '"Delete"' not in text


TRANSACT_KINDS = {
    "Put": "dynamodb:PutItem",
    "Update": "dynamodb:UpdateItem",
    "Delete": "dynamodb:DeleteItem",
    "ConditionCheck": "dynamodb:ConditionCheckItem",
}


def test_every_kind_of_transaction_item_the_code_writes_is_granted(
    resources: dict[str, Any],
) -> None:
    """A transaction needs the action of each kind of item in it: a ``Delete`` with no
    ``DeleteItem`` granted fails in AWS with access denied, though moto lets it through."""
    from complaints import adapters

    kinds = set()
    for path in Path(adapters.__file__).parent.rglob("*.py"):
        kinds |= set(re.findall(r'\{"(Put|Update|Delete|ConditionCheck)":', path.read_text()))
    assert "Put" in kinds  # the scan found the transactions
    for kind in kinds:
        for role in ("ApiFunctionRole", *WORKER_ROLES):
            assert TRANSACT_KINDS[kind] in _granted(resources, role), (kind, role)
