"""``python -m complaints_tools.local``: the embedded local stack (``make run``).

It resumes where it stopped (the saved table and the clock under ``.local/``); with ``FRESH=1``
in the environment (``make run FRESH=1``) it starts empty, at real time.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from complaints_tools.local.stack import LocalStack

FRESH_ENV = "FRESH"


def fresh_start() -> bool:
    return os.environ.get(FRESH_ENV, "").strip().lower() not in ("", "0", "no", "false")


def _where(directory: Path) -> str:
    try:
        return f"{directory.resolve().relative_to(Path.cwd().resolve())}/"
    except ValueError:
        return "the local state folder"


def start_summary(stack: LocalStack) -> str:
    """What the stack starts with: resumed (how many cases, the clock) or empty."""
    from complaints_tools.local.clock import describe_offset, london_text

    where = _where(stack.state_directory)
    if stack.fresh:
        opening = f"Started empty (FRESH=1): what {where} held is gone."
    elif stack.resumed is None or not stack.resumed.items:
        opening = f"Started empty: nothing saved in {where} yet."
    else:
        resumed = stack.resumed
        opening = (
            f"Resumed from {where}: {resumed.cases} case{'' if resumed.cases == 1 else 's'} "
            f"({resumed.items} items), {resumed.schedules} check schedule"
            f"{'' if resumed.schedules == 1 else 's'} made again."
        )
    lines = [opening]
    clock = stack.clock
    if clock is not None and clock.moved:
        lines.append(
            f"The clock reads {london_text(clock.now)}: moved {describe_offset(clock.offset)} "
            "ahead of real time (`complaints clock --local`)."
        )
    else:
        lines.append("The clock reads real time (`complaints checks run --now LATER` moves it).")
    if stack.resumed is not None and stack.resumed.outbox_waiting:
        waiting = stack.resumed.outbox_waiting
        lines.append(
            f"{waiting} email{'' if waiting == 1 else 's'} or schedule"
            f"{'' if waiting == 1 else 's'} had not been sent when it stopped: "
            "`complaints checks run --local` carries them out once due."
        )
    if not stack.fresh:
        lines.append("`make run FRESH=1` starts empty.")
    return "\n".join(lines)


def staff_summary(stack: LocalStack) -> str:
    """How to sign in to the staff console: the demo users (their passwords are in
    .local/stack.json, made afresh at each start) and where the code comes from."""
    pool = stack.staff_pool
    if pool is None:
        return ""
    lines = [
        f"Staff console on {stack.site_url}/staff/ - sign in as one of these "
        "(passwords: .local/stack.json, staff_users):"
    ]
    for user in pool.users:
        lines.append(f"  {user['username']:<20} {', '.join(user['groups'])}")
    lines.append(
        "  then enter the code from `.venv/bin/complaints sign-in-code --local` (or add "
        "totp_secret from .local/stack.json to an authenticator app)"
    )
    return "\n".join(lines)


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    site_dir = Path(os.environ.get("COMPLAINTS_SITE_DIR", "build/site"))
    if not (site_dir / "index.html").is_file():
        print(
            f"The guide is not built yet: run `make run` (looked in {site_dir}).", file=sys.stderr
        )
        return 1
    from complaints_tools.local.clock import ClockFileError
    from complaints_tools.local.snapshot import SnapshotError
    from complaints_tools.local.stack import LocalStack

    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    stack = LocalStack(site_dir=site_dir, port=port, fresh=fresh_start())
    try:
        stack.start()
    except (SnapshotError, ClockFileError) as error:
        print(str(error), file=sys.stderr)
        stack.stop()
        return 1
    except OSError as error:
        print(f"Could not start the local stack: {error.strerror or error}", file=sys.stderr)
        stack.stop()
        return 1
    for note in stack.notes:
        print(f"note: {note}", flush=True)
    print(start_summary(stack), flush=True)
    print(
        f"Complaints guide and API on {stack.site_url}/  (Ctrl-C to stop)\n"
        "  complaints list --local | complaints show REF --local | complaints emails --local",
        flush=True,
    )
    print(staff_summary(stack), flush=True)
    stopping.wait()
    print("\nStopping (saving the local table).", flush=True)
    stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
