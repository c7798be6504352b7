"""The drafting API behaves as the page does: same checks, numbers, final documents, 422s."""

from __future__ import annotations

import yaml

from tests.web.conftest import api_problems
from tests.web.test_web_units import MARK_YAML

NINE = MARK_YAML.replace("municipalities: [Mark]", "municipalities: [Mora, Orsa, Älvdalen, "
                         "Leksand, Rättvik, Gagnef, Vansbro, Ludvika]")


def post(client, csrf, path: str, **body):  # type: ignore[no-untyped-def]
    return client.post(path, json=body, headers={"X-CSRF-Token": csrf})


def test_nine_parties_is_a_422_naming_the_field(client_for) -> None:
    client, csrf = client_for("sam")
    for path in ("/api/drafts/preview", "/api/drafts/docx"):
        response = post(client, csrf, path, yaml=NINE)
        assert response.status_code == 422, response.text
        assert any(p.startswith("parties.municipalities: högst 8 parter")
                   for p in api_problems(response.json()))


def test_numbered_as_the_archive_will_file_it_and_final_on_request(client_for) -> None:
    client, csrf = client_for("sam")
    own_version = MARK_YAML + "version: 7\n"
    first = post(client, csrf, "/api/drafts/docx", yaml=own_version)
    assert first.status_code == 200, first.text
    assert first.headers["X-Samverkan-Version"] == "1"  # not the 7 written in the YAML
    assert first.headers["content-disposition"].endswith('-v1-utkast.docx"')
    again = post(client, csrf, "/api/drafts/docx", yaml=own_version)
    assert again.headers["X-Samverkan-Version"] == "1"  # same content, same number
    final = post(client, csrf, "/api/drafts/docx", yaml=MARK_YAML, final=True)
    assert final.status_code == 200 and final.headers["X-Samverkan-Version"] == "2"
    assert final.headers["content-disposition"].endswith('-v2.docx"')


def test_final_refuses_what_is_unconfirmed(client_for) -> None:
    client, csrf = client_for("sam")
    data = yaml.safe_load(MARK_YAML)
    data["signatories"][0]["confirm"] = True
    data["notes"] = ["Kontrollera perioden."]
    text = yaml.safe_dump(data, allow_unicode=True)
    refused = post(client, csrf, "/api/drafts/pdf", yaml=text, final=True)
    assert refused.status_code == 422
    problems = api_problems(refused.json())
    assert "notes[0]: inte bekräftat: Kontrollera perioden." in problems
    assert any(p.startswith("signatories[0]: inte bekräftat: Bekräfta undertecknaren")
               for p in problems)
    preview = post(client, csrf, "/api/drafts/preview", yaml=text)
    assert preview.status_code == 200 and len(preview.json()["to_check"]) == 2
