"""cfn-lint on the template as written, on the us-east-1 WAF stack, and on what SAM deploys."""

from __future__ import annotations

from pathlib import Path

import pytest
from cfnlint.api import lint_file

from tests.infra.conftest import EDGE_TEMPLATE, TEMPLATE

pytestmark = pytest.mark.infra


def _problems(path: Path) -> list[str]:
    return [
        f"{match.rule.id} {match.message} (line {match.linenumber})" for match in lint_file(path)
    ]


@pytest.mark.parametrize("path", [TEMPLATE, EDGE_TEMPLATE], ids=["template.yaml", "edge.yaml"])
def test_templates_are_lint_clean(path: Path) -> None:
    assert _problems(path) == []


def test_the_transformed_template_is_lint_clean(transformed_file: Path) -> None:
    assert _problems(transformed_file) == []


def test_lint_would_catch_a_broken_template(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        TEMPLATE.read_text(encoding="utf-8").replace(
            "BillingMode: PAY_PER_REQUEST", "BillingMode: PAY_AS_YOU_LIKE"
        ),
        encoding="utf-8",
    )
    assert any("PAY_AS_YOU_LIKE" in problem for problem in _problems(broken))
