"""Every function's AWS calls give up inside its timeout: the tries, each with its connect and
read timeouts and the backoff between them, add up to less than the function's ``Timeout``
(before, the SDK's 4 tries of 10 s could outlast the API's 10 s)."""

from __future__ import annotations

from typing import Any

import pytest

from complaints.environment import AwsCalls
from complaints_tools.infra_template import load_template

pytestmark = pytest.mark.infra


def _functions() -> list[tuple[str, dict[str, Any], float]]:
    template = load_template()
    globals_ = template.get("Globals", {}).get("Function", {})
    found = []
    for name, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        properties = resource["Properties"]
        timeout = float(properties.get("Timeout", globals_.get("Timeout", 3)))
        variables = {
            **globals_.get("Environment", {}).get("Variables", {}),
            **properties.get("Environment", {}).get("Variables", {}),
        }
        found.append((name, variables, timeout))
    return found


@pytest.mark.parametrize(("name", "variables", "timeout"), _functions(), ids=lambda v: str(v)[:20])
def test_a_call_that_keeps_failing_gives_up_inside_the_functions_timeout(
    name: str, variables: dict[str, Any], timeout: float
) -> None:
    assert {"AWS_CALL_CONNECT_SECONDS", "AWS_CALL_READ_SECONDS", "AWS_CALL_TRIES"} <= set(
        variables
    ), f"{name} sets no call budget: the SDK's defaults would outlast its timeout"
    calls = AwsCalls(
        connect_seconds=float(variables["AWS_CALL_CONNECT_SECONDS"]),
        read_seconds=float(variables["AWS_CALL_READ_SECONDS"]),
        tries=int(variables["AWS_CALL_TRIES"]),
    )
    assert calls.worst_case_seconds() < timeout * 0.8, name


def test_the_defaults_would_not_fit_the_api_function() -> None:
    """Why the budget is needed: the defaults (the command line's) take 47 s at worst."""
    assert AwsCalls().worst_case_seconds() > 10
