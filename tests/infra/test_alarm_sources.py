"""The alarms watch what the code really emits: the checks sweep's log line (for the
sweep-failures metric filter) and the OverdueCases metric."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import boto3
import pytest

from complaints import wiring
from complaints.adapters import clients

pytestmark = pytest.mark.infra

FIELD = re.compile(r"\$\.(\w+)")


@pytest.fixture
def checks_handler(aws: boto3.session.Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The real escalation-check handler, on moto with the template's resources."""
    from complaints.handlers import checks
    from complaints_tools.local.resources import prepare

    wiring.reset()
    clients.reset()
    _, env, _ = prepare(
        aws.client, stack_name="t", region="eu-west-2", site_url="http://127.0.0.1:1"
    )
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    yield checks.handler
    wiring.reset()
    clients.reset()


def _context() -> Any:
    return SimpleNamespace(
        function_name="t-checks",
        memory_limit_in_mb=512,
        invoked_function_arn="arn:aws:lambda:eu-west-2:123456789012:function:t-checks",
        aws_request_id="test",
    )


def test_the_sweep_log_line_has_what_the_metric_filter_reads(
    checks_handler: Any, resources: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    from complaints.handlers.checks import logger

    summary = checks_handler({"sweep": True}, _context())
    (logged,) = [r for r in caplog.records if r.getMessage() == "sweep"]
    # The line as CloudWatch receives it: Powertools' JSON, extra keys at the top level.
    record = json.loads(logger.registered_formatter.format(logged))
    assert record["message"] == "sweep"
    assert record["failed"] == summary["failed"] == 0

    properties = resources["SweepFailuresMetricFilter"]["Properties"]
    assert properties["LogGroupName"] == {"Ref": "ChecksLogGroup"}
    pattern = properties["FilterPattern"]
    assert '($.message = "sweep")' in pattern
    assert set(FIELD.findall(pattern)) <= set(record)
    (transformation,) = properties["MetricTransformations"]
    assert FIELD.findall(transformation["MetricValue"]) == ["failed"]
    assert isinstance(record["failed"], int)


def test_the_sweep_publishes_the_overdue_metric_the_alarm_watches(
    checks_handler: Any, resources: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    alarm = resources["OverdueCasesAlarm"]["Properties"]
    summary = checks_handler({"sweep": True}, _context())
    emitted = [
        json.loads(line)
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("{") and '"_aws"' in line
    ]
    (metric,) = [m for m in emitted if alarm["MetricName"] in m]
    (directive,) = metric["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == alarm["Namespace"]
    assert [d["Name"] for d in alarm["Dimensions"]] == directive["Dimensions"][0]
    for dimension in alarm["Dimensions"]:
        assert metric[dimension["Name"]] == dimension["Value"]
    assert metric[alarm["MetricName"]] == [float(summary["overdue_cases"])] == [0.0]
