"""Focus areas: the areas the parties prioritise, in document order, sub-areas included.

They are introduced by a heading or a sentence naming them (fokusområden,
samverkansområden, målområden, prioriterade problemområden, insatsområden …) and then
listed as bullets, numbered items, unmarked short lines (DOCX loses list markers) or
sub-headings each followed by a description. Lists introduced by goals ("Övergripande
mål") or information sources are not focus areas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from samverkan.reader import text as tx
from samverkan.reader.layout import Block
from samverkan.reader.sections import (
    appendix_start,
    ends_unmarked_items,
    ends_unmarked_list,
    heading_level,
    is_appendix_heading,
    is_stop_heading,
    line_items,
    list_items,
    norm_title,
    same_list,
)
from samverkan.reader.tables import is_table_header

_PREFIX = (r"(?:fokus|samverkans|mål|problem|insats|utvecklings|inriktnings|prioriterings|"
           r"tema|arbets|satsnings|delmåls?)")
FOCUS_WORD = re.compile(
    rf"\b{_PREFIX}område(?:n|na|t|ets|nas|des)?\b|\bprioriterade\s+(?:\w+\s+)?(?:områden|frågor|"
    r"problem|problemområden|insatser)\b|\bprioriteringar(?:na)?\b|\bfokusfrågor\b|"
    r"\bföljande\s+(?:\w+\s+)?områden\b|\bprioriterat\s+område\b|\bfokusera\s+på\s+följande\b",
    re.IGNORECASE)
_NOT_FOCUS = re.compile(
    r"\binformationskällor|\bkällor\b|\bunderlag\b|\baktörer\b|\bdeltagare\b|\bomfatta\s+följande|"
    r"\bstatistik\b|\bmätning",
    re.IGNORECASE)
_INLINE = re.compile(
    rf"\b(?:{_PREFIX}|prioritera[dt]\s+)område(?:t|na|n)?\s*(?:är|blir)?\s*:\s*"
    r"(?P<area>[^.:\n]{3,160}?)\s*(?:\.|$)",
    re.IGNORECASE)
_NUMBERED_AREA = re.compile(
    rf"^\s*{_PREFIX}område\s*(?:\d{{1,2}}|[A-Z])\s*[:.–—-]\s*(?P<area>.{{3,160}})$", re.IGNORECASE)
_LEAD_IN_VERB = re.compile(r"förbinder\s+sig|åtar\s+sig|åtar\b|åtagit\s+sig|åtaganden",
                           re.IGNORECASE)
MAX_AREA_WORDS = 30
# Headings and labels that stand where areas stand but name none: the commitments section,
# a section of the agreement, a party's signature label ("Åsele kommun").
_NOT_AN_AREA = re.compile(
    r"^(?:(?:parternas|gemensamma|våra)\s+)?åtaganden?$|^(?:\w+\s+)?medborgarlöften?a?$|"
    r"^[A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+)?s?\s+(?:kommun|stad)$|^polismyndigheten\b.{0,60}$|"
    r"^(?:bakgrund|syfte|inledning|uppföljning|giltighetstid|underskrifter|insatser|"
    r"aktiviteter|åtgärder|genomförande)$",
    re.IGNORECASE)


@dataclass
class AreaFinding:
    title: str
    block: int  # index of the block the title was read from
    sub_areas: list[AreaFinding] = field(default_factory=list)
    section_start: int | None = None  # block index of the area's own heading, if any
    section_end: int | None = None
    confidence: float = 0.9
    listed: bool = False  # read from a list item (its own block is no section heading)

    def walk(self) -> list[AreaFinding]:
        found = [self]
        for sub in self.sub_areas:
            found.extend(sub.walk())
        return found


def _is_intro(block: Block) -> bool:
    """A heading or sentence that announces a list of focus areas."""
    if _NOT_FOCUS.search(block.text) or _LEAD_IN_VERB.search(block.text):
        return False
    if block.heading_like or (block.kind == "para" and len(block.text.split()) <= 12):
        return bool(FOCUS_WORD.search(block.text))
    if block.text.endswith(":"):
        last = re.split(r"(?<=[.!?])\s+", block.text)[-1]
        return bool(FOCUS_WORD.search(last))
    return False


def _area_text(text: str) -> str | None:
    cleaned = tx.clean_item(text).rstrip(".")
    cleaned = re.sub(r"\s*\(?\bbilaga\s+\d+\)?$", "", cleaned, flags=re.IGNORECASE)
    # "Narkotika – arbetet ska inriktas på …": the area is the name before its description.
    named = re.match(r"^(?P<name>[^:–]{3,80}?)\s*(?::|\s–)\s+(?P<rest>.+)$", cleaned)
    if named and len(cleaned.split()) > 12 and len(named.group("name").split()) <= 8:
        cleaned = named.group("name")
    if not cleaned or len(cleaned.split()) > MAX_AREA_WORDS or cleaned.endswith(":"):
        return None
    if not any(ch.isalpha() for ch in cleaned) or _NOT_AN_AREA.match(cleaned):
        return None
    return tx.capitalise(cleaned)


def _nested_list(blocks: list[Block], start: int, end: int, strict: bool) -> list[tuple[int, int]]:
    """(position, depth) of a list that may hold one level of sub-items of another kind.

    "1. Barn och unga" over "a) Narkotika bland unga": the lettered items are sub-areas of
    the numbered one, and the numbered list goes on after them.
    """
    top = list_items(blocks, start, end, strict=strict, described=True)
    if not top:
        return []
    found = [(item, 1) for item in top]
    position = top[-1] + 1
    while position < end and blocks[position].kind == "bullet" and \
            tx.marker_class(blocks[position].marker) != tx.marker_class(blocks[start].marker):
        sub = list_items(blocks, position, end, strict=False, described=True)
        if not sub:
            break
        found.extend((item, 2) for item in sub)
        position = sub[-1] + 1
        if position >= end or not same_list(blocks[start], blocks[position], blocks[top[-1]]):
            break
        top = list_items(blocks, position, end, strict=False, described=True)
        found.extend((item, 1) for item in top)
        position = top[-1] + 1
    return found


def _item_title(block: Block) -> str:
    """An area item without the description run into it.

    "•• Unga i riskzon för kriminalitet och missbruk" over a description line ("Tidig
    upptäckt av … när oro uppstår.") comes out as one item in narrow columns and scans: the
    area ends where a line starts a sentence that the item ends with a full stop.
    """
    text = block.text
    if len(block.lines) < 2 or not tx.ends_sentence(text):
        return text
    for index in range(1, len(block.lines)):
        line, previous = block.lines[index].text.strip(), block.lines[index - 1].text.strip()
        if line[:1].isupper() and not previous.endswith((",", "-", "–")) and \
                tx.last_word(previous) not in tx.FUNCTION_WORDS and not tx.ends_sentence(previous):
            title = tx.join_lines([piece.text for piece in block.lines[:index]])
            _, title = tx.strip_marker(title)
            return title
    return text


def _list_after(blocks: list[Block], index: int, end: int) -> list[tuple[int, int]]:
    """(position, depth) of the list items that follow block `index` (bullets or unmarked
    lines); depth 2 for sub-items."""
    items: list[int] = []
    position = index + 1
    level = heading_level(blocks[index])
    following = heading_level(blocks[position]) if position < end else None
    if level is not None and following is not None and following > level:
        return []  # "4. Prioriterade områden" over "4.1 …" sub-headings, not a list
    nested = _nested_list(blocks, position, end, strict=not blocks[index].text.endswith(":"))
    if nested or not blocks[index].text.endswith(":"):
        return nested
    # Unmarked list (DOCX, or bullets lost in extraction): short lines up to a long paragraph.
    first = position
    while position < end and not ends_unmarked_list(blocks, position, end, 25) and \
            not ends_unmarked_items(blocks, position, first, headings=False):
        text = blocks[position].text
        if tx.ends_sentence(text) and (len(text.split()) > 12 or len(text.split()) >= 8 and
                                       not tx.ends_sentence(blocks[first].text)):
            break
        items.append(position)
        position += 1
    return [(item, 1) for item in items]


def _number(block: Block) -> tuple[int, ...] | None:
    """(4, 1) for a block numbered "4.1"; None without a section number."""
    if block.marker and block.marker[0].isdigit():
        return tuple(int(part) for part in block.marker.split(".") if part)
    return None


def _numbered_children(blocks: list[Block], index: int, end: int
                       ) -> list[tuple[int, int]] | None:
    """(position, depth) of the numbered sub-headings under a numbered focus heading.

    "4 Fokusområden" owns "4.1 …", "4.1.1 …" up to the next "5 …"; lists and unnumbered
    headings inside ("Mål", "Kommunen förbinder sig att:") are the areas' own content.
    None when the heading is not numbered.
    """
    own = _number(blocks[index])
    if own is None:
        return None
    found: list[tuple[int, int]] = []
    for position in range(index + 1, end):
        block = blocks[position]
        if is_appendix_heading(block) or block.kind == "columns":
            break
        number = _number(block)
        if number is None or block.kind != "bullet":
            continue
        is_section = block.heading_like or tx.marker_class(block.marker) == "multi"
        if number[:len(own)] == own and len(number) > len(own):
            if is_section and not block.text.endswith(":"):
                found.append((position, len(number) - len(own)))
        elif is_section and len(number) <= len(own) and number > own:
            break  # the next section at the same level or above
    return found


def _describes(block: Block) -> bool:
    """A paragraph that can describe the area above it: sentences, not another short line."""
    return block.kind == "para" and not block.heading_like and not block.text.endswith(":") \
        and (tx.ends_sentence(block.text) or len(block.text.split()) > 30)


def _is_lead_in(block: Block) -> bool:
    """"Kommunen förbinder sig att:" — an area's commitments start right under its heading."""
    return block.text.endswith(":") and bool(_LEAD_IN_VERB.search(block.text))


def _titleish(block: Block) -> bool:
    """A one-line paragraph that can name an area: capitalised, no final punctuation."""
    text = block.text
    return (block.kind == "para" and len(block.lines) == 1 and bool(text) and text[0].isupper()
            and not tx.ends_sentence(text) and not text.endswith((",", ";", ":"))
            and len(text.split()) <= MAX_AREA_WORDS
            and tx.last_word(text) not in tx.FUNCTION_WORDS)


def _subheadings_after(blocks: list[Block], index: int, end: int,
                       taken: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """(position, depth) of the headings under a focus heading, one per area.

    Numbered headings own their numbered sub-headings. Without numbers (DOCX text loses
    them) an area heading is a short line followed by its description; a run of short lines
    closing the section, outside any list of commitments, names areas without a description.
    """
    numbered = _numbered_children(blocks, index, end)
    if numbered:
        return numbered
    found: list[tuple[int, int]] = []
    level = heading_level(blocks[index])
    run: list[int] = []

    def close_run(items: list[int], before: int) -> None:
        """Short lines right after an area's commitments, up to the next area or the end of
        the section: its sub-areas without descriptions (målområden)."""
        if len(items) >= 2 and found and items[-1] == before - 1 and items[0] - 1 in taken \
                and not any(re.search(r"\b(?:ska|skall)\b", blocks[i].text) for i in items):
            found.extend((item, 2) for item in items)

    for position in range(index + 1, end):
        block = blocks[position]
        own_level = heading_level(block)
        if not found and _is_intro(block) and _list_after(blocks, position, end):
            return []  # the heading is followed by its own introducing sentence and list
        closes = (is_appendix_heading(block) or block.kind == "columns" or
                  (level is not None and own_level is not None and own_level <= level) or
                  (block.heading_like and (is_stop_heading(block) or _is_intro(block))))
        if closes:
            break
        if _titleish(block) and position not in taken:
            run.append(position)
        else:
            run = []
        following = blocks[position + 1] if position + 1 < end else None
        if not block.heading_like or block.text.endswith(":") or position in taken:
            continue
        if block.kind == "bullet" and own_level is None:
            continue
        previous = blocks[position - 1]
        # Right over "Kommunen förbinder sig att:" — unless it ends a list of goals ("Mål").
        over_lead_in = following is not None and _is_lead_in(following) and not (
            position - 1 not in taken and position - 1 != index and _titleish(previous)
            or re.search(r"\b(?:ska|skall)\b", block.text))
        if following is not None and (_describes(following) or over_lead_in):
            close_run(run[:-1], position)
            found.append((position, 1))
            run = []
    else:
        position = end
    close_run(run, position)
    return found


def _similar(a: str, b: str) -> bool:
    a, b = norm_title(a), norm_title(b)
    return a == b or fuzz.ratio(a, b, score_cutoff=90) >= 90


def _collect(blocks: list[Block], start: int, end: int,
             taken: frozenset[int] = frozenset()) -> list[AreaFinding]:
    areas: list[AreaFinding] = []

    def seen(title: str) -> bool:
        return any(_similar(title, other.title) for area in areas for other in area.walk())

    def add(title: str | None, index: int, parent: AreaFinding | None = None,
            confidence: float = 0.9, listed: bool = False) -> AreaFinding | None:
        if not title or seen(title):
            return None
        area = AreaFinding(title, index, confidence=confidence, listed=listed)
        (parent.sub_areas if parent else areas).append(area)
        return area

    consumed: set[int] = set()
    for index in range(start, end):
        if index in consumed:
            continue
        block = blocks[index]
        numbered = _NUMBERED_AREA.match(block.text) if block.heading_like else None
        if numbered:
            add(_area_text(numbered.group("area")), index)
            continue
        parent = None
        named = False  # "Prioriterat område: Narkotika" names one area; its list is goals
        for match in _INLINE.finditer(block.text):
            if _LEAD_IN_VERB.search(block.text[:match.start()][-80:]):
                continue
            parent = add(_area_text(match.group("area")), index) or parent
            named = named or match.end() >= len(block.text.rstrip())
        if named or not _is_intro(block):
            continue
        items = _list_after(blocks, index, end)
        if items:
            outer = parent if block.text.endswith(":") and parent is not None else None
            last_top: AreaFinding | None = None
            for item, depth in items:
                # An unmarked list a narrow column or a scan ran into one paragraph.
                titles = line_items(blocks[item]) if blocks[item].kind == "para" and \
                    not tx.ends_sentence(blocks[item].text) else [_item_title(blocks[item])]
                for title in titles:
                    area = add(_area_text(title), item,
                               last_top if depth == 2 and last_top is not None else outer,
                               listed=True)
                    if depth == 1:
                        last_top = area
            consumed.update(item for item, _ in items)
            continue
        if block.heading_like:
            parents: list[AreaFinding] = []  # the open area at each depth
            for item, depth in _subheadings_after(blocks, index, end, taken):
                del parents[depth - 1:]
                parent = parents[-1] if parents else None
                area = add(_area_text(blocks[item].text), item, parent, confidence=0.75)
                if area is None:  # read before (a list naming the areas): nest under it
                    area = next((a for top in areas for a in top.walk()
                                 if _similar(a.title, _area_text(blocks[item].text) or "")), None)
                if area is not None and len(parents) == depth - 1:
                    parents.append(area)
    return areas


def _attach_sections(blocks: list[Block], areas: list[AreaFinding], end: int) -> None:
    """Find each area's own heading (where its commitments are listed) and its extent."""
    flat = [area for top in areas for area in top.walk()]
    for area in flat:
        key = norm_title(area.title)
        own = blocks[area.block]
        if not area.listed and own.heading_like and \
                (own.kind == "para" or heading_level(own)) and norm_title(own.text) == key:
            area.section_start = area.block
            continue
        for position in range(area.block + 1, end):
            block = blocks[position]
            text = norm_title(block.text)
            heading = block.kind == "para" or (block.heading_like and heading_level(block))
            if heading and (text == key or text.startswith(key + " ")):
                area.section_start = position
                break
    starts = sorted(((a.section_start, a) for a in flat if a.section_start is not None),
                    key=lambda pair: pair[0])  # two areas may start at one block
    for number, (start, area) in enumerate(starts):
        stop = starts[number + 1][0] if number + 1 < len(starts) else end
        for position in range(start + 1, stop):
            block = blocks[position]
            if is_table_header(block.text):
                continue
            if is_appendix_heading(block) or block.kind == "columns" or (
                    is_stop_heading(block) and not _LEAD_IN_VERB.search(block.text)):
                stop = position
                break
        area.section_end = stop


_AREA_COLUMN = re.compile(
    rf"^(?:{_PREFIX}område|prioriterat\s+område|område)(?:n|t|na)?$", re.IGNORECASE)


def _table_areas(blocks: list[Block], start: int, end: int) -> list[AreaFinding]:
    """Areas named in the first column of a table headed "Område | Mål | Ansvarig"."""
    found: list[AreaFinding] = []
    anchor: int | None = None
    for index in range(start, end):
        for line in blocks[index].lines:
            cells = line.cells()
            if anchor is None:
                if len(cells) >= 2 and _AREA_COLUMN.match(cells[0][1]):
                    anchor = cells[0][0]
                continue
            if len(cells) < 2 and not found:
                continue
            if len(cells) < 2 and not (cells and abs(cells[0][0] - anchor) > 3):
                return found  # the table ended
            offset, first = cells[0]
            if abs(offset - anchor) > 3:
                continue  # a continuation line of another column
            if first[:1].islower() and found:
                found[-1].title = f"{found[-1].title} {first}"  # the first cell wrapped
                continue
            title = _area_text(first)
            if title:
                found.append(AreaFinding(title, index, confidence=0.7, listed=True))
    return found


# "Parterna ska särskilt prioritera narkotika, våld i offentlig miljö och trafiksäkerhet."
_PRIORITISE = re.compile(
    r"\b(?:prioritera[rs]?|prioriteras|fokusera[rs]?\s+på|satsa[rs]?\s+på)\s+"
    r"(?:(?:särskilt|följande)\s+(?:\w+\s+)?(?:områden|frågor)\s*:?\s*)?(?P<list>[^.:;]{5,200})\.",
    re.IGNORECASE)


def _listed_then_sections(blocks: list[Block], start: int, end: int,
                          taken: frozenset[int]) -> list[AreaFinding]:
    """A short list whose every item later heads a section of its own: the areas, however the
    sentence before the list words it ("tre saker som vi vill lägga extra kraft på:")."""
    def heads_a_later_section(item: int) -> bool:
        key = norm_title(tx.clean_item(blocks[item].text))
        return bool(key) and any(other.heading_like and norm_title(other.text) == key
                                 for other in blocks[item + 1:end])

    position = start
    while position < end:
        items = list_items(blocks, position, end) if position not in taken else []
        if len(items) >= 2 and all(heads_a_later_section(item) for item in items):
            return [AreaFinding(title, item, confidence=0.8, listed=True)
                    for item in items if (title := _area_text(blocks[item].text))]
        position += len(items) or 1
    return []


def _sentence_areas(blocks: list[Block], start: int, end: int) -> list[AreaFinding]:
    """Areas a sentence lists when nothing else names them (flagged: read from prose)."""
    for index in range(start, end):
        for match in _PRIORITISE.finditer(blocks[index].text):
            parts = [part.strip() for part in
                     re.split(r",\s*|\s+och\s+|\s+samt\s+", match.group("list")) if part.strip()]
            if 2 <= len(parts) <= 8 and all(len(part.split()) <= 6 for part in parts) and \
                    not any(re.search(r"\b(?:att|som|ska|är)\b", part) for part in parts):
                return [AreaFinding(tx.capitalise(part), index, confidence=0.55, listed=True)
                        for part in parts]
    return []


def find_focus_areas(blocks: list[Block], taken: frozenset[int] = frozenset()
                     ) -> tuple[list[AreaFinding], bool]:
    """Top-level areas (with sub-areas) and whether they were read from an appendix.

    `taken` are the blocks read as commitments: list items, never area headings.
    """
    main_end = appendix_start(blocks)
    areas = _collect(blocks, 0, main_end, taken) or _table_areas(blocks, 0, main_end) or \
        _listed_then_sections(blocks, 0, main_end, taken) or _sentence_areas(blocks, 0, main_end)
    from_appendix = False
    if not areas and main_end < len(blocks):
        areas = _collect(blocks, main_end, len(blocks), taken)
        from_appendix = bool(areas)
    _attach_sections(blocks, areas, len(blocks))
    return areas, from_appendix
