"""Every API error answers in one JSON shape with the Swedish message the pages show, and the
OpenAPI document says so."""

from __future__ import annotations

import html

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from samverkan.web.app import create_app
from tests.web.swedish_text import is_english

# (parameters, the field at fault, the stable code): what the HTML page /sok explains.
BAD_SEARCHES = [
    ({"q": "polis NEAR/999999 kommun"}, "q", "query_syntax"),
    ({"q": "*"}, "q", "query_syntax"),
    ({"q": "~"}, "q", "query_syntax"),
    ({"q": '"'}, "q", "query_syntax"),
    ({"q": "AND OR NOT"}, "q", "query_syntax"),
    ({"q": "polis NEAR/-1 kommun"}, "q", "query_syntax"),
    ({"q": "polis NEAR/abc kommun"}, "q", "query_syntax"),
    ({"kommun": "Xyzby"}, "kommun", "bad_search"),
    ({"lan": "Xyz län"}, "lan", "bad_search"),
    ({"part": "alla"}, "part", "bad_request"),
    ({"fran": "2024", "till": "2020"}, "fran", "bad_search"),
]


def assert_error_shape(body: dict, code: str) -> dict:
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "field", "problems"}, error
    assert error["code"] == code, error
    assert error["message"] and not is_english(error["message"]), error
    return error


@pytest.mark.parametrize(("params", "field", "code"), BAD_SEARCHES)
def test_bad_searches_are_400_with_the_pages_message(client_for, params, field, code) -> None:
    client, _ = client_for("las")
    api = client.get("/api/search", params=params)
    assert api.status_code == 400, api.text
    error = assert_error_shape(api.json(), code)
    assert error["field"] == field
    page = client.get("/sok", params=params)
    assert page.status_code == 200
    assert error["message"] in html.unescape(page.text)


def test_bad_searches_keep_the_connection_usable(client_for) -> None:
    client, _ = client_for("las")
    for params, _field, _code in BAD_SEARCHES:
        assert client.get("/api/search", params=params).status_code == 400
    assert client.get("/api/search", params={"q": "trygghet"}).status_code == 200


def test_every_error_kind_has_the_one_shape(client_for) -> None:
    client, csrf = client_for("las")
    anonymous, _ = client_for(None)
    assert_error_shape(anonymous.get("/api/agreements").json(), "login_required")
    assert_error_shape(client.get("/api/quarantine").json(), "forbidden")
    assert_error_shape(client.get("/api/agreements/nej").json(), "not_found")
    assert_error_shape(client.get("/api/finns-inte").json(), "not_found")
    assert_error_shape(client.delete("/api/agreements").json(), "method_not_allowed")
    invalid = client.get("/api/search", params={"sida": "noll"})
    assert invalid.status_code == 422
    error = assert_error_shape(invalid.json(), "invalid_data")
    assert error["field"] == "sida" and error["problems"][0]["field"] == "sida"
    writer, writer_csrf = client_for("reg")
    no_csrf = writer.post("/api/quarantine/x/discard")
    assert_error_shape(no_csrf.json(), "csrf")
    assert writer_csrf


def test_a_crash_is_a_swedish_500_in_the_same_shape(web_env) -> None:
    app = create_app(web_env.settings, web_env.backend)
    boom = APIRouter()

    @boom.get("/api/krasch")
    def crash() -> None:
        raise RuntimeError("a bug")

    app.include_router(boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        client.headers["Authorization"] = f"Bearer {web_env.token}"
        response = client.get("/api/krasch")
        assert response.status_code == 500
        assert_error_shape(response.json(), "internal_error")
    app.state.jobs.close()


def test_openapi_documents_the_error_shape(client_for) -> None:
    client, _ = client_for("las")
    schema = client.get("/openapi.json").json()
    assert "ErrorBody" in schema["components"]["schemas"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for status in ("400", "401", "403", "404", "422", "429", "500"):
                documented = operation["responses"].get(status)
                assert documented, (method, path, status)
                ref = documented["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorBody"), (method, path, status)
