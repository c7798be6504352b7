"""Swedish error answers: an HTML page for people, JSON {"detail": …} for the API."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from samverkan.archive.corrections import InvalidCorrection
from samverkan.archive.errors import ArchiveError
from samverkan.docgen.loading import AgreementDataError
from samverkan.index.errors import IndexBusy, IndexUnavailable, SearchError
from samverkan.users import UserError
from samverkan.web.backend import BadRequest, NotFound
from samverkan.web.drafting import RenderError
from samverkan.web.rendering import page
from samverkan.web.security import CsrfError, Forbidden, LoginRequired

log = logging.getLogger("samverkan.web")

TITLES_SV = {
    400: "Felaktig begäran",
    401: "Inloggning krävs",
    403: "Åtkomst nekad",
    404: "Sidan finns inte",
    405: "Metoden är inte tillåten",
    413: "Filen är för stor",
    422: "Uppgifterna kunde inte tolkas",
    500: "Internt fel",
    503: "Tjänsten är inte tillgänglig just nu",
}
DEFAULT_SV = {
    400: "Begäran kunde inte utföras.",
    401: "Logga in för att fortsätta.",
    403: "Du har inte behörighet till detta.",
    404: "Det du söker finns inte här. Kontrollera adressen eller gå till söksidan.",
    405: "Den här adressen kan inte användas så.",
    413: "Filen är större än vad tjänsten tar emot.",
    422: "Några uppgifter saknas eller har fel form.",
    500: "Något gick fel i tjänsten. Försök igen; kvarstår felet, kontakta förvaltaren.",
    503: "Tjänsten kan inte svara just nu. Försök igen om en stund.",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, message: str | None = None,
                   problems: list[str] | None = None) -> Response:
    message = message or DEFAULT_SV.get(status, "Begäran kunde inte utföras.")
    if wants_json(request):
        body: dict[str, object] = {"detail": message}
        if problems:
            body["problems"] = problems
        return JSONResponse(body, status_code=status)
    return page(request, "error.html", status_code=status,
                title=TITLES_SV.get(status, "Fel"), status=status, message=message,
                problems=problems or [])


# pydantic's error types in Swedish; its own messages ("Field required") are English.
VALIDATION_SV = {
    "missing": "saknas",
    "int_parsing": "ska vara ett heltal", "int_type": "ska vara ett heltal",
    "int_from_float": "ska vara ett heltal",
    "float_parsing": "ska vara ett tal", "float_type": "ska vara ett tal",
    "bool_parsing": "ska vara sant eller falskt (true/false)",
    "bool_type": "ska vara sant eller falskt (true/false)",
    "string_type": "ska vara en text", "string_too_short": "ska vara minst {min_length} tecken",
    "string_too_long": "får vara högst {max_length} tecken",
    "string_pattern_mismatch": "har fel form",
    "greater_than": "ska vara större än {gt}", "greater_than_equal": "ska vara minst {ge}",
    "less_than": "ska vara mindre än {lt}", "less_than_equal": "får vara högst {le}",
    "too_short": "har för få värden", "too_long": "har för många värden",
    "list_type": "ska vara en lista", "dict_type": "ska vara ett objekt",
    "model_attributes_type": "ska vara ett objekt", "model_type": "ska vara ett objekt",
    "json_invalid": "är inte giltig JSON", "json_type": "är inte giltig JSON",
    "literal_error": "har ett värde som inte är tillåtet", "enum": "har ett värde som inte är tillåtet",
    "date_parsing": "ska vara ett datum (ÅÅÅÅ-MM-DD)", "date_from_datetime_parsing":
        "ska vara ett datum (ÅÅÅÅ-MM-DD)",
    "extra_forbidden": "är inte tillåten här",
    "value_error": "har fel värde",
}
_LOCATION_SV = {"body": "innehållet", "query": "parametern", "path": "adressen",
                "header": "huvudet", "cookie": "kakan"}


def _validation_problems(error: RequestValidationError) -> list[str]:
    """Each problem in Swedish, naming the parameter or field as the API spells it."""
    problems = []
    for item in error.errors():
        kind = str(item.get("type", ""))
        if kind in ("json_invalid", "json_type"):
            problems.append("Innehållet är inte giltig JSON.")
            continue
        location = [str(p) for p in item.get("loc", ())]
        where = ".".join(p for p in location if p not in _LOCATION_SV)
        if not where and location:
            where = _LOCATION_SV.get(location[0], "")
        text = VALIDATION_SV.get(kind, "har fel form")
        try:
            text = text.format(**(item.get("ctx") or {}))
        except (KeyError, IndexError, ValueError):
            text = "har fel värde"
        if kind == "value_error":  # raised by our own validators, whose messages are Swedish
            message = str(item.get("msg", "")).removeprefix("Value error, ")
            text = message if message and not message.isascii() else text
        problems.append(f"{where}: {text}" if where else text[:1].upper() + text[1:])
    return problems


def install(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _: LoginRequired) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": "Inloggning krävs: logga in eller skicka en API-nyckel "
                                           "(Authorization: Bearer …)."},
                                status_code=401, headers={"WWW-Authenticate": "Bearer"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/logga-in?nasta={quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, error: Forbidden) -> Response:
        return error_response(request, 403, error.message)

    @app.exception_handler(CsrfError)
    async def _csrf(request: Request, _: CsrfError) -> Response:
        return error_response(request, 403, "Formuläret saknar eller har en ogiltig säkerhetstoken "
                                            "(CSRF). Ladda om sidan och försök igen.")

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, error: NotFound) -> Response:
        return error_response(request, 404, str(error))

    @app.exception_handler(BadRequest)
    async def _bad(request: Request, error: BadRequest) -> Response:
        return error_response(request, 400, str(error))

    @app.exception_handler(InvalidCorrection)
    async def _correction(request: Request, error: InvalidCorrection) -> Response:
        return error_response(request, 422, "Rättelsen sparades inte.",
                              [f"{problem.field}: {problem.message}" for problem in error.problems])

    @app.exception_handler(ArchiveError)
    async def _archive(request: Request, error: ArchiveError) -> Response:
        text = str(error)
        return error_response(request, 400, text[:1].upper() + text[1:] + ("" if text.endswith(".") else "."))

    @app.exception_handler(SearchError)
    async def _search(request: Request, error: SearchError) -> Response:
        # A query the index cannot run (bad syntax, unknown municipality …) says why in
        # Swedish; an index being rebuilt or locked is temporary.
        status = 503 if isinstance(error, IndexUnavailable | IndexBusy) else 400
        return error_response(request, status, str(error))

    @app.exception_handler(UserError)
    async def _user_error(request: Request, error: UserError) -> Response:
        return error_response(request, 400, str(error))

    @app.exception_handler(AgreementDataError)
    async def _data_error(request: Request, error: AgreementDataError) -> Response:
        problems = [f"{path}: {message}" for path, message in error.problems]
        return error_response(request, 422, f"{error.source}: {len(problems)} fel i uppgifterna",
                              problems)

    @app.exception_handler(RenderError)
    async def _render_error(request: Request, error: RenderError) -> Response:
        return error_response(request, 422, str(error))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> Response:
        return error_response(request, 422, None, _validation_problems(error))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> Response:
        detail = error.detail if isinstance(error.detail, str) and error.status_code != 404 else None
        if detail and detail.isascii() and error.status_code in DEFAULT_SV:
            detail = None  # Starlette's English defaults ("Not Found") become Swedish
        return error_response(request, error.status_code, detail)

    @app.exception_handler(Exception)
    async def _crash(request: Request, error: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(request, 500)
