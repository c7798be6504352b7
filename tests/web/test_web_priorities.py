"""Vad andra prioriterar: the page (charts, tables, search links) and /api/priorities agree."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from samverkan.archive.catalogue_db import CatalogueRow
from samverkan.archive.home import Home
from samverkan.docgen.swedish import percent_sv
from samverkan.web.backend import Backend, BadRequest
from tests.archive.test_archive_overview import row
from tests.index.test_index_priorities import TODAY, areas, counts, rows
from tests.web.conftest import WebEnv, api_get


def test_page_and_api_agree(client_for, web_env: WebEnv) -> None:  # type: ignore[no-untyped-def]
    answer = api_get(client_for, web_env, "/api/priorities?year=2022")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    # Mark's signed v2 (2022–2024) and Upplands Väsby's 2021–2022; Mark's draft never counts.
    assert (body["year"], body["county"], body["in_force"]) == (2022, None, 2)
    assert body["areas"], body
    assert body["counted"] == 2
    # Other tests of the session file agreements of later periods (never of 2021–2022), so
    # only the years up to the asked one are known exactly.
    assert body["years"] == list(range(2021, body["years"][-1] + 1)) and body["years"][-1] >= 2024
    assert body["totals"][:2] == [1, 2] and min(body["totals"][2:4]) >= 1
    safety = next(area for area in body["areas"]
                  if "offentliga miljöer" in area["name"].casefold())
    # Väsby's "Trygghet i offentliga miljöer" and Mark's "Skapa trygga offentliga miljöer".
    assert safety["agreements"] == 2 and len(safety["wordings"]) == 2, safety
    assert safety["share"] == 1.0

    client, _ = client_for("las")
    page = client.get("/oversikt/prioriteringar?ar=2022")
    assert page.status_code == 200, page.text
    text = html.unescape(page.text)
    assert "<h1>Vad andra prioriterar</h1>" in text
    assert 'class="chart bars"' in text and 'class="chart lines"' in text
    for area in body["areas"][:15]:
        link = area["search"]
        query = parse_qs(urlsplit(link).query)
        assert query["q"] == [" OR ".join(f'"{text}"' for text in area["wordings"])]
        assert query["typ"] == ["focus_area"]
        assert query["ar"] == ["2022"]
        assert f'<a href="{link}">{area["name"]}</a>' in text  # the table row
        assert f'<a href="{link}"><title>{area["name"]}: {area["agreements"]} ' in text  # the bar
        row = re.search(rf'<a href="{re.escape(link)}">{re.escape(area["name"])}</a>.*?'
                        r'<td class="num">(\d+)</td>\s*<td class="num">([^<]+)</td>', text,
                        re.DOTALL)
        assert row and (int(row.group(1)), row.group(2)) == (area["agreements"],
                                                             percent_sv(area["share"]))
    # The search each row links to finds the area, in both its wordings.
    assert client.get(safety["search"]).status_code == 200
    found = api_get(client_for, web_env, "/api/search" + safety["search"].removeprefix("/sok"))
    assert found.status_code == 200, found.text
    assert found.json()["total"] >= 2, found.json()
    assert "/oversikt/prioriteringar" in client.get("/oversikt").text


def test_a_county_and_its_errors(client_for, web_env: WebEnv) -> None:  # type: ignore[no-untyped-def]
    body = api_get(client_for, web_env, "/api/priorities?year=2022&lan=Stockholms län").json()
    assert body["county"] == "Stockholms län" and body["in_force"] == 1  # Upplands Väsby
    assert all(area["agreements"] == 1 for area in body["areas"])
    assert all("lan=Stockholms" in area["search"] for area in body["areas"])
    none = api_get(client_for, web_env, "/api/priorities?year=2022&lan=Dalarna").json()
    assert (none["in_force"], none["areas"]) == (0, [])

    wrong = api_get(client_for, web_env, "/api/priorities?lan=Atlantis")
    assert wrong.status_code == 400
    assert wrong.json()["error"]["field"] == "lan"
    assert "inget län" in wrong.json()["error"]["message"]
    assert api_get(client_for, web_env, "/api/priorities?year=abc").status_code == 422

    client, _ = client_for("las")
    page = client.get("/oversikt/prioriteringar?ar=2022&lan=Atlantis")
    assert page.status_code == 200 and "«Atlantis» är inget län." in html.unescape(page.text)
    empty = client.get("/oversikt/prioriteringar?ar=2022&lan=Dalarnas län")
    assert "Inga överenskommelser i kraft 2022 anger fokusområden i Dalarnas län." in \
        html.unescape(empty.text)


class _Archive:
    """Stands in for the archive: only the catalogue's version rows."""

    def __init__(self, found: list[CatalogueRow]) -> None:
        self.found = found

    def all_versions(self) -> list[CatalogueRow]:
        return list(self.found)


def test_the_service_regroups_when_the_catalogue_changes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    archive = _Archive(rows())
    backend = Backend(Home(home=tmp_path), archive)  # type: ignore[arg-type]
    first = backend.priorities(2024, "dalarna", today=TODAY)
    assert first.county == "Dalarnas län" and counts(first)["Våld i nära relationer"] == 2
    assert backend.priorities(2024, "Dalarnas län", today=TODAY) == first  # from the cache
    archive.found.append(areas(row("SV-A-9", ("Leksand",), "2024", "2025"), "Narkotika"))
    assert counts(backend.priorities(2024, "Dalarnas län", today=TODAY))["Narkotika"] == 1
    assert backend.priorities(today=TODAY).year == 2026
    for wrong, field in (({"county": "Atlantis"}, "lan"), ({"year": 20240}, "year")):
        try:
            backend.priorities(**wrong)  # type: ignore[arg-type]
        except BadRequest as problem:
            assert problem.field == field
        else:
            raise AssertionError(wrong)
