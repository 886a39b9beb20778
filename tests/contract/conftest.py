"""API contract tests: the committed OpenAPI document against the real local stack
(``python -m complaints_tools.local``, what ``make run`` starts) on a free 127.0.0.1 port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.localstack import ROOT, Stack, build_site, stack_for_tests

BUILT_SITE = ROOT / "build" / "site"


@pytest.fixture(scope="session")
def contract_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guide ``make site`` built (``make test`` builds it first), or a fresh build."""
    if (BUILT_SITE / "index.html").is_file():
        return BUILT_SITE
    out = tmp_path_factory.mktemp("contract-site")
    build_site(out)
    return out


@pytest.fixture(scope="session")
def api_stack(contract_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack of its own: the fuzzing leaves many complaints behind."""
    with stack_for_tests(contract_site, tmp_path_factory.mktemp("contract-state")) as started:
        yield started
