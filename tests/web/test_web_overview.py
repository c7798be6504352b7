"""Översikt: the page, the JSON API and the CSV and Excel files show the same picture."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from samverkan.archive.overview import TABLE_HEADERS, Status
from samverkan.docgen.swedish import sort_key_sv
from tests.web.conftest import WebEnv, api_get


def test_json_csv_and_excel_agree(client_for, web_env: WebEnv) -> None:  # type: ignore[no-untyped-def]
    answer = api_get(client_for, web_env, "/api/overview")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert len(body["municipalities"]) == 290
    assert sum(item["count"] for item in body["counts"]) == 290
    by_name = {row["name"]: row for row in body["municipalities"]}
    # Mark's v1 is a draft and v2 the signed version; Upplands Väsby's 2021–2022 has ended.
    assert by_name["Mark"]["agreement_id"] == web_env.ids["mark"]
    assert by_name["Mark"]["signed_version"] == 2
    assert by_name["Upplands Väsby"]["status"] == Status.expired.value
    # Its dnr as the archive has it now (another test of this session corrects it).
    vasby = web_env.backend.latest(by_name["Upplands Väsby"]["agreement_id"])
    assert vasby.dnr and by_name["Upplands Väsby"]["dnr"] == vasby.dnr
    assert by_name["Göteborg"]["status"] == "saknas"

    sheet = api_get(client_for, web_env, "/api/overview.csv")
    assert sheet.headers["content-type"].startswith("text/csv")
    assert 'filename="oversikt-' in sheet.headers["content-disposition"]
    text = sheet.content.decode("utf-8")
    assert text.startswith("\ufeff")
    csv_rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    assert tuple(csv_rows[0]) == TABLE_HEADERS

    excel = api_get(client_for, web_env, "/api/overview.xlsx")
    assert excel.status_code == 200
    book = load_workbook(io.BytesIO(excel.content), read_only=True)
    values = list(book["Översikt"].iter_rows(values_only=True))
    assert values[0] == TABLE_HEADERS
    xlsx_rows = [dict(zip(TABLE_HEADERS, row, strict=True)) for row in values[1:]]

    assert len(csv_rows) == len(xlsx_rows) == 290
    for json_row, csv_row, xlsx_row in zip(body["municipalities"], csv_rows, xlsx_rows,
                                           strict=True):
        expected = {"kod": json_row["code"], "kommun": json_row["name"],
                    "län": json_row["county"], "status": json_row["status_label"],
                    "överenskommelse-id": json_row["agreement_id"],
                    "period": json_row["period"],
                    "senaste undertecknade version": json_row["signed_version"],
                    "dnr": json_row["dnr"]}
        for key, value in expected.items():
            assert csv_row[key] == ("" if value is None else str(value)), (key, csv_row)
            assert xlsx_row[key] == value, (key, xlsx_row)


def test_county_filter_and_unknown_county(client_for, web_env: WebEnv) -> None:  # type: ignore[no-untyped-def]
    body = api_get(client_for, web_env, "/api/overview?lan=Stockholm&months=3").json()
    assert {row["county"] for row in body["municipalities"]} == {"Stockholms län"}
    assert body["months"] == 3
    wrong = api_get(client_for, web_env, "/api/overview.csv?lan=Narnia")
    assert wrong.status_code == 400
    assert wrong.json()["error"]["field"] == "lan"
    assert "Narnia" in wrong.json()["error"]["message"]
    assert api_get(client_for, web_env, "/api/overview?months=-1").status_code == 422


def test_openapi_documents_the_overview(client_for, web_env: WebEnv) -> None:  # type: ignore[no-untyped-def]
    schema = api_get(client_for, web_env, "/openapi.json").json()
    operation = schema["paths"]["/api/overview"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] \
        .endswith("/OverviewResponse")
    assert "/api/overview.xlsx" in schema["paths"]


def test_page_shows_the_counts_and_links(client_for, web_env: WebEnv) -> None:  # type: ignore[no-untyped-def]
    client, _ = client_for("las")
    page = client.get("/oversikt")
    assert page.status_code == 200
    html = page.text
    assert '<a href="/oversikt" aria-current="page">Översikt</a>' in html
    counts = web_env.backend.national_overview().counts()
    for status, number in counts.items():
        assert f"{status.label}: <strong>{number}</strong>" in html
    assert f'href="/overenskommelse/{web_env.ids["mark"]}"' in html
    assert "/api/overview.csv?months=6" in html and "/api/overview.xlsx?months=6" in html
    rows = re.findall(r'<tr class="status-(\w+)">', html)
    assert len(rows) == 290

    sorted_page = client.get("/oversikt?lan=Västra+Götalands+län&sortera=kommun").text
    names = re.findall(r'<tr class="status-\w+">\s*<td class="mono">\d+</td>\s*<td>([^<]+)</td>',
                       sorted_page)
    assert len(names) == 49 and names == sorted(names, key=sort_key_sv)
    assert "Mark" in names and names.index("Vänersborg") < names.index("Åmål") \
        < names.index("Öckerö")
    unknown = client.get("/oversikt?lan=Narnia")
    assert unknown.status_code == 200 and "«Narnia» är inget län." in unknown.text


def test_calendar_events_parse_back() -> None:
    from datetime import UTC, date, datetime

    from icalendar import Calendar

    from samverkan.archive.overview import overview
    from samverkan.exports import overview_calendar
    from tests.archive.test_archive_overview import row

    rows = [row("SV-AAAA-0001", ("Mark",), "2024", "2027-03-31", dnr="KS 2024/1"),
            row("SV-AAAA-0002", ("Orsa",), "2024-02-01", None, open_ended=True,
                review_years=3),
            row("SV-AAAA-0003", ("Mora",), "2020", "2022"),  # ended: no event
            row("SV-AAAA-0004", ("Kiruna",), "2024", "2027-02-28"),
            row("SV-AAAA-0005", ("Kiruna",), "2027-03-01", "2030-02-28")]
    picture = overview(rows, date(2026, 12, 2))
    body = overview_calendar(picture, name="hela landet", base_url="https://x.se/",
                             stamp=datetime(2026, 12, 2, tzinfo=UTC))
    calendar = Calendar.from_ical(body)
    assert str(calendar["x-wr-calname"]) == "Samverkansöverenskommelser – hela landet"
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    found = [(e.decoded("dtstart"), str(e["summary"])) for e in events]
    # Kiruna's first agreement has its successor on file: only the successor's end shows.
    assert found == [
        (date(2027, 2, 1), "Orsa ska ses över"),
        (date(2027, 3, 31), "Mark löper ut"),
        (date(2030, 2, 28), "Kiruna löper ut"),
    ]
    mark = events[1]
    assert "Diarienummer: KS 2024/1." in str(mark["description"])
    assert str(mark["url"]) == "https://x.se/overenskommelse/SV-AAAA-0001"
    assert len({str(e["uid"]) for e in events}) == 3


def test_calendar_address_is_personal_and_revocable(client_for, web_env: WebEnv) -> None:  # type: ignore[no-untyped-def]
    from icalendar import Calendar

    client, csrf = client_for("sam")
    page = client.get("/oversikt").text
    assert "Skapa kalenderadress" in page and "Återkalla kalenderadressen" not in page
    made = client.post("/oversikt/kalender", data={"csrf_token": csrf})
    assert made.status_code == 200
    url = re.search(r'<code class="sha">([^<]+)</code>', made.text).group(1)
    assert "/kalender/svkcal_" in url and url.endswith(".ics")
    anonymous, _ = client_for(None)
    feed = anonymous.get(url)
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.content)
    assert str(calendar["x-wr-calname"]).startswith("Samverkansöverenskommelser")
    # The address is no API key.
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert anonymous.get("/api/overview", headers={"Authorization": f"Bearer {token}"}) \
        .status_code == 401
    # A new address replaces the old one; revoking ends it.
    again = client.post("/oversikt/kalender", data={"csrf_token": csrf})
    second = re.search(r'<code class="sha">([^<]+)</code>', again.text).group(1)
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(second).status_code == 200
    revoked = client.post("/oversikt/kalender/aterkalla", data={"csrf_token": csrf},
                          follow_redirects=True)
    assert "Kalenderadressen är återkallad" in revoked.text
    assert anonymous.get(second).status_code == 404
    assert client.post("/oversikt/kalender", data={}).status_code == 403  # CSRF
