"""Fault-injection fixtures: the integration suite's moto stack, plus ``faults``."""

from __future__ import annotations

import pytest

from tests.faults.injector import Faults
from tests.integration.conftest import Stack, aws, stack  # noqa: F401  (fixtures, reused)


@pytest.fixture
def faults(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> Faults:  # noqa: F811
    """AWS errors on demand, installed after the stack's resources were created."""
    injector = Faults()
    injector.install(monkeypatch)
    return injector
