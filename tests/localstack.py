"""Start and stop the real local stack (``python -m complaints_tools.local``, what ``make run``
starts) on a free 127.0.0.1 port, for the browser tests, the API contract tests and
``make audit``; and build the guide it serves."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


class StackError(RuntimeError):
    """The local stack did not start."""


def build_site(out: Path) -> None:
    """Generate the snippets from the data, then ``mkdocs build --strict`` into ``out``, and
    the staff console's assets into ``out/staff/assets`` (``make install`` put the npm packages
    in ``build/npm``)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "complaints_tools.sitegen"], cwd=ROOT, check=True, env=env
    )
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT,
        check=True,
        env=env,
    )
    finish = [sys.executable, "-m", "complaints_tools.pageshell", str(out)]
    subprocess.run(finish, cwd=ROOT, check=True, env=env)
    # the staff console's styles and scripts, as `make site` builds them
    from complaints_tools.staff_assets import build as build_staff_assets

    build_staff_assets(ROOT / "build" / "npm" / "node_modules", out / "staff" / "assets")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_stack(
    site_dir: Path, state: Path, timeout: float = 90, *, fresh: bool = False
) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield the stack's base URL and the environment that reaches it (for the CLI). It
    resumes what ``state`` holds, or starts empty when ``fresh`` (``make run FRESH=1``)."""
    state.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "COMPLAINTS_SITE_DIR": str(site_dir),
        "COMPLAINTS_LOCAL_STATE": str(state),
        "FRESH": "1" if fresh else "",
    }
    url = f"http://127.0.0.1:{port}"
    with (state / "stack.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "complaints_tools.local"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    raise StackError((state / "stack.log").read_text(encoding="utf-8"))
                try:
                    with urllib.request.urlopen(f"{url}/api/health", timeout=2) as answer:  # noqa: S310
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise StackError("the local stack did not answer /api/health in time")
                time.sleep(0.3)
            yield url, env
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@dataclass
class Stack:
    url: str
    state: Path
    env: dict[str, str]

    def cli(self, *args: str) -> Any:
        """Run the staff CLI against this stack and return its JSON."""
        done = subprocess.run(
            [str(Path(sys.executable).parent / "complaints"), *args, "--local", "--json"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return json.loads(done.stdout)


@contextmanager
def stack_for_tests(site_dir: Path, state: Path, *, fresh: bool = False) -> Iterator[Stack]:
    """The real local stack for a test session; the test fails plainly if it does not start."""
    import pytest

    try:
        with running_stack(site_dir, state, fresh=fresh) as (url, env):
            yield Stack(url=url, state=state, env={**env, "COMPLAINTS_LOCAL": "1"})
    except StackError as error:
        pytest.fail(f"the local stack did not start: {error}")
