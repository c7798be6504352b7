"""The running text of an agreement: its sections, read into the fields that carry them.

Besides parties, period, focus areas and commitments an agreement has sections of prose:
Bakgrund, Syfte och mål, the forums of the samverkan, Uppföljning, sections of its own
("Kommunikation", "Sekretess och informationsutbyte") and a description under each focus
area. A next period's draft keeps only what is read, so every titled section of the main
text is read here: headings are found among the layout blocks (numbered "3. Bakgrund",
unnumbered, ALL CAPS, "Bakgrund:"), named by what they are about, and each section becomes
text in the convention of docgen.context.text_blocks: paragraphs separated by a blank line,
list items as lines starting with "- ".

Not read as sections: the title block, the parties, the period and its clauses (the period
fields carry them), the focus areas and the commitments (their own fields), signatures,
page furniture and appendices. Pure functions of the document and what the other
recognisers found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from samverkan.reader import text as tx
from samverkan.reader.focus import FOCUS_WORD, AreaFinding
from samverkan.reader.layout import Block, Document, is_dash_line
from samverkan.reader.sections import appendix_start, is_appendix_heading
from samverkan.reader.tables import is_table_header

# --- what a heading is about ----------------------------------------------------------------

_ROLE_WORDS: dict[str, re.Pattern[str]] = {
    "background": re.compile(
        r"\bbakgrund|\binledning|lägesbild|\bnuläge|utgångspunkt|problembild|"
        r"problembeskrivning|\bomvärld", re.IGNORECASE),
    "purpose": re.compile(
        r"\bsyfte|\bmålsättning|^(?:(?:de\s+)?(?:övergripande|gemensamma|långsiktiga)\s+)?mål(?:en)?\b|"
        r"\bvision\b|\binriktning\b|\bändamål", re.IGNORECASE),
    "follow_up": re.compile(r"uppföljning|utvärdering|återrapport|\brapportering|\bredovisning",
                            re.IGNORECASE),
    "forums": re.compile(
        r"\borganisation\b|organisering|samverkansform|samverkansstruktur|struktur\s+för\s+"
        r"samverkan|\bforum|styrgrupp|samverkansorgan|håller\s+vi\s+ihop|ledning\s+och\s+styrning|"
        r"arbetsformer|former\s+för\s+samverkan|samverkansnivåer", re.IGNORECASE),
    "period": re.compile(
        r"giltighet|avtalstid|avtalsperiod|löptid|ikraftträdande|hur\s+länge\s+gäller|"
        r"^tidsperiod$|^period$|överenskommelsens\s+(?:period|tid)\b", re.IGNORECASE),
    "extension": re.compile(r"förlängning|revidering|omförhandling", re.IGNORECASE),
    "termination": re.compile(r"uppsägning|upphörande", re.IGNORECASE),
    "commitments": re.compile(r"åtagande|ansvarsfördelning|parternas\s+ansvar", re.IGNORECASE),
    "focus": FOCUS_WORD,
    "signatures": re.compile(r"^(?:underskrift|undertecknande|signatur|vi\s+står\s+bakom)",
                             re.IGNORECASE),
}
_PARTIES = re.compile(r"^(?:avtals)?parter(?:na)?\b", re.IGNORECASE)
# Roles whose content another field carries: their sections are not kept as text.
_SKIPPED = frozenset({"parties", "commitments", "focus", "signatures"})
# Roles of the agreement's own sections (not a forum's or an area's name).
_SECTION_ROLES = frozenset({"background", "purpose", "follow_up", "period", "extension",
                            "termination", "signatures", "parties"})
# Sections that end the focus areas' text wherever they stand (an area's own "Mål" or
# "Bakgrund" does not).
_BREAKS_OUT = frozenset({"forums", "follow_up", "period", "extension", "termination",
                         "signatures"})
# Headings that are page furniture or a party's name, never a section: "Mora kommun",
# "Polismyndigheten", "Dnr KS 2020/1792", a running title.
_NOT_A_HEADING = re.compile(
    r"^(?:[A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+)?s?\s+(?:kommun|stad)|polismyndigheten\b.{0,60}|"
    r"(?:lokal)?polisområde\s+\S+(?:\s+\S+)?|polisen|kommunledningskontoret|"
    r"(?:dnr|diarienummer|diarienr|ärendenr)\b.*|sida\s+\d+.*|\d+\s*\(\d+\)|"
    r"(?:bilaga|sidan)\s+\d+.*|.*\b(?:19|20)\d\d-\d\d-\d\d\b.*|"
    r".*\b\d{1,2}\s+(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|"
    r"november|december)\s+(?:19|20)\d\d\b.*|"
    r".*\b(?:kommun|kommuner|stad)\b.*\b(?:och|samt)\b.*\b(?:polis\w*|lpo)\b.*|"
    r".*\bpolis\w*\b.*\b(?:och|samt)\b.*\b(?:kommun|kommuner|stad)\b.*|"
    r"(?:[A-ZÅÄÖ][\wåäö-]+s?\s+(?:kommun|stad)|polismyndigheten|polisen)\s*,.*)$",
    re.IGNORECASE)
# "Giltighetstid: 2022–2024", "Referens: SV-…": a label with its value, not a heading.
_LABEL_LINE = re.compile(r"^[A-ZÅÄÖ][\wåäö-]+:\s+\S")
_COPIES = re.compile(r"upprättats\s+i\s+\S+\s+(?:likalydande\s+|lika\s+lydande\s+)?(?:original|"
                     r"exemplar)", re.IGNORECASE)
_REFERENCE = re.compile(r"^(?:Referens|Reference)\s*:|QR-koden", re.IGNORECASE)
# The signature page's own sentences wherever OCR or a layout leaves them: the tail of the
# copies sentence broken over lines ("… två likalydande exemplar, varav" / "parterna tagit
# var sitt."), the labels under the signature lines ("Ort och datum", "Namnförtydligande").
_COPIES_TAIL = re.compile(
    r"^(?:varav\s+|av\s+vilka\s+)?(?:parterna|var(?:je)?\s+part(?:en)?|vardera\s+parten?)\s+"
    r"(?:har\s+)?(?:tagit|erhållit|erhåller|fått|får|behåller|tar)\s+(?:var\s+sitt|"
    r"ett\s+(?:var|vardera|exemplar)|vardera\s+ett)\b", re.IGNORECASE)
_SIGNATURE_LABELS = re.compile(
    r"^(?:(?:ort\s+och\s+datum|datum\s+och\s+ort|namnförtydligande|namnteckning|"
    r"underskrift(?:er)?|befattning|titel)\s*:?\s*)+$", re.IGNORECASE)
_LEAD_IN_VERB = re.compile(r"förbinder\s+sig|åtar\s+sig|åtar\b|åtagit\s+sig|förpliktar\s+sig",
                           re.IGNORECASE)
# Names of forums: "Styrgrupp", "Brottsförebyggande råd", "EST-grupper", "Operativ samverkan".
_FORUM_NAME = re.compile(
    r"grupp|råd(?:et|en)?\b|forum|styr|ledning|nätverk|\bEST\b|\bBRÅ\b|SSPF|möte|samverkan\b|"
    r"samordning|kommitté|beredning|delegation|team\b|nivå", re.IGNORECASE)
_MEMBERS = re.compile(r"^(?:deltagare|ledamöter|sammansättning|medlemmar|består\s+av|"
                      r"representanter)\s*:\s*(?P<value>.+)$", re.IGNORECASE)
_MEETS = re.compile(r"^(?:möten|mötesfrekvens|träffas|sammanträder|mötestider|"
                    r"sammanträden)\s*:\s*(?P<value>.+)$", re.IGNORECASE)
# A label OCR misread by a letter or two ("Deltägare:", "Mäten:") is still the label.
_LABEL = re.compile(r"^(?P<label>[^\W\d_]{4,}(?:\s+av)?)\s*:\s*(?P<value>.+)$")
_LABEL_WORDS = {"members": ("deltagare", "ledamöter", "sammansättning", "medlemmar",
                            "representanter", "består av"),
                "meets": ("möten", "mötesfrekvens", "träffas", "sammanträder", "mötestider",
                          "sammanträden")}
# "Styrgrupp: kommundirektörerna …" or "Styrgrupp – …": a forum named in a list item.
_NAMED_ITEM = re.compile(r"^(?P<name>[A-ZÅÄÖ][^:–—]{1,60}?)\s*(?::|\s[–—-])\s+(?P<rest>\S.*)$")
# Goals under a focus area: "Mål", "Mål:", "Delmål", "Effektmål för området".
_GOAL_LABEL = re.compile(
    r"^(?:(?:över)?gripande\s+|långsiktiga?\s+|effekt|del|resultat)?mål(?:en|sättning(?:ar)?|"
    r"sättningen)?(?:\s+för\s+[\wåäö ]{1,40})?\s*:?$", re.IGNORECASE)
_INLINE_GOAL = re.compile(r"^(?:del|effekt)?mål\s*:\s*(?P<goal>\S.+)$", re.IGNORECASE)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ\"”])")
_EXTENDS = re.compile(r"förläng|revider|omförhandl|ses\s+över|ändring|ändras|\bändra\b",
                      re.IGNORECASE)
# What a period section says about the agreement's end and the next one.
_RENEWAL = re.compile(r"\b(?:ny|nya|nästa|kommande|tidigare|föregående)\s+(?:samverkans)?"
                      r"överenskommelse|\butvärdering\s+av\s+(?:samverkans)?överenskommelsen|"
                      r"\bersätter\b.*överenskommelse", re.IGNORECASE)
# The sentence stating the period (the period fields carry it).
_VALIDITY = re.compile(
    r"\b(?:gäller|gälla|löper|giltig\w*|träder\s+i\s+kraft|avser\s+(?:tids)?perioden|"
    r"avtalstid\w*|avtalsperiod\w*)\b.*(?:\b(?:19|20)\d\d\b|tills\s+vidare|underteck|"
    r"underskrift|\bår\b)", re.IGNORECASE)
_TERMINATES = re.compile(r"uppsäg|säga\s+upp|sägas\s+upp|upphör", re.IGNORECASE)
_UNMARKED_ITEM_WORDS = 25
# The title of a table's first column on a line of its own (a scan sets each cell apart).
_TABLE_COLUMN = re.compile(r"^(?:aktivitet(?:er)?|åtgärd(?:er)?)$", re.IGNORECASE)
# Marks OCR reads from a speck before a line (a bullet's glyph it reads mostly as "e").
_SPECK_MARKS = frozenset("'‘’\"“”„|¦»«")
_TITLE_WORD = re.compile(r"överenskommelse|avtal|medborgarlöfte", re.IGNORECASE)


def _labelled(text: str, what: str) -> str | None:
    """The value of a forum's "Deltagare: …" ("members") or "Möten: …" ("meets") line."""
    exact = (_MEMBERS if what == "members" else _MEETS).match(text)
    if exact:
        return exact.group("value").strip()
    found = _LABEL.match(text)
    if not found:
        return None
    label = found.group("label").lower()
    for word in _LABEL_WORDS[what]:  # a letter or two misread, none lost or added
        if len(label) == len(word) and sum(a != b for a, b in zip(label, word, strict=True)) \
                <= (1 if len(word) < 8 else 2):
            return found.group("value").strip()
    return None


@dataclass
class Heading:
    block: int
    text: str  # as the section should be titled: no number, no trailing ":", not ALL CAPS
    role: str
    number: tuple[int, ...] | None
    children: list[Heading] = field(default_factory=list)
    end: int = 0  # first block after the heading's own content (before any child)


@dataclass
class ForumFinding:
    name: str
    block: int
    members: str | None = None
    meets: str | None = None
    description: str | None = None


@dataclass
class SectionFinding:
    heading: str
    block: int
    text: str
    role: str = "other"


@dataclass
class ProseFinding:
    background: str | None = None
    purpose: str | None = None
    follow_up: str | None = None
    forums: list[ForumFinding] = field(default_factory=list)
    sections: list[SectionFinding] = field(default_factory=list)
    extension: str | None = None
    termination: str | None = None
    # id(AreaFinding) -> its description / its goals
    descriptions: dict[int, str] = field(default_factory=dict)
    goals: dict[int, list[str]] = field(default_factory=dict)


# --- headings --------------------------------------------------------------------------------

def heading_role(text: str) -> str:
    """What a section heading is about: the role whose word comes first in it, else "other"."""
    return _role_at(text)[0]


def _role_at(text: str) -> tuple[str, int]:
    """The role of a heading and where its word stands in it (0: the heading opens with it)."""
    best: tuple[int, str] | None = None
    for role, pattern in _ROLE_WORDS.items():
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), role)
    if best is not None:
        return best[1], best[0]
    return ("parties", 0) if _PARTIES.match(text) else ("other", 0)


def heading_text(text: str, *, scanned: bool = False) -> str:
    """"3. BAKGRUND:" -> "Bakgrund": the heading as a section title (without the marks OCR
    leaves in one: "'Organisation. och samverkansforum" -> "Organisation och …")."""
    cleaned = tx.repair_heading(tx.clean_item(text), scanned=scanned)
    cleaned = re.sub(r"\s*(?:[:\-–—]+)\s*$", "", cleaned).strip()
    letters = [ch for ch in cleaned if ch.isalpha()]
    if len(letters) >= 3 and all(ch.isupper() for ch in letters):
        cleaned = cleaned[:1] + cleaned[1:].lower()
    return cleaned


def _number(block: Block) -> tuple[int, ...] | None:
    if block.marker and block.marker[0].isdigit():
        return tuple(int(part) for part in block.marker.split(".") if part.isdigit())
    return None


def list_items_without_markers(blocks: list[Block], end: int) -> set[int]:
    """Short lines after a line ending in ":" that are items of its list, not headings.

    "Halvtidsuppföljningen ska omfatta följande:" over "Hur samverkansformerna upplevs
    fungera" (a list whose markers were lost): the list goes on over short lines and ends
    at a long paragraph, a heading of a known section, or a short line over long prose.
    """
    items: set[int] = set()
    listing = False
    marked = False  # the list has markers: a paragraph after its items ends it
    for index in range(end):
        block = blocks[index]
        text = block.text
        if listing and block.kind == "bullet" and tx.marker_class(block.marker) != "multi":
            marked = True
            continue  # marked items go on ("3 Uppföljning" is judged as a heading later)
        if listing and not marked and block.kind == "para" and not text.endswith(":") and \
                len(text.split()) <= _UNMARKED_ITEM_WORDS:
            following = blocks[index + 1] if index + 1 < end else None
            over_prose = following is not None and following.kind == "para" and \
                len(following.text.split()) > _UNMARKED_ITEM_WORDS
            role, at = _role_at(text)
            named = role != "other" and (at == 0 or following is None or
                                         not following.heading_like)
            if not (block.heading_like and (named or over_prose)):
                items.add(index)
                continue
        listing = text.endswith(":") and block.kind != "columns" and \
            not _is_heading_colon(blocks, index)
        marked = False
        if listing and index + 1 < end and blocks[index + 1].kind == "bullet" and \
                tx.marker_class(blocks[index + 1].marker) == "number":
            items.add(index + 1)  # "följande områden:" over "1. …"
    return items


def table_rows(blocks: list[Block], end: int) -> dict[int, int]:
    """The rows of tables, each block mapped to the first block of its row.

    A table starts at a row of three or more columns, or at two rows of columns (a
    letterhead line "Kommun    Dnr …" is no table). Extraction keeps a row's cells apart
    (a row of columns), runs them together into one line ("Narkotika Tillgången till
    narkotika ska minska LPO", no blank line between rows) or sets each cell on lines of its
    own (a blank line before each row, its first cell a short title).
    """
    rows: dict[int, int] = {}
    index = 0
    while index < end:
        block = blocks[index]
        if block.kind != "columns" or not (len(block.first.cells()) >= 3 or index + 1 < end
                                           and blocks[index + 1].kind == "columns"):
            index += 1
            continue
        width = max(len(block.first.cells()), 2)
        position = index + 1
        split = position < end and blocks[position].gap_before and \
            blocks[position].kind == "para"
        while position < end:
            first = blocks[position]
            if first.kind == "columns":
                rows[position] = position
                position += 1
                continue
            text = first.text
            if first.kind != "para" or text.endswith(":") or len(text.split()) > 40:
                break
            if not split:
                if first.gap_before or tx.ends_sentence(text):
                    break
                rows[position] = position
                position += 1
                continue
            group = [position]
            while position + len(group) < end and len(group) < width:
                cell = blocks[position + len(group)]
                if cell.gap_before or cell.kind not in ("para", "columns") or \
                        len(cell.text.split()) > 40:
                    break
                group.append(position + len(group))
            if len(group) < 2 or len(text.split()) > 12 or tx.ends_sentence(text) or \
                    heading_role(text) in _SECTION_ROLES:
                break  # "Uppföljning" over its text: the next section
            rows.update({cell: position for cell in group})
            position += len(group)
        index = position
    return rows


def _candidate(blocks: list[Block], index: int, scanned: bool = False) -> str | None:
    """The heading text when block `index` can head a section, else None."""
    block = blocks[index]
    if block.kind not in ("para", "bullet"):
        return None
    kind = tx.marker_class(block.marker)
    if block.kind == "bullet" and kind not in ("number", "multi") and \
            not (scanned and _speck_before_heading(blocks, index)):
        return None  # glyph and letter items are list items
    text = tx.repair_heading(block.text.strip())
    if not text or not text[0].isupper() and not text[0].isdigit():
        return None
    if block.kind == "bullet" and kind == "number" and _in_numbered_run(blocks, index):
        return None
    words = text.split()
    if len(words) > (16 if kind == "multi" else 12) or \
            text.endswith(("-", "–", "—")) and len(words) > 6:
        return None  # "Den långsiktiga målsättningen … är att –": a sentence broken off
    if block.heading_like:
        pass
    elif len(block.lines) == 1 and len(words) <= 10 and text.endswith("?"):
        pass  # "Hur länge gäller överenskommelsen?"
    elif _is_heading_colon(blocks, index):
        pass
    else:
        return None
    if _LABEL_LINE.match(text) or _NOT_A_HEADING.match(text) or is_dash_line(text) or \
            is_table_header(text) or \
            not re.search(r"[^\W\d_]{3}", text):
        return None  # "2021–2023", "A418.552/2023": a reference, not a title
    return heading_text(text, scanned=scanned)


def _speck_before_heading(blocks: list[Block], index: int) -> bool:
    """A scan's heading with a speck OCR read as a bullet before it ("' Uppföljning",
    "» Kommunikation", "e Bakgrund"): one short item standing alone over prose, not an item
    of a list. A mark that is no bullet glyph's ("'", "»", "|") may head any section, a
    bullet's ("e", "-") only a section the agreement has by name."""
    block = blocks[index]
    if not block.heading_like or len(block.text.split()) > 6:
        return False
    role, at = _role_at(tx.repair_heading(block.text))
    speck = block.first.text.lstrip()[:1] in _SPECK_MARKS
    if not speck and (at != 0 or role not in _SECTION_ROLES | {"forums"}):
        return False
    before = blocks[index - 1] if index else None
    after = blocks[index + 1] if index + 1 < len(blocks) else None
    if before is not None and (before.kind == "bullet" or before.text.endswith(":")):
        return False  # an item of the list above
    if after is not None and after.kind == "bullet" and tx.marker_class(after.marker) not in (
            "number", "multi"):
        return False  # the first item of a list
    return after is None or after.kind == "para" and not after.heading_like or \
        role == "signatures"


def _is_heading_colon(blocks: list[Block], index: int) -> bool:
    """"Bakgrund:" or "UPPFÖLJNING:" on a line of its own over its text: a heading that ends
    with a colon ("Styrgruppen består av:" over a list introduces the list)."""
    block = blocks[index]
    text = block.text.strip()
    if block.kind != "para" or len(block.lines) != 1 or not text.endswith(":"):
        return False
    if index + 1 < len(blocks) and blocks[index + 1].kind != "para":
        return False
    words = text.rstrip(":").split()
    if not 1 <= len(words) <= 5 or _LEAD_IN_VERB.search(text):
        return False
    role, at = _role_at(text.rstrip(":"))
    return at == 0 and role not in ("other", "focus", "commitments")


def _in_numbered_run(blocks: list[Block], index: int) -> bool:
    """A numbered item of a list: the item before or after it in the same run of list items
    ("1." … "a)" … "2.") has the number next to it, written the same way."""
    number = _number(blocks[index])
    if number is None or len(number) != 1:
        return False
    style = _number_style(blocks[index])
    for step in (-1, 1):
        other = index + step
        while 0 <= other < len(blocks) and blocks[other].kind == "bullet":
            theirs = _number(blocks[other])
            if theirs is not None and len(theirs) == 1 and tx.marker_class(
                    blocks[other].marker) == "number":
                if theirs[0] == number[0] + step and _number_style(blocks[other]) == style:
                    return True
                break
            other += step
    return False


def _number_style(block: Block) -> str:
    """What follows the number: "." or ")" in lists, a space in "5 Organisation" headings."""
    found = re.match(r"\s*\(?\d{1,2}(\S?)", block.first.text)
    return found.group(1) if found else ""


def _is_child(parent: Heading, heading: Heading, numbered_doc: bool) -> bool:
    """Whether `heading` belongs to the section `parent` opened (a sub-section)."""
    if parent.role == "period" and heading.role in ("extension", "termination", "other"):
        return True
    if heading.role in ("signatures",):
        return False
    if parent.number is not None and heading.number is not None:  # "4.3" is under "4"
        return heading.number[:len(parent.number)] == parent.number and \
            len(heading.number) > len(parent.number)
    own_role = heading.role not in ("other", parent.role)
    if parent.number is not None and heading.number is None and numbered_doc:
        return not own_role
    if parent.role == "forums" and heading.role in ("other", "forums"):
        return bool(_FORUM_NAME.search(heading.text))
    return False


# --- text of a section -------------------------------------------------------------------------

@dataclass
class _Context:
    doc: Document
    taken: frozenset[int]
    skip: set[int]  # blocks that belong to other fields (focus areas, the validity clause …)
    rows: dict[int, int] = field(default_factory=dict)  # table row block -> its row's first
    # commitment block -> spans of its commitments in the block's text (a paragraph that
    # undertakes something in one sentence may say more in the others)
    spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)


def _is_lead_in(blocks: list[Block], index: int, taken: frozenset[int]) -> bool:
    block = blocks[index]
    return block.text.endswith(":") and (index + 1 in taken or bool(_LEAD_IN_VERB.search(
        block.text)))


def _clean(text: str) -> str:
    """A paragraph without the sentences other fields carry (copies, the reference) and
    without the signature page's labels."""
    if _REFERENCE.search(text) or _SIGNATURE_LABELS.match(text.strip()):
        return ""
    if _COPIES.search(text) or _COPIES_TAIL.search(text):
        kept = [s for s in _SENTENCE_SPLIT.split(text)
                if not _COPIES.search(s) and not _COPIES_TAIL.match(s.strip())]
        text = " ".join(kept)
    return text.strip()


def _signature_page(block: Block) -> bool:
    """A block of the signature page: the copies sentence (or its tail), the reference by
    the QR code, the labels under the signature lines, a heading "Underskrifter" that OCR
    set beside a speck ("Underskrifter   OO" read as a row of columns)."""
    text = block.text.strip()
    if _COPIES.search(text) or _COPIES_TAIL.match(text) or _REFERENCE.search(text) or \
            _SIGNATURE_LABELS.match(text):
        return True
    if block.kind == "columns":
        cells = [cell for _, cell in block.first.cells()]
        return bool(cells) and (heading_role(cells[0]) == "signatures" or
                                all(_SIGNATURE_LABELS.match(cell) for cell in cells))
    return False


def _footnote(doc: Document, text: str) -> bool:
    """"1 Med ”Utsatt område” menas …" under a page whose text marks it ("områden1,")."""
    number = re.match(r"(\d{1,2})\s+[A-ZÅÄÖ”\"]", text)
    return number is not None and re.search(rf"[a-zåäö]{{2}}{number.group(1)}(?=[\s,.;:)])",
                                            doc.stream) is not None


def _beside_commitments(text: str, spans: list[tuple[int, int]]) -> str:
    """The sentences of a paragraph that are not its commitments ("Kommunen och polisen åtar
    sig att … (se bilaga 4). Åtgärdsplanen innehåller …": the second sentence)."""
    kept = []
    position = 0
    for sentence in _SENTENCE_SPLIT.split(text):
        start = text.find(sentence, position)
        end = start + len(sentence)
        position = end
        if not spans or any(start < span_end and span_start < end
                            for span_start, span_end in spans):
            continue
        kept.append(sentence.strip())
    return " ".join(kept)


def _render(parts: list[tuple[str, str]]) -> str | None:
    """("para" | "item", text) parts as text: items one a line after "- "."""
    out: list[str] = []
    previous: tuple[str, str] | None = None
    for kind, text in parts:
        line = f"- {text}" if kind == "item" else text
        if previous is None:
            out.append(line)
        elif kind == "item" and (previous[0] == "item" or previous[1].endswith(":")):
            out.append("\n" + line)
        else:
            out.append("\n\n" + line)
        previous = (kind, text)
    text = "".join(out).strip()
    return text or None


def _parts(ctx: _Context, indices: list[int]) -> list[tuple[str, str]]:
    """The blocks of a section as paragraphs and list items, without what other fields hold."""
    blocks = ctx.doc.blocks
    parts: list[tuple[str, str]] = []
    unmarked = False  # inside a list without markers (after a line ending in ":")
    for index in indices:
        block = blocks[index]
        if index in ctx.taken and block.kind == "para" and index not in ctx.skip:
            rest = _beside_commitments(block.text, ctx.spans.get(index, []))
            if rest:
                parts.append(("para", rest))
            unmarked = False
            continue
        if index in ctx.skip or index in ctx.taken or _is_lead_in(blocks, index, ctx.taken):
            unmarked = False
            continue
        if block.kind == "columns" or index in ctx.rows:
            cells = [cell for line in block.lines for _, cell in line.cells()] \
                if block.kind == "columns" else [block.text]
            cells = [cell for cell in cells if not is_dash_line(cell) and _clean(cell)]
            if not cells:
                continue
            if index in ctx.rows and ctx.rows[index] != index and parts and \
                    parts[-1][0] == "item":  # the next cell of the row above
                parts[-1] = ("item", f"{parts[-1][1]} – {' – '.join(cells)}")
            else:
                parts.append(("item", " – ".join(cells)))
            continue
        text = _clean(block.text)
        if not text or _footnote(ctx.doc, block.first.text.strip()) or \
                block.kind == "para" and block.heading_like and _NOT_A_HEADING.match(text):
            continue  # a letterhead line ("Mora kommun", "Dnr KS 2020/1792") amid the text
        words = len(text.split())
        if block.kind == "bullet" and tx.marker_class(block.marker) in ("glyph", "letter", "number"):
            parts.append(("item", tx.clean_item(text) if not tx.ends_sentence(text) else text))
            unmarked = False
        elif unmarked and words <= _UNMARKED_ITEM_WORDS and not text.endswith(":"):
            parts.append(("item", text))
        else:
            parts.append(("para", text))
            unmarked = text.endswith(":")
    return parts


# --- the whole ------------------------------------------------------------------------------

def _main_end(doc: Document, signature_start: int | None, first: int, last_read: int) -> int:
    """The block where the main text ends: the first appendix or the signatures (unless
    areas or commitments follow them: a sentence naming the signatories is no signature)."""
    end = appendix_start(doc.blocks)
    if signature_start is not None:
        for index, block in enumerate(doc.blocks[:end]):
            if index > max(first, last_read) and \
                    doc.stream_offset(block.last) + len(block.last.text) > signature_start:
                return index
    return end


def _block_range(doc: Document, block: Block) -> tuple[int, int]:
    start = doc.stream_offset(block.first)
    return start, doc.stream_offset(block.last) + len(block.last.text)


def _title_end(blocks: list[Block], headings: dict[int, Heading], end: int) -> int:
    """The first block after the title block (title, subtitle, parties, reference lines)."""
    index = 0
    while index < min(end, 16):
        block = blocks[index]
        heading = headings.get(index)
        if heading is not None and heading.role != "other":
            break  # "1 Parter", "Bakgrund"
        prose = block.kind == "para" and (tx.ends_sentence(block.text) or
                                          len(block.text.split()) > 25)
        if prose or block.kind == "bullet" and heading is None:
            break
        if heading is not None and index and not block.gap_before and \
                re.search(r"\bmellan\b", blocks[index - 1].text, re.IGNORECASE):
            index += 1  # "… mellan Göteborgs Stad och Polisområde" / "Storgöteborg för …"
            continue
        following = blocks[index + 1] if index + 1 < end else None
        if heading is not None and following is not None and index + 1 not in headings and \
                following.kind == "para" and (tx.ends_sentence(following.text) or
                                              len(following.text.split()) > 25) and \
                not _TITLE_WORD.search(heading.text):
            break  # a section heading over its text ("Polisens uppdrag")
        index += 1
    return index


def _is_prose(block: Block) -> bool:
    return block.kind == "para" and not block.heading_like


def find_prose(doc: Document, areas: list[AreaFinding], taken: frozenset[int], *,
               spans: dict[int, list[tuple[int, int]]] | None = None,
               clause_span: tuple[int, int] | None = None,
               signature_span: tuple[int, int] | None = None,
               signing_line: tuple[int, int] | None = None) -> ProseFinding:
    """Sections of the main text read into background, purpose, follow-up, forums, the
    period's clauses, focus area descriptions and the remaining titled sections.

    `taken` are the blocks read as commitments (`spans`: where in a paragraph's text its
    commitments stand; the rest of the paragraph is text); `clause_span` is the stream span of the
    validity clause (a paragraph that only states the period is not kept as text);
    `signature_span` and `signing_line` (stream spans) mark where the signatures begin.
    """
    blocks = doc.blocks
    found = ProseFinding()
    if not blocks:
        return found
    scanned = bool(doc.memo.get("scanned"))
    flat = [area for top in areas for area in top.walk()]
    focus_blocks: set[int] = set()
    area_levels: dict[int, int] = {}
    for area in flat:
        if area.section_start is not None:
            stop = area.section_end if area.section_end is not None else area.section_start + 1
            number = _number(blocks[area.section_start])
            for index in range(area.section_start, stop):
                focus_blocks.add(index)
                if number is not None:
                    area_levels[index] = min(area_levels.get(index, 99), len(number))
        if not area.listed:
            focus_blocks.add(area.block)
    area_heads = {area.block for area in flat} | {
        area.section_start for area in flat if area.section_start is not None}
    end = appendix_start(blocks)
    items = list_items_without_markers(blocks, end)
    rows = table_rows(blocks, end)
    for area in flat:  # "Fokusområde: Trygghet i centrum" heads its text up to the next heading
        if area.section_start is None and not area.listed:
            index = area.block + 1
            while index < end and index not in area_heads and (
                    index in taken or index in items or index in rows or
                    _candidate(blocks, index, scanned) is None):
                focus_blocks.add(index)
                index += 1

    headings: dict[int, Heading] = {}
    seen: dict[str, int] = {}
    for block in blocks:
        if block.heading_like and block.kind == "para":
            key = block.text.lower()
            seen[key] = seen.get(key, 0) + 1
    for index in range(end):
        if index in taken or index in items or index in rows:
            continue
        text = _candidate(blocks, index, scanned)
        if text is None:
            continue
        number = _number(blocks[index])
        role = heading_role(text)
        if role == "other" and seen.get(blocks[index].text.lower(), 0) > 1:
            continue  # a running header the layout did not take for one
        if index in focus_blocks:
            above = number is not None and index in area_levels and \
                len(number) < area_levels[index]  # "5 Uppföljning" after "4.3 …"
            if not (above or role in _BREAKS_OUT and index not in area_heads):
                continue
            # The areas' text ends here: what follows is the agreement's again.
            following = min((start for start in area_heads if start > index), default=end)
            focus_blocks.difference_update(range(index, following))
        headings[index] = Heading(index, text, role, number)
    title_end = _title_end(blocks, headings, end)
    last_read = max([index for index in (*taken, *(a.section_start or a.block for a in flat))
                     if index < end], default=0)
    starts = [span[0] for span in (signature_span, signing_line) if span is not None]
    end = _main_end(doc, min(starts, default=None), title_end, last_read)
    # The signature page begins where its own sentences do, when no section follows them
    # (its heading may be lost to OCR: "Underskrifter" with a speck beside it).
    for index in range(max(title_end, last_read + 1), end):
        if index not in taken and _signature_page(blocks[index]):
            if not any(index < other < end and heading.role != "signatures" and
                       not _signature_page(blocks[other]) for other, heading in headings.items()):
                end = index
            break
    order = [h for index, h in sorted(headings.items()) if title_end <= index < end]
    signed = next((n for n, h in enumerate(order) if h.role == "signatures"), None)
    if signed is not None:  # "Underskrifter": the main text ends at its heading
        end = order[signed].block
        order = order[:signed]

    skip = set(focus_blocks)
    if clause_span is not None:
        for index in range(title_end, end):
            start, stop_at = _block_range(doc, blocks[index])
            if clause_span[0] <= start and stop_at <= clause_span[1] + 1 and \
                    len(_SENTENCE_SPLIT.split(blocks[index].text)) == 1 and \
                    _VALIDITY.search(blocks[index].text):
                skip.add(index)  # the paragraph only states the period
    ctx = _Context(doc, taken, skip, rows, spans or {})

    numbered_doc = any(h.number is not None for h in order)
    tops: list[Heading] = []
    for position, heading in enumerate(order):
        following = order[position + 1].block if position + 1 < len(order) else end
        heading.end = following
        if tops and _is_child(tops[-1], heading, numbered_doc):
            tops[-1].children.append(heading)
        else:
            tops.append(heading)

    first = order[0].block if order else end
    preamble = _render(_parts(ctx, list(range(title_end, first))))
    for heading in tops:
        _read_section(ctx, heading, found)
    _fill_fields(found)
    if preamble:
        found.background = preamble + ("\n\n" + found.background if found.background else "")
    _describe_areas(ctx, flat, end, found)
    return found


def _own(heading: Heading) -> list[int]:
    return list(range(heading.block + 1, heading.end))


def _section_text(ctx: _Context, heading: Heading) -> str | None:
    """A section with its sub-sections, each sub-heading kept as a paragraph of its own."""
    parts = _parts(ctx, _own(heading))
    for child in heading.children:
        child_parts = _parts(ctx, _own(child))
        if child_parts:
            own = ctx.doc.blocks[child.block].text
            parts.append(("para", own if own.endswith(":") else child.text))
            parts.extend(child_parts)
    return _render(parts)


def _read_section(ctx: _Context, heading: Heading, found: ProseFinding) -> None:
    role = heading.role
    if role in _SKIPPED:
        return
    if role == "period":
        _read_period(ctx, heading, found)
        return
    if role in ("extension", "termination"):
        text = _section_text(ctx, heading)
        if text and getattr(found, role) is None:
            setattr(found, role, text)
        return
    if role == "forums" and _read_forums(ctx, heading, found):
        return
    text = _section_text(ctx, heading)
    if text:
        found.sections.append(SectionFinding(heading.text, heading.block, text, role))


# The heading a draft prints over each field: a section so titled is the field's own.
_CANONICAL = {"background": re.compile(r"^bakgrund", re.IGNORECASE),
              "purpose": re.compile(r"^syfte", re.IGNORECASE),
              "follow_up": re.compile(r"^uppföljning", re.IGNORECASE)}


def _fill_fields(found: ProseFinding) -> None:
    """Background, purpose and follow-up from their sections: the one headed as a draft
    heads it ("Bakgrund" before "Inledning"), else the first; the others stay sections."""
    for role, canonical in _CANONICAL.items():
        candidates = [section for section in found.sections if section.role == role]
        if not candidates:
            continue
        chosen = next((section for section in candidates if canonical.match(section.heading)),
                      candidates[0])
        setattr(found, role, chosen.text)
        found.sections.remove(chosen)


def _read_period(ctx: _Context, heading: Heading, found: ProseFinding) -> None:
    """The period section: its extension and termination clauses (sub-sections or sentences);
    the validity clause itself is the period's."""
    extension: list[str] = []
    termination: list[str] = []
    own = [index for index in _own(heading) if index not in ctx.skip]
    for child in heading.children:  # "Förlängning och revidering", "Uppsägning"
        if child.role in ("extension", "termination"):
            text = _render(_parts(ctx, _own(child)))
            if text:
                (extension if child.role == "extension" else termination).append(text)
        else:
            own.extend(_own(child))
    rest: list[tuple[str, str]] = []
    for kind, text in _parts(ctx, own):
        kept = []
        clause: list[str] | None = None  # the clause the paragraph is stating
        for sentence in _SENTENCE_SPLIT.split(text):
            sentence = sentence.strip()
            if _TERMINATES.search(sentence):
                clause = termination
            elif _EXTENDS.search(sentence) or _RENEWAL.search(sentence):
                clause = extension  # "Arbetet med en ny överenskommelse ska påbörjas …"
            elif _VALIDITY.search(sentence):
                clause = None
                continue
            elif clause is None:
                kept.append(sentence)
                continue
            clause.append(sentence)  # "Samråd ska ha skett senast …" goes on with its clause
        if kept:
            rest.append((kind, " ".join(kept)))
    if extension and found.extension is None:
        found.extension = " ".join(extension).strip()
    if termination and found.termination is None:
        found.termination = " ".join(termination).strip()
    text = _render(rest)
    if text:  # what else the section says ("Har du frågor eller idéer? …")
        found.sections.append(SectionFinding(heading.text, heading.block, text, "period"))


def _forum_from(ctx: _Context, name: str, block: int, indices: list[int]) -> ForumFinding:
    members = meets = None
    rest: list[int] = []
    for index in indices:
        text = ctx.doc.blocks[index].text.strip()
        member = _labelled(text, "members")
        meeting = _labelled(text, "meets")
        if member and members is None:
            members = member
        elif meeting and meets is None:
            meets = meeting
        else:
            rest.append(index)
    return ForumFinding(name, block, members, meets, _render(_parts(ctx, rest)))


def _read_forums(ctx: _Context, heading: Heading, found: ProseFinding) -> bool:
    """Forums when the section names them clearly: one sub-heading per forum, a table
    (forum | deltagare | träffas) or a list of "Styrgrupp: …" items. Prose around them is
    kept as a section under the heading."""
    leftover = _own(heading)
    if heading.children:
        forums = _forums_from_children(ctx, heading.children)
    else:
        read = _forums_from_table(ctx, leftover) or _forums_from_items(ctx, leftover)
        forums, leftover = read if read else ([], leftover)
    if not forums:
        return False
    found.forums.extend(forums)
    text = _render(_parts(ctx, leftover))
    if text:
        found.sections.append(SectionFinding(heading.text, heading.block, text))
    return True


def _forums_from_children(ctx: _Context, children: list[Heading]) -> list[ForumFinding]:
    """One forum per sub-heading, when each is named as a forum or labels its members."""
    blocks = ctx.doc.blocks
    labelled = all(any(_labelled(blocks[i].text, "members") or _labelled(blocks[i].text, "meets")
                       for i in _own(child)) for child in children)
    if not labelled and not all(_FORUM_NAME.search(child.text) for child in children):
        return []
    forums = [_forum_from(ctx, child.text, child.block, _own(child)) for child in children]
    return [forum for forum in forums if forum.members or forum.meets or forum.description]


_COLUMN_ROLES = (("name", re.compile(r"^(?:forum|nivå|grupp|namn|samverkansforum|organ|"
                                     r"mötesforum|samverkansgrupp)", re.IGNORECASE)),
                 ("members", re.compile(r"deltagare|sammansättning|ledamöter|medlemmar|"
                                        r"representanter|består", re.IGNORECASE)),
                 ("meets", re.compile(r"träffas|möte|frekvens|sammanträder|hur\s+ofta",
                                      re.IGNORECASE)))


def _forums_from_table(ctx: _Context, indices: list[int]
                       ) -> tuple[list[ForumFinding], list[int]] | None:
    """Forums from a table headed "Forum | Deltagare | Träffas" whose every row was read
    cell by cell (rows run together into one line cannot be told apart)."""
    blocks = ctx.doc.blocks
    header = next((i for i in indices if blocks[i].kind == "columns" and i not in ctx.rows),
                  None)
    if header is None:
        return None
    titles = [cell for _, cell in blocks[header].first.cells()]
    roles = [next((role for role, pattern in _COLUMN_ROLES if pattern.search(title)), None)
             for title in titles]
    if roles[0] != "name" or not {"members", "meets"} & set(roles):
        return None
    grouped: dict[int, list[str]] = {}
    for index in indices:
        if index in ctx.rows:
            block = blocks[index]
            cells = [cell for line in block.lines for _, cell in line.cells()] \
                if block.kind == "columns" else [block.text]
            grouped.setdefault(ctx.rows[index], []).extend(cells)
    if not grouped or any(len(cells) != len(titles) for cells in grouped.values()):
        return None
    forums = []
    for first, cells in grouped.items():
        values = dict(zip(roles, cells, strict=True))
        forums.append(ForumFinding(heading_text(cells[0]), first, values.get("members"),
                                   values.get("meets")))
    rest = [index for index in indices if index != header and index not in ctx.rows]
    return forums, rest


def _forums_from_items(ctx: _Context, indices: list[int]
                       ) -> tuple[list[ForumFinding], list[int]] | None:
    """Forums from a list of "Styrgrupp: kommundirektörerna …" items."""
    blocks = ctx.doc.blocks
    leftover = list(indices)
    items = [index for index in leftover if blocks[index].kind == "bullet"
             and index not in ctx.taken]
    texts = {index: blocks[index].text for index in items}
    for index in items:  # "Operativ samverkansgrupp:" over "säkerhetssamordnaren, …"
        after = index + 1
        if texts[index].endswith(":") and after in leftover and after not in items and \
                tx.starts_lower(blocks[after].text):
            texts[index] = f"{texts[index]} {blocks[after].text}"
            leftover.remove(after)
    named = [(index, _NAMED_ITEM.match(texts[index])) for index in items]
    if len(named) < 2 or not all(match and _FORUM_NAME.search(match.group("name"))
                                 for _, match in named):
        return None
    forums = [ForumFinding(heading_text(match.group("name")), index,
                           description=tx.capitalise(match.group("rest").strip()))
              for index, match in named if match is not None]
    first_item = items[0]
    rest = [index for index in leftover if index not in items and not (
        index == first_item - 1 and blocks[index].text.endswith(":"))]
    return forums, rest


# --- focus areas -----------------------------------------------------------------------------

def _describe_areas(ctx: _Context, flat: list[AreaFinding], end: int,
                    found: ProseFinding) -> None:
    """Each area's description (the prose under its heading before its goals and
    commitments) and its goals (a "Mål" list)."""
    blocks = ctx.doc.blocks
    starts = {area.section_start for area in flat if area.section_start is not None}
    starts |= {area.block for area in flat}
    whole = _Context(ctx.doc, ctx.taken, set(), ctx.rows)
    # A list of areas each followed by a sentence or two about it ("•• Unga i riskzon" over
    # "Tidig upptäckt av …"), or run into the item's own line.
    described: dict[int, list[tuple[str, str]]] = {}
    for area in flat:
        if not area.listed or area.section_start is not None:
            continue
        parts: list[tuple[str, str]] = []
        own = _after_title(blocks[area.block].text, area.title)
        if own:
            parts.append(("para", own))
        after = area.block + 1
        if after < end and after not in ctx.taken and after not in starts and \
                _is_prose(blocks[after]) and tx.ends_sentence(blocks[after].text):
            parts.extend(_parts(whole, [after]))
        if parts:
            described[id(area)] = parts
    if len(described) < 2:
        described = {}  # prose after the last item of a list continues the text, not the item
    for area in flat:
        start = area.section_start
        if start is None and not area.listed:
            start = area.block
        if start is None:
            text = _render(described.get(id(area), []))
            if text:
                found.descriptions[id(area)] = text
            continue
        stop = area.section_end if area.section_end is not None else end
        description: list[int] = []
        opening = _after_title(blocks[start].text, area.title)
        goals: list[str] = []
        index = start + 1
        while index < min(stop, len(blocks)):
            block = blocks[index]
            text = block.text.strip()
            inline_goal = _INLINE_GOAL.match(text)
            if inline_goal:
                goals.append(tx.clean_item(inline_goal.group("goal")))
                index += 1
                continue
            if _GOAL_LABEL.match(text) and len(text.split()) <= 8:
                index += 1
                while index < stop and index not in ctx.taken and index not in starts and \
                        not _is_lead_in(blocks, index, ctx.taken) and (
                            blocks[index].kind == "bullet" or
                            blocks[index].kind == "para" and
                            len(blocks[index].text.split()) <= _UNMARKED_ITEM_WORDS and
                            not blocks[index].text.endswith(":")):
                    goals.append(tx.clean_item(blocks[index].text))
                    index += 1
                continue
            if index in ctx.taken or index in starts or _is_lead_in(blocks, index, ctx.taken) \
                    or block.kind == "columns" or is_table_header(text) or \
                    is_appendix_heading(block) or block.heading_like and block.kind == "para" \
                    or _TABLE_COLUMN.match(text):
                break  # "- Aktivitet": a table's first column title with a speck before it
            description.append(index)
            index += 1
        parts = _parts(whole, description)
        if opening:
            parts.insert(0, ("para", opening))
        text = _render(parts)
        if text:
            found.descriptions[id(area)] = text
        if goals:
            found.goals[id(area)] = goals


def _after_title(text: str, title: str) -> str | None:
    """The description a layout ran into the area's heading line ("Skapa trygga offentliga
    miljöer De offentliga miljöerna …"): what follows the title, when it is a sentence."""
    words, title_words = text.split(), title.split()
    if len(words) <= len(title_words) or \
            [w.lower() for w in words[:len(title_words)]] != [w.lower() for w in title_words]:
        return None
    rest = " ".join(words[len(title_words):])
    return rest if rest[:1].isupper() and tx.ends_sentence(rest) else None
