"""Throttling of failed logins and API tokens (`limits`, moving windows, in memory).

Failed passwords count three ways: per (account, address) tightly, per address broadly, and
per account from anywhere only at a much higher threshold. So a guesser at one address is
stopped quickly without locking out the real user at another address; only a spread-out
attack on one account locks it everywhere. Unknown tokens count per address. A refused
attempt is answered 429 with Retry-After; each lock and the first refusal under it go to the
archive's audit log.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.requests import Request

from samverkan.users import is_valid_name

log = logging.getLogger("samverkan.web")

SCOPES_SV = {"pair": "kontot från denna adress", "address": "denna adress",
             "account": "kontot", "token": "API-nycklar från denna adress"}


@dataclass(frozen=True)
class ThrottleLimits:
    """How many failures each scope tolerates in its moving window (`limits` notation)."""

    pair: str = "5 per 5 minutes"  # one account from one address
    address: str = "30 per 15 minutes"  # any accounts from one address
    account: str = "100 per hour"  # one account from any address
    token: str = "20 per 15 minutes"  # unknown API tokens from one address


@dataclass(frozen=True)
class Refusal:
    scope: str
    retry_after: int  # seconds

    @property
    def message(self) -> str:
        minutes = math.ceil(self.retry_after / 60)
        wait = (f"{minutes} minut{'er' if minutes != 1 else ''}" if self.retry_after >= 60
                else f"{self.retry_after} sekund{'er' if self.retry_after != 1 else ''}")
        return (f"För många misslyckade inloggningsförsök för {SCOPES_SV[self.scope]}. "
                f"Försök igen om {wait}.")


class TooManyAttempts(Exception):
    """A login or token refused without being checked: the web answers 429."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


class LoginThrottle:
    """The counters of one service process; `clock` only computes Retry-After (tests)."""

    def __init__(self, limits: ThrottleLimits | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        chosen = limits or ThrottleLimits()
        self.items: dict[str, RateLimitItem] = {
            scope: parse(getattr(chosen, scope)) for scope in SCOPES_SV}
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.clock = clock
        self._told: dict[tuple[str, ...], float] = {}  # refusals already in the audit log
        self._lock = threading.Lock()

    def _keys(self, account: str | None, address: str) -> list[tuple[str, tuple[str, ...]]]:
        if account is None:
            return [("token", (address,))]
        name = account.strip().casefold()[:128]
        return [("pair", (name, address)), ("address", (address,)), ("account", (name,))]

    def refused(self, account: str | None, address: str) -> Refusal | None:
        """The scope that is locked now for this attempt, if any (checks, counts nothing)."""
        for scope, keys in self._keys(account, address):
            item = self.items[scope]
            if not self.limiter.test(item, scope, *keys):
                reset = self.limiter.get_window_stats(item, scope, *keys).reset_time
                return Refusal(scope, max(1, math.ceil(reset - self.clock())))
        return None

    def first_refusal(self, account: str | None, address: str, refusal: Refusal) -> bool:
        """Whether this refusal is the first under its lock (only that one is logged)."""
        key = (refusal.scope, *dict(self._keys(account, address))[refusal.scope])
        now = self.clock()
        with self._lock:
            if self._told.get(key, 0) > now:
                return False
            if len(self._told) >= 1024:  # many addresses: forget locks that have ended
                self._told = {k: until for k, until in self._told.items() if until > now}
            self._told[key] = now + refusal.retry_after
            return True

    def failed(self, account: str | None, address: str) -> list[str]:
        """Count a failure; returns the scopes it locked."""
        locked = []
        for scope, keys in self._keys(account, address):
            item = self.items[scope]
            self.limiter.hit(item, scope, *keys)
            if not self.limiter.test(item, scope, *keys):
                locked.append(scope)
        return locked

    def succeeded(self, account: str, address: str) -> None:
        """A correct password from this address clears its own (account, address) count."""
        ((scope, keys), *_) = self._keys(account, address)
        self.limiter.clear(self.items[scope], scope, *keys)


def client_address(request: Request) -> str:
    """The client's address as the throttle counts it (uvicorn puts the proxy's
    X-Forwarded-For here when trusted). An IPv6 client counts by its /64, the block one
    subscriber gets: otherwise a guesser would take a new address for every few attempts."""
    host = request.client.host if request.client else "okänd"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


def audit(request: Request, event: str, *, account: str | None, address: str,
          scope: str, retry_after: int | None = None) -> None:
    """Record a lock or a refusal in the archive's audit log; the login answer never waits
    on a failing log (the failure is logged instead)."""
    actor = account if account and is_valid_name(account) else "okänd"
    fields: dict[str, object] = {"scope": scope, "address": address,
                                 "limit": str(request.app.state.throttle.items[scope])}
    if retry_after is not None:
        fields["retry_after"] = retry_after
    try:
        request.app.state.backend.archive.log_event(event, actor, **fields)
    except Exception:
        log.exception("could not record %s for %s in the audit log", event, address)


def check(request: Request, account: str | None) -> None:
    """Raise TooManyAttempts when this attempt is locked out (logging the first refusal)."""
    throttle: LoginThrottle = request.app.state.throttle
    address = client_address(request)
    refusal = throttle.refused(account, address)
    if refusal is None:
        return
    if throttle.first_refusal(account, address, refusal):
        audit(request, "login_throttled", account=account, address=address,
              scope=refusal.scope, retry_after=refusal.retry_after)
    raise TooManyAttempts(refusal)


def record_failure(request: Request, account: str | None) -> None:
    """Count a wrong password or unknown token; log every lock it causes."""
    throttle: LoginThrottle = request.app.state.throttle
    address = client_address(request)
    for scope in throttle.failed(account, address):
        log.warning("login locked: %s for %s", scope, address)
        audit(request, "login_locked", account=account, address=address, scope=scope)
