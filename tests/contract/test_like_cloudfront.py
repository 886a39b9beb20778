"""The running local stack answers as CloudFront does in AWS: each answer carries the headers
of the template's response-headers policy for its path (``template.yaml``: one policy for the
guide, one for ``/api/*``)."""

from __future__ import annotations

import urllib.request

import pytest

from complaints_tools.infra_template import response_headers_for
from tests.localstack import Stack


@pytest.mark.parametrize("path", ["/api/health", "/", "/make-a-complaint/"])
def test_answers_carry_the_templates_headers_for_their_path(api_stack: Stack, path: str) -> None:
    with urllib.request.urlopen(f"{api_stack.url}{path}", timeout=10) as answer:  # noqa: S310
        assert answer.status == 200
        headers = answer.headers
    policy = response_headers_for(path)
    assert policy
    for header in policy:
        assert headers.get_all(header.name) == [header.value], header.name
