"""What the issue asks of the deployed system, checked on what CloudFormation deploys."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.infra

FUNCTIONS = {
    "ApiFunction": "complaints.handlers.api.handler",
    "OutboxFunction": "complaints.handlers.outbox.handler",
    "ChecksFunction": "complaints.handlers.checks.handler",
    "DeliveryFunction": "complaints.handlers.delivery.handler",
    "NotifyCallbackFunction": "complaints.handlers.notify_callback.handler",
    "ConsoleFunction": "complaints.handlers.console.handler",
}
SENDERS = {"OutboxFunction", "ChecksFunction"}
# What the code reads (README "Deploy to AWS"; the handlers' adapters).
COMMON_ENVIRONMENT = {
    "TABLE_NAME",
    "POWERTOOLS_SERVICE_NAME",
    "POWERTOOLS_LOG_LEVEL",
    "POWERTOOLS_METRICS_NAMESPACE",
}
WORKER_ENVIRONMENT = {
    "SCHEDULE_GROUP",
    "SCHEDULER_ROLE_ARN",
    "CHECKS_FUNCTION_ARN",
    "SCHEDULER_DLQ_ARN",
    "SENDER_EMAIL",
    "SES_CONFIGURATION_SET",
    "NOTIFY_API_KEY_SECRET",
    "PUBLIC_BASE_URL",
}


def _of_type(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: v for k, v in resources.items() if v["Type"] == kind}


def test_functions_runtime_architecture_and_caps(resources: dict[str, Any]) -> None:
    for name, handler in FUNCTIONS.items():
        properties = resources[name]["Properties"]
        assert properties["Handler"] == handler
        assert properties["Runtime"] == "python3.12"
        assert properties["Architectures"] == ["arm64"]
        assert 0 < properties["ReservedConcurrentExecutions"] <= 10, name
        assert properties["Timeout"] <= 120


def test_functions_get_the_environment_the_code_reads(resources: dict[str, Any]) -> None:
    for name in FUNCTIONS:
        variables = set(resources[name]["Properties"]["Environment"]["Variables"])
        assert variables >= COMMON_ENVIRONMENT, name
        assert (variables >= WORKER_ENVIRONMENT) is (name in SENDERS), name
        assert bool(variables & {"SENDER_EMAIL", "NOTIFY_API_KEY_SECRET"}) is (name in SENDERS)


def test_log_groups_are_kept_and_encrypted(resources: dict[str, Any]) -> None:
    groups = _of_type(resources, "AWS::Logs::LogGroup")
    assert len(groups) == len(FUNCTIONS) + 1  # and the HTTP API's access log
    for name, group in groups.items():
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}, name
        assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": ["DataKey", "Arn"]}, name


def test_the_table_is_protected(resources: dict[str, Any]) -> None:
    table = resources["ComplaintsTable"]
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"
    properties = table["Properties"]
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["DeletionProtectionEnabled"] is True
    assert properties["SSESpecification"] == {
        "SSEEnabled": True,
        "SSEType": "KMS",
        "KMSMasterKeyId": {"Fn::GetAtt": ["DataKey", "Arn"]},
    }


def test_outbox_worker_reads_only_new_outbox_items_and_fails_safely(
    resources: dict[str, Any],
) -> None:
    (mapping,) = [
        m
        for m in _of_type(resources, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"] == {"Ref": "OutboxFunction"}
    ]
    properties = mapping["Properties"]
    assert properties["EventSourceArn"] == {"Fn::GetAtt": ["ComplaintsTable", "StreamArn"]}
    (pattern,) = [json.loads(f["Pattern"]) for f in properties["FilterCriteria"]["Filters"]]
    assert pattern == {
        "eventName": ["INSERT"],
        "dynamodb": {"NewImage": {"item_type": {"S": ["outbox"]}}},
    }
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert properties["BisectBatchOnFunctionError"] is True
    assert 0 < properties["MaximumRetryAttempts"] <= 10
    assert properties["DestinationConfig"]["OnFailure"]["Destination"] == {
        "Fn::GetAtt": ["OutboxDeadLetterQueue", "Arn"]
    }


def test_every_email_goes_through_the_configuration_set_whose_events_reach_the_queue(
    resources: dict[str, Any],
) -> None:
    for function in SENDERS:
        variables = resources[function]["Properties"]["Environment"]["Variables"]
        assert variables["SES_CONFIGURATION_SET"] == {"Ref": "DeliveryConfigurationSet"}
    destination = resources["DeliveryEventDestination"]["Properties"]
    assert destination["ConfigurationSetName"] == {"Ref": "DeliveryConfigurationSet"}
    events = destination["EventDestination"]
    assert events["Enabled"] is True
    assert set(events["MatchingEventTypes"]) == {"bounce", "complaint", "delivery", "reject"}
    assert events["EventBridgeDestination"]["EventBusArn"]["Fn::Sub"].endswith("event-bus/default")
    rule = resources["DeliveryEventsRule"]["Properties"]
    pattern = rule["EventPattern"]
    assert pattern["source"] == ["aws.ses"]
    assert set(pattern["detail-type"]) == {
        "Email Bounced",
        "Email Complaint Received",
        "Email Delivered",
        "Email Rejected",
    }
    # only this stack's email, when several stacks share the account's default bus
    assert pattern["detail"]["mail"]["tags"]["ses:configuration-set"] == [
        {"Ref": "DeliveryConfigurationSet"}
    ]
    (target,) = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": ["DeliveryQueue", "Arn"]}
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["DeliveryDeadLetterQueue", "Arn"]}}


def test_the_delivery_function_reads_the_queue_with_partial_failures_and_a_dead_letter_queue(
    resources: dict[str, Any],
) -> None:
    (mapping,) = [
        m
        for m in _of_type(resources, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"] == {"Ref": "DeliveryFunction"}
    ]
    properties = mapping["Properties"]
    assert properties["EventSourceArn"] == {"Fn::GetAtt": ["DeliveryQueue", "Arn"]}
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    queue = resources["DeliveryQueue"]["Properties"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {
        "Fn::GetAtt": ["DeliveryDeadLetterQueue", "Arn"]
    }
    assert 1 < queue["RedrivePolicy"]["maxReceiveCount"] <= 10
    timeout = resources["DeliveryFunction"]["Properties"]["Timeout"]
    assert queue["VisibilityTimeout"] >= 6 * timeout  # AWS's advice for a Lambda source
    for name in ("DeliveryQueue", "DeliveryDeadLetterQueue"):
        assert resources[name]["Properties"]["KmsMasterKeyId"] == {"Ref": "DataKey"}
    callback = resources["NotifyCallbackFunction"]["Properties"]
    assert callback["Environment"]["Variables"]["DELIVERY_QUEUE_URL"] == {"Ref": "DeliveryQueue"}


def test_checks_run_from_schedules_and_a_daily_sweep(resources: dict[str, Any]) -> None:
    (sweep,) = _of_type(resources, "AWS::Scheduler::Schedule").values()
    properties = sweep["Properties"]
    assert properties["ScheduleExpression"].startswith("cron(")
    assert properties["ScheduleExpressionTimezone"] == "Europe/London"
    assert properties["GroupName"] == {"Ref": "ChecksScheduleGroup"}
    target = properties["Target"]
    assert target["Arn"] == {"Fn::GetAtt": ["ChecksFunction", "Arn"]}
    assert target["RoleArn"] == {"Fn::GetAtt": ["SchedulerRole", "Arn"]}
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["ChecksDeadLetterQueue", "Arn"]}}
    # Failures of asynchronous invocations (every schedule) land in the same queue.
    checks = resources["ChecksFunction"]["Properties"]
    assert checks["DeadLetterConfig"] == {
        "TargetArn": {"Fn::GetAtt": ["ChecksDeadLetterQueue", "Arn"]}
    }
    variables = checks["Environment"]["Variables"]
    assert variables["SCHEDULE_GROUP"] == {"Ref": "ChecksScheduleGroup"}
    assert variables["SCHEDULER_ROLE_ARN"] == {"Fn::GetAtt": ["SchedulerRole", "Arn"]}


def test_every_failure_and_overdue_case_raises_an_alarm(resources: dict[str, Any]) -> None:
    alarms = list(_of_type(resources, "AWS::CloudWatch::Alarm").values())
    watched = {
        (
            a["Properties"]["MetricName"],
            json.dumps(a["Properties"].get("Dimensions", [{}])[0].get("Value")),
        )
        for a in alarms
    }
    for queue in ("OutboxDeadLetterQueue", "ChecksDeadLetterQueue", "DeliveryDeadLetterQueue"):
        value = json.dumps({"Fn::GetAtt": [queue, "QueueName"]})
        assert ("ApproximateNumberOfMessagesVisible", value) in watched, queue
    for function in FUNCTIONS:
        assert ("Errors", json.dumps({"Ref": function})) in watched, function
    (overdue,) = [
        a["Properties"] for a in alarms if a["Properties"]["MetricName"] == "OverdueCases"
    ]
    assert overdue["Namespace"] == "Complaints"
    for alarm in alarms:
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "AlertTopic"}]
        assert alarm["Properties"]["Threshold"] >= 0
    (subscription,) = _of_type(resources, "AWS::SNS::Subscription").values()
    assert subscription["Properties"]["Endpoint"] == {"Ref": "AlertEmail"}
    assert resources["AlertTopic"]["Properties"]["KmsMasterKeyId"] == {"Ref": "DataKey"}


def test_the_http_api_is_throttled_and_logged(resources: dict[str, Any]) -> None:
    (stage,) = _of_type(resources, "AWS::ApiGatewayV2::Stage").values()
    properties = stage["Properties"]
    assert properties["AccessLogSettings"]["DestinationArn"] == {
        "Fn::GetAtt": ["HttpApiAccessLogGroup", "Arn"]
    }
    log_format = json.loads(properties["AccessLogSettings"]["Format"])
    # Route templates only: a path carries a reference, a query string a self-service token.
    assert "$context.routeKey" in log_format.values()
    assert not {"$context.path", "$context.identity.sourceIp"} & set(log_format.values())
    assert properties["DefaultRouteSettings"]["ThrottlingRateLimit"] > 0
    routes = properties["RouteSettings"]
    assert (
        routes["POST /api/complaints"]["ThrottlingRateLimit"]
        < properties["DefaultRouteSettings"]["ThrottlingRateLimit"]
    )
    api = resources["HttpApi"]["Properties"]["Body"]["paths"]
    declared = {f"{method.upper()} {path}" for path, methods in api.items() for method in methods}
    assert set(routes) <= declared


def _distribution(resources: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = resources["SiteDistribution"]["Properties"]["DistributionConfig"]
    return config


def test_cloudfront_serves_the_private_bucket_and_the_api_on_one_origin(
    resources: dict[str, Any],
) -> None:
    config = _distribution(resources)
    origins = {origin["Id"]: origin for origin in config["Origins"]}
    assert origins["site"]["OriginAccessControlId"] == {
        "Fn::GetAtt": ["SiteOriginAccessControl", "Id"]
    }
    assert "${HttpApi}.execute-api." in origins["api"]["DomainName"]["Fn::Sub"]
    assert origins["api"]["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == "site"
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assets, staff, *drawn = config["CacheBehaviors"]
    assert assets["PathPattern"] == "/staff/assets/*"  # the console's styles: built site files
    assert assets["TargetOriginId"] == "site"
    assert staff["PathPattern"] == "/staff*"  # the console: never cached, its own headers
    assert staff["TargetOriginId"] == "api"
    assert staff["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    assert staff["ResponseHeadersPolicyId"] == {"Ref": "StaffResponseHeadersPolicy"}
    behaviours = {b["PathPattern"]: b for b in drawn}
    assert set(behaviours) == {"/api/*", "/complaint/*"}
    for pattern, api in behaviours.items():  # every path the API draws: never cached
        assert api["TargetOriginId"] == "api", pattern
        assert "POST" in api["AllowedMethods"], pattern
        assert api["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CachingDisabled
        assert api["ResponseHeadersPolicyId"] == {"Ref": "ApiResponseHeadersPolicy"}
    assert config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] == {
        "Ref": "SiteResponseHeadersPolicy"
    }


def test_the_bucket_is_private_versioned_and_encrypted(resources: dict[str, Any]) -> None:
    bucket = resources["SiteBucket"]["Properties"]
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(bucket["PublicAccessBlockConfiguration"]) == 4
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    statements = resources["SiteBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    (read,) = [s for s in statements if s["Effect"] == "Allow"]
    assert read["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert "distribution/${SiteDistribution}" in json.dumps(read["Condition"])


def test_security_headers(resources: dict[str, Any], template: dict[str, Any]) -> None:
    from complaints_tools.infra_template import security_headers

    headers = security_headers()
    csp = [directive.strip() for directive in headers["Content-Security-Policy"].split(";")]
    for directive in ("default-src 'self'", "form-action 'self'", "frame-ancestors 'none'"):
        assert directive in csp
    assert headers["Strict-Transport-Security"].startswith("max-age=63072000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    site = resources["SiteResponseHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    api = resources["ApiResponseHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    # The API's answers get the same values, but its own stricter CSP and Referrer-Policy (on
    # its HTML error pages) win over the fallbacks.
    for name, header in site["SecurityHeadersConfig"].items():
        api_header = api["SecurityHeadersConfig"][name]
        assert {**api_header, "Override": True} == header, name
    assert api["SecurityHeadersConfig"]["ContentSecurityPolicy"]["Override"] is False
    api_headers = {item["Header"]: item["Value"] for item in api["CustomHeadersConfig"]["Items"]}
    assert api_headers["Cache-Control"] == "no-store"


def test_waf_and_custom_domain_are_optional(
    template: dict[str, Any], resources: dict[str, Any]
) -> None:
    config = _distribution(resources)
    assert config["WebACLId"]["Fn::If"][0] == "HasWebAcl"
    assert config["Aliases"]["Fn::If"][0] == "HasCustomDomain"
    parameters = template["Parameters"]
    for optional in ("WebAclArn", "DomainName", "CertificateArn", "EscalationEmail"):
        assert parameters[optional]["Default"] == ""
