"""Access rules, CSRF, download ids and escaping, through the real app and a real archive."""

from __future__ import annotations

import pytest

from tests.web.conftest import EVIL, PASSWORD, csrf_of, wait_for_job

# (role, method, path, allowed)
PAGES = [
    ("/sok", {"las", "sam", "reg", "adm"}),
    ("/sok?q=trygghet", {"las", "sam", "reg", "adm"}),
    ("/overenskommelser", {"las", "sam", "reg", "adm"}),
    ("/registrera", {"reg", "adm"}),
    ("/utkast", {"sam", "adm"}),
    ("/api/quarantine", {"reg", "adm"}),
    ("/api/templates", {"sam", "adm"}),
    ("/api/agreements", {"las", "sam", "reg", "adm"}),
    ("/oversikt", {"las", "sam", "reg", "adm"}),
    ("/api/overview", {"las", "sam", "reg", "adm"}),
    ("/oversikt/prioriteringar", {"las", "sam", "reg", "adm"}),
    ("/api/priorities", {"las", "sam", "reg", "adm"}),
]


@pytest.mark.parametrize("name", ["las", "sam", "reg", "adm"])
def test_pages_per_role(client_for, name: str) -> None:
    client, _ = client_for(name)
    for path, allowed in PAGES:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == (200 if name in allowed else 403), (name, path)
        if response.status_code == 403 and not path.startswith("/api/"):
            assert "Åtkomst nekad" in response.text and "får inte" in response.text


def test_agreement_page_and_downloads_for_readers(client_for, web_env) -> None:
    client, _ = client_for("las")
    mark = web_env.ids["mark"]
    page = client.get(f"/overenskommelse/{mark}")
    assert page.status_code == 200
    assert "Marks kommun" in page.text and "Version 2" in page.text
    assert "Starta nästa periods utkast" not in page.text  # a reader may not draft
    assert "Bekräfta eller rätta" not in page.text  # nor correct
    original = client.get(f"/fil/{web_env.shas['mark1']}")
    assert original.status_code == 200 and original.content.startswith(b"%PDF")
    assert "attachment" in original.headers["content-disposition"]
    assert client.get(f"/api/files/{web_env.shas['mark1']}").content.startswith(b"%PDF")


def test_anonymous_is_sent_to_login(client_for) -> None:
    client, _ = client_for(None)
    page = client.get("/registrera", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/logga-in?nasta=")
    api = client.get("/api/agreements")
    assert api.status_code == 401 and "Inloggning krävs" in api.json()["error"]["message"]
    assert api.json()["error"]["code"] == "login_required"


def test_wrong_password(client_for) -> None:
    client, _ = client_for(None)
    form = client.get("/logga-in")
    response = client.post("/logga-in", data={"name": "reg", "password": "fel",
                                              "csrf_token": csrf_of(form.text)})
    assert response.status_code == 401 and "Fel användarnamn eller lösenord" in response.text


def test_session_cookie_flags(client_for) -> None:
    client, _ = client_for(None)
    form = client.get("/logga-in")
    response = client.post("/logga-in", data={"name": "reg", "password": PASSWORD,
                                              "csrf_token": csrf_of(form.text)},
                           follow_redirects=False)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_csrf_is_required(client_for, web_env) -> None:
    client, csrf = client_for("adm")
    form = client.get("/logga-in")  # a fresh session's login form also needs the token
    assert client.post("/logga-ut", data={}).status_code == 403
    mark = web_env.ids["mark"]
    no_token = client.post(f"/overenskommelse/{mark}/version/1/ratta", data={"dnr": "X"})
    assert no_token.status_code == 403 and "CSRF" in no_token.text
    wrong = client.post(f"/overenskommelse/{mark}/version/1/ratta",
                        data={"dnr": "X", "csrf_token": "fel"})
    assert wrong.status_code == 403
    api = client.post("/api/uploads", files={"files": ("a.txt", b"hej")})
    assert api.status_code == 403
    assert client.post("/utkast", data={"yaml": "x"}).status_code == 403
    assert client.post("/registrera/karantan/kassera", data={"name": "x"}).status_code == 403
    assert form.status_code == 200 and csrf


def test_bearer_token(client_for, web_env) -> None:
    client, _ = client_for(None)
    headers = {"Authorization": f"Bearer {web_env.token}"}
    assert client.get("/api/me", headers=headers).json()["name"] == "reg"
    assert client.get("/api/templates", headers=headers).status_code == 403  # registrar
    bad = client.get("/api/me", headers={"Authorization": "Bearer svk_fel"})
    assert bad.status_code == 401
    # A token needs no CSRF token: it is not sent by browsers on their own.
    sent = client.post("/api/uploads", headers=headers,
                       files={"files": ("tom.txt", b"")}, data={"dnr": "KS 1"})
    assert sent.status_code == 202
    job = wait_for_job(client_with(headers, client), sent.json()["jobs"][0]["id"])
    assert job["status"] == "quarantined" and job["reason"]


def client_with(headers: dict[str, str], client):  # type: ignore[no-untyped-def]
    client.headers.update(headers)
    return client


@pytest.mark.parametrize("sha", [
    "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "0" * 63, "g" * 64,
    "0" * 64 + "%2F..", "%2e%2e", "0" * 64,  # unknown but well-formed: not found either
])
def test_download_ids_reject_paths(client_for, sha: str) -> None:
    client, _ = client_for("las")
    for prefix in ("/fil/", "/api/files/"):
        response = client.get(prefix + sha)
        assert response.status_code == 404, (prefix, sha)
        assert b"root:" not in response.content


def test_escaping_of_user_and_document_content(client_for, web_env) -> None:
    client, _ = client_for("adm")
    mark = web_env.ids["mark"]
    page = client.get(f"/overenskommelse/{mark}?version=2")
    assert EVIL not in page.text and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text
    search = client.get("/sok", params={"q": EVIL, "kommun": EVIL})
    assert EVIL not in search.text and "&lt;script&gt;" in search.text
    api = client.get("/api/agreements").json()
    assert any(row["dnr"] == EVIL for row in api)  # JSON carries it as data, not markup


def test_upload_escapes_filename_and_files_it(client_for, web_env, seed_texts) -> None:
    client, csrf = client_for("reg")
    text = seed_texts["trelleborg-2023-2026"].encode("utf-8")
    response = client.post("/api/uploads", headers={"X-CSRF-Token": csrf},
                           files=[("files", (f"{EVIL}.txt", text, "text/plain"))],
                           data={"dnr": EVIL, "label": "undertecknad"})
    assert response.status_code == 202, response.text
    job = wait_for_job(client, response.json()["jobs"][0]["id"])
    assert job["status"] == "new" and job["agreement_id"], job
    assert "<" not in job["filename"] and "/" not in job["filename"]
    page = client.get("/registrera")
    assert EVIL not in page.text
    again = client.post("/api/uploads", headers={"X-CSRF-Token": csrf},
                        files=[("files", ("kopia.txt", text, "text/plain"))])
    duplicate = wait_for_job(client, again.json()["jobs"][0]["id"])
    assert duplicate["status"] == "duplicate" and duplicate["agreement_id"] == job["agreement_id"]


def test_upload_size_limit(client_for, web_env) -> None:
    client, csrf = client_for("reg")
    too_big = b"x" * (web_env.settings.max_file_bytes + 1)
    response = client.post("/api/uploads", headers={"X-CSRF-Token": csrf},
                           files=[("files", ("stor.txt", too_big, "text/plain"))])
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_large" and "större än gränsen 2 MB per fil" in error["message"]


def test_swedish_error_pages(client_for) -> None:
    client, _ = client_for("las")
    missing = client.get("/finns-inte")
    assert missing.status_code == 404 and "Sidan finns inte" in missing.text
    assert '<html lang="sv">' in missing.text
    bad_id = client.get("/overenskommelse/SV-0000-0000")
    assert bad_id.status_code == 404 and "finns inte i arkivet" in bad_id.text
    said = client.get("/api/agreements/nej").json()["error"]
    assert said["code"] == "not_found" and said["message"].startswith("«nej» är ingen giltig")


def test_search_similar_compare_and_next_period(client_for, web_env) -> None:
    client, _ = client_for("sam")
    result = client.get("/api/search", params={"q": '"förbinder sig att"', "samla": "1"}).json()
    assert result["total"] >= 1 and result["hits"]
    hit = result["hits"][0]
    assert "<mark>" in hit["html"]
    facets = {f["key"]: f for f in result["facets"]}
    assert {"municipality", "county", "year", "party", "kind"} <= set(facets)
    page = client.get("/sok", params={"q": "trygghet", "kommun": "Mark"})
    assert page.status_code == 200 and "<mark>" in page.text and "Liknande formuleringar" in page.text
    similar = client.get("/liknande", params={"passage": hit["passage_id"]})
    assert similar.status_code == 200 and "Liknande formuleringar" in similar.text
    mark = web_env.ids["mark"]
    compared = client.get(f"/api/agreements/{mark}/compare", params={"a": 1, "b": 2}).json()
    assert compared["counts"]["reworded"] >= 1
    report = client.get(f"/overenskommelse/{mark}/jamforelse.html", params={"a": 1, "b": 2})
    assert report.status_code == 200 and "<del>" in report.text or "<ins>" in report.text
    assert "default-src 'none'" in report.headers["content-security-policy"]
    nxt = client.get(f"/api/agreements/{mark}/next-period").json()
    assert "2025" in nxt["yaml"] and nxt["predecessor"] == mark
    draft = client.get("/utkast", params={"fran": mark})
    assert draft.status_code == 200 and "Nästa period efter" in draft.text


def test_compare_page(client_for, web_env) -> None:
    client, _ = client_for("las")
    mark = web_env.ids["mark"]
    page = client.get(f"/overenskommelse/{mark}/jamfor", params={"a": "1", "b": "2"})
    assert page.status_code == 200, page.text
    assert "Jämförelse: version 1 och 2" in page.text and "skiljer sig" in page.text
    same = client.get(f"/overenskommelse/{mark}/jamfor", params={"a": "1", "b": "1"})
    assert same.status_code == 400 and "två olika versioner" in same.text


def test_correct_and_confirm_are_logged(client_for, web_env) -> None:
    client, csrf = client_for("reg")
    vasby = web_env.ids["vasby"]
    corrected = client.post(f"/overenskommelse/{vasby}/version/1/ratta",
                            data={"csrf_token": csrf, "dnr": "KS 2020/456", "label": "undertecknad",
                                  "signed_date": "2020-12-14"})
    assert corrected.status_code == 200 and "Rättelsen av version 1" in corrected.text
    confirmed = client.post(f"/api/agreements/{vasby}/versions/1/confirm",
                            headers={"X-CSRF-Token": csrf})
    assert confirmed.status_code == 200 and confirmed.json()["event"] == "confirmed"
    page = client.get(f"/overenskommelse/{vasby}")
    assert "diarienummer: KS 2020/455 → KS 2020/456" in page.text
    assert "Tolkningen bekräftad" in page.text and "KS 2020/456" in page.text
    reader, reader_csrf = client_for("las")
    denied = reader.post(f"/overenskommelse/{vasby}/version/1/ratta",
                         data={"csrf_token": reader_csrf, "dnr": "X"})
    assert denied.status_code == 403
