"""The local HTTP server in front of the real handler, speaking like CloudFront: every method
CloudFront passes on (template.yaml) gets an answer from the API or the guide, never
http.server's own 501; every answer carries the headers of the template's response-headers
policy for its path; a body cut short times out with 400, and one over the API's limit gets
413 unread."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from complaints.handlers.api import MAX_BODY_BYTES
from complaints_tools.infra_template import response_headers_for
from complaints_tools.local import server as local_server
from complaints_tools.local.server import serve
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


# --- headers, as CloudFront adds them ---------------------------------------------------------

CALLS: list[dict[str, Any]] = []


def _recording(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """An API that answers as the real one does: JSON, with its own Cache-Control; an HTML
    page with its own stricter CSP and Referrer-Policy."""
    CALLS.append(event)
    if event["rawPath"] == "/api/page":
        return {
            "statusCode": 200,
            "headers": {
                "Content-Type": "text/html; charset=utf-8",
                "Content-Security-Policy": "default-src 'none'",
                "Referrer-Policy": "no-referrer",
                "Cache-Control": "private",
            },
            "body": "<p>page</p>",
        }
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json", "Cache-Control": "no-store"},
        "body": json.dumps({"status": "ok", "length": len(event.get("body") or "")}),
    }


@pytest.fixture
def api_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, int]]:
    monkeypatch.setattr(local_server, "BODY_TIMEOUT", 0.5)
    CALLS.clear()
    (tmp_path / "index.html").write_text("<!doctype html><title>Guide</title>")
    (tmp_path / "404.html").write_text("<!doctype html><title>Not found</title>")
    port = free_port()
    server = serve(tmp_path, _recording, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", port
    server.shutdown()
    server.server_close()


def _get(where: tuple[str, int], path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(*where, timeout=10)
    connection.request("GET", path)
    answer = connection.getresponse()
    answer.read()
    return answer


def _headers(answer: http.client.HTTPResponse) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in answer.getheaders():
        assert name.lower() not in {k.lower() for k in found}, f"{name} sent twice"
        found[name] = value
    return found


def test_api_answers_carry_the_template_policy_for_api_paths(api_url: tuple[str, int]) -> None:
    answer = _headers(_get(api_url, "/api/health"))
    policy = response_headers_for("/api/health")
    assert {h.name for h in policy} >= {
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "Cache-Control",
    }
    for header in policy:
        assert answer[header.name] == header.value, header.name


def test_the_apis_own_stricter_headers_win_where_the_policy_does_not_override(
    api_url: tuple[str, int],
) -> None:
    answer = _headers(_get(api_url, "/api/page"))
    assert answer["Content-Security-Policy"] == "default-src 'none'"
    assert answer["Referrer-Policy"] == "no-referrer"
    assert answer["Cache-Control"] == "no-store"  # Override: true in the template
    assert answer["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/no-such-page/", "/index.html?x=1"])
def test_pages_carry_the_template_policy_for_the_site(api_url: tuple[str, int], path: str) -> None:
    answer = _headers(_get(api_url, path))
    for header in response_headers_for("/"):
        assert answer[header.name] == header.value, header.name
    assert "Cache-Control" not in answer


# --- bodies -----------------------------------------------------------------------------------


def _raw(where: tuple[str, int], request: bytes, wait: float = 10) -> tuple[int, bytes, float]:
    """Send these bytes and read the answer: status, body, seconds it took."""
    started = time.monotonic()
    with socket.create_connection(where, timeout=wait) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split()[1]), body, time.monotonic() - started


def test_a_body_shorter_than_its_length_times_out_with_400(api_url: tuple[str, int]) -> None:
    request = (
        b"POST /api/complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 100\r\n\r\n" + b'{"details": "'
    )
    status, body, took = _raw(api_url, request)  # the connection is closed after the answer
    assert status == 400
    assert json.loads(body) == {"message": "The request did not arrive in full. Send it again."}
    assert took < 5
    assert CALLS == []


@pytest.mark.parametrize("content_length", [b"-1", b"lots"])
def test_a_content_length_that_is_not_a_length_is_a_400(
    api_url: tuple[str, int], content_length: bytes
) -> None:
    request = b"POST /api/complaints HTTP/1.1\r\nHost: x\r\nContent-Length: " + content_length
    status, _, _ = _raw(api_url, request + b"\r\n\r\n")
    assert status == 400
    assert CALLS == []


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_a_body_over_the_apis_limit_is_refused_with_its_413(
    api_url: tuple[str, int], content_type: str
) -> None:
    body = b"x" * (MAX_BODY_BYTES + 1)
    connection = http.client.HTTPConnection(*api_url, timeout=10)
    connection.request("POST", "/api/complaints", body, {"Content-Type": content_type})
    answer = connection.getresponse()
    text = answer.read().decode()
    assert answer.status == 413
    assert "too long to send" in text
    if content_type == "application/json":
        assert set(json.loads(text)) == {"message"}
    else:
        assert answer.getheader("Content-Type", "").startswith("text/html")
    assert answer.getheader("Cache-Control") == "no-store"
    assert CALLS == []


def test_a_huge_declared_body_is_refused_without_waiting_for_it(api_url: tuple[str, int]) -> None:
    request = (
        b"POST /api/complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 10000000000\r\n\r\n"
    )
    status, _, took = _raw(api_url, request)
    assert status == 413
    assert took < 1
    assert CALLS == []


def test_a_body_within_the_limit_reaches_the_api_whole(api_url: tuple[str, int]) -> None:
    body = json.dumps({"details": "x" * 100_000}).encode()
    connection = http.client.HTTPConnection(*api_url, timeout=10)
    connection.request("POST", "/api/complaints", body, {"Content-Type": "application/json"})
    answer = connection.getresponse()
    assert answer.status == 200
    assert json.loads(answer.read())["length"] == len(body)
