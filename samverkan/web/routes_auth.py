"""Logging in and out, and the start page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from samverkan.web.rendering import flash, page
from samverkan.web.security import check_csrf, csrf_token, current_user

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
    user = request.app.state.users.authenticate(name, password)
    if user is None:
        return page(request, "login.html", status_code=401, title="Logga in", next=target,
                    error="Fel användarnamn eller lösenord.", name=name)
    request.session.clear()  # a fresh session (and CSRF token) at every login
    request.session["user"] = user.name
    csrf_token(request)
    return RedirectResponse(target, status_code=303)


@router.post("/logga-ut")
async def logout(request: Request) -> Response:
    await check_csrf(request)
    request.session.clear()
    flash(request, "Du är utloggad.")
    return RedirectResponse("/logga-in", status_code=303)
