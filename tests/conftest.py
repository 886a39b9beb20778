"""Every test: the command line names a person in the audit trail (``--by`` or
``COMPLAINTS_STAFF``), never the login the tests run under (often root, which it refuses)."""

from __future__ import annotations

import os

os.environ.setdefault("COMPLAINTS_STAFF", "Test Officer")
