"""The committed OpenAPI document, loaded for schemathesis, with the checks the contract tests
run (``test_fuzz`` says why some are left out)."""

from __future__ import annotations

import schemathesis

from complaints_tools.openapi.__main__ import DOCUMENT

MAX_EXAMPLES = 40  # per operation and phase: about 20 s on two cores
# The methods CloudFront passes on to the API (template.yaml, /api/* AllowedMethods); it
# refuses the others (TRACE, QUERY) itself.
UNEXPECTED_METHODS = ["get", "put", "post", "delete", "options", "patch"]

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
        "phases": {
            "coverage": {"unexpected-methods": UNEXPECTED_METHODS},
            "stateful": {"enabled": False},
        },
        "checks": {
            "positive_data_acceptance": {"enabled": False},
            "unsupported_method": {"enabled": False},
        },
    }
)
schema = schemathesis.openapi.from_path(DOCUMENT, config=CONFIG)
