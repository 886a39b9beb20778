"""Calling a Lambda handler in-process, as the Lambda runtime would."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

LambdaHandler = Callable[[dict[str, Any], Any], Any]


def context(function_name: str) -> Any:
    """A stand-in for the Lambda context object."""
    return SimpleNamespace(
        function_name=function_name,
        memory_limit_in_mb=512,
        invoked_function_arn=f"arn:aws:lambda:eu-west-2:123456789012:function:{function_name}",
        aws_request_id=str(uuid.uuid4()),
        get_remaining_time_in_millis=lambda: 30_000,
    )


def load_handler(path: str) -> LambdaHandler | None:
    """``package.module.function`` -> the function; ``None`` when the module does not exist
    (yet: another part of the system may add it later)."""
    module_name, _, attribute = path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            return None
        raise
    found = getattr(module, attribute, None)
    return found if callable(found) else None
