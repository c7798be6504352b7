"""Each page driven in Debian's Chromium (headless) against the real service in a subprocess:
log in, upload a scan and watch it be filed, search and open a hit, compare two versions,
draft and download; screenshots of every page; and a clean stop on SIGTERM."""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from samverkan.archive.home import Home
from samverkan.fixtures import text_pdf_bytes, write_scan_pdf
from samverkan.users import UserStore
from samverkan.web.backend import Backend
from tests.web.conftest import PASSWORD, edited_mark, file_text
from tests.web.service_process import chromium_tab, running_service, screenshot_folder

pytestmark = pytest.mark.slow

SCAN_TEXT = """Samverkansöverenskommelse 2024–2026
mellan Orsa kommun och Polismyndigheten, lokalpolisområde Mora

Överenskommelsen gäller under perioden 2024–2026.

Fokusområde: Trygghet i centrala Orsa

Kommunen förbinder sig att:
- genomföra trygghetsvandringar i centrum två gånger per år
- ansvara för belysning och röjning av buskage vid gång- och cykelvägar

Polisen förbinder sig att:
- delta i trygghetsvandringarna och redovisa lägesbilden

Orsa den 15 mars 2024

Kommunstyrelsens ordförande          Lokalpolisområdeschef
Orsa kommun                          Polismyndigheten
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, seed_texts: dict[str, str]
           ) -> Iterator[dict]:
    """A HOME with three archived versions, and `samverkan serve` running on it."""
    home = tmp_path_factory.mktemp("browserhome")
    source = tmp_path_factory.mktemp("browsersource")
    backend = Backend(Home(home=home))
    backend.attach_index()
    mark = file_text(backend, source, "mark-utkast.pdf", seed_texts["mark-2022-2024"],
                     dnr="KS 2022/17", label="utkast")
    file_text(backend, source, "mark-undertecknad.pdf", edited_mark(seed_texts["mark-2022-2024"]),
              dnr="KS 2022/17")
    file_text(backend, source, "vasby.pdf", seed_texts["upplands-vasby-2021-2022"])
    backend.close()  # the index writes the batch of filings before the service starts
    UserStore(home).add("registrator", "registrator", PASSWORD, admin=True)
    scan = write_scan_pdf(text_pdf_bytes(SCAN_TEXT), source / "orsa-inskannad.pdf", dpi=150)

    with running_service(home, source / "server.log") as service:
        yield {"base": service.base, "process": service.process, "log": service.log,
               "mark": mark.agreement_id, "scan": scan, "home": home}


@pytest.fixture(scope="module")
def page(served: dict, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    screens = screenshot_folder(tmp_path_factory.mktemp("screenshots"))
    with chromium_tab(viewport={"width": 1280, "height": 900}) as tab:
        tab.base = served["base"]
        tab.screens = screens
        yield tab


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(page.screens / f"{name}.png"), full_page=True)


def test_login(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/")
    assert page.title().startswith("Logga in")
    shot(page, "01-logga-in")
    page.get_by_label("Användarnamn").fill("registrator")
    page.get_by_label("Lösenord").fill("fel lösenord")
    page.get_by_role("button", name="Logga in").click()
    assert "Fel användarnamn eller lösenord" in page.get_by_role("alert").inner_text()
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Sök i överenskommelser").wait_for()
    assert page.get_by_role("navigation", name="Huvudmeny").is_visible()
    shot(page, "02-start-arkiv")


def test_upload_scan_and_watch_it_filed(page, served) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Registrera").click()
    page.get_by_role("heading", name="Registrera handlingar").wait_for()
    page.get_by_label("Filer", exact=True).set_input_files(str(served["scan"]))
    page.get_by_label("Diarienummer").fill("KS 2024/88")
    page.get_by_role("button", name="Registrera").click()
    row = page.locator("#jobs tbody tr", has_text="orsa-inskannad.pdf")
    row.wait_for()
    shot(page, "03-registrera-pagar")
    outcome = row.locator("td.outcome")
    outcome.get_by_text(re.compile(r"Ny version \d+ av överenskommelse SV-")).wait_for(
        timeout=150_000)
    shot(page, "04-registrera-klar")
    outcome.get_by_role("link").click()
    page.get_by_role("heading", name=re.compile("Innehåll i version")).wait_for()
    assert "KS 2024/88" in page.inner_text("#versioner")
    shot(page, "05-overenskommelse-skannad")


def test_search_and_open_hit(page, served) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/sok")
    page.get_by_role("searchbox", name="Sökfråga").fill('"förbinder sig att" OR trygghetsvandring*')
    page.get_by_role("searchbox", name="Sökfråga").press("Enter")
    page.get_by_role("heading", name=re.compile(r"\d+ träff")).wait_for()
    assert page.locator(".hit mark").count() >= 1
    assert page.get_by_role("link", name="Liknande formuleringar").first.is_visible()
    assert "q=" in page.url  # shareable
    shot(page, "06-sok-traffar")
    page.get_by_role("link", name="Liknande formuleringar").first.click()
    page.get_by_role("heading", name="Liknande formuleringar", exact=True).wait_for()
    shot(page, "07-liknande")
    page.go_back()
    page.locator(".hit h3 a").first.click()
    page.get_by_role("heading", name=re.compile("Innehåll i version")).wait_for()
    assert page.get_by_role("heading", name="Fokusområden och åtaganden").is_visible()
    shot(page, "08-overenskommelse")


def test_compare_two_versions(page, served) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base}/overenskommelse/{served['mark']}")
    assert page.locator("#versioner tbody tr").count() == 2
    page.get_by_label("Version", exact=True).select_option("1")
    page.get_by_label("med version").select_option("2")
    page.get_by_role("button", name="Jämför versioner").click()
    page.get_by_role("heading", name="Jämförelse: version 1 och 2").wait_for()
    assert "skiljer sig" in page.locator(".verdict").inner_text()
    frame = page.frame_locator("iframe.report")
    frame.locator("ins, del").first.wait_for()
    shot(page, "09-jamforelse")


def test_draft_preview_and_download(page, served) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base}/overenskommelse/{served['mark']}")
    page.get_by_role("link", name="Starta nästa periods utkast").click()
    page.get_by_role("heading", name="Nytt utkast").wait_for()
    assert "2025" in page.get_by_label("Gäller från").input_value()
    page.get_by_label("Ort för undertecknande").fill("Kinna")
    page.get_by_role("button", name="Förhandsgranska").click()
    preview = page.get_by_role("article", name="Förhandsgranskning av överenskommelsen")
    preview.wait_for()
    assert "Marks kommun" in preview.inner_text()
    assert "signing:\n  place: Kinna" in page.get_by_label("Hela överenskommelsen (YAML)").input_value()
    shot(page, "10-utkast-forhandsgranskning")
    with page.expect_download() as docx:
        page.get_by_role("button", name="Ladda ner utkast (DOCX)").click()
    path = docx.value.path()
    assert docx.value.suggested_filename.endswith(".docx")
    assert Path(path).read_bytes()[:2] == b"PK"
    with page.expect_download(timeout=120_000) as pdf:
        page.get_by_role("button", name="Ladda ner utkast (PDF)").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"


def test_quarantine_api_and_error_pages(page, served) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/registrera")
    page.get_by_label("Filer", exact=True).set_input_files(
        files=[{"name": "trasig.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 trasig"}])
    page.get_by_role("button", name="Registrera").click()
    outcome = page.locator("#jobs tbody tr", has_text="trasig.pdf").locator("td.outcome")
    outcome.get_by_text(re.compile("I karantän")).wait_for(timeout=60_000)
    # The quarantine table follows without a reload, and no longer says it is empty.
    quarantine = page.locator("#karantan tbody tr", has_text="trasig.pdf")
    quarantine.wait_for(timeout=10_000)
    assert quarantine.count() == 1
    assert "Karantänen är tom" not in page.inner_text("#karantan")
    shot(page, "11-karantan")
    page.once("dialog", lambda dialog: dialog.accept())
    quarantine.get_by_role("button", name="Kassera").click()
    page.get_by_role("status").get_by_text(re.compile("är kasserad")).wait_for()
    assert page.locator("#karantan tbody tr", has_text="trasig.pdf").count() == 0
    page.goto(page.base + "/api-dokumentation")
    page.get_by_role("heading", name="API för integrationer").wait_for()
    shot(page, "12-api")
    page.goto(page.base + "/overenskommelse/SV-0000-0000")
    assert "finns inte i arkivet" in page.inner_text("main")
    shot(page, "13-fel-404")


def test_swedish_file_button_and_favicon(page, served) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/registrera")
    assert page.get_by_role("button", name="Välj filer").is_visible()
    assert page.locator("#files-chosen").inner_text() == "Ingen fil vald"
    page.get_by_role("button", name="Registrera").click()
    assert page.get_by_role("alert").get_by_text("Välj minst en fil").is_visible()
    page.get_by_label("Filer", exact=True).set_input_files(
        files=[{"name": "a.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7"}])
    assert page.locator("#files-chosen").inner_text() == "a.pdf"
    icon = page.request.get(page.base + "/favicon.ico")
    assert icon.ok and icon.headers["content-type"] == "image/x-icon"
    assert page.locator('link[rel="icon"]').count() >= 1


def test_inbox_result_logged_once(served) -> None:  # type: ignore[no-untyped-def]
    inbox = served["home"] / "inbox"
    inbox.mkdir(exist_ok=True)
    (inbox / "loggas-en-gang.pdf").write_bytes(b"ingen pdf alls")
    deadline = time.monotonic() + 60
    lines: list[str] = []
    while time.monotonic() < deadline:
        served["log"].seek(0)
        output = served["log"].read().decode("utf-8", "replace")
        lines = [line for line in output.splitlines() if "loggas-en-gang.pdf" in line]
        if lines:
            break
        time.sleep(0.2)
    time.sleep(1.0)  # a second line would follow at once
    served["log"].seek(0)
    output = served["log"].read().decode("utf-8", "replace")
    lines = [line for line in output.splitlines() if "loggas-en-gang.pdf" in line]
    assert len(lines) == 1, lines


def test_clean_stop(served) -> None:  # type: ignore[no-untyped-def]
    process = served["process"]
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    served["log"].seek(0)
    output = served["log"].read().decode("utf-8", "replace")
    assert "Traceback" not in output, output
