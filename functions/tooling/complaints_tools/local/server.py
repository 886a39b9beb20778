"""A small HTTP server on 127.0.0.1: the built guide at ``/``, the real API handler at
``/api/*`` and ``/complaint/*`` (the pages the API draws) and the staff console's handler at
``/staff/*`` (through API Gateway v2 events; the console's built assets, ``/staff/assets/*``,
are files of the site), answering as CloudFront does in AWS.

- Every answer, page or API, error or not, carries the headers the template's response-headers
  policy for its path adds (``infra_template.response_headers_for``: the site's policy, or the
  API's for ``/api/*``), replacing the origin's own where the policy says ``Override``, so the
  tests see what people get. That includes ``Strict-Transport-Security``, which browsers ignore
  over plain HTTP (RFC 6797 section 8.1).
- A request body is read with a short socket timeout (``BODY_TIMEOUT``): a body shorter than
  its ``Content-Length`` gets ``400`` instead of holding the connection open; a body over the
  API's limit (``MAX_BODY_BYTES``) gets ``413`` unread. Both answers are the API's own
  (``handlers.api.refused_unread``). Such a connection is closed after the answer.
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Callable, Mapping
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote, urlsplit

from complaints_tools.local.apigw import from_result, to_event

BODY_TIMEOUT = 5.0  # seconds to wait for the rest of a request body
# Bodies over the API's limit are read and thrown away up to this size, so the client (which
# is still sending) reads the 413 instead of a reset connection; beyond it, the connection is
# closed at once. 10 MB is API Gateway's own payload limit.
DRAIN_LIMIT = 10 * 1024 * 1024
ApiHandler = Callable[[dict[str, Any], Any], dict[str, Any]]
# The paths CloudFront sends to the API (template.yaml's cache behaviours); the rest is the site.
API_PATHS = ("/api/", "/complaint/")


def _context() -> Any:
    return SimpleNamespace(
        function_name="complaints-api-local",
        memory_limit_in_mb=256,
        invoked_function_arn="arn:aws:lambda:eu-west-2:123456789012:function:local",
        aws_request_id="local",
        get_remaining_time_in_millis=lambda: 30_000,
    )


@lru_cache(maxsize=8)
def _policy(kind: str) -> tuple[tuple[str, str, bool], ...]:
    """The response-headers policy CloudFront applies (``template.yaml``), for an API path
    (``kind="/api/"``) or a page (``kind="/"``)."""
    from complaints_tools.infra_template import response_headers_for

    sample = {"/api/": "/api/health", "/staff": "/staff/"}.get(kind, "/")
    return tuple((h.name, h.value, h.override) for h in response_headers_for(sample))


def cloudfront_headers(path: str, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``headers`` as CloudFront passes them on for ``path``: each header of the path's policy
    replaces the origin's (``Override``) or is added when the origin sent none."""
    kind = "/"
    if path.startswith(API_PATHS):
        kind = "/api/"
    elif is_console(path):
        kind = "/staff"
    policy = _policy(kind)
    replaced = {name.lower() for name, _value, override in policy if override}
    sent = [(k, v) for k, v in headers if k.lower() not in replaced]
    present = {k.lower() for k, _ in sent}
    return sent + [(name, value) for name, value, _ in policy if name.lower() not in present]


def is_console(path: str) -> bool:
    """``/staff/*`` goes to the console (as CloudFront's ``/staff*`` behaviour), except its
    built assets (``/staff/assets/*``, files of the site)."""
    return (path == "/staff" or path.startswith("/staff/")) and not path.startswith(
        "/staff/assets/"
    )


def _api_module() -> Any:
    from complaints.handlers import api

    return api


def make_handler(
    site_dir: Path,
    api: ApiHandler,
    routes: Mapping[str, ApiHandler] | None = None,
    console: ApiHandler | None = None,
) -> type[BaseHTTPRequestHandler]:
    """``routes`` (``"POST /api/..."`` -> handler): API routes of other functions (e.g. GOV.UK
    Notify's callback), as API Gateway sends each route to its own function; ``console``: the
    staff console's function, for ``/staff/*`` (``is_console``)."""
    root = site_dir.resolve()
    others = dict(routes or {})
    one_at_a_time = threading.Lock()  # like one Lambda instance: the resolver is not reentrant

    class Handler(BaseHTTPRequestHandler):
        server_version = "complaints-local"
        sys_version = ""

        def log_message(self, format: str, *args: Any) -> None:
            # Paths can carry references and tokens: log the method and status only.
            return

        def _send(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
            path = unquote(urlsplit(self.path).path)
            headers = cloudfront_headers(path, headers)
            self.send_response(status)
            names = {k.lower() for k, _ in headers}
            for key, value in headers:
                self.send_header(key, value)
            if "content-length" not in names:
                self.send_header("Content-Length", str(len(body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _refuse(self, error: Any) -> None:
            """Answer as the API would, without (all of) the body; then hang up."""
            self.close_connection = True
            response = from_result(_api_module().refused_unread(error, dict(self.headers.items())))
            self._send(response.status, response.headers, response.body)

        def _read_body(self, length: int) -> bytes | None:
            """The body, or ``None`` when it did not all arrive within ``BODY_TIMEOUT``."""
            self.connection.settimeout(BODY_TIMEOUT)
            try:
                body = self.rfile.read(length)
            except TimeoutError:
                return None
            finally:
                self.connection.settimeout(None)
            return body if len(body) == length else None

        def _drain(self, length: int) -> None:
            """Read and drop a body refused unread (bounded by ``DRAIN_LIMIT``)."""
            if length > DRAIN_LIMIT:
                return
            self.connection.settimeout(BODY_TIMEOUT)
            try:
                while length > 0:
                    chunk = self.rfile.read(min(length, 64 * 1024))
                    if not chunk:
                        return
                    length -= len(chunk)
            except TimeoutError:
                return
            finally:
                self.connection.settimeout(None)

        def _api(self, target: ApiHandler = api) -> None:
            api_module = _api_module()
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                self._refuse(api_module.CUT_SHORT)  # API Gateway needs a Content-Length too
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if length < 0:
                self._refuse(api_module.CUT_SHORT)
                return
            if length > api_module.MAX_BODY_BYTES:
                self._drain(length)
                self._refuse(api_module.TOO_LONG)
                return
            body = self._read_body(length) if length else b""
            if body is None:
                self._refuse(api_module.CUT_SHORT)
                return
            event = to_event(
                self.command, self.path, dict(self.headers.items()), body, self.client_address[0]
            )
            handler = others.get(f"{self.command} {urlsplit(self.path).path}", target)
            with one_at_a_time:
                result = handler(event, _context())
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
            self._send(status, [("Content-Type", content_type)], target.read_bytes())

        def _route(self) -> None:
            path = urlsplit(self.path).path
            if path.startswith(API_PATHS):
                self._api()
            elif console is not None and is_console(path):
                self._api(console)
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


def serve(
    site_dir: Path,
    api: ApiHandler,
    port: int,
    routes: Mapping[str, ApiHandler] | None = None,
    console: ApiHandler | None = None,
) -> ThreadingHTTPServer:
    """Start (not yet serving) a server bound to 127.0.0.1 only."""
    server = LocalServer(("127.0.0.1", port), make_handler(site_dir, api, routes, console))
    server.daemon_threads = True
    return server
