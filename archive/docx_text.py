"""Text of a DOCX in reading order, after checking the package is safe to open.

A DOCX is a ZIP of XML parts. Before python-docx touches it we check the ZIP directory
(zip bombs: total size, per-part compression ratio, entry count) and every XML part for
DTDs and entity declarations (billion laughs, external entities), because a registrar's
inbox accepts files from anywhere.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from samverkan.archive.errors import ExtractionError

if TYPE_CHECKING:  # python-docx is imported where a document is read
    from docx.document import Document

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 5_000
# Word XML compresses 5–20×; a part that inflates more than this and is big is a bomb.
MAX_RATIO = 100
RATIO_CHECK_ABOVE_BYTES = 1024 * 1024
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _SDT, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}sdt", f"{_W}tr", f"{_W}tc"
CELL_GAP = 3  # spaces at least between side-by-side cells (the reader splits on 2+)


class _Element(Protocol):
    """What is read of an lxml element of the document's XML (lxml has no types)."""

    tag: object  # the qualified name; not a str for comments and processing instructions
    text: str | None

    def get(self, key: str) -> str | None: ...

    def find(self, path: str) -> _Element | None: ...

    def iter(self, *tags: str) -> Iterator[_Element]: ...

    def iterchildren(self, *tags: str) -> Iterator[_Element]: ...


# A paragraph style: (lowercase name, basedOn, its numbering (numId, ilvl), outline level).
_Style = tuple[str, str | None, tuple[str, str | None] | None, int | None]


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
                    path, _DAMAGED + "ZIP-arkivet saknar huvuddelen word/document.xml, där "
                    "dokumentets text ska stå", kind="corrupt")
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    try:
                        data = archive.read(info)
                    except (zipfile.BadZipFile, EOFError, zlib.error,
                            NotImplementedError) as error:
                        raise ExtractionError(path, zip_problem(path, error, info.filename),
                                              kind="corrupt") from error
                    _check_xml(path, info.filename, data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
            zlib.error, NotImplementedError) as error:
        raise ExtractionError(path, zip_problem(path, error), kind="corrupt") from error
    except RuntimeError as error:  # zipfile: encrypted entries need a password
        raise ExtractionError(
            path, "Word-dokumentet är lösenordsskyddat", kind="encrypted") from error


# What zipfile says (English) -> what is wrong with the DOCX's ZIP package, in Swedish.
_DAMAGED = "Word-dokumentet (DOCX) är skadat: "
_TRUNCATED = ("ZIP-arkivet som en DOCX-fil består av är ofullständigt (avkortat): slutet av "
              "filen med arkivets innehållsförteckning saknas. Troligen avbröts en kopiering, "
              "nedladdning eller överföring; be om filen på nytt")


def zip_problem(path: Path, error: BaseException, part: str | None = None) -> str:
    """The Swedish reason a DOCX's ZIP package cannot be opened, as specific as zipfile lets
    us be: cut short, not a ZIP at all, a damaged directory, or one damaged part."""
    text = str(error)
    if isinstance(error, OSError) and not isinstance(error, zipfile.BadZipFile):
        return f"Word-dokumentet kan inte läsas ({error.strerror or 'läsfel'})"
    if isinstance(error, zipfile.LargeZipFile):
        return _DAMAGED + "ZIP-arkivet kräver ZIP64, som inte stöds här"
    if part is not None or isinstance(error, zlib.error | NotImplementedError):
        where = f"delen {part}" if part else "en del"
        if isinstance(error, NotImplementedError):
            return (_DAMAGED + f"{where} i ZIP-arkivet är packad med en metod som inte stöds; "
                    "spara dokumentet på nytt i Word")
        if "CRC" in text:
            return _DAMAGED + f"{where} i ZIP-arkivet är skadad (kontrollsumman stämmer inte)"
        if isinstance(error, EOFError) or "Truncated" in text:
            return _DAMAGED + f"{where} i ZIP-arkivet är ofullständig (avkortad)"
        return _DAMAGED + f"{where} i ZIP-arkivet är skadad och kan inte packas upp"
    if isinstance(error, EOFError) or text.startswith("Truncated"):
        return _DAMAGED + _TRUNCATED
    if text == "File is not a zip file":
        try:
            with open(path, "rb") as handle:
                head = handle.read(4)
        except OSError:
            head = b""
        if head == b"PK\x03\x04":  # ZIP entries at the start, but no directory at the end
            return _DAMAGED + _TRUNCATED
        return _DAMAGED + "filen är inget ZIP-arkiv, vilket en DOCX-fil alltid är"
    if "span multiple disks" in text:
        return _DAMAGED + "ZIP-arkivet är delat på flera filer; bara en av dem finns här"
    crc = re.match(r"Bad CRC-32 for file '(.+)'", text)
    if crc:
        return _DAMAGED + f"delen {crc.group(1)} i ZIP-arkivet är skadad (kontrollsumman " \
                          "stämmer inte)"
    return _DAMAGED + ("ZIP-arkivets innehållsförteckning är skadad, så dokumentets delar "
                       "kan inte hittas")


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

    Paragraphs and tables come in body order (content controls included) and keep what Word
    draws but does not store in the text: list items get their marker ("• ", "1. ", "a) "),
    numbered headings their number, and a heading stands on its own line after a blank one.
    Tables follow the reader's plain-text convention (reader/layout.py): cells side by side
    at least three spaces apart. A table whose cells hold several short lines (signature
    blocks) is written as visual rows, line i of every cell side by side, padded to line up,
    with a blank line between table rows; a table of one short line per cell as one line per
    row; a table with longer text as one line per row with the cells separated by tabs.
    Headers and footers repeat on every page, as they would in a PDF of the same document.
    """
    import docx

    check_package(path)
    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises many types for broken packages
        raise ExtractionError(
            path, f"Word-dokumentet kan inte läsas ({type(error).__name__}: {error})",
            kind="corrupt") from error
    try:
        return _pages(document)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError) as error:
        raise ExtractionError(
            path, f"Word-dokumentets struktur kan inte läsas ({type(error).__name__}: {error})",
            kind="corrupt") from error


def _pages(document: Document) -> list[str]:
    structure = _Structure(document)
    pages: list[list[str]] = [[]]
    for kind, text in _blocks(document.element.body, structure):
        lines = pages[-1]
        if kind == "break":
            pages.append([])
        elif kind == "blank" or (kind == "heading" and text.strip()):
            if lines and lines[-1]:
                lines.append("")
            if kind == "heading":
                lines.append(text)
        elif text.strip():
            lines.append(text)
    headers, footers = _furniture(document, structure)
    result = []
    for lines in pages:
        while lines and not lines[-1]:
            lines.pop()
        if not lines and len(pages) > 1:
            continue
        result.append("\n".join([*headers, *lines, *footers]))
    return result or [""]


# Word's bullet glyphs are often private-use characters of the Symbol and Wingdings fonts.
_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf0fc": "✓", "\uf076": "•",
            "\uf0a8": "□", "o": "◦", "-": "–", "": "•"}
_KNOWN_GLYPHS = frozenset("•▪◦–➢✓□●○■")
# A marker typed into the text already ("- punkt", "1. punkt"): Word draws none then.
_TYPED_MARKER = re.compile(r"^\s*(?:[•●○◦▪■–—*-]|\(?\d{1,2}[.)]|\(?[a-zåäö]\))\s")
_HEADING_NAME = re.compile(r"^(?:heading\s*\d|title|rubrik\s*\d)$", re.IGNORECASE)
# A signature table's lines are names, titles and places; longer lines make a data table.
GRID_LINE_WORDS = 8
GRID_LINE_CHARS = 60
# A table of one line per cell is written with three spaces when every cell is this short
# (the reader takes a row of at most six words a cell for side-by-side cells).
SHORT_CELL_WORDS = 6


class _Structure:
    """What the paragraph styles and the numbering part say about each paragraph: heading
    or not, and the list marker Word draws for it (counting numbered items as Word does,
    best effort)."""

    def __init__(self, document: Document) -> None:
        self.styles: dict[str, _Style] = {}
        self.default_style: str | None = None
        # numId -> (abstractNumId, level -> (format, level text, start), level -> restart)
        self.nums: dict[str, tuple[str, dict[int, tuple[str, str, int]], dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}  # per abstractNumId
        self.restarted: set[tuple[str, int]] = set()
        self.style_counters: dict[str, int] = {}
        try:
            self._read_styles(document.styles.element)
        except Exception:  # no or odd styles part: paragraphs are then plain
            self.styles = {}
        try:
            self._read_numbering(document.part.numbering_part.element)
        except Exception:  # no numbering part (NotImplementedError, KeyError) or odd one
            self.nums = {}

    def _read_styles(self, element: _Element) -> None:
        for style in element.iterchildren(f"{_W}style"):
            if style.get(f"{_W}type") != "paragraph":
                continue
            style_id = style.get(f"{_W}styleId") or ""
            name = _val(style.find(f"{_W}name")) or style_id
            based_on = _val(style.find(f"{_W}basedOn"))
            numbering = _numbering(style.find(f"{_W}pPr/{_W}numPr"))
            outline = _val(style.find(f"{_W}pPr/{_W}outlineLvl"))
            self.styles[style_id] = (name.lower(), based_on, numbering,
                                     int(outline) if outline and re.fullmatch(r"[0-9]", outline) else None)
            if style.get(f"{_W}default") in ("1", "true"):
                self.default_style = style_id

    def _read_numbering(self, element: _Element) -> None:
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for definition in element.iterchildren(f"{_W}abstractNum"):
            abstract[definition.get(f"{_W}abstractNumId") or ""] = _levels(definition)
        for num in element.iterchildren(f"{_W}num"):
            abstract_id = _val(num.find(f"{_W}abstractNumId")) or ""
            levels = dict(abstract.get(abstract_id, {}))
            restarts: dict[int, int] = {}
            for override in num.iterchildren(f"{_W}lvlOverride"):
                level = _small_int(override.get(f"{_W}ilvl"), 0, limit=8)
                levels.update(_levels(override))
                start = _val(override.find(f"{_W}startOverride"))
                if start:
                    restarts[level] = _small_int(start, 1)
            self.nums[num.get(f"{_W}numId") or ""] = (abstract_id, levels, restarts)

    def _chain(self, style_id: str | None) -> list[_Style]:
        chain: list[_Style] = []
        seen: set[str] = set()
        current = style_id if style_id in self.styles else self.default_style
        while current and current in self.styles and current not in seen and len(chain) < 10:
            seen.add(current)
            chain.append(self.styles[current])
            current = chain[-1][1]
        return chain

    def describe(self, paragraph: _Element, text: str) -> tuple[bool, str | None]:
        """(is a heading, marker Word draws before the text or None)."""
        properties = paragraph.find(f"{_W}pPr")
        style_id = _val(properties.find(f"{_W}pStyle")) if properties is not None else None
        chain = self._chain(style_id)
        name = chain[0][0] if chain else ""
        outline = _val(properties.find(f"{_W}outlineLvl")) if properties is not None else None
        if outline is None:
            outline = next((str(level) for *_, level in chain if level is not None), None)
        heading = bool(_HEADING_NAME.match(name)) or (outline is not None and outline != "9")
        own = _numbering(properties.find(f"{_W}numPr")) if properties is not None else None
        inherited = next((numbering for _, _, numbering, _ in chain if numbering), None)
        numbering = own or inherited
        if own and inherited and own[1] is None:
            numbering = (own[0], inherited[1])
        if not text.strip() or _TYPED_MARKER.match(text):
            return heading, None
        if numbering is not None and numbering[0] != "0":
            level = _small_int(numbering[1], 0, limit=8)
            marker = self._number(numbering[0], level)
            if marker is not None:
                return heading, marker
        if numbering is None and name.startswith("list") and not name.startswith(
                ("list paragraph", "list continue")):
            if name.startswith("list number"):
                self.style_counters[name] = self.style_counters.get(name, 0) + 1
                return heading, f"{self.style_counters[name]}."
            return heading, "•"
        return heading, None

    def _number(self, num_id: str, level: int) -> str | None:
        """The marker of the next item at `level` of list `num_id`, counting as Word does:
        lists of one definition continue one another unless a list restarts (startOverride)
        at its first item."""
        found = self.nums.get(num_id)
        if found is None or level not in found[1]:
            return "•" if not self.nums else None
        abstract_id, levels, restarts = found
        fmt, pattern, start = levels[level]
        counters = self.counters.setdefault(abstract_id, [None] * 9)
        level = min(level, 8)
        if level in restarts and (num_id, level) not in self.restarted:
            self.restarted.add((num_id, level))
            counters[level] = restarts[level]
        else:
            current = counters[level]
            counters[level] = start if current is None else current + 1
        for deeper in range(level + 1, 9):
            counters[deeper] = None
        if fmt == "bullet":
            # Only glyphs the reader knows as bullets; any other ("❖", "☐") reads as "•".
            glyph = _BULLETS.get(pattern, pattern)
            return glyph if glyph in _KNOWN_GLYPHS else "•"

        def number(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            shown_fmt, _, shown_start = levels.get(index, (fmt, "", 1))
            value = counters[index]
            return _format(shown_fmt, shown_start if value is None else value)

        marker = re.sub(r"%([1-9])", number, pattern).strip()
        return marker or None


def _val(element: _Element | None) -> str | None:
    return None if element is None else element.get(f"{_W}val")


def _numbering(element: _Element | None) -> tuple[str, str | None] | None:
    """(numId, ilvl) of a w:numPr; ilvl None when not given there."""
    if element is None:
        return None
    num_id = _val(element.find(f"{_W}numId"))
    level = _val(element.find(f"{_W}ilvl"))
    return (num_id, level) if num_id is not None else None


def _levels(element: _Element) -> dict[int, tuple[str, str, int]]:
    """(number format, level text, start) per level of a w:abstractNum or w:lvlOverride."""
    levels = {}
    for level in element.iterchildren(f"{_W}lvl"):
        start = _val(level.find(f"{_W}start")) or "1"
        levels[_small_int(level.get(f"{_W}ilvl"), 0, limit=8)] = (
            _val(level.find(f"{_W}numFmt")) or "decimal", _val(level.find(f"{_W}lvlText")) or "",
            _small_int(start, 1))
    return levels


def _small_int(raw: str | None, default: int, limit: int = 32767) -> int:
    """A number Word wrote (levels, starts), bounded as Word bounds it; `default` otherwise.

    "²".isdigit() is True but int("²") fails, and a start of 10**12 would make a marker of
    gigabytes: a broken or hostile document must not cost more than its own size.
    """
    if raw is None or not re.fullmatch(r"[0-9]{1,6}", raw):
        return default
    return min(int(raw), limit)


def _format(fmt: str, value: int) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        numerals = ""
        for amount, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                                (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"),
                                (5, "v"), (4, "iv"), (1, "i")):
            while value >= amount:
                numerals += numeral
                value -= amount
        return numerals.upper() if fmt == "upperRoman" else numerals
    if fmt == "none":
        return ""
    return str(value)


Item = tuple[str, str]  # (kind, text): "text", "heading", "blank" or "break"


def _blocks(container: _Element, structure: _Structure) -> Iterator[Item]:
    for child in container.iterchildren():
        if child.tag == _P:
            yield from _paragraph(child, structure)
        elif child.tag == _TBL:
            yield from _table(child, structure)
        elif child.tag == _SDT:
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content, structure)


def _paragraph(element: _Element, structure: _Structure) -> Iterator[Item]:
    """Text of a paragraph, with ("break", "") where a hard page break splits it."""
    if element.find(f"{_W}pPr/{_W}pageBreakBefore") is not None:
        yield "break", ""
    pieces: list[list[str]] = [[]]
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr",
                             f"{_W}noBreakHyphen"):
        if node.tag == f"{_W}t":
            pieces[-1].append(node.text or "")
        elif node.tag == f"{_W}tab":
            pieces[-1].append("\t")
        elif node.tag == f"{_W}noBreakHyphen":
            pieces[-1].append("-")
        elif node.get(f"{_W}type") == "page":
            pieces.append([])
        else:
            pieces[-1].append("\n")
    texts = ["".join(piece) for piece in pieces]
    heading, marker = structure.describe(element, "".join(texts))
    kind = "heading" if heading else "text"
    for index, text in enumerate(texts):
        if index:
            yield "break", ""
        if marker is not None and text.strip():
            text = f"{marker} {text.lstrip()}"
            marker = None
        yield kind, text


def _lines(items: list[Item]) -> list[str]:
    """A cell's non-empty lines: its paragraphs (with markers) and nested tables' lines."""
    return [line for kind, text in items if kind in ("text", "heading")
            for line in text.split("\n") if line.strip()]


def _rows(element: _Element) -> Iterator[list[_Element]]:
    """Each table row's cells (rows and cells in content controls too)."""
    for child in element.iterchildren():
        if child.tag == _TR:
            cells = []
            for cell in child.iterchildren():
                if cell.tag == _TC:
                    cells.append(cell)
                elif cell.tag == _SDT:
                    content = cell.find(f"{_W}sdtContent")
                    if content is not None:
                        cells.extend(content.iterchildren(_TC))
            yield cells
        elif child.tag == _SDT:
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _rows(content)


def _table(element: _Element, structure: _Structure) -> Iterator[Item]:
    """A table as the reader reads tables (see docx_pages); a row with one filled cell
    only (a layout table) is read as the paragraphs it holds."""
    rows: list[int | list[Item]] = []  # a row of the grid (its index), or a lone cell's items
    grid: list[list[list[str]]] = []
    for cells in _rows(element):
        items = [list(_blocks(cell, structure)) for cell in cells]  # each cell read once
        filled = [cell_items for cell_items in items if _lines(cell_items)]
        if len(filled) <= 1:
            if filled:
                rows.append(filled[0])
            continue
        grid.append([_lines(cell_items) for cell_items in items])
        rows.append(len(grid) - 1)
    lines = [line for row in grid for cell in row for line in cell]
    signature = any(len(cell) > 1 for row in grid for cell in row) and all(
        len(line.split()) <= GRID_LINE_WORDS and len(line) <= GRID_LINE_CHARS for line in lines)
    short = all(len(cell) <= 1 and all(len(line.split()) <= SHORT_CELL_WORDS for line in cell)
                for row in grid for cell in row)
    widths: dict[int, int] = {}
    for row in grid:
        for index, cell in enumerate(row):
            widths[index] = max([widths.get(index, 0), *(len(line) for line in cell)])
    for entry in rows:
        if not isinstance(entry, int):
            yield from entry  # a lone cell's items
            continue
        cell_lines = grid[entry]
        if signature:
            yield "blank", ""
            for number in range(max(len(cell) for cell in cell_lines)):
                parts = [(cell[number] if number < len(cell) else "").ljust(widths[index])
                         for index, cell in enumerate(cell_lines)]
                yield "text", (" " * CELL_GAP).join(parts).rstrip()
            yield "blank", ""
        else:
            joined = [" ".join(line.strip() for line in cell) for cell in cell_lines]
            yield "text", (" " * CELL_GAP if short else "\t").join(joined)


def _furniture(document: Document, structure: _Structure) -> tuple[list[str], list[str]]:
    """Distinct header and footer lines over all sections (first-page and even ones too)."""
    headers: list[str] = []
    footers: list[str] = []
    for section in document.sections:
        for target, parts in ((headers, ("header", "first_page_header", "even_page_header")),
                              (footers, ("footer", "first_page_footer", "even_page_footer"))):
            for attribute in parts:
                part = getattr(section, attribute)
                if part.is_linked_to_previous:
                    continue
                for kind, text in _blocks(part._element, structure):
                    if kind in ("text", "heading") and text.strip() and text not in target:
                        target.append(text)
    return headers, footers
