"""Who is asking and may they: sessions, API tokens, roles and CSRF for the web service.

Browsers authenticate with a signed session cookie (Starlette's SessionMiddleware: HttpOnly,
SameSite=Lax) and must send the session's CSRF token with every state-changing request
(hidden form field or X-CSRF-Token header). Integrations send `Authorization: Bearer <token>`;
those requests carry no ambient credentials, so they need no CSRF token.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from samverkan.users import User, UserStore

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

PERMISSION_SV = {
    "read": "söka och läsa överenskommelser",
    "draft": "skriva utkast",
    "file": "registrera handlingar",
    "admin": "administrera",
}


class LoginRequired(Exception):
    """No valid session or token: pages redirect to the login form, the API answers 401."""


class Forbidden(Exception):
    """Logged in, but the role does not allow the action."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CsrfError(Exception):
    """A state-changing browser request without the session's CSRF token."""


def load_secret(home: Path) -> str:
    """The session-signing secret, created once under HOME (0600) so restarts keep sessions."""
    path = Path(home) / "secret.key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret)
    return secret


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Raise CsrfError unless the request carries the session's token (header or form)."""
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(str(expected), str(sent)):
        raise CsrfError()


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def current_user(request: Request) -> User | None:
    """The user behind the request (token first, then session); records how on request.state."""
    store: UserStore = request.app.state.users
    token = _bearer(request)
    if token is not None:
        from samverkan.web import throttle

        request.state.auth = "token"
        throttle.check(request, None)  # an address guessing tokens is refused (429)
        user = store.by_token(token)
        if user is None:
            throttle.record_failure(request, None)
        return user
    request.state.auth = "session"
    name = request.session.get("user")
    if not name:
        return None
    user = store.get(name)
    if (user is None or request.session.get("generation") != user.session_generation
            or request.session.get("account") != user.account):
        # The account is gone, its sessions were ended, or it was removed and made again
        # under the same name (a new account: the old one's sessions are not its own).
        request.session.clear()
        return None
    return user


def start_session(request: Request, user: User) -> None:
    """A fresh session (and CSRF token) for the user, tied to the account's session
    generation so logging out or an administrator can end it everywhere."""
    request.session.clear()
    request.session["user"] = user.name
    request.session["generation"] = user.session_generation
    request.session["account"] = user.account
    csrf_token(request)


def require(permission: str):
    """FastAPI dependency: the user, who must hold `permission`; CSRF checked for browsers."""

    async def dependency(request: Request) -> User:
        user = current_user(request)
        if user is None:
            raise LoginRequired()
        if request.method not in SAFE_METHODS and request.state.auth == "session":
            await check_csrf(request)
        if not user.can(permission):
            raise Forbidden(
                f"Ditt konto ({user.role_label}) får inte {PERMISSION_SV.get(permission, permission)}.")
        request.state.user = user
        return user

    dependency.__name__ = f"require_{permission}"
    return dependency


# Route parameter types: `user: Reader` means "a logged-in user who may read".
Reader = Annotated[User, Depends(require("read"))]
Drafter = Annotated[User, Depends(require("draft"))]
Registrar = Annotated[User, Depends(require("file"))]
Admin = Annotated[User, Depends(require("admin"))]
