"""Where the main text ends and appendices begin, and which headings close a section.

Focus areas are read from the agreement itself first; an appendix often repeats them with
its own internal lists (a municipal programme's "sex fokusområden") that are not the
agreement's, so appendix lists are used only when the main text has none.
"""

from __future__ import annotations

import re

from samverkan.reader import text as tx
from samverkan.reader.layout import Block

_APPENDIX = re.compile(r"^(?:Bilaga|BILAGA|Appendix)\s*(?:\d{1,2}|[A-Z])?\b\s*[:.–-]?")
# Section titles that end a run of focus-area headings: the agreement moves on to
# follow-up, organisation, period or signatures.
STOP_HEADING = re.compile(
    r"\b(?:uppföljning|utvärdering|giltighet|giltighetstid|avtalstid|avtalsperiod|"
    r"underskrift|undertecknande|samverkansformer|samverkansstruktur|organisation|struktur|"
    r"kommunikation|ekonomi|bakgrund|syfte|lägesbild|medborgarlöften?a?|revidering|uppsägning|"
    r"tvist|forum|styrgrupp|kontaktpersoner|kontakt|ansvarsfördelning|inledning|parter|"
    r"övergripande|målsättning|tidsplan|genomförande|rapportering|ikraftträdande|"
    r"förutsättningar|definitioner|sekretess|informationsutbyte|resurser|finansiering)\b",
    re.IGNORECASE)


def is_appendix_heading(block: Block) -> bool:
    if block.kind not in ("para", "bullet") or len(block.text.split()) > 10:
        return False
    first = block.first.text
    table_of_contents = re.search(r"\.{4,}", first) or (
        len(first.split()) >= 3 and re.search(r"\s\d+$", first))
    return bool(_APPENDIX.match(first)) and not table_of_contents


def appendix_start(blocks: list[Block]) -> int:
    """Index of the first appendix heading, or len(blocks) when there is none."""
    for index, block in enumerate(blocks):
        if index > 3 and is_appendix_heading(block):
            return index
    return len(blocks)


def heading_level(block: Block) -> int | None:
    """1 for "3." headings, 2 for "3.1" and so on; None when unnumbered."""
    if block.marker and block.marker[0].isdigit():
        return block.marker.count(".") + 1
    return None


def is_stop_heading(block: Block) -> bool:
    """A heading that closes a run of areas; a bulleted item never does ("• Följa upp
    lägesbilden …" is an undertaking)."""
    return block.heading_like and tx.marker_class(block.marker) != "glyph" and \
        bool(STOP_HEADING.search(block.text))


def norm_title(text: str) -> str:
    return re.sub(r"[^\wåäö ]", "", tx.clean_item(text).lower()).strip()


def ends_unmarked_list(blocks: list[Block], position: int, end: int, max_words: int) -> bool:
    """Whether block `position` can no longer be an item of a list without markers.

    DOCX text and some PDFs lose bullet glyphs; items are then short paragraphs, and the
    list ends at a lead-in, a table, a long paragraph or a heading that introduces one.
    """
    block = blocks[position]
    # A scan runs unmarked items together into one paragraph: judge its longest line item.
    words = max((len(item.split()) for item in line_items(block)), default=0)
    if block.kind != "para" or block.text.endswith(":") or words > max_words:
        return True
    if words <= 5 and (is_stop_heading(block) or
                       re.search(r"åtagande|bilaga", block.text, re.IGNORECASE)):
        return True
    following = blocks[position + 1] if position + 1 < end else None
    if following is None:
        return False
    if following.kind == "columns":
        return True
    if _TABLE_HEADER.search(following.text) and len(following.text.split()) <= 8 and \
            len(line_items(block)) == 1:
        return True  # the table's title, not an item (a run-together paragraph may hold both)
    return following.kind == "para" and \
        max((len(item.split()) for item in line_items(following)), default=0) > 30


_TABLE_HEADER = re.compile(r"^\s*aktivitet(?:er)?\b.*\b(?:åtgärd|ansvarig|uppföljning|mål)",
                           re.IGNORECASE)


def same_list(first: Block, block: Block, previous: Block) -> bool:
    """Whether `block` continues the bullet list that `first` opened.

    Items of one list share their marker style: a glyph list ends at a numbered heading
    ("4.2 Skapa trygga offentliga miljöer" after "•" items), a numbered list at a number
    that does not follow on ("5 Organisation" after "1.", "2.").
    """
    if block.kind != "bullet":
        return False
    kind = tx.marker_class(block.marker)
    if kind != tx.marker_class(first.marker):
        return False
    if kind == "multi" and block.heading_like:
        return False
    if kind == "number" and previous.marker and previous.marker.isdigit() and \
            block.marker and block.marker.isdigit():
        return int(block.marker) == int(previous.marker) + 1 and \
            _number_style(block) == _number_style(first)
    return True


def _number_style(block: Block) -> str:
    """What follows the number: "." or ")" in lists, a space in "5 Organisation" headings."""
    found = re.match(r"\s*\(?\d{1,2}(\S?)", block.first.text)
    return found.group(1) if found else ""


def is_prose(block: Block) -> bool:
    """A descriptive paragraph: whole sentences, more than a list item's length."""
    return block.kind == "para" and tx.ends_sentence(block.text) and \
        len(block.text.split()) >= 12 and not block.heading_like


def starts_list(block: Block, strict: bool = True) -> bool:
    """A bullet that can open a list: a glyph, or the first number or letter ("1", "a").

    After a lead-in ending in ':' (`strict` False) any number will do (Word continues the
    numbering from the list before); a numbered section heading never opens a list.
    """
    if block.kind != "bullet":
        return False
    kind = tx.marker_class(block.marker)
    marker = block.marker or ""
    if kind == "multi" and block.heading_like:
        return False
    if not strict:
        return True
    if kind == "number":
        return marker in ("1", "0")
    if kind == "letter":
        return marker == "a"
    if kind == "multi":
        return marker.endswith(".1")
    return True


def list_items(blocks: list[Block], start: int, end: int, strict: bool = True,
               described: bool = False) -> list[int]:
    """Indices of the bullet list that begins at `start` (empty when none begins there).

    With `described`, each item may be followed by one paragraph that describes it ("•• Unga
    i riskzon" over a sentence about the area): the list goes on at the next item of the same
    kind, and the descriptions are not items.
    """
    if start >= end or not starts_list(blocks[start], strict):
        return []
    items = [start]
    position = start + 1
    while position < end:
        if same_list(blocks[start], blocks[position], blocks[items[-1]]):
            items.append(position)
            position += 1
        elif described and position + 1 < end and is_prose(blocks[position]) and \
                not blocks[position].heading_like and \
                same_list(blocks[start], blocks[position + 1], blocks[items[-1]]):
            position += 1
        elif _lost_marker(blocks[position]) and position + 1 < end and \
                same_list(blocks[start], blocks[position + 1], blocks[items[-1]]):
            items.append(position)  # a scan lost this item's bullet, not its neighbours'
            position += 1
        else:
            break
    return items


def _lost_marker(block: Block) -> bool:
    """A short capitalised line between two items of a list: an item whose marker OCR lost."""
    text = block.text
    return block.kind == "para" and bool(text) and text[0].isupper() and \
        not text.endswith((":", ".")) and len(text.split()) <= 30 and \
        not _LIST_HEADING.search(text)


# Words of a line that heads the next list rather than being an item ("Polisens åtaganden").
_LIST_HEADING = re.compile(r"åtagande|förbinder\s+sig|åtar\b|åtagit|områden\b", re.IGNORECASE)


def ends_unmarked_items(blocks: list[Block], position: int, first: int,
                        headings: bool = True) -> bool:
    """Whether an unmarked line can no longer be an item of the list that began at `first`.

    Without markers (DOCX text) the items of one list still look alike: they start with the
    same case, and (with `headings`, for lists of undertakings) a short heading-like line
    followed by a descriptive paragraph is the next section's heading, not an item.
    """
    block = blocks[position]
    if position > first and tx.starts_lower(blocks[first].text) and \
            not tx.starts_lower(block.text):
        return True
    if not headings:
        return False
    following = blocks[position + 1] if position + 1 < len(blocks) else None
    return block.heading_like and following is not None and is_prose(following)


def line_items(block: Block) -> list[str]:
    """The items of a list whose lines extraction ran together into one paragraph.

    After a lead-in ("Polisen åtar sig att:") each item starts on a line of its own, with a
    capital letter; a scan or a DOCX without markers loses only the bullet. A line continues
    the item above when that one ends in a comma, a hyphen or a function word ("genom",
    "och"), or when it starts in lower case.
    """
    items: list[list[str]] = []
    for line in block.lines:
        text = line.text.strip()
        if not text:
            continue
        previous = items[-1][-1] if items else ""
        starts_item = not items or (
            text[:1].isupper() and not previous.endswith((",", "-", "–", "(", "/", "&"))
            and tx.last_word(previous).strip(".,;:") not in tx.FUNCTION_WORDS)
        if starts_item:
            items.append([text])
        else:
            items[-1].append(text)
    return [tx.join_lines(parts) for parts in items]
