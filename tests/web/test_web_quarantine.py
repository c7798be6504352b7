"""The quarantine through the web: a name that is not UTF-8 breaks no page, retry and discard
answer (also when sent twice), and no server path reaches the client."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from samverkan.archive.home import Home
from samverkan.users import UserStore
from samverkan.web.app import create_app
from samverkan.web.backend import Backend
from tests.archive.conftest import agreement_text, pdf_of
from tests.web.conftest import PASSWORD, login

LATIN1_NAME = b"avtal-\xe5rsskifte.pdf"  # "å" in Latin-1 from an old SMB share


@dataclass
class Door:
    client: TestClient
    csrf: str
    backend: Backend
    settings: Home


def drop_in_inbox(settings: Home, name: bytes, data: bytes) -> Path:
    settings.inbox.mkdir(parents=True, exist_ok=True)
    path = os.path.join(os.fsencode(settings.inbox), name)
    with open(path, "wb") as out:
        out.write(data)
    return Path(os.fsdecode(path))


@pytest.fixture()
def door(tmp_path: Path) -> Iterator[Door]:
    settings = Home(home=tmp_path / "home", max_file_bytes=2 * 1024 * 1024)
    backend = Backend(settings)
    UserStore(settings.home).add("reg", "registrator", PASSWORD)
    app = create_app(settings, backend)
    client = TestClient(app, raise_server_exceptions=False)
    csrf = login(client, "reg")
    try:
        yield Door(client, csrf, backend, settings)
    finally:
        client.close()
        app.state.jobs.close()
        backend.close()


def quarantine_latin1(door: Door) -> dict:
    path = drop_in_inbox(door.settings, LATIN1_NAME, pdf_of(agreement_text()))
    result = door.backend.archive.file_from_inbox(path, wait=True)
    assert result.status == "quarantined", result
    (entry,) = [e for e in door.client.get("/api/quarantine").json()
                if e["filename_hex"] == LATIN1_NAME.hex()]
    return entry


def test_a_name_that_is_not_utf8_breaks_no_page(door: Door) -> None:
    entry = quarantine_latin1(door)
    assert entry["filename"] == "avtal-\ufffdrsskifte.pdf"
    assert bytes.fromhex(entry["filename_hex"]) == LATIN1_NAME  # the original bytes, kept
    assert entry["name"].isascii() and "/" not in entry["name"]  # a safe id
    assert "path" not in entry
    assert "/" not in str(entry.get("source") or ""), entry  # no server folders
    page = door.client.get("/registrera")
    assert page.status_code == 200
    assert "avtal-\ufffdrsskifte.pdf" in page.text and entry["name"] in page.text


def test_retry_and_discard_by_the_safe_id(door: Door) -> None:
    entry = quarantine_latin1(door)
    headers = {"X-CSRF-Token": door.csrf}
    retried = door.client.post(f"/api/quarantine/{entry['name']}/retry", headers=headers)
    assert retried.status_code == 200, retried.text
    said = retried.json()
    assert said["status"] in ("quarantined", "new") and "path" not in said
    if said["status"] == "quarantined":
        discarded = door.client.post(f"/api/quarantine/{entry['name']}/discard", headers=headers)
        assert discarded.status_code == 200, discarded.text
        assert discarded.json() == {"name": entry["name"], "discarded": True}
    assert door.client.get("/registrera").status_code == 200


def test_discard_answers_and_a_repeat_is_done(door: Door) -> None:
    junk = drop_in_inbox(door.settings, b"skr\xe4p.pdf", b"inte en pdf")
    result = door.backend.archive.file_from_inbox(junk, wait=True)
    assert result.status == "quarantined"
    name = result.quarantine_name
    headers = {"X-CSRF-Token": door.csrf}
    first = door.client.post(f"/api/quarantine/{name}/discard", headers=headers)
    assert first.status_code == 200, first.text
    assert first.json() == {"name": name, "discarded": True}
    assert (door.settings.home / "discarded" / name).is_dir()  # kept, not deleted
    again = door.client.post(f"/api/quarantine/{name}/discard", headers=headers)
    assert again.status_code == 200 and again.json() == first.json()
    assert door.client.get("/api/quarantine").json() == []
    missing = door.client.post("/api/quarantine/finns-inte/discard", headers=headers)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_the_form_doors_work_on_the_odd_name(door: Door) -> None:
    entry = quarantine_latin1(door)
    retried = door.client.post("/registrera/karantan/forsok-igen",
                               data={"csrf_token": door.csrf, "name": entry["name"]})
    assert retried.status_code == 200, retried.text  # followed to /registrera
    remaining = door.client.get("/api/quarantine").json()
    if remaining:
        gone = door.client.post("/registrera/karantan/kassera",
                                data={"csrf_token": door.csrf, "name": remaining[0]["name"]})
        assert gone.status_code == 200 and "är kasserad" in gone.text
