"""Konton: an administrator ends every session of an account (a lost laptop, a leaver)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from samverkan.users import User, UserStore
from samverkan.web.rendering import flash, page
from samverkan.web.security import Admin

router = APIRouter(include_in_schema=False)


def end_sessions(request: Request, admin: User, name: str) -> None:
    """End the account's sessions (UserError, a 400, if it does not exist) and log who did."""
    store: UserStore = request.app.state.users
    store.end_sessions(name)
    request.app.state.backend.archive.log_event("sessions_ended", admin.name, account=name)


@router.get("/konton")
def users_page(request: Request, user: Admin) -> Response:
    return page(request, "users.html", title="Konton", accounts=request.app.state.users.list())


@router.post("/konton/{name}/avsluta-sessioner")
def end_sessions_form(request: Request, user: Admin, name: str) -> Response:
    end_sessions(request, user, name)
    if name == user.name:
        return RedirectResponse("/logga-in", status_code=303)
    flash(request, f"Alla sessioner för «{name}» är avslutade.")
    return RedirectResponse("/konton", status_code=303)
