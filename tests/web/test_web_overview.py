"""Översikt: the page, the JSON API and the CSV and Excel files show the same picture."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from samverkan.archive.overview import TABLE_HEADERS, Status
from samverkan.docgen.swedish import sort_key_sv
from tests.web.conftest import WebEnv


def api(client_for, web_env: WebEnv, path: str):  # type: ignore[no-untyped-def]
    client, _ = client_for(None)
    return client.get(path, headers={"Authorization": f"Bearer {web_env.token}"})


def test_json_csv_and_excel_agree(client_for, web_env: WebEnv) -> None:  # type: ignore[no-untyped-def]
    answer = api(client_for, web_env, "/api/overview")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert len(body["municipalities"]) == 290
    assert sum(item["count"] for item in body["counts"]) == 290
    by_name = {row["name"]: row for row in body["municipalities"]}
    # Mark's v1 is a draft and v2 the signed version; Upplands Väsby's 2021–2022 has ended.
    assert by_name["Mark"]["agreement_id"] == web_env.ids["mark"]
    assert by_name["Mark"]["signed_version"] == 2
    assert by_name["Upplands Väsby"]["status"] == Status.expired.value
    assert by_name["Upplands Väsby"]["dnr"] == "KS 2020/455"
    assert by_name["Göteborg"]["status"] == "saknas"

    sheet = api(client_for, web_env, "/api/overview.csv")
    assert sheet.headers["content-type"].startswith("text/csv")
    assert 'filename="oversikt-' in sheet.headers["content-disposition"]
    text = sheet.content.decode("utf-8")
    assert text.startswith("\ufeff")
    csv_rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    assert tuple(csv_rows[0]) == TABLE_HEADERS

    excel = api(client_for, web_env, "/api/overview.xlsx")
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
    body = api(client_for, web_env, "/api/overview?lan=Stockholm&months=3").json()
    assert {row["county"] for row in body["municipalities"]} == {"Stockholms län"}
    assert body["months"] == 3
    wrong = api(client_for, web_env, "/api/overview.csv?lan=Narnia")
    assert wrong.status_code == 400
    assert wrong.json()["error"]["field"] == "lan"
    assert "Narnia" in wrong.json()["error"]["message"]
    assert api(client_for, web_env, "/api/overview?months=-1").status_code == 422


def test_openapi_documents_the_overview(client_for, web_env: WebEnv) -> None:  # type: ignore[no-untyped-def]
    schema = api(client_for, web_env, "/openapi.json").json()
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
