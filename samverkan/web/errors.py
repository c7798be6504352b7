"""Swedish error answers: an HTML page for people, one JSON shape (error_models) for the API."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from samverkan.archive.corrections import InvalidCorrection
from samverkan.archive.errors import ArchiveError
from samverkan.docgen.loading import AgreementDataError
from samverkan.index.errors import IndexBusy, IndexUnavailable, QuerySyntaxError, SearchError
from samverkan.users import UserError
from samverkan.web.backend import BadRequest, NotFound, TooLarge
from samverkan.web.drafting import RenderError
from samverkan.web.error_models import error_json
from samverkan.web.rendering import page
from samverkan.web.searching import SEARCH_FIELD_PARAMS
from samverkan.web.security import CsrfError, Forbidden, LoginRequired
from samverkan.web.throttle import TooManyAttempts

log = logging.getLogger("samverkan.web")

TITLES_SV = {
    400: "Felaktig begäran",
    401: "Inloggning krävs",
    403: "Åtkomst nekad",
    404: "Sidan finns inte",
    405: "Metoden är inte tillåten",
    413: "Filen är för stor",
    422: "Uppgifterna kunde inte tolkas",
    429: "För många försök",
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
    429: "För många försök. Vänta en stund och försök igen.",
    500: "Något gick fel i tjänsten. Försök igen; kvarstår felet, kontakta förvaltaren.",
    503: "Tjänsten kan inte svara just nu. Försök igen om en stund.",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, message: str | None = None,
                   problems: list[tuple[str | None, str]] | None = None, *,
                   code: str | None = None, field: str | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    """The error as JSON (error_models shape) for the API, as a Swedish page for people."""
    message = message or DEFAULT_SV.get(status, "Begäran kunde inte utföras.")
    if wants_json(request):
        return error_json(status, message, code=code, field=field, problems=problems,
                          headers=headers)
    lines = [f"{where}: {text}" if where else text for where, text in problems or []]
    response = page(request, "error.html", status_code=status,
                    title=TITLES_SV.get(status, "Fel"), status=status, message=message,
                    problems=lines)
    response.headers.update(headers or {})
    return response


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


def _validation_problems(error: RequestValidationError) -> list[tuple[str | None, str]]:
    """Each problem in Swedish, by the parameter or field as the API spells it."""
    problems: list[tuple[str | None, str]] = []
    for item in error.errors():
        kind = str(item.get("type", ""))
        if kind in ("json_invalid", "json_type"):
            problems.append((None, "Innehållet är inte giltig JSON."))
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
        problems.append((where, text) if where else (None, text[:1].upper() + text[1:]))
    return problems


def install(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _: LoginRequired) -> Response:
        if wants_json(request):
            return error_json(401, "Inloggning krävs: logga in eller skicka en API-nyckel "
                                   "(Authorization: Bearer …).",
                              headers={"WWW-Authenticate": "Bearer"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/logga-in?nasta={quote(target)}", status_code=303)

    @app.exception_handler(TooManyAttempts)
    async def _too_many(request: Request, error: TooManyAttempts) -> Response:
        return error_response(request, 429, error.refusal.message,
                              headers={"Retry-After": str(error.refusal.retry_after)})

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, error: Forbidden) -> Response:
        return error_response(request, 403, error.message)

    @app.exception_handler(CsrfError)
    async def _csrf(request: Request, _: CsrfError) -> Response:
        return error_response(request, 403, "Formuläret saknar eller har en ogiltig säkerhetstoken "
                                            "(CSRF). Ladda om sidan och försök igen.",
                              code="csrf")

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, error: NotFound) -> Response:
        return error_response(request, 404, str(error))

    @app.exception_handler(BadRequest)
    async def _bad(request: Request, error: BadRequest) -> Response:
        return error_response(request, 400, str(error), field=error.field)

    @app.exception_handler(TooLarge)
    async def _too_large(request: Request, error: TooLarge) -> Response:
        return error_response(request, 413, str(error))

    @app.exception_handler(InvalidCorrection)
    async def _correction(request: Request, error: InvalidCorrection) -> Response:
        return error_response(request, 422, "Rättelsen sparades inte.",
                              [(problem.field, problem.message) for problem in error.problems],
                              code="invalid_correction")

    @app.exception_handler(ArchiveError)
    async def _archive(request: Request, error: ArchiveError) -> Response:
        text = str(error)
        return error_response(request, 400,
                              text[:1].upper() + text[1:] + ("" if text.endswith(".") else "."),
                              code="archive_refused")

    @app.exception_handler(SearchError)
    async def _search(request: Request, error: SearchError) -> Response:
        # A query the index cannot run (bad syntax, unknown municipality …) says why in
        # Swedish; an index being rebuilt or locked is temporary.
        if isinstance(error, IndexUnavailable | IndexBusy):
            return error_response(request, 503, str(error), code="index_unavailable")
        field = SEARCH_FIELD_PARAMS.get(error.field or "", error.field)
        code = "query_syntax" if isinstance(error, QuerySyntaxError) else "bad_search"
        return error_response(request, 400, str(error), code=code, field=field)

    @app.exception_handler(UserError)
    async def _user_error(request: Request, error: UserError) -> Response:
        return error_response(request, 400, str(error), code="account_refused")

    @app.exception_handler(AgreementDataError)
    async def _data_error(request: Request, error: AgreementDataError) -> Response:
        problems: list[tuple[str | None, str]] = [(str(path), message)
                                                  for path, message in error.problems]
        return error_response(request, 422, f"{error.source}: {len(problems)} fel i uppgifterna",
                              problems, code="invalid_agreement")

    @app.exception_handler(RenderError)
    async def _render_error(request: Request, error: RenderError) -> Response:
        return error_response(request, 422, str(error), code="render_failed")

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> Response:
        return error_response(request, 422, None, _validation_problems(error))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> Response:
        detail = error.detail if isinstance(error.detail, str) and error.status_code != 404 else None
        if detail and detail.isascii() and error.status_code in DEFAULT_SV:
            detail = None  # Starlette's English defaults ("Not Found") become Swedish
        return error_response(request, error.status_code, detail,
                              headers=dict(error.headers) if error.headers else None)

    @app.exception_handler(Exception)
    async def _crash(request: Request, error: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(request, 500)


class CrashGuard:
    """Answer an unhandled error with the Swedish 500 here, inside the app: Starlette's own
    last-resort handler re-raises to the server, which then drops a keep-alive connection."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if started:
                raise
            log.exception("unhandled error on %s", scope.get("path"))
            response = error_response(Request(scope, receive), 500)
            await response(scope, receive, send)
