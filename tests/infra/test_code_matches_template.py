"""The template and the code agree: every handler the template names exists, and every route
the API serves is a route API Gateway sends to it (a route missing from the template would
work locally and 404 in AWS)."""

from __future__ import annotations

import importlib
import re
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


def test_every_handler_exists(template: dict[str, Any]) -> None:
    handlers = [properties["Handler"] for properties in _functions(template).values()]
    assert len(handlers) == 3
    for handler in handlers:
        module, _, attribute = handler.rpartition(".")
        assert callable(getattr(importlib.import_module(module), attribute)), handler


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
