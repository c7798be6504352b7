"""Text per page from a PDF (text or scanned), a DOCX or a plain-text file.

Everything after intake (grouping by footer reference, the reader, the search index) works
on the pages this returns. The type is decided from the bytes (archive.sniff), and every
refusal is an ExtractionError with a Swedish message naming the file and the problem.

`needs_ocr` is True when the pages returned still lack the text of a scanned page (a PDF
without a usable text layer read with ocr=False, or OCR not possible); after OCR the
method is "ocr" and `needs_ocr` is False.

Pages keep their layout in the reader's plain-text convention: a PDF's text layer is read
by where the words sit (archive.pdf_layout: columns one after the other, signature blocks
and table rows as cells side by side), the text layer ocrmypdf writes into the OCR'd copy
as well; a DOCX keeps its list markers, headings and tables (archive.docx_text).
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from samverkan.archive import sniff
from samverkan.archive.docx_text import docx_pages
from samverkan.archive.errors import ExtractionError
from samverkan.archive.pdf_layout import read_pages
from samverkan.archive.sniff import detect_media_type

if TYPE_CHECKING:  # pypdf is imported where a PDF is read
    from pypdf import PageObject

__all__ = ["Extracted", "ExtractionError", "detect_media_type", "extract", "page_is_usable"]

Method = Literal["pdf-text", "docx", "text", "ocr"]

# A page whose text layer has fewer letters/digits than this and that carries an image is a
# scanned page (a signature page scanned and appended to a text PDF is common).
MIN_PAGE_CHARS = 25
# Text layers from broken font encodings come out as symbols; below this share of letters
# among the non-space characters the layer is not usable and the PDF is OCR'd afresh.
MIN_LETTER_SHARE = 0.5


@dataclass(frozen=True)
class Extracted:
    pages: list[str]
    method: Method
    media_type: str
    needs_ocr: bool = False
    ocr_pdf: Path | None = None

    @property
    def text(self) -> str:
        """All pages joined with form feeds (the page separator plain-text files use too)."""
        return "\f".join(self.pages)

    @property
    def scanned(self) -> bool:
        """Whether the text had to come (or still has to come) from OCR."""
        return self.method == "ocr" or self.needs_ocr


def extract(path: Path, *, ocr: bool = True, ocr_dir: Path | None = None) -> Extracted:
    """Read the text of `path`; OCR scanned PDFs in Swedish when `ocr` is True.

    The OCR'd copy is written to `ocr_dir` as "<stem>.ocr.pdf" and returned as `ocr_pdf`;
    without `ocr_dir` it is made in a temporary folder and removed after reading its text.
    """
    path = Path(path)
    if path.is_dir():
        raise ExtractionError(path, "är en mapp, inte en fil", kind="unsupported")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExtractionError(path, f"filen kan inte läsas ({error.strerror})",
                              kind="unreadable") from error
    if not data:
        raise ExtractionError(path, "filen är tom (0 byte)", kind="empty")
    media_type = detect_media_type(data)
    if media_type == sniff.PDF:
        return _pdf(path, data, ocr=ocr, ocr_dir=ocr_dir)
    if media_type == sniff.DOCX:
        pages = [_normalise(page) for page in docx_pages(path)]
        _require_text(path, pages, "Word-dokumentet")
        return Extracted(pages=pages, method="docx", media_type=media_type)
    if media_type == sniff.TEXT:
        text = sniff.decode_text(data) or ""
        pages = [_normalise(page) for page in text.replace("\r\n", "\n").split("\f")]
        _require_text(path, pages, "textfilen")
        return Extracted(pages=pages, method="text", media_type=media_type)
    if media_type == sniff.ENCRYPTED_OFFICE:
        raise ExtractionError(path, "dokumentet är lösenordsskyddat och kan inte läsas",
                              kind="encrypted")
    raise ExtractionError(
        path, f"filen är {sniff.describe(media_type)}; arkivet tar emot PDF, Word (DOCX) "
        "och ren text", kind="unsupported")


def page_is_usable(text: str) -> bool:
    """Whether a page's text layer holds real text (enough letters, not symbol soup)."""
    visible = [ch for ch in text if not ch.isspace()]
    alnum = sum(ch.isalnum() for ch in visible)
    if alnum < MIN_PAGE_CHARS:
        return False
    return sum(ch.isalpha() for ch in visible) / len(visible) >= MIN_LETTER_SHARE


def _normalise(text: str) -> str:
    """NFC (pypdf often returns "a" + combining ring for "å") and no NUL characters."""
    return unicodedata.normalize("NFC", text).replace("\x00", "")


def _require_text(path: Path, pages: list[str], what: str) -> None:
    if not any(page.strip() for page in pages):
        raise ExtractionError(path, f"{what} innehåller ingen text", kind="empty")


def _pdf(path: Path, data: bytes, *, ocr: bool, ocr_dir: Path | None) -> Extracted:
    pages, has_image, encrypted = _pdf_text(path, data)
    usable = [page_is_usable(text) for text in pages]
    # No usable text anywhere: a scan, or text drawn as outlines; OCR every page then.
    nothing = not any(usable)
    scanned = [not ok and (image or nothing) for ok, image in zip(usable, has_image, strict=True)]
    garbage = [
        not ok and sum(ch.isalnum() for ch in text) >= MIN_PAGE_CHARS
        for ok, text in zip(usable, pages, strict=True)
    ]
    if not any(scanned) and not any(garbage):
        _require_text(path, pages, "PDF-filen")
        return Extracted(pages=pages, method="pdf-text", media_type=sniff.PDF)
    if not ocr:
        return Extracted(pages=pages, method="pdf-text", media_type=sniff.PDF, needs_ocr=True)
    ocr_pages, ocr_copy = _run_ocr(path, ocr_dir, force=any(garbage), encrypted=encrypted)
    merged = []
    for index, original in enumerate(pages):
        recognised = _normalise(ocr_pages[index]) if index < len(ocr_pages) else ""
        merged.append(original if usable[index] or not recognised.strip() else recognised)
    return Extracted(pages=merged, method="ocr", media_type=sniff.PDF, ocr_pdf=ocr_copy)


def _pdf_text(path: Path, data: bytes) -> tuple[list[str], list[bool], bool]:
    """Text and "carries an image" per page, and whether the PDF was (owner-)encrypted."""
    import io

    import pypdf
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if b"%%EOF" not in data[-4096:]:
        raise ExtractionError(
            path, "PDF-filen är ofullständig (avkortad): slutmarkeringen %%EOF saknas",
            kind="truncated")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        if encrypted and not reader.decrypt(""):
            raise ExtractionError(path, "PDF-filen är lösenordsskyddad och kan inte läsas",
                                  kind="encrypted")
        if len(reader.pages) == 0:
            raise ExtractionError(path, "PDF-filen har inga sidor", kind="empty")
        laid_out = read_pages(data)
        if laid_out is not None and len(laid_out) != len(reader.pages):
            laid_out = None  # pdfium and pypdf disagree about the pages: trust neither layout
        pages: list[str] = []
        images: list[bool] = []
        for index, page in enumerate(reader.pages):
            text = laid_out[index] if laid_out is not None else None
            pages.append(_normalise(_better_text(text, page)))
            images.append(_has_image(page))
    except ExtractionError:
        raise
    except (FileNotDecryptedError, NotImplementedError) as error:
        raise ExtractionError(path, "PDF-filen är lösenordsskyddad och kan inte läsas",
                              kind="encrypted") from error
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, ZeroDivisionError) as error:
        raise ExtractionError(
            path, f"PDF-filen är skadad och kan inte läsas ({type(error).__name__}: {error})",
            kind="corrupt") from error
    return pages, images, encrypted


def _better_text(laid_out: str | None, page: PageObject) -> str:
    """The laid-out text of a page; pypdf's where layout failed or found (almost) nothing,
    so a page pdfium cannot read is not mistaken for a scan."""
    if laid_out is not None and _alnum(laid_out) >= MIN_PAGE_CHARS:
        return laid_out
    plain = page.extract_text() or ""
    if laid_out is None or _alnum(plain) > _alnum(laid_out):
        return plain
    return laid_out


def _alnum(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _has_image(page: PageObject) -> bool:
    """Whether the page draws an image XObject (directly or inside a form XObject)."""
    try:
        resources = page.get("/Resources") or {}
        return _resources_have_image(resources, depth=0)
    except Exception:  # a damaged resource dictionary: assume a scan rather than lose text
        return True


def _resources_have_image(resources: object, depth: int) -> bool:
    if depth > 5:
        return False
    resources = resources.get_object() if hasattr(resources, "get_object") else resources
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    if not xobjects:
        return False
    for ref in xobjects.get_object().values():
        xobject = ref.get_object()
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            return True
        if subtype == "/Form" and _resources_have_image(xobject.get("/Resources") or {},
                                                          depth + 1):
            return True
    return False


def _run_ocr(path: Path, ocr_dir: Path | None, *, force: bool,
             encrypted: bool) -> tuple[list[str], Path | None]:
    from samverkan.archive.ocr import ocr_pdf

    scratch = Path(tempfile.mkdtemp(prefix="samverkan-ocr-"))
    try:
        source = path
        if encrypted:  # owner-password only: ocrmypdf refuses it, so OCR a decrypted copy
            import pikepdf

            source = scratch / "decrypted.pdf"
            with pikepdf.open(path) as pdf:
                pdf.save(source)
        if ocr_dir is not None:
            ocr_dir.mkdir(parents=True, exist_ok=True)
        target = (ocr_dir / f"{path.stem}.ocr.pdf") if ocr_dir else scratch / "ocr.pdf"
        try:
            sidecar = ocr_pdf(source, target, force=force)
        except ExtractionError as error:  # name the user's file, not the scratch copy
            raise ExtractionError(path, error.reason, kind=error.kind) from error
        return _ocr_layout(target, sidecar), (target if ocr_dir else None)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _ocr_layout(ocr_copy: Path, sidecar: list[str]) -> list[str]:
    """Pages of the OCR'd copy read by position like a text PDF (ocrmypdf places every word
    where tesseract found it), so scans get columns and signature grids too; tesseract's
    sidecar text where that fails or finds clearly less."""
    laid_out = read_pages(ocr_copy, ocr=True) or []
    pages = []
    for index in range(max(len(sidecar), len(laid_out))):
        recognised = sidecar[index] if index < len(sidecar) else ""
        text = laid_out[index] if index < len(laid_out) else None
        if text is not None and page_is_usable(text) and \
                _alnum(text) >= 0.8 * _alnum(recognised):
            pages.append(text)
        else:
            pages.append(recognised)
    return pages
