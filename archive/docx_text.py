"""Text of a DOCX in reading order, after checking the package is safe to open.

A DOCX is a ZIP of XML parts. Before python-docx touches it we check the ZIP directory
(zip bombs: total size, per-part compression ratio, entry count) and every XML part for
DTDs and entity declarations (billion laughs, external entities), because a registrar's
inbox accepts files from anywhere.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from archive.errors import ExtractionError

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 5_000
# Word XML compresses 5–20×; a part that inflates more than this and is big is a bomb.
MAX_RATIO = 100
RATIO_CHECK_ABOVE_BYTES = 1024 * 1024
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _SDT, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}sdt", f"{_W}tr", f"{_W}tc"


def check_package(path: Path) -> None:
    """Raise ExtractionError when the DOCX package is corrupt or looks hostile."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise ExtractionError(
                    path, f"Word-dokumentet innehåller orimligt många delar ({len(infos)}); "
                    "det liknar en så kallad zip-bomb", kind="unsafe")
            total = sum(info.file_size for info in infos)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise ExtractionError(
                    path, f"Word-dokumentet packas upp till {total // (1024 * 1024)} MB, mer än "
                    f"gränsen {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB; det liknar en "
                    "så kallad zip-bomb", kind="unsafe")
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > RATIO_CHECK_ABOVE_BYTES and ratio > MAX_RATIO:
                    raise ExtractionError(
                        path, f"delen {info.filename} i Word-dokumentet packas upp {ratio:.0f} "
                        "gånger större än den lagrade storleken; det liknar en så kallad "
                        "zip-bomb", kind="unsafe")
            if "word/document.xml" not in {info.filename for info in infos}:
                raise ExtractionError(
                    path, "ZIP-filen saknar word/document.xml och är inget Word-dokument",
                    kind="unsupported")
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    _check_xml(path, info.filename, archive.read(info))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise ExtractionError(
            path, f"Word-dokumentet är skadat eller ofullständigt och kan inte öppnas ({error})",
            kind="corrupt") from error
    except RuntimeError as error:  # zipfile: encrypted entries need a password
        raise ExtractionError(
            path, "Word-dokumentet är lösenordsskyddat", kind="encrypted") from error


def _check_xml(path: Path, name: str, data: bytes) -> None:
    candidates = [data]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates.append(data.decode("utf-16", errors="ignore").encode("utf-8"))
    if any(_DTD.search(candidate) for candidate in candidates):
        raise ExtractionError(
            path, f"delen {name} i Word-dokumentet innehåller en DTD eller entitetsdeklaration "
            "(<!DOCTYPE/<!ENTITY>), vilket Word aldrig skriver; filen tas inte emot av "
            "säkerhetsskäl", kind="unsafe")


def docx_pages(path: Path) -> list[str]:
    """Pages of text split at hard page breaks; each page has the headers above, footers below.

    Paragraphs and tables come in body order (content controls included); a table row is one
    line with cells separated by tabs, merged cells once. Headers and footers repeat on every
    page, as they would in a PDF of the same document.
    """
    import docx

    check_package(path)
    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises many types for broken packages
        raise ExtractionError(
            path, f"Word-dokumentet kan inte läsas ({type(error).__name__}: {error})",
            kind="corrupt") from error
    pages: list[list[str]] = [[]]
    for kind, text in _blocks(document.element.body):
        if kind == "break":
            pages.append([])
        elif text.strip():
            pages[-1].append(text)
    headers, footers = _furniture(document)
    result = []
    for lines in pages:
        if not lines and len(pages) > 1:
            continue
        result.append("\n".join([*headers, *lines, *footers]))
    return result or [""]


def _blocks(container: object) -> Iterator[tuple[str, str]]:
    for child in container.iterchildren():  # type: ignore[attr-defined]
        if child.tag == _P:
            yield from _paragraph(child)
        elif child.tag == _TBL:
            yield from _table(child)
        elif child.tag == _SDT:
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content)


def _paragraph(element: object) -> Iterator[tuple[str, str]]:
    """Text of a paragraph, with ("break", "") where a hard page break splits it."""
    if element.find(f"{_W}pPr/{_W}pageBreakBefore") is not None:  # type: ignore[attr-defined]
        yield "break", ""
    parts: list[str] = []
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):  # type: ignore[attr-defined]
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.get(f"{_W}type") == "page":
            yield "text", "".join(parts)
            yield "break", ""
            parts = []
        else:
            parts.append("\n")
    yield "text", "".join(parts)


def _table(element: object) -> Iterator[tuple[str, str]]:
    for row in element.iterchildren(_TR):  # type: ignore[attr-defined]
        cells: list[str] = []
        for cell in row.iterchildren(_TC):
            lines = [text for kind, text in _blocks(cell) if kind == "text" and text.strip()]
            cells.append(" ".join(line.strip() for line in lines))
        if any(cells):
            yield "text", "\t".join(cells)


def _furniture(document: object) -> tuple[list[str], list[str]]:
    """Distinct header and footer lines over all sections (first-page and even ones too)."""
    headers: list[str] = []
    footers: list[str] = []
    for section in document.sections:  # type: ignore[attr-defined]
        for target, parts in ((headers, ("header", "first_page_header", "even_page_header")),
                              (footers, ("footer", "first_page_footer", "even_page_footer"))):
            for attribute in parts:
                part = getattr(section, attribute)
                if part.is_linked_to_previous:
                    continue
                for kind, text in _blocks(part._element):
                    if kind == "text" and text.strip() and text not in target:
                        target.append(text)
    return headers, footers
