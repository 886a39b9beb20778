"""Schemathesis against the real local stack, from the committed OpenAPI document: a bounded,
derandomized run (the same requests every time) over every operation.

It fails on any 5xx, any status, content type, header or body the document does not describe
for that operation (schemathesis' conformance checks), a schema-breaking JSON request that is
accepted, and any 4xx that is not the documented error for its status or repeats what was sent
(``checks.refusals_in_documented_shape``).

Left out, on purpose:

- ``positive_data_acceptance``: the document cannot say every rule (a real email address, a
  date of birth in the past, one of the council's service areas), so a request that fits the
  document may rightly get ``422``.
- ``unsupported_method``: it wants ``405`` for a method a path does not have. API Gateway
  answers ``404`` before the function runs, and the handler answers the same locally.
- ``negative_data_rejection`` for form posts: a form with answers to change gets the form again
  (``200``, by design: never a bare ``422``).
- methods CloudFront refuses before they reach the API (``TRACE``, ``QUERY``): locally,
  http.server answers them ``501``, as RFC 9110 asks of a method a server does not implement.
"""

from __future__ import annotations

from typing import Any

from schemathesis.checks import negative_data_rejection

from tests.contract.checks import FORM, refusals_in_documented_shape
from tests.contract.schema import schema
from tests.localstack import Stack


@schema.parametrize()
def test_the_api_keeps_to_its_openapi_document(case: Any, api_stack: Stack) -> None:
    case.call_and_validate(
        base_url=api_stack.url,
        allow_redirects=False,  # a 303 is the answer; the page it points to is not the API's
        timeout=30,
        additional_checks=[refusals_in_documented_shape],
        excluded_checks=[negative_data_rejection] if case.media_type == FORM else [],
    )
