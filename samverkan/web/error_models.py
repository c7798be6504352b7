"""The one JSON shape of every API error, as pydantic models so OpenAPI documents it.

`{"error": {"code": "...", "message": "...", "field": "q" | null, "problems": [...]}}`:
`code` is stable for programs, `message` is Swedish for people, `field` names the request
parameter or body field at fault when there is one, `problems` lists each fault by field.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

# A stable code per HTTP status; handlers may give a more precise one.
STATUS_CODES = {
    400: "bad_request", 401: "login_required", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "invalid_data", 429: "too_many_attempts", 500: "internal_error", 503: "unavailable",
}


class ErrorProblem(BaseModel):
    """One fault, by the field it concerns."""

    field: str | None = Field(None, description="Parameter eller fält som felet gäller")
    message: str = Field(..., description="Felet på svenska")


class ErrorDetail(BaseModel):
    code: str = Field(..., description="Stabil felkod för program, t.ex. query_syntax")
    message: str = Field(..., description="Felet förklarat på svenska")
    field: str | None = Field(None, description="Parameter eller fält som felet gäller, "
                                                "om det finns ett")
    problems: list[ErrorProblem] = Field(default_factory=list,
                                         description="Varje fel för sig, per fält")


class ErrorBody(BaseModel):
    """What every API error answers."""

    error: ErrorDetail


_DESCRIPTIONS_SV = {
    400: "Felaktig begäran (t.ex. en sökfråga som inte kan tolkas)",
    401: "Inloggning eller API-nyckel krävs",
    403: "Kontot saknar behörighet, eller CSRF-token saknas",
    404: "Finns inte",
    413: "Filen eller begäran är för stor",
    422: "Uppgifterna har fel form",
    429: "För många misslyckade inloggningsförsök; vänta (se Retry-After)",
    500: "Internt fel",
    503: "Tjänsten (t.ex. sökindexet) är inte tillgänglig just nu",
}
# For `responses=` on the API router: every operation documents the error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in _DESCRIPTIONS_SV.items()
}


def error_json(status: int, message: str, *, code: str | None = None, field: str | None = None,
               problems: list[tuple[str | None, str]] | None = None,
               headers: dict[str, str] | None = None) -> JSONResponse:
    """The JSON error answer; `field` defaults to the field of a lone problem."""
    listed = [ErrorProblem(field=where, message=text) for where, text in problems or []]
    if field is None and len(listed) == 1:
        field = listed[0].field
    body = ErrorBody(error=ErrorDetail(code=code or STATUS_CODES.get(status, "error"),
                                       message=message, field=field, problems=listed))
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)
