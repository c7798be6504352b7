"""A small real archive (seed agreements as text PDFs, two versions of one) shared by the web
tests, with one account per role; built once per session because filing and indexing cost."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from samverkan.archive.home import Home
from samverkan.fixtures import write_text_pdf
from samverkan.users import UserStore
from samverkan.web.app import create_app
from samverkan.web.backend import Backend

PASSWORD = "lösenord-123"
ROLES = {"las": ("läsare", False), "sam": ("samordnare", False), "reg": ("registrator", False),
         "adm": ("läsare", True)}
EVIL = "<script>alert('x')</script>"


@dataclass
class WebEnv:
    settings: Home
    backend: Backend
    ids: dict[str, str]
    shas: dict[str, str]
    token: str


def edited_mark(text: str) -> str:
    """The Mark agreement with one commitment reworded: a second version to compare."""
    changed = text.replace("Samordna årliga trygghetsvandringar",
                           "Samordna två trygghetsvandringar och en nattvandring per år", 1)
    assert changed != text
    return changed


def file_text(backend: Backend, folder: Path, name: str, text: str, *, dnr: str | None = None,
              label: str | None = None):  # type: ignore[no-untyped-def]
    path = write_text_pdf(text, folder / name)
    result = backend.file(path, dnr, label, "testare")
    assert result.status == "new", result
    return result


@pytest.fixture(scope="session")
def web_env(tmp_path_factory: pytest.TempPathFactory, seed_texts: dict[str, str]) -> WebEnv:
    home = tmp_path_factory.mktemp("webhome")
    source = tmp_path_factory.mktemp("websource")
    settings = Home(home=home, max_file_bytes=2 * 1024 * 1024)
    backend = Backend(settings)
    backend.attach_index()
    store = UserStore(home)
    for name, (role, admin) in ROLES.items():
        store.add(name, role, PASSWORD, admin=admin)
    token = store.new_token("reg", "test")
    ids: dict[str, str] = {}
    shas: dict[str, str] = {}
    mark = file_text(backend, source, "mark.pdf", seed_texts["mark-2022-2024"], dnr="KS 2022/17",
                     label="utkast")
    ids["mark"], shas["mark1"] = mark.agreement_id, mark.sha256
    second = file_text(backend, source, "mark-undertecknad.pdf",
                       edited_mark(seed_texts["mark-2022-2024"]), dnr=EVIL)
    assert second.agreement_id == mark.agreement_id and second.version == 2, second
    shas["mark2"] = second.sha256
    vasby = file_text(backend, source, "vasby.pdf", seed_texts["upplands-vasby-2021-2022"],
                      dnr="KS 2020/455")
    ids["vasby"], shas["vasby"] = vasby.agreement_id, vasby.sha256
    backend.close()  # the index writes the batch of filings now, before anything searches
    return WebEnv(settings, backend, ids, shas, token)


@pytest.fixture(scope="session")
def app(web_env: WebEnv):  # type: ignore[no-untyped-def]
    application = create_app(web_env.settings, web_env.backend)
    yield application
    application.state.jobs.close()


def api_get(client_for, web_env: WebEnv, path: str):  # type: ignore[no-untyped-def]
    """GET `path` with the registrar's API token (no session)."""
    client, _ = client_for(None)
    return client.get(path, headers={"Authorization": f"Bearer {web_env.token}"})


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def api_problems(body: dict) -> list[str]:
    """An API error's problems as "field: message" lines (as the HTML page lists them)."""
    return [f"{p['field']}: {p['message']}" if p["field"] else p["message"]
            for p in body["error"]["problems"]]


def login(client: TestClient, name: str) -> str:
    """Log in through the form; returns the session's CSRF token."""
    page = client.get("/logga-in")
    response = client.post("/logga-in", data={"name": name, "password": PASSWORD,
                                              "csrf_token": csrf_of(page.text), "next": "/sok"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/sok").text)


@pytest.fixture()
def client_for(app):  # type: ignore[no-untyped-def]
    clients: list[TestClient] = []

    def make(name: str | None) -> tuple[TestClient, str | None]:
        client = TestClient(app, raise_server_exceptions=False)
        clients.append(client)
        csrf = login(client, name) if name else None
        return client, csrf

    yield make
    for client in clients:
        client.close()


def wait_for_job(client: TestClient, job_id: str, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/uploads/{job_id}").json()
        if job["finished"]:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish")
