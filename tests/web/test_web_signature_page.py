"""Drafting in the browser with 2, 4, 8 and 9 parties: the signature page follows the parties.

The drafter starts from the Mora example (three municipalities, named signatories), replaces
the municipalities in the form and downloads the draft PDF; its signature page must have a
block per party, the kept signatory's name, and N in words. Nine parties is a Swedish error
naming the form's field. Then the checklist: the final PDF is made only when every item is
ticked, and has no watermark in its name.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from samverkan.docgen.swedish import municipality_formal, number_word
from samverkan.users import UserStore
from tests.web.conftest import PASSWORD
from tests.web.service_process import CHROMIUM, chromium_tab, log_in, running_service

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("soffice") is None or not Path(CHROMIUM).exists(),
                                 reason="LibreOffice och Chromium behövs")]
# Mora first: its signatory in the example is kept; the others are new parties.
DALARNA = ["Mora", "Leksand", "Rättvik", "Gagnef", "Vansbro", "Malung-Sälen", "Smedjebacken",
           "Ludvika"]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("signaturehome")
    UserStore(home).add("samordnare", "samordnare", PASSWORD)
    with running_service(home, home / "server.log") as service, \
            chromium_tab(timeout_ms=30_000) as tab:
        log_in(tab, service.base, "samordnare", PASSWORD)
        tab.get_by_role("heading", name="Sök i överenskommelser").wait_for()
        tab.base = service.base
        yield tab


def start_with(page, municipalities: list[str]) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/utkast?exempel=mora-orsa-alvdalen")
    page.get_by_role("heading", name="Nytt utkast").wait_for()
    page.get_by_label("Kommuner").fill(", ".join(municipalities))


def signature_page_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    texts = [page.extract_text() or "" for page in reader.pages]
    start = next(i for i, text in enumerate(texts) if "Underskrifter" in text)
    return " ".join(" ".join(texts[start:]).split())


@pytest.mark.parametrize("parties", [2, 4, 8])
def test_signature_page_follows_the_parties(page, parties: int) -> None:  # type: ignore[no-untyped-def]
    municipalities = DALARNA[: parties - 1]
    start_with(page, municipalities)
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Ladda ner utkast (PDF)").click()
    assert download.value.suggested_filename.endswith("-utkast.pdf")
    text = signature_page_text(Path(download.value.path()).read_bytes())
    assert f"upprättats i {number_word(parties)} likalydande exemplar" in text
    assert text.count("Namnförtydligande") == parties
    for name in municipalities:
        assert municipality_formal(name) in text
    assert "Polismyndigheten, lokalpolisområde Mora" in text
    assert "Karin Ström" in text and "Erik Hedlund" in text  # kept from the example
    for gone in ("Orsa kommun", "Älvdalens kommun", "bekräfta"):
        assert gone not in text


def test_nine_parties_is_an_error_naming_the_field(page) -> None:  # type: ignore[no-untyped-def]
    start_with(page, DALARNA)
    page.get_by_role("button", name="Ladda ner utkast (PDF)").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    message = alert.inner_text()
    assert "Kommuner: högst 8 parter får plats på signatursidan" in message
    # What the drafter typed is still in the form.
    assert page.get_by_label("Kommuner").input_value() == ", ".join(DALARNA)


def test_final_only_when_every_item_is_ticked(page) -> None:  # type: ignore[no-untyped-def]
    start_with(page, ["Mora", "Orsa", "Älvdalen"])
    page.get_by_role("button", name="Förhandsgranska").click()
    items = page.locator("ul.checklist input[type=checkbox]")
    assert items.count() >= 1
    page.get_by_role("button", name="Skapa slutlig PDF").click()
    assert "inte bockade" in page.get_by_role("alert").inner_text()
    for index in range(items.count()):
        items.nth(index).check()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Skapa slutlig PDF").click()
    name = download.value.suggested_filename
    assert name.endswith(".pdf") and "utkast" not in name
    assert "bekräfta" not in signature_page_text(Path(download.value.path()).read_bytes())
