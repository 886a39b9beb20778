"""Read ``template.yaml`` and create its resources on the embedded AWS (moto).

The deployed stack and the local one share one definition: the DynamoDB table (keys, indexes,
stream, TTL), the SES email identity and configuration set, the Scheduler schedule group, the
SQS queues (with their redrive policies), the Secrets Manager secrets (a random value each) and
the EventBridge rules' patterns and queue targets are created or read from the template's
resources, and the functions' environment variables are resolved from it. Only endpoints and
account ids differ.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from secrets import token_urlsafe
from typing import Any

from complaints_tools.infra_template import create_table_request

ACCOUNT_ID = "123456789012"
STREAM_FUNCTION_HANDLER = "complaints.handlers.outbox.handler"


@dataclass
class Resolver:
    """Resolves ``Ref``, ``Fn::Sub`` and ``Fn::GetAtt`` ... Arn to local names."""

    template: Mapping[str, Any]
    stack_name: str
    region: str
    names: dict[str, str] = field(default_factory=dict)  # logical id -> physical name
    arns: dict[str, str] = field(default_factory=dict)  # logical id -> ARN

    def pseudo(self) -> dict[str, str]:
        return {
            "AWS::StackName": self.stack_name,
            "AWS::Region": self.region,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }

    def _ref(self, name: str) -> str | None:
        if name in self.pseudo():
            return self.pseudo()[name]
        if name in self.names:
            return self.names[name]
        parameter = (self.template.get("Parameters") or {}).get(name)
        if parameter and "Default" in parameter:
            return str(parameter["Default"])
        if name in (self.template.get("Resources") or {}):
            return f"{self.stack_name}-{name}"
        return None

    def _arn(self, name: str) -> str:
        if name in self.arns:
            return self.arns[name]
        resource = (self.template.get("Resources") or {}).get(name) or {}
        kind = str(resource.get("Type", ""))
        if kind == "AWS::Serverless::Function":
            function = self.resolve((resource.get("Properties") or {}).get("FunctionName"))
            function = function or f"{self.stack_name}-{name}"
            return f"arn:aws:lambda:{self.region}:{ACCOUNT_ID}:function:{function}"
        if kind == "AWS::IAM::Role":
            return f"arn:aws:iam::{ACCOUNT_ID}:role/{self.stack_name}-{name}"
        return f"arn:aws:local:{self.region}:{ACCOUNT_ID}:{self.stack_name}-{name}"

    def resolve(self, value: Any) -> Any:
        """A plain value, or ``None`` when the template asks for something local cannot know."""
        if isinstance(value, str | int | float | bool):
            return value
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, Mapping):
            return None
        if "Ref" in value:
            return self._ref(str(value["Ref"]))
        if "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            name, attribute = target[0], target[1]
            return self._arn(name) if attribute == "Arn" else self._ref(name)
        if "Fn::Sub" in value:
            return self._sub(value["Fn::Sub"])
        if any(key.startswith("Fn::") for key in value):
            return None
        return {k: self.resolve(v) for k, v in value.items()}

    def _sub(self, spec: Any) -> str | None:
        text, extra = (spec, {}) if isinstance(spec, str) else (spec[0], spec[1])
        missing = False

        def replace(match: re.Match[str]) -> str:
            nonlocal missing
            name = match.group(1)
            if name in extra:
                found = self.resolve(extra[name])
            elif "." in name:
                logical, attribute = name.split(".", 1)
                found = self._arn(logical) if attribute == "Arn" else self._ref(logical)
            else:
                found = self._ref(name)
            if found is None:
                missing = True
                return ""
            return str(found)

        result = re.sub(r"\$\{([^}!]+)\}", replace, str(text))
        return None if missing else result


def resources_of_type(template: Mapping[str, Any], kind: str) -> dict[str, Mapping[str, Any]]:
    return {
        name: resource
        for name, resource in (template.get("Resources") or {}).items()
        if isinstance(resource, Mapping) and resource.get("Type") == kind
    }


@dataclass(frozen=True)
class StreamMapping:
    """A function's DynamoDB event source mapping on a table's stream, as the template says."""

    function: str  # logical id ("" when no function is subscribed)
    handler: str
    patterns: list[dict[str, Any]]
    batch_size: int = 100  # Lambda's defaults
    max_retries: int = -1  # -1: until the record expires
    on_failure: str | None = None  # logical id of the on-failure destination


def stream_mapping(template: Mapping[str, Any], table: str) -> StreamMapping:
    """The mapping subscribed to ``table``'s stream (the first, in template order)."""
    functions = resources_of_type(template, "AWS::Serverless::Function")
    for logical, resource in functions.items():
        properties = resource.get("Properties") or {}
        for event in (properties.get("Events") or {}).values():
            if event.get("Type") != "DynamoDB":
                continue
            mapping = event.get("Properties") or {}
            if json.dumps(mapping.get("Stream")).find(f'"{table}"') < 0:
                continue
            filters = (mapping.get("FilterCriteria") or {}).get("Filters") or []
            patterns = [
                json.loads(f["Pattern"]) if isinstance(f["Pattern"], str) else dict(f["Pattern"])
                for f in filters
                if "Pattern" in f
            ]
            destination = ((mapping.get("DestinationConfig") or {}).get("OnFailure") or {}).get(
                "Destination"
            )
            target = destination.get("Fn::GetAtt") if isinstance(destination, Mapping) else None
            return StreamMapping(
                function=logical,
                handler=str(properties.get("Handler") or STREAM_FUNCTION_HANDLER),
                patterns=patterns,
                batch_size=int(mapping.get("BatchSize", 100)),
                max_retries=int(mapping.get("MaximumRetryAttempts", -1)),
                on_failure=str(target[0]) if target else None,
            )
    return StreamMapping("", STREAM_FUNCTION_HANDLER, [])


def http_routes(template: Mapping[str, Any]) -> dict[str, str]:
    """``"METHOD /path"`` -> handler, for every function's HTTP API routes."""
    default = ((template.get("Globals") or {}).get("Function") or {}).get("Handler")
    routes: dict[str, str] = {}
    for resource in resources_of_type(template, "AWS::Serverless::Function").values():
        properties = resource.get("Properties") or {}
        for event in (properties.get("Events") or {}).values():
            if event.get("Type") == "HttpApi":
                route = event.get("Properties") or {}
                key = f"{str(route.get('Method')).upper()} {route.get('Path')}"
                routes[key] = str(properties.get("Handler") or default)
    return routes


def stream_filters(template: Mapping[str, Any], table: str) -> tuple[str, list[dict[str, Any]]]:
    """The handler subscribed to ``table``'s stream and its filter patterns (template order)."""
    mapping = stream_mapping(template, table)
    return mapping.handler, mapping.patterns


def function_environment(template: Mapping[str, Any], resolver: Resolver) -> dict[str, str]:
    """Environment variables of the functions (Globals first), resolved to local values."""
    variables: dict[str, Any] = {}
    globals_env = ((template.get("Globals") or {}).get("Function") or {}).get("Environment")
    variables.update((globals_env or {}).get("Variables") or {})
    for resource in resources_of_type(template, "AWS::Serverless::Function").values():
        env = ((resource.get("Properties") or {}).get("Environment") or {}).get("Variables")
        for name, value in (env or {}).items():
            variables.setdefault(name, value)
    resolved = {name: resolver.resolve(value) for name, value in variables.items()}
    return {name: str(value) for name, value in resolved.items() if value is not None}


@dataclass(frozen=True)
class QueueConsumer:
    """A function's SQS event source mapping, as the template says."""

    function: str  # logical id
    handler: str
    queue_url: str
    batch_size: int = 10


@dataclass(frozen=True)
class EventRule:
    """An EventBridge rule that puts matching events on a queue (and failures on another)."""

    pattern: dict[str, Any]
    queue_url: str
    dead_letter_url: str | None = None


def queue_consumers(
    template: Mapping[str, Any], resolver: Resolver, queues: Mapping[str, str]
) -> list[QueueConsumer]:
    found: list[QueueConsumer] = []
    default_handler = ((template.get("Globals") or {}).get("Function") or {}).get("Handler")
    for logical, resource in resources_of_type(template, "AWS::Serverless::Function").items():
        properties = resource.get("Properties") or {}
        for event in (properties.get("Events") or {}).values():
            if event.get("Type") != "SQS":
                continue
            mapping = event.get("Properties") or {}
            target = (mapping.get("Queue") or {}).get("Fn::GetAtt") or [""]
            if target[0] not in queues:
                continue
            found.append(
                QueueConsumer(
                    function=logical,
                    handler=str(properties.get("Handler") or default_handler),
                    queue_url=queues[target[0]],
                    batch_size=int(mapping.get("BatchSize", 10)),
                )
            )
    return found


def event_rules(
    template: Mapping[str, Any], resolver: Resolver, queues: Mapping[str, str]
) -> list[EventRule]:
    found: list[EventRule] = []
    for resource in resources_of_type(template, "AWS::Events::Rule").values():
        properties = resource.get("Properties") or {}
        pattern = resolver.resolve(properties.get("EventPattern"))
        for target in properties.get("Targets") or ():
            arn = (target.get("Arn") or {}).get("Fn::GetAtt") or [""]
            dead = ((target.get("DeadLetterConfig") or {}).get("Arn") or {}).get("Fn::GetAtt")
            if arn[0] in queues and isinstance(pattern, dict):
                found.append(
                    EventRule(pattern, queues[arn[0]], queues.get(dead[0]) if dead else None)
                )
    return found


@dataclass
class LocalResources:
    table_name: str
    stream_arn: str | None
    schedule_group: str | None
    identities: list[str]
    environment: dict[str, str]
    stream_handler: str
    stream_patterns: list[dict[str, Any]]
    function_handlers: dict[str, str] = field(default_factory=dict)  # function ARN -> handler
    queues: dict[str, str] = field(default_factory=dict)  # logical id -> SQS queue URL
    stream_batch_size: int = 100
    stream_max_retries: int = -1
    stream_failure_queue: str | None = None  # the mapping's on-failure SQS queue URL
    stream_function_arn: str = ""
    queue_consumers: list[QueueConsumer] = field(default_factory=list)  # SQS event sources
    event_rules: list[EventRule] = field(default_factory=list)  # EventBridge rules to queues
    configuration_sets: list[str] = field(default_factory=list)  # SES configuration sets
    secrets: dict[str, str] = field(default_factory=dict)  # logical id -> secret ARN


def create_resources(
    template: Mapping[str, Any], clients: Any, *, stack_name: str, region: str
) -> LocalResources:
    """Create the template's table(s), email identities and schedule groups.

    ``clients(service)`` returns a boto3 client pointed at the embedded AWS.
    """
    resolver = Resolver(template, stack_name, region)
    queues: dict[str, str] = {}
    declared = resources_of_type(template, "AWS::SQS::Queue")
    for logical, resource in declared.items():
        # Names as CloudFormation makes them (less its random suffix); encryption is AWS's.
        sqs = clients("sqs")
        properties = resource.get("Properties") or {}
        attributes = {
            name: str(properties[name])
            for name in ("VisibilityTimeout", "MessageRetentionPeriod")
            if name in properties
        }
        url = sqs.create_queue(QueueName=f"{stack_name}-{logical}", Attributes=attributes)[
            "QueueUrl"
        ]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        queues[logical] = url
        resolver.names[logical] = url  # Ref of a queue is its URL
        resolver.arns[logical] = arn["Attributes"]["QueueArn"]
    for logical, resource in declared.items():  # once every queue exists: the redrives
        redrive = resolver.resolve((resource.get("Properties") or {}).get("RedrivePolicy"))
        if isinstance(redrive, dict) and redrive.get("deadLetterTargetArn"):
            clients("sqs").set_queue_attributes(
                QueueUrl=queues[logical], Attributes={"RedrivePolicy": json.dumps(redrive)}
            )

    secrets: dict[str, str] = {}
    for logical in resources_of_type(template, "AWS::SecretsManager::Secret"):
        made = clients("secretsmanager").create_secret(
            Name=f"{stack_name}-{logical}", SecretString=token_urlsafe(32)
        )
        secrets[logical] = resolver.names[logical] = made["ARN"]  # Ref of a secret: its ARN

    configuration_sets: list[str] = []
    for logical, resource in resources_of_type(template, "AWS::SES::ConfigurationSet").items():
        name = resolver.resolve((resource.get("Properties") or {}).get("Name"))
        name = name or f"{stack_name}-{logical}"
        clients("sesv2").create_configuration_set(ConfigurationSetName=name)
        resolver.names[logical] = name
        configuration_sets.append(name)
    tables = resources_of_type(template, "AWS::DynamoDB::Table")
    if not tables:
        raise ValueError("template.yaml defines no DynamoDB table")
    dynamodb = clients("dynamodb")
    table_name = stream_arn = ""
    main_logical = next(iter(tables))
    for logical, resource in tables.items():
        properties = resource.get("Properties") or {}
        name = resolver.resolve(properties.get("TableName")) or f"{stack_name}-{logical}"
        resolver.names[logical] = name
        created = dynamodb.create_table(**create_table_request(properties, name))[
            "TableDescription"
        ]
        resolver.arns[logical] = created["TableArn"]
        ttl = properties.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            dynamodb.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
            )
        if logical == main_logical:
            table_name, stream_arn = name, created.get("LatestStreamArn") or ""

    identities: list[str] = []
    for logical, resource in resources_of_type(template, "AWS::SES::EmailIdentity").items():
        identity = resolver.resolve((resource.get("Properties") or {}).get("EmailIdentity"))
        if identity:
            clients("sesv2").create_email_identity(EmailIdentity=identity)
            resolver.names[logical] = identity
            identities.append(identity)

    group_name: str | None = None
    for logical, resource in resources_of_type(template, "AWS::Scheduler::ScheduleGroup").items():
        name = resolver.resolve((resource.get("Properties") or {}).get("Name"))
        name = name or f"{stack_name}-{logical}"
        clients("scheduler").create_schedule_group(Name=name)
        resolver.names[logical] = name
        group_name = group_name or name

    mapping = stream_mapping(template, main_logical)
    default_handler = ((template.get("Globals") or {}).get("Function") or {}).get("Handler")
    function_handlers = {
        resolver.resolve({"Fn::GetAtt": [logical, "Arn"]}): str(
            (resource.get("Properties") or {}).get("Handler") or default_handler
        )
        for logical, resource in resources_of_type(template, "AWS::Serverless::Function").items()
    }
    return LocalResources(
        table_name=table_name,
        stream_arn=stream_arn or None,
        schedule_group=group_name,
        identities=identities,
        environment=function_environment(template, resolver),
        stream_handler=mapping.handler,
        stream_patterns=mapping.patterns,
        function_handlers=function_handlers,
        queues=queues,
        stream_batch_size=mapping.batch_size,
        stream_max_retries=mapping.max_retries,
        stream_failure_queue=queues.get(mapping.on_failure or ""),
        stream_function_arn=(
            str(resolver.resolve({"Fn::GetAtt": [mapping.function, "Arn"]}))
            if mapping.function
            else ""
        ),
        queue_consumers=queue_consumers(template, resolver, queues),
        event_rules=event_rules(template, resolver, queues),
        configuration_sets=configuration_sets,
        secrets=secrets,
    )
