"""Översikt in Chromium without JavaScript, against the real service on the seed agreements:
the map's 290 shapes agree with /api/overview, a shape leads to its agreement, the county
filter zooms, the CSV and Excel files and the calendar feed parse, and the page prints."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from samverkan.archive.home import Home
from samverkan.docgen import municipalities
from samverkan.users import UserStore
from samverkan.web.backend import Backend
from tests.web.conftest import PASSWORD, edited_mark, file_text
from tests.web.service_process import chromium_tab, log_in, running_service, screenshot_folder

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, seed_texts: dict[str, str]
           ) -> Iterator[dict]:
    """Every seed agreement filed (Mark as a draft and then signed), and the service."""
    home = tmp_path_factory.mktemp("overviewhome")
    source = tmp_path_factory.mktemp("overviewsource")
    backend = Backend(Home(home=home))
    backend.attach_index()
    ids = {}
    for name, text in sorted(seed_texts.items()):
        if name.startswith("mark"):
            ids[name] = file_text(backend, source, f"{name}-utkast.pdf", text,
                                  label="utkast").agreement_id
            text = edited_mark(text)
        ids[name] = file_text(backend, source, f"{name}.pdf", text).agreement_id
    backend.close()
    UserStore(home).add("samordnare", "samordnare", PASSWORD)
    with running_service(home, source / "server.log") as service:
        yield {"base": service.base, "ids": ids, "log": service.log}


@pytest.fixture(scope="module")
def page(served: dict):  # type: ignore[no-untyped-def]
    with chromium_tab(java_script_enabled=False, viewport={"width": 1280, "height": 900}) as tab:
        log_in(tab, served["base"], "samordnare", PASSWORD)
        tab.get_by_role("navigation", name="Huvudmeny").wait_for()
        yield tab


@pytest.fixture(scope="module")
def screens(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screenshot_folder(tmp_path_factory.mktemp("overviewscreens"))


def map_statuses(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Municipality code -> status, as the map's shapes say."""
    found = page.locator("svg.karta a.kommun").evaluate_all(
        "links => links.map(a => [a.dataset.kod, a.getAttribute('class')])")
    return {code: re.search(r"status-(\w+)", classes).group(1) for code, classes in found}


def test_map_agrees_with_the_api_and_leads_to_the_agreement(page, served, screens) -> None:  # type: ignore[no-untyped-def]
    page.goto(served["base"] + "/oversikt")
    page.get_by_role("heading", name="Översikt", exact=True).wait_for()
    shapes = map_statuses(page)
    assert len(shapes) == 290
    answer = page.request.get(served["base"] + "/api/overview")
    assert answer.ok
    body = answer.json()
    assert shapes == {row["code"]: row["status"] for row in body["municipalities"]}
    assert shapes[municipalities.by_name()["mark"].code] != "saknas"
    # Every shape is drawn (it has a size on screen) and the map stands above the table.
    sizes = page.locator("svg.karta a.kommun path").evaluate_all(
        "paths => paths.map(p => { const b = p.getBBox(); return b.width * b.height; })")
    assert len(sizes) == 290 and all(size > 0 for size in sizes)
    map_box = page.locator("svg.karta").bounding_box()
    table_box = page.locator("table.overview").bounding_box()
    assert map_box["height"] > 300 and map_box["y"] + map_box["height"] <= table_box["y"]
    shot = screens / "oversikt.png"
    page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    # A shape's title names it in Swedish; clicking it opens its agreement.
    mark = page.locator(f'svg.karta a.kommun[data-kod="{municipalities.by_name()["mark"].code}"]')
    assert mark.locator("title").text_content().startswith("Mark (Västra Götalands län): ")
    mark.click()
    page.wait_for_url(f"**/overenskommelse/{served['ids']['mark-2022-2024']}")
    page.get_by_role("heading", name=re.compile("Innehåll i version")).wait_for()


def test_county_filter_zooms_without_javascript(page, served, screens) -> None:  # type: ignore[no-untyped-def]
    page.goto(served["base"] + "/oversikt")
    page.get_by_label("Län").select_option("Stockholms län")
    page.get_by_role("button", name="Visa").click()
    page.get_by_role("heading", name="Översikt: Stockholms län").wait_for()
    shapes = map_statuses(page)
    assert len(shapes) == 26 and all(code.startswith("01") for code in shapes)
    assert "Stockholms län" in page.locator("svg.karta").get_attribute("aria-label")
    page.screenshot(path=str(screens / "oversikt-stockholm.png"), full_page=True)


def test_downloads_and_calendar_parse(page, served) -> None:  # type: ignore[no-untyped-def]
    from icalendar import Calendar
    from openpyxl import load_workbook

    page.goto(served["base"] + "/oversikt")
    with page.expect_download() as got_csv:
        page.get_by_role("link", name="CSV", exact=True).click()
    assert got_csv.value.suggested_filename.endswith(".csv")
    text = Path(got_csv.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 290
    by_name = {row["kommun"]: row for row in rows}
    assert by_name["Mark"]["överenskommelse-id"] == served["ids"]["mark-2022-2024"]
    assert by_name["Göteborg"]["status"] == "Saknas i arkivet"

    with page.expect_download() as got_xlsx:
        page.get_by_role("link", name="Excel", exact=True).click()
    assert got_xlsx.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(got_xlsx.value.path()).read_bytes()), read_only=True)
    values = list(book["Översikt"].iter_rows(values_only=True))
    assert len(values) == 291
    header = list(values[0])
    assert [row[header.index("status")] for row in values[1:]] == [row["status"] for row in rows]

    page.get_by_role("button", name="Skapa kalenderadress").click()
    address = page.locator("code.sha").inner_text()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/kalender/svkcal_[\w-]+\.ics", address)
    feed = page.request.get(address)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.body())
    assert str(calendar["x-wr-calname"]) == "Samverkansöverenskommelser – hela landet"
    for event in calendar.walk("VEVENT"):
        assert str(event["url"]).startswith(served["base"] + "/overenskommelse/SV-")


def test_the_map_prints(page, served, screens) -> None:  # type: ignore[no-untyped-def]
    page.goto(served["base"] + "/oversikt")
    page.emulate_media(media="print")
    try:
        assert page.locator("svg.karta").is_visible()
        assert not page.locator("header.site").is_visible()
        box = page.locator("svg.karta").bounding_box()
        assert box["width"] > 200 and box["height"] > 300
        pdf = page.pdf(format="A4")
        assert pdf[:5] == b"%PDF-" and len(pdf) > 20_000
        (screens / "oversikt-utskrift.pdf").write_bytes(pdf)
    finally:
        page.emulate_media(media="screen")
