"""The committed OpenAPI document is the one the resolver makes now, and it is whole."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from complaints_tools.openapi import bodies
from complaints_tools.openapi.__main__ import DOCUMENT, OUT_OF_DATE
from complaints_tools.openapi.document import build, render


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build()


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_committed_document_is_up_to_date(document: dict[str, Any]) -> None:
    committed = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.is_file() else ""
    if committed != render(document):
        pytest.fail(OUT_OF_DATE, pytrace=False)


def test_rendering_is_stable(document: dict[str, Any]) -> None:
    assert render(build()) == render(document)
    assert render(json.loads(render(document))) == render(document)


def test_every_route_of_the_resolver_is_described(document: dict[str, Any]) -> None:
    assert {label for label, _ in _operations(document)} == {
        "POST /api/complaints",
        "GET /api/complaints/{reference}",
        "POST /api/complaints/{reference}/escalation",
        "GET /api/health",
        "GET /complaint/{page}",
        "POST /complaint/{page}",
    }
    for label, operation in _operations(document):
        assert operation["summary"] != label, f"{label} has no summary of its own"
        assert operation["operationId"].isidentifier(), label


def test_every_reference_resolves_and_every_schema_is_used(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    prefix = "#/components/schemas/"
    used = {ref.removeprefix(prefix) for ref in _refs(document)}
    assert all(ref.startswith(prefix) for ref in _refs(document))
    assert used <= set(schemas), f"missing schemas: {used - set(schemas)}"
    assert set(schemas) <= used, f"schemas nothing refers to: {set(schemas) - used}"
    assert not {"HTTPValidationError", "ValidationError"} & set(schemas)


def test_refusals_are_problems_or_validation_errors(document: dict[str, Any]) -> None:
    for label, operation in _operations(document):
        for status, response in operation["responses"].items():
            if not status.startswith("4"):
                continue
            if "pages" in operation["tags"] and "application/json" not in response["content"]:
                assert set(response["content"]) == {"text/html"}, f"{label} {status}"
                continue  # the form's pages answer with pages
            ref = response["content"]["application/json"]["schema"]["$ref"]
            expected = "ValidationErrors" if status == "422" else "Problem"
            assert ref.endswith(f"/{expected}"), f"{label} {status}"
    errors = document["components"]["schemas"]["ValidationErrors"]
    assert errors["properties"]["errors"]["items"]["$ref"].endswith("/FieldProblem")
    assert document["components"]["schemas"]["FieldProblem"]["required"] == ["field", "message"]
    assert document["components"]["schemas"]["Problem"]["required"] == ["message"]


def test_request_bodies_and_parameters_are_described(document: dict[str, Any]) -> None:
    paths = document["paths"]
    submit = paths["/api/complaints"]["post"]["requestBody"]["content"]
    assert set(submit) == {"application/json", "application/x-www-form-urlencoded"}
    submission = document["components"]["schemas"]["Submission"]
    assert set(submission["required"]) == {"complainant_name", "email", "relationship", "details"}
    form = document["components"]["schemas"]["SubmissionForm"]
    assert set(form["properties"]) == set(submission["properties"])
    assert all("anyOf" not in field for field in form["properties"].values())

    escalation = paths["/api/complaints/{reference}/escalation"]["post"]
    schema = document["components"]["schemas"]["EscalationRequest"]
    assert schema["required"] == ["token"]
    assert "reason" in schema["properties"]
    assert set(escalation["requestBody"]["content"]) == set(submit)

    status = paths["/api/complaints/{reference}"]["get"]
    where = {(p["name"], p["in"], p["required"]) for p in status["parameters"]}
    assert where == {("reference", "path", True), ("token", "query", True)}
    for operation in (status, escalation):
        assert "Retry-After" in operation["responses"]["429"]["headers"]
    assert "content" not in escalation["responses"]["303"]


def test_the_answer_models_match_the_document(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for model in bodies.SCHEMAS:
        assert model.__name__ in schemas, model.__name__


def test_route_docs_keep_pydantic_out_of_the_handlers_cold_import() -> None:
    code = (
        "import sys, complaints.handlers.api; "
        "print(sorted({'pydantic', 'boto3'} & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_the_handler_registers_exactly_the_routes_the_document_is_built_from() -> None:
    """The document is built from ``routes.ROUTES`` without importing the handler: the
    handler's own resolver must describe the very same paths."""
    import json

    from complaints.handlers.api import app
    from complaints_tools.openapi.document import _resolver

    def paths(resolver: Any) -> Any:
        return json.loads(resolver.get_openapi_json_schema(title="t", version="1"))["paths"]

    assert paths(app) == paths(_resolver())


def test_building_the_document_does_not_import_the_handler() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from complaints_tools.openapi.document import build; build(); "
        "print('complaints.handlers.api' in sys.modules)"
    )
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip() == "False"
