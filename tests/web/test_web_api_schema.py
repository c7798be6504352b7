"""Property-based testing of the JSON API from its own OpenAPI document (schemathesis): every
operation, as every role, with generated valid and invalid input, in process (ASGI). No answer
may be a 5xx, and each must match what the document declares (status, media type, schema).

The normal run tries a few examples per operation and role; the longer run is
`SAMVERKAN_API_FUZZ_EXAMPLES=200 pytest -m api_fuzz tests/web/test_web_api_schema.py`.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from samverkan.users import UserStore

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
# Left out, and why: drafting a DOCX/PDF starts LibreOffice (seconds per example, covered by
# tests/web/test_web_api_drafts.py); an upload files each generated file in the background
# (the longer run includes it).
HEAVY = {("POST", "/api/drafts/{fmt}")}
BACKGROUND = {("POST", "/api/uploads")}
ROLES = ["las", "sam", "reg", "adm"]
LONG_EXAMPLES = int(os.environ.get("SAMVERKAN_API_FUZZ_EXAMPLES", "0"))


@pytest.fixture(scope="module")
def tokens(web_env) -> dict[str, str]:  # type: ignore[no-untyped-def]
    store = UserStore(web_env.settings.home)
    return {name: store.new_token(name, "schemathesis") for name in ROLES}


@pytest.fixture(scope="module")
def api_schema(app) -> Any:  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def operations(schema: Any, leave_out: set[tuple[str, str]]) -> list[Any]:
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) > 15, "the API document lists too few operations"
    return [op for op in found if (op.method.upper(), op.path) not in leave_out]


def exercise(operation: Any, token: str, examples: int) -> None:
    """Generated cases for one operation: valid ones, then invalid ones."""
    headers = {"Authorization": f"Bearer {token}"}
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=examples, deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Unsatisfiable:  # nothing to make invalid (an operation without input)
            assert mode is GenerationMode.NEGATIVE, operation.label


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_as_every_role(api_schema, tokens, role: str) -> None:  # type: ignore[no-untyped-def]
    for operation in operations(api_schema, HEAVY | BACKGROUND):
        exercise(operation, tokens[role], examples=3)


@pytest.mark.api_fuzz
@pytest.mark.skipif(not LONG_EXAMPLES, reason="the longer run: set SAMVERKAN_API_FUZZ_EXAMPLES")
@pytest.mark.parametrize("role", ROLES)
def test_every_operation_at_length(api_schema, tokens, role: str) -> None:  # type: ignore[no-untyped-def]
    for operation in operations(api_schema, HEAVY):
        exercise(operation, tokens[role], examples=LONG_EXAMPLES)


def test_real_answers_match_the_document(api_schema, tokens, web_env) -> None:  # type: ignore[no-untyped-def]
    """Generated input rarely names a real agreement or file: these do (a PDF, an HTML report)."""
    headers = {"Authorization": f"Bearer {tokens['adm']}"}
    mark, sha = web_env.ids["mark"], web_env.shas["mark1"]
    calls = [
        ("/api/files/{sha256}", "GET", {"path_parameters": {"sha256": sha}}),
        ("/api/agreements/{agreement_id}", "GET", {"path_parameters": {"agreement_id": mark}}),
        ("/api/agreements/{agreement_id}/compare", "GET",
         {"path_parameters": {"agreement_id": mark}, "query": {"a": "1", "b": "2"}}),
        ("/api/agreements/{agreement_id}/compare", "GET",
         {"path_parameters": {"agreement_id": mark},
          "query": {"a": "1", "b": "2", "format": "html"}}),
        ("/api/search", "GET", {"query": {"q": "trygghet", "samla": "true"}}),
    ]
    for path, method, parts in calls:
        case = api_schema[path][method].Case(**parts)
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        assert response.status_code == 200, (path, response.text[:300])
