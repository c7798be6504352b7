"""The FastAPI application: pages in Swedish for people, a JSON API under /api/ for systems."""

from __future__ import annotations

import os

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.middleware.sessions import SessionMiddleware

from samverkan import __version__
from samverkan.archive.home import Home, megabytes_sv
from samverkan.docgen.resources import package_folder
from samverkan.users import UserStore
from samverkan.web import errors
from samverkan.web.backend import Backend
from samverkan.web.error_models import error_json
from samverkan.web.jobs import JobManager
from samverkan.web.throttle import LoginThrottle

STATIC = package_folder("samverkan.web", "static")
SESSION_COOKIE = "samverkan_session"
# Pages load only their own scripts and styles; reports shown in frames get their own policy.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; "
       "object-src 'none'")
MULTIPART_SLACK = 1024 * 1024
MAX_FILES_PER_UPLOAD = 50


class SecurityHeaders(BaseHTTPMiddleware):
    """Headers every answer carries; a route may set a looser CSP for a self-contained report."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        if request.url.path.startswith(("/api/", "/fil/")) or "set-cookie" in response.headers:
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class BodyLimit(BaseHTTPMiddleware):
    """Refuse request bodies larger than a whole upload batch may be, before reading them."""

    def __init__(self, app, limit: int):
        super().__init__(app)
        self.limit = limit

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > self.limit:
            message = f"Begäran är för stor (högst {megabytes_sv(self.limit)} per uppladdning)."
            if request.url.path.startswith("/api/"):
                return error_json(413, message)
            return Response(f"<!doctype html><html lang=sv><title>Filen är för stor</title>"
                            f"<h1>Filen är för stor</h1><p>{message}</p>"
                            f"<p><a href=\"/registrera\">Tillbaka</a></p></html>",
                            status_code=413, media_type="text/html; charset=utf-8")
        return await call_next(request)


def create_app(settings: Home, backend: Backend | None = None,
               jobs: JobManager | None = None, throttle: LoginThrottle | None = None) -> FastAPI:
    """Build the app for one HOME; the service passes its shared backend (one archive), tests
    their own login throttle (small limits)."""
    from samverkan.web import (
        api,
        routes_agreements,
        routes_auth,
        routes_draft,
        routes_overview,
        routes_register,
        routes_search,
        routes_users,
    )
    from samverkan.web.security import load_secret

    settings.home.mkdir(parents=True, exist_ok=True)
    backend = backend or Backend(settings)
    app = FastAPI(
        title="samverkan – API för samverkansöverenskommelser",
        version=__version__,
        description=(
            "Sök, läs, registrera och skriv samverkansöverenskommelser. Anropa med "
            "`Authorization: Bearer <API-nyckel>` (skapas med `samverkan user token NAMN`)."),
        docs_url=None, redoc_url=None, openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.backend = backend
    app.state.users = UserStore(settings.home)
    app.state.jobs = jobs or JobManager(settings.runtime / "uploads", backend.file)
    app.state.throttle = throttle or LoginThrottle()

    secure = os.environ.get("SAMVERKAN_SECURE_COOKIES") == "1"
    app.add_middleware(errors.CrashGuard)
    app.add_middleware(BodyLimit, limit=settings.max_file_bytes * MAX_FILES_PER_UPLOAD + MULTIPART_SLACK)
    app.add_middleware(SessionMiddleware, secret_key=load_secret(settings.home),
                       session_cookie=SESSION_COOKIE, same_site="lax", https_only=secure,
                       max_age=12 * 60 * 60)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        """Browsers ask for /favicon.ico whatever the page links; the same § as the logo."""
        icon = STATIC / "favicon.ico"
        if icon.is_file():
            return FileResponse(icon, media_type="image/x-icon",
                                headers={"Cache-Control": "public, max-age=86400"})
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml",
                            headers={"Cache-Control": "public, max-age=86400"})

    for module in (routes_auth, routes_search, routes_overview, routes_agreements,
                   routes_register, routes_draft,
                   routes_users, api):
        app.include_router(module.router)
    app.include_router(api.docs_router)
    errors.install(app)
    return app
