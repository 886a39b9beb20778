"""The README's command-line walk-through runs as written: every shell line of the block after
the ``<!-- walkthrough: ... -->`` comment is run with bash, in order, against a fresh local
stack (``python -m complaints_tools.local``, what ``make run`` starts), and each must succeed."""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.localstack import ROOT, Stack, build_site, stack_for_tests

README = ROOT / "README.md"
MARKER = "<!-- walkthrough:"
DOCUMENTED_URL = "http://127.0.0.1:8000"
BUILT_SITE = ROOT / "build" / "site"


def walkthrough_lines(readme: str) -> list[str]:
    """The shell lines of the marked block, continuation lines (``\\``) joined."""
    after = readme[readme.index(MARKER) :]
    found = re.search(r"```sh\n(.*?)```", after, re.DOTALL)
    assert found, "no ```sh block after the walkthrough marker"
    lines: list[str] = []
    pending = ""
    for raw in found.group(1).splitlines():
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1]
            continue
        line = (pending + raw).strip()
        pending = ""
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def _script(lines: list[str], url: str) -> str:
    """One bash script: each line, then a stop naming the line if it failed."""
    steps = ["set -uo pipefail"]
    for number, line in enumerate(lines, 1):
        steps.append(line.replace(DOCUMENTED_URL, url))
        message = shlex.quote(f"README walk-through line {number} failed: {line}")
        steps.append(f'status=$?; if [ "$status" -ne 0 ]; then echo {message} >&2; exit 1; fi')
    steps.append("echo WALKTHROUGH-DONE")
    return "\n".join(steps) + "\n"


@pytest.fixture(scope="module")
def fresh_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    site = BUILT_SITE
    if not (site / "index.html").is_file():
        site = tmp_path_factory.mktemp("walkthrough-site")
        build_site(site)
    state = tmp_path_factory.mktemp("walkthrough-state")
    with stack_for_tests(site, state) as started:
        yield started


def test_the_block_is_there_and_uses_the_documented_address() -> None:
    lines = walkthrough_lines(README.read_text(encoding="utf-8"))
    assert len(lines) > 20
    assert any(DOCUMENTED_URL in line for line in lines)
    assert not any("KX7F-3QTM" in line for line in lines)  # the reference comes from the stack


def test_every_line_of_the_walkthrough_runs_as_written(fresh_stack: Stack, tmp_path: Path) -> None:
    lines = walkthrough_lines(README.read_text(encoding="utf-8"))
    env = {k: v for k, v in fresh_stack.env.items() if k != "COMPLAINTS_LOCAL"}
    done = subprocess.run(
        ["bash", "-c", _script(lines, fresh_stack.url)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{done.stderr[-3000:]}\n--- output ---\n{done.stdout[-3000:]}"
    assert done.stdout.rstrip().endswith("WALKTHROUGH-DONE")
    assert "Error:" not in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    # the story the walk-through tells really happened
    assert "closed" in done.stdout
    assert "overdue" in done.stdout.lower()
