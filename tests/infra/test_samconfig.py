"""infra/samconfig.toml: one section per environment, each deployable as written."""

from __future__ import annotations

import shlex
import tomllib
from typing import Any

import pytest

from tests.infra.conftest import ROOT

pytestmark = pytest.mark.infra

ENVIRONMENTS = ("default", "staging", "production")


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    return tomllib.loads((ROOT / "infra" / "samconfig.toml").read_text(encoding="utf-8"))


def _overrides(text: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in shlex.split(text))


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_each_environment_deploys_its_own_stack(
    config: dict[str, Any], template: dict[str, Any], environment: str
) -> None:
    deploy = config[environment]["deploy"]["parameters"]
    assert config[environment]["build"]["parameters"]["cached"] is True
    assert deploy["capabilities"] == "CAPABILITY_IAM"
    assert deploy["resolve_s3"] is True
    assert deploy["region"] == "eu-west-2"
    overrides = _overrides(deploy["parameter_overrides"])
    assert set(overrides) <= set(template["Parameters"])
    assert deploy["stack_name"].endswith(overrides["EnvironmentName"])


def test_stacks_do_not_collide(config: dict[str, Any]) -> None:
    names = [config[env]["deploy"]["parameters"]["stack_name"] for env in ENVIRONMENTS]
    assert len(set(names)) == len(names)


def test_production_asks_before_changing(config: dict[str, Any]) -> None:
    assert config["production"]["deploy"]["parameters"]["confirm_changeset"] is True
