"""``python -m complaints.local``: the embedded local stack (``make run``)."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    site_dir = Path(os.environ.get("COMPLAINTS_SITE_DIR", "build/site"))
    if not (site_dir / "index.html").is_file():
        print(
            f"The guide is not built yet: run `make run` (looked in {site_dir}).", file=sys.stderr
        )
        return 1
    from complaints.local.stack import LocalStack

    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    stack = LocalStack(site_dir=site_dir, port=port)
    try:
        stack.start()
    except OSError as error:
        print(f"Could not start the local stack: {error.strerror or error}", file=sys.stderr)
        stack.stop()
        return 1
    for note in stack.notes:
        print(f"note: {note}", flush=True)
    print(
        f"Complaints guide and API on {stack.site_url}/  (Ctrl-C to stop)\n"
        "  complaints list --local | complaints show REF --local | complaints emails --local",
        flush=True,
    )
    stopping.wait()
    print("\nStopping.", flush=True)
    stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
