"""Shared fixtures for the offline checks of the deployment (no AWS credentials, no network)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
from moto import mock_aws

from complaints_tools.infra_template import load_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
EDGE_TEMPLATE = ROOT / "infra" / "edge.yaml"
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"


def load_infra_script(name: str) -> ModuleType:
    """Import ``infra/<name>.py`` (scripts, not part of the Lambda package)."""
    spec = importlib.util.spec_from_file_location(f"infra_{name}", ROOT / "infra" / f"{name}.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[boto3.session.Session]:
    """The embedded AWS (moto, in process) with fake credentials: nothing leaves the machine."""
    from complaints.adapters import clients

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-2",
        "AWS_REGION": "eu-west-2",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(clients.ENDPOINT_ENV, raising=False)
    with mock_aws():
        yield boto3.session.Session(region_name="eu-west-2")


@pytest.fixture(scope="session")
def sam_transform() -> ModuleType:
    return load_infra_script("sam_transform")


@pytest.fixture(scope="session")
def template() -> dict[str, Any]:
    return load_template(TEMPLATE)


@pytest.fixture(scope="session")
def transformed(sam_transform: ModuleType) -> dict[str, Any]:
    """What CloudFormation deploys: template.yaml after the SAM transform."""
    result: dict[str, Any] = sam_transform.transform_file(TEMPLATE)
    return result


@pytest.fixture(scope="session")
def transformed_file(transformed: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("infra") / "template.json"
    path.write_text(json.dumps(transformed, indent=1), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def resources(transformed: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = transformed["Resources"]
    return result


@pytest.fixture(scope="session")
def checkov_reports(transformed_file: Path) -> list[dict[str, Any]]:
    """checkov's JSON report on template.yaml, infra/edge.yaml and the transformed template."""
    assert CHECKOV.exists(), f"{CHECKOV} is missing: run `make install`"
    reports: list[dict[str, Any]] = []
    for path in (TEMPLATE, EDGE_TEMPLATE, transformed_file):
        run = subprocess.run(
            [
                str(CHECKOV),
                "--framework",
                "cloudformation",
                "--skip-download",
                "--output",
                "json",
                "--file",
                str(path),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        report = json.loads(run.stdout)
        report["file"] = path.name
        reports.append(report)
    return reports
