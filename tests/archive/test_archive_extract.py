"""Text extraction: type by content, PDF/DOCX/text reading, refusals, OCR of a scan."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from samverkan.archive import sniff
from samverkan.archive.extract import ExtractionError, detect_media_type, extract, page_is_usable
from samverkan.fixtures import scan_pdf_bytes, text_pdf_bytes, write_text_pdf
from tests.archive.conftest import docx_bytes


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# -- detection by content --------------------------------------------------------------------

def test_detect_by_content_not_extension() -> None:
    assert detect_media_type(text_pdf_bytes("Hej")) == sniff.PDF
    assert detect_media_type(b"junk before\n%PDF-1.7\n...") == sniff.PDF
    assert detect_media_type(docx_bytes(["Hej"])) == sniff.DOCX
    assert detect_media_type("Överenskommelse för Håbo".encode()) == sniff.TEXT
    assert detect_media_type("Överenskommelse för Håbo".encode("cp1252")) == sniff.TEXT
    assert detect_media_type(b"<!DOCTYPE html><html><body>fel</body></html>") == sniff.HTML
    assert detect_media_type(b"\x89PNG\r\n\x1a\n" + bytes(50)) == "image/png"
    assert detect_media_type(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(50)) == sniff.MSWORD
    assert detect_media_type(bytes(range(256)) * 4) is None
    assert detect_media_type(b"") is None
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("a.txt", "x")
    assert detect_media_type(plain_zip.getvalue()) == sniff.ZIP


def test_page_usability_threshold() -> None:
    assert page_is_usable("Kommunen förbinder sig att arbeta för ökad trygghet i centrum.")
    assert not page_is_usable("  12 ")
    assert not page_is_usable("!\"#¤%&/()=?`@£$€{[]}\\" * 5 + "abc")


# -- reading ---------------------------------------------------------------------------------

def test_text_pdf_pages_in_order(tmp_path: Path, seed_texts: dict[str, str]) -> None:
    text = seed_texts["upplands-vasby-2021-2022"]
    path = write_text_pdf(text, tmp_path / "avtal.dat")
    found = extract(path)
    assert found.method == "pdf-text" and found.media_type == sniff.PDF
    assert not found.needs_ocr and found.ocr_pdf is None
    assert len(found.pages) >= 2
    joined = "\n".join(found.pages)
    assert "Upplands Väsby" in joined and "Sollentuna" in joined
    assert found.text.count("\f") == len(found.pages) - 1


def test_docx_body_order_tables_headers_footers(tmp_path: Path) -> None:
    data = docx_bytes(["Inledning", "Åtaganden för Håbo kommun", "Uppföljning"],
                      table=[["Aktivitet", "Mål"], ["Trygghetsvandring", "Ökad trygghet"]],
                      header="Samverkan Håbo", footer="Överenskommelse SV-7F3K-9Q2M · version 2",
                      page_break_after=1)
    found = extract(write(tmp_path / "a.docx", data))
    assert found.method == "docx" and found.media_type == sniff.DOCX
    assert len(found.pages) == 2
    first, second = found.pages
    # A table of short cells: one line per row, cells three spaces apart (the reader's
    # side-by-side convention); tests/archive/test_archive_layout.py has the other kinds.
    assert first.index("Inledning") < first.index("Trygghetsvandring   Ökad trygghet") \
        < first.index("Åtaganden för Håbo kommun")
    assert "Uppföljning" in second and "Inledning" not in second
    for page in found.pages:
        assert page.startswith("Samverkan Håbo")
        assert page.rstrip().endswith("Överenskommelse SV-7F3K-9Q2M · version 2")


def test_plain_text_utf8_and_cp1252(tmp_path: Path) -> None:
    found = extract(write(tmp_path / "a.txt", "Sida ett – Mölndal\fSida två".encode()))
    assert found.method == "text" and found.pages == ["Sida ett – Mölndal", "Sida två"]
    legacy = extract(write(tmp_path / "b.txt", "Överenskommelse för Åre".encode("cp1252")))
    assert legacy.pages == ["Överenskommelse för Åre"]


def test_owner_password_only_pdf_is_readable(tmp_path: Path) -> None:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(text_pdf_bytes("Kommunen förbinder sig att "
                                                                   "samverka med polisen.")))
    writer.encrypt(user_password="", owner_password="hemligt", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    found = extract(write(tmp_path / "skyddad.pdf", out.getvalue()))
    assert "förbinder sig" in found.pages[0]


# -- refusals --------------------------------------------------------------------------------

def encrypted_pdf() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(text_pdf_bytes("Hemlig text")))
    writer.encrypt(user_password="lösen", owner_password="ägare", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (20 * 1024 * 1024))
    return out.getvalue()


def entity_docx() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx_bytes(["Hej"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(
                    b"?>", b'?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>', 1)
            archive.writestr(info, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb_docx()


@pytest.mark.parametrize(("name", "make", "kind", "words"), [
    ("tom.pdf", lambda: b"", "empty", "tom"),
    ("avkortad.pdf", lambda: text_pdf_bytes("Hej " * 200)[:900], "truncated", "ofullständig"),
    ("skadad.pdf", lambda: b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n", "corrupt",
     "skadad"),
    ("lösen.pdf", encrypted_pdf, "encrypted", "lösenordsskyddad"),
    ("sida.pdf", lambda: b"<html><body>404 Not Found</body></html>", "unsupported", "HTML"),
    ("gammal.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "unsupported",
     "Word"),
    ("dtd.docx", entity_docx, "unsafe", "<!DOCTYPE"),
    ("trasig.docx", lambda: docx_bytes(["Hej"])[:300], "corrupt", "skadat"),
    ("bild.png", lambda: b"\x89PNG\r\n\x1a\n" + bytes(100), "unsupported", "PNG-bild"),
    ("tomma-rader.txt", lambda: b"\n\n   \n", "empty", "ingen text"),
])
def test_refusals_name_file_and_problem(tmp_path: Path, name: str, make, kind: str,
                                        words: str) -> None:
    path = write(tmp_path / name, make())
    with pytest.raises(ExtractionError) as raised:
        extract(path)
    assert raised.value.kind == kind
    assert str(raised.value).startswith(f"{name}: ")
    assert words in str(raised.value)


def test_zip_bomb_refused_before_inflating(tmp_path: Path, bomb: bytes) -> None:
    path = write(tmp_path / "bomb.docx", bomb)
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(ExtractionError) as raised:
        extract(path)
    assert raised.value.kind == "unsafe" and "zip-bomb" in raised.value.reason


def test_docx_over_total_size_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from samverkan.archive import docx_text

    monkeypatch.setattr(docx_text, "MAX_UNCOMPRESSED_BYTES", 10_000)
    path = write(tmp_path / "stor.docx", docx_bytes(["Hej " * 5000]))
    with pytest.raises(ExtractionError, match="gränsen"):
        extract(path)


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError, match="mapp"):
        extract(tmp_path)


# -- scans -----------------------------------------------------------------------------------

def test_scan_detected_without_ocr(tmp_path: Path) -> None:
    scan = write(tmp_path / "scan.pdf", scan_pdf_bytes(text_pdf_bytes("Kommunen förbinder sig"),
                                                        dpi=100))
    found = extract(scan, ocr=False)
    assert found.needs_ocr and found.scanned and found.method == "pdf-text"


def test_text_pdf_with_scanned_signature_page_needs_ocr(tmp_path: Path) -> None:
    import pypdf

    text = pypdf.PdfReader(io.BytesIO(text_pdf_bytes("Kommunen förbinder sig att samverka "
                                                      "med polisen om trygghet.")))
    scanned = pypdf.PdfReader(io.BytesIO(scan_pdf_bytes(text_pdf_bytes("Underskrift"),
                                                        dpi=80)))
    writer = pypdf.PdfWriter()
    writer.add_page(text.pages[0])
    writer.add_page(scanned.pages[0])
    out = io.BytesIO()
    writer.write(out)
    found = extract(write(tmp_path / "blandad.pdf", out.getvalue()), ocr=False)
    assert found.needs_ocr
    assert "förbinder sig" in found.pages[0]


@pytest.mark.slow
def test_scan_is_ocrd_in_swedish_into_a_derived_copy(tmp_path: Path,
                                                     seed_texts: dict[str, str]) -> None:
    first_page = seed_texts["mark-2022-2024"][:1400]
    original = scan_pdf_bytes(text_pdf_bytes(first_page), dpi=200)
    scan = write(tmp_path / "scan.pdf", original)
    stdout, stderr = sys.stdout, sys.stderr
    found = extract(scan, ocr_dir=tmp_path / "derived")
    assert sys.stdout is stdout and sys.stderr is stderr  # ocrmypdf's swap undone
    assert found.method == "ocr" and not found.needs_ocr
    text = " ".join(found.pages)
    assert "Marks kommun" in text and "lokalpolisområde" in text and "Borås" in text
    assert found.ocr_pdf is not None and found.ocr_pdf.parent == tmp_path / "derived"
    assert extract(found.ocr_pdf, ocr=False).method == "pdf-text"  # it has a text layer now
    assert scan.read_bytes() == original  # the original is never touched


@pytest.mark.parametrize("fails", [False, True])
def test_ocr_restores_std_streams(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  fails: bool) -> None:
    """ocrmypdf's last check leaves sys.stderr an empty StringIO; ocr_pdf puts it back."""
    import ocrmypdf

    from samverkan.archive import ocr

    def swapping_ocr(source: Path, output: str, *, sidecar: Path, **_options: object) -> None:
        sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
        if fails:
            raise RuntimeError("trasig")
        Path(output).write_bytes(text_pdf_bytes("Hej"))
        Path(sidecar).write_text("Hej\f", encoding="utf-8")

    monkeypatch.setattr(ocrmypdf, "ocr", swapping_ocr)
    stdout, stderr = sys.stdout, sys.stderr
    source = write(tmp_path / "scan.pdf", text_pdf_bytes("Hej"))
    if fails:
        with pytest.raises(ExtractionError):
            ocr.ocr_pdf(source, tmp_path / "ut" / "ocr.pdf")
    else:
        assert ocr.ocr_pdf(source, tmp_path / "ut" / "ocr.pdf") == ["Hej"]
    assert sys.stdout is stdout and sys.stderr is stderr
