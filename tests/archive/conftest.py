"""Fixtures for the archive tests: a HOME with tiny quiet periods, documents to file."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from samverkan import opening
from samverkan.archive.home import Home
from samverkan.archive.recognise import Recognition
from samverkan.fixtures import text_pdf_bytes


@pytest.fixture(autouse=True)
def archive_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny quiet periods; fsck without the index's consistency check (the index tests own
    it) and no index following the CLI's filings."""
    monkeypatch.setenv("SAMVERKAN_QUIET_SECONDS", "0.2")
    monkeypatch.setenv("SAMVERKAN_RESCAN_SECONDS", "0.5")
    monkeypatch.setattr(opening, "followers", lambda **_: [])


@pytest.fixture()
def settings(home: Path) -> Home:
    return Home(home=home, quiet_seconds=0.2, rescan_seconds=0.5)


def fake_recogniser(pages: list[str]) -> Recognition:
    """Reads "Kommun: X", "Polis: Y", "Period: A–B" lines (for grouping tests only)."""
    record: dict = {"municipalities": [], "police_area": None,
                    "period": {"start": None, "end": None}, "signed": {"date": None}}
    for line in "\n".join(pages).splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        if key == "Kommun":
            record["municipalities"].append(value)
        elif key == "Polis":
            record["police_area"] = value
        elif key == "Period":
            start, _, end = value.partition("–")
            record["period"] = {"start": start.strip(), "end": end.strip() or None}
        elif key == "Undertecknad":
            record["signed"] = {"date": value}
    return Recognition(record=record)


@pytest.fixture()
def archive_factory(settings: Home) -> Callable[..., object]:
    from samverkan.archive.store import Archive

    def make(recogniser: object = fake_recogniser) -> Archive:
        return Archive(settings, recogniser=recogniser)

    return make


@pytest.fixture()
def archive(archive_factory):  # type: ignore[no-untyped-def]
    return archive_factory()


def agreement_text(municipality: str = "Mark", police: str = "Borås",
                   period: str = "2022–2024", extra: str = "", footer: str = "") -> str:
    body = (f"Samverkansöverenskommelse\nKommun: {municipality}\nPolis: {police}\n"
            f"Period: {period}\n\nParterna förbinder sig att samverka mot brott.\n{extra}\n")
    return body + (f"\n{footer}\n" if footer else "")


def pdf_of(text: str) -> bytes:
    return text_pdf_bytes(text)


def docx_bytes(paragraphs: list[str], *, table: list[list[str]] | None = None,
               header: str | None = None, footer: str | None = None,
               page_break_after: int | None = None) -> bytes:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for index, text in enumerate(paragraphs):
        paragraph = document.add_paragraph(text)
        if page_break_after is not None and index == page_break_after:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
        if table is not None and index == 0:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    grid.cell(r, c).text = cell
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
