"""The local HTTP server in front of the real handler: every method CloudFront passes on
(template.yaml) gets an answer from the API or the guide, never http.server's own 501."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from complaints.local.server import serve
from tests.localstack import free_port


def _no_such_route(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """What the API handler answers for a method it has no route for."""
    return {
        "statusCode": 404,
        "headers": {"Content-Type": "application/json"},
        "body": '{"message": "There is nothing at this address."}',
    }


@pytest.fixture
def server_url(tmp_path: Path) -> Iterator[tuple[str, int]]:
    (tmp_path / "index.html").write_text("<!doctype html><title>Guide</title>")
    port = free_port()
    server = serve(tmp_path, _no_such_route, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", port
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("method", ["OPTIONS", "PUT", "DELETE"])
def test_other_methods_on_the_api_reach_the_handler(
    server_url: tuple[str, int], method: str
) -> None:
    connection = http.client.HTTPConnection(*server_url, timeout=10)
    connection.request(method, "/api/complaints")
    answer = connection.getresponse()
    assert (answer.status, answer.getheader("Content-Type")) == (404, "application/json")
    assert b"nothing at this address" in answer.read()


@pytest.mark.parametrize("method", ["OPTIONS", "POST"])
def test_other_methods_on_a_page_are_not_allowed(server_url: tuple[str, int], method: str) -> None:
    connection = http.client.HTTPConnection(*server_url, timeout=10)
    connection.request(method, "/")
    assert connection.getresponse().status == 405
