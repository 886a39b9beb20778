"""A small HTTP server on 127.0.0.1: the built guide at ``/`` and the real API handler at
``/api/*`` (through API Gateway v2 events)."""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Callable
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote, urlsplit

from complaints.local.apigw import from_result, to_event

MAX_BODY = 1024 * 1024  # the API itself refuses bodies over 256 KB with a clear message
ApiHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def _context() -> Any:
    return SimpleNamespace(
        function_name="complaints-api-local",
        memory_limit_in_mb=256,
        invoked_function_arn="arn:aws:lambda:eu-west-2:123456789012:function:local",
        aws_request_id="local",
        get_remaining_time_in_millis=lambda: 30_000,
    )


@lru_cache(maxsize=1)
def _site_headers() -> tuple[tuple[str, str], ...]:
    """The security headers CloudFront adds in AWS (from ``template.yaml``), so the guide is
    tried locally under the same strict CSP. HSTS is left out: local is plain HTTP."""
    from complaints.infra_template import security_headers

    return tuple(
        (name, value)
        for name, value in security_headers().items()
        if name != "Strict-Transport-Security"
    )


def make_handler(site_dir: Path, api: ApiHandler) -> type[BaseHTTPRequestHandler]:
    root = site_dir.resolve()
    one_at_a_time = threading.Lock()  # like one Lambda instance: the resolver is not reentrant

    class Handler(BaseHTTPRequestHandler):
        server_version = "complaints-local"
        sys_version = ""

        def log_message(self, format: str, *args: Any) -> None:
            # Paths can carry references and tokens: log the method and status only.
            return

        def _send(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
            self.send_response(status)
            names = {k.lower() for k, _ in headers}
            for key, value in headers:
                self.send_header(key, value)
            if "content-length" not in names:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _api(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._send(413, [("Content-Type", "text/plain")], b"Request too large")
                return
            body = self.rfile.read(length) if length else b""
            event = to_event(
                self.command, self.path, dict(self.headers.items()), body, self.client_address[0]
            )
            with one_at_a_time:
                result = api(event, _context())
            response = from_result(result)
            self._send(response.status, response.headers, response.body)

        def _static(self) -> None:
            path = unquote(urlsplit(self.path).path)
            target = (root / path.lstrip("/")).resolve()
            if not target.is_relative_to(root):
                target = root / "404.html"
            if target.is_dir():
                target = target / "index.html"
            status = HTTPStatus.OK
            if not target.is_file():
                if not path.endswith("/") and (root / path.lstrip("/") / "index.html").is_file():
                    self._send(301, [("Location", path + "/")], b"")
                    return
                target, status = root / "404.html", HTTPStatus.NOT_FOUND
            content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if content_type.startswith("text/") or content_type.endswith("javascript"):
                content_type += "; charset=utf-8"
            headers = [("Content-Type", content_type), *_site_headers()]
            self._send(status, headers, target.read_bytes())

        def _route(self) -> None:
            if urlsplit(self.path).path.startswith("/api/"):
                self._api()
            elif self.command in {"GET", "HEAD"}:
                self._static()
            else:
                self._send(405, [("Content-Type", "text/plain")], b"Method not allowed")

        # Every method CloudFront passes on (template.yaml), OPTIONS too: an API path the method
        # has no route for gets the handler's 404, as API Gateway answers; a page gets 405.
        do_GET = do_HEAD = do_OPTIONS = do_POST = do_PUT = do_DELETE = do_PATCH = _route  # noqa: N815

    return Handler


class LocalServer(ThreadingHTTPServer):
    # The standard library's listen backlog is 5: a burst of browsers or the load benchmark's
    # 20 clients would see connections reset.
    request_queue_size = 128


def serve(site_dir: Path, api: ApiHandler, port: int) -> ThreadingHTTPServer:
    """Start (not yet serving) a server bound to 127.0.0.1 only."""
    server = LocalServer(("127.0.0.1", port), make_handler(site_dir, api))
    server.daemon_threads = True
    return server
