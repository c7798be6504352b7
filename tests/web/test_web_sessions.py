"""Sessions end when they should: logging out, a new password, a new role or an administrator
ends every session of the account, also a cookie saved before and used elsewhere."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi import FastAPI
from fastapi.testclient import TestClient

from samverkan.archive.home import Home
from samverkan.cli import cli
from samverkan.users import UserStore
from samverkan.web.app import SESSION_COOKIE, create_app
from samverkan.web.backend import Backend
from samverkan.web.throttle import LoginThrottle, ThrottleLimits
from tests.web.conftest import PASSWORD, csrf_of, login


@dataclass
class Site:
    app: FastAPI
    settings: Home
    store: UserStore
    client: Callable[..., TestClient]

    def audit(self, event: str) -> list[dict]:
        lines = (self.settings.home / "archive" / "audit.jsonl").read_text().splitlines()
        return [entry for entry in map(json.loads, lines) if entry["event"] == event]


def make_site(tmp_path: Path, limits: ThrottleLimits | None = None) -> Iterator[Site]:
    settings = Home(home=tmp_path / "home")
    backend = Backend(settings)
    store = UserStore(settings.home)
    store.add("reg", "registrator", PASSWORD)
    store.add("adm", "läsare", PASSWORD, admin=True)
    app = create_app(settings, backend, throttle=LoginThrottle(limits))
    clients: list[TestClient] = []

    def client(address: str = "10.0.0.7", cookie: str | None = None) -> TestClient:
        made = TestClient(app, raise_server_exceptions=False, client=(address, 40000))
        if cookie is not None:
            made.cookies.set(SESSION_COOKIE, cookie)
        clients.append(made)
        return made

    try:
        yield Site(app, settings, store, client)
    finally:
        for made in clients:
            made.close()
        app.state.jobs.close()
        backend.close()


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[Site]:
    yield from make_site(tmp_path)


def saved_session(site: Site, name: str) -> tuple[TestClient, str, str]:
    """A logged-in client, its CSRF token and a copy of its cookie (as a thief would keep)."""
    client = site.client()
    csrf = login(client, name)
    cookie = client.cookies[SESSION_COOKIE]
    assert site.client(cookie=cookie).get("/api/me").status_code == 200
    return client, csrf, cookie


def rejected(site: Site, cookie: str) -> bool:
    answer = site.client(address="10.9.9.9", cookie=cookie).get("/api/me")
    return answer.status_code == 401 and answer.json()["error"]["code"] == "login_required"


def test_logout_ends_a_saved_cookie(site: Site) -> None:
    client, csrf, cookie = saved_session(site, "reg")
    assert client.post("/logga-ut", data={"csrf_token": csrf}).status_code == 200
    assert rejected(site, cookie)
    page = site.client(cookie=cookie).get("/registrera", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/logga-in")
    login(site.client(), "reg")  # a new login works


def test_password_change_ends_sessions(site: Site) -> None:
    _, _, cookie = saved_session(site, "reg")
    site.store.set_password("reg", "ett-nytt-lösenord")
    assert rejected(site, cookie)


def test_role_change_ends_sessions(site: Site) -> None:
    _, _, cookie = saved_session(site, "reg")
    site.store.add("reg", "läsare", replace=True)
    assert rejected(site, cookie)
    _, _, unchanged = saved_session(site, "adm")
    site.store.add("adm", "läsare", admin=True, replace=True)  # nothing changed: kept
    assert not rejected(site, unchanged)


def test_admin_ends_sessions_on_the_page(site: Site) -> None:
    _, _, cookie = saved_session(site, "reg")
    admin = site.client()
    login(admin, "adm")
    users = admin.get("/konton")
    assert users.status_code == 200 and "Avsluta alla sessioner" in users.text
    done = admin.post("/konton/reg/avsluta-sessioner", data={"csrf_token": csrf_of(users.text)})
    assert done.status_code == 200 and "Alla sessioner för «reg» är avslutade." in done.text
    assert rejected(site, cookie)
    (entry,) = site.audit("sessions_ended")
    assert entry["actor"] == "adm" and entry["account"] == "reg"
    registrar = site.client()
    login(registrar, "reg")
    assert registrar.get("/konton").status_code == 403  # only administrators


def test_admin_ends_sessions_by_api_and_cli(site: Site) -> None:
    _, _, cookie = saved_session(site, "reg")
    token = site.store.new_token("adm", "test")
    api = site.client()
    said = api.post("/api/users/reg/end-sessions", headers={"Authorization": f"Bearer {token}"})
    assert said.status_code == 200 and said.json() == {"name": "reg", "sessions_ended": True}
    assert rejected(site, cookie)
    missing = api.post("/api/users/ingen/end-sessions",
                       headers={"Authorization": f"Bearer {token}"})
    assert missing.status_code == 400 and "finns inte" in missing.json()["error"]["message"]

    _, _, again = saved_session(site, "reg")
    result = CliRunner().invoke(cli, ["--home", str(site.settings.home), "user", "logout", "reg"])
    assert result.exit_code == 0 and "Alla sessioner för «reg» är avslutade." in result.output
    assert rejected(site, again)


def test_an_account_removed_and_made_again_does_not_take_the_old_sessions(site: Site) -> None:
    _, _, cookie = saved_session(site, "reg")
    site.store.remove("reg")
    site.store.add("reg", "registrator", PASSWORD)  # at once: the same second, generation 0
    assert rejected(site, cookie)
    login(site.client(), "reg")
