"""Smaller frictions on the web: the correction form keeps what was typed, the favicon, the
quarantine table the script refreshes, and one log line per inbox result."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

from samverkan.archive.home import Home

STATIC = Path(__file__).resolve().parents[2] / "samverkan" / "web" / "static"


def _field(page: str, name: str) -> str:
    found = re.search(rf'<div class="field[^"]*"><label for="{name}">.*?</div>', page, re.S)
    assert found, name
    return found.group(0)


def test_wrong_date_in_correction_keeps_what_was_typed(client_for, web_env) -> None:
    client, csrf = client_for("reg")
    mark = web_env.ids["mark"]
    before = client.get(f"/api/agreements/{mark}").json()["versions"][0]
    typed = {"csrf_token": csrf, "label": "reviderad", "dnr": "KS 2099/1",
             "signed_date": "2024-13-45", "move_to": ""}
    response = client.post(f"/overenskommelse/{mark}/version/1/ratta", data=typed)
    assert response.status_code == 422
    page = response.text
    assert "Rättelsen sparades inte" in page and '<details class="correct" id="ratta" open>' in page
    date = _field(page, "signed_date")
    assert 'value="2024-13-45"' in date and 'aria-invalid="true"' in date
    assert "«2024-13-45» är inget giltigt datum" in date
    assert 'value="KS 2099/1"' in _field(page, "dnr")
    assert '<option value="reviderad" selected>' in _field(page, "label")
    # nothing was saved
    after = client.get(f"/api/agreements/{mark}").json()["versions"][0]
    assert (after["label"], after["dnr"]) == (before["label"], before["dnr"])


def test_wrong_agreement_id_in_correction(client_for, web_env) -> None:
    client, csrf = client_for("reg")
    mark = web_env.ids["mark"]
    response = client.post(f"/overenskommelse/{mark}/version/1/ratta",
                           data={"csrf_token": csrf, "move_to": "SV-12"})
    assert response.status_code == 422
    move = _field(response.text, "move_to")
    assert 'value="SV-12"' in move and "skriv den som SV-XXXX-XXXX" in move
    again = client.get(f"/overenskommelse/{mark}/version/1/ratta", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"].endswith("?version=1#ratta")


def test_favicon(client_for) -> None:
    client, _ = client_for(None)  # browsers ask before anyone logs in
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and "<svg" in svg.text
    login = client.get("/logga-in").text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in login
    assert '<link rel="icon" href="/favicon.ico"' in login


def test_quarantine_table_is_refreshed_by_the_script(client_for) -> None:
    """The page marks its empty row, and the script replaces the whole table body from the
    server once an upload ends in quarantine (the browser test watches it happen)."""
    client, _ = client_for("reg")
    page = client.get("/registrera").text
    if "Karantänen är tom." in page:
        assert '<tr class="empty"><td colspan="4">Karantänen är tom.</td></tr>' in page
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    assert 'job.status === "quarantined"' in script and "refreshQuarantine()" in script
    assert '#karantan tbody' in script


def test_inbox_result_logged_once(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    from samverkan.service import Service

    service = Service(Home(home=tmp_path / "home", quiet_seconds=0.2), watch=True)
    caplog.set_level(logging.INFO)
    service.start_watcher()
    try:
        (service.settings.inbox / "en-rad.pdf").write_bytes(b"ingen pdf alls")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(
                "en-rad.pdf" in r.getMessage() for r in caplog.records):
            time.sleep(0.1)
        time.sleep(0.5)
    finally:
        service.stop()
    lines = [r.getMessage() for r in caplog.records if "en-rad.pdf" in r.getMessage()
             and "karantän" in r.getMessage()]
    assert len(lines) == 1, lines
