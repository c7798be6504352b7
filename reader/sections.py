"""Where the main text ends and appendices begin, and which headings close a section.

Focus areas are read from the agreement itself first; an appendix often repeats them with
its own internal lists (a municipal programme's "sex fokusområden") that are not the
agreement's, so appendix lists are used only when the main text has none.
"""

from __future__ import annotations

import re

from reader import text as tx
from reader.layout import Block

_APPENDIX = re.compile(r"^(?:Bilaga|BILAGA|Appendix)\s*(?:\d{1,2}|[A-Z])?\b\s*[:.–-]?")
# Section titles that end a run of focus-area headings: the agreement moves on to
# follow-up, organisation, period or signatures.
STOP_HEADING = re.compile(
    r"\b(?:uppföljning|utvärdering|giltighet|giltighetstid|avtalstid|avtalsperiod|"
    r"underskrift|undertecknande|samverkansformer|samverkansstruktur|organisation|struktur|"
    r"kommunikation|ekonomi|bakgrund|syfte|lägesbild|medborgarlöfte|revidering|uppsägning|"
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
    return block.heading_like and bool(STOP_HEADING.search(block.text))


def norm_title(text: str) -> str:
    return re.sub(r"[^\wåäö ]", "", tx.clean_item(text).lower()).strip()


def ends_unmarked_list(blocks: list[Block], position: int, end: int, max_words: int) -> bool:
    """Whether block `position` can no longer be an item of a list without markers.

    DOCX text and some PDFs lose bullet glyphs; items are then short paragraphs, and the
    list ends at a lead-in, a table, a long paragraph or a heading that introduces one.
    """
    block = blocks[position]
    words = len(block.text.split())
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
    if _TABLE_HEADER.search(following.text) and len(following.text.split()) <= 8:
        return True
    return following.kind == "para" and len(following.text.split()) > 30


_TABLE_HEADER = re.compile(r"^\s*aktivitet(?:er)?\b.*\b(?:åtgärd|ansvarig|uppföljning|mål)",
                           re.IGNORECASE)
