"""Logging in and out, and the start page."""

from __future__ import annotations

import contextlib

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from samverkan.users import UserError
from samverkan.web import throttle
from samverkan.web.rendering import flash, page
from samverkan.web.security import check_csrf, csrf_token, current_user, start_session

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only same-site paths: "/sok?q=x" yes, "//evil.example" or "https://…" no."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/sok"
    return target


@router.get("/")
def start(request: Request) -> Response:
    return RedirectResponse("/sok" if current_user(request) else "/logga-in", status_code=303)


@router.get("/logga-in")
def login_form(request: Request, nasta: str | None = None) -> Response:
    csrf_token(request)
    return page(request, "login.html", title="Logga in", next=safe_next(nasta), error=None,
                name="")


@router.post("/logga-in")
async def login(request: Request) -> Response:
    await check_csrf(request)
    form = await request.form()
    name = str(form.get("name", "")).strip()
    password = str(form.get("password", ""))
    target = safe_next(str(form.get("next", "")))
    try:
        throttle.check(request, name)  # refused before the password is even looked at
    except throttle.TooManyAttempts as refused:
        response = page(request, "login.html", status_code=429, title="Logga in", next=target,
                        error=refused.refusal.message, name=name)
        response.headers["Retry-After"] = str(refused.refusal.retry_after)
        return response
    user = request.app.state.users.authenticate(name, password)
    if user is None:
        throttle.record_failure(request, name)
        return page(request, "login.html", status_code=401, title="Logga in", next=target,
                    error="Fel användarnamn eller lösenord.", name=name)
    request.app.state.throttle.succeeded(name, throttle.client_address(request))
    start_session(request, user)
    return RedirectResponse(target, status_code=303)


@router.post("/logga-ut")
async def logout(request: Request) -> Response:
    """Logging out ends every session of the account, also a cookie copied elsewhere."""
    await check_csrf(request)
    user = current_user(request)
    if user is not None:
        with contextlib.suppress(UserError):  # removed meanwhile: nothing left to end
            request.app.state.users.end_sessions(user.name)
    request.session.clear()
    flash(request, "Du är utloggad.")
    return RedirectResponse("/logga-in", status_code=303)
