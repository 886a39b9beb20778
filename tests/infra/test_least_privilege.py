"""Least privilege, read from what CloudFormation deploys (the transformed template): no
statement grants "*" on anything, no AWS managed policy is attached, and each permission that
could reach beyond the stack is pinned by a condition."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.infra

IAM_TYPES = {"AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"}


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _identity_statements(resources: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for logical_id, resource in resources.items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::IAM::Role":
            documents = [policy["PolicyDocument"] for policy in properties.get("Policies", [])]
        elif resource["Type"] in IAM_TYPES:
            documents = [properties["PolicyDocument"]]
        else:
            continue
        for document in documents:
            for statement in document["Statement"]:
                yield logical_id, statement


def _role_statements(resources: dict[str, Any], role: str) -> list[dict[str, Any]]:
    return [
        statement for logical_id, statement in _identity_statements(resources) if logical_id == role
    ]


def _actions(statements: list[dict[str, Any]]) -> set[str]:
    return {action for statement in statements for action in _listed(statement["Action"])}


FUNCTIONS = ("Api", "Outbox", "Checks", "Delivery", "NotifyCallback", "Console")


def test_every_function_has_its_own_written_role(resources: dict[str, Any]) -> None:
    functions = {k: v for k, v in resources.items() if v["Type"] == "AWS::Lambda::Function"}
    assert set(functions) == {f"{name}Function" for name in FUNCTIONS}
    roles = {json.dumps(f["Properties"]["Role"]) for f in functions.values()}
    assert len(roles) == len(FUNCTIONS)
    for name in FUNCTIONS:
        assert resources[f"{name}FunctionRole"]["Type"] == "AWS::IAM::Role"


def test_no_statement_grants_star(resources: dict[str, Any]) -> None:
    statements = list(_identity_statements(resources))
    assert len(statements) > 20
    for logical_id, statement in statements:
        if statement["Effect"] == "Deny":  # a restriction (the access log), never a grant
            continue
        assert statement["Effect"] == "Allow", logical_id
        for resource in _listed(statement["Resource"]):
            text = json.dumps(resource)
            assert text != '"*"', f"{logical_id}: {statement}"
            assert ":*:" not in text, f"{logical_id}: wildcard account or region in {text}"
        for action in _listed(statement["Action"]):
            assert action != "*", logical_id
            assert not action.endswith(":*"), f"{logical_id}: {action}"


def test_no_aws_managed_policies(resources: dict[str, Any]) -> None:
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::IAM::Role":
            assert "ManagedPolicyArns" not in resource["Properties"], logical_id


def test_no_table_scans_and_no_deletes_but_of_sessions(resources: dict[str, Any]) -> None:
    allowed = [(r, s) for r, s in _identity_statements(resources) if s["Effect"] == "Allow"]
    actions = {action for _, statement in allowed for action in _listed(statement["Action"])}
    assert "dynamodb:Scan" not in actions
    assert "dynamodb:Query" in actions
    deletes = [(r, s) for r, s in allowed if "dynamodb:DeleteItem" in _listed(s["Action"])]
    assert [r for r, _ in deletes] == ["ConsoleFunctionRole"]
    ((_, statement),) = deletes
    assert statement["Condition"] == {
        "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["SESSION#*", "SIGNIN#*"]}
    }


@pytest.mark.parametrize(
    "role",
    [
        "ApiFunctionRole",
        "OutboxFunctionRole",
        "ChecksFunctionRole",
        "ConsoleFunctionRole",
        "OperatorPolicy",
    ],
)
def test_no_role_can_change_or_remove_the_access_log(resources: dict[str, Any], role: str) -> None:
    from complaints.adapters.keys import ACCESS_PREFIX

    denies = [s for s in _role_statements(resources, role) if s["Effect"] == "Deny"]
    denied = _actions(denies)
    assert {"dynamodb:UpdateItem", "dynamodb:DeleteItem"} <= denied
    for statement in denies:
        assert statement["Condition"] == {
            "ForAnyValue:StringLike": {"dynamodb:LeadingKeys": [f"{ACCESS_PREFIX}*"]}
        }
    if role not in ("ConsoleFunctionRole", "OperatorPolicy"):  # only they append to it
        assert "dynamodb:PutItem" in denied


def test_the_console_signs_in_on_its_own_pool_and_cannot_email_or_schedule(
    resources: dict[str, Any],
) -> None:
    statements = _role_statements(resources, "ConsoleFunctionRole")
    actions = _actions(statements)
    assert not {a for a in actions if a.startswith(("ses:", "scheduler:", "iam:", "sqs:"))}
    cognito = [
        s for s in statements if any(a.startswith("cognito-idp:") for a in _listed(s["Action"]))
    ]
    assert len(cognito) == 1
    assert cognito[0]["Resource"] == {"Fn::GetAtt": ["StaffUserPool", "Arn"]}
    assert "cognito-idp:AdminDeleteUser" not in actions  # leavers are disabled, kept on record


def test_email_only_from_the_councils_identity_and_address(resources: dict[str, Any]) -> None:
    ses = [
        (role, s)
        for role, s in _identity_statements(resources)
        if "ses:SendEmail" in _listed(s["Action"])
    ]
    assert {role for role, _ in ses} == {
        "OutboxFunctionRole",
        "ChecksFunctionRole",
        "OperatorPolicy",
    }
    for _, statement in ses:
        assert "identity/${SesIdentity}" in json.dumps(statement["Resource"])
        assert statement["Condition"] == {
            "StringEquals": {"ses:FromAddress": {"Ref": "SenderEmail"}}
        }
        # and only through this stack's configuration set, whose events are recorded
        (_, configuration_set) = statement["Resource"]
        assert "configuration-set/${DeliveryConfigurationSet}" in json.dumps(configuration_set)


def test_secrets_are_read_one_secret_at_a_time(resources: dict[str, Any]) -> None:
    """The Notify API key by the senders (and the command line), the callback token by the
    callback route only; nobody else reads a secret."""
    readers: dict[str, list[Any]] = {}
    for role, statement in _identity_statements(resources):
        if "secretsmanager:GetSecretValue" in _listed(statement["Action"]):
            assert _listed(statement["Action"]) == ["secretsmanager:GetSecretValue"]
            readers.setdefault(role, []).append(statement["Resource"])
    key, token = {"Ref": "NotifyApiKeySecret"}, {"Ref": "NotifyCallbackTokenSecret"}
    assert readers == {
        "OutboxFunctionRole": [key],
        "ChecksFunctionRole": [key],
        "OperatorPolicy": [key],
        "NotifyCallbackFunctionRole": [token],
    }
    for secret in ("NotifyApiKeySecret", "NotifyCallbackTokenSecret"):
        properties = resources[secret]["Properties"]
        assert properties["KmsKeyId"] == {"Ref": "DataKey"}
        assert "SecretString" not in properties  # never a value in the template


def test_the_delivery_function_reads_its_queue_and_writes_cases_only(
    resources: dict[str, Any],
) -> None:
    statements = _role_statements(resources, "DeliveryFunctionRole")
    assert not {a for a in _actions(statements) if a.startswith(("ses:", "secretsmanager:"))}
    sqs = [s for s in statements if any(a.startswith("sqs:") for a in _listed(s["Action"]))]
    assert [s["Resource"] for s in sqs] == [{"Fn::GetAtt": ["DeliveryQueue", "Arn"]}]
    dynamo = [s for s in statements if any(a.startswith("dynamodb:") for a in _listed(s["Action"]))]
    (table,) = dynamo
    assert set(table["Action"]) == {"dynamodb:GetItem", "dynamodb:PutItem"}
    callback = _actions(_role_statements(resources, "NotifyCallbackFunctionRole"))
    assert not {a for a in callback if a.startswith(("dynamodb:", "ses:"))}


def test_only_this_stacks_rule_puts_events_on_the_delivery_queue(
    resources: dict[str, Any],
) -> None:
    (statement,) = resources["DeliveryQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert statement["Action"] == "sqs:SendMessage"
    assert statement["Condition"] == {
        "ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": ["DeliveryEventsRule", "Arn"]}}
    }
    key = resources["DataKey"]["Properties"]["KeyPolicy"]["Statement"]
    (events,) = [s for s in key if s["Principal"] == {"Service": "events.amazonaws.com"}]
    rule = resources["DeliveryEventsRule"]["Properties"]["Name"]["Fn::Sub"]
    assert events["Condition"]["ArnEquals"]["aws:SourceArn"]["Fn::Sub"].endswith(":rule/" + rule)


def test_the_api_cannot_email_or_schedule(resources: dict[str, Any]) -> None:
    actions = _actions(_role_statements(resources, "ApiFunctionRole"))
    assert not {a for a in actions if a.startswith(("ses:", "scheduler:", "iam:", "sqs:"))}


def test_schedules_only_in_this_stacks_group_with_this_stacks_role(
    resources: dict[str, Any],
) -> None:
    for role in ("OutboxFunctionRole", "ChecksFunctionRole", "OperatorPolicy"):
        statements = _role_statements(resources, role)
        scheduler = [
            s for s in statements if any(a.startswith("scheduler:") for a in _listed(s["Action"]))
        ]
        assert len(scheduler) == 1
        assert "schedule/${ChecksScheduleGroup}/*" in json.dumps(scheduler[0]["Resource"])
        (pass_role,) = [s for s in statements if "iam:PassRole" in _listed(s["Action"])]
        assert pass_role["Resource"] == {"Fn::GetAtt": ["SchedulerRole", "Arn"]}
        assert pass_role["Condition"] == {
            "StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}
        }


def test_the_scheduler_role_only_invokes_the_checks_function(resources: dict[str, Any]) -> None:
    role = resources["SchedulerRole"]["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust["Condition"]["StringEquals"]["aws:SourceArn"] == {
        "Fn::GetAtt": ["ChecksScheduleGroup", "Arn"]
    }
    statements = _role_statements(resources, "SchedulerRole")
    (invoke,) = [s for s in statements if "lambda:InvokeFunction" in _listed(s["Action"])]
    # The ARN is built from the function's name (to avoid a cycle): it must be that name.
    name = resources["ChecksFunction"]["Properties"]["FunctionName"]["Fn::Sub"]
    assert invoke["Resource"]["Fn::Sub"].endswith(":function:" + name)
    assert _actions(statements) == {
        "lambda:InvokeFunction",
        "sqs:SendMessage",
        "kms:GenerateDataKey",
        "kms:Decrypt",
    }


def test_the_key_policy_gives_services_only_what_they_need(resources: dict[str, Any]) -> None:
    key = resources["DataKey"]
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == "Retain"
    for statement in key["Properties"]["KeyPolicy"]["Statement"]:
        principal = statement["Principal"]
        assert principal != "*"
        if "AWS" in principal:
            assert principal["AWS"]["Fn::Sub"].endswith(":root")
        else:
            assert "kms:*" not in _listed(statement["Action"])
    logs = [
        s
        for s in key["Properties"]["KeyPolicy"]["Statement"]
        if "logs." in json.dumps(s["Principal"])
    ]
    assert "log-group:/complaints/${AWS::StackName}/*" in json.dumps(logs[0]["Condition"])


def test_functions_write_only_their_own_log_group(resources: dict[str, Any]) -> None:
    for function in FUNCTIONS:
        group = f"{function}LogGroup"
        statements = _role_statements(resources, f"{function}FunctionRole")
        (logs,) = [
            s for s in statements if any(a.startswith("logs:") for a in _listed(s["Action"]))
        ]
        assert logs["Resource"] == {"Fn::GetAtt": [group, "Arn"]}
        config = resources[f"{function}Function"]["Properties"]["LoggingConfig"]
        assert config == {"LogFormat": "JSON", "LogGroup": {"Ref": group}}
