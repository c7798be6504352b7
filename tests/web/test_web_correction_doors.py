"""One correction, three doors: the form, the API and the CLI refuse the same bad values
with the same Swedish words, field by field, and save nothing."""

from __future__ import annotations

import html

import pytest
from click.testing import CliRunner

from samverkan import opening
from samverkan.archive.corrections import Correction
from samverkan.cli import cli
from tests.web.conftest import api_problems

BAD = {"label": "påhittad", "dnr": "K" * 80, "signed_date": "2024-13-45", "move_to": "SV-12"}


def test_the_core_names_every_bad_field() -> None:
    problems = Correction.typed(BAD).problems()
    assert [p.field for p in problems] == ["label", "dnr", "signed_date", "move_to"]
    assert Correction.typed({"dnr": "  KS\t2024/12 \x00"}).dnr == "KS 2024/12"
    assert Correction.typed({"move_to": "sv-7f3k-9q2m"}).target == "SV-7F3K-9Q2M"
    assert Correction.typed({"label": "", "signed_date": " ", "move_to": None}).empty
    assert Correction.typed({"dnr": " "}).dnr == ""  # given and empty: remove it


def test_form_api_and_cli_say_the_same(client_for, web_env, monkeypatch: pytest.MonkeyPatch
                                       ) -> None:
    expected = [p.message for p in Correction.typed(BAD).problems()]
    mark = web_env.ids["mark"]
    client, csrf = client_for("reg")
    before = client.get(f"/api/agreements/{mark}").json()["versions"][0]

    form = client.post(f"/overenskommelse/{mark}/version/1/ratta",
                       data={"csrf_token": csrf, **BAD})
    assert form.status_code == 422
    page = html.unescape(form.text)
    assert all(message in page for message in expected)

    api = client.post(f"/api/agreements/{mark}/versions/1/correct", json=BAD,
                      headers={"X-CSRF-Token": csrf,
                               "Authorization": f"Bearer {web_env.token}"})
    assert api.status_code == 422
    said = api.json()
    assert said["error"]["code"] == "invalid_correction"
    assert api_problems(said) == [f"{p.field}: {p.message}"
                                for p in Correction.typed(BAD).problems()]

    monkeypatch.setattr(opening, "followers", lambda **_: [])
    result = CliRunner().invoke(cli, [
        "--home", str(web_env.settings.home), "correct", f"{mark}@1",
        "--label", BAD["label"], "--dnr", BAD["dnr"], "--signed-date", BAD["signed_date"],
        "--move-to", BAD["move_to"]])
    assert result.exit_code == 2
    assert all(message in result.output for message in expected)

    after = client.get(f"/api/agreements/{mark}").json()["versions"][0]
    assert (after["label"], after["dnr"]) == (before["label"], before["dnr"])


def test_nothing_to_change_is_no_error_at_either_door(client_for, web_env) -> None:
    mark = web_env.ids["mark"]
    client, csrf = client_for("reg")
    current = client.get(f"/api/agreements/{mark}").json()["versions"][0]
    same = {"label": current["label"]}
    api = client.post(f"/api/agreements/{mark}/versions/1/correct", json=same,
                      headers={"Authorization": f"Bearer {web_env.token}"})
    assert api.status_code == 200 and api.json()["label"] == current["label"]
    form = client.post(f"/overenskommelse/{mark}/version/1/ratta",
                       data={"csrf_token": csrf, **same})
    assert form.status_code == 200 and "Inget ändrades." in form.text


def test_emptying_the_diarienummer_on_the_form_removes_it(client_for, web_env) -> None:
    vasby = web_env.ids["vasby"]
    client, csrf = client_for("reg")
    form = f"/overenskommelse/{vasby}/version/1/ratta"

    def dnr() -> str | None:
        return client.get(f"/api/agreements/{vasby}").json()["versions"][0]["dnr"]

    before = client.get(f"/api/agreements/{vasby}").json()["versions"][0]
    assert client.post(form, data={"csrf_token": csrf, "dnr": "KS 9/2024"}).status_code == 200
    assert dnr() == "KS 9/2024"
    client.post(form, data={"csrf_token": csrf, "label": "reviderad"})  # dnr not sent: kept
    assert dnr() == "KS 9/2024"
    assert client.post(form, data={"csrf_token": csrf, "dnr": ""}).status_code == 200
    assert dnr() is None
    # as it was, for the other tests of this shared archive
    client.post(form, data={"csrf_token": csrf, "dnr": before["dnr"] or "",
                            "label": before["label"]})
    assert dnr() == before["dnr"]
