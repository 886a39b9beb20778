"""On the running local stack, as an officer would see it: ``complaints show`` of a complaint
whose name and details are Rich markup prints them literally, and with colour forced emits no
terminal hyperlink (OSC 8) and no crash."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

from complaints_tools.openapi.document import SUBMISSION_EXAMPLE
from tests.localstack import ROOT, Stack

NAME = "[/bold][link=https://evil.example]x[/link]"
DETAILS = "Read [link=https://evil.example]this[/link] \x1b]8;;https://evil.example\x1b\\now"


def test_show_prints_markup_literally_and_links_nothing(api_stack: Stack) -> None:
    body = {**SUBMISSION_EXAMPLE, "complainant_name": NAME, "details": DETAILS}
    request = urllib.request.Request(  # noqa: S310 - the local stack
        f"{api_stack.url}/api/complaints",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        reference = json.load(answer)["reference"]
    env = {**api_stack.env, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "200"}
    env.pop("NO_COLOR", None)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "complaints"), "--local", "show", reference],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert NAME.encode() in done.stdout
    assert b"[link=https://evil.example]this[/link]" in done.stdout
    assert b"\x1b]8;" not in done.stdout  # no hyperlink, though colour is on:
    assert b"\x1b[" in done.stdout
