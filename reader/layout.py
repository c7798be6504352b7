"""Lines and blocks of extracted pages, with offsets back into each page's own text.

PDF extraction loses the visual structure: blank lines vanish (or appear inside wrapped
bullets), headings look like any short line, page furniture (letterheads, "Sida 2 av 5")
lands in the middle of sentences and two signature columns come out on one line. This
module rebuilds what a reader sees: content lines without furniture, and blocks (headings,
bullet items, paragraphs, column rows) whose wrapped lines are joined.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from statistics import quantiles
from typing import Any, Literal

from rapidfuzz import fuzz

from samverkan.docgen.model import Provenance
from samverkan.reader import text as tx

_PAGE_NUMBER = re.compile(
    r"^(?:(?:sida|sid\.?|page|s\.)\s*\d{1,3}(?:\s*(?:av|of|/|\()\s*\d{1,3}\)?)?"
    r"|[-–(]?\s*\d{1,3}\s*[-–)]?|\d{1,3}\s*\(\d{1,3}\)|\d{1,3}\s*/\s*\d{1,3})$",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"\b(?:(?:org\.?\s*nr|organisationsnummer|besöksadress|postadress|fakturaadress|"
    r"telefon|växel|e-post|epost|bankgiro|plusgiro)\b|tel\.|www\.|https?://)",
    re.IGNORECASE,
)
# "Sida 2 av 5" inside a footer line ("Överenskommelse SV-… · version 1 · Sida 2 av 5").
_PAGING = re.compile(r"\b(?:sida|sid\.?|page)\s*\d{1,3}\s*(?:av|of|/|\()\s*\d{1,3}\b",
                     re.IGNORECASE)
_POSTCODE = re.compile(r"\b\d{3}\s?\d{2}\s+[A-ZÅÄÖ][a-zåäö]+")
_COLUMN_GAP = re.compile(r"\S(\s{2,}|\t)\S")
_LABEL_START = re.compile(r"^[A-ZÅÄÖ][\wåäö-]{2,}:\s")
_DASHES = re.compile(r"^[\s._\-–—…·]{4,}$")

Kind = Literal["heading", "bullet", "para", "columns"]


@dataclass(frozen=True)
class Line:
    """One line of a page: its span in the page text and its cleaned text."""

    index: int
    page: int  # 1-based
    start: int
    end: int
    raw: str
    text: str
    furniture: bool = False

    @property
    def blank(self) -> bool:
        return not self.text

    def cells(self) -> list[tuple[int, str]]:
        """Column cells (offset in the line, text) split on runs of two or more spaces."""
        found = []
        for match in re.finditer(r"\S+(?: \S+)*", self.raw.replace("\t", "    ")):
            cell = tx.normalise_chars(match.group(0)).strip()
            # A speck OCR read as ":" is no cell; a signature line "____" is.
            if any(ch.isalnum() for ch in cell) or is_dash_line(cell):
                found.append((match.start(), cell))
        return found


@dataclass
class Block:
    """Consecutive lines a reader sees as one unit."""

    kind: Kind
    lines: list[Line]
    marker: str | None = None
    gap_before: bool = False
    text: str = ""
    heading_like: bool = False

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def last(self) -> Line:
        return self.lines[-1]

    @property
    def page(self) -> int:
        return self.lines[0].page

    def span(self) -> tuple[int, int, int]:
        """(page, start, end) of the block on its first page."""
        first = self.lines[0]
        end = max(line.end for line in self.lines if line.page == first.page)
        return first.page, first.start, end


@dataclass
class Document:
    pages: list[str]
    lines: list[Line]
    width: int
    blocks: list[Block] = field(default_factory=list)
    paragraphs: bool = False  # each line is a whole paragraph (DOCX, text files)
    memo: dict[str, Any] = field(default_factory=dict)  # recognisers' shared intermediate results
    stream: str = ""
    _stream_lines: list[Line] = field(default_factory=list)
    _stream_starts: list[int] = field(default_factory=list)
    _position: dict[int, int] = field(default_factory=dict)

    @property
    def content(self) -> list[Line]:
        """Lines with text that are not page furniture (the same list on every call)."""
        return self._stream_lines

    def line_at(self, offset: int) -> Line:
        """The content line that holds stream offset `offset`."""
        index = max(bisect_right(self._stream_starts, offset) - 1, 0)
        return self._stream_lines[index]

    def stream_offset(self, line: Line) -> int:
        """Where a content line starts in the stream."""
        return self._position[line.index]

    def provenance(self, start: int, end: int, confidence: float = 1.0,
                   note: str | None = None) -> Provenance:
        page, page_start, page_end = self.locate(start, end)
        return Provenance(page=page, start=page_start, end=page_end,
                          confidence=round(confidence, 2), flagged=confidence < 0.6, note=note)

    def block_provenance(self, block: Block, confidence: float = 1.0,
                         note: str | None = None) -> Provenance:
        page, start, end = block.span()
        return Provenance(page=page, start=start, end=end, confidence=round(confidence, 2),
                          flagged=confidence < 0.6, note=note)

    def locate(self, start: int, end: int) -> tuple[int, int, int]:
        """(page, start, end) in the page text for a span of the stream."""
        first = self.line_at(start)
        last = self.line_at(max(end - 1, start))
        first_start = self._position[first.index]
        page_start = min(first.start + (start - first_start), first.end)
        page_end = last.end if last.page == first.page else first.end
        if last is first:
            page_end = min(first.start + (end - first_start), first.end)
        return first.page, page_start, max(page_end, page_start)


def _split_lines(pages: list[str]) -> list[Line]:
    lines: list[Line] = []
    for page_no, page in enumerate(pages, start=1):
        offset = 0
        for raw in page.split("\n"):
            end = offset + len(raw)
            cleaned = tx.normalise_chars(raw.rstrip("\r"))
            stripped = cleaned.strip()
            if stripped:
                stripped = tx.strip_ocr_noise(tx.repair_ocr(stripped))
            pieces = [label_piece for piece in tx.split_glued(stripped)
                      for label_piece in tx.split_labels(piece)] if stripped else [""]
            cursor = offset + (len(raw) - len(raw.lstrip()))
            for piece in pieces:
                found = raw.find(piece[:8], max(cursor - offset, 0)) if piece else -1
                piece_start = offset + found if found >= 0 else cursor
                piece_raw = raw if len(pieces) == 1 else piece
                lines.append(Line(len(lines), page_no, piece_start,
                                  min(end, piece_start + len(piece)) if piece else end,
                                  piece_raw, piece))
                cursor = piece_start + len(piece)
            offset = end + 1
    return lines


# Specks OCR reads beside the text of a scan: a short cell far to the right of a line
# ("Underskrifter        OO", "… var sitt.    Oj": a QR code or a stamp beside the text), a
# section number read as letters before a heading ("Z      Giltighetstid", "vå     Uppföljning")
# and a quote stuck to a short line ('"Aktivitet').
_SPECK = re.compile(r"^[^\W\d_]{1,3}$|^[^\w\s]{1,3}$")
_SPECK_GAP = 8
_NUMBER_SPECK = re.compile(r"^[^\W\d]{1,2}[^\w\s]?$|^[^\w\s]{1,2}$")
_NUMBER_GAP = 3
_STUCK_QUOTE = re.compile(r"^[\"“”„'‘’|¦]+(?=[A-ZÅÄÖ])")


def _trailing_speck(line: Line) -> int | None:
    """Where a trailing speck cell starts in the line's raw text, if it ends with one."""
    cells = line.cells()
    if len(cells) < 2:
        return None
    offset, cell = cells[-1]
    before_offset, before = cells[-2]
    gap = offset - (before_offset + len(before))
    if not _SPECK.match(cell) or gap < _SPECK_GAP or not line.text.rstrip().endswith(cell):
        return None
    if not any(len(text) >= 5 for _, text in cells[:-1]):
        return None
    return offset


def _leading_speck(line: Line) -> int | None:
    """Where the heading starts after a section number OCR read as letters, if it has one."""
    cells = line.cells()
    if len(cells) != 2 or tx.strip_marker(line.text)[0] is not None:
        return None
    (first_offset, first), (offset, rest) = cells
    words = rest.split()
    if not _NUMBER_SPECK.match(first) or first.lower() in ("e", "ee", "o") or \
            offset - (first_offset + len(first)) < _NUMBER_GAP:
        return None
    if not rest[:1].isupper() or not 1 <= len(words) <= tx.SECTION_MAX_WORDS or \
            rest[-1] in ".,;:!?" or tx.last_word(rest) in tx.FUNCTION_WORDS:
        return None
    return offset


def _cut(line: Line, start: int, end: int) -> Line:
    """The line with only raw[start:end] kept (offsets into the page stay right)."""
    raw = " " * start + line.raw[start:end].rstrip()
    text = tx.strip_ocr_noise(tx.repair_ocr(tx.normalise_chars(raw).strip()))
    lead = len(raw) - len(raw.lstrip())
    old_lead = len(line.raw) - len(line.raw.lstrip())
    begin = line.start + max(lead - old_lead, 0)
    return Line(line.index, line.page, begin, max(begin, line.end - (len(line.raw) - len(raw))),
                raw, text, line.furniture)


def _drop_specks(lines: list[Line]) -> list[Line]:
    """Lines of a scan without the specks OCR read beside them (see _SPECK); a short cell
    in a row next to another row of cells is a table's ("X" under "Kommun"), kept."""
    content = [line for line in lines if not line.blank]
    cleaned = {line.index: line for line in lines}
    for position, line in enumerate(content):
        neighbours = [content[other] for other in (position - 1, position + 1)
                      if 0 <= other < len(content) and content[other].page == line.page]
        in_table = any(len(other.cells()) >= 2 for other in neighbours)
        trailing = None if in_table else _trailing_speck(line)
        leading = None if in_table else _leading_speck(line)
        if trailing is not None:
            line = _cut(line, 0, trailing)
        elif leading is not None:
            line = _cut(line, leading, len(line.raw))
        stuck = _STUCK_QUOTE.match(line.text)
        if stuck and len(line.text.split()) <= 4 and not re.search(r"[\"“”'’]", line.text[
                stuck.end():]):
            start = line.raw.index(line.text[:stuck.end()])
            line = _cut(line, start + stuck.end(), len(line.raw))
        cleaned[line.index] = line
    return [cleaned[line.index] for line in lines]


_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_NOT_COARSE = re.compile(r"[^a-zåäöéü]|[oil]")


def _signature(text: str) -> str:
    return _DIGITS.sub("#", _SPACES.sub(" ", text.lower())).strip()


def _coarse_signature(text: str) -> str:
    """Letters only, without those OCR swaps for digits (O/0, l/1, i): "SV-ZZW0O-GOND" and
    "SV-ZZW0-G0ND" on two scanned pages are the same footer."""
    return _NOT_COARSE.sub("", text.lower())


def _repeated(by_page: dict[int, list[Line]], page_count: int) -> set[str]:
    """Signatures (exact and coarse) of lines repeated at the edges of many pages."""
    edge_counts: Counter[str] = Counter()
    for page_lines in by_page.values():
        edges = page_lines[:4] + page_lines[-4:]
        keys = {_signature(line.text) for line in edges}
        keys |= {"~" + _coarse_signature(line.text) for line in edges
                 if len(_coarse_signature(line.text)) >= 12}
        edge_counts.update(keys)
    found = {sig for sig, count in edge_counts.items()
             if page_count >= 3 and count >= max(3, page_count * 0.4) and len(sig) > 3}
    # A letterhead on both pages of a short agreement, at the very edge of full pages.
    if page_count == 2 and all(len(page_lines) >= 6 for page_lines in by_page.values()):
        outer: Counter[str] = Counter()
        for page_lines in by_page.values():
            outer.update({_signature(line.text) for line in page_lines[:2] + page_lines[-2:]})
        found |= {sig for sig, count in outer.items() if count == 2 and len(sig) > 8}
    return found


def _scan_furniture(line: Line, repeated: set[str]) -> bool:
    """At the edge of a scanned page: a line OCR misread differently from its copies on the
    other pages ("UTKAST - ej för underskritt"), or specks without a word ("eo eo 0 0")."""
    text = line.text
    if not re.search(r"[^\W\d_]{3}", text) and not re.fullmatch(r"\d+(?:\.\d+)*\.?", text):
        return True
    coarse = _coarse_signature(text)
    if len(coarse) < 12:
        return False
    for key in repeated:
        if key.startswith("~") and abs(len(key) - 1 - len(coarse)) <= 3 and \
                fuzz.ratio(coarse, key[1:], score_cutoff=90) >= 90:
            return True
    return False


def _mark_furniture(lines: list[Line], page_count: int, scanned: bool = False) -> list[Line]:
    """Page numbers, letterhead/contact lines and lines repeated at the edges of pages."""
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        if not line.blank:
            by_page.setdefault(line.page, []).append(line)
    repeated = _repeated(by_page, page_count)
    # A bare number is a page number at the top or bottom of its page; inside the text it
    # is the end of a wrapped line ("… i årskurs 6 och" / "8").
    edges = {line.index for page_lines in by_page.values()
             for line in page_lines[:3] + page_lines[-3:]}
    marked = []
    for number, line in enumerate(lines):
        furniture = False
        if not line.blank:
            text = line.text
            words = len(text.split())
            previous = next((lines[back].text for back in range(number - 1, -1, -1)
                             if not lines[back].blank), "")
            runs_on = bool(previous) and not tx.ends_sentence(previous) and \
                tx.last_word(previous) in tx.FUNCTION_WORDS
            furniture = (
                bool(_PAGE_NUMBER.match(text)) and (line.index in edges or not runs_on)
                or bool(repeated) and (_signature(text) in repeated
                                       or "~" + _coarse_signature(text) in repeated)
                or (bool(_PAGING.search(text)) and words <= 16 and not tx.ends_sentence(text))
                or (bool(_CONTACT.search(text)) and words <= 14
                    and not tx.ends_sentence(text))
                or (bool(_POSTCODE.search(text)) and words <= 8
                    and not re.search(r"\b(den|att|och)\b", text))
                or scanned and line.index in edges and _scan_furniture(line, repeated)
            )
        marked.append(Line(line.index, line.page, line.start, line.end, line.raw, line.text,
                           furniture))
    return marked


def is_column_line(line: Line) -> bool:
    """A row of side-by-side cells (signature columns, table rows), not running text."""
    if not _COLUMN_GAP.search(line.raw.strip()) or tx.strip_marker(line.text)[0] is not None:
        return False
    cells = line.cells()
    # Justified running text comes out with double spaces between every word.
    return 2 <= len(cells) <= 4 and all(len(cell.split()) <= 6 for _, cell in cells)


def is_dash_line(text: str) -> bool:
    return bool(_DASHES.match(text)) or bool(re.fullmatch(r"(?:[._\-–—]{4,}\s*){2,}", text))


def estimate_width(lines: list[Line]) -> int:
    lengths = [len(line.text) for line in lines if len(line.text) >= 20
               and not is_column_line(line)]
    if len(lengths) < 5:
        return max(lengths, default=80)
    return int(quantiles(lengths, n=10)[8])


def _wrapped(previous: str, nxt: str, width: int) -> bool:
    """Whether `previous` ended because the next word did not fit on the line."""
    next_word = min(len(tx.first_word(nxt)), 12)
    return len(previous) >= 0.7 * width and len(previous) + 1 + next_word >= 0.9 * width


def paragraph_lines(lines: list[Line]) -> bool:
    """Whether each line is a whole paragraph (DOCX or text files), not a wrapped PDF line.

    PDF text lines stop at the page width (about 100 characters); paragraphs written on one
    line run to hundreds of characters, so several very long lines give them away.
    """
    lengths = [len(line.text) for line in lines if line.text and not is_column_line(line)]
    long_lines = sum(1 for length in lengths if length > 160)
    return long_lines >= 2 and long_lines >= 0.05 * len(lengths)


def _continues(block: Block, line: Line, gap: bool, width: int) -> bool:
    if block.kind == "columns" or is_column_line(line) or is_dash_line(line.text):
        return False
    previous = block.last.text
    if previous.endswith(":") or is_dash_line(previous):
        return False
    if previous.endswith("-") and not previous.endswith(" -"):
        return True
    lowered = tx.starts_lower(line.text)
    if line.text.endswith(":") and not lowered:
        return False
    if _LABEL_START.match(line.text) and tx.last_word(previous) not in tx.FUNCTION_WORDS:
        return False  # "Giltighetstid: 2022–2024", "Deltagare: …" start lines of their own
    if tx.ends_sentence(previous):
        return lowered and not gap
    if lowered or re.match(r"\d+(?:[.,]\d+)?(?:\s+[a-zåäö]|$)", line.text):
        return True  # "… elever i årskurs" / "7 om tecken på …" runs on too
    # "… tillsammans med polisen och" (OCR: "polisen-och") runs on, across a blank line too.
    last = re.split(r"[-–]", tx.last_word(previous).strip(","))[-1]
    if last in tx.FUNCTION_WORDS or previous.endswith((",", "–")):
        return True
    if gap or tx.marker_class(block.marker) == "multi":
        return False  # a numbered heading ("4.3 Gemensamma …") runs on only into lower case
    return _wrapped(previous, line.text, width)


def _heading_like(block: Block, width: int) -> bool:
    """A short block without final punctuation that is not a wrapped fragment.

    One line, or up to two under a multi-level section number ("4.1 Främja … för" +
    "kriminalitet"): such numbers head sections, list items rarely carry them.
    """
    lines = 2 if tx.marker_class(block.marker) == "multi" else 1
    if block.kind not in ("para", "bullet") or len(block.lines) > lines:
        return False
    body = block.text
    if not body or tx.ends_sentence(body) or body.endswith((",", ";", ":")):
        return False
    words = body.split()
    if len(words) > (20 if lines > 1 else 16) or not (body[0].isupper() or body[0].isdigit()):
        return False
    return tx.last_word(body) not in tx.FUNCTION_WORDS


def segment(lines: list[Line], width: int, paragraphs: bool = False) -> list[Block]:
    """Group content lines into blocks (headings, bullets, paragraphs, column rows).

    With `paragraphs` (each line a whole paragraph) no line continues another.
    """
    blocks: list[Block] = []
    gap = True
    current: Block | None = None
    for line in lines:
        if line.furniture:
            continue
        if line.blank:
            gap = True
            continue
        marker, _rest = tx.strip_marker(line.text)
        if is_column_line(line):
            current = Block("columns", [line], gap_before=gap)
            blocks.append(current)
            current = None
        elif marker is not None:
            current = Block("bullet", [line], marker=marker, gap_before=gap)
            blocks.append(current)
        elif current is not None and not paragraphs and _continues(current, line, gap, width):
            current.lines.append(line)
        else:
            current = Block("para", [line], gap_before=gap)
            blocks.append(current)
        gap = False
    for block in blocks:
        parts = [line.text for line in block.lines]
        if block.kind == "bullet":
            parts[0] = tx.strip_marker(parts[0])[1]
        block.text = tx.join_lines(parts)
        block.heading_like = _heading_like(block, width)
    return blocks


def build(pages: list[str], *, scanned: bool = False) -> Document:
    """The document model of extracted pages (text per page, 1-based page numbers);
    `scanned`: the text came from OCR (specks beside the lines are dropped)."""
    lines = _split_lines(pages)
    if scanned:
        lines = _drop_specks(lines)
    lines = _mark_furniture(lines, len(pages), scanned)
    content = [line for line in lines if not line.blank and not line.furniture]
    width = estimate_width(content)
    document = Document(pages=pages, lines=lines, width=width)
    document.paragraphs = paragraph_lines(content)
    document.blocks = segment(lines, width, document.paragraphs)
    position = 0
    for line in content:
        document._stream_lines.append(line)
        document._stream_starts.append(position)
        document._position[line.index] = position
        position += len(line.text) + 1
    document.stream = "\n".join(line.text for line in content)
    return document
