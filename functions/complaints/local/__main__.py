"""``python -m complaints.local``: the embedded local stack (``make run``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from complaints.local.server import serve


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    site_dir = Path(os.environ.get("COMPLAINTS_SITE_DIR", "build/site"))
    if not (site_dir / "index.html").is_file():
        print(
            f"The guide is not built yet: run `make run` (looked in {site_dir}).", file=sys.stderr
        )
        return 1
    from complaints.handlers.api import handler

    server = serve(site_dir, handler, port)
    print(f"Complaints guide and API on http://127.0.0.1:{port}/  (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopping.", flush=True)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
