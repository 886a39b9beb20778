"""checkov: no failed check anywhere; every skip is written in the template, with its reason,
and still suppresses a real finding (a stale skip would hide a future one)."""

from __future__ import annotations

from typing import Any

import pytest

from complaints_tools.infra_template import load_template
from tests.infra.conftest import EDGE_TEMPLATE

pytestmark = pytest.mark.infra


def _declared_skips(template: dict[str, Any]) -> dict[tuple[str, str], str]:
    skips: dict[tuple[str, str], str] = {}
    for logical_id, resource in template["Resources"].items():
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
            skips[(logical_id, skip["id"])] = str(skip.get("comment", ""))
    return skips


def test_checkov_scanned_every_template(checkov_reports: list[dict[str, Any]]) -> None:
    for report in checkov_reports:
        assert report["summary"]["parsing_errors"] == 0, report["file"]
        assert report["summary"]["resource_count"] > 0, report["file"]
        assert report["summary"]["passed"] > 0, report["file"]


def test_checkov_finds_no_failures(checkov_reports: list[dict[str, Any]]) -> None:
    failures = [
        f"{report['file']}: {check['check_id']} {check['resource']} {check['check_name']}"
        for report in checkov_reports
        for check in report["results"]["failed_checks"]
    ]
    assert failures == []


def test_every_skip_has_a_reason(template: dict[str, Any]) -> None:
    skips = {**_declared_skips(template), **_declared_skips(load_template(EDGE_TEMPLATE))}
    assert skips, "expected the template's documented skips"
    for (logical_id, check_id), comment in skips.items():
        assert len(comment.split()) >= 8, f"{logical_id} {check_id}: give the reason in words"


def test_every_skip_is_still_needed(
    template: dict[str, Any], checkov_reports: list[dict[str, Any]]
) -> None:
    used = {
        (check["resource"].split(".")[-1], check["check_id"])
        for report in checkov_reports
        for check in report["results"]["skipped_checks"]
    }
    declared = set(_declared_skips(template)) | set(_declared_skips(load_template(EDGE_TEMPLATE)))
    assert declared - used == set()
