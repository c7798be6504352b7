"""Local accounts: who may use the web service and the API, and with which role.

Accounts live in HOME/users.json (written atomically, guarded by a process lock so the CLI
and the running service never interleave). Passwords are argon2 hashes; API tokens are
random and only their SHA-256 is stored, so a leaked users.json gives away no secrets.
Each account has a session generation, carried in its signed sessions: logging out, a new
password, a new role or an administrator ending the sessions raises it, and every session
signed with an older one stops working at its next request.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from filelock import FileLock

ROLES = ("registrator", "samordnare", "läsare")
ROLE_LABELS_SV = {"registrator": "Registrator", "samordnare": "Samordnare", "läsare": "Läsare"}

# What each role may do; admins may do everything.
PERMISSIONS: dict[str, frozenset[str]] = {
    "läsare": frozenset({"read"}),
    "samordnare": frozenset({"read", "draft"}),
    "registrator": frozenset({"read", "file"}),
}
ALL_PERMISSIONS = frozenset({"read", "draft", "file", "admin"})

TOKEN_PREFIX = "svk_"
# Calendar feed addresses carry their own tokens: a URL ends up in calendar programs and
# their logs, so it may only read the feed, never act as an API key.
CALENDAR_TOKEN_PREFIX = "svkcal_"
_NAME = re.compile(r"^[A-Za-z0-9ÅÄÖåäöÉé._@-]{2,64}$")
MIN_PASSWORD = 8

_hasher = PasswordHasher()


class UserError(ValueError):
    """A problem with an account, worded in Swedish for the person at the keyboard."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    admin: bool = False
    password_hash: str | None = None
    tokens: tuple[dict[str, str], ...] = field(default_factory=tuple)
    created: str = ""
    session_generation: int = 0
    # Random per account (older files: its creation time): an account removed and made
    # again under the same name is another account, whose sessions the old ones are not.
    account: str = ""

    @property
    def permissions(self) -> frozenset[str]:
        return ALL_PERMISSIONS if self.admin else PERMISSIONS.get(self.role, frozenset())

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    @property
    def role_label(self) -> str:
        label = ROLE_LABELS_SV.get(self.role, self.role)
        return f"{label} (administratör)" if self.admin else label

    def public(self) -> dict[str, object]:
        """What the API may show about an account (never hashes)."""
        return {"name": self.name, "role": self.role, "admin": self.admin,
                "permissions": sorted(self.permissions)}


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_name(name: str) -> str:
    if not _NAME.match(name or ""):
        raise UserError(f"Ogiltigt användarnamn «{name}»: använd 2–64 bokstäver, siffror eller . _ @ -")
    return name


def is_valid_name(name: str) -> bool:
    return bool(_NAME.match(name or ""))


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"Okänd roll «{role}»; välj en av: {', '.join(ROLES)}")
    return role


class UserStore:
    """HOME/users.json: read on every lookup (small file), rewritten atomically on change."""

    def __init__(self, home: Path):
        self.path = Path(home) / "users.json"
        self._lock_path = Path(home) / "run" / "users.lock"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self._lock_path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(self._lock_path):
            yield

    @contextlib.contextmanager
    def _changing(self, name: str) -> Iterator[dict]:
        """One existing account's entry, under the lock, written back when the block ends
        without an error (UserError in Swedish when there is no such account)."""
        with self._locked():
            users = self._read()
            if name not in users:
                raise UserError(f"Kontot «{name}» finns inte")
            yield users[name]
            self._write(users)

    def _read(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            raise UserError(f"{self.path}: kontofilen kan inte läsas ({error})") from None
        users = data.get("users") if isinstance(data, dict) else None
        if not isinstance(users, dict):
            raise UserError(f"{self.path}: kontofilen har fel format (saknar «users»)")
        return users

    def _write(self, users: dict[str, dict]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"users": users}, ensure_ascii=False, indent=2, sort_keys=True)
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".users-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, 0o600)
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    @staticmethod
    def _user(name: str, data: dict) -> User:
        return User(name=name, role=data.get("role", "läsare"), admin=bool(data.get("admin")),
                    password_hash=data.get("password_hash"),
                    tokens=tuple(data.get("tokens", ())), created=data.get("created", ""),
                    session_generation=int(data.get("session_generation", 0)),
                    account=str(data.get("account") or data.get("created", "")))

    def list(self) -> list[User]:
        return [self._user(name, data) for name, data in sorted(self._read().items())]

    def get(self, name: str) -> User | None:
        data = self._read().get(name)
        return self._user(name, data) if data else None

    def is_empty(self) -> bool:
        return not self._read()

    def add(self, name: str, role: str, password: str | None = None, *,
            admin: bool = False, replace: bool = False) -> User:
        check_name(name)
        check_role(role)
        if password is not None and len(password) < MIN_PASSWORD:
            raise UserError(f"Lösenordet måste ha minst {MIN_PASSWORD} tecken")
        with self._locked():
            users = self._read()
            if name in users and not replace:
                raise UserError(f"Kontot «{name}» finns redan")
            entry = users.get(name, {"created": _now(), "account": secrets.token_hex(8),
                                     "tokens": []})
            changed = (entry.get("role"), bool(entry.get("admin"))) != (role, admin)
            entry.update({"role": role, "admin": admin})
            if password is not None:
                entry["password_hash"] = _hasher.hash(password)
            if name in users and (changed or password is not None):
                _next_generation(entry)  # a new role or password ends the old sessions
            users[name] = entry
            self._write(users)
        return self._user(name, users[name])

    def set_password(self, name: str, password: str) -> None:
        if len(password) < MIN_PASSWORD:
            raise UserError(f"Lösenordet måste ha minst {MIN_PASSWORD} tecken")
        with self._changing(name) as entry:
            entry["password_hash"] = _hasher.hash(password)
            _next_generation(entry)

    def end_sessions(self, name: str) -> int:
        """End every session of the account (logout, or an administrator's decision);
        returns the new session generation."""
        with self._changing(name) as entry:
            generation = _next_generation(entry)
        return generation

    def remove(self, name: str) -> None:
        with self._locked():
            users = self._read()
            if users.pop(name, None) is None:
                raise UserError(f"Kontot «{name}» finns inte")
            self._write(users)

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when the password matches; None otherwise (same answer for unknown names)."""
        user = self.get(name) if _NAME.match(name or "") else None
        if user is None or not user.password_hash:
            # Spend comparable time so unknown names cannot be told apart by timing.
            with contextlib.suppress(VerificationError, InvalidHashError):
                _hasher.verify(_dummy_hash(), password or "")
            return None
        try:
            _hasher.verify(user.password_hash, password or "")
        except (VerificationError, InvalidHashError):
            return None
        return user

    def new_token(self, name: str, label: str = "") -> str:
        """Create an API token for the account; only its digest is kept, so show it once."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._changing(name) as entry:
            entry.setdefault("tokens", []).append(
                {"id": secrets.token_hex(4), "sha256": _token_digest(token),
                 "label": label, "created": _now()})
        return token

    def revoke_tokens(self, name: str) -> int:
        with self._changing(name) as entry:
            count = len(entry.get("tokens", []))
            entry["tokens"] = []
        return count

    def new_calendar_token(self, name: str) -> str:
        """A new address for the account's calendar feed; the old one stops working (one
        per account, its digest kept as for API tokens, so show it once)."""
        token = CALENDAR_TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._changing(name) as entry:
            entry["calendar_token"] = {"sha256": _token_digest(token), "created": _now()}
        return token

    def revoke_calendar_token(self, name: str) -> bool:
        """Stop the account's calendar address; whether there was one."""
        with self._changing(name) as entry:
            had = entry.pop("calendar_token", None) is not None
        return had

    def has_calendar_token(self, name: str) -> bool:
        return bool((self._read().get(name) or {}).get("calendar_token"))

    def by_calendar_token(self, token: str) -> User | None:
        """The account whose calendar address this is (None for any other string)."""
        if not token or not token.startswith(CALENDAR_TOKEN_PREFIX):
            return None
        digest = _token_digest(token)
        for name, data in self._read().items():
            entry = data.get("calendar_token") or {}
            if hmac.compare_digest(entry.get("sha256", ""), digest):
                return self._user(name, data)
        return None

    def by_token(self, token: str) -> User | None:
        if not token or not token.startswith(TOKEN_PREFIX):
            return None
        digest = _token_digest(token)
        for name, data in self._read().items():
            for entry in data.get("tokens", ()):
                if hmac.compare_digest(entry.get("sha256", ""), digest):
                    return self._user(name, data)
        return None


def _next_generation(entry: dict) -> int:
    entry["session_generation"] = int(entry.get("session_generation", 0)) + 1
    return int(entry["session_generation"])


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("samverkan-dummy-password")
