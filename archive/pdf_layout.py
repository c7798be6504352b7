"""Page text in reading order, rebuilt from where the words of a PDF's text layer sit.

pypdf's extract_text follows the content stream: a two-column page comes out with the
columns interleaved line by line and side-by-side signature blocks run together. Here the
words, their boxes and baselines come from pdfium (pypdfium2, faster than pypdf) and the
page is written again as the plain text the reader understands (reader/layout.py):

* running text: one line per visual line, words separated by one space, hyphenation kept;
* a blank line where the distance between two baselines is clearly larger than the line
  spacing (a paragraph break, space around a heading), and before a line in a larger font;
* columns of running text (two or three, found as a vertical gutter free of text over
  several consecutive lines): the whole first column top to bottom, then the next one, a
  blank line between them when the first ends a sentence;
* side-by-side cells (signature blocks, table rows, a letterhead with "Dnr" on the right):
  one line per visual row, each cell at a character position proportional to its x
  position and at least three spaces after the previous cell, so a grid lines up; a row
  beside such rows keeps its indentation so a lone cell stays under its column;
* a table row whose cells wrap onto several lines (a continuation in lower case, a line
  too full for the next word, short cells centred beside long ones) is read cell by cell:
  each cell's lines in turn, as wrapped, then the next cell; so are tables that line up
  like columns (their columns break together at every table row);
* signature blocks whose lines do not line up row by row (one organisation wraps, a scan
  is skewed) are read block by block, a blank line between blocks;
* a lone list marker or section number joins its text with one space ("• text",
  "4.1 Rubrik"), and a "Label:" cell its only value ("Giltighetstid: 2022–2024"); specks
  OCR reads as "|" or ":" apart from the text are left out.

Nothing here raises: a page that cannot be laid out is None and the caller falls back to
pypdf for it; a document pdfium cannot open gives None altogether.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import logging
import math
import re
import statistics
import threading
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: the archive opens without pdfium (no types: Any)
    from pypdfium2 import PdfDocument, PdfTextPage
    from pypdfium2.raw import FS_MATRIX, FS_RECTF

__all__ = ["Word", "lay_out", "read_pages"]

log = logging.getLogger(__name__)

# pdfium is not thread-safe; the archive reads PDFs from the intake and the OCR worker.
_LOCK = threading.Lock()

CELL_GAP = 3  # spaces at least between side-by-side cells (the reader splits on 2+)
# A vertical band free of text at least this many line heights wide can be a gutter.
MIN_GUTTER = 0.8
# Running text in columns needs this many visual rows; fewer side-by-side rows are a grid.
MIN_COLUMN_ROWS = 3
# Columns of short lines (lists, stacked cells) need this many rows and paragraphs that
# break independently of one another.
MIN_FLOWING_ROWS = 8
# Extra distance between baselines (in line heights) above the usual line spacing that
# makes a blank line (a paragraph break).
PARAGRAPH_GAP = 0.45
# Extra distance (in line heights) across the whole width that ends a region of columns.
BREAK_GAP = 2.5
# A line this much taller than the body text is a heading and gets a blank line before it.
HEADING_SCALE = 1.2
# A grid cell (a line of a signature block) has at most this many words.
GRID_CELL_WORDS = 6
# Rotated words are set aside; a page mostly of them is left to pypdf.
MAX_ROTATED_SHARE = 0.5

# A list marker standing alone before its text; OCR reads round bullets as "e", "«", "+".
_MARKER = re.compile(r"^(?:[•●○◦▪■□◆◇►▶➢➤✓✔·∙\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8\uf0d2\u2023"
                     r"\u2043*–—=+°©®¢«»&o-]|e{1,2}[.,:;]?|\(?\d{1,2}[.)]|\(?[a-zåäö][.)])$")
_SECTION = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?$")
# Punctuation only, not a dash or bullet (a table's "–" means "none").
_SPECK = re.compile(r"^[|'`´\"!:;.,<>«»~^=_/\\]{1,3}$")
_SENTENCE_END = (".", "!", "?", ":", ";")
_GRID_LINE = re.compile(r"\S {3,}\S")


@dataclass(slots=True)
class Word:
    """A run of non-space characters on one line: x extent, baseline (y grows downwards)
    and font size, both in points of the page."""

    text: str
    x0: float
    x1: float
    base: float
    size: float


@dataclass(slots=True)
class _Row:
    """Words on one visual line (one baseline), sorted left to right."""

    words: list[Word]
    base: float
    size: float = 0.0
    free: list[tuple[float, float]] | None = None  # see _Page._free


@dataclass(slots=True)
class _Cell:
    """Side-by-side text within a row; `first` is the width of its first word."""

    text: str
    x0: float
    x1: float
    base: float
    first: float


def _joined(left: _Cell, right: _Cell) -> _Cell:
    return _Cell(f"{left.text} {right.text}", left.x0, right.x1, left.base, left.first)


@dataclass(slots=True)
class _Line:
    """An emitted line, its baseline and size (for blank lines between paragraphs)."""

    text: str
    base: float
    size: float


# In a list of lines: None means no distance to measure before the next line (a new
# column); _BLANK a blank line whatever the distance (a new column after a full stop).
_BLANK = _Line("", 0.0, 1.0)


# -- reading the text layer ------------------------------------------------------------------

def read_pages(source: bytes | Path | str, *, ocr: bool = False) -> list[str | None] | None:
    """Text per page in reading order; None for a page that failed, None if pdfium cannot
    open the document at all (the caller then uses pypdf).

    `ocr` for a text layer written by OCR: every character is measured, because words
    placed one by one can run together in the text without a space between them.
    """
    try:
        import pypdfium2 as pdfium
    except ImportError:  # pragma: no cover - a dependency, but never fatal here
        return None
    with _LOCK:
        try:
            document = pdfium.PdfDocument(str(source) if isinstance(source, Path) else source)
        except Exception as error:  # PdfiumError, OSError, ValueError for odd inputs
            log.debug("pdfium kan inte öppna PDF-filen: %s", error)
            return None
        try:
            try:
                count = len(document)
            except Exception:
                return None
            return [_page_text(document, index, ocr) for index in range(count)]
        finally:
            with contextlib.suppress(Exception):  # closing never decides anything
                document.close()


def _page_text(document: PdfDocument, index: int, ocr: bool = False) -> str | None:
    page = textpage = None
    try:
        page = document[index]
        textpage = page.get_textpage()
        extracted = _words(textpage, ocr)
        if extracted is None:
            return None
        words, rotated = extracted
        text = lay_out(words)
        if rotated:
            text = (text + "\n\n" if text else "") + " ".join(rotated)
        return text
    except Exception as error:  # any surprise on an odd page: pypdf reads that page instead
        log.debug("sidan %d kunde inte läsas med layout: %s", index + 1, error)
        return None
    finally:
        for handle in (textpage, page):
            if handle is not None:
                with contextlib.suppress(Exception):
                    handle.close()


def _words(textpage: PdfTextPage, ocr: bool = False) -> tuple[list[Word], list[str]] | None:
    """Words with boxes and baselines, and the text of rotated words set aside.

    pdfium's text of the page has one entry per character (generated spaces and line breaks
    included), so words are split on its whitespace and only the first and last character
    of each word are measured (three calls a word, not three a character); a word whose
    two ends do not sit on one line, or that is far wider than its letters, is measured
    character by character and split where it breaks.
    """
    import pypdfium2.raw as raw

    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    if count <= 0:
        return [], []
    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(handle, 0, count, buffer)
    text = bytes(buffer)[: max(written - 1, 0) * 2].decode("utf-16-le", errors="replace")
    if written - 1 != count or len(text) != count:
        # Characters outside the BMP or left out of the text: read them one by one instead.
        text = "".join(_char(raw.FPDFText_GetUnicode(handle, i)) for i in range(count))
    # pdfium gives a hyphen that ends a line as U+FFFE (or U+0002): keep it as printed.
    text = text.replace("\ufffe", "-").replace("\x02", "-")
    first_box, last_box = raw.FS_RECTF(), raw.FS_RECTF()
    first_ref, last_ref = ctypes.byref(first_box), ctypes.byref(last_box)
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    matrix = raw.FS_MATRIX()
    matrix_ref = ctypes.byref(matrix)
    loose_box, char_origin = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetCharOrigin
    # Words in one font and size have boxes of one height: measure each height's size once.
    sizes: dict[float, float] = {}
    words: list[Word] = []
    rotated: list[str] = []
    for match in re.finditer(r"\S+", text):
        first, last = match.start(), match.end() - 1
        if not (loose_box(handle, first, first_ref) and loose_box(handle, last, last_ref)
                and char_origin(handle, first, origin_x, origin_y)):
            continue
        key = round(first_box.top - first_box.bottom, 3)
        size = sizes.get(key)
        if size is None:
            size = sizes[key] = _size(raw, handle, first, matrix, matrix_ref, first_box)
        width = last_box.right - first_box.left
        if (not ocr and abs(first_box.bottom - last_box.bottom) <= 0.5 * size
                and -0.1 * size <= width <= (last - first + 2) * size * 1.2):
            words.append(Word(match.group(0), first_box.left,
                              max(last_box.right, first_box.left), -origin_y.value, size))
            continue
        angle = raw.FPDFText_GetCharAngle(handle, first)
        if 0.2 < angle < 2 * math.pi - 0.2:  # a stamp or margin note; a skewed scan is not
            rotated.append(match.group(0))
        else:
            words.extend(_split_word(raw, handle, text, first, last, size))
    if rotated and len(rotated) > MAX_ROTATED_SHARE * (len(rotated) + len(words)):
        return None
    return words, rotated


def _size(raw: ModuleType, handle: Any, index: int, matrix: FS_MATRIX, matrix_ref: Any,
          box: FS_RECTF) -> float:
    """Font size in points of the page: the set size scaled by the character's matrix
    (PDFs often set "1 Tf" and scale the text matrix); the box height if that fails."""
    font_size = raw.FPDFText_GetFontSize(handle, index)
    if font_size > 0 and raw.FPDFText_GetMatrix(handle, index, matrix_ref):
        size = font_size * math.hypot(matrix.c, matrix.d)
        if 1.0 <= size <= 500.0:
            return size
    return max(box.top - box.bottom, 1.0)


def _char(code: int) -> str:
    try:
        return chr(code) if code else " "
    except (ValueError, OverflowError):
        return "\ufffd"


def _split_word(raw: ModuleType, handle: Any, text: str, first: int, last: int,
                size: float) -> list[Word]:
    """Measure a word character by character (`size` the first one's); split it where it
    leaves the line or jumps sideways."""
    box = raw.FS_RECTF()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    words: list[Word] = []
    current: Word | None = None
    for index in range(first, last + 1):
        if not (raw.FPDFText_GetLooseCharBox(handle, index, ctypes.byref(box))
                and raw.FPDFText_GetCharOrigin(handle, index, origin_x, origin_y)):
            continue
        char = Word(text[index], box.left, box.right, -origin_y.value, size)
        if (current is not None and abs(char.base - current.base) <= 0.3 * current.size
                and -0.3 * current.size <= char.x0 - current.x1 <= 0.3 * current.size):
            current.text += char.text
            current.x1 = max(current.x1, char.x1)
        else:
            current = char
            words.append(current)
    return words


# -- laying out one page ---------------------------------------------------------------------

def lay_out(words: list[Word]) -> str:
    """The page's text in reading order from its words (see the module docstring)."""
    words = [word for word in words if word.text.strip()]
    if not words:
        return ""
    return _Page(_level(words)).render()


def _level(words: list[Word]) -> list[Word]:
    """Words of a skewed scan's text layer moved onto level baselines.

    OCR places each word where it stood on the page, so on a scan turned by a degree the
    baselines of a line climb across it and the right-hand signature block stands higher
    than the left one. The slope is the median rise from word to word along a line (pdfium
    keeps the words of a line in order); text PDFs have none.
    """
    slopes = []
    for before, after in zip(words, words[1:], strict=False):
        gap = after.x0 - before.x1
        if 0 < gap < 3 * before.size and abs(after.base - before.base) < 0.5 * before.size:
            slopes.append((after.base - before.base) / max(after.x0 - before.x0, 1.0))
    if len(slopes) < 3:
        return words
    slope = statistics.median(slopes)
    if abs(slope) < 0.002 or abs(slope) > 0.1:  # level already, or not a line's rise
        return words
    return [Word(word.text, word.x0, word.x1, word.base - slope * word.x0, word.size)
            for word in words]


Bounds = list[float]  # x bounds of the columns of a region: -inf, gutter middles, +inf


class _Page:
    """One page's rows, its column regions and the lines they are read as."""

    def __init__(self, words: list[Word]) -> None:
        self.rows = _rows(words)
        # The body size is the typical row's; a row of smaller print (a footer) still
        # needs body-sized gaps to count as a paragraph break.
        self.body = max(statistics.median(row.size for row in self.rows), 1.0)
        for row in self.rows:
            row.size = max(row.size, 0.75 * self.body)
        self.left = min(word.x0 for word in words)
        self.right = max(word.x1 for word in words)
        widths = [(word.x1 - word.x0) / len(word.text) for word in words if len(word.text) >= 3]
        self.char = max(statistics.median(widths) if widths else self.body * 0.45,
                        self.body * 0.2)
        spaces = [b.x0 - a.x1 for row in self.rows
                  for a, b in zip(row.words, row.words[1:], strict=False)
                  if 0 < b.x0 - a.x1 < row.size]
        self.space = statistics.median(spaces) if spaces else 0.25 * self.body
        self.pitch = self._usual_pitch()
        self.min_gutter = max(MIN_GUTTER * self.body, 3 * self.space)
        self._row_cell_cache: dict[int, list[_Cell]] = {}
        self.starts: list[float] = []
        self.starts = _shared_starts([self._segments(row) for row in self.rows])

    # -- vertical distances ------------------------------------------------------------------

    def _usual_pitch(self) -> float:
        """Baseline distance per unit of size between two lines of one paragraph: from each
        row to the next row below it that overlaps it sideways (the same column)."""
        ratios = []
        for index, row in enumerate(self.rows):
            low, high = row.words[0].x0, row.words[-1].x1
            for other in self.rows[index + 1:index + 5]:
                if other.words[0].x0 < high and other.words[-1].x1 > low:
                    ratio = (other.base - row.base) / max(row.size, other.size)
                    if 0.6 < ratio < 2.5:
                        ratios.append(ratio)
                    break
        if len(ratios) < 3:
            return 1.2
        ratios.sort()
        return ratios[len(ratios) // 3]  # the lower third: paragraph gaps must not count

    def _excess(self, upper_base: float, upper_size: float, lower_base: float,
                lower_size: float) -> float:
        """How much farther apart two baselines are than lines of one paragraph."""
        return lower_base - upper_base - self.pitch * max(upper_size, lower_size)

    def _paragraph_gap(self, upper: _Line | _Row, lower: _Line | _Row) -> bool:
        excess = self._excess(upper.base, upper.size, lower.base, lower.size)
        return excess > PARAGRAPH_GAP * min(upper.size, lower.size)

    def _gap_above(self, index: int) -> float:
        upper, lower = self.rows[index - 1], self.rows[index]
        return self._excess(upper.base, upper.size, lower.base, lower.size)

    # -- output ------------------------------------------------------------------------------

    def render(self) -> str:
        regions: list[tuple[int, int, Bounds]] = []
        index = 0
        while index < len(self.rows):
            region, after = self._column_region(index)
            if region is not None:
                regions.append(region)
            index = max(after, index + 1)
        in_columns = {i for start, end, _ in regions for i in range(start, end + 1)}
        lines: list[_Line | None] = []
        index = 0
        for start, end, bounds in [*regions, (len(self.rows), len(self.rows), [])]:
            lines.extend(self._free_rows(index, start, in_columns))
            if bounds:
                lines.extend(self._columns(start, end, bounds))
            index = end + 1
        return self._with_blank_lines(lines)

    def _free_rows(self, start: int, end: int,
                   in_columns: set[int]) -> list[_Line | None]:
        """Rows outside column regions, each a line; a band of rows (no paragraph gap
        inside) that is one table row with wrapped cells is read cell by cell, and signature
        blocks whose lines do not line up row by row are read block by block."""
        lines: list[_Line | None] = []
        index = start
        for first, last, starts in [*self._ragged_grids(start, end), (end, end, [])]:
            lines.extend(self._bands(index, first, in_columns))
            if starts:
                lines.extend(self._blockwise(first, last, starts))
            index = last + 1
        return lines

    def _bands(self, start: int, end: int, in_columns: set[int]) -> list[_Line]:
        lines: list[_Line] = []
        index = start
        while index < end:
            last = index
            while last + 1 < end and not self._paragraph_gap(self.rows[last],
                                                             self.rows[last + 1]):
                last += 1
            band = list(range(index, last + 1))
            cells = self._table_cells(band) if len(band) >= 2 else None
            if cells is not None:
                lines.extend(cells)
            else:
                lines.extend(self._row_line(i, in_columns) for i in band)
            index = last + 1
        return lines

    def _ragged_grids(self, start: int, end: int) -> list[tuple[int, int, list[float]]]:
        """(first row, last row, column starts) of grids of short cells (signature blocks)
        whose lines do not line up: most rows hold a cell of one block only, as when one
        organisation's name wraps or a scan is skewed, so that rows pair the wrong lines."""
        grids = []
        index = start
        while index < end:
            cells = self._cells_of(index)
            if len(cells) < 2 or any(len(cell.text.split()) > GRID_CELL_WORDS for cell in cells):
                index += 1
                continue
            starts = [cell.x0 for cell in cells]
            members, pending = [index], list[int]()
            for other in range(index + 1, end):
                previous = self.rows[(pending or members)[-1]]
                row = self.rows[other]
                if row.base - previous.base > 4 * self.pitch * max(row.size, previous.size):
                    break
                columns = [self._column_of(cell.x0, starts) for cell in self._cells_of(other)]
                words = [len(cell.text.split()) for cell in self._cells_of(other)]
                if None in columns or max(words) > GRID_CELL_WORDS:
                    break
                if len(columns) > 1 or columns[0]:
                    members += [*pending, other]
                    pending = []
                else:
                    pending.append(other)  # a first-column line belongs if cells follow
            aligned = sum(len(self._cells_of(i)) > 1 for i in members)
            if len(members) >= 3 and aligned < 0.6 * len(members) and \
                    not self._runs_on(members, starts):
                grids.append((members[0], members[-1], starts))
            index = members[-1] + 1
        return grids

    def _runs_on(self, members: list[int], starts: list[float]) -> bool:
        """Whether a cell's text runs on into the next line of its column (a table's cell
        wrapping mid-sentence), which the lines of signature blocks never do."""
        for number in range(len(starts)):
            bound = starts[number + 1] if number + 1 < len(starts) else self.right
            column = [(cell, self.rows[i]) for i in members for cell in self._cells_of(i)
                      if self._column_of(cell.x0, starts) == number]
            for (upper, above), (lower, below) in zip(column, column[1:], strict=False):
                if self._wrap(upper, lower, bound, above, below) == "continued":
                    return True
        return False

    def _column_of(self, x: float, starts: list[float]) -> int | None:
        """Which grid column a cell starting at `x` is in, None for none."""
        for number, start in enumerate(starts):
            if abs(x - start) <= 2 * self.char:
                return number
        return None

    def _blockwise(self, first: int, last: int, starts: list[float]) -> list[_Line | None]:
        """A ragged grid read block by block: each column's lines top to bottom."""
        lines: list[_Line | None] = []
        for number in range(len(starts)):
            if lines:
                lines.append(_BLANK)
            for index in range(first, last + 1):
                row = self.rows[index]
                for cell in self._cells_of(index):
                    if self._column_of(cell.x0, starts) == number:
                        lines.append(_Line(cell.text, row.base, row.size))
        lines.append(None)
        foot = self.rows[last]
        lines.append(_Line("", foot.base, foot.size))  # for the distance after it
        return lines

    def _row_line(self, index: int, in_columns: set[int]) -> _Line:
        """One visual row as a line; a row beside rows of cells keeps its indentation so a
        lone cell (a signature block's extra line) stays under its column."""
        row = self.rows[index]
        neighbours = [i for i in (index - 1, index + 1)
                      if 0 <= i < len(self.rows) and i not in in_columns
                      and abs(self.rows[i].base - row.base) < 2.5 * self.body]
        in_grid = any(len(self._cells_of(i)) > 1 for i in neighbours)
        text = self._cells_text(self._cells_of(index), self.left, keep_indent=in_grid)
        return _Line(text, row.base, row.size)

    def _table_cells(self, band: list[int]) -> list[_Line] | None:
        """A table row whose cells wrap onto several lines, read cell by cell (each cell's
        lines, then the next cell's), as its text runs; None for anything else, such as
        signature blocks, whose lines are separate items (names, titles) and stay visual
        rows. Lines stay as wrapped, so no line grows longer than the page is wide."""
        if not any(len(self._cells_of(i)) > 1 for i in band):
            return None
        cells = [(cell, i) for i in band for cell in self._cells_of(i)]
        columns: list[list[tuple[_Cell, int]]] = []
        for cell, index in sorted(cells, key=lambda item: item[0].x0):
            if columns and cell.x0 < max(c.x1 for c, _ in columns[-1]):
                columns[-1].append((cell, index))
            else:
                columns.append([(cell, index)])
        if len(columns) < 2:
            return None
        pairs = full = continued = 0
        for number, column in enumerate(columns):
            column.sort(key=lambda item: item[0].base)
            bound = (min(c.x0 for c, _ in columns[number + 1]) if number + 1 < len(columns)
                     else self.right)
            for (upper, above), (lower, below) in zip(column, column[1:], strict=False):
                pairs += 1
                wrap = self._wrap(upper, lower, bound, self.rows[above], self.rows[below])
                full += wrap is not None
                continued += wrap == "continued"
        # One full line before a capitalised one is also a signature block's long
        # organisation ("Polismyndigheten, lokalpolisområde" / "Sollentuna"); signature
        # blocks are set from the top of their row, a table's short cells often centred.
        first = min(self.rows[i].base for i in band)
        centred = full and any(
            len(column) == 1 and column[0][0].base > first + 0.5 * self.rows[column[0][1]].size
            for column in columns)
        if not continued and not centred and (full < 2 or full < 0.5 * pairs):
            return None
        return [_Line(cell.text, cell.base, self.rows[index].size)
                for column in columns for cell, index in column]

    def _wrap(self, upper: _Cell, lower: _Cell, bound: float, upper_row: _Row,
              lower_row: _Row) -> str | None:
        """How `lower` continues `upper` in one cell: "continued" (mid-sentence into a
        lower-case word), "full" (the next word would not have fitted), or None."""
        room = bound - upper.x0
        if upper.x1 - upper.x0 < 0.6 * room or abs(upper_row.size - lower_row.size) > (
                0.1 * upper_row.size) or not any(ch.isalpha() for ch in upper.text):
            return None  # a signature rule ("_____") fills its cell but wraps nothing
        if lower.text[:1].islower() and not upper.text.endswith(_SENTENCE_END):
            return "continued"
        if upper.x1 + self.space + lower.first > bound - 2.5 * self.char:
            return "full"
        return None

    def _columns(self, start: int, end: int, bounds: Bounds) -> list[_Line | None]:
        """A region of running text in columns: each column top to bottom, left to right."""
        lines: list[_Line | None] = []
        for cells in self._column_flows(start, end, bounds):
            if not cells:
                continue
            left = min(word.x0 for _, cell in cells for word in cell)
            if lines:
                # The next column: no distance to measure; a full stop ends a paragraph
                # and a heading stands apart.
                last = lines[-1]
                ended = last is not None and last.text.rstrip().endswith(_SENTENCE_END)
                heading = self.rows[cells[0][0]].size > HEADING_SCALE * self.body
                lines.append(_BLANK if ended or heading else None)
            for index, cell in cells:
                row = self.rows[index]
                lines.append(_Line(self._cells_text(self._row_cells(cell), left,
                                                    keep_indent=False),
                                   row.base, row.size))
        lines.append(None)
        foot = self.rows[end]
        lines.append(_Line("", foot.base, foot.size))  # for the distance after it
        return lines

    def _column_flows(self, start: int, end: int,
                      bounds: Bounds) -> list[list[tuple[int, list[Word]]]]:
        """Each column's non-empty cells (row index, words), top to bottom."""
        flows = []
        for column in range(len(bounds) - 1):
            cells = [(i, self._cell(self.rows[i], bounds, column)) for i in range(start, end + 1)]
            flows.append([(i, cell) for i, cell in cells if cell])
        return flows

    def _with_blank_lines(self, lines: list[_Line | None]) -> str:
        """Join lines, with a blank line where the distance above a line is a paragraph
        break or the line is in a larger font than the one before."""
        out: list[str] = []
        previous: _Line | None = None
        for line in lines:
            if line is None or line is _BLANK:
                if line is _BLANK and out and out[-1]:
                    out.append("")
                previous = None
                continue
            if previous is not None and out and out[-1] and line.text:
                heading = (line.size > HEADING_SCALE * self.body
                           and line.size > 1.1 * previous.size and line.base > previous.base)
                # Rows of a grid (signature blocks) are often set wider apart than text
                # lines; only a clear gap (a blank line's worth) parts them.
                grid = _GRID_LINE.search(line.text) and _GRID_LINE.search(previous.text)
                if heading or (self._paragraph_gap(previous, line) and not (
                        grid and self._excess(previous.base, previous.size, line.base,
                                              line.size) < min(line.size, previous.size))):
                    out.append("")
            if line.text:
                out.append(line.text)
            previous = line
        while out and not out[-1]:
            out.pop()
        return "\n".join(out)

    # -- cells -------------------------------------------------------------------------------

    def _segments(self, row: _Row | list[Word]) -> list[list[Word]]:
        """Words of one row split where a gap is far wider than a word space."""
        words = row.words if isinstance(row, _Row) else row
        if len(words) < 2:
            return [words] if words else []
        size = row.size if isinstance(row, _Row) else max(
            self.body * 0.75, max(word.size for word in words))
        gaps = [b.x0 - a.x1 for a, b in zip(words, words[1:], strict=False)]
        # Wider than 0.8 em and three of the page's word spaces (OCR text layers set small
        # sizes but measure gaps between glyphs), or than 2.5 of this stretched line's.
        limit = max(0.8 * size, 3 * self.space)
        if len(gaps) >= 4:
            quartile = sorted(gaps)[len(gaps) // 4]
            if quartile <= 0.6 * size:  # a stretched (justified) line has wider spaces
                limit = max(limit, 2.5 * quartile)
        if len(gaps) >= 3 and max(gaps) - min(gaps) <= 0.15 * size:
            return [words]  # every space stretched exactly alike: a justified line, not cells
        breaks = [gap > limit for gap in gaps]
        if any(breaks) and self.starts:
            # A row of cells: a narrower gap also parts cells where the next word starts
            # exactly where cells of other rows start (a table column).
            breaks = [wide or (gap > 0.3 * size and self._aligned(word.x0))
                      for wide, gap, word in zip(breaks, gaps, words[1:], strict=True)]
        segments = [[words[0]]]
        for cut, word in zip(breaks, words[1:], strict=True):
            if cut:
                segments.append([word])
            else:
                segments[-1].append(word)
        return segments

    def _aligned(self, x: float) -> bool:
        index = bisect.bisect_left(self.starts, x - 1.0)
        return index < len(self.starts) and self.starts[index] <= x + 1.0

    def _cells_of(self, index: int) -> list[_Cell]:
        """The cells of row `index` (kept: rows are looked at again and again)."""
        cells = self._row_cell_cache.get(index)
        if cells is None:
            cells = self._row_cell_cache[index] = self._row_cells(self.rows[index].words)
        return cells

    def _row_cells(self, words: list[Word]) -> list[_Cell]:
        """The cells of a row: its segments, with a lone marker or section number joined to
        its text and a "Label:" joined to its only value."""
        cells = [_Cell(" ".join(word.text for word in segment), segment[0].x0, segment[-1].x1,
                       segment[0].base, segment[0].x1 - segment[0].x0)
                 for segment in self._segments(words)]
        # "• text", "1. text", "4.1 Rubrik": a lone marker belongs to its text.
        if len(cells) >= 2 and (_MARKER.match(cells[0].text) or (
                _SECTION.match(cells[0].text) and cells[1].text[:1].isalpha())):
            cells[:2] = [_joined(cells[0], cells[1])]
        # "Giltighetstid:   2022–2024": a label and its value read as one line.
        if len(cells) == 2 and cells[0].text.endswith(":") and not cells[1].text.endswith(":"):
            cells = [_joined(cells[0], cells[1])]
        # A speck read by OCR ("|", "'", ":") apart from any text is no cell: left out, as
        # is a lone letter far after a line of text ("… nära relationer          Å").
        if len(cells) > 1:
            cells = [cell for cell in cells if not _SPECK.match(cell.text)] or cells
        if len(cells) == 2 and re.fullmatch(r"[^\W\d_]", cells[1].text) and \
                len(cells[0].text.split()) >= 3:
            cells = cells[:1]
        return cells

    def _cells_text(self, cells: list[_Cell], left: float, *, keep_indent: bool) -> str:
        """Cells as one line: each at a position proportional to its x, 3+ spaces apart."""
        if len(cells) == 1 and not keep_indent:
            return cells[0].text
        out = ""
        for cell in cells:
            column = max(round((cell.x0 - left) / self.char), 0)
            if out:
                column = max(column, len(out) + CELL_GAP)
            elif column < CELL_GAP:
                column = 0  # a point or two off the margin is no indentation
            out = out.ljust(column) + cell.text
        return out.rstrip()

    @staticmethod
    def _cell(row: _Row, bounds: Bounds, column: int) -> list[Word]:
        low, high = bounds[column], bounds[column + 1]
        return [word for word in row.words if low <= (word.x0 + word.x1) / 2 < high]

    # -- column regions ----------------------------------------------------------------------

    def _column_region(self, index: int) -> tuple[tuple[int, int, Bounds] | None, int]:
        """(first row, last row, column bounds) of text in columns starting at or just
        after row `index` (None when the rows from there are not in columns), and the row to
        look from next: past a table, whose rows must not start a region either.

        Columns hold running text (long lines), or at least paragraphs that break
        independently of one another over many rows; a table's columns break together at
        each table row, and a grid of signature blocks is short and of short lines.
        """
        found = self._gutters_from(index)
        if found is None:
            return None, index + 1
        end, gutters = found
        bounds = [-math.inf, *((a + b) / 2 for a, b in gutters), math.inf]
        start, end = self._trim(index, end, bounds)
        # A table set across the page under the columns ends them: its gutters only
        # happen to line up with theirs.
        edges = self._column_edges(start, end, bounds)
        across = next((i for i in range(start, end + 1)
                       if self._crosses_columns(i, bounds, edges)), None)
        if across is not None:
            end = across - 1
        rows = end - start + 1
        likeness = self._width_likeness(start, end, bounds)
        if rows < MIN_COLUMN_ROWS or likeness < 0.4:
            return None, index + 1
        breaks, independent = self._breaks(start, end, bounds)
        # Breaks all together: a table, unless two columns of one width (a page's text
        # columns whose few paragraphs happen to end level).
        if breaks and not independent and (len(bounds) > 3 or likeness < 0.8):
            # A table of several rows: rows within it would only find a part of it again.
            return None, end + 1 if breaks > 1 else index + 1
        if self._is_running_text(start, end, bounds) or (
                independent and rows >= MIN_FLOWING_ROWS):
            return (start, end, bounds), end + 1
        return None, index + 1

    def _gutters_from(self, index: int) -> tuple[int, list[tuple[float, float]]] | None:
        """The longest run of rows from `index` sharing gutters with text on both sides."""
        minimum = self.min_gutter
        edge = 0.5
        candidates = self._free(self.rows[index])
        best: tuple[int, list[tuple[float, float]]] | None = None
        last = index
        while candidates:
            interior = [band for band in candidates
                        if band[0] > self.left + edge and band[1] < self.right - edge]
            if interior and last > index:
                best = (last, interior)
            if last + 1 >= len(self.rows) or self._gap_above(last + 1) > BREAK_GAP * self.body:
                break
            candidates = [band for band in _intersect(candidates,
                                                      self._free(self.rows[last + 1]))
                          if band[1] - band[0] >= minimum]
            if candidates:
                last += 1
        return best

    def _free(self, row: _Row) -> list[tuple[float, float]]:
        """Horizontal bands of the page's text width that this row leaves empty, as wide
        as a gutter at least (word spaces are not)."""
        free = row.free
        if free is None:
            minimum = self.min_gutter
            free = []
            cursor = self.left
            for word in row.words:
                if word.x0 - cursor >= minimum:
                    free.append((cursor, word.x0))
                cursor = max(cursor, word.x1)
            if self.right - cursor >= minimum:
                free.append((cursor, self.right))
            row.free = free
        return free

    def _trim(self, start: int, end: int, bounds: Bounds) -> tuple[int, int]:
        """Leave out a grid (letterhead, signature blocks) above or below the columns that
        shares their gutter: the rows of short cells at either end of the region, cut where
        the gap is widest between them and up to two short lines next to them (a heading,
        a date), when that gap is clear."""
        head = self._grid_run(range(start, end + 1), bounds)
        if head and self._is_separate_grid(head, start, end, bounds):
            after = self._short_run(range(head[-1] + 1, end + 1), bounds)
            cuts = range(head[-1] + 1, min((after or head)[-1] + 1, end) + 1)
            cut = max(cuts, key=self._gap_above, default=start)
            if cut > start and self._gap_above(cut) >= self.body * 0.8:
                start = cut
        tail = self._grid_run(range(end, start, -1), bounds)
        if tail and self._is_separate_grid(tail, start, end, bounds):
            before = self._short_run(range(tail[-1] - 1, start, -1), bounds)
            cuts = range(max((before or tail)[-1], start + 1), tail[-1] + 1)
            cut = max(cuts, key=self._gap_above, default=end + 1)
            if cut <= end and self._gap_above(cut) >= self.body * 0.8:
                end = cut - 1
        return start, end

    def _grid_run(self, order: range, bounds: Bounds) -> list[int]:
        """Rows from one end of a region while they are grid rows, or a lone short cell
        under a grid column other than the first (a wrapped organisation, a title)."""
        run: list[int] = []
        for index in order:
            row = self.rows[index]
            lone = (bool(run) and len(row.words) <= GRID_CELL_WORDS
                    and row.words[0].x0 >= bounds[1])
            if not (self._is_grid_row(row, bounds) or lone):
                break
            run.append(index)
        while run and not self._is_grid_row(self.rows[run[-1]], bounds):
            run.pop()
        return run

    def _short_run(self, order: range, bounds: Bounds) -> list[int]:
        """Up to two short lines (a heading, a date) from `order`."""
        run = []
        for index in list(order)[:2]:
            row = self.rows[index]
            if len(row.words) > GRID_CELL_WORDS or self._has_prose(row, bounds):
                break
            run.append(index)
        return run

    def _is_separate_grid(self, grid: list[int], start: int, end: int,
                          bounds: Bounds) -> bool:
        """Several grid rows, or cells that do not start where the columns start: a single
        row of short cells at the columns' left edges is more likely two column headings."""
        if len(grid) >= 2:
            return True
        edges = []
        for column in range(len(bounds) - 1):
            starts = [cell[0].x0 for row in self.rows[start:end + 1]
                      if (cell := self._cell(row, bounds, column))]
            edges.append(min(starts, default=math.inf))
        for column in range(len(bounds) - 1):
            cell = self._cell(self.rows[grid[0]], bounds, column)
            if cell and (len(self._segments(cell)) > 1
                         or cell[0].x0 - edges[column] > 2 * self.char):
                return True
        return False

    def _cells(self, row: _Row, bounds: Bounds) -> list[tuple[int, int, float]]:
        """(words, separate cells, words' share of the column width) per non-empty cell."""
        stats = []
        for column in range(len(bounds) - 1):
            cell = self._cell(row, bounds, column)
            if cell:
                low = max(bounds[column], self.left)
                high = min(bounds[column + 1], self.right)
                width = max(high - low, 1.0)
                stats.append((len(cell), len(self._row_cells(cell)),
                              (cell[-1].x1 - cell[0].x0) / width))
        return stats

    @staticmethod
    def _prose_cell(words: int, segments: int, fill: float) -> bool:
        """A line of running text: one cell, long, filling much of its column."""
        return segments == 1 and ((words >= 5 and fill >= 0.5) or (words >= 3 and fill >= 0.75))

    def _has_prose(self, row: _Row, bounds: Bounds) -> bool:
        return any(self._prose_cell(*cell) for cell in self._cells(row, bounds))

    def _is_grid_row(self, row: _Row, bounds: Bounds) -> bool:
        """Short cells side by side (names, titles); list items in columns are not."""
        cells = self._cells(row, bounds)
        if any(_MARKER.match(cell[0].text) or _SECTION.match(cell[0].text)
               for column in range(len(bounds) - 1)
               if (cell := self._cell(row, bounds, column))):
            return False
        return (sum(segments for _, segments, _ in cells) >= 2
                and not any(self._prose_cell(*cell) for cell in cells))

    def _column_edges(self, start: int, end: int, bounds: Bounds) -> list[float]:
        """Where most lines of each column start."""
        edges = []
        for column in range(len(bounds) - 1):
            starts = [round(cell[0].x0) for i in range(start, end + 1)
                      if (cell := self._cell(self.rows[i], bounds, column))]
            edges.append(max(set(starts), key=starts.count) if starts else math.inf)
        return edges

    def _crosses_columns(self, index: int, bounds: Bounds, edges: list[float]) -> bool:
        """A row of cells laid over the columns rather than in them: cells side by side
        within the first column while the others hold text too, or within any column
        with a cell that starts away from where its column's lines do (a small table
        inside one column starts at its edge)."""
        row = self.rows[index]
        cells = [(column, cell) for column in range(len(bounds) - 1)
                 if (cell := self._cell(row, bounds, column))]
        split = [column for column, cell in cells if len(self._row_cells(cell)) > 1]
        if not split:
            return False
        if split[0] == 0 and len(cells) > 1:
            return True
        return any(column > 0 and abs(cell[0].x0 - edges[column]) > 3 * self.char
                   for column, cell in cells)

    def _is_running_text(self, start: int, end: int, bounds: Bounds) -> bool:
        """Whether every column holds running text (long lines), not short grid cells."""
        for column in range(len(bounds) - 1):
            column_bounds = [bounds[column], bounds[column + 1]]
            cells = [cell for i in range(start, end + 1)
                     for cell in self._cells(self.rows[i], column_bounds)]
            prose = sum(self._prose_cell(*cell) for cell in cells)
            if prose < 2 or prose < 0.15 * len(cells):
                return False
        return True

    def _width_likeness(self, start: int, end: int, bounds: Bounds) -> float:
        """Narrowest column's width over the widest's: a page's text columns are of one
        width, a narrow label column makes a grid or a table."""
        widths = []
        for column in range(len(bounds) - 1):
            found = [cell for i in range(start, end + 1)
                     if (cell := self._cell(self.rows[i], bounds, column))]
            if not found:
                return 0.0
            widths.append(max(cell[-1].x1 for cell in found) - min(cell[0].x0 for cell in found))
        return min(widths) / max(max(widths), 1.0)

    def _breaks(self, start: int, end: int, bounds: Bounds) -> tuple[int, int]:
        """(paragraph gaps across the whole width, paragraph gaps in one column where
        another column's text goes on). A table breaks all its columns together at each
        table row; columns of text break where their own paragraphs end."""
        breaks = {i for i in range(start + 1, end + 1)
                  if self._paragraph_gap(self.rows[i - 1], self.rows[i])}
        independent = 0
        for cells in self._column_flows(start, end, bounds):
            for (upper, _), (lower, _) in zip(cells, cells[1:], strict=False):
                # A cell centred in its table row starts below the row's break.
                across = any(upper < row <= lower for row in breaks)
                if not across and self._paragraph_gap(self.rows[upper], self.rows[lower]):
                    independent += 1
        return len(breaks), independent


def _rows(words: list[Word]) -> list[_Row]:
    """Group words into visual lines by their baseline, top to bottom."""
    rows: list[_Row] = []
    anchor: Word | None = None
    for word in sorted(words, key=lambda w: (w.base, w.x0)):
        if anchor is not None and abs(word.base - anchor.base) <= 0.4 * max(anchor.size,
                                                                           word.size):
            rows[-1].words.append(word)
        else:
            anchor = word
            rows.append(_Row([word], word.base))
    for row in rows:
        row.words.sort(key=lambda w: w.x0)
        row.base = statistics.median(word.base for word in row.words)
        row.size = statistics.median(word.size for word in row.words)
    return rows


def _shared_starts(rows: list[list[list[Word]]]) -> list[float]:
    """x where cells of rows of several cells start in two or more rows, sorted."""
    starts = sorted(segment[0].x0 for segments in rows if len(segments) > 1
                    for segment in segments)
    return [x for i, x in enumerate(starts)
            if (i > 0 and x - starts[i - 1] <= 1.0)
            or (i + 1 < len(starts) and starts[i + 1] - x <= 1.0)]


def _intersect(bands: list[tuple[float, float]],
               others: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = []
    for a0, a1 in bands:
        for b0, b1 in others:
            low, high = max(a0, b0), min(a1, b1)
            if high > low:
                out.append((low, high))
    return out
